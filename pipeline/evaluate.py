"""Measure the detectors against labelled listings (`listingwatch eval`).

A label file is JSON Lines. Each line is either a whole listing record with a `label`
key, or a reference into the shared real data (which must not be copied into the
project), joined at run time through the extractors:

    {"platform": "sendo", "listing_id": "1", "title": "...", ..., "label": {...}}
    {"source": "delee03__sendo-scraping/data/600 sp/x.json", "platform": "sendo",
     "record_id": "119045326", "label": {...}}

`label` = {"counterfeit": bool, "group": str, "split": "dev"|"holdout" (optional),
"signals": [expected codes] (optional), "note": str}.

The figures: precision / recall / F1 of `flagged` against `counterfeit`, overall and per
group; per signal code, how often it fired on counterfeit vs genuine cases, and where the
labels name expected codes, its recall on them. Cases are scored in batches of one
source file (or one label file) so batch detectors (peer prices) see a realistic batch.
"""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detectors import score_listings
from pipeline.normalize import RecordError, normalize_raw, to_listing
from rules.loader import RuleSet
from rules.record import Listing, ScoredListing

DEFAULT_REALDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata"

# Seller names that mark a platform's own retail or a brand's official shop in sources
# that carry no `is_official` flag (the Tiki CSV): used only for the "no official store
# flagged" check, never fed to the detectors as a fact the source did not state.
_OFFICIAL_NAME_MARKERS = ("official", "flagship", "chính hãng", "tiki trading")


class LabelError(ValueError):
    """A label line that cannot be used; names file, line and field."""

    def __init__(self, path: Path | str, line: int, field_name: str, message: str) -> None:
        self.path, self.line, self.field, self.message = str(path), line, field_name, message
        super().__init__(f"{path}:{line}: field {field_name}: {message}")


class RealdataMissing(RuntimeError):
    """Labels refer to ../shared/realdata and it is not there."""


@dataclass(frozen=True)
class Label:
    counterfeit: bool
    group: str
    split: str | None
    signals: tuple[str, ...]
    note: str
    category: str = ""  # what leave-one-category-out holds out; the group when not given

    @property
    def category_key(self) -> str:
        return self.category or self.group


@dataclass
class Case:
    where: str  # "file:line", quoted in error messages and reports
    label: Label
    listing: Listing | None = None
    source: str | None = None
    platform: str | None = None
    record_id: str | None = None
    batch: str = ""


def _parse_label(obj: object, path: Path, line: int) -> Label:
    if not isinstance(obj, dict):
        raise LabelError(path, line, "label", "must be an object")
    cf = obj.get("counterfeit")
    if not isinstance(cf, bool):
        raise LabelError(path, line, "label.counterfeit", f"must be true or false, got {cf!r}")
    group = obj.get("group", "all")
    if not isinstance(group, str) or group.strip() == "":
        raise LabelError(path, line, "label.group", "must be a non-empty string")
    split = obj.get("split")
    if split is not None and not isinstance(split, str):
        raise LabelError(path, line, "label.split", "must be a string")
    sigs = obj.get("signals", [])
    if not isinstance(sigs, list) or not all(isinstance(s, str) for s in sigs):
        raise LabelError(path, line, "label.signals", "must be a list of signal codes")
    note = obj.get("note", "")
    category = obj.get("category", "")
    if not isinstance(category, str):
        raise LabelError(path, line, "label.category", "must be a string")
    return Label(cf, group, split, tuple(sigs), note if isinstance(note, str) else str(note), category)


def load_labels(path: Path) -> list[Case]:
    """Read a label file; raises `LabelError` naming file, line and field."""
    cases: list[Case] = []
    with path.open(encoding="utf-8") as fh:
        for number, raw_line in enumerate(fh, start=1):
            text = raw_line.strip()
            if text == "" or text.startswith("//"):
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as exc:
                raise LabelError(path, number, "<line>", f"not JSON: {exc.msg} at column {exc.colno}") from None
            if not isinstance(obj, dict):
                raise LabelError(path, number, "<line>", "expected a JSON object")
            if "label" not in obj:
                raise LabelError(path, number, "label", "missing")
            label = _parse_label(obj.pop("label"), path, number)
            where = f"{path.name}:{number}"
            if "source" in obj:
                for key in ("source", "platform", "record_id"):
                    if not isinstance(obj.get(key), str) or obj[key] == "":
                        raise LabelError(path, number, key, "must be a non-empty string")
                cases.append(Case(where, label, source=obj["source"], platform=obj["platform"],
                                  record_id=obj["record_id"], batch=obj["source"]))
                continue
            try:
                listing = to_listing(normalize_raw(obj))
            except RecordError as exc:
                raise LabelError(path, number, exc.field, exc.message) from None
            cases.append(Case(where, label, listing=listing, batch=str(path)))
    return cases


def realdata_dir(explicit: Path | None = None) -> Path:
    if explicit is not None:
        return explicit
    env = os.environ.get("LISTINGWATCH_REALDATA")
    return Path(env) if env else DEFAULT_REALDATA


