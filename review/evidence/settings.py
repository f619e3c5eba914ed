"""The evidence side's settings and errors: `rules/evidence.yaml` (validated by
`rules.loader.load_evidence`, file:line errors) plus this deployment's environment overrides."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from pydantic import ValidationError

from rules.evidence import EvidenceSettings
from rules.loader import RulesError, load_evidence

SYSTEM: Final = "system"
#: Sellers with a case in one of these states keep their evidence whatever its age.
KEEP_STATUSES: Final = ("open", "in_review", "confirmed", "referred")
LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})


class EvidenceError(Exception):
    """A domain error of the evidence side (the CLI maps it to exit code 1)."""


class EvidenceConfigError(EvidenceError, ValueError):
    pass


def load_evidence_settings(rules_dir: Path | None = None) -> EvidenceSettings:
    """The evidence settings: `rules_dir` (or `$LISTINGWATCH_RULES`) if it has an
    `evidence.yaml`, else the packaged one; `$LISTINGWATCH_EVIDENCE_CAPTURE=0` and
    `$LISTINGWATCH_EVIDENCE_RETENTION_DAYS` and `$LISTINGWATCH_AUTHORITY` (the authority named on
    takedown requests) override for one deployment."""
    try:
        settings = load_evidence(rules_dir)
    except RulesError as exc:
        raise EvidenceConfigError(str(exc)) from exc
    overrides: dict[str, object] = {}
    capture = os.environ.get("LISTINGWATCH_EVIDENCE_CAPTURE")
    if capture is not None and capture.strip() != "":
        overrides["capture_on_scan"] = capture.strip().lower() not in ("0", "false", "no", "off")
    authority = os.environ.get("LISTINGWATCH_AUTHORITY")
    if authority is not None and authority.strip() != "":
        overrides["takedown"] = {**settings.takedown.model_dump(), "authority": authority.strip()}
    days = os.environ.get("LISTINGWATCH_EVIDENCE_RETENTION_DAYS")
    if days is not None and days.strip() != "":
        overrides["retention_days_dismissed"] = days.strip()
    if not overrides:
        return settings
    try:
        return EvidenceSettings.model_validate({**settings.model_dump(), **overrides})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise EvidenceConfigError(f"environment override of {where}: {first['msg']}") from exc
