"""The flagged-seller export (DESIGN §3.3): one row per seller, CSV (UTF-8 with BOM) or XLSX.

Crawled text is hostile: every string cell that a spreadsheet could read as a formula
(starts with ``= + - @``, tab, CR or LF) is prefixed with ``'`` in both formats, and XLSX
cells are written as plain strings, never formulas.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal

import pandas as pd
from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session

from review.networks.store import membership
from storage.models import (
    OPEN_CASE_STATUSES,
    Listing,
    ListingSignal,
    ReviewCase,
    Seller,
    SellerAssessment,
)

COLUMNS: Final[tuple[str, ...]] = (
    "platform",
    "seller_id",
    "seller_name",
    "seller_url",
    "location",
    "risk",
    "flagged_listings",
    "total_listings",
    "top_signals",
    "example_listing_urls",
    "case_id",
    "case_status",
    "first_flagged_at",
    "last_scanned_at",
    # Seller networks (issue 16): appended, so readers of the first 14 columns keep working.
    "network_id",
    "network_size",
)

VI_LABELS: Final[dict[str, str]] = {
    "platform": "Nền tảng",
    "seller_id": "Mã người bán",
    "seller_name": "Tên người bán",
    "seller_url": "Đường dẫn gian hàng",
    "location": "Địa điểm",
    "risk": "Mức rủi ro",
    "flagged_listings": "Số sản phẩm nghi vấn",
    "total_listings": "Tổng số sản phẩm",
    "top_signals": "Dấu hiệu chính",
    "example_listing_urls": "Ví dụ đường dẫn sản phẩm",
    "case_id": "Mã hồ sơ",
    "case_status": "Trạng thái hồ sơ",
    "first_flagged_at": "Lần đầu gắn cờ",
    "last_scanned_at": "Lần quét gần nhất",
    "network_id": "Mã mạng lưới người bán",
    "network_size": "Số người bán trong mạng lưới",
}

TOP_SIGNALS: Final = 3
EXAMPLE_URLS: Final = 3
JOIN: Final = " | "
#: Leading characters that make Excel / LibreOffice / Sheets evaluate a cell.
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r", "\n")
_CHUNK: Final = 500
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Format = Literal["csv", "xlsx"]
Lang = Literal["en", "vi"]


def flagged_sellers_frame(
    session: Session,
    *,
    platform: str | None = None,
    status: str | Sequence[str] | None = None,
    min_risk: float | None = None,
    lang: Lang = "en",
) -> pd.DataFrame:
    """One row per seller that has a review case or whose latest assessment is flagged.

    The case shown is the seller's open case, else its most recent one. `status` filters on
    that case's status (sellers without a case then drop out). `risk` is the seller's latest
    assessed risk (the case's risk when the seller was never assessed). `lang="vi"` picks
    the Vietnamese signal explanations where the detectors gave one.
    """
    has_case = exists().where(ReviewCase.seller_id == Seller.id)
    stmt = select(Seller).where(or_(Seller.flagged.is_(True), has_case)).order_by(Seller.id)
    if platform is not None:
        stmt = stmt.where(Seller.platform == platform)
    sellers = list(session.scalars(stmt))
    statuses = None if status is None else ({status} if isinstance(status, str) else set(status))

    rows: list[dict[str, Any]] = []
    for chunk in _chunks(sellers, _CHUNK):
        ids = [s.id for s in chunk]
        cases = _cases(session, ids)
        assessments = _latest_assessments(session, ids)
        counts = _live_counts(session, ids)
        examples = _example_urls(session, ids)
        signals = _signal_summaries(session, ids, assessments, lang)
        networks = membership(session, ids)
        for seller in chunk:
            case = cases.get(seller.id)
            if statuses is not None and (case is None or case.status not in statuses):
                continue
            assessment = assessments.get(seller.id)
            risk = (
                seller.risk
                if seller.risk is not None
                else (case.risk if case is not None else None)
            )
            if min_risk is not None and (risk is None or risk < min_risk):
                continue
            if assessment is not None:
                flagged_n, total_n = assessment.flagged_listings, assessment.total_listings
            else:
                flagged_n, total_n = counts.get(seller.id, (0, 0))
            first_flagged = case.first_flagged_at if case is not None else seller.first_flagged_at
            scanned = [
                t for t in (case.last_scanned_at if case else None, seller.last_seen_at) if t
            ]
            rows.append(
                {
                    "platform": seller.platform,
                    "seller_id": seller.seller_key,
                    "seller_name": seller.name,
                    "seller_url": seller.url,
                    "location": seller.location,
                    "risk": None if risk is None else round(risk, 3),
                    "flagged_listings": flagged_n,
                    "total_listings": total_n,
                    "top_signals": JOIN.join(signals.get(seller.id) or []) or None,
                    "example_listing_urls": JOIN.join(examples.get(seller.id, [])) or None,
                    "case_id": None if case is None else case.id,
                    "case_status": None if case is None else case.status,
                    "first_flagged_at": first_flagged,
                    "last_scanned_at": max(scanned) if scanned else None,
                    # A seller in no network is a network of one: size 1, no id.
                    "network_id": networks[seller.id][0] if seller.id in networks else None,
                    "network_size": networks[seller.id][1] if seller.id in networks else 1,
                }
            )

    rows.sort(key=lambda r: (-(r["risk"] or 0.0), r["platform"], r["seller_id"]))
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["risk"] = frame["risk"].astype("Float64")
    for name in ("flagged_listings", "total_listings", "case_id", "network_id", "network_size"):
        frame[name] = frame[name].astype("Int64")
    for name in ("first_flagged_at", "last_scanned_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    return frame


def export_format(out: Path, fmt: str | None) -> Format:
    """The format to write `out` in: `fmt` when given, else the file's extension.

    `--out x.xlsx` without `--format` used to write CSV text into an .xlsx file that
    Excel then refused; a name and a format that disagree are refused the same way."""
    suffix = Path(out).suffix.lower().lstrip(".")
    by_name: Format | None = "csv" if suffix == "csv" else "xlsx" if suffix == "xlsx" else None
    if fmt is None:
        if by_name is None:
            raise ValueError(f"cannot tell the format of {out.name!r}: name it .csv or .xlsx, or pass --format")
        return by_name
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown export format {fmt!r}; expected csv or xlsx")
    chosen: Format = "csv" if fmt == "csv" else "xlsx"
    if by_name is not None and by_name != chosen:
        raise ValueError(f"--format {chosen} does not match the file name {out.name!r}")
    return chosen


def write_flagged_sellers(
    frame: pd.DataFrame, out: Path, fmt: Format = "csv", lang: Lang = "en"
) -> Path:
    """Write the export table to `out` as CSV (UTF-8 with BOM) or XLSX; returns `out`."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown export format {fmt!r}; expected csv or xlsx")
    if lang not in ("en", "vi"):
        raise ValueError(f"unknown language {lang!r}; expected en or vi")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"export frame lacks columns: {', '.join(missing)}")
    headers = [VI_LABELS[c] if lang == "vi" else c for c in COLUMNS]
    records = list(_output_rows(frame))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        table = pd.DataFrame(records, columns=headers, dtype=object)
        table.to_csv(out, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    else:
        _write_xlsx(out, headers, records)
    return out


def neutralise(value: str) -> str:
    """Defuse a cell a spreadsheet would evaluate as a formula (CSV injection)."""
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# --------------------------------------------------------------------------- building rows


def _cases(session: Session, seller_ids: list[int]) -> dict[int, ReviewCase]:
    """Per seller: the open case, else the most recent one."""
    chosen: dict[int, ReviewCase] = {}
    stmt = select(ReviewCase).where(ReviewCase.seller_id.in_(seller_ids)).order_by(ReviewCase.id)
    for row in session.scalars(stmt):
        current = chosen.get(row.seller_id)
        if current is None or current.status not in OPEN_CASE_STATUSES:
            chosen[row.seller_id] = row
    return chosen


def _latest_assessments(session: Session, seller_ids: list[int]) -> dict[int, SellerAssessment]:
    latest = (
        select(func.max(SellerAssessment.id))
        .where(SellerAssessment.seller_id.in_(seller_ids))
        .group_by(SellerAssessment.seller_id)
    )
    stmt = select(SellerAssessment).where(SellerAssessment.id.in_(latest))
    return {a.seller_id: a for a in session.scalars(stmt)}


def _live_counts(session: Session, seller_ids: list[int]) -> dict[int, tuple[int, int]]:
    flagged = func.sum(case((Listing.flagged.is_(True), 1), else_=0))
    stmt = (
        select(Listing.seller_id, flagged, func.count(Listing.id))
        .where(Listing.seller_id.in_(seller_ids))
        .group_by(Listing.seller_id)
    )
    return {sid: (int(f or 0), int(n)) for sid, f, n in session.execute(stmt) if sid is not None}


def _example_urls(session: Session, seller_ids: list[int]) -> dict[int, list[str]]:
    stmt = (
        select(Listing.seller_id, Listing.url)
        .where(
            Listing.seller_id.in_(seller_ids), Listing.flagged.is_(True), Listing.url.is_not(None)
        )
        .order_by(Listing.seller_id, Listing.risk.desc(), Listing.id)
    )
    urls: dict[int, list[str]] = defaultdict(list)
    for sid, url in session.execute(stmt):
        if (
            sid is not None
            and url is not None
            and len(urls[sid]) < EXAMPLE_URLS
            and url not in urls[sid]
        ):
            urls[sid].append(url)
    return urls


@dataclass(slots=True)
class _SignalTally:
    count: int = 0
    best_score: float = -1.0
    best_text: str = ""


def _signal_summaries(
    session: Session, seller_ids: list[int], assessments: Mapping[int, SellerAssessment], lang: Lang,
    top: int = TOP_SIGNALS,
) -> dict[int, list[str]]:
    """Per seller: the most frequent (then strongest) signals, one explanation each."""
    tallies: dict[int, dict[str, _SignalTally]] = defaultdict(dict)

    def add(sid: int, code: str, score: float, detail: str, detail_vi: str | None) -> None:
        tally = tallies[sid].setdefault(code, _SignalTally())
        tally.count += 1
        if score > tally.best_score:
            tally.best_score = score
            tally.best_text = detail_vi if lang == "vi" and detail_vi else detail

    stmt = (
        select(
            Listing.seller_id,
            ListingSignal.code,
            ListingSignal.score,
            ListingSignal.detail,
            ListingSignal.detail_vi,
        )
        .join(Listing, ListingSignal.listing_id == Listing.id)
        .where(Listing.seller_id.in_(seller_ids), Listing.flagged.is_(True))
        .order_by(Listing.seller_id, ListingSignal.id)
    )
    for sid, code, score, detail, detail_vi in session.execute(stmt):
        if sid is not None:
            add(sid, code, score, detail, detail_vi)
    for sid, assessment in assessments.items():
        for signal in assessment.signals or []:
            if isinstance(signal, Mapping) and "code" in signal and "detail" in signal:
                add(
                    sid,
                    str(signal["code"]),
                    float(signal.get("score") or 0.0),
                    str(signal["detail"]),
                    signal.get("detail_vi"),
                )

    summaries: dict[int, list[str]] = {}
    for sid, by_code in tallies.items():
        ranked = sorted(by_code.items(), key=lambda kv: (-kv[1].count, -kv[1].best_score, kv[0]))
        summaries[sid] = [
            f"{t.best_text} (×{t.count})" if t.count > 1 else t.best_text
            for _code, t in ranked[:top]
        ]
    return summaries


def why_flagged(session: Session, seller_ids: Iterable[int], lang: Lang, top: int = 2) -> dict[int, list[str]]:
    """Per seller: its `top` signals in words (the queue's "why" column), ranked as the
    export's `top_signals` column ranks them."""
    ids = sorted(set(seller_ids))
    if not ids:
        return {}
    return _signal_summaries(session, ids, _latest_assessments(session, ids), lang, top)


# --------------------------------------------------------------------------- writing


def _output_rows(frame: pd.DataFrame) -> Iterator[list[Any]]:
    for values in frame[list(COLUMNS)].itertuples(index=False, name=None):
        yield [_cell(v) for v in values]


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, pd.Timestamp | datetime):
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, str):
        return neutralise(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _write_xlsx(out: Path, headers: list[str], records: Iterable[list[Any]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "flagged_sellers"
    bold = Font(bold=True)
    widths = [len(h) for h in headers]
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font = bold
    row_no = 1
    for row_no, values in enumerate(records, start=2):
        for col, value in enumerate(values, start=1):
            if isinstance(value, str):
                value = _XLSX_ILLEGAL.sub("", value)
                widths[col - 1] = max(widths[col - 1], min(len(value), 80))
            cell = ws.cell(row=row_no, column=col, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, never a formula
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(row_no, 1)}"
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = max(10, min(width + 2, 82))
    wb.save(out)


def _chunks(items: Sequence[Seller], size: int) -> Iterator[Sequence[Seller]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


__all__ = [
    "COLUMNS",
    "VI_LABELS",
    "flagged_sellers_frame",
    "neutralise",
    "write_flagged_sellers",
]
