"""Issue 14, item 2: evidence of a listing that its page renders from an API holds the listing.

demo-shopee pages are a JavaScript shell ("Đang tải...") that fills itself from
``api/v4/item/get``: a WARC of the page alone holds no title and no price (and identical
shells become revisit records pointing at another seller's page). Every listing's WARC must
also hold the API exchanges the page made (request and response records), and the case
report's PDF must show the screenshot itself, not only its file name.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from crawler.browser import chromium_available
from crawler.run import CrawlSpec
from demo.catalog import build_catalog
from demo.server import DemoServer
from demo.sites.shopee import SHOPEE_PRICE_FACTOR
from review.evidence import bundle_case
from rules.loader import load_rules
from scheduler import execute_scan
from storage.db import session_factory, upgrade
from storage.evidence_store import EvidenceStore, default_root
from storage.models import Evidence, Listing, ReviewCase, Seller

pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not chromium_available(), reason="needs Chromium at /usr/bin/chromium")]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One seller-mode scan of every planted counterfeit demo-shopee seller, capture on."""
    tmp = tmp_path_factory.mktemp("api-evidence")
    db_url = f"sqlite:///{tmp / 'lw.db'}"
    upgrade(db_url)
    catalog = build_catalog()
    sellers = [s for s in catalog.sellers_on("demo-shopee") if s.role == "counterfeit"]
    with pytest.MonkeyPatch.context() as patch, DemoServer(catalog) as server:
        # tests/conftest.py switches capture off for every other test; this module is about it.
        patch.setenv("LISTINGWATCH_EVIDENCE_CAPTURE", "1")
        specs = [CrawlSpec(platform="demo-shopee", mode="seller", seller=s.seller_id,
                           base_url=server.base_url + "/shopee") for s in sellers]
        report = execute_scan(specs, kind="manual", db_url=db_url, rules=load_rules())
    assert report.status in ("ok", "partial"), report.reason
    listings = {x.listing_id: x for s in sellers for x in catalog.listings_of(s)}
    yield {"db_url": db_url, "tmp": tmp, "listings": listings, "run": report.run_id}


def _json_values(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _json_values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _json_values(value)
    else:
        yield node


def test_every_shopee_listing_warc_holds_its_own_title_and_price(scanned: dict[str, Any]) -> None:
    db_url, listings = scanned["db_url"], scanned["listings"]
    store = EvidenceStore(default_root(db_url))
    with session_factory(db_url)() as session:
        rows = session.execute(
            select(Listing.listing_key, Evidence.path).join(Evidence, Evidence.listing_id == Listing.id)
            .where(Evidence.kind == "warc", Evidence.scan_run_id == scanned["run"])).all()
    assert sorted(key for key, _ in rows) == sorted(listings), "every listing of the three sellers is captured"
    for key, path in rows:
        expected = listings[key]
        responses: dict[str, Any] = {}
        requests: dict[str, Any] = {}
        holding: list[str] = []
        for record in ArchiveIterator(io.BytesIO(store.read(path))):
            record_id = record.rec_headers.get_header("WARC-Record-ID")
            uri = record.rec_headers.get_header("WARC-Target-URI")
            body = record.content_stream().read()
            if record.rec_type == "request":
                requests[record.rec_headers.get_header("WARC-Concurrent-To")] = record.http_headers
            if record.rec_type != "response" or "/api/" not in uri:
                continue
            responses[record_id] = uri
            values = set(_json_values(json.loads(body)))
            if expected.title in values and expected.price * SHOPEE_PRICE_FACTOR in values:
                holding.append(record_id)
        assert holding, f"listing {key}: no response record in its WARC holds its title and price"
        for record_id in holding:
            assert re.search(rf"[?&]itemid={key}(&|$)", responses[record_id])
            # the request that fetched it is kept too, with the header the API demands
            request = requests.get(record_id)
            assert request is not None, f"listing {key}: no request record for {responses[record_id]}"
            assert request.get_header("x-api-source") == "pc"


def test_bundle_pdf_embeds_each_screenshot(scanned: dict[str, Any]) -> None:
    db_url = scanned["db_url"]
    with session_factory(db_url)() as session:
        case_id = session.scalar(select(ReviewCase.id).join(Seller, Seller.id == ReviewCase.seller_id)
                                 .where(Seller.platform == "demo-shopee").order_by(ReviewCase.id))
        assert case_id is not None
        captured = session.scalar(select(Seller.id).join(ReviewCase, ReviewCase.seller_id == Seller.id)
                                  .where(ReviewCase.id == case_id))
        n_listings = len(session.scalars(select(Listing.id).where(Listing.seller_id == captured)).all())
    out = scanned["tmp"] / "case.zip"
    result = bundle_case(db_url, case_id, out, actor="system")
    assert result.pdf
    with zipfile.ZipFile(out) as archive:
        pdf = archive.read("report.pdf")
        html = archive.read("report.html").decode("utf-8")
        shots = [n for n in archive.namelist() if n.startswith("screenshots/")]
    # Chromium's PDF writes each embedded picture as an image XObject; the report has no other
    # pictures, so each listing's screenshot is one of them.
    assert len(re.findall(rb"/Subtype\s*/Image", pdf)) >= n_listings
    for name in shots:
        assert f'src="{name}"' in html  # the HTML report shows them from the bundle's own files
    assert isinstance(out, Path)
