"""The takedown request as a document: Vietnamese HTML (`templates/request.html`), its PDF
(the evidence report's Chromium print path, `review.evidence.report.render_pdf`) and a CSV
for the platforms' bulk IP-complaint forms.

Crawled text is hostile: the HTML escapes everything (Jinja2 autoescape) and prints URLs as
text; CSV cells are neutralised the way the exports are (`review.export.neutralise`).
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from detectors.codes import signal_label
from detectors.vntime import local_time
from review.evidence.report import render_pdf
from review.export import neutralise
from storage.models import Evidence, Listing, ListingSignal, ReviewCase, Seller, TakedownRequest

TEMPLATE: Final = Path(__file__).resolve().parent / "templates" / "request.html"
LEGAL_BASIS: Final = (
    "Nghị định số 85/2021/NĐ-CP ngày 25/9/2021 của Chính phủ sửa đổi, bổ sung một số điều của "
    "Nghị định số 52/2013/NĐ-CP về thương mại điện tử (Điều 36, Điều 37)"
)
#: Stable English keys first (platforms map columns by name), one row per listing.
CSV_COLUMNS: Final = (
    "request_id", "case_id", "platform", "seller_id", "seller_name", "seller_url", "listing_id", "listing_url",
    "listing_title", "brand", "reason", "evidence_sha256", "captured_at", "deadline",
)


@dataclass(frozen=True)
class Documents:
    """One request's files: name -> bytes (``takedown-<id>.html``, ``.pdf``, ``.csv``)."""

    request_id: int
    files: dict[str, bytes]

    def hashes(self) -> dict[str, str]:
        return {name: hashlib.sha256(content).hexdigest() for name, content in sorted(self.files.items())}

    def write(self, folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, content in sorted(self.files.items()):
            target = folder / name
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(content)
            partial.replace(target)  # a reader never sees half a document
            written.append(target)
        return written


@cache
def _template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def _local(moment: datetime | None) -> str | None:
    return None if moment is None else local_time(moment).strftime("%H:%M ngày %d/%m/%Y")


def request_data(session: Session, request: TakedownRequest, *, platform_name: str | None = None) -> dict[str, Any]:
    """Everything the document says, read from the database (evidence rows included)."""
    case = session.get(ReviewCase, request.case_id)
    assert case is not None  # the foreign key guarantees it
    seller = session.get(Seller, case.seller_id)
    assert seller is not None
    listings = []
    for row in request.listings:
        listing = session.get(Listing, row.listing_id) if row.listing_id is not None else None
        evidence = [] if listing is None else list(session.scalars(
            select(Evidence).where(Evidence.listing_id == listing.id).order_by(Evidence.captured_at, Evidence.id)))
        signals = [] if listing is None else list(session.scalars(
            select(ListingSignal).where(ListingSignal.listing_id == listing.id).order_by(ListingSignal.score.desc())))
        listings.append({
            "key": row.listing_key, "url": row.url, "status": row.status,
            "title": None if listing is None else listing.title,
            "brand": None if listing is None else listing.brand,
            "reasons": [f"{signal_label(s.code, 'vi')}: {s.detail_vi or s.detail}" for s in signals[:3]],
            "evidence": [{"kind": e.kind, "sha256": e.sha256, "http_status": e.http_status,
                          "captured_local": e.captured_at_local or local_time(e.captured_at).isoformat(),
                          "captured_utc": e.captured_at.astimezone(UTC).isoformat()} for e in evidence],
        })
    now = datetime.now(UTC)
    created = local_time(request.created_at)
    return {
        "request": {"id": request.id, "status": request.status, "platform": request.platform,
                    "platform_name": platform_name or request.platform,
                    "created": _local(request.created_at), "sent": _local(request.sent_at),
                    "sent_via": request.sent_via, "deadline": _local(request.deadline),
                    "deadline_utc": None if request.deadline is None else request.deadline.isoformat()},
        "date_line": f"ngày {created.day:02d} tháng {created.month:02d} năm {created.year}",
        "authority": request.authority, "legal_basis": LEGAL_BASIS,
        "deadline_hours": int(request.authority.get("deadline_hours", 24)),
        "case": {"id": case.id, "status": case.status, "note": case.decision_note},
        "seller": {"platform": seller.platform, "id": seller.seller_key, "name": seller.name, "url": seller.url,
                   "business_id": seller.business_id, "phone": seller.phone, "address": seller.address},
        "listings": listings,
        "generated_utc": now.isoformat(),
    }


def render_html(data: dict[str, Any]) -> str:
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(_template()).render(**data)


def render_csv(data: dict[str, Any]) -> bytes:
    """UTF-8 with BOM (Excel reads Vietnamese correctly), formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    request, seller = data["request"], data["seller"]
    for listing in data["listings"]:
        latest = listing["evidence"][-1] if listing["evidence"] else None
        row = [request["id"], data["case"]["id"], request["platform"], seller["id"], seller["name"], seller["url"],
               listing["key"], listing["url"], listing["title"], listing["brand"], "; ".join(listing["reasons"]),
               None if latest is None else latest["sha256"], None if latest is None else latest["captured_utc"],
               request["deadline_utc"]]
        writer.writerow(["" if v is None else neutralise(v) if isinstance(v, str) else v for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def build_documents(session: Session, request: TakedownRequest, *, pdf: bool = True,
                    platform_name: str | None = None) -> Documents:
    data = request_data(session, request, platform_name=platform_name)
    html = render_html(data)
    stem = f"takedown-{request.id}"
    files = {f"{stem}.html": html.encode("utf-8"), f"{stem}.csv": render_csv(data)}
    if pdf:
        files[f"{stem}.pdf"] = render_pdf(html)
    return Documents(request.id, files)
