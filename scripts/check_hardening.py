"""`make check-hardening`: repeat the figures of the issue-14 review on this machine, on loopback.

A manual check, not a test (it takes minutes and measures the machine): it builds a demo
database in a temporary folder by running `listingwatch` the way an operator does, then

- faults: a `scan` killed with SIGKILL (its crawl child must die with it, the next command must
  mark the run failed, so no run stays `running`), a `scan` sent SIGTERM (exit 143, run failed);
- bad inputs: deeply nested JSON, a Latin-1 line, a missing file, an unwritable output, a YAML
  alias bomb, a bad database URL, each answered with one line on stderr and no traceback;
- load: N requests from C concurrent clients to a logged-in `listingwatch serve`, counting
  errors and timing them, with the server's resident memory before and after, plus the two
  URL bounds the review found answering 500.

Every request goes to 127.0.0.1 (the demo marketplace and the web app this script starts).
Prints one table; exit 1 if any check failed. ``--requests`` / ``--concurrency`` set the load.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The throwaway check user's passphrase: random, so the script holds no credential.
PASSPHRASE = secrets.token_urlsafe(24)


@dataclass
class Check:
    area: str
    name: str
    ok: bool
    figure: str


class Runner:
    """Runs `listingwatch` in a temporary folder against its own SQLite database."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.db = tmp / "lw.db"
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "LISTINGWATCH_DB_URL": f"sqlite:///{self.db}",
                    "LISTINGWATCH_LOG_LEVEL": "WARNING", "LISTINGWATCH_EVIDENCE_CAPTURE": "0",
                    "NO_COLOR": "1", "COLUMNS": "200"}
        self.env.pop("LISTINGWATCH_DEMO_URL", None)
        self.checks: list[Check] = []

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "listingwatch", *args]

    def run(self, *args: str, stdin: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command(*args), cwd=self.tmp, env=self.env, input=stdin,
                              capture_output=True, text=True, timeout=timeout)

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.command(*args), cwd=self.tmp, env=self.env, text=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def add(self, area: str, name: str, ok: bool, figure: str) -> None:
        self.checks.append(Check(area, name, ok, figure))
        print(f"  {'ok  ' if ok else 'FAIL'} {area}: {name}: {figure}", flush=True)

    def runs(self) -> list[tuple[int, str, str | None]]:
        with sqlite3.connect(self.db) as db:
            return list(db.execute("SELECT id, status, reason FROM scan_runs ORDER BY id"))


# --------------------------------------------------------------------------- faults

def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2] != "Z"  # a zombie waits for a reaper: it no longer runs


