"""Evidence an inspector can take to enforcement (issue #7): capture, custody, bundle,
report, verify, purge, one module each; this package re-exports what callers use.

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

from review.evidence.bundle import BUNDLE_FORMAT, MANIFEST, MANIFEST_HASH, BundleResult, bundle_case
from review.evidence.capture import (
    CaptureResult,
    CaptureTarget,
    capture_for_scan,
    capture_targets,
    capture_url,
)
from review.evidence.custody import case_evidence, custody_log, log_view
from review.evidence.purge import PurgeReport, purge
from review.evidence.report import render_pdf, render_report
from review.evidence.settings import (
    KEEP_STATUSES,
    LOCAL_HOSTS,
    SYSTEM,
    EvidenceConfigError,
    EvidenceError,
    EvidenceSettings,
    load_evidence_settings,
)
from review.evidence.verify import VerifyReport, verify_bundle

__all__ = [
    "BUNDLE_FORMAT", "KEEP_STATUSES", "LOCAL_HOSTS", "MANIFEST", "MANIFEST_HASH", "SYSTEM",
    "BundleResult", "CaptureResult", "CaptureTarget", "EvidenceConfigError", "EvidenceError",
    "EvidenceSettings", "PurgeReport", "VerifyReport", "bundle_case", "capture_for_scan",
    "capture_targets", "capture_url", "case_evidence", "custody_log", "load_evidence_settings",
    "log_view", "purge", "render_pdf", "render_report", "verify_bundle",
]  # fmt: skip
