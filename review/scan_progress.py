"""Progress of a scan that runs in this process, for `listingwatch demo` (issue 14 item 15).

`make demo` was silent for about 100 s. The scan runs in a thread; this module reads what
the crawl children already write to the database while they work (the run's
``counts.progress``: pages, listings) and the evidence rows captured for the run, and
shows them: a live rich bar on a terminal, a plain line per change otherwise (CI logs).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rich.console import Console
from sqlalchemy import func, select

from storage.db import session_factory
from storage.models import Evidence, ScanRun


@dataclass(frozen=True, slots=True)
class RunProgress:
    run_id: int
    status: str
    pages: int
    listings: int
    evidence: int
    crawled: bool  # every crawl has finished: scoring, queueing and evidence follow

    def phase(self) -> str:
        if self.status != "running":
            return self.status
        if not self.crawled:
            return "crawling"
        return "capturing evidence" if self.evidence > 0 else "scoring and queueing"

    def line(self) -> str:
        return (f"scan run {self.run_id} {self.phase()}: pages {self.pages}, listings {self.listings}, "
                f"evidence captures {self.evidence}")


def latest_run_progress(db_url: str, kind: str, since: datetime) -> RunProgress | None:
    """The newest run of ``kind`` started at or after ``since``, or None before it starts."""
    with session_factory(db_url)() as session:
        run = session.scalar(
            select(ScanRun).where(ScanRun.kind == kind, ScanRun.started_at >= since)
            .order_by(ScanRun.id.desc()).limit(1)
        )
        if run is None:
            return None
        progress: dict[str, Any] = (run.counts or {}).get("progress") or {}
        captured = session.scalar(select(func.count()).select_from(Evidence).where(Evidence.scan_run_id == run.id))
        return RunProgress(
            run_id=run.id,
            status=run.status,
            pages=int(progress.get("pages", 0) or 0),
            listings=int(progress.get("listings", 0) or 0),
            evidence=int(captured or 0),
            crawled=bool(progress.get("final")),
        )


def show_while(worker: threading.Thread, db_url: str, kind: str, since: datetime, console: Console,
               poll: float = 1.0) -> None:
    """Show the run's progress until ``worker`` (running the scan) ends."""
    last: RunProgress | None = None

    def changed() -> RunProgress | None:
        nonlocal last
        now = latest_run_progress(db_url, kind, since)
        if now is None or now == last:
            return None
        last = now
        return now

    if not console.is_terminal:
        while worker.is_alive():
            worker.join(poll)
            current = changed()
            if current is not None:
                console.print(current.line(), markup=False)
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("starting the demo scan", total=None)
        while worker.is_alive():
            worker.join(poll)
            current = changed()
            if current is not None:
                bar.update(task, description=current.line())
