"""The demo marketplace HTTP server (127.0.0.1 only): plumbing, the shared pages and routing.

Each imitated platform is a `demo.sites` module answering under its own first path segment
(``/tiki/``, ``/shopee/``, ``/shops/``, ``/sendo/``, ``/lazada/``, ``/tiktok/``, ``/facebook/``);
this module adds what they share: the index, robots.txt, the captcha and login-wall pages under
``/blocked/`` and the product images.

Bodies are rendered once at start (the base URL is known only after the socket is bound) and
search pages are cached, so ~16 concurrent clients are served without waiting.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import logging
import socket
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from demo.catalog import DEFAULT_SEED, Catalog, build_catalog
from demo.pages import Response, e, html_page, html_response, json_for_script, not_found_html
from demo.sites import SITES, Marketplace, PlatformSite
from demo.sites.web import WEB_PAGE_SIZE

log = logging.getLogger("demo.server")

LOOPBACK_HOSTS = ("127.0.0.1", "localhost")

# A 1x1 grey PNG served for every product image.
_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mN8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)
_IMAGE_PREFIXES = ("/img/", "/shopee/file/")  # every platform's CDN paths get the same picture

# --------------------------------------------------------------------------- the site


class _Site:
    """Every body of the demo marketplace for one catalog and one base URL."""

    def __init__(self, catalog: Catalog, base_url: str, removed: frozenset[str] = frozenset()) -> None:
        self.catalog = catalog
        self.market = Marketplace(catalog, base_url, removed=removed)
        self.sites: dict[str, PlatformSite] = {cls.segment: cls(self.market) for cls in SITES}
        self.static: dict[str, Response] = {}
        self._build_common()

    def platform_site(self, path: str) -> PlatformSite | None:
        """The site that owns ``path`` by its first segment (``/tiki/...`` -> Tiki)."""
        return self.sites.get(path.split("/", 2)[1] if path.startswith("/") else "")

    def _build_common(self) -> None:
        robots = ["User-agent: *", "Allow: /", ""]
        robots += [f"Sitemap: {url}" for site in self.sites.values() for url in site.sitemaps()]
        self.static["/robots.txt"] = Response(200, "text/plain; charset=utf-8", ("\n".join(robots) + "\n").encode())
        self.static["/"] = html_response(self._index_page())
        self.static["/blocked/captcha"] = html_response(
            html_page(
                "Xác minh bảo mật",
                '<div class="captcha-container"><h1>Xác minh bảo mật</h1>'
                "<p>Vui lòng xác minh bạn không phải là robot</p>"
                '<form id="captcha-form" method="post" action="/blocked/captcha">'
                '<div class="g-recaptcha" data-sitekey="demo-site-key"></div>'
                '<input type="hidden" name="captcha_token" value="">'
                '<button type="submit">Xác minh</button></form></div>',
            )
        )
        self.static["/blocked/login"] = html_response(
            html_page(
                "Đăng nhập",
                '<div class="login-wall"><h1>Đăng nhập</h1>'
                "<p>Vui lòng đăng nhập để tiếp tục xem sản phẩm.</p>"
                '<form id="login-form" method="post" action="/blocked/login">'
                '<input type="text" name="loginKey" placeholder="Email/Số điện thoại/Tên đăng nhập">'
                '<input type="password" name="password" placeholder="Mật khẩu">'
                '<button type="submit">Đăng nhập</button></form></div>',
            )
        )

    def _index_page(self) -> bytes:
        parts = [
            "<h1>listingwatch demo marketplace</h1>",
            f"<p>Catalog seed {self.catalog.seed}: {len(self.catalog.sellers)} sellers, "
            f"{len(self.catalog.listings)} listings. Only for tests and demonstrations.</p>",
        ]
        for site in self.sites.values():
            platform, label, example = site.platform, site.label, site.example
            parts.append(f'<section class="platform" data-platform="{e(platform)}"><h2>{e(label)}</h2>')
            parts.append(f'<p><a class="platform-entry" href="{e(example)}">{e(example)}</a></p><ul>')
            for seller in self.catalog.sellers_on(platform):
                parts.append(
                    f'<li><a class="shop-link" data-platform="{e(platform)}" data-seller-id="{e(seller.seller_id)}" '
                    f'href="{e(seller.shop_url_path)}">{e(seller.name)}</a></li>'
                )
            parts.append("</ul></section>")
        parts.append('<p><a href="/blocked/captcha">captcha page</a> · <a href="/blocked/login">login wall</a></p>')
        return html_page("listingwatch demo marketplace", "\n".join(parts))


def route(site: _Site, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response:
    """Answer one GET request (pure: no sockets, easy to test)."""
    if path.startswith(_IMAGE_PREFIXES):
        return Response(200, "image/png", _PNG, (("Cache-Control", "public, max-age=86400"),))
    platform_site = site.platform_site(path)
    if platform_site is not None:
        response = platform_site.route(path, query, headers)
        if response is not None:
            return response
    static = site.static.get(path)
    return static if static is not None else not_found_html()


# --------------------------------------------------------------------------- HTTP plumbing


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.site: _Site | None = None
        self.latency_s = 0.0
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Through logging, not socketserver's raw dashes and traceback on stderr (which break
        `LISTINGWATCH_LOG_FORMAT=json`); a browser dropping a connection it no longer needs is
        no error of the demo's."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            log.debug("demo client %s went away", client_address, exc_info=True)
        else:
            log.exception("demo server error serving %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stall
    server_version = "listingwatch-demo/1.0"
    sys_version = ""
    timeout = 30

    def setup(self) -> None:
        super().setup()
        server = cast(_HTTPServer, self.server)
        with server.connections_lock:
            server.connections.add(self.connection)

    def finish(self) -> None:
        server = cast(_HTTPServer, self.server)
        with server.connections_lock:
            server.connections.discard(self.connection)
        super().finish()

    def _respond(self, head_only: bool) -> None:
        server = cast(_HTTPServer, self.server)
        site = server.site
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        headers = {k.lower(): v for k, v in self.headers.items()}
        if server.latency_s:
            time.sleep(server.latency_s)  # one thread per connection: others are served meanwhile
        if site is None:
            response = Response(503, "text/plain; charset=utf-8", b"starting\n")
        else:
            try:
                response = route(site, parts.path, query, headers)
            except Exception:  # a bug in the demo must not kill the connection thread silently
                log.exception("demo server error on %s", self.path)
                response = Response(500, "text/plain; charset=utf-8", b"internal error\n")
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head_only:
            self.wfile.write(response.body)

    def do_GET(self) -> None:
        self._respond(head_only=False)

    def do_HEAD(self) -> None:
        self._respond(head_only=True)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class DemoServer:
    """The demo marketplace on 127.0.0.1, in a background thread.

    >>> with DemoServer() as server:          # port 0: the OS picks a free port
    ...     url = server.base_url + "/tiki/api/v2/products?q=sua"
    """

    def __init__(
        self, catalog: Catalog | None = None, host: str = "127.0.0.1", port: int = 0, *, latency_s: float = 0.0,
        removed: Iterable[str] = (),
    ) -> None:
        """`latency_s`: wait this long before each response, as a distant marketplace would
        (benchmarks of crawls whose speed is bound by the network, not by this machine).
        `removed`: platform listing ids taken down, shown as each platform shows a removed
        product (its removed page or a 404), so takedown removal checks can be tried out."""
        if host not in LOOPBACK_HOSTS:
            raise ValueError(f"the demo server only listens on 127.0.0.1, not {host!r}")
        self.removed = frozenset(removed)
        full = catalog if catalog is not None else build_catalog()
        self.catalog = without_listings(full, self.removed) if self.removed else full
        self.host = "127.0.0.1"
        self.port = port
        if latency_s < 0:
            raise ValueError(f"latency_s must be >= 0, not {latency_s}")
        self.latency_s = latency_s
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("DemoServer is not started")
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def bind(self) -> None:
        """Bind the socket and render every body (no requests are served yet)."""
        if self._httpd is not None:
            return
        httpd = _HTTPServer((self.host, self.port))
        self.port = int(httpd.server_address[1])
        self._httpd = httpd
        httpd.latency_s = self.latency_s
        httpd.site = _Site(self.catalog, self.base_url, self.removed)

    def start(self) -> DemoServer:
        if self._thread is not None:
            return self
        self.bind()
        assert self._httpd is not None
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, name="demo-server", daemon=True
        )
        self._thread.start()
        log.info("demo marketplace listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        if thread is not None:
            httpd.shutdown()
            thread.join(timeout=5)
        with httpd.connections_lock:
            open_connections = list(httpd.connections)
        for conn in open_connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        self._httpd = None
        self._thread = None

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted."""
        self.bind()
        assert self._httpd is not None
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def without_listings(catalog: Catalog, listing_ids: Iterable[str]) -> Catalog:
    """The catalog with these platform listing ids taken down, on every platform that has them."""
    gone = frozenset(listing_ids)
    return Catalog(seed=catalog.seed, sellers=catalog.sellers,
                   listings=tuple(x for x in catalog.listings if x.listing_id not in gone))


def serve_forever(port: int, seed: int = DEFAULT_SEED, removed: Iterable[str] = ()) -> None:
    """Run the demo marketplace on 127.0.0.1:`port` until Ctrl-C (`listingwatch demo-server`)."""
    server = DemoServer(build_catalog(seed), port=port, removed=removed)
    server.bind()
    catalog = server.catalog
    gone = f", {len(server.removed)} listing id(s) shown as removed" if server.removed else ""
    print(
        f"demo marketplace on {server.base_url}/ ({len(catalog.sellers)} sellers, "
        f"{len(catalog.listings)} listings, seed {seed}{gone}); Ctrl-C to stop",
        flush=True,
    )
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo.server", description="Run the demo marketplace.")
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="catalog seed")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    serve_forever(args.port, seed=args.seed)
    return 0


__all__ = ["WEB_PAGE_SIZE", "DemoServer", "Response", "json_for_script", "main", "route", "serve_forever"]

if __name__ == "__main__":
    raise SystemExit(main())
