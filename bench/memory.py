"""Benchmark: peak memory of `listingwatch score` streaming, small input against 10x larger.

Records are generated on the fly into a JSONL file (never held in memory), then scored by
`listingwatch score --input F --output F` in a fresh process; its peak RSS is read with
`getrusage(RUSAGE_CHILDREN)` by a wrapper process that runs nothing else. The ratio is
peak(large) / peak(small): streaming means it stays near 1 (target ≤ 1.25). Full run:
100k vs 1M records; quick: 10k vs 100k.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Result, stopwatch
from bench.score import generate

WRAPPER = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(rc)\n"
)


def write_records(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in generate(n, seed=8):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def peak_rss_mib(records: Path, output: Path) -> tuple[float, float]:
    """(peak RSS in MiB, seconds) of one `listingwatch score` run."""
    command = [sys.executable, "-m", "listingwatch", "score", "--input", str(records), "--output", str(output)]
    with stopwatch() as took:
        proc = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"listingwatch score failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return int(proc.stdout.strip().splitlines()[-1]) / 1024, took()


def run(quick: bool) -> list[Result]:
    small, large = (10_000, 100_000) if quick else (100_000, 1_000_000)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        figures = {}
        for n in (small, large):
            source = tmp / f"records_{n}.jsonl"
            write_records(source, n)
            figures[n] = peak_rss_mib(source, tmp / "scored.jsonl")
            source.unlink()
            (tmp / "scored.jsonl").unlink()
    (small_mib, small_s), (large_mib, large_s) = figures[small], figures[large]
    return [
        Result(
            name=f"memory: peak RSS of `listingwatch score`, {large:,} vs {small:,} records",
            value=large_mib, baseline=small_mib, unit="MiB", target=1.25, higher_is_better=False,
            note=f"{large / large_s:,.0f} vs {small / small_s:,.0f} records/s",
        )
    ]
