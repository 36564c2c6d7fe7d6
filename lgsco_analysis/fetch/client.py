"""A polite HTTP client for one site, on httpx: robots.txt obeyed, one request at a time with a delay,
a User-Agent that says who is asking, conditional requests, retries with backoff on 429 and 5xx
(honouring ``Retry-After``), redirects followed only within the site, and limits on time and size.
"""

from __future__ import annotations

import email.utils
import logging
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import FetchStopped
from ..provenance import package_version

log = logging.getLogger(__name__)
MAX_REDIRECTS = 5
MAX_RETRY_WAIT = 120.0
"""The longest a ``Retry-After`` is waited for; a longer one counts as a failure."""


@dataclass(frozen=True)
class Limits:
    """How polite and how patient the fetch is."""

    contact: str = ""
    """An email or web address for the site to reach whoever runs the fetch (``--contact``)."""
    delay: float = 1.0
    """Seconds between the starts of two requests to the site."""
    attempts: int = 4
    """Tries of one address on 429, 5xx or a lost connection."""
    give_up_after: int = 5
    """Addresses in a row that fail every attempt before the whole fetch stops."""
    timeout: float = 30.0
    """Seconds to connect, or between two pieces of a response."""
    file_seconds: float = 300.0
    """Seconds one file may take to arrive, in all."""
    max_bytes: int = 20 * 2**20
    """A letter is under 20 MB; anything larger is refused."""


@dataclass
class Answer:
    """What one address gave: its final address, status, headers we keep, and the body (or where it was saved)."""

    url: str
    status: int
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    location: str = ""
    """Where a redirect leads."""
    retry_after: str = ""
    """The site's ``Retry-After`` on a 429 or 5xx."""
    body: bytes = b""
    refused: str = ""
    """Why nothing usable came back (a page out of the site, too large, too slow); empty when it did."""


ROBOTS_NAME = "lgsco-analysis"
"""The name robots.txt rules may address."""


def user_agent(contact: str = "") -> str:
    """Who is asking: the project, its version, what it does, and how to reach whoever runs it."""
    reach = f"; contact {contact}" if contact else ""
    return f"{ROBOTS_NAME}/{package_version()} (annual review letters for analysis; one request at a time{reach})"


def same_site(url: str, other: str) -> bool:
    """Two addresses on one site: the same scheme family and host, ``www.`` or not."""
    first, second = urlsplit(url), urlsplit(other)
    if first.scheme not in ("http", "https") or second.scheme not in ("http", "https"):
        return False
    return (first.hostname or "").removeprefix("www.") == (second.hostname or "").removeprefix("www.")


