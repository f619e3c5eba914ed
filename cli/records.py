"""`parse` and `score`: listing records as JSONL, in and out (DESIGN §3.1, §3.2).

`score_stream` is the whole of `score` without the command line (bench/score.py runs it);
with more than one worker it forks, and the worker functions here are what the pool runs."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from cli.app import RulesOption, _load_rules, app, err, fail


@app.command()
def parse(
    platform: Annotated[str, typer.Argument(help="tiki, sendo, shopee, lazada, web, ...")],
    file: Annotated[Path, typer.Argument(help="A saved response or page.")],
    url: Annotated[str | None, typer.Option("--url", help="The URL the body came from.")] = None,
) -> None:
    """Saved response or page -> JSONL listing records on stdout; each unreadable item is
    reported on stderr (and the exit code is 1), the readable ones are still printed."""
    from crawler.extractors import EXTRACTORS, ExtractionError, parse_file
    from crawler.extractors._items import item_errors
    from pipeline.jsonl_io import record_line

    if platform not in EXTRACTORS:
        raise fail(f"unknown platform {platform!r}; known: {', '.join(sorted(EXTRACTORS))}", 2)
    if not file.is_file():
        raise fail(f"no such file: {file}", 2)
    try:
        records = parse_file(platform, file, url)
    except ExtractionError as exc:
        raise fail(f"{file}: {exc}") from exc
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}") from None
    for record in records:
        sys.stdout.write(record_line(record, {}))
    problems = item_errors(records)
    for problem in problems:
        err.print(f"{file}: {problem.message}", markup=False)
    err.print(f"parsed {len(records)} records, {len(problems)} unreadable", markup=False)
    if problems:
        raise typer.Exit(1)


def _read_jsonl(stream: TextIO) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, start=1):
        if line.strip() != "":
            yield number, line


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _freeze_long_lived() -> None:
    """After the first chunk, what is alive (modules, sklearn, rules, the detectors'
    indexes) stays for the whole run: frozen, the garbage collector stops re-walking it at
    every full collection (~10 % of a long `score` run). Collected first so no garbage is
    frozen; records that die later are still freed by reference counting."""
    gc.collect()
    gc.freeze()


def default_workers() -> int:
    """The CPUs this process may run on (the `--workers` default of `score`)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _scored_lines(listings: list[Any], rules: Any, lang: str, model: Any = None) -> Iterator[str]:
    """One chunk, scored as one batch (peer statistics), as output JSONL lines. With a learned
    model each signal also says its learned `contribution` to the risk; the record keeps the
    three keys of DESIGN §3.2 (which model scored is said once on stderr)."""
    from detectors import score_listings
    from pipeline.jsonl_io import record_line

    for listing, result in zip(listings, score_listings(listings, rules, model=model), strict=True):
        yield record_line(listing, {"risk": round(result.risk, 4), "flagged": result.flagged,
                                    "signals": [_signal_out(s, lang) for s in result.signals]})


def _signal_out(s: Any, lang: str) -> dict[str, Any]:
    out = {"code": s.code, "detector": s.detector, "score": round(s.score, 4), "detail": s.explain(lang)}
    if s.contribution is not None:
        out["contribution"] = s.contribution
    return out


# A `score` worker process's rule set and language, and whether it froze its long-lived objects.
_worker: dict[str, Any] = {}


def _worker_init(rules: Any, lang: str, model: Any = None) -> None:
    _worker.update(rules=rules, lang=lang, model=model, frozen=False)


