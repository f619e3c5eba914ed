"""Benchmark: peak memory of `listingwatch score` streaming, small input against 10x larger.

Records are generated on the fly into a JSONL file (never held in memory), then scored by
`listingwatch score --input F --output F` in a fresh process; its peak RSS is read with
`getrusage(RUSAGE_CHILDREN)` by a wrapper process that runs nothing else. The ratio is
peak(large) / peak(small): streaming means it stays near 1 (target ≤ 1.25). Full run:
100k vs 1M records; quick: 10k vs 100k.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from bench.common import Result, peak_rss_mib
from bench.score import generate


def write_records(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in generate(n, seed=8):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


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
