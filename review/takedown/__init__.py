"""Takedown requests to platforms (issue 16): draft from a confirmed case, send, check removal.

- `create_takedowns` drafts one request per platform from a confirmed case and writes its
  Vietnamese document (HTML from `templates/request.html`, PDF through the evidence report's
  Chromium path) and a CSV for the platforms' bulk IP forms;
- `send_takedown` records who sent it, when and how; the platform's deadline (Decree
  85/2021/NĐ-CP: 24 h) starts then;
- `verify_takedowns` re-fetches every listing through the normal spiders after the deadline
  and records removed / still_online / unreachable; a request with listings still online past
  its deadline is escalated. Unreachable is never removed.

Every step is a ``takedown`` case event (`storage.repo.takedowns`).
"""

from review.takedown.document import (
    CSV_COLUMNS,
    LEGAL_BASIS,
    Documents,
    build_documents,
    request_data,
)
from review.takedown.service import (
    TAKEDOWN_CASE_STATUSES,
    Drafted,
    TakedownError,
    create_takedowns,
    documents,
    draft_requests,
    send_takedown,
    takedown_settings,
)
from review.takedown.verify import (
    CheckedListing,
    VerifyBusy,
    VerifyReport,
    checkable_requests,
    classify,
    run_verify,
    verify_takedowns,
)

__all__ = [
    "CSV_COLUMNS", "LEGAL_BASIS", "TAKEDOWN_CASE_STATUSES", "CheckedListing", "Documents", "Drafted",
    "TakedownError", "VerifyBusy", "VerifyReport", "build_documents", "checkable_requests", "classify", "create_takedowns",
    "documents", "draft_requests", "request_data", "run_verify", "send_takedown", "takedown_settings", "verify_takedowns",
]  # fmt: skip