def _crawl_child(pid: int, timeout: float = 90) -> int | None:
    """The scan's crawl child (a multiprocessing spawn), once it has started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                return None  # the scan itself is gone
            for child in children:
                try:
                    if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                        return int(child)
                except OSError:
                    continue
        time.sleep(0.05)
    return None


def _started_scan(r: Runner) -> tuple[subprocess.Popen[str], int | None]:
    scan = r.start("scan", "--platform", "demo-tiki")
    child = _crawl_child(scan.pid)
    if child is not None:
        time.sleep(1.0)  # let it crawl a little, so the kill lands mid-run
    return scan, child


def check_faults(r: Runner) -> None:
    scan, child = _started_scan(r)
    scan.send_signal(signal.SIGKILL)
    scan.wait(30)
    gone = time.monotonic() + 5
    while child is not None and _alive(child) and time.monotonic() < gone:
        time.sleep(0.05)
    r.add("fault", "kill -9 of `scan`: its crawl child ends", child is not None and not _alive(child),
          "no crawl child seen" if child is None else f"child {child} gone within 5 s"
          if not _alive(child) else f"child {child} still running")
    left = [run for run in r.runs() if run[1] == "running"]
    started = time.monotonic()
    done = r.run("scan", "--platform", "demo-tiki")  # the next command; it also fills the demo database
    took = time.monotonic() - started
    runs = r.runs()
    still = [run for run in runs if run[1] == "running"]
    marked = [run for run in runs if run[0] in {x[0] for x in left}]
    r.add("fault", "kill -9 of `scan`: no run `running` after the next command",
          len(left) == 1 and not still and all(m[1] == "failed" for m in marked) and done.returncode == 0,
          f"{len(left)} left running, then {len(still)}; reason: {marked[0][2] if marked else '-'}")
    r.add("fault", "the next `scan` completes", done.returncode == 0,
          f"exit {done.returncode} in {took:.0f} s; runs: {[(i, s) for i, s, _ in runs]}")

    scan, child = _started_scan(r)
    scan.send_signal(signal.SIGTERM)
    try:
        code = scan.wait(60)
    except subprocess.TimeoutExpired:
        scan.kill()
        code = scan.wait(10)
    last = r.runs()[-1]
    r.add("fault", "SIGTERM to `scan`: exit 143, run failed", code == 143 and last[1] == "failed",
          f"exit {code}, run {last[0]} {last[1]} ({last[2]})")


# --------------------------------------------------------------------------- bad inputs

def _one_line(r: Runner, name: str, result: subprocess.CompletedProcess[str], needle: str,
              expect_lines: int = 1) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    ok = (result.returncode in (1, 2) and "Traceback" not in result.stderr + result.stdout
          and len(lines) <= expect_lines and needle.lower() in result.stderr.lower())
    shown = (lines[0] if lines else "(nothing on stderr)").replace(str(r.tmp) + "/", "")
    r.add("input", name, ok, f"exit {result.returncode}, {len(lines)} line(s): {shown[:150]}")


def check_inputs(r: Runner) -> None:
    deep = r.tmp / "deep.json"
    deep.write_text('{"data": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    _one_line(r, "deeply nested JSON to `parse`", r.run("parse", "sendo", str(deep)), "nested too deeply")

    good = '{"platform": "tiki", "listing_id": "1", "title": "Bình giữ nhiệt Elmich", "price": 147000}\n'
    latin = r.tmp / "latin1.jsonl"
    latin.write_bytes(good.encode() + '{"platform": "tiki", "listing_id": "2", "title": "Café crème"}\n'
                      .encode("latin-1"))
    out = r.tmp / "scored.jsonl"
    result = r.run("score", "--input", str(latin), "--output", str(out), "--workers", "1")
    kept = len(out.read_text(encoding="utf-8").splitlines()) if out.exists() else 0
    # one error line for the bad line, plus the summary of what was kept
    _one_line(r, "a Latin-1 line to `score` (the good line kept)", result, "not UTF-8", expect_lines=2)
    r.add("input", "`score` keeps the readable record", kept == 1, f"{kept} of 1 readable record(s) written")

    _one_line(r, "missing input file to `score`",
              r.run("score", "--input", str(r.tmp / "missing.jsonl"), "--output", str(out)), "missing.jsonl")
    _one_line(r, "missing file to `parse`", r.run("parse", "sendo", str(r.tmp / "missing.json")), "missing.json")
    _one_line(r, "unwritable output of `score`",
              r.run("score", "--input", str(latin), "--output", str(r.tmp / "no" / "such" / "dir" / "o.jsonl")),
              "o.jsonl")

    rules = r.tmp / "bomb-rules"  # the packaged rules, with a billion-laughs slang.yaml
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    bomb = ["a: &a [" + ",".join(["x"] * 9) + "]"]
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    (rules / "slang.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    started = time.monotonic()
    result = r.run("rules", "check", "--rules", str(rules), timeout=60)
    _one_line(r, f"YAML alias bomb to `rules check` ({time.monotonic() - started:.1f} s)", result, "alias")

    result = r.run("queue", "list", "--db", "postgresql://nobody@127.0.0.1:1/none", timeout=60)
    _one_line(r, "unreachable database URL", result, "database")


# --------------------------------------------------------------------------- load

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def check_load(r: Runner, requests: int, concurrency: int) -> None:
    import httpx

    added = r.run("user", "add", "checker", "--role", "analyst", stdin=PASSPHRASE + "\n")
    if added.returncode != 0:
        r.add("load", "create a user", False, added.stderr.strip()[:120])
        return
    with sqlite3.connect(r.db) as db:
        row = db.execute("SELECT id FROM review_cases ORDER BY id LIMIT 1").fetchone()
    case_id = None if row is None else int(row[0])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = r.start("serve", "--port", str(port), "--secret-file", str(r.tmp / "web.key"))
    drain = threading.Thread(target=lambda: server.stderr.read() if server.stderr else None, daemon=True)
    drain.start()  # uvicorn logs every request: keep its pipe from filling up
    try:
        client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        login = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
        answer = client.post("/login", data={"name": "checker", "password": PASSPHRASE,
                                             "csrf_token": token.group(1) if token else ""})
        if answer.status_code != 303 and answer.status_code != 302:
            r.add("load", "log in", False, f"HTTP {answer.status_code}")
            return
        paths = ["/login", "/queue", "/stats", "/violators"] + ([f"/cases/{case_id}"] if case_id else [])
        for path in paths:  # warm-up: imports, templates, caches, so "before" is the idle server
            client.get(path)
        before = _rss_mib(server.pid)
        cookies = dict(client.cookies)
        local = threading.local()

        def one(i: int) -> tuple[int, float]:
            if not hasattr(local, "client"):
                local.client = httpx.Client(base_url=base, timeout=30, cookies=cookies)
            started = time.perf_counter()
            try:
                status = local.client.get(paths[i % len(paths)]).status_code
            except httpx.HTTPError:
                status = 0
            return status, time.perf_counter() - started

        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            results = list(pool.map(one, range(requests)))
        elapsed = time.perf_counter() - started
        after = _rss_mib(server.pid)
        errors = sum(1 for status, _ in results if status != 200)
        if errors:
            print(f"  statuses of the errors: {sorted({status for status, _ in results if status != 200})}")
        times = sorted(t for _, t in results)
        p50, p95 = times[len(times) // 2] * 1000, times[int(len(times) * 0.95)] * 1000
        r.add("load", f"{requests} GETs of {', '.join(paths)} from {concurrency} clients", errors == 0,
              f"{errors} errors, {requests / elapsed:.0f} req/s, p50 {p50:.0f} ms, p95 {p95:.0f} ms")
        r.add("load", "server memory (RSS) before / after", after < before * 1.5 + 50,
              f"{before:.0f} MiB / {after:.0f} MiB")
        huge = client.get("/cases/99999999999999999999999")
        dates = client.get("/queue", params={"date_from": "0001-01-01"})
        headers_ok = all("content-security-policy" in x.headers for x in (huge, dates))
        r.add("load", "out-of-range case id and filter date", huge.status_code == 404 and dates.status_code == 400
              and headers_ok, f"HTTP {huge.status_code} and {dates.status_code}, security headers: {headers_ok}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check_hardening", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="GETs sent to the web app (default 2000)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--only", choices=["faults", "inputs", "load"], action="append",
                        help="run only these parts (load needs the demo database that faults builds)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="lw-hardening-"))
    r = Runner(tmp)
    print(f"check-hardening in {tmp} ({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})", flush=True)
    steps: list[tuple[str, Callable[[], None]]] = [
        (title, step) for key, title, step in (
            ("faults", "faults (builds the demo database)", lambda: check_faults(r)),
            ("inputs", "bad inputs", lambda: check_inputs(r)),
            ("load", "load", lambda: check_load(r, args.requests, args.concurrency)),
        ) if args.only is None or key in args.only
    ]
    try:
        for title, step in steps:
            print(f"\n== {title}", flush=True)
            try:
                step()
            except Exception as exc:  # a check that crashes is a failed check, the others still run
                r.add(title.split()[0], "crashed", False, f"{type(exc).__name__}: {exc}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    width = max(len(f"{c.area}: {c.name}") for c in r.checks)
    print("\n" + "result".ljust(7) + "check".ljust(width + 2) + "figure")
    for c in r.checks:
        print(("ok" if c.ok else "FAIL").ljust(7) + f"{c.area}: {c.name}".ljust(width + 2) + c.figure)
    failed = sum(1 for c in r.checks if not c.ok)
    print(f"\n{len(r.checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
