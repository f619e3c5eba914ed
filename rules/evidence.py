"""`rules/evidence.yaml`: what evidence is captured and how long it is kept (issue #7).

Validated by `rules.loader.load_evidence` with file:line errors like every rule file, but not
part of the scoring `RuleSet`: editing it must not change the rules version stored with
scores. Deployment overrides from the environment are applied by `review.evidence`.
"""

from __future__ import annotations

from pydantic import Field

from rules.base import Strict


class EvidenceSettings(Strict):
    """`rules/evidence.yaml`, validated (see the comments in that file)."""

    capture_on_scan: bool = True
    retention_days_dismissed: int = Field(default=365, ge=0)
    max_listings_per_seller: int = Field(default=50, ge=1)
    viewport_width: int = Field(default=1280, ge=320, le=4000)
    viewport_height: int = Field(default=900, ge=320, le=4000)
    page_timeout_seconds: float = Field(default=20.0, gt=0)
    settle_ms: int = Field(default=150, ge=0)
    max_api_calls: int = Field(default=40, ge=0)
    max_api_bytes: int = Field(default=5_000_000, ge=0)
