"""Near misses of brand names: the fuzzy look-up behind look-alike detection ("Adidaz",
"Whichy"), kept apart from the mention scan in `detectors.brand` that calls it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein, Indel

from detectors.brand_index import BrandIndex

if TYPE_CHECKING:
    from rules.loader import Brand, RuleSet

# Words seen by the fuzzy matcher: a bounded vocabulary, so memory stays flat on long runs.
_FUZZY_CACHE_MAX = 50_000


def fuzzy_brand(idx: BrandIndex, token: str, rules: RuleSet, min_length: int = 0) -> tuple[Brand, float] | None:
    """The brand whose alias a word (or glued words) misses by a letter or two, with its
    similarity; cached per rule set. Words too short (`fuzzy_min_length`, or `min_length` when
    given) or not all letters are never looked up."""
    cfg = rules.scoring.brand
    if len(token) < (min_length or cfg.fuzzy_min_length) or not token.isalpha():
        return None  # numbers and short words: never cached, they would only grow the cache
    cached = idx.fuzzy_cache.get(token, False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    if token in idx.ignore:
        best = None
    else:
        max_distance = cfg.fuzzy_max_distance
        size = len(token)
        near_entry = idx.fuzzy_near.get((token[0], size))
        if near_entry is None:
            near = [c for c in idx.fuzzy.get(token[0], []) if abs(len(c[0]) - size) <= max_distance]
            near_entry = idx.fuzzy_near[(token[0], size)] = (near, [alias for alias, _ in near])
        candidates, aliases = near_entry
        tail = idx.fuzzy_tail_near.get((token[-2:], size))
        if tail is None:
            tail = [c for c in idx.fuzzy_tail.get(token[-2:], ()) if abs(len(c[0]) - size) <= 1]
            idx.fuzzy_tail_near[(token[-2:], size)] = tail
        if tail:
            # Only a changed first letter ("whichy"/"vichy"), not a word that is the brand
            # minus its first letter ("phone" is not "iphone").
            extra = [c for c in tail if c[0][0] != token[0]
                     and not c[0].endswith(token) and not token.endswith(c[0])]
            if extra:
                candidates = candidates + extra
                aliases = aliases + [alias for alias, _ in extra]
        if not candidates:
            return None  # no alias of a near length: not cached, glued word pairs would fill it
        best = closest(token, candidates, aliases, cfg.fuzzy_max_distance,
                        min(cfg.fuzzy_min_similarity, cfg.fuzzy_min_similarity_with_line))
    if len(idx.fuzzy_cache) > _FUZZY_CACHE_MAX:
        idx.fuzzy_cache.clear()
    idx.fuzzy_cache[token] = best
    return best


def closest(token: str, candidates: list[tuple[str, Brand]], aliases: list[str], max_distance: int,
             floor: float) -> tuple[Brand, float] | None:
    """The most similar candidate at or above `floor` (the first one on ties); `aliases`
    are the candidates' aliases, in the same order."""
    best: tuple[Brand, float] | None = None
    # Most words are far from every alias. A substitution or a transposition is two
    # insertions/deletions, so the Indel distance is at most twice the Damerau-Levenshtein
    # one: a candidate more than 2 x `max_distance` indels away is never within reach, and
    # one C call over all candidates (bit-parallel Indel) drops it before the slower
    # Damerau-Levenshtein runs. Survivors are taken in candidate order, as before.
    near = process.extract(token, aliases, scorer=Indel.distance,
                           score_cutoff=2 * max_distance, limit=None)
    for k in sorted(k for _, _, k in near):
        alias, brand = candidates[k]
        if abs(len(alias) - len(token)) > max_distance or alias == token:
            continue
        dist = DamerauLevenshtein.distance(token, alias, score_cutoff=max_distance)
        if dist > max_distance:
            continue
        sim = 100.0 * (1.0 - dist / max(len(token), len(alias)))
        if sim >= floor and (best is None or sim > best[1]):
            best = (brand, sim)
    return best


__all__ = ["closest", "fuzzy_brand"]