class PoliteClient:
    """One site's requests, in turn. ``sleep`` and ``clock`` can be replaced (tests)."""

    def __init__(
        self,
        limits: Limits = Limits(),
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limits = limits
        self.sleep = sleep
        self.http = httpx.Client(
            headers={"User-Agent": user_agent(limits.contact)},
            timeout=limits.timeout,
            follow_redirects=False,
            transport=transport,
        )
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.last_request = float("-inf")
        self.failures_in_a_row = 0
        self.requests = 0

    def close(self) -> None:
        self.http.close()

    def allowed(self, url: str) -> bool:
        """robots.txt lets us fetch the address (read once per host; none, or a 4xx, allows everything)."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self.robots:
            parser = urllib.robotparser.RobotFileParser()
            answer = self._with_retries(urljoin(root, "/robots.txt"), {}, None)
            if answer.status == 200:
                parser.parse(answer.body.decode("utf-8", "replace").splitlines())
            elif 400 <= answer.status < 500:  # none: everything is allowed
                parser.parse([])
            else:  # unreachable or failing: nothing may be fetched (RFC 9309), so the fetch stops here
                raise FetchStopped(
                    f"{root}/robots.txt could not be read ({answer.refused}): the site is unreachable or "
                    "failing, and nothing is fetched without it; run again later"
                )
            self.robots[root] = parser
        return self.robots[root].can_fetch(ROBOTS_NAME, url)

    def get(self, url: str, conditional: dict[str, str] | None = None, to_file: Path | None = None) -> Answer:
        """GET within the site, following redirects that stay in it; retried, delayed, bounded.

        With ``to_file`` the body is streamed there (and ``Answer.body`` left empty).
        Raises FetchStopped after ``give_up_after`` addresses in a row failed every attempt.
        """
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if not self.allowed(current):
                return Answer(current, 0, refused="robots.txt forbids it")
            answer = self._with_retries(current, conditional or {}, to_file)
            if answer.status in (301, 302, 303, 307, 308) and not answer.refused:
                target = urljoin(current, answer.location)
                if not same_site(url, target):
                    return Answer(current, answer.status, refused=f"redirected out of the site, to {target}")
                current = target
                continue
            return answer
        return Answer(current, 0, refused=f"more than {MAX_REDIRECTS} redirects")

    def _with_retries(self, url: str, conditional: dict[str, str], to_file: Path | None) -> Answer:
        answer = Answer(url, 0)
        for attempt in range(self.limits.attempts):
            answer = self._request(url, conditional, to_file)
            if answer.status != 429 and answer.status < 500 and answer.status != 0:
                self.failures_in_a_row = 0
                return answer
            wait = _retry_after(answer, self.limits.delay * 2 ** (attempt + 1))
            if wait is None or attempt == self.limits.attempts - 1:
                break
            log.info("%s: %s, trying again in %.1f s", url, answer.status or answer.refused, wait)
            self.sleep(wait)
        self.failures_in_a_row += 1
        if self.failures_in_a_row >= self.limits.give_up_after:
            raise FetchStopped(
                f"the site failed {self.failures_in_a_row} addresses in a row (the last, {url}: "
                f"{answer.status or answer.refused}); stopped after {self.requests} requests: run again later, "
                "what was fetched is kept"
            )
        if not answer.refused:
            answer.refused = f"the site answered {answer.status} after {self.limits.attempts} tries"
        return answer

    def _request(self, url: str, conditional: dict[str, str], to_file: Path | None) -> Answer:
        wait = self.last_request + self.limits.delay - time.monotonic()
        if wait > 0:
            self.sleep(wait)
        self.last_request = time.monotonic()
        self.requests += 1
        try:
            with self.http.stream("GET", url, headers=conditional) as response:
                answer = Answer(
                    url,
                    response.status_code,
                    etag=response.headers.get("ETag", ""),
                    last_modified=response.headers.get("Last-Modified", ""),
                    content_type=response.headers.get("Content-Type", ""),
                )
                if response.is_redirect:
                    answer.location = response.headers.get("Location", "")
                    return answer
                if response.status_code == 429 or response.status_code >= 500:
                    answer.retry_after = response.headers.get("Retry-After", "")
                    return answer
                if response.status_code == 200:
                    answer.refused = self._read_body(response, answer, to_file)
                return answer
        except httpx.HTTPError as error:
            return Answer(url, 0, refused=f"no answer ({type(error).__name__})")

    def _read_body(self, response: httpx.Response, answer: Answer, to_file: Path | None) -> str:
        """The body into memory or ``to_file``, within the limits; why it was refused, or ''."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.limits.max_bytes:
            return f"too large: {int(declared):,} bytes (the limit is {self.limits.max_bytes:,})"
        started, size, pieces = time.monotonic(), 0, []
        handle = to_file.open("wb") if to_file else None
        try:
            for piece in response.iter_bytes():
                size += len(piece)
                if size > self.limits.max_bytes:
                    return f"too large: over {self.limits.max_bytes:,} bytes"
                if time.monotonic() - started > self.limits.file_seconds:
                    return f"too slow: not all there after {self.limits.file_seconds:g} s"
                if handle:
                    handle.write(piece)
                else:
                    pieces.append(piece)
        finally:
            if handle:
                handle.close()
        answer.body = b"".join(pieces)
        return ""


def _retry_after(answer: Answer, backoff: float) -> float | None:
    """Seconds to wait before trying again: the site's Retry-After (seconds or a date), else the backoff;
    None when the site asks for longer than we wait."""
    said = answer.retry_after.strip()
    if said.isdigit():
        wait = float(said)
    elif said:
        try:
            when = email.utils.parsedate_to_datetime(said)
            wait = max(0.0, (when - datetime.now(UTC)).total_seconds())
        except (TypeError, ValueError):
            wait = backoff
    else:
        wait = backoff
    return wait if wait <= MAX_RETRY_WAIT else None
