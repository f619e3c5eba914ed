"""`listingwatch learn` (issue 13): fit the learned combiner on labels and analysts' decisions,
measure it against the hand weights on the same folds, and say whether it may replace them.

Training examples come from labelled files (the `eval` format, read by `pipeline.evaluate`)
and from closed review cases: a confirmed case makes the listings that were flagged when the
analyst decided counterfeit, a case dismissed as a false positive makes them genuine.

Cross-validation holds out whole categories when every example has one (leave-one-category-
out: the question is how the model does on goods it has not seen), else whole sellers
(GroupKFold), so one reseller's re-posts never sit on both sides of a fold. The model's
operating point in each fold is chosen on the out-of-fold probabilities of the *other* folds,
never on the held-out labels. The hand weights are scored on exactly the same examples.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from detectors.learned import FeatureSpec, default_spec, feature_rows, signalled
from detectors.price import peer_prices_from
from detectors.scoring import score_listings_with_contexts
from pipeline.evaluate import Case, Confusion
from rules.loader import RuleSet
from rules.record import Listing
from storage import repo
from storage.models import Listing as ListingRow
from storage.models import ListingScore, ReviewCase

THRESHOLD_GRID = tuple(round(0.05 + 0.025 * i, 3) for i in range(37))  # 0.05 .. 0.95


class TooFewLabels(ValueError):
    """Fewer labels of a class than `--min-per-class`; the message says how many of each."""


@dataclass
class TrainingSet:
    spec: FeatureSpec
    rows: list[np.ndarray] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)
    hand: list[float] = field(default_factory=list)
    categories: list[str | None] = field(default_factory=list)
    sellers: list[str] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)

    def add(self, source: str, X: np.ndarray, labels: Sequence[bool], categories: Sequence[str | None],
            sellers: Sequence[str]) -> None:
        for row in X:
            self.rows.append(row)
            self.hand.append(float(row[0]))  # column 0 is the hand noisy-OR risk
        self.labels += list(labels)
        self.categories += list(categories)
        self.sellers += list(sellers)
        self.sources[source] = self.sources.get(source, 0) + len(labels)

    @property
    def counts(self) -> dict[str, int]:
        pos = sum(self.labels)
        return {"counterfeit": pos, "genuine": len(self.labels) - pos, **{f"from_{k}": v for k, v in self.sources.items()}}


def _seller_key(listing: Listing) -> str:
    return f"{listing.platform}:{listing.seller.id or listing.seller.name or listing.listing_id}"


def add_cases(ts: TrainingSet, cases: Sequence[Case], rules: RuleSet) -> None:
    """Labelled cases (already `resolve`d), scored one source batch at a time as `eval` does;
    a listing in several files counts once (the first), as in leave-one-category-out."""
    seen: set[tuple[str, str]] = set()
    batches: dict[str, list[Case]] = defaultdict(list)
    for c in cases:
        assert c.listing is not None
        key = (c.listing.platform, c.listing.listing_id)
        if key not in seen:
            seen.add(key)
            batches[c.batch].append(c)
    for batch in batches.values():
        listings = [c.listing for c in batch if c.listing is not None]
        scored, contexts = score_listings_with_contexts(listings, rules)
        X = feature_rows(contexts, [s.signals for s in scored], rules, ts.spec)
        ts.add("labels", X, [c.label.counterfeit for c in batch],
               [c.label.category_key if c.label.category_key != "all" else None for c in batch],
               [_seller_key(lst) for lst in listings])


def _flagged_at(session: Session, listing_pks: Sequence[int], at: datetime) -> set[int]:
    """The listings whose latest score at `at` flagged them (what the analyst was shown)."""
    latest: dict[int, tuple[datetime, bool]] = {}
    rows = session.execute(select(ListingScore.listing_id, ListingScore.scored_at, ListingScore.flagged)
                           .where(ListingScore.listing_id.in_(listing_pks), ListingScore.scored_at <= at))
    for pk, when, flagged in rows:
        if pk not in latest or when >= latest[pk][0]:
            latest[pk] = (when, flagged)
    return {pk for pk, (_, flagged) in latest.items() if flagged}


def add_decisions(ts: TrainingSet, session: Session, rules: RuleSet) -> int:
    """Closed cases as labels (the latest decision per seller wins); returns the cases used."""
    decided: dict[int, tuple[bool, datetime]] = {}
    for seller_pk, status, closed_at in session.execute(
        select(ReviewCase.seller_id, ReviewCase.status, ReviewCase.closed_at)
        .where(ReviewCase.status.in_(("confirmed", "dismissed")), ReviewCase.closed_at.is_not(None))
        .order_by(ReviewCase.closed_at, ReviewCase.id)
    ):
        if closed_at is not None:
            decided[seller_pk] = (status == "confirmed", closed_at)
    if not decided:
        return 0
    seller_pks = sorted(decided)
    pairs = list(repo.iter_listings(session, seller_pks=seller_pks))
    owner: dict[int, int | None] = {
        pk: seller for pk, seller in session.execute(
            select(ListingRow.id, ListingRow.seller_id).where(ListingRow.seller_id.in_(seller_pks)))
    }
    chosen: dict[int, bool] = {}
    for seller_pk, (label, at) in decided.items():
        pks = [pk for pk, s in owner.items() if s == seller_pk]
        for pk in _flagged_at(session, pks, at):
            chosen[pk] = label
    keep = [i for i, (pk, _) in enumerate(pairs) if pk in chosen]
    if not keep:
        return 0
    listings = [lst for _, lst in pairs]
    # Scored as a re-score scores them: the decided sellers together, peers from storage.
    peers = peer_prices_from(repo.peer_prices_bulk(session, {(lst.brand, lst.category) for lst in listings}),
                             includes_batch=True)
    scored, contexts = score_listings_with_contexts(listings, rules, peers)
    X = feature_rows(contexts, [s.signals for s in scored], rules, ts.spec)[keep]
    ts.add("decisions", X, [chosen[pairs[i][0]] for i in keep], [None] * len(keep),
           [f"seller:{owner[pairs[i][0]]}" for i in keep])
    return len(decided)


def check_counts(ts: TrainingSet, min_per_class: int) -> None:
    c = ts.counts
    if c["counterfeit"] < min_per_class or c["genuine"] < min_per_class:
        raise TooFewLabels(f"too few labels to learn from: {c['counterfeit']} counterfeit and {c['genuine']} genuine; "
                           f"at least {min_per_class} of each are needed (--min-per-class)")


def make_estimator(rules: RuleSet, y: np.ndarray) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier

    cfg = rules.scoring.learning
    hgb = HistGradientBoostingClassifier(
        max_iter=cfg.max_iter, learning_rate=cfg.learning_rate, max_leaf_nodes=cfg.max_leaf_nodes,
        min_samples_leaf=min(cfg.min_samples_leaf, max(1, len(y) // 10)), l2_regularization=cfg.l2_regularization,
        random_state=cfg.random_state)
    minority = int(min(y.sum(), len(y) - y.sum()))
    if cfg.calibration == "none" or minority < 2:
        return hgb
    return CalibratedClassifierCV(hgb, method=cfg.calibration, cv=min(3, minority))


def operating_point(p: np.ndarray, y: np.ndarray, min_precision: float) -> float:
    """The grid probability with the best F1 among those reaching `min_precision` (the best
    F1 overall when none does). Where several tie, the middle one: the widest margin on both
    sides, since the probabilities it will meet come from another fold or another scan."""
    keyed = []
    for t in THRESHOLD_GRID:
        cm = _confusion(y, p >= t)
        keyed.append((((cm.precision or 0.0) >= min_precision and cm.tp > 0, round(cm.f1 or 0.0, 6)), t))
    best = max(k for k, _ in keyed)
    tied = [t for k, t in keyed if k == best]
    return tied[len(tied) // 2]


def _confusion(y: np.ndarray, pred: np.ndarray) -> Confusion:
    cm = Confusion()
    for actual, flagged in zip(y, pred, strict=True):
        cm.add(bool(actual), bool(flagged))
    return cm


@dataclass
class CvResult:
    folds_by: str  # "category" or "seller"
    n_folds: int
    model: Confusion
    hand: Confusion
    oof: np.ndarray  # out-of-fold probabilities (the final operating point is chosen on them)

    def to_dict(self) -> dict[str, Any]:
        return {"folds_by": self.folds_by, "folds": self.n_folds, "model": self.model.to_dict(),
                "hand_weights": self.hand.to_dict()}


def _folds(ts: TrainingSet, rules: RuleSet) -> tuple[str, list[tuple[np.ndarray, np.ndarray]]]:
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    idx = np.arange(len(ts.labels))
    cats = ts.categories
    if all(c is not None for c in cats) and len(set(cats)) >= 2:
        groups = np.array([str(c) for c in cats])
        return "category", list(LeaveOneGroupOut().split(idx, groups=groups))
    groups = np.array(ts.sellers)
    n = min(rules.scoring.learning.max_folds, len(set(ts.sellers)))
    if n < 2:
        raise TooFewLabels("cross-validation needs labels from at least two sellers")
    return "seller", list(GroupKFold(n_splits=n).split(idx, groups=groups))


def cross_validate(ts: TrainingSet, rules: RuleSet) -> CvResult:
    from threadpoolctl import threadpool_limits

    X, y, hand = np.vstack(ts.rows), np.array(ts.labels, dtype=bool), np.array(ts.hand)
    by, folds = _folds(ts, rules)
    oof = np.zeros(len(y))
    with threadpool_limits(1):  # a shared machine: one core, as every other job here
        for train, test in folds:
            if y[train].all() or not y[train].any():
                oof[test] = y[train].mean()  # one class only: nothing to learn in this fold
                continue
            est = make_estimator(rules, y[train])
            est.fit(X[train], y[train])
            oof[test] = est.predict_proba(X[test])[:, 1]
    oof[~signalled(X, ts.spec)] = 0.0  # as in scoring: no signal, no risk
    model_pred = np.zeros(len(y), dtype=bool)
    min_p = rules.scoring.learning.min_train_precision
    for train, test in folds:
        t = operating_point(oof[train], y[train], min_p)
        model_pred[test] = oof[test] >= t
    return CvResult(by, len(folds), _confusion(y, model_pred),
                    _confusion(y, hand >= rules.scoring.flag_threshold), oof)


def gate(cv: CvResult) -> tuple[bool, str]:
    """May the model replace the hand weights? Only if no worse on precision and recall and
    better on F1, on the same folds."""
    m, h = cv.model, cv.hand
    mp, mr, mf = m.precision or 0.0, m.recall or 0.0, m.f1 or 0.0
    hp, hr, hf = h.precision or 0.0, h.recall or 0.0, h.f1 or 0.0
    worse = [what for what, a, b in (("precision", mp, hp), ("recall", mr, hr)) if a < b]
    if worse:
        return False, f"{' and '.join(worse)} lower than the hand weights'"
    if mf <= hf:
        return False, f"F1 {mf:.3f} not higher than the hand weights' {hf:.3f}"
    return True, f"F1 {mf:.3f} > {hf:.3f}, precision and recall no lower"


def fit_final(ts: TrainingSet, rules: RuleSet, cv: CvResult) -> tuple[Any, float]:
    from threadpoolctl import threadpool_limits

    X, y = np.vstack(ts.rows), np.array(ts.labels, dtype=bool)
    with threadpool_limits(1):
        est = make_estimator(rules, y)
        est.fit(X, y)
    return est, operating_point(cv.oof, y, rules.scoring.learning.min_train_precision)


def new_training_set(rules: RuleSet) -> TrainingSet:
    return TrainingSet(default_spec(rules))


__all__ = ["CvResult", "TooFewLabels", "TrainingSet", "add_cases", "add_decisions", "check_counts",
           "cross_validate", "fit_final", "gate", "new_training_set", "operating_point"]
