"""Health monitors of scan runs (issue 17): is this run a trustworthy picture of the market?

Pure: a run's record goes in (`run_facts` reads its kind, params and counts), the thresholds
of `rules/monitors.yaml` are applied (`evaluate`), and each named monitor answers ok / warn /
fail with a one-line reason. No database and no web here, so the runs page, the CLI and
alerts can all ask the same question and get the same answer.

What the counts allow: listings and pages are known per platform (`listings_by_platform`,
`progress.parts`), blocks and extraction errors only per run, so the run-level monitors use
the platform's override only when the run crawled a single platform.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from rules.monitors import MonitorName, MonitorsFile

Status = Literal["ok", "warn", "fail"]
SEVERITY: Final[dict[Status, int]] = {"ok": 0, "warn": 1, "fail": 2}


@dataclass(frozen=True, slots=True)
class PlatformFacts:
    platform: str
    listings: int
    pages: int


@dataclass(frozen=True, slots=True)
class RunFacts:
    """The numbers of one run the monitors read, taken out of its loosely typed `counts`."""

    kind: str
    finished: bool
    platforms: list[PlatformFacts]
    pages: int
    listings: int | None
    blocks: dict[str, int] = field(default_factory=dict)
    extraction_errors: int = 0

    @property
    def blocked(self) -> int:
        return sum(self.blocks.values())


@dataclass(frozen=True, slots=True)
class MonitorResult:
    name: MonitorName
    status: Status
    value: float
    warn: float | None
    fail: float | None
    platform: str | None = None

    @property
    def limit(self) -> float | None:
        """The level that was crossed (fail before warn), or the warn level when all is well."""
        if self.status == "fail":
            return self.fail
        return self.warn if self.warn is not None else self.fail

    @property
    def reason(self) -> str:
        """One line in English for logs and alerts (the web app words it from its own labels)."""
        where = f"{self.platform}: " if self.platform else ""
        shown = f"{self.value:.0%}" if self.name == "max_block_rate" else f"{self.value:g}"
        if self.status == "ok":
            return f"{self.name}: {where}{shown}, within limits"
        limit = self.limit if self.limit is not None else 0.0
        side = "below" if self.name.startswith("min_") else "above"
        level = f"{limit:.0%}" if self.name == "max_block_rate" else f"{limit:g}"
        return f"{self.name}: {where}{shown}, {side} the {self.status} level {level}"


def _int(value: Any) -> int:
    """A count from crawl-written JSON: numbers only, anything else is 0."""
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def run_facts(kind: str, status: str, platform: str | None, params: Mapping[str, Any] | None,
              counts: Mapping[str, Any] | None, extraction_errors: int = 0) -> RunFacts:
    """What monitors need from a run record. `extraction_errors`: rows stored for the run
    (the counts' own figure wins when larger: rows may have been purged)."""
    counts, params = _map(counts), _map(params)
    raw_asked = params.get("asked")
    asked: list[Any] = raw_asked if isinstance(raw_asked, list) else []
    listings: dict[str, int] = {}
    by_platform = counts.get("listings_by_platform")
    if isinstance(by_platform, Mapping):
        listings = {str(k): _int(v) for k, v in by_platform.items()}
    pages: dict[str, int] = {}
    progress = _map(counts.get("progress"))
    parts = _map(progress.get("parts"))
    for key, part in parts.items():
        # Part keys are "<role>:<spec index>:<spider>" (storage.runs.progress_key); the spec's
        # platform (demo-tiki, not tiki) is in params.asked at that index.
        _role, _, rest = str(key).partition(":")
        index, _, spider = rest.partition(":")
        name = spider
        if index.isdigit() and int(index) < len(asked) and isinstance(asked[int(index)], Mapping):
            name = str(asked[int(index)].get("platform") or spider)
        if isinstance(part, Mapping):
            pages[name] = pages.get(name, 0) + _int(part.get("pages"))
    names = {str(a.get("platform")) for a in asked if isinstance(a, Mapping) and a.get("platform")}
    names |= set(listings) | set(pages)
    if not names and platform and kind == "seller":
        names = {platform}
    facts = [PlatformFacts(n, listings.get(n, 0), pages.get(n, 0)) for n in sorted(names)]
    total_pages = _int(progress.get("pages")) or _int(counts.get("pages")) or sum(pages.values())
    seen = counts.get("listings_seen")
    errors = _map(counts.get("errors"))
    blocks_raw = _map(counts.get("blocks"))
    return RunFacts(
        kind=kind,
        finished=status != "running",
        platforms=facts,
        pages=total_pages,
        listings=_int(seen) if isinstance(seen, int | float) else (sum(listings.values()) if listings else None),
        blocks={str(k): _int(v) for k, v in blocks_raw.items() if _int(v) > 0},
        extraction_errors=max(extraction_errors, _int(errors.get("extraction"))),
    )


def _judge(name: MonitorName, value: float, warn: float | None, fail: float | None) -> Status:
    low = name.startswith("min_")

    def crossed(level: float | None) -> bool:
        return level is not None and (value < level if low else value > level)

    return "fail" if crossed(fail) else "warn" if crossed(warn) else "ok"


def evaluate(facts: RunFacts, rules: MonitorsFile) -> list[MonitorResult]:
    """Every monitor that applies to this run and has data to judge; none while it runs
    (a half-done crawl has few listings by nature) nor for a run that recorded no figures at
    all (a failed start, a hand-made run): "ok" there would claim what nobody measured."""
    if not facts.finished or (facts.listings is None and facts.pages == 0 and not facts.platforms):
        return []
    results: list[MonitorResult] = []

    def check(name: MonitorName, value: float, platform: str | None) -> None:
        monitor = rules.monitors.get(name)
        if monitor is None or facts.kind not in monitor.kinds:
            return
        warn, fail = rules.levels(name, platform)
        results.append(MonitorResult(name, _judge(name, value, warn, fail), value, warn, fail, platform))

    for platform in facts.platforms:
        check("min_listings", platform.listings, platform.platform)
    if not facts.platforms and facts.listings is not None:
        check("min_listings", facts.listings, None)
    single = facts.platforms[0].platform if len(facts.platforms) == 1 else None
    if facts.pages > 0 or facts.blocked > 0:
        check("max_block_rate", facts.blocked / max(facts.pages, facts.blocked), single)
    check("max_extraction_errors", facts.extraction_errors, single)
    return results


def worst(results: Sequence[MonitorResult]) -> Status:
    return max((r.status for r in results), key=SEVERITY.__getitem__, default="ok")


def problems(results: Sequence[MonitorResult]) -> list[MonitorResult]:
    """The monitors that tripped, worst first: what a partial run's page leads with."""
    return sorted((r for r in results if r.status != "ok"), key=lambda r: -SEVERITY[r.status])
