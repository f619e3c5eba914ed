"""Seller networks on the real demo scan, end to end: `listingwatch demo` crawls the demo
marketplace, the scan rebuilds the networks, the export carries them.

The demo plants one network (three counterfeit shops on Tiki, a stand-alone site and TikTok
Shop printing one phone number and one address, each written another way, in their shop
pages) and an honest pair whose names share only generic words ("Store Chính Hãng")."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from demo.shops import load_spec

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
HONEST_PAIR = ("Hoàng Gia Store Chính Hãng", "Minh Anh Store Chính Hãng")


def _planted_names() -> set[str]:
    """The shops of demo/shops.yaml that print a planted phone: the network's members."""
    return {s.name for s in load_spec().shops if s.phone is not None}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("networks-demo")
    url = f"sqlite:///{tmp / 'lw.db'}"
    env = {**os.environ, "LISTINGWATCH_DB_URL": url}
    run = subprocess.run([sys.executable, "-m", "listingwatch", "demo", "--port", "0", "--out", str(tmp / "out")],
                         env=env, capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-4000:]
    listed = subprocess.run([sys.executable, "-m", "listingwatch", "networks", "list", "--json", "--db", url],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert listed.returncode == 0, listed.stderr[-4000:]
    frame = pd.read_csv(tmp / "out" / "flagged_sellers.csv", encoding="utf-8-sig", dtype={"seller_id": str})
    return {"db": tmp / "lw.db", "networks": json.loads(listed.stdout), "frame": frame, "stdout": run.stdout}


def test_the_planted_network_is_one_network_with_its_reasons(demo: dict[str, object]) -> None:
    networks = demo["networks"]
    assert isinstance(networks, list)
    planted = _planted_names()
    assert len(planted) == 3
    # The only network of the demo: no honest shop is drawn into one by chance.
    [network] = networks
    assert {s["name"] for s in network["sellers"]} == planted
    assert {s["platform"] for s in network["sellers"]} == {"demo-tiki", "demo-web", "demo-tiktok"}
    assert all(s["flagged"] for s in network["sellers"])
    reasons = {x["reason"] for x in network["links"]}
    assert {"phone", "address"} <= reasons
    by_reason = {x["reason"]: x["evidence"] for x in network["links"]}
    assert by_reason["phone"] == "+84912345678"
    assert by_reason["address"] == "12 ngo 34 pho vong phuong dong tam quan hai ba trung ha noi"
    # Printed in listing texts on Tiki and the stand-alone site (the platforms that keep texts).
    assert {"zalo", "bank_account"} <= reasons
    # Every pair of the three is linked by the phone and by the address, strongly.
    pairs = {frozenset((x["a"], x["b"])) for x in network["links"] if x["reason"] in ("phone", "address")}
    assert len(pairs) == 3 and all(x["strong"] for x in network["links"])


def test_the_honest_pair_is_not_linked(demo: dict[str, object]) -> None:
    db = demo["db"]
    assert isinstance(db, Path)
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "select s.name, m.network_id from sellers s left join seller_network_members m on m.seller_id = s.id "
            f"where s.name in ({', '.join('?' for _ in HONEST_PAIR)})", HONEST_PAIR,
        ).fetchall()
    assert sorted(name for name, _ in rows) == sorted(HONEST_PAIR), "the honest pair was not crawled"
    assert [network for _, network in rows] == [None, None]


def test_the_export_carries_network_id_and_size(demo: dict[str, object]) -> None:
    frame = demo["frame"]
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns[-2:]) == ["network_id", "network_size"]
    members = frame[frame["seller_name"].isin(_planted_names())]
    assert len(members) == 3
    assert members["network_id"].nunique() == 1 and members["network_id"].notna().all()
    assert set(members["network_size"]) == {3}
    others = frame[~frame["seller_name"].isin(_planted_names())]
    assert others["network_id"].isna().all() and set(others["network_size"]) == {1}


def test_the_demo_summary_counts_networks(demo: dict[str, object]) -> None:
    assert "seller networks: 1 (3 sellers" in str(demo["stdout"])
