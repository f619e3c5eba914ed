"""What every benchmark reports: a measured figure, its baseline from the same run, the ratio.

Machines are noisy, so no benchmark asserts wall-clock times; each compares our code with
a floor or a reference implementation timed moments apart on the same machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Result:
    name: str
    """What was measured, e.g. 'score: records/s vs JSON read+write floor'."""
    value: float
    baseline: float
    unit: str
    target: float | None = None
    """Minimum acceptable ratio (value / baseline), when the issue sets one."""
    higher_is_better: bool = True
    note: str = ""

    @property
    def ratio(self) -> float:
        if self.baseline == 0:
            return float("inf")
        return self.value / self.baseline

    @property
    def meets_target(self) -> bool | None:
        if self.target is None:
            return None
        return self.ratio >= self.target if self.higher_is_better else self.ratio <= self.target

    def line(self) -> str:
        target = "" if self.target is None else f"  target {'≥' if self.higher_is_better else '≤'} {self.target:g}"
        verdict = {None: "", True: "  ok", False: "  BELOW TARGET"}[self.meets_target]
        return (
            f"{self.name}: {self.value:,.1f} vs {self.baseline:,.1f} {self.unit} "
            f"-> ratio {self.ratio:.2f}{target}{verdict}{'  (' + self.note + ')' if self.note else ''}"
        )

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "ratio": self.ratio})


Benchmark = Callable[[bool], list[Result]]
"""A benchmark takes `quick` (small sizes, for smoke tests) and returns its results."""


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    start = time.perf_counter()
    end: float | None = None

    def elapsed() -> float:
        return (end if end is not None else time.perf_counter()) - start

    try:
        yield elapsed
    finally:
        end = time.perf_counter()


#: Runs a command and prints its peak RSS in KiB: Linux reports the parent's RSS at fork time
#: as a child's own peak, so the measuring process must hold nothing else.
WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(rc)\n"
)


def peak_rss_mib(records: Path, output: Path) -> tuple[float, float]:
    """(peak RSS in MiB, seconds) of one `listingwatch score` run."""
    command = [sys.executable, "-m", "listingwatch", "score", "--input", str(records), "--output", str(output)]
    with stopwatch() as took:
        proc = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"listingwatch score failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return int(proc.stdout.strip().splitlines()[-1]) / 1024, took()
