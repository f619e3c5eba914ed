"""Fixtures for the web app tests.

`small_template`: a few scored listings (seconds), built once per worker. `demo_template`:
the real demo scan (about a minute), built once per test run and shared by the xdist
workers through a file lock. Each test gets its own copy of the database file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from filelock import FileLock

import review.users
from review.web import create_app
from tests.web.web_client import settings
from tests.web.web_seed import copy_db, seed_demo, seed_small

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


@pytest.fixture
def client(small_db: str) -> Iterator[TestClient]:
    with TestClient(create_app(small_db, settings=settings()), follow_redirects=False) as c:
        yield c
