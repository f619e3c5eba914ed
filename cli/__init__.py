"""The `listingwatch` command line, one module per command group (DESIGN §5).

`cli.app` holds the root Typer app and what the groups share; each module below adds its
commands to it when imported. Typer lists the root's commands, then its groups, in the
order they were registered, so the order of these imports is the order of `--help`.
"""

from __future__ import annotations

import logging
import os
import sys

# isort: off
from cli import records, scan  # parse, score; demo-server, demo, scan, rescore, crawl-worker
from cli import evaluate  # eval
from cli import learn  # learn (and the `model` group)
from cli import schedule  # schedule, scan-seller
from cli import serve  # serve
from cli import queue, export, db, users, tokens, rules, evidence, takedown, networks, alerts  # the groups, as named in --help
# isort: on
# Not `from cli.app import app`: a name `app` here would hide the module `cli.app` (the
# root Typer app is `cli.app.app`, re-exported by listingwatch.py).
import cli.app as _root

__all__ = [
    "alerts", "db", "evaluate", "evidence", "export", "learn", "main", "networks", "queue", "records", "rules", "scan",
    "schedule", "serve", "takedown", "tokens", "users",
]


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    try:
        _root.app()
    except Exception as exc:
        from storage.db_errors import database_problem

        problem = database_problem(exc)
        if problem is None:
            from crawler.logs import current_format

            if current_format() != "json":
                raise
            # With JSON logs the traceback is one line's `exception` field, not raw text.
            logging.getLogger("listingwatch.cli").critical("unhandled error: %s", exc, exc_info=True)
            sys.exit(1)
        _root.err.print(f"error: database: {problem}", markup=False)
        sys.exit(1)