def _worker_score(lines: list[str]) -> str | None:
    """A worker's chunk: `chunk_size` lines as read, scored as one batch exactly as the
    in-process path scores it. `None` when a line is unreadable: the chunk is then not the
    chunk the in-process path would score (it holds fewer readable records), so the parent
    reads these lines again itself and reports them."""
    from pipeline.jsonl_io import read_record

    rules, lang = _worker["rules"], _worker["lang"]
    with _collector_paused():
        listings = []
        for line in lines:
            listing, _ = read_record(line, rules)
            if listing is None:
                return None
            listings.append(listing)
        text = "".join(_scored_lines(listings, rules, lang, _worker.get("model")))
        del listings  # freed before the collector runs again: it never walks the chunk's records
    if not _worker["frozen"]:
        _worker["frozen"] = True
        _freeze_long_lived()
    return text


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic collector paused while one chunk is read, scored and written. Every record,
    context and signal of a chunk lives until the chunk is written; a collection in between
    walks them all (and again when they reach the older generation) and finds next to no
    cycles: ~6 % of a run's time. Once the chunk's objects are freed by reference counting
    they leave the collector's lists, so the first collection after the pause walks only what
    survived the chunk (cache entries), and cycles made in the chunk are still collected then."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def _long_lived_frozen() -> Iterator[None]:
    """What is alive when a run starts (modules, sklearn, rules, indexes already built) is
    frozen for the run: otherwise the first full collections of the run, before
    `_freeze_long_lived`, walk all of it (~0.1 s each, about 7 % of a run of 20,000 records),
    and so does each forked worker, which inherits the frozen state (the parent freezing
    before it forks, as the `gc` documentation advises). Unfrozen at the end: cyclic garbage
    already there when the run starts waits until then (reference counting frees the rest as
    before), and the output does not depend on it."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def score_stream(
    source: TextIO,
    sink: TextIO,
    rules: Any,
    *,
    lang: str = "en",
    chunk_size: int = 5000,
    workers: int = 1,
    name: str = "<stdin>",
    report: Any = None,
    model: Any = None,
) -> tuple[int, int]:
    """JSONL records from `source` -> scored JSONL on `sink`; returns (scored, unreadable).

    Records are scored in chunks of `chunk_size` readable records, each chunk as one batch,
    in input order; each unreadable line is passed to `report` as "NAME:LINE: ..." and
    skipped. With `workers` > 1 and more than one chunk, chunks are scored in that many
    worker processes (forked after the rules are loaded), at most `workers` + 1 chunks in
    flight so memory stays flat, and the output is the same bytes as with one worker:
    the parent only cuts the input into chunks of `chunk_size` lines and a worker reads,
    scores and writes one; once a chunk turns out to hold an unreadable line, the parent
    reads and checks every line from that chunk on itself, so that chunks still count
    readable records only and errors are reported in line order."""
    with _long_lived_frozen():
        return _score_stream(source, sink, rules, lang, chunk_size, workers, name, report, model)


def _score_stream(source: TextIO, sink: TextIO, rules: Any, lang: str, chunk_size: int, workers: int, name: str,
                  report: Any, model: Any) -> tuple[int, int]:
    import itertools

    from pipeline.jsonl_io import read_record

    say = report if report is not None else (lambda message: err.print(message, markup=False))
    bad = 0
    scored = 0

    def readable(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[str, Any]]:
        nonlocal bad
        for number, line in lines:
            listing, problem = read_record(line, rules)
            if listing is None:
                bad += 1
                say(f"{name}:{number}{problem}")
                continue
            yield line, listing

    blocks = _chunks(_read_jsonl(source), chunk_size)
    first = next(blocks, None)
    second = next(blocks, None) if first is not None and workers > 1 else None
    if second is None:
        # One worker, or one chunk of lines only (forking would cost more than it saves).
        lines = itertools.chain(first or (), itertools.chain.from_iterable(blocks))
        chunks = _chunks(readable(lines), chunk_size)
        for number in itertools.count():
            with _collector_paused():
                chunk = next(chunks, None)
                if chunk is None:
                    break
                full = len(chunk) == chunk_size
                for text in _scored_lines([listing for _, listing in chunk], rules, lang, model):
                    sink.write(text)
                    scored += 1
                del chunk  # see `_collector_paused`
            if number == 0 and full:
                _freeze_long_lived()  # only when more chunks may follow: a long run
        return scored, bad

    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    assert first is not None
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    pending: deque[tuple[Future[str | None], list[tuple[int, str]]]] = deque()

    def drain(keep: int) -> bool:
        """Write finished chunks in order until `keep` are in flight; False when the
        oldest holds an unreadable line (it stays first in `pending`)."""
        nonlocal scored
        while len(pending) > keep:
            future, block = pending[0]
            text = future.result()
            if text is None:
                return False
            pending.popleft()
            sink.write(text)
            scored += len(block)
        return True

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                             initializer=_worker_init, initargs=(rules, lang, model)) as pool:
        clean = True
        for block in itertools.chain((first, second), blocks):
            pending.append((pool.submit(_worker_score, [line for _, line in block]), block))
            clean = drain(workers)
            if not clean:
                break
        if clean and drain(0):
            return scored, bad
        # From the chunk with an unreadable line on, the parent reads every line itself and
        # chunks count readable records; the chunks sent after that one are void.
        for future, _ in pending:
            future.cancel()
        again = list(itertools.chain.from_iterable(block for _, block in pending))
        pending.clear()
        for chunk in _chunks(readable(itertools.chain(again, itertools.chain.from_iterable(blocks))), chunk_size):
            # Readable lines only, so the worker reads them again to the same listings.
            pending.append((pool.submit(_worker_score, [line for line, _ in chunk]), chunk))
            if not drain(workers):
                raise RuntimeError("a worker could not read a line the parent had read")
        if not drain(0):
            raise RuntimeError("a worker could not read a line the parent had read")
    return scored, bad


@app.command()
def score(
    input: Annotated[Path | None, typer.Option("--input", "-i", help="JSONL records (default: stdin).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Scored JSONL (default: stdout).")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of signal details: en or vi.")] = "en",
    rules_dir: RulesOption = None,
    chunk_size: Annotated[int, typer.Option(help="Records scored together (peer statistics).")] = 5000,
    workers: Annotated[int | None, typer.Option(
        help="Processes scoring chunks in parallel (default: the CPU count; 1 = in this process). "
             "The output is the same whatever the number.")] = None,
    no_model: Annotated[bool, typer.Option(
        "--no-model", help="Hand weights from rules/scoring.yaml even when a learned model is active.")] = False,
) -> None:
    """JSONL listing records -> scored JSONL (risk, flagged, signals). Bad records get an error line."""
    if lang not in ("en", "vi"):
        raise fail("--lang must be 'en' or 'vi'", 2)
    if chunk_size < 1:
        raise fail("--chunk-size must be at least 1", 2)
    if workers is not None and workers < 1:
        raise fail("--workers must be at least 1", 2)
    from pipeline.jsonl_io import FileProblem, open_streams
    from pipeline.model_store import ModelRefused, model_for_url
    from storage.db import database_url

    rules = _load_rules(rules_dir)
    try:
        model = model_for_url(database_url(), no_model=no_model)
    except ModelRefused as exc:
        raise fail(str(exc)) from None
    try:
        source, sink = open_streams(input, output)
    except FileProblem as exc:
        raise fail(str(exc)) from None
    try:
        scored_count, bad = score_stream(
            source, sink, rules, lang=lang, chunk_size=chunk_size,
            workers=default_workers() if workers is None else workers, name=str(input or "<stdin>"), model=model,
        )
    finally:
        if output is not None:
            sink.close()
        if input is not None:
            source.close()
    scorer = "hand weights" if model is None else f"model {model.version}"
    err.print(f"scored {scored_count} records, {bad} unreadable ({scorer})", markup=False)
    if bad:
        raise typer.Exit(1)
