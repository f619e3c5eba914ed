"""Instructions a record of `listingwatch score`, counted by Valgrind's callgrind.

On a shared machine the wall-clock and CPU-time figures of `bench.score` swing by 10-50 %
between runs minutes apart, far more than a change of a few per cent makes; the number of
instructions the scoring path executes does not (the same records and hash seed give the
same count to a few hundred instructions a record). Use it to compare two trees, then
confirm with `bench.score`:

    apt-get install -y valgrind
    PYTHONPATH=. .venv/bin/python -m bench.instructions 2000     # in each tree

Both counts run `score_stream(..., workers=1)` after the same warm-up: one scores `n`
generated records, the other those and then `n` others (another seed), so the difference is
one pass over records not seen before, as in a long run, with imports, rule loading and
index building left out (whole-text caches such as `fold`'s are not hit by repeats). About 4 minutes for 2,000 records on
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
import io, json, sys
sys.path.insert(0, '.')
from bench.score import _warm_up, generate
from cli.records import score_stream
from rules.loader import load_rules
_warm_up()
rules = load_rules()
def lines(seed):
    return "".join(json.dumps(r, ensure_ascii=False) + "\\n" for r in generate(int(sys.argv[1]), seed=seed))
texts = [lines(4), lines(5)][: int(sys.argv[2])]
def run():
    for text in texts:
        score_stream(io.StringIO(text), io.StringIO(), rules, chunk_size=5000, workers=1)
eval("run()")
"""
_ROOT = Path(__file__).resolve().parent.parent


def _start(records: int, passes: int, out: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": "0", "LISTINGWATCH_BENCH_WORKERS": "1"}
    command = ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=builtin_eval",
               f"--callgrind-out-file={out}", sys.executable, "-c", _CHILD, str(records), str(passes)]
    with log.open("wb") as sink:
        return subprocess.Popen(command, env=env, cwd=_ROOT, stdout=sink, stderr=subprocess.STDOUT)


def _total(out: Path) -> int:
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("summary:") or line.startswith("totals:"):
            total = int(line.split()[1])
            if total == 0:
                # No `builtin_eval` symbol in this Python (a stripped build): nothing was counted.
                raise SystemExit(f"{out}: callgrind counted nothing inside builtin_eval (is libpython stripped?)")
            return total
    raise SystemExit(f"{out}: no instruction total in callgrind's output")


def instructions_per_record(records: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        runs = [(Path(tmp) / f"passes-{p}.out", Path(tmp) / f"passes-{p}.log") for p in (1, 2)]
        children = [_start(records, p, out, log) for p, (out, log) in zip((1, 2), runs, strict=True)]
        try:
            for child, (_, log) in zip(children, runs, strict=True):
                if child.wait() != 0:
                    tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
                    raise SystemExit(f"valgrind exited with {child.returncode}; the end of its output:\n"
                                     + "\n".join(tail))
        finally:
            for child in children:
                if child.poll() is None:
                    child.kill()
                    child.wait()
        return (_total(runs[1][0]) - _total(runs[0][0])) / records


def main(argv: list[str]) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install -y valgrind)")
    records = int(argv[0]) if argv else 2000
    print(f"score: {instructions_per_record(records):,.0f} instructions a record "
          f"({records:,} generated records not seen before, one pass, {_ROOT})")


if __name__ == "__main__":
    main(sys.argv[1:])
