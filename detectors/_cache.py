"""Per-rule-set caches: compiled indexes are built once per `RuleSet.version`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from threading import Lock
from typing import TYPE_CHECKING, TypeVar

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

    @wraps(build)
    def get(rules: RuleSet) -> T:
        hit = cache.get(rules.version)
        if hit is not None:
            return hit
        value = build(rules)
        with lock:
            if len(cache) >= _MAX_VERSIONS:
                cache.pop(next(iter(cache)))
            cache[rules.version] = value
        return value

    return get
