"""The `listingwatch` command line, one module per command group (DESIGN §5).

`cli.app` holds the root Typer app and what the groups share; each module below adds its
commands to it when imported. Typer lists the root's commands, then its groups, in the
order they were registered, so the order of these imports is the order of `--help`.
"""

# isort: off
from cli import records, scan  # parse, score; demo-server, demo, scan, rescore, crawl-worker
from cli import evaluate  # eval
from cli import schedule  # schedule, scan-seller
from cli import serve  # serve
from cli import queue, export, db, users, rules  # the groups: queue, export, db, user, rules
# isort: on
from cli.app import app

__all__ = [
    "app", "db", "evaluate", "export", "queue", "records", "rules", "scan", "schedule", "serve", "users",
]
