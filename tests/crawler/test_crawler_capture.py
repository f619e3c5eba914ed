"""The capture of a browser page's API answers: an answer seen is read before the page is let go."""

from __future__ import annotations

import asyncio

from crawler.spiders.browser_base import Capture


class _SlowAnswer:
    """A Playwright response whose body arrives when the test says so."""

    def __init__(self, url: str, ready: asyncio.Event) -> None:
        self.url, self.status, self._ready = url, 200, ready

    async def body(self) -> bytes:
        await self._ready.wait()
        return b'{"items": []}'

    async def all_headers(self) -> dict[str, str]:
        return {}


def test_settled_waits_for_an_answer_still_being_read() -> None:
    async def run() -> tuple[int, int]:
        capture = Capture(("search_items",))
        ready = asyncio.Event()
        reading = asyncio.create_task(capture.on_response(_SlowAnswer("/api/v4/search/search_items?x", ready)))  # type: ignore[arg-type]
        await asyncio.sleep(0.01)  # the handler has started; the body has not arrived
        before = len(capture.responses)
        asyncio.get_running_loop().call_later(0.1, ready.set)
        await capture.settled(timeout=5)
        after = len(capture.responses)  # before the handler's task is awaited here
        await reading
        return before, after

    before, after = asyncio.run(run())
    assert (before, after) == (0, 1)


def test_settled_gives_up_after_its_timeout_and_ignores_other_answers() -> None:
    async def run() -> tuple[int, int]:
        capture = Capture(("search_items",))
        never = asyncio.Event()
        await capture.on_response(_SlowAnswer("/static/app.js", never))  # type: ignore[arg-type]  # not an API answer
        reading = asyncio.create_task(capture.on_response(_SlowAnswer("/api/v4/search/search_items", never)))  # type: ignore[arg-type]
        await asyncio.sleep(0.01)
        await capture.settled(timeout=0.1)
        in_flight = capture.in_flight
        reading.cancel()
        return in_flight, len(capture.responses)

    assert asyncio.run(run()) == (1, 0)
