"""`rules/alerts.yaml`: which events tell an officer at once, and how deliveries behave (issue 17).

Validated by `rules.loader.load_alerts` with file:line errors like every rule file. Where an
alert reads a threshold another file owns (the block rate and listing-count levels of
`monitors.yaml`, the watchlist's expected listings), it names the monitor status that alerts,
never a second copy of the number. Not part of the scoring `RuleSet`: an alert changes no score.
The channels (Apprise URLs) are secrets and live in `$LISTINGWATCH_ALERT_URLS`, never here.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from rules.base import Strict
from rules.monitors import RunKind
from rules.watchlist import _five_field_cron

RunStatus = Literal["partial", "failed"]


class SellerThreshold(Strict):
    """A flagged seller alerts when its risk OR its queue priority reaches a level given here."""

    min_risk: float | None = Field(default=None, ge=0, le=1)
    min_priority: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _some_level(self) -> Self:
        if self.min_risk is None and self.min_priority is None:
            raise ValueError("give min_risk, min_priority or both")
        return self


class FlaggedSellerAlert(Strict):
    """A seller newly in the queue (case opened or re-opened by a scan)."""

    enabled: bool = True
    default: SellerThreshold
    #: Categories with `health: true` in categories.yaml (milk, supplements, medicine ...).
    health: SellerThreshold | None = None
    #: Per category key of categories.yaml; wins over `health` and `default`.
    categories: dict[str, SellerThreshold] = Field(default_factory=dict)


class ScanRunAlert(Strict):
    """A finished scan run that cannot be trusted as a picture of the market."""

    enabled: bool = True
    statuses: list[RunStatus] = Field(default_factory=lambda: list[RunStatus](["partial", "failed"]))
    #: The lowest monitor status (monitors.yaml) that alerts: block rate, listing count, errors.
    monitor_level: Literal["warn", "fail"] = "fail"
    kinds: list[RunKind] = Field(default_factory=lambda: list[RunKind](["nightly", "demo", "manual"]))


class TakedownAlert(Strict):
    """A takedown request whose deadline passed with listings still online (escalated)."""

    enabled: bool = True


class DigestAlert(Strict):
    """One summary a day of runs, new cases, takedowns and alerts (scheduler job `alerts:digest`)."""

    enabled: bool = True
    cron: str = "0 7 * * *"

    @field_validator("cron")
    @classmethod
    def _cron(cls, v: str) -> str:
        return _five_field_cron(v)


class Retry(Strict):
    """A failed delivery is tried again after first_delay, then factor times longer each time."""

    max_attempts: int = Field(default=5, ge=1, le=20)
    first_delay_seconds: float = Field(default=60, gt=0)
    factor: float = Field(default=2.0, ge=1)
    max_delay_seconds: float = Field(default=3600, gt=0)
    #: How often the scheduler looks for deliveries due again (job `alerts:retry`).
    check_every_seconds: int = Field(default=60, ge=5)

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th failed try."""
        return min(self.max_delay_seconds, self.first_delay_seconds * self.factor ** max(0, attempts - 1))


class AlertsFile(Strict):
    """`rules/alerts.yaml`, validated (see the comments in that file)."""

    schema_version: Literal[1]
    #: The same event (same dedupe key) inside this window is stored as suppressed, not sent.
    window_minutes: int = Field(ge=0)
    #: Longest body sent; crawled text (seller names, titles) is cut, never trusted.
    max_body_chars: int = Field(default=1500, ge=200, le=20000)
    flagged_seller: FlaggedSellerAlert
    scan_run: ScanRunAlert = Field(default_factory=ScanRunAlert)
    takedown_deadline: TakedownAlert = Field(default_factory=TakedownAlert)
    digest: DigestAlert = Field(default_factory=DigestAlert)
    retry: Retry = Field(default_factory=Retry)
