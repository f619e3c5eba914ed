"""The review queue (DESIGN §4.6): one open case per seller, decisions, and an audit trail.

The detectors' output (risk, priority) flows in through `sync_case`; people act through
`assign`, `decide` and `add_note`. Every change is a `CaseEvent` naming who and when, so
the detector's view and the reviewer's decision stay apart.

Status flow: ``open → in_review → confirmed | dismissed | referred``; an open case may be
decided directly; a confirmed case may still be referred, or dismissed to correct it.
Closed cases are not reopened; a seller flagged again gets a *new* case,
except that a dismissal holds until the seller's risk rises above the risk it was
dismissed at.

Functions flush but never commit. Domain errors (`CaseNotFound`, `InvalidTransition`,
`NoteRequired`, `UserNotFound`) are for the CLI / web edge to map to exit codes or HTTP.

The queue is a package, one concept a module: `lifecycle` (statuses, transitions, domain
errors, the audit trail), `sync` (the detectors' side), `decisions` (the people's side) and
`reads` (listing and showing cases). This package re-exports what callers use, so
``from review.queue import sync_case`` and ``review.queue.decide`` keep working.
"""

from review.queue.decisions import add_note, assign, decide
from review.queue.lifecycle import (
    CLOSED_STATUSES,
    SYSTEM,
    TRANSITIONS,
    CaseNotFound,
    InvalidTransition,
    NoteRequired,
    ReviewError,
    UserNotFound,
)
from review.queue.reads import case_events, count_cases, get_case, list_cases, open_case_for
from review.queue.sync import (
    RISK_EPSILON,
    CaseAction,
    CaseChange,
    CaseSync,
    ScanSync,
    sync_case,
    sync_cases,
    sync_scan,
)

__all__ = [
    "CLOSED_STATUSES", "RISK_EPSILON", "SYSTEM", "TRANSITIONS",
    "CaseAction", "CaseChange", "CaseNotFound", "CaseSync", "InvalidTransition", "NoteRequired",
    "ReviewError", "ScanSync", "UserNotFound",
    "add_note", "assign", "case_events", "count_cases", "decide", "get_case", "list_cases",
    "open_case_for", "sync_case", "sync_cases", "sync_scan",
]  # fmt: skip
