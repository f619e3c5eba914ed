"""Issue 16 "done when", as a user runs it on the demo: scan, confirm a case, draft the takedown
(HTML + PDF + CSV), record it sent, take some listings down on the demo marketplace, check
removal, escalate past the deadline, and never call a blocked re-check "removed"."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from crawler.run import CrawlSpec
from demo.catalog import build_catalog
from demo.server import DemoServer
from listingwatch import app
from review.users import create_user
from rules.loader import load_rules
from scheduler import execute_scan
from storage.db import session_factory, upgrade
from storage.models import CaseEvent, ReviewCase, Seller, TakedownRequest

pytestmark = [pytest.mark.slow, pytest.mark.browser]
runner = CliRunner()
ACTOR = "thanh.tra"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cli(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, f"{args}: {result.output}"
    return result


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A demo scan of the planted Tiki counterfeiter into a temp DB, its case confirmed."""
    if shutil.which("chromium") is None and not Path("/usr/bin/chromium").exists():
        pytest.skip("no Chromium: the PDF and fresh captures need Debian's chromium")
    tmp = tmp_path_factory.mktemp("takedown")
    db_url = f"sqlite:///{tmp / 'lw.db'}"
    upgrade(db_url)
    with session_factory(db_url)() as session, session.begin():
        create_user(session, ACTOR, "inspector", "a long passphrase of the inspectors")
    seller = next(s for s in build_catalog().sellers if s.role == "counterfeit" and s.platform == "demo-tiki")
    port = _free_port()
    with DemoServer(port=port) as server:
        spec = CrawlSpec(platform="demo-tiki", mode="seller", seller=seller.seller_id,
                         base_url=server.base_url + "/tiki")
        report = execute_scan([spec], kind="seller", db_url=db_url, rules=load_rules())
    assert report.status in ("ok", "partial"), report.reason
    with session_factory(db_url)() as session:
        case_id = session.scalar(select(ReviewCase.id).join(Seller).where(Seller.seller_key == seller.seller_id))
    assert case_id is not None
    _cli("queue", "decide", str(case_id), "confirmed", "--note", "hàng giả đã xác minh", "--as", ACTOR, "--db", db_url)
    return {"db": db_url, "tmp": tmp, "port": port, "case_id": case_id, "base_url": f"http://127.0.0.1:{port}"}


def _requests(db_url: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(_cli("takedown", "list", "--json", "--db", db_url).stdout)
    return rows


def test_create_sent_verify_escalate(world: dict[str, Any]) -> None:
    db, out = world["db"], world["tmp"] / "docs"
    created = _cli("takedown", "create", str(world["case_id"]), "--out", str(out), "--db", db, "--actor", ACTOR)
    request_id = int(re.search(r"takedown request #(\d+) drafted", created.stdout).group(1))  # type: ignore[union-attr]
    folder = out / f"takedown-{request_id}"
    html = (folder / f"takedown-{request_id}.html").read_text(encoding="utf-8")
    pdf = (folder / f"takedown-{request_id}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1
    assert "YÊU CẦU GỠ BỎ HÀNG HÓA VI PHẠM" in html and "Nghị định số 85/2021/NĐ-CP" in html
    assert "24 giờ" in html and "Cục Quản lý thị trường" in html
    [request] = _requests(db)
    assert request["id"] == request_id and request["status"] == "drafted" and request["sent_at"] is None
    listings = request["listings"]
    assert len(listings) >= 3 and {x["status"] for x in listings} == {"pending"}
    for listing in listings:
        assert listing["url"] in html
    table = list(csv.DictReader(io.StringIO((folder / f"takedown-{request_id}.csv").read_text(encoding="utf-8-sig"))))
    assert [row["listing_url"] for row in table] == [x["url"] for x in listings]

    _cli("takedown", "sent", str(request_id), "--via", "email ip@tiki.vn", "--db", db, "--actor", ACTOR)
    [request] = _requests(db)
    assert request["status"] == "sent" and request["sent_at"] is not None and request["deadline"] is not None
    assert "no takedown request to check" in _cli("takedown", "verify", "--due", "--db", db).stdout

    # Two listings taken down (Tiki shows its "removed" page), the rest still online.
    removed = {listings[0]["listing_id"], listings[1]["listing_id"]}
    with DemoServer(port=world["port"], removed=removed):
        result = _cli("takedown", "verify", "--all", "--no-capture", "--demo-url", world["base_url"], "--db", db,
                      "--actor", ACTOR)
    assert "STILL_ONLINE" in result.stdout
    [request] = _requests(db)
    status = {x["listing_id"]: x["status"] for x in request["listings"]}
    assert {k for k, v in status.items() if v == "removed"} == removed
    assert {v for k, v in status.items() if k not in removed} == {"still_online"}
    assert request["status"] == "still_online"  # the deadline has not passed yet

    # 25 hours later: due, still online -> escalated, with fresh evidence of the listings still there.
    with session_factory(db)() as session, session.begin():
        row = session.get(TakedownRequest, request_id)
        assert row is not None and row.sent_at is not None and row.deadline is not None
        row.sent_at, row.deadline = row.sent_at - timedelta(hours=25), row.deadline - timedelta(hours=25)
    with DemoServer(port=world["port"], removed=removed):
        _cli("takedown", "verify", "--due", "--demo-url", world["base_url"], "--db", db, "--actor", ACTOR)
    [request] = _requests(db)
    assert request["status"] == "escalated"
    assert {x["status"] for x in request["listings"] if x["listing_id"] in removed} == {"removed"}

    # The marketplace is gone (closed port): nothing is "removed", the request stays escalated.
    result = _cli("takedown", "verify", str(request_id), "--no-capture", "--demo-url", world["base_url"], "--db", db)
    [request] = _requests(db)
    assert {x["status"] for x in request["listings"]} == {"unreachable"}
    assert request["status"] == "escalated"
    assert "not counted as removed" in result.output

    with session_factory(db)() as session:
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == world["case_id"],
                                                         CaseEvent.kind == "takedown")).all()
        assert [e.data["action"] for e in events] == ["drafted", "sent", "checked", "checked", "checked"]
        escalation = events[3]
        fresh = [x["evidence_id"] for x in escalation.data["listings"] if x["status"] == "still_online"]
        assert fresh and all(isinstance(e, int) for e in fresh)


def test_blocked_recheck_is_never_removed(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """A demo block (the captcha wall, HTTP 200, in place of every page) after the deadline:
    every listing unreachable, the request still just sent."""
    import demo.server

    db = world["db"]
    created = _cli("takedown", "create", str(world["case_id"]), "--out", str(world["tmp"] / "b"), "--no-pdf",
                   "--db", db, "--actor", ACTOR)
    request_id = int(re.search(r"takedown request #(\d+) drafted", created.stdout).group(1))  # type: ignore[union-attr]
    _cli("takedown", "sent", str(request_id), "--via", "portal", "--db", db, "--actor", ACTOR)

    def wall(site: Any, path: str, query: Any, headers: Any) -> demo.server.Response:
        return site.static["/robots.txt"] if path == "/robots.txt" else site.static["/blocked/captcha"]

    monkeypatch.setattr(demo.server, "route", wall)
    with DemoServer(port=world["port"]):
        _cli("takedown", "verify", str(request_id), "--no-capture", "--demo-url", world["base_url"], "--db", db)
    request = next(r for r in _requests(db) if r["id"] == request_id)
    assert {x["status"] for x in request["listings"]} == {"unreachable"}
    assert request["status"] == "sent"
