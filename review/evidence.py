"""Evidence an inspector can take to enforcement (issue #7).

What the system saw is preserved, dated and tamper-evident:

- `capture_targets` loads each listing page in headless Chromium and keeps the main
  document's HTTP exchange as a WARC file (request + response headers and body; a `revisit`
  record when the same body was archived before) and a full-page PNG screenshot. Both go to
  the content-addressed `EvidenceStore` and are indexed in `evidence` with their SHA-256,
  capture time in UTC and Asia/Ho_Chi_Minh, URL and scan run.
- `capture_for_scan` is what a scan runs after it syncs the queue: every listing seen in the
  scan of every seller with an open case. `capture_url` is the on-request capture.
- Every capture, export, view and purge is a row of the chain-of-custody log
  (`evidence_access`), with who and when.
- `bundle_case` writes a zip for enforcement: the WARC files, screenshots, a printable
  Vietnamese report (HTML and PDF via Chromium's print-to-PDF), the custody log and a
  `manifest.json` of every file's SHA-256; `verify_bundle` re-checks it anywhere, offline.
- `purge` applies the retention setting to evidence of dismissed cases; sellers with a
  confirmed, referred or open case are never purged.

Crawled text is hostile: the report escapes everything (Jinja2 autoescape), prints URLs as
text rather than links, and the PDF is rendered with every network request blocked.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from crawler.evidence import Revisit, build_warc, http_headers_list
from detectors.money import vnd_vi
from detectors.vntime import VIETNAM_TZ_NAME, local_time
from review import zip_hash
from rules.yaml_guard import safe_load_guarded
from storage import repo
from storage.db import session_factory
from storage.evidence_store import EvidenceStore, default_root
from storage.models import (
    CaseEvent,
    Evidence,
    EvidenceAccess,
    Listing,
    ListingObservation,
    ListingSignal,
    ReviewCase,
    ScanRun,
    Seller,
)

log = logging.getLogger("listingwatch.evidence")

SYSTEM: Final = "system"
SETTINGS_FILE: Final = "evidence.yaml"
PACKAGED_RULES: Final = Path(__file__).resolve().parents[1] / "rules"
BUNDLE_FORMAT: Final = "listingwatch-evidence-bundle/1"
MANIFEST: Final = "manifest.json"
MANIFEST_HASH: Final = "manifest.sha256"
#: Sellers with a case in one of these states keep their evidence whatever its age.
KEEP_STATUSES: Final = ("open", "in_review", "confirmed", "referred")
LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})


class EvidenceError(Exception):
    """A domain error of the evidence side (the CLI maps it to exit code 1)."""


class EvidenceConfigError(EvidenceError, ValueError):
    pass


# --------------------------------------------------------------------------- settings


class EvidenceSettings(BaseModel):
    """`rules/evidence.yaml`, validated (see the comments in that file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    capture_on_scan: bool = True
    retention_days_dismissed: int = Field(default=365, ge=0)
    max_listings_per_seller: int = Field(default=50, ge=1)
    viewport_width: int = Field(default=1280, ge=320, le=4000)
    viewport_height: int = Field(default=900, ge=320, le=4000)
    page_timeout_seconds: float = Field(default=20.0, gt=0)
    settle_ms: int = Field(default=150, ge=0)


def load_evidence_settings(rules_dir: Path | None = None) -> EvidenceSettings:
    """The evidence settings: `rules_dir` (or `$LISTINGWATCH_RULES`) if it has an
    `evidence.yaml`, else the packaged one; `$LISTINGWATCH_EVIDENCE_CAPTURE=0` and
    `$LISTINGWATCH_EVIDENCE_RETENTION_DAYS` override for one deployment."""
    candidates = [rules_dir, Path(os.environ["LISTINGWATCH_RULES"]) if os.environ.get(
        "LISTINGWATCH_RULES") else None, PACKAGED_RULES]
    path = next(p / SETTINGS_FILE for p in candidates if p is not None and (p / SETTINGS_FILE).exists())
    try:
        data = safe_load_guarded(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise EvidenceConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise EvidenceConfigError(f"{path}: expected a mapping of settings")
    capture = os.environ.get("LISTINGWATCH_EVIDENCE_CAPTURE")
    if capture is not None and capture.strip() != "":
        data["capture_on_scan"] = capture.strip().lower() not in ("0", "false", "no", "off")
    days = os.environ.get("LISTINGWATCH_EVIDENCE_RETENTION_DAYS")
    if days is not None and days.strip() != "":
        data["retention_days_dismissed"] = days.strip()
    try:
        return EvidenceSettings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise EvidenceConfigError(f"{path}: {where}: {first['msg']}") from exc


# --------------------------------------------------------------------------- capture


@dataclass(frozen=True, slots=True)
class CaptureTarget:
    url: str
    listing_pk: int | None = None
    case_id: int | None = None


@dataclass
class CaptureResult:
    target: CaptureTarget
    captured_at: datetime | None = None
    warc_id: int | None = None
    screenshot_id: int | None = None
    warc_sha256: str | None = None
    screenshot_sha256: str | None = None
    payload_sha256: str | None = None
    record_type: str | None = None
    http_status: int | None = None
    new_bytes: int = 0
    error: str | None = None


def _chromium() -> tuple[str, list[str]]:
    from crawler import settings as crawl_settings

    options = crawl_settings.PLAYWRIGHT_LAUNCH_OPTIONS
    return str(options["executable_path"]), list(options["args"])


@contextmanager
def _browser(settings: EvidenceSettings, *, local_only: bool) -> Iterator[Any]:
    """A Chromium context; `local_only` aborts every request that leaves 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    from crawler import settings as crawl_settings

    executable, args = _chromium()
    if not Path(executable).exists():
        raise EvidenceError(f"no Chromium at {executable} (set LISTINGWATCH_CHROMIUM)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=args, headless=True)
        try:
            context = browser.new_context(
                viewport={"width": settings.viewport_width, "height": settings.viewport_height},
                locale="vi-VN",
                timezone_id=VIETNAM_TZ_NAME,
                user_agent=crawl_settings.USER_AGENT,
            )
            if local_only:
                def guard(route: Any) -> None:
                    host = urlsplit(route.request.url).hostname
                    if route.request.url.startswith(("http:", "https:")) and host not in LOCAL_HOSTS:
                        route.abort()
                    else:
                        route.continue_()

                context.route("**/*", guard)
            yield context
        finally:
            browser.close()


def capture_targets(
    sessions: sessionmaker[Session],
    targets: Sequence[CaptureTarget],
    *,
    store: EvidenceStore,
    scan_run_id: int | None = None,
    actor: str = SYSTEM,
    settings: EvidenceSettings | None = None,
) -> list[CaptureResult]:
    """Capture each target (WARC + full-page PNG), index it and log it in the custody log.

    A page that fails (timeout, bad URL) is a result with `error`, not an exception: one
    dead listing must not cost the evidence of the others.
    """
    settings = settings or load_evidence_settings()
    results = [CaptureResult(target) for target in targets]
    usable: list[CaptureResult] = []
    for result in results:
        scheme = urlsplit(result.target.url).scheme
        if scheme not in ("http", "https"):
            result.error = f"not an http(s) URL: {result.target.url!r}"
        else:
            usable.append(result)
    if not usable:
        return results
    local_only = all(urlsplit(r.target.url).hostname in LOCAL_HOSTS for r in usable)
    with _browser(settings, local_only=local_only) as context:
        page = context.new_page()
        for result in usable:
            try:
                _capture_one(page, result, sessions, store, scan_run_id, actor, settings)
            except Exception as exc:  # counted per listing; the run goes on
                result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                log.warning("evidence capture of %s failed: %s", result.target.url, result.error)
                page.close()
                page = context.new_page()
    return results


def _capture_one(
    page: Any,
    result: CaptureResult,
    sessions: sessionmaker[Session],
    store: EvidenceStore,
    scan_run_id: int | None,
    actor: str,
    settings: EvidenceSettings,
) -> None:
    target = result.target
    response = page.goto(target.url, wait_until="load", timeout=settings.page_timeout_seconds * 1000)
    if response is None:
        raise EvidenceError(f"no response for {target.url}")
    if settings.settle_ms:
        page.wait_for_timeout(settings.settle_ms)
    captured_at = datetime.now(UTC)
    body: bytes = response.body()
    png: bytes = page.screenshot(full_page=True, type="png", animations="disabled")
    request_headers = [(k, v) for k, v in response.request.all_headers().items()
                       if not k.startswith(":")]
    payload = hashlib.sha256(body).hexdigest()
    local = local_time(captured_at).isoformat()
    with sessions() as session, session.begin():
        original = repo.original_response(session, payload)
        revisit = None if original is None or original.url is None else Revisit(
            original.url, original.captured_at)
        warc = build_warc(
            url=response.url, method=response.request.method, request_headers=request_headers,
            status=response.status, reason=response.status_text,
            response_headers=http_headers_list(response.headers_array()), body=body,
            captured_at=captured_at, scan_run_id=scan_run_id, revisit_of=revisit,
            note=f"listing page captured by {actor} with headless Chromium",
        )
        stored_warc = store.put(warc.data, "warc.gz")
        stored_png = store.put(png, "png")
        common: dict[str, Any] = {
            "listing_id": target.listing_pk, "scan_run_id": scan_run_id, "url": response.url,
            "captured_at": captured_at, "captured_at_local": local,
            "http_status": response.status,
        }
        warc_row = repo.record_evidence(
            session, kind="warc", path=stored_warc.path, sha256=stored_warc.sha256,
            size=stored_warc.size, media_type="application/warc",
            payload_sha256=warc.payload_sha256, record_type=warc.record_type, **common,
        )
        png_row = repo.record_evidence(
            session, kind="screenshot", path=stored_png.path, sha256=stored_png.sha256,
            size=stored_png.size, media_type="image/png", record_type="image",
            payload_sha256=stored_png.sha256, **common,
        )
        for row in (warc_row, png_row):
            repo.record_custody(
                session, action="capture", actor=actor, case_id=target.case_id,
                evidence_id=row.id, at=captured_at,
                detail={"kind": row.kind, "url": row.url, "sha256": row.sha256,
                        "scan_run_id": scan_run_id, "captured_at_local": local},
            )
        result.warc_id, result.screenshot_id = warc_row.id, png_row.id
    result.captured_at = captured_at
    result.warc_sha256, result.screenshot_sha256 = stored_warc.sha256, stored_png.sha256
    result.payload_sha256, result.record_type = warc.payload_sha256, warc.record_type
    result.http_status = response.status
    result.new_bytes = (stored_warc.size if stored_warc.new else 0) + (
        stored_png.size if stored_png.new else 0)


def capture_for_scan(
    db_url: str,
    scan_run_id: int,
    seller_pks: Sequence[int],
    *,
    settings: EvidenceSettings | None = None,
    store: EvidenceStore | None = None,
) -> dict[str, Any]:
    """After a scan: capture the listings seen in it of every seller with an open case.

    Never raises (the scan's own result matters more); the counts, and an error if the
    browser could not run, are stored under `counts["evidence"]` of the scan run.
    """
    counts: dict[str, Any] = {"listings": 0, "captured": 0, "failed": 0, "new_bytes": 0}
    try:
        settings = settings or load_evidence_settings()
        if not settings.capture_on_scan:
            return {"skipped": "capture_on_scan is off"}
        sessions = session_factory(db_url)
        store = store or EvidenceStore(default_root(db_url))
        targets: list[CaptureTarget] = []
        with sessions() as session:
            for seller_pk in sorted(set(seller_pks)):
                case = session.scalar(select(ReviewCase).where(
                    ReviewCase.seller_id == seller_pk, ReviewCase.status.in_(("open", "in_review"))))
                if case is None:
                    continue
                rows = session.execute(
                    select(Listing.id, Listing.url)
                    .where(Listing.seller_id == seller_pk, Listing.last_scan_run_id == scan_run_id,
                           Listing.url.is_not(None))
                    .order_by(Listing.flagged.desc(), Listing.risk.desc(), Listing.id)
                    .limit(settings.max_listings_per_seller)
                ).all()
                targets.extend(CaptureTarget(str(url), pk, case.id) for pk, url in rows)
        counts["listings"] = len(targets)
        if targets:
            results = capture_targets(sessions, targets, store=store, scan_run_id=scan_run_id,
                                      settings=settings)
            counts["captured"] = sum(1 for r in results if r.error is None)
            counts["failed"] = sum(1 for r in results if r.error is not None)
            counts["new_bytes"] = sum(r.new_bytes for r in results)
    except Exception as exc:  # a missing browser must not fail the scan that found the sellers
        log.exception("evidence capture after scan run %s failed", scan_run_id)
        counts["error"] = f"{type(exc).__name__}: {exc}"
    try:
        with session_factory(db_url)() as session, session.begin():
            run = session.get(ScanRun, scan_run_id)
            if run is not None:
                run.counts = {**(run.counts or {}), "evidence": counts}
    except Exception:
        log.exception("could not record evidence counts on scan run %s", scan_run_id)
    return counts


def capture_url(
    db_url: str, url: str, *, actor: str, store: EvidenceStore | None = None,
    settings: EvidenceSettings | None = None,
) -> CaptureResult:
    """Capture any page on request; linked to the stored listing (and its seller's open
    case) when the URL is a known listing's."""
    sessions = session_factory(db_url)
    with sessions() as session:
        listing = session.scalar(select(Listing).where(Listing.url == url).limit(1))
        listing_pk = None if listing is None else listing.id
        case_id = None
        if listing is not None and listing.seller_id is not None:
            case_id = session.scalar(
                select(ReviewCase.id).where(ReviewCase.seller_id == listing.seller_id)
                .order_by(ReviewCase.opened_at.desc(), ReviewCase.id.desc()).limit(1))
    store = store or EvidenceStore(default_root(db_url))
    return capture_targets(sessions, [CaptureTarget(url, listing_pk, case_id)], store=store,
                           actor=actor, settings=settings)[0]


# --------------------------------------------------------------------------- custody


def custody_log(session: Session, case_id: int) -> list[EvidenceAccess]:
    stmt = (select(EvidenceAccess).where(EvidenceAccess.case_id == case_id)
            .order_by(EvidenceAccess.at, EvidenceAccess.id))
    return list(session.scalars(stmt))


def log_view(session: Session, case_id: int, actor: str, evidence_id: int | None = None) -> None:
    """Record that someone looked at a case's evidence (the web app calls this too)."""
    repo.record_custody(session, action="view", actor=actor, case_id=case_id,
                        evidence_id=evidence_id)


def case_evidence(session: Session, case_id: int) -> list[Evidence]:
    """Every evidence row of the case's seller's listings, oldest first."""
    case = session.get(ReviewCase, case_id)
    if case is None:
        raise EvidenceError(f"case {case_id} does not exist")
    stmt = (
        select(Evidence).join(Listing, Evidence.listing_id == Listing.id)
        .where(Listing.seller_id == case.seller_id)
        .order_by(Evidence.listing_id, Evidence.captured_at, Evidence.id)
    )
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------- bundle


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
            captures.append({
                "evidence_id": row.id, "kind": row.kind, "record_type": row.record_type,
                "listing_id": row.listing_id, "url": row.url, "scan_run_id": row.scan_run_id,
                "http_status": row.http_status, "captured_at_utc": _iso(row.captured_at),
                "captured_at_local": row.captured_at_local or _local(row.captured_at),
                "sha256": row.sha256, "payload_sha256": row.payload_sha256, "size": row.size,
                "file": name, "included_as_original_of_revisit": row.id in originals,
            })
        data = _report_data(session, case, captures, actor, now)
        custody = [
            {"at_utc": _iso(e.at), "at_local": _local(e.at), "action": e.action,
             "actor": e.actor, "evidence_id": e.evidence_id, "detail": e.detail}
            for e in custody_log(session, case_id)
        ]
    html = render_report(data)
    files["report.html"] = html.encode("utf-8")
    if pdf:
        files["report.pdf"] = render_pdf(html)
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


STATUS_VI: Final = {"open": "Mới mở", "in_review": "Đang xem xét",
                    "confirmed": "Đã xác nhận vi phạm", "dismissed": "Đã bác bỏ",
                    "referred": "Đã chuyển cơ quan chức năng"}
EVENT_VI: Final = {"opened": "Mở vụ việc", "rescored": "Chấm điểm lại", "assigned": "Phân công",
                   "status": "Quyết định", "note": "Ghi chú"}
KIND_VI: Final = {"warc": "Phản hồi gốc (WARC)", "screenshot": "Ảnh chụp toàn trang (PNG)",
                  "raw": "Phản hồi gốc"}

REPORT_TEMPLATE: Final = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Hồ sơ chứng cứ vụ việc #{{ case.id }}</title>
<style>
body{font-family:"DejaVu Sans","Noto Sans",Arial,sans-serif;font-size:10.5pt;margin:18mm 14mm;color:#111}
h1{font-size:16pt;margin:0 0 4pt} h2{font-size:12.5pt;border-bottom:1px solid #444;margin-top:16pt}
h3{font-size:11pt;margin:12pt 0 4pt} table{border-collapse:collapse;width:100%;margin:4pt 0}
th,td{border:1px solid #999;padding:2pt 4pt;text-align:left;vertical-align:top}
th{background:#eee} .mono{font-family:"DejaVu Sans Mono",monospace;font-size:8pt;word-break:break-all}
.flag{color:#a00;font-weight:bold} .listing{page-break-inside:avoid} .small{font-size:9pt;color:#333}
</style></head><body>
<h1>HỒ SƠ CHỨNG CỨ ĐIỆN TỬ — VỤ VIỆC #{{ case.id }}</h1>
<p class="small">Lập lúc {{ generated_local }} (giờ Việt Nam) / {{ generated_utc }} (UTC), người lập: {{ actor }}.
Tính toàn vẹn: mỗi tệp trong gói có mã SHA-256 ghi trong <span class="mono">manifest.json</span>;
kiểm tra bằng lệnh <span class="mono">listingwatch evidence verify &lt;tệp.zip&gt;</span>.</p>

<h2>1. Người bán</h2>
<table>
<tr><th>Nền tảng</th><td>{{ seller.platform }}</td><th>Mã người bán</th><td>{{ seller.id }}</td></tr>
<tr><th>Tên gian hàng</th><td colspan="3">{{ seller.name or "—" }}</td></tr>
<tr><th>Địa chỉ gian hàng</th><td colspan="3" class="mono">{{ seller.url or "—" }}</td></tr>
<tr><th>Khu vực</th><td>{{ seller.location or "—" }}</td><th>Gian hàng chính hãng</th><td>{{ yesno(seller.is_official) }}</td></tr>
<tr><th>Mã số doanh nghiệp / ĐKKD</th><td>{{ seller.business_id or "không công bố" }}</td><th>Điện thoại</th><td>{{ seller.phone or "không công bố" }}</td></tr>
<tr><th>Địa chỉ</th><td colspan="3">{{ seller.address or "không công bố" }}</td></tr>
<tr><th>Mức rủi ro</th><td colspan="3">{{ pct(seller.risk) }}</td></tr>
</table>

<h2>2. Vụ việc và lịch sử quyết định</h2>
<table>
<tr><th>Trạng thái</th><td>{{ status_vi(case.status) }}</td><th>Mức rủi ro</th><td>{{ pct(case.risk) }}</td></tr>
<tr><th>Mở lúc</th><td>{{ case.opened_local }}</td><th>Đóng lúc</th><td>{{ case.closed_local or "—" }}</td></tr>
<tr><th>Ghi chú quyết định</th><td colspan="3">{{ case.note or "—" }}</td></tr>
</table>
<table><tr><th>Thời điểm (giờ VN)</th><th>Người thực hiện</th><th>Hành động</th><th>Trạng thái</th><th>Ghi chú</th></tr>
{% for e in events %}<tr><td>{{ e.at }}</td><td>{{ e.actor }}</td><td>{{ event_vi(e.kind) }}</td>
<td>{% if e.to %}{{ status_vi(e.from) if e.from else "" }} → {{ status_vi(e.to) }}{% endif %}</td><td>{{ e.note or "" }}</td></tr>
{% endfor %}</table>

<h2>3. Sản phẩm đăng bán ({{ listings|length }}), dấu hiệu vi phạm và giá theo thời gian</h2>
{% for l in listings %}<div class="listing">
<h3>{{ loop.index }}. {% if l.flagged %}<span class="flag">[NGHI VẤN]</span> {% endif %}{{ l.title }}</h3>
<table>
<tr><th>Mã sản phẩm</th><td>{{ l.key }}</td><th>Mức rủi ro</th><td>{{ pct(l.risk) }}</td></tr>
<tr><th>Địa chỉ trang</th><td colspan="3" class="mono">{{ l.url or "—" }}</td></tr>
<tr><th>Thương hiệu</th><td>{{ l.brand or "—" }}</td><th>Mã vạch (GTIN)</th><td>{{ l.gtin or "không có" }}</td></tr>
<tr><th>Giá bán</th><td>{{ vnd(l.price) }}</td><th>Giá niêm yết</th><td>{{ vnd(l.list_price) }}</td></tr>
</table>
{% if l.signals %}<p><b>Dấu hiệu:</b></p><ul>{% for s in l.signals %}<li>{{ s.detail }} <span class="small">({{ s.code }})</span></li>{% endfor %}</ul>{% endif %}
{% if l.history %}<table><tr><th>Thời điểm ghi nhận (giờ VN)</th><th>Giá bán</th><th>Giá niêm yết</th><th>Đã bán</th></tr>
{% for h in l.history %}<tr><td>{{ h.at }}</td><td>{{ vnd(h.price) }}</td><td>{{ vnd(h.list_price) }}</td><td>{{ h.sold if h.sold is not none else "—" }}</td></tr>{% endfor %}</table>{% endif %}
{% if l.captures %}<table><tr><th>Chứng cứ</th><th>Thu thập lúc (giờ VN / UTC)</th><th>Lần quét</th><th>Tệp và SHA-256</th></tr>
{% for c in l.captures %}<tr><td>{{ kind_vi(c.kind) }}{% if c.record_type == "revisit" %} — nội dung trùng lần thu trước{% endif %}{% if c.http_status %}, HTTP {{ c.http_status }}{% endif %}</td>
<td>{{ c.captured_at_local }}<br>{{ c.captured_at_utc }}</td><td>{{ c.scan_run_id or "theo yêu cầu" }}</td>
<td class="mono">{{ c.file }}<br>{{ c.sha256 }}</td></tr>{% endfor %}</table>
{% else %}<p class="small">Chưa thu thập chứng cứ cho sản phẩm này.</p>{% endif %}
</div>{% endfor %}
<p class="small">Tổng số tệp chứng cứ: {{ captures }}. Nội dung văn bản lấy từ trang của người bán được giữ nguyên, không diễn giải.</p>
</body></html>
"""


def _vnd(value: int | None) -> str:
    return "—" if value is None else vnd_vi(value)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _yesno(value: bool | None) -> str:
    return "không rõ" if value is None else "có" if value else "không"


def render_report(data: dict[str, Any]) -> str:
    """The printable Vietnamese report; every value is escaped (autoescape)."""
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(
        vnd=_vnd, pct=_pct, yesno=_yesno,
        status_vi=lambda s: STATUS_VI.get(s, s), event_vi=lambda k: EVENT_VI.get(k, k),
        kind_vi=lambda k: KIND_VI.get(k, k),
    )
    return env.from_string(REPORT_TEMPLATE).render(**data)


def render_pdf(html: str, settings: EvidenceSettings | None = None) -> bytes:
    """Chromium's print-to-PDF of the report, with the network shut off (nothing in the
    report should load anything; if crawled text tried, it gets nowhere)."""
    from playwright.sync_api import sync_playwright

    executable, args = _chromium()
    if not Path(executable).exists():
        raise EvidenceError(f"no Chromium at {executable} for the PDF (use --no-pdf)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=args, headless=True)
        try:
            context = browser.new_context(java_script_enabled=False)
            context.route("**/*", lambda route: route.abort())
            page = context.new_page()
            page.set_content(html, wait_until="load")
            pdf: bytes = page.pdf(format="A4", print_background=True,
                                  margin={"top": "0", "bottom": "12mm", "left": "0", "right": "0"})
            return pdf
        finally:
            browser.close()


# --------------------------------------------------------------------------- verify


@dataclass
class VerifyReport:
    path: Path
    ok: bool
    case_id: int | None = None
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    manifest_sha256: str | None = None

    def lines(self) -> list[str]:
        out = [f"changed: {name}" for name in self.changed]
        out += [f"added: {name}" for name in self.added]
        out += [f"removed: {name}" for name in self.removed]
        out += [f"problem: {p}" for p in self.problems]
        return out


def verify_bundle(path: Path) -> VerifyReport:
    """Re-hash every file of a bundle against its manifest (offline, no database).

    Reports each file that changed (including one the zip itself can no longer read),
    was added or was removed. `manifest.json` is guarded by `manifest.sha256`; compare
    `manifest_sha256` with the export entry of the case's custody log to know the bundle
    is the one the system produced.
    """
    report = VerifyReport(path=path, ok=False)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.problems.append(f"{path}: not a readable zip file ({exc})")
        return report
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > zip_hash.MAX_ENTRIES:
            report.problems.append(f"{path}: more than {zip_hash.MAX_ENTRIES:,} entries")
            return report
        names = [info.filename for info in infos]
        # Entries are hashed in chunks under caps (a zip bomb is a problem, not an OOM);
        # only the manifest and its hash line are kept whole.
        budget = zip_hash.Budget()
        contents: dict[str, bytes | None] = {}
        digests: dict[str, str | None] = {}
        for info in infos:
            name = info.filename
            try:
                if name in (MANIFEST, MANIFEST_HASH):
                    contents[name] = zip_hash.entry_bytes(archive, info, budget)
                    digests[name] = hashlib.sha256(contents[name] or b"").hexdigest()
                else:
                    digests[name] = zip_hash.entry_sha256(archive, info, budget)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                # zip's own CRC caught the change before we could hash it, or it is too big
                contents[name] = None
                digests[name] = None
                report.problems.append(f"{name}: unreadable ({exc})")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    for name in duplicates:
        report.added.append(name)
    manifest_raw = contents.get(MANIFEST)
    if manifest_raw is None:
        if MANIFEST in contents:
            report.changed.append(MANIFEST)
        else:
            report.removed.append(MANIFEST)
        return report
    report.manifest_sha256 = hashlib.sha256(manifest_raw).hexdigest()
    hash_line = contents.get(MANIFEST_HASH)
    if hash_line is None:
        (report.changed if MANIFEST_HASH in contents else report.removed).append(MANIFEST_HASH)
    else:
        recorded = hash_line.decode("utf-8", errors="replace").split()
        if not recorded or recorded[0] != report.manifest_sha256:
            report.changed.append(MANIFEST)
    try:
        manifest = json.loads(manifest_raw.decode("utf-8"))
        entries = {str(f["path"]): str(f["sha256"]) for f in manifest["files"]}
        report.case_id = manifest.get("case_id")
    except (ValueError, KeyError, TypeError) as exc:
        if MANIFEST not in report.changed:
            report.changed.append(MANIFEST)
        report.problems.append(f"{MANIFEST}: not a valid manifest ({exc})")
        return report
    for name, expected in sorted(entries.items()):
        if name not in digests:
            report.removed.append(name)
            continue
        report.checked += 1
        if digests[name] != expected:
            report.changed.append(name)
    for name in sorted(digests):
        if name not in entries and name not in (MANIFEST, MANIFEST_HASH):
            report.added.append(name)
    report.ok = not (report.changed or report.added or report.removed or report.problems)
    return report


# --------------------------------------------------------------------------- retention


@dataclass
class PurgeReport:
    sellers: list[int] = field(default_factory=list)
    rows_deleted: int = 0
    files_deleted: int = 0
    bytes_freed: int = 0
    dry_run: bool = False


def purge(
    db_url: str,
    *,
    retention_days: int | None = None,
    now: datetime | None = None,
    actor: str = SYSTEM,
    store: EvidenceStore | None = None,
    dry_run: bool = False,
) -> PurgeReport:
    """Delete evidence of sellers whose case was dismissed more than `retention_days` ago.

    A seller keeps everything while any of its cases is open, in review, confirmed or
    referred. A WARC response record that another seller's surviving revisit points at is
    kept (it holds the shared body), and a file is removed only when no row uses it.
    """
    days = load_evidence_settings().retention_days_dismissed if retention_days is None \
        else retention_days
    if days < 0:
        raise EvidenceConfigError("retention days cannot be negative")
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=days)
    store = store or EvidenceStore(default_root(db_url))
    report = PurgeReport(dry_run=dry_run)
    sessions = session_factory(db_url)
    unlink: list[str] = []
    with sessions() as session, session.begin():
        kept = select(ReviewCase.seller_id).where(ReviewCase.status.in_(KEEP_STATUSES))
        last_dismissed = (
            select(ReviewCase.seller_id, func.max(ReviewCase.closed_at).label("closed"),
                   func.max(ReviewCase.id).label("case_id"))
            .where(ReviewCase.status == "dismissed")
            .group_by(ReviewCase.seller_id).subquery()
        )
        candidates = session.execute(
            select(last_dismissed.c.seller_id, last_dismissed.c.case_id)
            .where(last_dismissed.c.closed <= cutoff, last_dismissed.c.seller_id.not_in(kept))
            .order_by(last_dismissed.c.seller_id)
        ).all()
        for seller_pk, case_id in candidates:
            rows = list(session.scalars(
                select(Evidence).join(Listing, Evidence.listing_id == Listing.id)
                .where(Listing.seller_id == seller_pk)))
            if not rows:
                continue
            ids = {r.id for r in rows}
            doomed = []
            for row in rows:
                if row.record_type == "response" and row.payload_sha256 is not None:
                    needed = session.scalar(select(func.count(Evidence.id)).where(
                        Evidence.payload_sha256 == row.payload_sha256,
                        Evidence.record_type == "revisit", Evidence.id.not_in(ids)))
                    if needed:
                        continue
                doomed.append(row)
            report.sellers.append(seller_pk)
            report.rows_deleted += len(doomed)
            paths = {r.path for r in doomed}
            if dry_run:
                continue
            doomed_ids = [r.id for r in doomed]
            session.execute(delete(Evidence).where(Evidence.id.in_(doomed_ids)),
                            execution_options={"synchronize_session": False})
            freed = 0
            for path in sorted(paths):
                still_used = session.scalar(select(func.count(Evidence.id))
                                            .where(Evidence.path == path))
                if not still_used and path not in unlink:
                    unlink.append(path)
                    target = store.path(path)
                    freed += target.stat().st_size if target.exists() else 0
            report.bytes_freed += freed
            repo.record_custody(
                session, action="purge", actor=actor, case_id=case_id, at=now,
                detail={"seller_id": seller_pk, "evidence_rows": len(doomed_ids),
                        "bytes_freed": freed, "retention_days": days},
            )
    # Files go only after the deletions are committed: a failed transaction leaves both.
    for path in unlink:
        store.delete(path)
        report.files_deleted += 1
    return report

