"""Chromium: the one launcher, and the request policy of Playwright crawls.

`launch_chromium` starts headless Chromium with the crawler's launch options
(``PLAYWRIGHT_LAUNCH_OPTIONS``: Debian's binary, ``--no-sandbox`` and friends, DESIGN §4.1) for
every synchronous user: evidence capture, the report's PDF and the browser tests. Spiders
get the same options through scrapy-playwright's settings.

Request policy (``PLAYWRIGHT_ABORT_REQUEST``):

Images, fonts and media are never fetched (the page's API JSON is what we read). When a
spider crawls the local demo it calls `restrict_to_hosts` so the browser cannot send a
single request anywhere but 127.0.0.1, whatever the page tries to load.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Request as PlaywrightRequest

SKIPPED_RESOURCE_TYPES = frozenset({"image", "media", "font"})

_allowed_hosts: frozenset[str] | None = None


def restrict_to_hosts(hosts: frozenset[str] | None) -> None:
    """Abort every browser request to a host outside ``hosts`` (``None``: no restriction)."""
    global _allowed_hosts
    _allowed_hosts = hosts


def abort_request(request: PlaywrightRequest) -> bool:
    if request.resource_type in SKIPPED_RESOURCE_TYPES:
        return True
    if _allowed_hosts is not None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in _allowed_hosts:
            return True
    return False


class ChromiumMissing(RuntimeError):
    """No Chromium binary where the settings say (``LISTINGWATCH_CHROMIUM``)."""


def chromium_path() -> str:
    from crawler import settings

    return str(settings.PLAYWRIGHT_LAUNCH_OPTIONS["executable_path"])


def chromium_available() -> bool:
    return Path(chromium_path()).exists()


@contextmanager
def launch_chromium(playwright: Any, *, proxy: dict[str, Any] | None = None) -> Iterator[Any]:
    """A headless Chromium of a sync ``playwright`` driver, launched as the crawler launches
    it; closed on exit. Raises `ChromiumMissing` naming the path it looked at. ``proxy``:
    Playwright's proxy option (`crawler.guard_proxy.GuardProxy.playwright_option`)."""
    from crawler import settings

    options = dict(settings.PLAYWRIGHT_LAUNCH_OPTIONS)
    if not Path(str(options["executable_path"])).exists():
        raise ChromiumMissing(f"no Chromium at {options['executable_path']} (set LISTINGWATCH_CHROMIUM)")
    if proxy is not None:
        options["proxy"] = proxy
    browser = playwright.chromium.launch(**{**options, "args": list(options["args"]), "headless": True})
    try:
        yield browser
    finally:
        browser.close()
