"""Scan runs across processes: ownership, the no-overlap guard, stale-run recovery, progress.

A scan run is started by one process (the daemon, `listingwatch scan`, a web request's
worker) and written to by others (its crawl children and crawl workers). This module keeps
the rules they share in one place:

- every run records its owner (host, pid, the process's start time); `recover_stale` marks
  runs whose owner is gone as ``failed`` (a restart after a crash or SIGKILL);
- `start_run` with a ``job_id`` takes a database lock (PostgreSQL advisory lock / SQLite
  ``BEGIN IMMEDIATE``) around "is a run of this job still running?", so no job overlaps
  itself even with two daemons on one database;
- crawls write their part of the run's ``counts.progress`` (`record_progress`), and
  `request_progress` reads where an on-demand request stands; `cancel_queued` drops one
  nobody took yet.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from storage import repo
from storage.db import SQLITE_BEGIN_OPTION, session_factory
from storage.models import Listing, ScanRequest, ScanRun

log = logging.getLogger("listingwatch.scan")


#: A running run older than its crawl timeout plus this is stale even if its owner is on
#: another machine (we cannot see that machine's processes).
STALE_MARGIN_S = 600.0


class ScanAlreadyRunning(RuntimeError):
    """Another run of the same job is still running (this daemon or another one)."""

    def __init__(self, job_id: str, run_id: int) -> None:
        super().__init__(f"job {job_id} is already running as scan run {run_id}; not starting it twice")
        self.job_id = job_id
        self.run_id = run_id


class ScanStopped(Exception):
    """The daemon is stopping (SIGTERM): the run ends `failed`, reason `stopped`."""


class StopRequest(threading.Event):
    """A stop event that says why, for the run's reason: `demo` and `scan-seller --wait` set it
    from their SIGTERM / Ctrl-C handler while the scan runs in a worker thread."""

    def __init__(self) -> None:
        super().__init__()
        self.reason = "stopped"

    def stop(self, reason: str) -> None:
        self.reason = reason
        self.set()


class ScanInterrupted(BaseException):
    """Raised by a CLI's SIGTERM handler wherever the scan is (crawl, scoring, evidence
    capture): a BaseException, so that no ``except Exception`` on the way (capture never
    raises) swallows it. The run ends `failed`, reason `interrupted`, and the signal is
    re-raised as the exception after the run is recorded."""


def _proc_start(pid: int) -> str | None:
    """The kernel's start time of a process (Linux), to tell a live owner from a reused pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22 (starttime) counted after the parenthesised command name, which may hold spaces.
    fields = stat[stat.rfind(")") + 2:].split()
    return fields[19] if len(fields) > 19 else None


def owner_info() -> dict[str, Any]:
    pid = os.getpid()
    return {"host": socket.gethostname(), "pid": pid, "proc_start": _proc_start(pid)}


def _owner_alive(owner: dict[str, Any]) -> bool | None:
    """True/False for an owner on this host; None when it is on another host (unknowable)."""
    if owner.get("host") != socket.gethostname():
        return None
    pid = owner.get("pid")
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    started = owner.get("proc_start")
    return started is None or started == _proc_start(pid)


def _run_is_stale(run: ScanRun, now: datetime, stale_after: float) -> str | None:
    owner = (run.params or {}).get("owner") or {}
    alive = _owner_alive(owner)
    if alive is False:
        return f"stopped: the process that ran it (pid {owner.get('pid')} on {owner.get('host')}) is gone"
    if alive is None and now - run.started_at > timedelta(seconds=stale_after):
        return f"stopped: still 'running' {stale_after:.0f}s after its start, owner {owner.get('host')} silent"
    return None


def _lock_key(name: str) -> int:
    """A stable signed 64-bit key for a PostgreSQL advisory lock."""
    return int.from_bytes(zlib.crc32(b"listingwatch") .to_bytes(4, "big") + zlib.crc32(name.encode()).to_bytes(4, "big"),
                          "big", signed=True)


