"""Shared fixtures for the demo marketplace tests: one catalog, one server, the brand rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from demo.catalog import Catalog, build_catalog
from demo.server import DemoServer
from tests.demo.demo_helpers import BRANDS_YAML


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return build_catalog()


@pytest.fixture(scope="session")
def brands() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(BRANDS_YAML.read_text(encoding="utf-8"))
    return {b["name"]: b for b in data["brands"]}


@pytest.fixture(scope="session")
def server(catalog: Catalog) -> Iterator[DemoServer]:
    with DemoServer(catalog) as running:
        yield running


@pytest.fixture(scope="session")
def client(server: DemoServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, timeout=10) as http:
        yield http
