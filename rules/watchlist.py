"""Model of `watchlist.yaml`: what nightly scans crawl and when, and how on-demand seller
scans run. Brands and categories it names are checked against the rule set by
`rules.validate`."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from rules.base import Strict
from rules.record import is_known_platform

_CRON = re.compile(r"^\S+(\s+\S+){4}$")


def _five_field_cron(v: str) -> str:
    if _CRON.match(v.strip()) is None:
        raise ValueError(f"cron {v!r} must have 5 fields (minute hour day month weekday)")
    return v


class WatchEntry(Strict):
    cron: str
    request_budget: int = Field(gt=0)
    keywords: list[str] = Field(default_factory=list)
    brands: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    sellers: list[str] = Field(default_factory=list)
    enabled: bool = True
    expected_min_listings: int | None = Field(
        default=None, ge=0, description="a scan yielding fewer listings is reported as partial (run health)"
    )

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, v: str) -> str:
        return _five_field_cron(v)

    @field_validator("sellers", mode="before")
    @classmethod
    def _ids_as_strings(cls, v: object) -> object:
        if isinstance(v, list):
            return [str(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in v]
        return v


class OnDemand(Strict):
    """On-demand seller scans (scheduler worker): which sites, how many at once, how much."""

    max_parallel: int = Field(default=2, ge=1, le=32, description="seller scans running at once")
    poll_seconds: float = Field(default=2.0, gt=0, le=300, description="how often the worker looks for requests")
    handoff_seconds: float = Field(
        default=3.0, ge=0, le=300,
        description="`scan-seller --wait` waits this long for a daemon worker before scanning itself",
    )
    request_budget: int = Field(default=400, gt=0, description="at most this many HTTP requests per seller scan")
    timeout_seconds: float = Field(default=900, gt=0, description="a seller scan's crawl is stopped after this")
    hosts: dict[str, list[str]] = Field(
        default_factory=dict, description="platform -> host names inspectors may paste (subdomains included)"
    )

    @field_validator("hosts")
    @classmethod
    def _hosts_known(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for platform, names in v.items():
            if not is_known_platform(platform):
                raise ValueError(f"unknown platform {platform!r}")
            for name in names:
                if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", name) is None:
                    raise ValueError(f"host {name!r} of {platform} must be a lower-case DNS name like tiki.vn")
        return v


class TakedownVerifyJob(Strict):
    """The removal-check job: `takedown verify --due` on a cron (issue 16). It fetches only the
    listings of requests an officer marked sent whose deadline has passed, through the normal
    spiders (politeness, address guard, block detection), so it is safe to leave on."""

    cron: str = "0 */2 * * *"
    enabled: bool = True
    capture: bool = Field(default=True, description="a fresh WARC + screenshot of a listing still online")

    @field_validator("cron")
    @classmethod
    def _five_fields(cls, v: str) -> str:
        return _five_field_cron(v)


class WatchlistFile(Strict):
    schema_version: Literal[1]
    timezone: str = "Asia/Ho_Chi_Minh"
    platforms: dict[str, WatchEntry]
    misfire_grace_seconds: int = Field(
        default=6 * 3600, ge=1,
        description="a run missed while the machine slept still starts (once) if woken within this",
    )
    scan_timeout_seconds: float = Field(default=3 * 3600, gt=0, description="a nightly crawl is stopped after this")
    max_parallel_jobs: int = Field(default=2, ge=1, le=32, description="nightly jobs running at once")
    on_demand: OnDemand = Field(default_factory=OnDemand)
    #: Absent: no removal-check job. A site's own watchlist written before the job existed
    #: does not start fetching on an upgrade; the shipped watchlist declares it.
    takedown_verify: TakedownVerifyJob | None = None

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {v!r} (use an IANA name like Asia/Ho_Chi_Minh)") from exc
        return v

    @field_validator("platforms")
    @classmethod
    def _known(cls, v: dict[str, WatchEntry]) -> dict[str, WatchEntry]:
        for name in v:
            if not is_known_platform(name):
                raise ValueError(f"unknown platform {name!r}")
        return v

    def expected_min_listings(self, platform: str) -> int | None:
        """How many listings a scan of `platform` should at least yield (None: no expectation)."""
        entry = self.platforms.get(platform)
        return None if entry is None else entry.expected_min_listings