def _tiki_csv(path: Path) -> dict[str, Listing]:
    """The Tiki products CSV (p_id, p_name, p_shop_name, p_brand, p_current_price...):
    no extractor exists for it because no spider produces it; read it here, strictly."""
    out: dict[str, Listing] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pid = row["p_id"].strip()
            if pid in out:
                continue  # the file repeats some products; the first row is kept
            shop = row.get("p_shop_name") or None
            shop_id = (row.get("p_id_shop") or "").removesuffix(".0") or None
            out[pid] = to_listing(normalize_raw({
                "platform": "tiki", "listing_id": pid, "title": row["p_name"],
                "brand": row.get("p_brand") or None, "category": row.get("p_categories") or None,
                "price": row.get("p_current_price") or None, "list_price": row.get("p_original_price") or None,
                "seller": {"id": shop_id, "name": shop},
            }))
    return out


def _shopee_tsv(path: Path) -> dict[str, Listing]:
    """The Shopee men's-fashion TSV (MANIFEST entry 4: name, price x100000, official-shop
    label, no item or shop id): a listing's id is its data row number (1 = the first row
    after the header), the only key the file has."""
    out: dict[str, Listing] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh, delimiter="\t"), start=1):
            scaled = (row.get("price") or "").strip()
            try:
                price: float | None = float(scaled) / 100000 if scaled else None
            except ValueError as exc:
                raise LabelError(str(path), number + 1, "price", f"not a number: {scaled!r}") from exc
            official = (row.get("show_official_shop_label_in_title") or "").strip()
            out[str(number)] = to_listing(normalize_raw({
                "platform": "shopee", "listing_id": str(number), "title": row["name"], "price": price,
                "seller": {"id": None, "name": None, "location": row.get("shop_location") or None,
                           "is_official": {"True": True, "False": False}.get(official)},
            }))
    return out


def _source_records(root: Path, source: str, platform: str) -> dict[str, Listing]:
    path = root / source
    if not path.is_file():
        raise RealdataMissing(f"{path} not found (labels refer to ../shared/realdata; set --realdata)")
    if platform == "tiki-csv":
        return _tiki_csv(path)
    if platform == "shopee-tsv":
        return _shopee_tsv(path)
    from crawler.extractors import parse_file  # only evaluation needs the extractors

    return {lst.listing_id: lst for lst in parse_file(platform, path)}


def resolve(cases: Sequence[Case], root: Path | None = None) -> None:
    """Fill `listing` of reference cases from the real data (raises `RealdataMissing`)."""
    base = realdata_dir(root)
    needed = {(c.source, c.platform) for c in cases if c.listing is None}
    if needed and not base.is_dir():
        raise RealdataMissing(f"real data folder {base} is absent")
    cache: dict[tuple[str, str], dict[str, Listing]] = {}
    for source, platform in sorted(needed, key=str):
        assert source is not None and platform is not None
        cache[(source, platform)] = _source_records(base, source, platform)
    for c in cases:
        if c.listing is None:
            assert c.source is not None and c.platform is not None and c.record_id is not None
            hit = cache[(c.source, c.platform)].get(c.record_id)
            if hit is None:
                raise LabelError(c.where.rsplit(":", 1)[0], int(c.where.rsplit(":", 1)[1]), "record_id",
                                 f"{c.record_id!r} not found in {c.source}")
            c.listing = hit


def is_official_store(listing: Listing) -> bool:
    """The platform's official flag when the source states it; the shop name only where the
    source states nothing (a shop may call itself "Official Store" without being one)."""
    if listing.seller.is_official is not None:
        return listing.seller.is_official
    name = (listing.seller.name or "").lower()
    return any(marker in name for marker in _OFFICIAL_NAME_MARKERS)


# ----------------------------------------------------------------------------- metrics


@dataclass
class Confusion:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, actual: bool, predicted: bool) -> None:
        if actual and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif actual:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float | None:
        return None if self.tp + self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return None if self.tp + self.fn == 0 else self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
                "precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass
class SignalStats:
    on_counterfeit: int = 0
    on_genuine: int = 0
    expected: int = 0  # cases whose label names this code
    expected_hit: int = 0

    @property
    def precision(self) -> float | None:
        fired = self.on_counterfeit + self.on_genuine
        return None if fired == 0 else self.on_counterfeit / fired

    @property
    def recall(self) -> float | None:
        return None if self.expected == 0 else self.expected_hit / self.expected

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


@dataclass
class CaseResult:
    case: Case
    scored: ScoredListing


@dataclass
class EvalReport:
    overall: Confusion = field(default_factory=Confusion)
    groups: dict[str, Confusion] = field(default_factory=dict)
    signals: dict[str, SignalStats] = field(default_factory=dict)
    official_flagged: list[CaseResult] = field(default_factory=list)
    official_total: int = 0
    misses: list[CaseResult] = field(default_factory=list)
    false_alarms: list[CaseResult] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_dict(),
            "groups": {k: v.to_dict() for k, v in sorted(self.groups.items())},
            "signals": {k: {"on_counterfeit": v.on_counterfeit, "on_genuine": v.on_genuine,
                            "precision": v.precision, "expected": v.expected, "recall": v.recall, "f1": v.f1}
                        for k, v in sorted(self.signals.items())},
            "official_total": self.official_total,
            "official_flagged": [r.case.where for r in self.official_flagged],
        }


