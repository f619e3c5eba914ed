"""Two loopback HTTP servers for the address-guard tests (issue 14, items 5 and 6): an
"allowed" one (the crawl's or capture's named origin) and a "refused" one on another port of
127.0.0.1, which must receive nothing."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = tuple[int, dict[str, str], bytes]


@dataclass
class Site:
    """A loopback HTTP server answering from ``routes`` (path with query -> status, headers, body)."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def root(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.hits.append(self.path)
                status, headers, body = site.routes.get(self.path, (404, {}, b"not here"))
                self.send_response(status)
                for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@contextlib.contextmanager
def loopback_pair() -> Iterator[tuple[Site, Site]]:
    """(allowed, refused): the refused one answers every test path, so that a request that
    slipped through would be seen in its ``hits``."""
    allowed, refused = Site().start(), Site().start()
    refused.routes = {path: (200, {}, b"<html>internal</html>") for path in
                      ("/", "/robots.txt", "/redirected", "/loc", "/linked", "/api", "/frame")}
    try:
        yield allowed, refused
    finally:
        allowed.stop()
        refused.stop()


def html(text: str) -> Route:
    return 200, {}, text.encode()
