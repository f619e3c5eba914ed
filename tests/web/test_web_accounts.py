"""Sessions that end, password changes, login limits, password policy (issue 14 items 7-9)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

import listingwatch
from review.passwords import password_problem
from review.web import create_app
from review.web.app import SESSION_COOKIE
from review.web.security import LoginLimiter, RateLimit
from storage.db import session_factory
from storage.models import User, WebSession
from tests.web.web_client import csrf_of, login, post, settings
from tests.web.web_seed import PASSWORD

runner = CliRunner()
NEW_PASSWORD = "vịnh hạ long mùa đông 2026"


def _cookie_payload(client: TestClient) -> dict[str, object]:
    """What the signed session cookie carries (Starlette: base64 JSON, then the signature)."""
    raw = client.cookies[SESSION_COOKIE].strip('"').split(".", 1)[0]
    payload: dict[str, object] = json.loads(base64.b64decode(raw + "=" * (-len(raw) % 4)))
    return payload


def test_a_replayed_cookie_after_logout_gets_the_login_page(client: TestClient) -> None:
    login(client, "ana")
    saved = client.cookies[SESSION_COOKIE]
    assert client.get("/queue").status_code == 200
    assert post(client, "/logout", {}).status_code == 303

    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, saved)
    replay = client.get("/queue")
    assert replay.status_code == 303 and replay.headers["location"].startswith("/login")
    note = client.post("/cases/1/note", data={"note": "after logout", "csrf_token": "x"})
    assert note.status_code in (401, 403)


def test_the_cookie_carries_no_part_of_the_password_hash(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    with session_factory(small_db)() as session:
        hashed = session.scalar(select(User.password_hash).where(User.name == "ana"))
    assert hashed is not None
    payload = _cookie_payload(client)
    assert set(payload) <= {"sid", "csrf", "lang", "flash"}
    assert not any(hashed[-8:] in str(value) for value in payload.values())


def test_changing_the_password_ends_the_other_sessions(small_db: str) -> None:
    app = create_app(small_db, settings=settings())
    with TestClient(app, follow_redirects=False) as laptop, TestClient(app, follow_redirects=False) as phone:
        login(laptop, "ana")
        login(phone, "ana")
        changed = post(laptop, "/account/password",
                       {"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}, page="/account/password")
        assert changed.status_code == 303  # type: ignore[attr-defined]
        assert laptop.get("/queue").status_code == 200  # the session that changed it goes on
        assert phone.get("/queue").status_code == 303
        login(phone, "ana", NEW_PASSWORD)


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"current": "wrong password!", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD}, 400),
        ({"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD + "x"}, 400),
        ({"current": PASSWORD, "new": "1234567890", "repeat": "1234567890"}, 400),
    ],
)
def test_password_change_refusals(client: TestClient, form: dict[str, str], status: int) -> None:
    login(client, "ana")
    response = post(client, "/account/password", form, page="/account/password")
    assert response.status_code == status  # type: ignore[attr-defined]
    login(client, "ana")  # the old password still works


def test_cli_user_list_passwd_and_deactivate_end_sessions(client: TestClient, small_db: str) -> None:
    login(client, "ana")
    listed = runner.invoke(listingwatch.app, ["user", "list", "--db", small_db])
    assert listed.exit_code == 0 and "ana\tanalyst\tactive" in listed.stdout

    weak = runner.invoke(listingwatch.app, ["user", "passwd", "ana", "--db", small_db], input="qwertyuiop\n")
    assert weak.exit_code == 2 and "password refused" in weak.stderr
    assert client.get("/queue").status_code == 200

    changed = runner.invoke(listingwatch.app, ["user", "passwd", "ana", "--db", small_db], input=NEW_PASSWORD + "\n")
    assert changed.exit_code == 0, changed.output
    assert client.get("/queue").status_code == 303
    login(client, "ana", NEW_PASSWORD)

    gone = runner.invoke(listingwatch.app, ["user", "deactivate", "ana", "--db", small_db])
    assert gone.exit_code == 0 and "1 web session(s) ended" in gone.stderr
    assert client.get("/queue").status_code == 303
    with session_factory(small_db)() as session:
        assert session.scalar(select(WebSession).where(WebSession.user_id == User.id, User.name == "ana")) is None
    unknown = runner.invoke(listingwatch.app, ["user", "deactivate", "nobody", "--db", small_db])
    assert unknown.exit_code == 2 and "no user 'nobody'" in unknown.stderr


def test_admin_deactivation_ends_the_users_sessions(small_db: str) -> None:
    app = create_app(small_db, settings=settings())
    with TestClient(app, follow_redirects=False) as admin, TestClient(app, follow_redirects=False) as ana:
        login(admin, "boss")
        login(ana, "ana")
        with session_factory(small_db)() as session:
            ana_id = session.scalar(select(User.id).where(User.name == "ana"))
        assert post(admin, f"/admin/users/{ana_id}/active", {"active": "0"}, page="/admin/users").status_code == 303  # type: ignore[attr-defined]
        with session_factory(small_db)() as session:
            assert session.scalar(select(WebSession).where(WebSession.user_id == ana_id)) is None


# --------------------------------------------------------------------------- limits (item 8)


def _try(client: TestClient, name: str, password: str) -> int:
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token}).status_code


def test_other_accounts_failures_never_refuse_a_correct_password(small_db: str) -> None:
    app = create_app(small_db, settings=settings(login_per_user_ip=RateLimit(3, 600), login_per_ip=RateLimit(4, 600)))
    with TestClient(app, follow_redirects=False) as office:
        for name in ("ana", "ana", "ana", "insp2", "insp2"):
            assert _try(office, name, "nope nope nope") in (401, 429)
        assert _try(office, "ana", PASSWORD) == 429  # ana's own failures
        assert _try(office, "insp2", "still wrong") == 429  # the client is over its limit
        assert _try(office, "insp", PASSWORD) == 303  # a colleague with the right password


def test_an_account_is_limited_across_clients() -> None:
    now = [0.0]
    limiter = LoginLimiter(RateLimit(3, 60), RateLimit(100, 60), RateLimit(4, 60), clock=lambda: now[0])
    for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        limiter.failed("ana", ip)
    assert limiter.retry_after("ana", "10.0.0.5") == pytest.approx(60)
    assert limiter.retry_after("insp", "10.0.0.5") is None


def test_clients_behind_a_trusted_proxy_are_counted_apart(small_db: str) -> None:
    app = create_app(small_db, settings=settings(login_per_user_ip=RateLimit(2, 600)))
    # What `serve --forwarded-allow-ips` makes uvicorn do (TestClient's peer is "testclient").
    proxied = ProxyHeadersMiddleware(app, trusted_hosts=["testclient"])
    with TestClient(proxied, follow_redirects=False) as c:  # type: ignore[arg-type]
        token = csrf_of(c.get("/login").text)

        def attempt(ip: str, password: str) -> int:
            return c.post("/login", data={"name": "ana", "password": password, "csrf_token": token},
                          headers={"X-Forwarded-For": ip}).status_code

        assert [attempt("10.1.1.1", "nope nope nope") for _ in range(3)] == [401, 401, 429]
        assert attempt("10.1.1.2", PASSWORD) == 303


def test_serve_passes_forwarded_allow_ips_to_uvicorn(small_db: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    seen: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    monkeypatch.setenv("LISTINGWATCH_DB_URL", small_db)
    result = runner.invoke(listingwatch.app, ["serve", "--forwarded-allow-ips", "10.0.0.9",
                                              "--secret-file", str(tmp_path / "key")])
    assert result.exit_code == 0, result.output
    assert (seen["proxy_headers"], seen["forwarded_allow_ips"]) == (True, "10.0.0.9")
    runner.invoke(listingwatch.app, ["serve", "--secret-file", str(tmp_path / "key")])
    assert seen["proxy_headers"] is False


# --------------------------------------------------------------------------- passwords (item 9)


@pytest.mark.parametrize("weak", ["1234567890", "qwertyuiop", "aaaaaaaaaaaa", "abcabcabcabc", "password123",
                                  "ana2024ana2024"])
def test_common_and_repeated_passwords_are_refused(weak: str) -> None:
    assert password_problem(weak, "ana") is not None


@pytest.mark.parametrize("good", ["correct horse battery staple", NEW_PASSWORD])
def test_long_uncommon_passphrases_pass(good: str) -> None:
    assert password_problem(good, "ana") is None


def test_overlong_password_is_refused() -> None:
    assert "at most" in str(password_problem("x" * 300))
