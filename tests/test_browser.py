"""The rendered reports in a real browser: headless Debian Chromium, driven by Selenium, over file://.

.ci/run installs Chromium and ChromeDriver, so in CI this test runs; on a machine without
them it skips and says why.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from lgsco_analysis.reports import INDEX_FILE

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # renders reports: make test, not make check

SCREENSHOTS = Path(__file__).resolve().parent / "output" / "browser"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--window-size=1100,900",
)
NO_ALT = "No description has been provided for this image"


def _find_browser() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    reason = "headless Chromium and ChromeDriver are not installed (Debian: apt-get install chromium chromium-driver)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser test, but {reason}: .ci/run installs them")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium, driver_path = _find_browser()
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium is a test dependency: pip install -e .[test]"
    )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    yield driver
    driver.quit()


def _open(browser, path: Path) -> list[dict]:
    """Load a page; return its images, raster or inline SVG charts, with their drawn width and alt text."""
    browser.get(path.as_uri())
    browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "Promise.all(Array.from(document.images).map(i => i.decode().catch(() => null))).then(() => done());"
    )
    return browser.execute_script(
        "return Array.from(document.images).map(i => ({complete: i.complete, width: i.naturalWidth, alt: i.alt}))"
        ".concat(Array.from(document.querySelectorAll('svg[role=img]')).map(s => ({complete: true,"
        " width: s.getBoundingClientRect().width, alt: s.getAttribute('aria-label') || ''})));"
    )


def _overflows(browser) -> bool:
    """The page is wider than the window: the reader would have to scroll sideways."""
    return browser.execute_script("return document.documentElement.scrollWidth > document.documentElement.clientWidth")


def _console_errors(browser) -> list[str]:
    return [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def _full_page_screenshot(browser, path: Path) -> None:
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1100, min(int(height) + 40, 12000))
    path.parent.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(path))
    browser.set_window_size(1100, 900)


def test_index_and_reports_load_with_images_alt_text_and_no_console_errors(browser, rendered_reports):
    reports: Path = rendered_reports["reports"]
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    assert _open(browser, reports / INDEX_FILE) == []
    assert _console_errors(browser) == []
    links = browser.execute_script("return Array.from(document.querySelectorAll('a')).map(a => a.href);")
    assert len(links) >= 6
    for link in links:
        target = Path(unquote(urlparse(link).path))
        assert urlparse(link).scheme == "file" and target.exists(), f"broken link {link}"
        assert reports.resolve() in target.resolve().parents, f"{link} leads out of the reports folder"
    _full_page_screenshot(browser, SCREENSHOTS / "index.png")

    pages = sorted({link for link in links if link.endswith(".html")})
    assert any("/authorities/" in link for link in pages) and any("/national/" in link for link in pages)
    for link in pages:
        images = _open(browser, Path(unquote(urlparse(link).path)))
        assert _console_errors(browser) == [], link
        assert browser.find_element("css selector", ".lgsco-sample-banner").is_displayed(), link
        for image in images:
            assert image["complete"] and image["width"] > 0, f"an image did not load in {link}"
            assert len(image["alt"]) > 40 and image["alt"] != NO_ALT, f"an image without alt text in {link}"
        back = browser.find_element("link text", "All reports").get_attribute("href")
        assert Path(unquote(urlparse(back).path)).resolve() == (reports / INDEX_FILE).resolve()
        if "/authorities/" in link and not (SCREENSHOTS / "profile.png").exists():
            assert len(images) >= 3
            _full_page_screenshot(browser, SCREENSHOTS / "profile.png")
        browser.set_window_size(1280, 900)
        assert not _overflows(browser), f"{link} is wider than a 1280 px window"
        browser.set_window_size(1100, 900)
        folded = browser.find_elements("css selector", "details.lgsco-figures")
        assert len(folded) == len(images), f"a chart in {link} has no table of its figures"
        if folded:  # closed until asked: then the figures show, as a table
            assert not folded[0].find_element("css selector", "table").is_displayed()
            folded[0].find_element("tag name", "summary").click()
            assert folded[0].find_element("css selector", "table").is_displayed()
    assert (SCREENSHOTS / "index.png").stat().st_size > 10_000
    assert (SCREENSHOTS / "profile.png").stat().st_size > 10_000


def test_the_index_jumps_to_a_group_and_a_letter(browser, rendered_reports):
    reports: Path = rendered_reports["reports"]
    _open(browser, reports / INDEX_FILE)
    group_links = browser.find_elements("css selector", "nav[aria-label=Sections] a[href^='#']")
    groups = [link for link in group_links if "Councils" in link.text or "Boroughs" in link.text]
    assert groups, "no jump links to the comparison groups"
    target = groups[-1].get_attribute("href").split("#", 1)[1]
    groups[-1].click()
    heading = browser.find_element("id", target)
    in_view = "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;"
    assert browser.execute_script("return location.hash") == f"#{target}"
    assert browser.execute_script(in_view, heading)
    letter = browser.find_element("css selector", f"section[aria-labelledby='{target}'] nav a")
    letter_target = letter.get_attribute("href").split("#", 1)[1]
    letter.click()
    names = browser.find_element("id", letter_target).find_element("xpath", "following-sibling::ul[1]")
    council = names.find_element("tag name", "li")  # a council's name, then a link for each year of its profiles
    assert council.text.upper().startswith(letter.text) or letter.text in council.text.upper()
    assert council.find_element("tag name", "a").text.isdigit()


def test_every_chart_downloads_as_an_svg_file(browser, rendered_reports):
    reports: Path = rendered_reports["reports"]
    profile = sorted((reports / "authorities").glob("*.html"))[0]
    charts = _open(browser, profile)
    links = browser.find_elements("css selector", "a.lgsco-download")
    assert len(links) == len(charts) >= 3
    assert links[0].get_attribute("download").endswith("-chart-1.svg")
    saved = browser.execute_async_script(  # what the link saves, read back and parsed as a file of its own
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.text()).then(text => {"
        " const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');"
        " done({start: text.slice(0, 5), root: parsed.documentElement.nodeName,"
        " errors: parsed.getElementsByTagName('parsererror').length,"
        " texts: parsed.getElementsByTagName('text').length});"
        "});",
        links[0].get_attribute("href"),
    )
    assert saved["start"] == "<?xml" and saved["root"] == "svg" and saved["errors"] == 0
    assert saved["texts"] > 10  # the chart's words as text, as in the page
