"""Browser-side request policy for Playwright crawls (``PLAYWRIGHT_ABORT_REQUEST``).

Images, fonts and media are never fetched (the page's API JSON is what we read). When a
spider crawls the local demo it calls `restrict_to_hosts` so the browser cannot send a
single request anywhere but 127.0.0.1, whatever the page tries to load.
"""

from __future__ import annotations

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
