"""Per-rule-set caches: compiled indexes are built once per `RuleSet.version`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from threading import Lock
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from rules.loader import RuleSet

T = TypeVar("T")

# A process rarely sees more than a couple of rule versions (defaults + a site's copy); a
# small bound keeps tests that load many temporary rule sets from growing memory.
_MAX_VERSIONS = 8


def per_rules(build: Callable[[RuleSet], T]) -> Callable[[RuleSet], T]:
    """Cache `build(rules)` by `rules.version` (content hash, so edits rebuild)."""
    cache: dict[str, T] = {}
    lock = Lock()
    # The rule set last asked for and its value: a run asks with one `RuleSet` object tens of
    # times a listing, and reading `version` off the pydantic model costs more than the look-up.
    # A rule set is not changed once loaded (a rules edit is a new object with a new version).
    # Read once per call: another thread may replace the pair meanwhile, never half of it.
    last: list[tuple[RuleSet, T]] = []

    @wraps(build)
    def get(rules: RuleSet) -> T:
        pair = last[0] if last else None
        if pair is not None and pair[0] is rules:
            return pair[1]
        hit = cache.get(rules.version)
        if hit is None:
            hit = build(rules)
            with lock:
                if len(cache) >= _MAX_VERSIONS:
                    cache.pop(next(iter(cache)))
                cache[rules.version] = hit
        last[:] = [(rules, hit)]
        return hit

    return get


K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """Results of a pure function of a short text that repeats across listings (a title's
    first words: "Tai nghe bluetooth", "Ốp lưng"), bounded so a long run stays flat in
    memory: emptied when full, like the title-word cache. Kept on a per-rules compiled
    object, so a rules edit starts a new one."""

    __slots__ = ("_data", "_max")

    def __init__(self, max_size: int = 20_000) -> None:
        self._data: dict[K, V] = {}
        self._max = max_size

    def get(self, key: K, compute: Callable[[], V]) -> V:
        data = self._data
        if key in data:
            return data[key]
        value = compute()
        if len(data) >= self._max:
            data.clear()
        data[key] = value
        return value
