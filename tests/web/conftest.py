"""Fixtures for the web app tests.

`small_template`: a few scored listings (seconds), built once per worker. `demo_template`:
the real demo scan (about a minute), built once per test run and shared by the xdist
workers through a file lock. Each test gets its own copy of the database file.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from filelock import FileLock

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web_seed import PASSWORD, copy_db, seed_demo, seed_small

import review.users
from review.web import WebSettings, create_app
from review.web.security import RateLimit

SECRET = "test-secret-key-0123456789abcdef"

# Argon2 at production cost is most of a log-in's time; the web tests log in hundreds of
# times. Hashes carry their parameters, so cheap test hashes verify with the same code.
review.users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(scope="session")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small-seed")
    seed_small(f"sqlite:///{folder / 'seed.db'}")
    return folder / "seed.db"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's basetemp is <run>/popen-gwN: the run folder is shared.
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / "web-demo-seed"
    db = folder / "seed.db"
    with FileLock(str(shared / "web-demo-seed.lock")):
        if not (folder / "done").exists():
            folder.mkdir(exist_ok=True)
            for stale in folder.glob("seed.db*"):
                stale.unlink()
            seed_demo(f"sqlite:///{db}")
            (folder / "done").write_text("ok")
    return db


@pytest.fixture
def small_db(small_template: Path, tmp_path: Path) -> str:
    return copy_db(small_template, tmp_path / "web.db")


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> str:
    return copy_db(demo_template, tmp_path / "web.db")


def public_resolver(host: str) -> list[str]:
    """Scan-URL checks in tests resolve every host to one public address (no DNS traffic)."""
    return ["14.225.0.1"]


def settings(**changes: object) -> WebSettings:
    base = WebSettings(secret_key=SECRET, scan_url_resolver=public_resolver)
    for key, value in changes.items():
        setattr(base, key, value)
    return base


@pytest.fixture
def client(small_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(small_db, settings=settings()), follow_redirects=False) as c:
        yield c


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


__all__ = ["LiveServer", "RateLimit", "csrf_of", "login", "post", "settings"]
