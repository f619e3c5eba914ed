"""`db upgrade`: the database schema."""

from __future__ import annotations

import typer

from cli.app import DbOption, _db_url, _redact, app, err

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the database schema to the newest version."""
    from storage.db import upgrade

    url = _db_url(db)
    upgrade(url)
    err.print(f"database schema is current ({_redact(url)})", markup=False)
