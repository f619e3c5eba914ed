"""Issue 16 part 3 end to end on the demo: a confirmed case's takedown gets two listings removed,
the marketplace puts them back, and the next scan re-opens the case with "tái xuất hiện" events
(the statistics count them)."""

from __future__ import annotations

import json
import re
import socket
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from crawler.run import CrawlSpec
from demo.catalog import build_catalog
from demo.server import DemoServer
from listingwatch import app
from review.users import create_user
from review.web import create_app
from rules.loader import load_rules
from scheduler import execute_scan
from storage.db import session_factory, upgrade
from storage.models import CaseEvent, ReviewCase, Seller
from tests.web.web_client import login, settings

PASSWORD = "a long passphrase of the analysts"

pytestmark = [pytest.mark.slow]
runner = CliRunner()


def _cli(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, f"{args}: {result.output}"
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_removed_listings_back_online_reopen_the_case(tmp_path: Any) -> None:
    db = f"sqlite:///{tmp_path / 'lw.db'}"
    upgrade(db)
    with session_factory(db)() as session, session.begin():
        create_user(session, "lan", "analyst", PASSWORD)
    seller = next(s for s in build_catalog().sellers if s.role == "counterfeit" and s.platform == "demo-tiki")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"

    def scan() -> int:
        spec = CrawlSpec(platform="demo-tiki", mode="seller", seller=seller.seller_id, base_url=base + "/tiki")
        report = execute_scan([spec], kind="seller", db_url=db, rules=load_rules())
        assert report.status in ("ok", "partial"), report.reason
        return int(report.counts()["reappeared"])  # the scan-run record says it too

    with DemoServer(port=port):
        assert scan() == 0
    with session_factory(db)() as session:
        case_id = session.scalar(select(ReviewCase.id).join(Seller).where(Seller.seller_key == seller.seller_id))
    assert case_id is not None
    _cli("queue", "decide", str(case_id), "confirmed", "--note", "hàng giả", "--as", "lan", "--db", db)
    created = _cli("takedown", "create", str(case_id), "--no-pdf", "--out", str(tmp_path / "docs"), "--db", db,
                   "--actor", "lan")
    request_id = re.search(r"takedown request #(\d+) drafted", created.stdout).group(1)  # type: ignore[union-attr]
    _cli("takedown", "sent", request_id, "--via", "email ip@tiki.vn", "--db", db, "--actor", "lan")
    [request] = json.loads(_cli("takedown", "list", "--json", "--db", db).stdout)
    removed = {x["listing_id"] for x in request["listings"][:2]}
    with DemoServer(port=port, removed=removed):
        _cli("takedown", "verify", "--all", "--no-capture", "--demo-url", base, "--db", db, "--actor", "lan")

    # The shop puts them back; the next scan sees them.
    with DemoServer(port=port):
        assert scan() == 2
    with session_factory(db)() as session:
        cases = session.scalars(select(ReviewCase).join(Seller).where(Seller.seller_key == seller.seller_id)).all()
        assert [(c.id, c.status) for c in cases] == [(case_id, "open")]  # re-opened, not a new case
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id,
                                                         CaseEvent.kind == "reappeared")).all()
        assert sorted(e.data["listing_key"] for e in events) == sorted(removed)
        assert {e.data["match"] for e in events} == {"same_listing"}
        assert events[0].from_status == "confirmed" and events[0].to_status == "open"
    stats = json.loads(_cli("takedown", "stats", "--json", "--db", db).stdout)
    assert sum(r["reappearances"] for r in stats) == 2
    assert sum(r["removed_within_24h"] for r in stats) == 2
    # The case page shows the event under its Vietnamese label.
    with TestClient(create_app(db, settings=settings()), follow_redirects=False) as client:
        login(client, "lan", PASSWORD)
        page = client.get(f"/cases/{case_id}").text
    assert "tái xuất hiện" in page
