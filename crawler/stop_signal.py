"""SIGTERM/SIGINT in a crawl child: one graceful stop, whenever the signal comes.

Scrapy's own handlers are installed only "after startup" of the reactor; before that,
Twisted's handler calls ``reactor.stop()`` unguarded, and a second signal (the parent ends
its child twice: once when it is interrupted, once on its way out) or a signal before the
reactor runs printed ``ReactorNotRunning`` tracebacks into the scan's log. This handler is
installed when the child starts, before any import of Twisted, and every stop it asks for
is idempotent: a signal while the child still sets up ends it at once (nothing crawled, nothing
to commit); one after that but before the reactor runs stops it as soon as it starts; later
signals are ignored (the parent SIGKILLs a child that does not end in time).
"""

from __future__ import annotations

import contextlib
import os
import signal
from types import FrameType
from typing import Any

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class StopOnSignal:
    """Install with `install()` first thing in the child; hand the reactor to `attach()`."""

    def __init__(self) -> None:
        self.requested = False
        self._reactor: Any = None

    def install(self) -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)

    def attach(self, reactor: Any) -> None:
        """From now on a signal stops ``reactor``; one that came earlier stops it once it runs."""
        self._reactor = reactor
        reactor.callWhenRunning(self._stop_if_requested)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if self._reactor is None:
            # Still importing and setting up (no crawl, nothing to commit): end at once, as the
            # default action did, rather than after a start-up that may itself hang.
            os._exit(128 + signum)
        if self.requested:
            return
        self.requested = True
        # Only thread-safe calls in a signal handler; the stop itself runs on the reactor.
        self._reactor.callFromThread(self.stop_reactor)

    def _stop_if_requested(self) -> None:
        if self.requested:
            self.stop_reactor()

    def stop_reactor(self, _: Any = None) -> None:
        """Stop the reactor unless it already stops. Scrapy's "before shutdown" trigger closes
        each running spider gracefully, so the pipeline still commits its last batch."""
        from twisted.internet.error import ReactorNotRunning

        reactor = self._reactor
        if reactor is None or not reactor.running:
            return
        with contextlib.suppress(ReactorNotRunning):
            reactor.stop()
