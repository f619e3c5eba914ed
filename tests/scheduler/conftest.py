"""Fixtures for scheduler tests: the demo marketplace and a small watchlist of it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from demo.catalog import Catalog, build_catalog
from demo.server import DemoServer


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return build_catalog()


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server
