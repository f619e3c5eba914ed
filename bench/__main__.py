"""`python -m bench [--quick] [--only NAME ...] [--json FILE]`: run every benchmark, print every ratio.

A benchmark is any module `bench/<name>.py` with `run(quick: bool) -> list[Result]`. Each
result compares a figure with a baseline measured in the same run (see `bench/common.py`).
A benchmark that crashes is reported and makes the exit code 1; one below its target is
reported loudly but does not fail the command (machines differ; the table is the record).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import time
import traceback
from pathlib import Path

from bench.common import Result

HERE = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"__init__", "__main__", "common", "instructions"}  # instructions: a tool, not a ratio


def discover() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if p.stem not in NOT_BENCHMARKS and not p.stem.startswith("_"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run, figures are noisier)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only this benchmark (repeatable); known: " + ", ".join(discover()))
    parser.add_argument("--json", type=Path, help="also write every result as JSON lines to this file")
    args = parser.parse_args(argv)
    names = discover()
    unknown = [n for n in args.only if n not in names]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(names)}")
    selected = args.only or names
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # Benchmarks measure our code, not screenshot capture of flagged listings after scans.
    os.environ.setdefault("LISTINGWATCH_EVIDENCE_CAPTURE", "0")

    results: list[Result] = []
    failed: list[str] = []
    print(f"listingwatch benchmarks ({'quick' if args.quick else 'full'}), {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    for name in selected:
        started = time.perf_counter()
        print(f"\n== {name}", flush=True)
        try:
            module = importlib.import_module(f"bench.{name}")
            produced = module.run(args.quick)
        except Exception:
            failed.append(name)
            print(f"{name}: FAILED\n{traceback.format_exc()}", flush=True)
            continue
        for result in produced:
            print(result.line(), flush=True)
        results.extend(produced)
        print(f"({name} took {time.perf_counter() - started:.1f}s)", flush=True)

    print("\n== summary")
    for result in results:
        print(result.line())
    below = [r.name for r in results if r.meets_target is False]
    if below:
        print(f"below target: {'; '.join(below)}")
    if failed:
        print(f"failed to run: {', '.join(failed)}")
    if args.json is not None:
        args.json.write_text("".join(r.to_json() + "\n" for r in results), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
