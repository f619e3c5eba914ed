"""A case's evidence bundle for enforcement: a zip of the WARC files, screenshots, the
printable report (HTML and PDF), the custody log and a `manifest.json` of every file's
SHA-256 (guarded by `manifest.sha256`); the export is logged in the custody log."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.evidence import read_warc
from detectors.vntime import local_time
from review.evidence.custody import case_evidence, custody_log
from review.evidence.report import render_pdf, render_report
from review.evidence.settings import EvidenceError
from storage import repo
from storage.db import session_factory
from storage.evidence_store import EvidenceStore, default_root
from storage.models import (
    CaseEvent,
    Evidence,
    Listing,
    ListingObservation,
    ListingSignal,
    ReviewCase,
    Seller,
)

BUNDLE_FORMAT: Final = "listingwatch-evidence-bundle/1"
MANIFEST: Final = "manifest.json"
MANIFEST_HASH: Final = "manifest.sha256"


@dataclass
class BundleResult:
    path: Path
    case_id: int
    files: int
    captures: int
    manifest_sha256: str
    pdf: bool


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


def _local(moment: datetime | None) -> str | None:
    return None if moment is None else local_time(moment).isoformat()


def _bundle_name(row: Evidence) -> str:
    folder = "warc" if row.kind == "warc" else "screenshots" if row.kind == "screenshot" else "raw"
    suffix = row.path.rsplit("/", 1)[-1].split(".", 1)[1]
    return f"{folder}/{row.sha256}.{suffix}"


def bundle_case(
    db_url: str,
    case_id: int,
    out: Path,
    *,
    actor: str,
    store: EvidenceStore | None = None,
    pdf: bool = True,
) -> BundleResult:
    """Write the evidence bundle of one case to `out` (a zip) and log the export."""
    store = store or EvidenceStore(default_root(db_url))
    sessions = session_factory(db_url)
    now = datetime.now(UTC)
    with sessions() as session:
        case = session.get(ReviewCase, case_id)
        if case is None:
            raise EvidenceError(f"case {case_id} does not exist")
        rows = case_evidence(session, case_id)
        # A revisit record only points at its body: bring the original response along.
        originals: dict[int, Evidence] = {}
        for row in rows:
            if row.record_type == "revisit" and row.payload_sha256 is not None:
                original = repo.original_response(session, row.payload_sha256)
                if original is not None and original.id not in {r.id for r in rows}:
                    originals[original.id] = original
        files: dict[str, bytes] = {}
        captures: list[dict[str, Any]] = []
        for row in [*rows, *originals.values()]:
            name = _bundle_name(row)
            if name not in files:
                files[name] = store.read(row.path)  # refuses a store file that was altered
            capture: dict[str, Any] = {
                "evidence_id": row.id, "kind": row.kind, "record_type": row.record_type,
                "listing_id": row.listing_id, "url": row.url, "scan_run_id": row.scan_run_id,
                "http_status": row.http_status, "captured_at_utc": _iso(row.captured_at),
                "captured_at_local": row.captured_at_local or _local(row.captured_at),
                "sha256": row.sha256, "payload_sha256": row.payload_sha256, "size": row.size,
                "file": name, "included_as_original_of_revisit": row.id in originals,
            }
            if row.kind == "warc":
                capture["api_responses"] = _api_responses(files[name])
            captures.append(capture)
        data = _report_data(session, case, captures, actor, now)
        custody = [
            {"at_utc": _iso(e.at), "at_local": _local(e.at), "action": e.action,
             "actor": e.actor, "evidence_id": e.evidence_id, "detail": e.detail}
            for e in custody_log(session, case_id)
        ]
    # The HTML shows the screenshots from the bundle's own files; the PDF must stand alone,
    # so it carries them inside (the screenshot is what shows a JavaScript page's listing).
    files["report.html"] = render_report(data).encode("utf-8")
    if pdf:
        files["report.pdf"] = render_pdf(render_report(data, embed=files))
    files["custody.json"] = _json_bytes(custody)
    manifest = {
        "format": BUNDLE_FORMAT,
        "case_id": case_id,
        "seller": data["seller"],
        "created_at_utc": _iso(now),
        "created_at_local": _local(now),
        "created_by": actor,
        "hash_algorithm": "sha256",
        "files": [
            {"path": name, "sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
            for name, content in sorted(files.items())
        ],
        "captures": captures,
    }
    manifest_bytes = _json_bytes(manifest)
    manifest_sha = hashlib.sha256(manifest_bytes).hexdigest()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w") as archive:
        archive.writestr(MANIFEST, manifest_bytes, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(MANIFEST_HASH, f"{manifest_sha}  {MANIFEST}\n",
                         compress_type=zipfile.ZIP_STORED)
        for name, content in sorted(files.items()):
            # WARC files are gzip and PNG/PDF are compressed already: store them as they are.
            packed = name.endswith((".gz", ".png", ".pdf"))
            archive.writestr(name, content,
                             compress_type=zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED)
    os.replace(tmp, out)
    with sessions() as session, session.begin():
        repo.record_custody(
            session, action="export", actor=actor, case_id=case_id, at=now,
            detail={"bundle": out.name, "manifest_sha256": manifest_sha, "files": len(files) + 2,
                    "captures": len(captures)},
        )
    return BundleResult(out, case_id, len(files) + 2, len(captures), manifest_sha, pdf)


def _api_responses(warc: bytes) -> list[dict[str, Any]]:
    """The API exchanges a listing's WARC holds beside its page (the response records after the
    first): URL, status and payload SHA-256, so the manifest and report say where its data is."""
    records = [r for r in read_warc(warc) if r["type"] in ("response", "revisit")]
    return [{"url": r["uri"], "status": r["status"],
             "payload_sha256": hashlib.sha256(r["body"]).hexdigest()} for r in records[1:]]


def _latest_screenshot(captures: list[dict[str, Any]]) -> dict[str, Any] | None:
    shots = [c for c in captures if c["kind"] == "screenshot"]
    return max(shots, key=lambda c: (c["captured_at_utc"] or "", c["evidence_id"]), default=None)


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _report_data(session: Session, case: ReviewCase, captures: list[dict[str, Any]],
                 actor: str, now: datetime) -> dict[str, Any]:
    seller = session.get(Seller, case.seller_id)
    assert seller is not None  # the foreign key guarantees it
    listings = list(session.scalars(select(Listing).where(Listing.seller_id == seller.id)
                                    .order_by(Listing.flagged.desc(), Listing.risk.desc(),
                                              Listing.id)))
    by_listing: dict[int | None, list[dict[str, Any]]] = {}
    for capture in captures:
        by_listing.setdefault(capture["listing_id"], []).append(capture)
    listing_data = []
    for listing in listings:
        signals = session.scalars(select(ListingSignal).where(ListingSignal.listing_id == listing.id)
                                  .order_by(ListingSignal.score.desc())).all()
        history = session.scalars(select(ListingObservation)
                                  .where(ListingObservation.listing_id == listing.id)
                                  .order_by(ListingObservation.observed_at)).all()
        listing_data.append({
            "id": listing.id, "key": listing.listing_key, "title": listing.title,
            "url": listing.url, "brand": listing.brand, "category": listing.category,
            "gtin": listing.gtin, "price": listing.price, "list_price": listing.list_price,
            "risk": listing.risk, "flagged": listing.flagged,
            "signals": [{"code": s.code, "detail": s.detail_vi or s.detail, "score": s.score}
                        for s in signals],
            "history": [{"at": _local(o.observed_at), "price": o.price,
                         "list_price": o.list_price, "sold": o.sold, "title": o.title}
                        for o in history],
            "captures": by_listing.get(listing.id, []),
            "screenshot": _latest_screenshot(by_listing.get(listing.id, [])),
        })
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                             .order_by(CaseEvent.at, CaseEvent.id)).all()
    return {
        "generated_utc": _iso(now), "generated_local": _local(now), "actor": actor,
        "case": {"id": case.id, "status": case.status, "risk": case.risk,
                 "priority": case.priority, "opened_local": _local(case.opened_at),
                 "closed_local": _local(case.closed_at), "note": case.decision_note},
        "seller": {"platform": seller.platform, "id": seller.seller_key, "name": seller.name,
                   "url": seller.url, "location": seller.location,
                   "business_id": seller.business_id, "phone": seller.phone,
                   "address": seller.address, "is_official": seller.is_official,
                   "risk": seller.risk},
        "events": [{"at": _local(e.at), "actor": e.actor, "kind": e.kind,
                    "from": e.from_status, "to": e.to_status, "note": e.note} for e in events],
        "listings": listing_data,
        "captures": len(captures),
    }
