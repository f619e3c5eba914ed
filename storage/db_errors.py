"""A database that cannot be used, said in one line (issue 14 item 10).

A mistyped `--db` / `$LISTINGWATCH_DB_URL` printed a 60-150 line traceback. The CLI's
`main` asks `database_problem` about any exception that escapes a command; a database
URL or connection error becomes one line, anything else is still a bug with a traceback.
"""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

HINT = "check --db or $LISTINGWATCH_DB_URL"


def _first_line(text: str) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip() != ""), "")
    return line[:300]


def database_problem(error: BaseException) -> str | None:
    """One line on what is wrong with the database, or None when `error` is not about it."""
    if isinstance(error, sa_exc.NoSuchModuleError):
        return f"unknown database kind in the URL ({_first_line(str(error))}); {HINT}"
    if isinstance(error, sa_exc.ArgumentError):
        return f"not a database URL ({_first_line(str(error))}); {HINT}"
    if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError):
        cause = _first_line(str(error.orig if error.orig is not None else error))
        if "no such table" in cause:
            return f"the database has no schema yet ({cause}); run `listingwatch db upgrade`"
        return f"cannot open the database: {cause}; {HINT}"
    return None
