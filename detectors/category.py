"""Which category of goods a listing sells: the platform's category path, else the title.

Shared by the listing context, the brand signals (a famous mark on goods of another
category) and the web app's seller pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from detectors._cache import per_rules
from detectors.brand_index import phrase_tokens
from detectors.phrases import Match, PhraseMatcher
from detectors.textnorm import fold
from rules.record import Listing

if TYPE_CHECKING:
    from rules.loader import RuleSet


@dataclass(frozen=True)
class _Compiled:
    categories: PhraseMatcher[str]
    order: dict[str, int]


@per_rules
def _compiled(rules: RuleSet) -> _Compiled:
    table = rules.categories.categories
    cats = PhraseMatcher((kw, key) for key, cat in table.items() for kw in cat.keywords)
    return _Compiled(cats, {k: i for i, k in enumerate(table)})


def infer_category(listing: Listing, rules: RuleSet) -> str | None:
    """Category key from the platform's category path, else from the title; `None` when
    nothing matches. The path wins because the platform, not the seller, chose it."""
    return infer_category_of(listing, rules, None, None)


def infer_category_of(listing: Listing, rules: RuleSet, title_folded: str | None,
                      title_accented: bool | None) -> str | None:
    """`infer_category`, reusing the title's fold and accent test when the caller has them."""
    comp = _compiled(rules)
    if listing.category is not None:
        named = _category_named(listing.category, None, None, comp)
        if named is not None:
            return named
    return _category_named(listing.title, title_folded, title_accented, comp)


def category_in_title(title: str, rules: RuleSet, folded: str | None, accented: bool | None) -> str | None:
    """The category the title's own words name, whatever the path says."""
    return _category_named(title, folded, accented, _compiled(rules))


def _category_named(text: str, folded: str | None, accented: bool | None, comp: _Compiled) -> str | None:
    found = list(comp.categories.finditer(text, folded, accented))
    if found and all(m.value == found[0].value for m in found):
        # One category named (often several times): `_whole_phrases` keeps at least the
        # longest match, so that category wins whatever it drops; its folds are skipped.
        return found[0].value
    found = _whole_phrases(found)
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in found:
        counts[m.value] = counts.get(m.value, 0) + 1
        first[m.value] = min(first.get(m.value, m.start), m.start)
    if counts:
        # Most phrases wins; on a tie, the one named first (the head noun: "Kem chống
        # nắng dạng sữa" is a sunscreen), then the table's order.
        return min(counts, key=lambda k: (-counts[k], first[k], comp.order[k]))
    return None


def _whole_phrases(found: list[Match[str]]) -> list[Match[str]]:
    """Matches that are not a word run inside a longer match: "sữa" (milk) inside "sữa rửa
    mặt" (face wash) is part of the cosmetics phrase, not milk."""
    if len(found) < 2:
        return found
    runs = [(f" {fold(m.text)} ", m) for m in found]
    return [m for text, m in runs
            if not any(len(other) > len(text) and text in other for other, _ in runs)]


def categories_compatible(a: str, b: str, rules: RuleSet) -> bool:
    if a == b:
        return True
    ca, cb = rules.category(a), rules.category(b)
    return (ca is not None and b in ca.related) or (cb is not None and a in cb.related)


def category_phrases(rules: RuleSet) -> PhraseMatcher[str]:
    """Every category keyword, its category key as the value."""
    return _compiled(rules).categories


@per_rules
def _used_goods(rules: RuleSet) -> dict[str, tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]]:
    """Per category: its used-market goods, and the other goods its keywords name."""
    out = {}
    for key, cat in rules.categories.categories.items():
        used = tuple(t for t in (phrase_tokens(g) for g in cat.used_market_goods) if t)
        other = tuple(t for t in (phrase_tokens(g) for g in cat.keywords) if t and t not in used)
        out[key] = (used, other)
    return out


def _first_goods_are(tokens: tuple[str, ...], used: tuple[tuple[str, ...], ...],
                     other: tuple[tuple[str, ...], ...]) -> bool:
    """Whether the first goods the title names are used-market goods: "Chuột máy tính" sells a
    mouse, not the computer it is for."""
    for i in range(len(tokens)):
        best_used = max((len(p) for p in used if tokens[i : i + len(p)] == p), default=0)
        best_other = max((len(p) for p in other if tokens[i : i + len(p)] == p), default=0)
        if best_used or best_other:
            return best_used >= best_other
    return False


def sells_used_market_goods(title: str, category_key: str | None, rules: RuleSet) -> bool:
    """Whether used units of what `title` sells go unmarked (a category's `used_market`, narrowed
    to its `used_market_goods` where it lists them). Callers pass the goods' own category before
    the brand's: a Xiaomi power bank is electronics, not a Xiaomi phone."""
    category = rules.category(category_key)
    if category is None or not category.used_market:
        return False
    used, other = _used_goods(rules).get(category_key or "", ((), ()))
    if not used:
        return True
    return _first_goods_are(phrase_tokens(title), used, other)
