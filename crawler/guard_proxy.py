"""A loopback HTTP proxy that every Chromium request goes through, checked by `AddressPolicy`.

A Playwright route handler is not enough: it is not called for redirect hops (Chromium follows a
302 to any address without asking), and Chromium resolves the host again after the handler
looked at it. Every request of the browser (page, sub-resources, redirects, fetch/XHR,
WebSocket tunnels) reaches this proxy instead; it resolves the host, checks the addresses and
connects to exactly the address it checked. A refused request gets no answer at all (the
connection is closed), so Chromium reports a network error and nothing of it can be stored as
a page.
"""

from __future__ import annotations

import contextlib
import logging
import selectors
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from crawler.address_policy import AddressPolicy, RefusedAddress

log = logging.getLogger("listingwatch.guard")

HEAD_LIMIT = 64 * 1024
CONNECT_TIMEOUT = 15.0
IDLE_TIMEOUT = 120.0
#: Headers meant for the proxy (or for a connection it replaces), never forwarded.
HOP_HEADERS = frozenset({b"proxy-connection", b"proxy-authorization", b"connection", b"keep-alive"})

RefusedCallback = Callable[[str, str], None]  # (what was asked, why refused)


def _read_head(sock: socket.socket) -> tuple[bytes, bytes] | None:
    """The request head (up to the blank line) and the bytes read after it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(8192)
        if not chunk or len(data) > HEAD_LIMIT:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _split_authority(authority: str) -> tuple[str, int]:
    parts = urlsplit("//" + authority)
    if parts.hostname is None or parts.port is None:
        raise RefusedAddress(f"refused: bad CONNECT target {authority!r}")
    return parts.hostname, parts.port


def _connect(addresses: list[str], port: int) -> socket.socket:
    last: OSError | None = None
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout=CONNECT_TIMEOUT)
        except OSError as exc:
            last = exc
    raise last or OSError("no address to connect to")


def _pipe(a: socket.socket, b: socket.socket) -> None:
    """Copy bytes both ways until one side closes or both are idle for IDLE_TIMEOUT."""
    with selectors.DefaultSelector() as selector:
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        while True:
            ready = selector.select(IDLE_TIMEOUT)
            if not ready:
                return
            for key, _ in ready:
                source: socket.socket = key.fileobj  # type: ignore[assignment]
                try:
                    chunk = source.recv(65536)
                    if not chunk:
                        return
                    key.data.sendall(chunk)
                except OSError:
                    return


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        client: socket.socket = self.request
        client.settimeout(CONNECT_TIMEOUT)
        found = _read_head(client)
        if found is None:
            return
        head, rest = found
        lines = head.split(b"\r\n")
        try:
            method, target, version = lines[0].decode("latin-1").split(" ", 2)
        except ValueError:
            return
        try:
            if method.upper() == "CONNECT":
                host, port = _split_authority(target)
                # No scheme in a tunnel (https or a ws/wss upgrade): host and port decide.
                addresses = self.server.policy.check(None, host, port)
            else:
                parts = urlsplit(target)
                addresses = self.server.policy.check_url(target)
                host, port = parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
        except RefusedAddress as exc:
            self.server.refuse(target, str(exc))
            return  # closed without an answer: a network error in Chromium, never a page
        try:
            upstream = _connect(addresses, port)
        except OSError as exc:
            log.info("proxy: cannot reach %s: %s", target, exc)
            return
        with upstream:
            client.settimeout(None)
            upstream.settimeout(None)
            if method.upper() == "CONNECT":
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                if rest:
                    upstream.sendall(rest)
            else:
                upstream.sendall(self._origin_form(method, target, version, lines[1:]) + rest)
            _pipe(client, upstream)

    @staticmethod
    def _origin_form(method: str, target: str, version: str, headers: list[bytes]) -> bytes:
        """The request as the origin server expects it; one request per connection
        (``Connection: close``), so a reused proxy connection never reaches an unchecked host."""
        parts = urlsplit(target)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        kept = [h for h in headers if h.split(b":", 1)[0].strip().lower() not in HOP_HEADERS]
        return b"\r\n".join([f"{method} {path} {version}".encode("latin-1"), *kept, b"Connection: close", b"", b""])


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, policy: AddressPolicy, on_refused: RefusedCallback | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.policy = policy
        self.on_refused = on_refused
        self.refused: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def refuse(self, target: str, reason: str) -> None:
        with self._lock:
            self.refused.append((target, reason))
        log.warning("browser request refused url=%s reason=%s", target, reason)
        if self.on_refused is not None:
            self.on_refused(target, reason)


class GuardProxy:
    """The proxy of one browser; ``server`` is what Playwright's ``proxy`` option takes."""

    def __init__(self, policy: AddressPolicy, on_refused: RefusedCallback | None = None) -> None:
        self._server = _Server(policy, on_refused)
        self._thread = threading.Thread(target=self._server.serve_forever, name="listingwatch-guard-proxy",
                                        daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def server(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def refused(self) -> list[tuple[str, str]]:
        with self._server._lock:
            return list(self._server.refused)

    def set_on_refused(self, callback: RefusedCallback | None) -> None:
        self._server.on_refused = callback

    def playwright_option(self) -> dict[str, Any]:
        # Playwright adds "<-loopback>" to the bypass list, so loopback requests use it too.
        return {"server": self.server}

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextlib.contextmanager
def guard_proxy(policy: AddressPolicy, on_refused: RefusedCallback | None = None) -> Iterator[GuardProxy]:
    proxy = GuardProxy(policy, on_refused)
    try:
        yield proxy
    finally:
        proxy.close()
