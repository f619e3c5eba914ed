"""`evidence capture|bundle|verify|list|purge`: evidence for enforcement (issue #7)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.app import ActorOption, DbOption, _actor, _db_url, _sessions, app, err, fail, out

evidence_app = typer.Typer(help="Evidence for enforcement: capture, bundle, verify, purge.",
                           no_args_is_help=True)
app.add_typer(evidence_app, name="evidence")


@evidence_app.command("capture")
def evidence_capture(
    url: Annotated[str, typer.Argument(help="The listing page to preserve.")],
    db: DbOption = None,
    actor: ActorOption = None,
    demo_url: Annotated[list[str] | None, typer.Option(
        "--demo-url", help="Root of a running demo marketplace to allow (also $LISTINGWATCH_DEMO_URL).")] = None,
) -> None:
    """Capture one page now: WARC record (request + response) and full-page screenshot.
    Public addresses only, plus the demo marketplaces named (issue 14, item 6)."""
    from crawler.seller_urls import demo_origins_from_env
    from review.evidence import EvidenceError, capture_url

    if not url.startswith(("http://", "https://")):
        raise fail(f"not an http(s) URL: {url!r}", 2)
    origins = tuple(demo_url or ()) + demo_origins_from_env()
    try:
        result = capture_url(_db_url(db), url, actor=_actor(actor, db), allowed_origins=origins)
    except EvidenceError as exc:
        raise fail(str(exc)) from exc
    if result.error is not None:
        raise fail(f"capture of {url} failed: {result.error}")
    assert result.captured_at is not None
    from detectors.vntime import VIETNAM_TZ_NAME, local_time

    out.print(f"captured {url} (HTTP {result.http_status})", markup=False)
    out.print(f"  at {result.captured_at.isoformat()} UTC = {local_time(result.captured_at).isoformat()} {VIETNAM_TZ_NAME}", markup=False)
    out.print(f"  warc #{result.warc_id} sha256 {result.warc_sha256} ({result.record_type})", markup=False)
    out.print(f"  screenshot #{result.screenshot_id} sha256 {result.screenshot_sha256}", markup=False)
    if result.target.listing_pk is None:
        out.print("  (not a stored listing: kept unlinked)", markup=False)


@evidence_app.command("bundle")
def evidence_bundle(
    case_id: Annotated[int, typer.Argument(help="The review case.")],
    out_path: Annotated[Path, typer.Option("--out", help="The zip file to write.")],
    db: DbOption = None,
    actor: ActorOption = None,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Also print the report to PDF (Chromium).")] = True,
) -> None:
    """Write a case's evidence bundle: WARC files, screenshots, report (HTML + PDF), manifest."""
    from review.evidence import EvidenceError, bundle_case
    from storage.evidence_store import EvidenceStoreError

    try:
        result = bundle_case(_db_url(db), case_id, out_path, actor=_actor(actor, db), pdf=pdf)
    except (EvidenceError, EvidenceStoreError) as exc:
        raise fail(str(exc)) from exc
    out.print(f"wrote {result.path}: {result.files} files, {result.captures} captures", markup=False)
    out.print(f"manifest sha256 {result.manifest_sha256} (recorded in the custody log)", markup=False)


@evidence_app.command("verify")
def evidence_verify(bundle: Annotated[Path, typer.Argument(help="A bundle zip.")]) -> None:
    """Check every hash of a bundle; exit 1 naming each file changed, added or removed."""
    from review.evidence import verify_bundle

    if not bundle.exists():
        raise fail(f"no such file: {bundle}", 2)
    report = verify_bundle(bundle)
    for line in report.lines():
        err.print(line, markup=False)
    if not report.ok:
        raise fail(f"{bundle}: NOT intact")
    out.print(f"{bundle}: OK, {report.checked} files match the manifest (case {report.case_id}, "
              f"manifest sha256 {report.manifest_sha256})", markup=False)


@evidence_app.command("list")
def evidence_list(
    case_id: Annotated[int, typer.Argument()], db: DbOption = None, actor: ActorOption = None,
) -> None:
    """A case's evidence and its custody log (the look is logged as a view)."""
    from detectors.vntime import VIETNAM_TZ_NAME, format_local
    from review.evidence import EvidenceError, case_evidence, custody_log, log_view

    who = _actor(actor, db)
    with _sessions(db)() as session, session.begin():
        try:
            rows = case_evidence(session, case_id)
        except EvidenceError as exc:
            raise fail(str(exc)) from exc
        log_view(session, case_id, who)
        for row in rows:
            out.print(f"#{row.id} listing {row.listing_id} {row.kind} {row.record_type or ''} "
                      f"{format_local(row.captured_at)} run {row.scan_run_id} "
                      f"{row.sha256} {row.url or ''}", markup=False)
        out.print(f"custody (times in {VIETNAM_TZ_NAME}):", markup=False)
        for entry in custody_log(session, case_id):
            out.print(f"  {format_local(entry.at)} {entry.actor} {entry.action} evidence {entry.evidence_id}", markup=False)


@evidence_app.command("purge")
def evidence_purge(
    db: DbOption = None,
    days: Annotated[int | None, typer.Option("--days", help="Retention for dismissed cases (default: rules/evidence.yaml).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would go, delete nothing.")] = False,
    actor: ActorOption = None,
) -> None:
    """Apply the retention setting to evidence of dismissed cases (confirmed/referred never)."""
    from review.evidence import EvidenceError, purge

    if days is not None and days < 0:
        raise fail("--days cannot be negative", 2)
    try:
        report = purge(_db_url(db), retention_days=days, actor=_actor(actor, db), dry_run=dry_run)
    except EvidenceError as exc:
        raise fail(str(exc)) from exc
    verb = "would delete" if dry_run else "deleted"
    out.print(f"{verb} {report.rows_deleted} evidence rows of {len(report.sellers)} sellers, "
              f"{report.files_deleted} files, {report.bytes_freed} bytes", markup=False)
