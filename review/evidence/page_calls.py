"""The API calls a listing page makes while it is captured (issue 14, item 2).

A page that renders its listing from an API (Shopee's ``api/v4/item/get``, TikTok Shop) holds
no title or price in its own HTML: the listing is in the fetch / XHR responses. `PageCalls`
watches the page's requests while it loads, waits (bounded) for the calls it started to finish,
and hands the finished ones over as `HttpExchange`s for the listing's WARC.

It only listens: every request is still the browser's own, made through the address-guard
proxy the capture's Chromium runs behind, so nothing here can reach an address the policy
refuses (a refused call fails in the browser and is counted as failed, not archived).
"""

from __future__ import annotations

import logging
import time
from types import TracebackType
from typing import Any, Final

from crawler.evidence import HttpExchange, http_headers_list

log = logging.getLogger("listingwatch.evidence")

#: Requests a page script makes for data; documents, scripts, styles and images are not them.
API_RESOURCE_TYPES: Final = frozenset({"fetch", "xhr"})
_POLL_MS: Final = 50


class PageCalls:
    """Records the fetch / XHR exchanges of one page capture (use as a context manager)."""

    def __init__(self, page: Any, *, limit: int, max_bytes: int) -> None:
        self._page = page
        self._limit = limit
        self._max_bytes = max_bytes
        self._pending: list[Any] = []  # Playwright Request objects still in flight
        self._finished: list[Any] = []
        self.failed = 0  # calls that got no response (refused by the guard, network error)
        self.skipped = 0  # calls over the count or size cap (counted, not archived)

    def __enter__(self) -> PageCalls:
        self._page.on("request", self._on_request)
        self._page.on("requestfinished", self._on_finished)
        self._page.on("requestfailed", self._on_failed)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._page.remove_listener("request", self._on_request)
        self._page.remove_listener("requestfinished", self._on_finished)
        self._page.remove_listener("requestfailed", self._on_failed)

    def _on_request(self, request: Any) -> None:
        if request.resource_type in API_RESOURCE_TYPES:
            self._pending.append(request)

    def _forget(self, request: Any) -> bool:
        for i, pending in enumerate(self._pending):
            if pending is request:
                del self._pending[i]
                return True
        return False

    def _on_finished(self, request: Any) -> None:
        if self._forget(request):
            self._finished.append(request)

    def _on_failed(self, request: Any) -> None:
        if self._forget(request):
            self.failed += 1

    def wait(self, timeout_ms: float) -> None:
        """Let the page finish the calls it started (its listing arrives with them), at most
        ``timeout_ms``; a call still open then is left out and counted as failed."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self._pending and time.monotonic() < deadline:
            self._page.wait_for_timeout(_POLL_MS)  # lets Playwright deliver the events
        if self._pending:
            log.warning("evidence capture: %d API call(s) still open, not archived", len(self._pending))
            self.failed += len(self._pending)
            self._pending.clear()

    def exchanges(self) -> list[HttpExchange]:
        """The finished calls in the order the page made them, with their bodies."""
        out: list[HttpExchange] = []
        for request in self._finished:
            if request.redirected_to is not None:
                continue  # a redirect hop has no body; the request it led to is archived
            if len(out) >= self._limit:
                self.skipped += 1
                continue
            response = request.response()
            if response is None:
                self.failed += 1
                continue
            try:
                body: bytes = response.body()
            except Exception as exc:  # e.g. a redirect hop has no body: the hop after it does
                log.info("evidence capture: no body for %s: %s", request.url, exc)
                self.failed += 1
                continue
            if len(body) > self._max_bytes:
                self.skipped += 1
                continue
            out.append(HttpExchange(
                url=request.url, method=request.method,
                request_headers=[(k, v) for k, v in request.all_headers().items()
                                 if not k.startswith(":")],
                request_body=request.post_data_buffer,
                status=response.status, reason=response.status_text,
                response_headers=http_headers_list(response.headers_array()), body=body,
            ))
        return out