@contextlib.contextmanager
def locked_session(db_url: str, lock_name: str) -> Iterator[Session]:
    """A transaction that holds a write lock for its whole life: PostgreSQL advisory lock on
    ``lock_name`` (released at commit), SQLite ``BEGIN IMMEDIATE`` (the database write lock)."""
    sessions = session_factory(db_url)
    with sessions() as session, session.begin():
        if session.get_bind().dialect.name == "sqlite":
            session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        else:
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(lock_name)})
        yield session


@contextlib.contextmanager
def job_lock(db_url: str, name: str) -> Iterator[bool]:
    """Hold an exclusive lock named ``name`` for as long as a job runs, across processes on one
    database; yields whether it was taken (False: another process runs the job now; skip it).

    For jobs that are not scan runs (the takedown removal check): a transaction lock would
    block every writer for the job's minutes. PostgreSQL: a session advisory lock on a
    connection of its own; SQLite (one machine by nature): ``flock`` on a file beside the
    database; an in-memory database has one process and needs none."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    from storage.db import make_engine, normalize_url

    url = make_url(normalize_url(db_url))
    if url.get_backend_name() == "postgresql":
        engine = make_engine(db_url, poolclass=NullPool)  # the lock lives and dies with this connection
        try:
            with engine.connect() as conn:
                # Per schema: installations (and parallel test schemas) sharing a server are apart.
                key = _lock_key(f"lock:{name}:{conn.execute(text('SELECT current_schema()')).scalar()}")
                taken = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar())
                conn.commit()
                try:
                    yield taken
                finally:
                    # A connection lost meanwhile has dropped the lock with it: the job's own
                    # result (or error) must not be replaced by the failed unlock's.
                    if taken:
                        with contextlib.suppress(Exception):
                            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                            conn.commit()
        finally:
            engine.dispose()
        return
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        yield True
        return
    import fcntl

    path = Path(database).expanduser().with_name(f"{Path(database).name}.{name.replace(':', '-')}.lock")
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def start_run(
    db_url: str, *, kind: str, platform: str | None, params: dict[str, Any], job_id: str | None = None,
    stale_after: float = 3600.0,
) -> int:
    """Start a scan run (status `running`) owned by this process; with ``job_id``, only if no
    other run of that job is still running (checked and inserted under one lock)."""
    with locked_session(db_url, f"job:{job_id}") as session:
        if job_id is not None:
            now = datetime.now(UTC)
            running = session.scalars(
                select(ScanRun).where(ScanRun.status == "running", ScanRun.kind == kind)
            ).all()
            for run in running:
                if (run.params or {}).get("job_id") != job_id:
                    continue
                stale = _run_is_stale(run, now, stale_after)
                if stale is None:
                    raise ScanAlreadyRunning(job_id, run.id)
                repo.finish_scan_run(session, run.id, status="failed", reason=stale)
        full = {**params, "owner": owner_info()}
        if job_id is not None:
            full["job_id"] = job_id
        return repo.start_scan_run(session, kind=kind, platform=platform, params=full).id


def recover_stale(db_url: str, *, stale_after: float = 3 * 3600 + STALE_MARGIN_S) -> list[int]:
    """Mark `running` runs whose owner process is gone as `failed` (a restart after a crash or
    SIGKILL), and their seller-scan requests too. Returns the run ids marked."""
    marked: list[int] = []
    now = datetime.now(UTC)
    with locked_session(db_url, "recover") as session:
        for stale_run in session.scalars(select(ScanRun).where(ScanRun.status == "running")).all():
            reason = _run_is_stale(stale_run, now, stale_after)
            if reason is None:
                continue
            repo.finish_scan_run(session, stale_run.id, status="failed", reason=reason)
            marked.append(stale_run.id)
            log.warning("scan run %s marked failed: %s", stale_run.id, reason)
        for request in session.scalars(select(ScanRequest).where(ScanRequest.status == "running")).all():
            run = session.get(ScanRun, request.scan_run_id) if request.scan_run_id is not None else None
            if run is not None and run.status != "running":
                repo.finish_scan_request(session, request.id, "failed",
                                         error=f"the worker stopped during the scan ({run.reason}); ask again")
    return marked


PROGRESS_SUMS = ("pages", "requests", "listings")


def progress_key(role: str, index: int, spider: str) -> str:
    """The name of one crawl's part of ``counts.progress``: process role, spec index, spider."""
    return f"{role}:{index}:{spider}"


