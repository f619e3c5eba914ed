"""networks.yaml validation (file:line errors), `listingwatch networks rebuild | list [--json]`,
`rules check`, and the network on the case page (each linked seller with its reasons, escaped)
and on the statistics page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

import review.users
from review.networks.store import rebuild_networks
from review.queue import sync_case
from review.users import create_user
from review.web import WebSettings, create_app
from rules.loader import PACKAGE_DIR, RulesError, check_rules, clear_cache, load_networks
from rules.record import Listing
from storage import repo
from storage.db import session_factory, upgrade

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
HOSTILE_NAME = '<script>alert(1)</script>" onmouseover="x'
review.users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    target.mkdir()
    for src in PACKAGE_DIR.glob("*.yaml"):
        shutil.copy(src, target / src.name)
    clear_cache()
    return target


def test_networks_yaml_errors_name_file_line_and_field(rules_copy: Path) -> None:
    path = rules_copy / "networks.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("weak_min_reasons: 2", "weak_min_reasons: 1"), encoding="utf-8")
    line = next(i for i, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if row.startswith("weak_min_reasons"))
    with pytest.raises(RulesError) as caught:
        load_networks(rules_copy)
    assert caught.value.line == line and caught.value.field == "weak_min_reasons"
    assert str(caught.value).startswith(f"{path}:{line}: weak_min_reasons:")
    assert any("networks.yaml" in problem for problem in check_rules(rules_copy))


def test_rules_check_reports_a_broken_networks_yaml(rules_copy: Path) -> None:
    path = rules_copy / "networks.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("min_similarity: 92", "min_similarity: 120"),
                    encoding="utf-8")
    checked = _cli("rules", "check", "--rules", str(rules_copy))
    assert checked.returncode == 1
    assert f"{path}:" in checked.stderr.replace("\n", "") and "names.min_similarity" in checked.stderr


def test_a_site_copy_without_networks_yaml_uses_the_packaged_one(rules_copy: Path) -> None:
    (rules_copy / "networks.yaml").unlink()
    assert load_networks(rules_copy) == load_networks()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "listingwatch", *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def _seed(url: str) -> dict[str, int]:
    upgrade(url)
    t0 = datetime(2026, 12, 1, tzinfo=UTC)
    rows = [
        Listing(platform="tiki", listing_id="a1", title="Kem F1", observed_at=t0,
                seller={"id": "1", "name": "Mỹ Phẩm Bảo Ngọc", "phone": "0912 345 678", "url": "https://tiki.test/s/1"}),
        Listing(platform="web", listing_id="b1", title="Kem F1", observed_at=t0,
                seller={"id": "w", "name": HOSTILE_NAME, "phone": "+84 912 345 678", "url": "javascript:alert(3)"}),
        Listing(platform="tiktok", listing_id="c1", title="Son rep", observed_at=t0,
                seller={"id": "3", "name": "Thế Giới Son Live", "phone": "0912345678"}),
    ]
    with session_factory(url)() as session, session.begin():
        pks = repo.upsert_listings(session, None, rows).seller_pks
        ids = {"tiki": pks[("tiki", "1")], "web": pks[("web", "w")], "tiktok": pks[("tiktok", "3")]}
        cases = {k: sync_case(session, pk, risk=0.9, flagged=True, priority=0.9, scanned_at=t0).case_id
                 for k, pk in ids.items() if k != "tiktok"}
        create_user(session, "ana", "analyst", PASSWORD)
    return {**ids, **{f"case_{k}": v for k, v in cases.items() if v is not None}}


def test_cli_rebuild_and_list(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lw.db'}"
    ids = _seed(url)
    rebuilt = _cli("networks", "rebuild", "--db", url)
    assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
    assert "1 networks of 3 sellers" in rebuilt.stdout
    listed = _cli("networks", "list", "--json", "--db", url)
    assert listed.returncode == 0, listed.stderr[-2000:]
    [network] = json.loads(listed.stdout)
    assert network["network_id"] == min(ids["tiki"], ids["web"], ids["tiktok"]) and network["size"] == 3
    assert {s["platform"] for s in network["sellers"]} == {"tiki", "web", "tiktok"}
    assert {x["reason"] for x in network["links"]} == {"phone"}
    assert {x["evidence"] for x in network["links"]} == {"+84912345678"}
    text = _cli("networks", "list", "--db", url)
    assert "phone (strong)" in text.stdout and "+84912345678" in text.stdout
    checked = _cli("rules", "check")
    assert checked.returncode == 0, checked.stderr[-2000:]


@pytest.fixture
def client(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, int]]]:
    url = f"sqlite:///{tmp_path / 'web.db'}"
    ids = _seed(url)
    with session_factory(url)() as session, session.begin():
        rebuild_networks(session)
    app = create_app(url, settings=WebSettings(secret_key="test-secret-key-0123456789abcdef"))
    with TestClient(app, follow_redirects=False) as c:
        page = c.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token is not None
        response = c.post("/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token.group(1)})
        assert response.status_code == 303
        yield c, ids


def test_case_page_shows_each_linked_seller_with_its_reasons_escaped(
    client: tuple[TestClient, dict[str, int]],
) -> None:
    c, ids = client
    html = c.get(f"/cases/{ids['case_tiki']}?lang=en").text
    section = html[html.index('id="network"'):]
    section = section[: section.index("</section>")]
    assert "Seller network #" in section and "3 sellers" in section
    assert f'data-seller="{ids["web"]}"' in section and f'data-seller="{ids["tiktok"]}"' in section
    assert section.count('data-reason="phone"') == 2 and "+84912345678" in section
    # The other seller's case is one click away; the hostile name is text, its javascript: URL no link.
    assert f'href="/cases/{ids["case_web"]}"' in section
    assert HOSTILE_NAME not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert "javascript:" not in section


def test_a_seller_in_no_network_shows_none(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lone.db'}"
    ids = _seed(url)  # no rebuild: nothing stored yet
    app = create_app(url, settings=WebSettings(secret_key="test-secret-key-0123456789abcdef"))
    with TestClient(app, follow_redirects=False) as c:
        token = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
        assert token is not None
        c.post("/login", data={"name": "ana", "password": PASSWORD, "csrf_token": token.group(1)})
        html = c.get(f"/cases/{ids['case_tiki']}").text
    assert 'id="seller"' in html and 'id="network"' not in html


def test_statistics_count_networks_as_well_as_sellers(client: tuple[TestClient, dict[str, int]]) -> None:
    c, _ids = client
    html = c.get("/stats?lang=en").text
    line = html[html.index('id="stats-networks"'):]
    line = line[: line.index("</p>")]
    # Two sellers have cases; both are in the one network, which holds three sellers.
    assert "Sellers with a case: 2, in 1 seller networks (3 sellers" in line
