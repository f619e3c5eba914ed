"""What web tests use to talk to the app: settings, log-in and CSRF-carrying posts, a live server.

A plain module, not the conftest: test modules import it by its package path, so any mix of
test folders collects (a bare ``from conftest import`` finds whichever conftest came first).
"""

from __future__ import annotations

import re
import socket
import threading
import time

from fastapi.testclient import TestClient

from review.web import WebSettings, create_app
from tests.web.web_seed import PASSWORD

SECRET = "test-secret-key-0123456789abcdef"


def public_resolver(host: str) -> list[str]:
    """Scan-URL checks in tests resolve every host to one public address (no DNS traffic)."""
    return ["14.225.0.1"]


def settings(**changes: object) -> WebSettings:
    base = WebSettings(secret_key=SECRET, scan_url_resolver=public_resolver)
    for key, value in changes.items():
        setattr(base, key, value)
    return base


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found is not None, "no CSRF field in the page"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> None:
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"name": name, "password": password, "csrf_token": token})
    assert response.status_code == 303, response.text[-500:]


def post(client: TestClient, url: str, data: dict[str, str], page: str = "/queue") -> object:
    """A form post as the browser sends it: with the CSRF token of a page just loaded."""
    token = csrf_of(client.get(page).text)
    return client.post(url, data={**data, "csrf_token": token})


class LiveServer:
    """uvicorn serving the app on 127.0.0.1:<free port> in a thread."""

    def __init__(self, db_url: str, **changes: object) -> None:
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        app = create_app(db_url, settings=settings(**changes))
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.base_url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

