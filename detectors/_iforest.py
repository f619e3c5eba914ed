"""IsolationForest decision values for `price.isolation`, without scikit-learn's per-tree
bookkeeping.

`IsolationForest(n_estimators=n, max_samples=m, random_state=s, n_jobs=1).fit(X)
.decision_function(X[rows])` spends about half its time per tree in cloning the estimator,
reading its parameters by introspection and re-seeding generators, once per chunk of a
`score` run (about 10 % of the run). This module grows the *same* trees through the public
`ExtraTreeRegressor` with the seeds, sample draws and weights `IsolationForest` uses, and
scores rows with the same sums in the same order, so the values are equal to the last bit;
tests/detectors/test_detectors_iforest.py checks that against scikit-learn itself on many
data sets, so a scikit-learn upgrade that changes the recipe fails there, not silently.
"""

from __future__ import annotations

import numpy as np
import sklearn
from sklearn.tree import ExtraTreeRegressor
from sklearn.utils.random import sample_without_replacement

_MAX_INT = int(np.iinfo(np.int32).max)


def _average_path_length(n_samples_leaf: np.ndarray) -> np.ndarray:
    """Average path length of an unsuccessful search in a binary tree of that many samples
    (scikit-learn's `_average_path_length`, the same operations)."""
    n = np.asarray(n_samples_leaf).reshape((1, -1))
    out = np.zeros(n.shape)
    mask_1 = n <= 1
    mask_2 = n == 2
    rest = ~np.logical_or(mask_1, mask_2)
    out[mask_1] = 0.0
    out[mask_2] = 1.0
    out[rest] = 2.0 * (np.log(n[rest] - 1.0) + np.euler_gamma) - 2.0 * (n[rest] - 1.0) / n[rest]
    return out.reshape(np.asarray(n_samples_leaf).shape)


def isolation_decision(X: np.ndarray, rows: np.ndarray, n_estimators: int, max_samples: int,
                       random_state: int) -> np.ndarray:
    """Decision values (negative: anomalous) of `X[rows]` under an isolation forest fit on
    `X`, equal to scikit-learn's with `contamination="auto"`; `max_samples` <= len(X)."""
    X32 = np.ascontiguousarray(X, dtype=np.float32)
    # IsolationForest.fit: a dummy target, then BaseBagging._fit's seeds, one per tree.
    y = np.asarray(np.random.RandomState(random_state).uniform(size=X32.shape[0]))
    seeds = np.random.RandomState(random_state).randint(_MAX_INT, size=n_estimators)
    with sklearn.config_context(skip_parameter_validation=True):  # our constants, checked by the test
        trees = _grow(X32, y, seeds, max_samples)
    scored = X32[rows]
    depths = np.zeros(scored.shape[0])
    for tree in trees:
        # The fitted tree's own `apply`, as `tree.apply(scored, check_input=False)` ends by
        # calling it, without re-checking per tree that the estimator is fitted (which walks
        # its attributes by name): the rows are float32, C-ordered, of the features it was fit on.
        leaves = tree.tree_.apply(scored)
        depths += (tree.tree_.compute_node_depths()[leaves]
                   + _average_path_length(tree.tree_.n_node_samples)[leaves] - 1.0)
    denominator = n_estimators * _average_path_length(np.asarray([max_samples]))
    scores = 2 ** (-np.divide(depths, denominator, out=np.ones_like(depths), where=denominator != 0))
    return -scores - (-0.5)  # score_samples minus the "auto" offset


def _grow(X32: np.ndarray, y: np.ndarray, seeds: np.ndarray, max_samples: int) -> list[ExtraTreeRegressor]:
    """The forest's trees, as BaseBagging grows them (`_parallel_build_estimators`)."""
    n_samples, n_features = X32.shape
    max_depth = int(np.ceil(np.log2(max(max_samples, 2))))
    # Re-seeding a generator gives the stream of a new `RandomState(seed)` without the cost
    # of creating one (it first seeds itself from the OS: ~0.1 ms, three times per tree).
    bag, grow = np.random.RandomState(), np.random.RandomState()
    trees: list[ExtraTreeRegressor] = []
    for seed in seeds:
        # The tree's own seed (`_set_random_states`), then the bag drawn from a fresh
        # generator of the same seed: all features (drawn, so the draws line up), then rows.
        bag.seed(seed)
        grow.seed(bag.randint(_MAX_INT))
        bag.seed(seed)
        sample_without_replacement(n_features, n_features, random_state=bag)
        indices = sample_without_replacement(n_samples, max_samples, random_state=bag)
        tree = ExtraTreeRegressor(max_features=1, splitter="random", random_state=grow, max_depth=max_depth)
        # scikit-learn gives the tree the bag as 0/1 weights over every row; the tree's
        # splitter keeps the rows of non-zero weight, in row order, and weighs each by 1.0,
        # which is what the bag's rows in row order, unweighted, give it (the weights cost
        # a validation of an n-row array per tree, ~a fifth of the forest). The test checks
        # the values against `IsolationForest` bit for bit.
        bagged = np.sort(indices)
        tree.fit(X32[bagged], y[bagged], check_input=False)
        trees.append(tree)
    return trees
