"""`rules/monitors.yaml`: health monitors of scan runs (issue 17), in Spidermon's shape.

Each monitor is named, checks one number of a finished run and has a `warn` and a `fail`
level; platforms may override either level. Validated by `rules.loader.load_monitors` with
file:line errors like every rule file, and not part of the scoring `RuleSet`: a monitor says
whether a scan can be trusted, it changes no score (the same choice as networks.yaml).
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from rules.base import Strict

MonitorName = Literal["min_listings", "max_block_rate", "max_extraction_errors"]
RunKind = Literal["nightly", "seller", "demo", "manual"]


class Levels(Strict):
    """A monitor's thresholds; a platform override may give only one of them."""

    warn: float | None = Field(default=None, ge=0)
    fail: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _some_level(self) -> Self:
        if self.warn is None and self.fail is None:
            raise ValueError("give warn, fail or both")
        return self


class Monitor(Levels):
    """One named check with its levels and the kinds of run it applies to."""

    description: str = Field(min_length=1)
    kinds: list[RunKind] = Field(min_length=1, description="run kinds this monitor checks")


class MonitorsFile(Strict):
    """`rules/monitors.yaml`, validated (see the comments in that file)."""

    schema_version: Literal[1]
    monitors: dict[MonitorName, Monitor]
    platforms: dict[str, dict[MonitorName, Levels]] = Field(default_factory=dict)

    def level_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(location, message) of levels in the wrong order, after overrides are applied.

        Checked by the loader, which turns the location into file:line; a pydantic validator
        here could only point at the top of the file."""
        problems: list[tuple[tuple[str | int, ...], str]] = []
        places: list[tuple[tuple[str | int, ...], MonitorName, str | None]] = [
            (("monitors", name), name, None) for name in self.monitors]
        places += [(("platforms", p, name), name, p) for p, table in self.platforms.items() for name in table]
        for loc, name, platform in places:
            if name not in self.monitors:
                problems.append((loc, f"no monitor {name!r} in `monitors` to override"))
                continue
            warn, fail = self.levels(name, platform)
            if warn is None or fail is None:
                continue
            # A "min" monitor fails below a lower number than it warns; a "max" one the other way.
            if name.startswith("min_") and fail > warn:
                problems.append((loc, f"fail ({fail:g}) must not be above warn ({warn:g}) for a minimum"))
            if name.startswith("max_") and fail < warn:
                problems.append((loc, f"fail ({fail:g}) must not be below warn ({warn:g}) for a maximum"))
        return problems

    def levels(self, name: MonitorName, platform: str | None) -> tuple[float | None, float | None]:
        """(warn, fail) of monitor `name` for `platform`: its override, else the monitor's.
        `demo-tiki` falls back to `tiki`'s override, as in platforms.yaml."""
        base = self.monitors[name]
        table = self.platforms.get(platform or "")
        if table is None and platform is not None and platform.startswith("demo-"):
            table = self.platforms.get(platform.removeprefix("demo-"))
        over = (table or {}).get(name)
        if over is None:
            return base.warn, base.fail
        return (over.warn if over.warn is not None else base.warn,
                over.fail if over.fail is not None else base.fail)
