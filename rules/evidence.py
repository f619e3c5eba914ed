"""`rules/evidence.yaml`: what evidence is captured and how long it is kept (issue #7).

Validated by `rules.loader.load_evidence` with file:line errors like every rule file, but not
part of the scoring `RuleSet`: editing it must not change the rules version stored with
scores. Deployment overrides from the environment are applied by `review.evidence`.
"""

from __future__ import annotations

from pydantic import Field

from rules.base import Strict


class TakedownSettings(Strict):
    """The `takedown:` section: who signs takedown requests, and the platforms' legal deadline."""

    #: The competent authority named on the request (Decree 85/2021 Art. 36-37).
    authority: str = Field(default="Cục Quản lý thị trường", min_length=1)
    #: Its address and contact line, printed under the name.
    authority_address: str | None = None
    authority_contact: str | None = None
    #: Where the document is dated ("Hà Nội, ngày ...").
    place: str = Field(default="Hà Nội", min_length=1)
    #: Decree 85/2021/NĐ-CP: remove within 24 h of the request.
    deadline_hours: int = Field(default=24, ge=1, le=720)
    #: Re-appearance (issue 16): a listing at a shop of the removed seller's network is "the same
    #: product" when its folded title is the same and its price within this share of the removed
    #: one's (0.2: 80 000 ₫ to 120 000 ₫ for a 100 000 ₫ listing; counterfeiters round prices).
    reappear_price_tolerance: float = Field(default=0.2, ge=0, le=1)


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
    takedown: TakedownSettings = TakedownSettings()
