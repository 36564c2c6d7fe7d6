"""A small copy of the Ombudsman's site, served on localhost, for tests/test_fetch.py (no network in tests).

Councils' pages, statistics pages in both layouts, letter links, a robots.txt that forbids a
path, a 429 with Retry-After, a 503 then success, a redirect within the site and one out of
it, a link that leaves the host, an HTML page served as application/pdf, a truncated PDF, a
huge response, a slow one, a name with ``../``; every request is recorded with its time and
headers, and ETags give 304s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = "<html><head><title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
SLOW_SECONDS = 6.0
"""How long the slow letter takes to arrive: longer than the tests' limit per file."""


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float


@dataclass
class Site:
    letter: bytes
    """A real PDF, served for every good letter."""
    requests: list[Seen] = field(default_factory=list)
    failures_left: dict[str, int] = field(default_factory=lambda: {"/assets/attach/102/": 1, "/assets/attach/103/": 1})
    port: int = 0
    slow_letter: bytes = b""
    """Served slowly at /slow/ (the kill test)."""

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def routes(self) -> dict[str, Callable[[BaseHTTPRequestHandler], None]]:
        other_host = f"http://localhost:{self.port}"
        letters = "".join(
            f'<li><a href="{href}">{text}</a></li>'
            for href, text in [
                ("/assets/attach/101/Alpha-Council-annual-review-letter-2023.pdf", "Annual review letter 2023"),
                ("/assets/attach/102/alpha-2022.pdf", "Annual review letter 2022"),
                ("/assets/attach/103/alpha-2021.pdf", "Annual letter 2021"),
                ("/assets/attach/104/alpha-2020.pdf", "Annual letter 2020"),
                ("/assets/attach/106/alpha-2019.pdf", "Annual letter 2019"),
                ("/assets/attach/107/alpha-2018.pdf", "Annual letter 2018"),
                ("/assets/attach/108/alpha-2017.pdf", "Annual letter 2017"),
                ("/assets/attach/109/alpha-2016.pdf", "Annual letter 2016"),
                ("/assets/attach/110/..%2F..%2F..%2Fevil-2015.pdf", "Annual letter 2015"),
                ("/assets/attach/140/alpha-2014.pdf", "Annual letter 2014"),
                (f"{other_host}/assets/attach/120/elsewhere-annual-letter-2023.pdf", "Annual letter elsewhere"),
            ]
        )
        html = {
            "/robots.txt": ("text/plain", "User-agent: *\nDisallow: /private/\n"),
            "/your-councils-performance": (
                "text/html",
                PAGE.format(
                    title="Your council's performance",
                    body='<a href="/your-councils-performance/alpha-council">Alpha Council</a>'
                    '<a href="your-councils-performance/beta-council/">Beta Council</a>'
                    '<a href="/information-centre/councils-performance/G">G</a>'
                    '<a href="/private/annual-letter-2023.pdf">Annual letter (private)</a>'
                    f'<a href="{other_host}/your-councils-performance/gamma-council">Gamma, elsewhere</a>',
                ),
            ),
            "/information-centre/councils-performance/G": (
                "text/html",
                PAGE.format(title="G", body='<a href="/your-councils-performance/beta-council">Beta</a>'),
            ),
            "/your-councils-performance/alpha-council": (
                "text/html",
                PAGE.format(
                    title="Alpha Council",
                    body='<a href="/your-councils-performance/alpha-council/statistics">Statistics</a>',
                ),
            ),
            "/your-councils-performance/alpha-council/statistics": (
                "text/html",
                PAGE.format(
                    title="Alpha Council statistics",
                    body="<p>In 2022-23 we dealt with 12 complaints.</p><h2>Annual letters</h2>"
                    '<a href="/alpha-letters">View annual letters</a>',
                ),
            ),
            "/alpha-letters": (
                "text/html",
                PAGE.format(
                    title="Alpha Council annual letters",
                    body=f"<h2>Annual letters</h2><ul>{letters}</ul><h2>Other documents</h2>"
                    '<a href="/assets/attach/111/minutes-2023.pdf">Committee minutes</a>',
                ),
            ),
            "/your-councils-performance/beta-council": (
                "text/html",
                PAGE.format(
                    title="Beta Council",
                    body='<a href="/your-councils-performance/beta-council/statistics/?displaypref=3">Statistics</a>'
                    '<a href="/your-councils-performance/beta-council/statistics">Statistics again</a>',
                ),
            ),
            "/your-councils-performance/beta-council/statistics": (
                "text/html",
                PAGE.format(
                    title="Beta Council statistics",
                    body="<table><tr><td>Complaints</td><td>7</td></tr></table><h3>Annual letters</h3>"
                    '<a href="/assets/attach/130/beta-annual-letter-2024.pdf">View</a>',
                ),
            ),
        }
        routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {
            path: (lambda handler, kind=kind, text=text: _send(handler, 200, kind, text.encode()))
            for path, (kind, text) in html.items()
        }
        good = ("/assets/attach/101/", "/assets/attach/102/", "/assets/attach/103/", "/assets/attach/105/")
        for prefix in (*good, "/assets/attach/110/", "/assets/attach/130/"):
            routes[prefix] = self._good_letter
        routes["/assets/attach/104/"] = lambda h: _send(
            h, 302, "text/html", b"", {"Location": "/assets/attach/105/x.pdf"}
        )
        routes["/assets/attach/106/"] = lambda h: _send(
            h, 200, "application/pdf", PAGE.format(title="Oops", body="").encode()
        )
        routes["/assets/attach/107/"] = lambda h: _send(h, 200, "application/pdf", self.letter[: len(self.letter) // 2])
        routes["/assets/attach/108/"] = self._huge
        routes["/assets/attach/109/"] = self._slow
        routes["/slow/"] = self._slow_but_whole
        routes["/failing/"] = lambda h: _send(h, 503, "text/plain", b"down for maintenance")
        away = {"Location": f"{other_host}/assets/attach/141/alpha-2014.pdf"}
        routes["/assets/attach/140/"] = lambda h: _send(h, 302, "text/html", b"", away)
        return routes

    def _good_letter(self, handler: BaseHTTPRequestHandler) -> None:
        prefix = handler.path.split("/")[3]
        if self.failures_left.get(f"/assets/attach/{prefix}/", 0):
            self.failures_left[f"/assets/attach/{prefix}/"] -= 1
            if prefix == "102":
                _send(handler, 429, "text/plain", b"slow down", {"Retry-After": "1"})
            else:
                _send(handler, 503, "text/plain", b"busy")
            return
        etag = f'"letter-{prefix}"'
        if handler.headers.get("If-None-Match") == etag:
            _send(handler, 304, "application/pdf", b"", {"ETag": etag})
            return
        _send(handler, 200, "application/pdf", self.letter, {"ETag": etag})

    def _huge(self, handler: BaseHTTPRequestHandler) -> None:
        """21 MB with no Content-Length: only counting what arrives finds it too large."""
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.end_headers()
        block = b"%PDF-1.7\n" + b"0" * (2**20 - 9)
        for _ in range(21):
            handler.wfile.write(block)

    def _slow(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.end_headers()
        started = time.monotonic()
        while time.monotonic() - started < SLOW_SECONDS:
            handler.wfile.write(b"%")
            handler.wfile.flush()
            time.sleep(0.2)

    def _slow_but_whole(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/pdf")
        handler.send_header("Content-Length", str(len(self.slow_letter)))
        handler.end_headers()
        step = max(1, len(self.slow_letter) // 40)
        for start in range(0, len(self.slow_letter), step):
            handler.wfile.write(self.slow_letter[start : start + step])
            handler.wfile.flush()
            time.sleep(0.1)


def _send(handler: BaseHTTPRequestHandler, status: int, kind: str, body: bytes, headers: dict | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    if status != 304:
        handler.wfile.write(body)


def serve(site: Site) -> ThreadingHTTPServer:
    """Start serving ``site`` on a free port of 127.0.0.1, in a thread; the caller shuts it down."""
    routes: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append(Seen(self.path, dict(self.headers.items()), time.monotonic()))
            path = self.path.split("?")[0].rstrip("/") or "/"
            route = routes.get(path) or next(
                (
                    handler
                    for prefix, handler in routes.items()
                    if prefix.endswith("/") and self.path.startswith(prefix)
                ),
                None,
            )
            if route is None:
                _send(self, 404, "text/plain", b"not here")
                return
            try:
                route(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up on a huge or slow answer: as it should

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site.port = server.server_address[1]
    routes.update(site.routes())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
