"""Instructions a record of `listingwatch score`, counted by Valgrind's callgrind.

On a shared machine the wall-clock and CPU-time figures of `bench.score` swing by 10-50 %
between runs minutes apart, far more than a change of a few per cent makes; the number of
instructions the scoring path executes does not (the same records and hash seed give the
same count to a few hundred instructions a record). Use it to compare two trees, then
confirm with `bench.score`:

    apt-get install -y valgrind
    PYTHONPATH=. .venv/bin/python -m bench.instructions 2000     # in each tree

Both counts run `score_stream(..., workers=1)` over `n` generated records after the same
warm-up; one scores them once, the other twice, so the difference is one pass with
imports, rule loading and index building left out. About 4 minutes for 2,000 records on
two CPUs. Instructions are not time (a cache miss costs more than an add), so a change is
kept only when the timed benchmark agrees in direction.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Run in the child under Valgrind: the counted part is the `eval` call alone
# (`--toggle-collect=builtin_eval`); everything before it is warm-up.
_CHILD = """
import io, sys
sys.path.insert(0, '.')
from bench.score import _jsonl, _warm_up
from cli.records import score_stream
from rules.loader import load_rules
_warm_up()
rules = load_rules()
text = _jsonl(int(sys.argv[1]))
passes = int(sys.argv[2])
def run():
    for _ in range(passes):
        score_stream(io.StringIO(text), io.StringIO(), rules, chunk_size=5000, workers=1)
eval("run()")
"""


def _start(records: int, passes: int, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": "0", "LISTINGWATCH_BENCH_WORKERS": "1"}
    command = ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=builtin_eval",
               f"--callgrind-out-file={out}", sys.executable, "-c", _CHILD, str(records), str(passes)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _total(out: Path) -> int:
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("summary:") or line.startswith("totals:"):
            return int(line.split()[1])
    raise SystemExit(f"{out}: no instruction total in callgrind's output")


def instructions_per_record(records: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        outs = [Path(tmp) / f"passes-{p}.out" for p in (1, 2)]
        children = [_start(records, p, out) for p, out in zip((1, 2), outs, strict=True)]
        for child in children:
            if child.wait() != 0:
                raise SystemExit(f"valgrind exited with {child.returncode}: run the child by hand to see why")
        return (_total(outs[1]) - _total(outs[0])) / records


def main(argv: list[str]) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install -y valgrind)")
    records = int(argv[0]) if argv else 2000
    print(f"score: {instructions_per_record(records):,.0f} instructions a record "
          f"({records:,} generated records, one pass, {Path.cwd()})")


if __name__ == "__main__":
    main(sys.argv[1:])
