"""The root Typer `app` and what every command group shares: the consoles, the --db /
--rules / --actor options, `fail` (a message and an exit code, at the edge) and the small
helpers that turn those options into a database URL, a session factory, a rule set or an
acting user (DESIGN §5)."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

app = typer.Typer(
    name="listingwatch",
    help="Find counterfeit goods sold online: crawl, score, queue for QLTT review, export.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", help="Folder of rules YAML (default: $LISTINGWATCH_RULES or the packaged rules)."),
]
DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: $LISTINGWATCH_DB_URL or sqlite:///var/listingwatch.db)."),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", markup=True)
    return typer.Exit(code)


class LogFormat(StrEnum):
    text = "text"
    json = "json"


def _setup_logging(verbose: bool, log_format: LogFormat = LogFormat.text) -> None:
    """One handler on the root logger for every command (text as before, or JSON lines:
    `crawler.logs`); with JSON, what the commands print for people on stderr goes through it
    too, so that every line of stderr is one JSON object."""
    from crawler.logs import LogLines, configure

    installed = configure(log_format.value, logging.DEBUG if verbose else logging.INFO)
    if installed and log_format is LogFormat.json:
        err.file = LogLines("listingwatch.cli")  # type: ignore[assignment]  # a text stream, as rich needs


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
    log_format: Annotated[LogFormat, typer.Option(
        "--log-format", envvar="LISTINGWATCH_LOG_FORMAT", case_sensitive=False,
        help="Log lines on stderr: text, or json (one object per line, for log collectors).")] = LogFormat.text,
) -> None:
    _setup_logging(verbose, log_format)
    # Scrapy and friends are chatty at INFO; our own lines stay.
    for noisy in ("scrapy", "filelock", "asyncio", "py.warnings", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _load_rules(rules_dir: Path | None) -> Any:
    from rules.loader import RulesError, load_rules

    try:
        return load_rules(rules_dir)
    except RulesError as exc:
        raise fail(f"rules: {exc}") from exc


def _db_url(db: str | None) -> str:
    from storage.db import database_url

    return db if db is not None else database_url()


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _sessions(db: str | None) -> Any:
    from storage.db import session_factory

    return session_factory(_db_url(db))


ActorOption = Annotated[
    str | None, typer.Option("--actor", help="Who does this, for the custody log (default: $USER).")
]


def _actor(actor: str | None, db: str | None) -> str:
    """Who acts: a name given with --as / --actor must be an active user; without one, the
    operating-system user who ran the command (as before)."""
    if actor is None:
        name = os.environ.get("USER") or os.environ.get("USERNAME") or "cli"
        return name.strip() or "cli"
    from review.users import UserError, known_actor

    try:
        with _sessions(db)() as session:
            return known_actor(session, actor)
    except UserError as exc:
        raise fail(str(exc), 2) from None


def _recover_stale_runs(db_url: str) -> None:
    """Runs whose owner process is gone (``kill -9``, a full disk, a crash) become `failed` with
    the reason, at the start of every command that looks at runs (issue 14, item 4)."""
    from storage.runs import recover_stale

    for run_id in recover_stale(db_url):
        err.print(f"scan run {run_id} was left running by a process that is gone: marked failed", markup=False)


def _rules_with_watchlist(rules_dir: Path | None, watchlist: Path | None) -> Any:
    """The rules, with another watchlist.yaml in place of the packaged one when given."""
    from rules.loader import RulesError, load_watchlist

    rules = _load_rules(rules_dir)
    if watchlist is not None:
        try:
            rules = rules.model_copy(update={"watchlist": load_watchlist(watchlist)})
        except RulesError as exc:
            raise fail(f"watchlist: {exc}") from exc
    return rules


@contextlib.contextmanager
def _signals_stop(stop: Any) -> Iterator[list[int]]:
    """SIGTERM and Ctrl-C stop a scan that runs in a worker thread (`demo`, `scan-seller --wait`)
    the way the daemon stops its scans: ``stop`` (a `scheduler.StopRequest`) is set with the
    reason the run is marked `failed` with, and this process's crawl children are ended until
    the block is left (a crawl may start just after a first sweep). Yields the signals received;
    a second Ctrl-C gives up waiting (KeyboardInterrupt; the next command marks the run)."""
    import signal
    import threading

    from crawler.run import stop_crawls

    received: list[int] = []
    left = threading.Event()

    def sweep() -> None:
        while not left.is_set():
            stop_crawls()
            left.wait(0.5)

    def on_signal(signum: int, frame: Any) -> None:
        if received and signum == signal.SIGINT:
            raise KeyboardInterrupt
        if not received:
            threading.Thread(target=sweep, name="listingwatch-stop-crawls", daemon=True).start()
        received.append(signum)
        stop.stop(f"interrupted: the {sys.argv[1] if len(sys.argv) > 1 else 'listingwatch'} process "
                  f"got {signal.Signals(signum).name}")
        err.print(f"{signal.Signals(signum).name}: stopping the scan (its run is marked failed)...",
                  markup=False)

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield received
    finally:
        left.set()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _exit_if_signalled(received: list[int], what: str) -> None:
    """After a `_signals_stop` block: exit 128 + the signal (143 for SIGTERM, 130 for Ctrl-C)."""
    if received:
        import signal

        raise fail(f"interrupted ({signal.Signals(received[0]).name}): {what}", 128 + received[0])
