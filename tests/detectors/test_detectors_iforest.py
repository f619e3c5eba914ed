"""`detectors._iforest` grows scikit-learn's isolation forest itself: its decision values
must equal `IsolationForest(...).fit(X).decision_function(X[rows])` to the last bit, on data
shaped like `price.isolation`'s (constant columns, ties, small and large batches)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import IsolationForest

from detectors._iforest import isolation_decision


@pytest.mark.parametrize("seed", range(8))
def test_decision_values_equal_scikit_learns(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(200, 3000))
    x = rng.normal(size=(n, 5))
    if seed % 2:
        x[:, 3], x[:, 4] = 0.0, -1.0  # no sales or rating known, as in most crawled batches
    if seed % 3 == 0:
        x = np.round(x, 1)  # ties
    rows = np.flatnonzero(x[:, 1] < 0)
    max_samples = min(256, n)
    forest = IsolationForest(n_estimators=100, max_samples=max_samples, random_state=seed, n_jobs=1).fit(x)
    assert np.array_equal(isolation_decision(x, rows, 100, max_samples, seed), forest.decision_function(x[rows]))


def test_a_batch_smaller_than_max_samples() -> None:
    x = np.random.default_rng(9).normal(size=(120, 5))
    rows = np.arange(0, 120, 3)
    forest = IsolationForest(n_estimators=30, max_samples=120, random_state=0, n_jobs=1).fit(x)
    assert np.array_equal(isolation_decision(x, rows, 30, 120, 0), forest.decision_function(x[rows]))
