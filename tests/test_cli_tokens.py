"""`listingwatch token create|list|revoke` (issue 17 item 4): printed once, kept hashed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from listingwatch import app
from review.api_tokens import caller_for, digest
from review.users import create_user, find_user, set_active
from storage.db import session_factory, upgrade
from storage.models import ApiToken

runner = CliRunner()


def _db(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 't.db'}"
    upgrade(db)
    with session_factory(db)() as session, session.begin():
        create_user(session, "lan", "inspector", "a long passphrase")
        create_user(session, "minh", "analyst", "another long passphrase")
    return db


def test_token_create_prints_the_token_once_on_its_last_line(tmp_path: Path) -> None:
    db = _db(tmp_path)
    made = runner.invoke(app, ["token", "create", "lan", "--scope", "write", "--name", "nightly script", "--db", db])
    assert made.exit_code == 0, made.output
    token = made.stdout.splitlines()[-1]
    assert token.startswith("lw_") and len(token) > 40
    assert (made.stdout + made.stderr).count(token) == 1
    with session_factory(db)() as session:
        row = session.scalars(select(ApiToken)).one()
        assert row.token_hash == digest(token) and token not in (row.token_hash, row.prefix)
        assert row.scope == "write" and row.name == "nightly script" and row.created_by == "cli"
        caller = caller_for(session, token)
        assert caller is not None and caller.user.name == "lan" and caller.scope == "write"

    listed = runner.invoke(app, ["token", "list", "--db", db])
    assert listed.exit_code == 0, listed.output
    fields = listed.stdout.splitlines()[0].split("\t")
    assert fields[:5] == [str(row.id), "lan", "write", row.prefix + "…", "active"]
    assert token not in listed.output

    revoked = runner.invoke(app, ["token", "revoke", str(row.id), "--db", db])
    assert revoked.exit_code == 0, revoked.output
    assert "\trevoked\t" in runner.invoke(app, ["token", "list", "--db", db]).stdout
    with session_factory(db)() as session:
        assert caller_for(session, token) is None


def test_token_create_refuses_bad_scopes_unknown_and_deactivated_users(tmp_path: Path) -> None:
    db = _db(tmp_path)
    assert runner.invoke(app, ["token", "create", "lan", "--scope", "admin", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["token", "create", "nobody", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["token", "revoke", "42", "--db", db]).exit_code == 2
    made = runner.invoke(app, ["token", "create", "minh", "--db", db])
    token = made.stdout.splitlines()[-1]
    with session_factory(db)() as session, session.begin():
        set_active(session, find_user(session, "minh"), False)
    with session_factory(db)() as session:
        assert caller_for(session, token) is None  # a deactivated user's tokens stop working
    refused = runner.invoke(app, ["token", "create", "minh", "--db", db])
    assert refused.exit_code == 2 and "deactivated" in refused.output
    assert "\tinactive\t" in runner.invoke(app, ["token", "list", "--user", "minh", "--db", db]).stdout
    with session_factory(db)() as session:
        assert session.scalar(select(ApiToken.id).where(ApiToken.token_hash == digest(token))) is not None