def _group_key(case: Case, by: str) -> str:
    if by == "group":
        return case.label.group
    if by == "category":
        return case.label.category_key
    if by == "split":
        return case.label.split or "unsplit"
    if by == "source":
        return case.source or "inline"
    if by == "platform":
        return case.listing.platform if case.listing is not None else "?"
    raise ValueError(f"--by must be one of {', '.join(BY_KEYS)}; got {by!r}")


BY_KEYS = ("group", "category", "split", "source", "platform")


def score_cases(cases: Sequence[Case], rules: RuleSet) -> Iterator[CaseResult]:
    """Score cases batch by batch (one source file = one batch)."""
    batches: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        batches[c.batch].append(c)
    for batch in batches.values():
        listings = [c.listing for c in batch if c.listing is not None]
        if len(listings) != len(batch):
            raise ValueError("resolve() the cases before scoring them")
        for c, s in zip(batch, score_listings(listings, rules), strict=True):
            yield CaseResult(c, s)


def evaluate(cases: Sequence[Case], rules: RuleSet, by: str = "group",
             results: Iterable[CaseResult] | None = None) -> EvalReport:
    """The figures of `cases` scored with `rules` (or of already scored `results`)."""
    report = EvalReport()
    for res in (score_cases(cases, rules) if results is None else results):
        c, s = res.case, res.scored
        actual = c.label.counterfeit
        report.overall.add(actual, s.flagged)
        report.groups.setdefault(_group_key(c, by), Confusion()).add(actual, s.flagged)
        fired = {sig.code for sig in s.signals}
        for code in fired:
            st = report.signals.setdefault(code, SignalStats())
            if actual:
                st.on_counterfeit += 1
            else:
                st.on_genuine += 1
        for code in c.label.signals:
            st = report.signals.setdefault(code, SignalStats())
            st.expected += 1
            st.expected_hit += code in fired
        assert c.listing is not None
        if is_official_store(c.listing):
            report.official_total += 1
            if s.flagged:
                report.official_flagged.append(res)
        if actual and not s.flagged:
            report.misses.append(res)
        elif s.flagged and not actual:
            report.false_alarms.append(res)
    return report


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def render(report: EvalReport, by: str = "group", show_errors: int = 0) -> str:
    """The report as plain text (what `listingwatch eval` prints)."""
    o = report.overall
    out = [
        f"cases {o.n}: counterfeit {o.tp + o.fn}, genuine {o.fp + o.tn}",
        f"flagged  precision {_fmt(o.precision)}  recall {_fmt(o.recall)}  F1 {_fmt(o.f1)}"
        f"   (tp {o.tp} fp {o.fp} fn {o.fn} tn {o.tn})",
        f"official-store listings: {report.official_total}, flagged: {len(report.official_flagged)}",
        "",
        f"confusion by {by}:",
        f"  {'':24} {'tp':>5} {'fp':>5} {'fn':>5} {'tn':>5}  {'prec':>6} {'recall':>6} {'F1':>6}",
    ]
    for key, cm in sorted(report.groups.items()):
        out.append(f"  {key[:24]:24} {cm.tp:5} {cm.fp:5} {cm.fn:5} {cm.tn:5}  "
                   f"{_fmt(cm.precision):>6} {_fmt(cm.recall):>6} {_fmt(cm.f1):>6}")
    out += ["", "per signal (fired on counterfeit / genuine; recall where labels name the code):",
            f"  {'code':26} {'on cf':>6} {'on gen':>6}  {'prec':>6} {'expect':>6} {'recall':>6} {'F1':>6}"]
    for code, st in sorted(report.signals.items()):
        out.append(f"  {code:26} {st.on_counterfeit:6} {st.on_genuine:6}  {_fmt(st.precision):>6} "
                   f"{st.expected:6} {_fmt(st.recall):>6} {_fmt(st.f1):>6}")
    for title, rows in (("official-store listings flagged", report.official_flagged),
                        ("missed counterfeit", report.misses), ("false alarms", report.false_alarms)):
        if show_errors <= 0 or not rows:
            continue
        out += ["", f"{title} ({len(rows)}):"]
        for r in rows[:show_errors]:
            assert r.case.listing is not None
            codes = ",".join(sig.code for sig in r.scored.signals) or "-"
            out.append(f"  {r.case.where} risk {r.scored.risk:.2f} [{codes}] {r.case.listing.title[:90]!r}")
    return "\n".join(out)


def iter_label_files(paths: Iterable[Path]) -> list[Case]:
    """Cases of every label file; a folder stands for the `*.jsonl` files in it."""
    cases: list[Case] = []
    for p in paths:
        for file in sorted(p.glob("*.jsonl")) if p.is_dir() else [p]:
            cases += load_labels(file)
    return cases


__all__ = ["Case", "Confusion", "EvalReport", "Label", "LabelError", "RealdataMissing", "evaluate",
           "is_official_store", "iter_label_files", "load_labels", "realdata_dir", "render", "resolve",
           "score_cases"]
