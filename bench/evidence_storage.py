"""Evidence storage per 1,000 listings (issue #7): WARC + PNG bytes after dedup/compression.

Scans every planted counterfeit seller of the demo marketplace (seller mode) so that each is
queued and its listings captured, then scans them again with nothing changed (the nightly
case): the second pass shows what deduplication leaves. The baseline is the raw size of the
same captures (uncompressed bodies + PNGs, each capture stored in full). Smaller is better.

    .venv/bin/python -m bench --only evidence_storage     # as a benchmark (ratios)
    .venv/bin/python -m bench.evidence_storage            # the raw figures as JSON
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.common import Result
from crawler.run import CrawlSpec
from demo.catalog import build_catalog
from demo.server import DemoServer
from rules.loader import load_rules
from scheduler import execute_scan
from storage.db import session_factory, upgrade
from storage.evidence_store import EvidenceStore, default_root
from storage.models import Evidence, Listing

SPIDER_PLATFORMS = ("demo-tiki", "demo-shopee")


def run(quick: bool) -> list[Result]:
    # `python -m bench` switches capture off for the other benchmarks; this one is about it.
    saved = os.environ.get("LISTINGWATCH_EVIDENCE_CAPTURE")
    os.environ["LISTINGWATCH_EVIDENCE_CAPTURE"] = "1"
    try:
        out = measure()
    finally:
        if saved is None:
            os.environ.pop("LISTINGWATCH_EVIDENCE_CAPTURE", None)
        else:
            os.environ["LISTINGWATCH_EVIDENCE_CAPTURE"] = saved
    mb = 1_000_000
    note = f"{out['listings']} listings of {out['sellers']} planted sellers, captured twice"
    return [
        Result(name="evidence: MB stored per 1,000 listings, first capture, vs the raw captures",
               value=out["pass1_bytes_per_1000_listings"] / mb, baseline=out["pass1_raw_bytes_per_1000_listings"] / mb,
               unit="MB", higher_is_better=False, note=note),
        Result(name="evidence: MB added per 1,000 listings by an unchanged re-capture, vs the raw captures",
               value=out["pass2_added_bytes_per_1000_listings"] / mb,
               baseline=out["pass2_raw_bytes_per_1000_listings"] / mb,
               unit="MB", higher_is_better=False, note="identical bodies become WARC revisits, identical PNGs are stored once"),
    ]


def main() -> None:
    print(json.dumps(measure(), indent=2))


def measure() -> dict[str, Any]:
    catalog = build_catalog()
    sellers = [s for s in catalog.sellers if s.role == "counterfeit" and s.platform in SPIDER_PLATFORMS]
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'lw.db'}"
        upgrade(db_url)
        store = EvidenceStore(default_root(db_url))
        rules = load_rules()
        passes = []
        with DemoServer(catalog) as server:
            for _ in range(2):
                specs = [CrawlSpec(platform=s.platform, mode="seller", seller=s.seller_id,
                                   base_url=server.base_url + ("/tiki" if s.platform == "demo-tiki" else "/shopee"))
                         for s in sellers]
                execute_scan(specs, kind="manual", db_url=db_url, rules=rules)
                with session_factory(db_url)() as session:
                    captures = session.scalar(select(func.count(Evidence.id)).where(Evidence.kind == "warc")) or 0
                    listings = session.scalar(select(func.count(Listing.id))) or 0
                    raw = 0
                    for row in session.scalars(select(Evidence)):
                        data = store.path(row.path).read_bytes()
                        raw += len(gzip.decompress(data)) if row.kind == "warc" else len(data)
                passes.append({"captures": captures, "listings": listings, "stored_bytes": store.total_bytes(),
                               "raw_bytes": raw})
        first, second = passes
        out = {
            "sellers": len(sellers),
            "listings": first["listings"],
            "pass1_bytes_per_1000_listings": round(first["stored_bytes"] / first["captures"] * 1000),
            "pass1_raw_bytes_per_1000_listings": round(first["raw_bytes"] / first["captures"] * 1000),
            "pass2_added_bytes_per_1000_listings": round(
                (second["stored_bytes"] - first["stored_bytes"]) / (second["captures"] - first["captures"]) * 1000),
            "pass2_raw_bytes_per_1000_listings": round(
                (second["raw_bytes"] - first["raw_bytes"]) / (second["captures"] - first["captures"]) * 1000),
            "passes": passes,
        }
        return out


if __name__ == "__main__":
    main()
