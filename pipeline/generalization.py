"""Leave-one-category-out evaluation (`listingwatch eval --leave-out category`).

The question an analyst asks of a new category is not "how well do the rules fit the
categories they were written on" but "how well do they do on one they have never seen".
So for each category C: everything learned from labels is fitted on the other categories
only, then applied to C. By default nothing is learned from labels at all: the rules and the
flag threshold are hand-set in rules/, and price references come from the scored batch's own
prices (unlabelled, exactly as `listingwatch score` sees a new file). `fit=True` (the CLI's
`--fit-threshold`) also refits the flag threshold on the other categories, the one parameter
a province would calibrate from its analysts' decisions; the learned combiner of issue #13
will be refitted per fold the same way.

A listing that several category files hold (Sendo returns some listings for several search
keywords) is evaluated once, in the first category that holds it, so that it can never sit
on both sides of a fold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.evaluate import Case, CaseResult, Confusion, is_official_store

# Thresholds tried when fitting on the training categories (risk is in [0, 1]).
THRESHOLD_GRID = tuple(round(0.30 + 0.025 * i, 3) for i in range(27))  # 0.30 .. 0.95
# A threshold is chosen for its F1 among those whose training precision reaches this: the
# queue's trust comes first, so recall is bought only with precision to spare.
MIN_TRAIN_PRECISION = 0.9


@dataclass
class Fold:
    category: str
    threshold: float
    train_cases: int
    test: Confusion
    official_total: int = 0
    official_flagged: int = 0


@dataclass
class LeaveOneOutReport:
    folds: list[Fold] = field(default_factory=list)
    pooled: Confusion = field(default_factory=Confusion)
    duplicates_dropped: int = 0
    fitted: bool = False  # the threshold was refitted per fold

    @property
    def official_total(self) -> int:
        return sum(f.official_total for f in self.folds)

    @property
    def official_flagged(self) -> int:
        return sum(f.official_flagged for f in self.folds)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pooled": self.pooled.to_dict(),
            "folds": [{"category": f.category, "threshold": f.threshold, "train_cases": f.train_cases,
                       **f.test.to_dict(), "official_total": f.official_total,
                       "official_flagged": f.official_flagged} for f in self.folds],
            "categories": len(self.folds),
            "official_total": self.official_total,
            "official_flagged": self.official_flagged,
            "duplicates_dropped": self.duplicates_dropped,
            "threshold_fitted": self.fitted,
        }


def _identity(case: Case) -> tuple[str, str]:
    assert case.listing is not None
    return case.listing.platform, case.listing.listing_id


def unique_results(results: Sequence[CaseResult]) -> tuple[list[CaseResult], int]:
    """Each listing once (the first case that holds it); also returns how many were dropped."""
    seen: set[tuple[str, str]] = set()
    out: list[CaseResult] = []
    for r in results:
        key = _identity(r.case)
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out, len(results) - len(out)


def confusion_at(results: Sequence[CaseResult], threshold: float) -> Confusion:
    cm = Confusion()
    for r in results:
        cm.add(r.case.label.counterfeit, r.scored.risk >= threshold)
    return cm


def fit_threshold(results: Sequence[CaseResult], default: float,
                  grid: Sequence[float] = THRESHOLD_GRID, min_precision: float = MIN_TRAIN_PRECISION) -> float:
    """The grid threshold with the best F1 among those reaching `min_precision` on `results`
    (the best F1 overall when none does); ties go to the one nearest `default`."""
    scored = [(t, confusion_at(results, t)) for t in grid]
    precise = [(t, cm) for t, cm in scored if (cm.precision or 0.0) >= min_precision and cm.tp > 0]
    pool = precise or scored
    return max(pool, key=lambda tc: (tc[1].f1 or 0.0, -abs(tc[0] - default)))[0]


def leave_one_out(results: Sequence[CaseResult], default_threshold: float, fit: bool = False,
                  key: Callable[[Case], str] = lambda c: c.label.category_key) -> LeaveOneOutReport:
    """Measure each category in turn with what was fitted without it (the threshold, when
    `fit`; else the rules' own)."""
    unique, dropped = unique_results(results)
    report = LeaveOneOutReport(duplicates_dropped=dropped, fitted=fit)
    categories = sorted({key(r.case) for r in unique})
    for category in categories:
        train = [r for r in unique if key(r.case) != category]
        test = [r for r in unique if key(r.case) == category]
        threshold = fit_threshold(train, default_threshold) if fit and train else default_threshold
        cm = confusion_at(test, threshold)
        fold = Fold(category, threshold, len(train), cm)
        for r in test:
            assert r.case.listing is not None
            if is_official_store(r.case.listing):
                fold.official_total += 1
                fold.official_flagged += r.scored.risk >= threshold
        report.folds.append(fold)
        for attr in ("tp", "fp", "fn", "tn"):
            setattr(report.pooled, attr, getattr(report.pooled, attr) + getattr(cm, attr))
    return report


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def render_leave_one_out(report: LeaveOneOutReport) -> str:
    p = report.pooled
    out = [
        f"leave-one-category-out over {len(report.folds)} categories "
        f"({p.n} listings; {report.duplicates_dropped} repeated listings counted once)",
        f"pooled   precision {_fmt(p.precision)}  recall {_fmt(p.recall)}  F1 {_fmt(p.f1)}"
        f"   (tp {p.tp} fp {p.fp} fn {p.fn} tn {p.tn})",
        f"official-store listings: {report.official_total}, flagged: {report.official_flagged}",
        "threshold: " + ("refitted on the other categories for each fold" if report.fitted
                         else "the rules' own (nothing is fitted on labels)"),
        "",
        f"  {'held-out category':26} {'thr':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'tn':>5}  {'prec':>6} {'recall':>6}",
    ]
    for f in report.folds:
        cm = f.test
        out.append(f"  {f.category[:26]:26} {f.threshold:5.3f} {cm.tp:4} {cm.fp:4} {cm.fn:4} {cm.tn:5}  "
                   f"{_fmt(cm.precision):>6} {_fmt(cm.recall):>6}")
    return "\n".join(out)


__all__ = ["Fold", "LeaveOneOutReport", "confusion_at", "fit_threshold", "leave_one_out", "render_leave_one_out",
           "unique_results"]