def merge_progress(progress: dict[str, Any] | None, key: str, part: dict[str, Any]) -> dict[str, Any]:
    """``progress`` with crawl ``key``'s part replaced and the totals summed over all parts.

    ``final`` is true when every part that has reported so far is final (a crawl that has
    not started yet has no part)."""
    parts = dict((progress or {}).get("parts") or {})
    parts[key] = dict(part)
    merged: dict[str, Any] = {name: sum(int(p.get(name, 0) or 0) for p in parts.values()) for name in PROGRESS_SUMS}
    merged["final"] = all(bool(p.get("final")) for p in parts.values())
    merged["parts"] = parts
    return merged


def record_progress(db_url: str, run_id: int, key: str, part: dict[str, Any]) -> None:
    """Write crawl ``key``'s part of run ``run_id``'s ``counts.progress`` while it is running.

    Several crawls write the same row (the platforms of one run, the coordinator and its
    crawl workers), so the read-modify-write holds the row: ``SELECT ... FOR UPDATE`` on
    PostgreSQL, the database write lock (``BEGIN IMMEDIATE``) on SQLite."""
    with session_factory(db_url)() as session, session.begin():
        if session.get_bind().dialect.name == "sqlite":
            session.connection(execution_options={SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        run = session.get(ScanRun, run_id, with_for_update=True, populate_existing=True)
        if run is not None and run.status == "running":
            counts = dict(run.counts or {})
            run.counts = {**counts, "progress": merge_progress(counts.get("progress"), key, part)}


@dataclass
class Progress:
    status: str  # queued | running | done | failed | refused
    run_id: int | None
    pages: int
    listings: int
    flagged: int


def request_progress(db_url: str, request_id: int) -> Progress:
    """Where a request stands: its status and, once its run started, pages / listings / flagged."""
    with session_factory(db_url)() as session:
        request = session.get(ScanRequest, request_id, populate_existing=True)
        if request is None:
            raise LookupError(f"scan request {request_id} does not exist")
        pages = listings = flagged = 0
        if request.scan_run_id is not None:
            run = session.get(ScanRun, request.scan_run_id, populate_existing=True)
            progress = ((run.counts or {}) if run is not None else {}).get("progress") or {}
            pages = int(progress.get("pages", 0))
            rows = session.execute(
                select(func.count(), func.count().filter(Listing.flagged.is_(True)))
                .where(Listing.last_scan_run_id == request.scan_run_id)
            ).one()
            stored, flagged = int(rows[0]), int(rows[1])
            # The crawls count what they emitted: ahead of the pipeline's batches while they
            # run, but a listing met twice (a search page and its shop's page) is one listing
            # stored. Once every crawl is final, the stored count is the exact one.
            emitted = int(progress.get("listings", 0))
            listings = stored if progress.get("final") is True else max(stored, emitted)
        return Progress(request.status, request.scan_run_id, pages, listings, flagged)


def cancel_queued(db_url: str, request_id: int, reason: str) -> None:
    """Drop a request nobody took yet (e.g. the inspector pressed Ctrl-C while waiting)."""
    with session_factory(db_url)() as session, session.begin():
        session.execute(update(ScanRequest).where(ScanRequest.id == request_id, ScanRequest.status == "queued")
                        .values(status="failed", error=reason, finished_at=datetime.now(UTC)))
