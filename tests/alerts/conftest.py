"""A real SMTP server (aiosmtpd) and an HTTP receiver, both on 127.0.0.1, for alert tests."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def _free_port() -> int:
    # aiosmtpd's controller checks its port by connecting to it, so port 0 cannot be used.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class SMTP:
    def __init__(self, mailbox: Mailbox, port: int) -> None:
        self.mailbox, self.port = mailbox, port

    @property
    def url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=listingwatch@example.org&to=qltt@example.org&mode=insecure"


@pytest.fixture
def smtp() -> Iterator[SMTP]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield SMTP(mailbox, controller.port)
    finally:
        controller.stop()


class Webhook:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.posts: list[dict[str, Any]] = []
        self.fail_next = 0  # answer this many POSTs with 503

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    holder: dict[str, Webhook] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            hook = holder["hook"]
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if hook.fail_next > 0:
                hook.fail_next -= 1
                self.send_response(503)
            else:
                hook.posts.append({"path": self.path, **json.loads(body)})
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder["hook"] = Webhook(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder["hook"]
    finally:
        server.shutdown()
        server.server_close()
