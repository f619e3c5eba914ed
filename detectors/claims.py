"""How a title or brand field speaks of a brand: pure helpers of `detectors.context`.

Which company a brand field names (a parent of the title's brand, a disguised spelling of
it), whether the words before a brand name goods it sells, where a brand code ends in the
title as written, and whether a line's words were written as Vietnamese words.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from detectors._cache import per_rules
from detectors.brand import Mention, compat_marker_before, find_mentions
from detectors.brand_index import brand_index, names_any, phrase_tokens
from detectors.form import pack_lead
from detectors.lines import brand_floor
from detectors.textnorm import fold, has_vietnamese_marks, has_vietnamese_only_marks

if TYPE_CHECKING:
    from rules.loader import Brand, RuleSet


def field_disguise(field_value: str, brand: Brand, rules: RuleSet) -> Mention | None:
    """The brand field's disguised spelling of `brand` ("Nikę", "PU MA", "HK-II"), if it is one."""
    return next((m for m in find_mentions(field_value, rules, fuzzy=False)
                 if m.brand is brand and m.kind in _FIELD_DISGUISES), None)


_FIELD_DISGUISES = frozenset({"disguised", "stand_in", "split", "separated", "coded"})


def field_keys(field_value: str | None, declared: Brand | None = None) -> frozenset[str]:
    """How a brand field is looked up among brands' `makers`: as written and, when it names a
    registered brand, by that brand's name ("L'Oreal Paris" is L'Oréal)."""
    keys = {" ".join(phrase_tokens(field_value or ""))}
    if declared is not None:
        keys.add(" ".join(phrase_tokens(declared.name)))
    return frozenset(keys)


def made_by(brand: Brand, keys: frozenset[str], rules: RuleSet) -> bool:
    """The brand field (its `field_keys`) names the company that makes `brand` ("Nike" on a Jordan)."""
    return not keys.isdisjoint(brand_index(rules).makers.get(brand.name, ()))


def parent_of(declared: Brand, field_value: str | None, mentions: list[Mention], rules: RuleSet) -> bool:
    """The brand field names the company that makes a brand the title claims (its `makers`)."""
    keys = field_keys(field_value, declared)
    return any(m.is_claim and m.brand is not declared and made_by(m.brand, keys, rules) for m in mentions)


def written_in_vietnamese(title: str, evidence: str, line_name: str | None = None) -> bool:
    """A word of the matched line is written, wherever it occurs in the title, with Vietnamese
    marks: the seller wrote Vietnamese words ("mạch" circuit), not the foreign line name
    ("Mach"), which no one types with Vietnamese tone marks. Given the line's name, only its
    words are looked at: a keyword may add a Vietnamese goods word ("rượu Blue Label")."""
    written: dict[str, list[bool]] = {}
    for raw in _RAW_WORD.findall(title.lower()):  # NFC already: `Listing` normalizes its title
        written.setdefault(fold(raw), []).append(has_vietnamese_only_marks(raw))
    named = None if line_name is None else set(fold(line_name).split())
    return any(word.isalpha() and word in written and all(written[word]) and (named is None or word in named)
               for word in evidence.split())


_RAW_WORD = re.compile(r"\w+")
# A code followed by digits, set off or glued ("CK2-50781969", "GGDB3", "GC77"), heads a model code.
MODEL_CODE_TAIL = re.compile(r"\s*[-_/.]\s*\d|\d")


def code_end(lowered_title: str, evidence: str) -> int:
    """Where the code `evidence` (folded words) ends in the title as written; the title's
    length when it is not found as written (a disguised spelling)."""
    hit = re.search(r"\W*".join(map(re.escape, evidence.split())), lowered_title)
    return len(lowered_title) if hit is None else hit.end()


def goods_code_fits(m: Mention, title: str, tokens: tuple[str, ...], mentions: list[Mention],
                    rules: RuleSet) -> bool | None:
    """For a brand's goods-scoped code (`Brand.goods_codes`): whether the title names those
    goods before it and does not name the brand outright; None for any other mention.
    A title typed with Vietnamese marks must write the goods with theirs ("dép", not the
    "đẹp" that folds to the same letters)."""
    scoped = brand_index(rules).goods_codes.get((m.brand.name, tokens[m.start : m.end]))
    if scoped is None:
        return None
    named = (any(o.brand is m.brand and o.kind != "coded" for o in mentions)
             or names_any(tokens, _own_names(rules)[m.brand.name]))
    if named:
        return False  # "Mũ MLB NY", "J1 Jordan": the brand is named; its letters are the design or model
    folded, written, literals = scoped
    if not names_any(tokens[: m.start], folded) or (literals and not any(
            re.search(r"(?<![\w.])" + re.escape(w) + r"(?![\w.])", title.lower()) for w in literals)):
        # the code as written, standing alone: "L.V", not the middle of "size L.V.XL"
        return False
    if not has_vietnamese_marks(title):
        return True
    words = set(_RAW_WORD.findall(title.lower()))
    return any(w in words for w in written)


@per_rules
def _own_names(rules: RuleSet) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each brand's own names as folded words (no codes): what names it outright."""
    return {b.name: tuple(t for t in map(phrase_tokens, b.all_names()) if t) for b in rules.brands.brands}


def heads_model_code(title: str, evidence: str) -> bool:
    """The code `evidence` is written as the head of a longer model code ("CK2-50781969", "GGDB3")."""
    lowered = title.lower()
    return MODEL_CODE_TAIL.match(lowered, code_end(lowered, evidence)) is not None


def makes_goods(brand: Brand, tokens: tuple[str, ...], start: int, rules: RuleSet) -> bool:
    """The words before `start` name goods the brand itself sells (one of its floors' goods),
    with no compatibility word ("cho") in between: "Ốp lưng ... Rugged Armor" is a Spigen case."""
    return (not compat_marker_before(tokens, start, rules)
            and brand_floor(brand, tokens[:start][:rules.scoring.brand.head_noun_words], rules) is not None)


def opening_floor(brand: Brand, head: tuple[str, ...], rules: RuleSet) -> tuple[int, tuple[str, ...]] | None:
    """The brand's floor for goods opening the title: inside its first words ("loa bluetooth
    JBL"), or starting the title and running on ("bộ thể thao bóng đá Chelsea"). Goods named
    later describe something else ("kính mũ bảo hiểm Honda" is a visor). A pack announced first
    ("Combo 10 chai nhớt Motul") says how many, not what."""
    head = head[_openers(head, rules):]
    head = head[pack_lead(head, rules):]
    return (brand_floor(brand, head[:rules.scoring.brand.head_noun_words], rules)
            or brand_floor(brand, head, rules, starts_within=1))


@per_rules
def _category_floors(rules: RuleSet) -> dict[str, dict[str, list[tuple[tuple[str, ...], int]]]]:
    """Each category's `goods_floors`, by the first word of their goods."""
    out: dict[str, dict[str, list[tuple[tuple[str, ...], int]]]] = {}
    for key, category in rules.categories.categories.items():
        for floor in category.goods_floors:
            for goods in floor.goods:
                toks = phrase_tokens(goods)
                if toks:
                    out.setdefault(key, {}).setdefault(toks[0], []).append((toks, floor.price_min))
    return out


def category_floor(brand: Brand, tokens: tuple[str, ...], rules: RuleSet, *, anywhere: bool) -> int | None:
    """A famous brand's floor from its category's `goods_floors` for the goods the title
    sells: those the words before the brand open with (after banners: "Kính mũ bảo hiểm
    Chelsea" sells a visor, not a cap), or any in `tokens` when the title starts with the
    brand ("ELLESSE Áo Hoodies ...")."""
    by_first = _category_floors(rules).get(brand.category)
    if not by_first or not brand.famous:
        return None
    head = tokens[_openers(tokens, rules):]
    window = head if anywhere else head[:1]
    best: int | None = None
    for i, tok in enumerate(window):
        for toks, price in by_first.get(tok, ()):
            if head[i : i + len(toks)] == toks and (best is None or price < best):
                best = price
    return best


@per_rules
def _opener_phrases(rules: RuleSet) -> tuple[frozenset[tuple[str, ...]], tuple[int, ...]]:
    phrases = frozenset(t for t in map(phrase_tokens, rules.scoring.brand.title_openers) if t)
    return phrases, tuple(sorted({len(p) for p in phrases}, reverse=True))


def _openers(head: tuple[str, ...], rules: RuleSet) -> int:
    """How many of the head's first tokens are banners or numbers ("sale chinh hang", "12 12")."""
    phrases, lengths = _opener_phrases(rules)
    i = 0
    while i < len(head):
        if head[i].isdigit():
            i += 1
            continue
        n = next((n for n in lengths if head[i : i + n] in phrases), 0)
        if not n:
            break
        i += n
    return i


__all__ = ["MODEL_CODE_TAIL", "category_floor", "code_end", "field_disguise", "field_keys", "goods_code_fits", "heads_model_code", "made_by", "makes_goods", "opening_floor", "parent_of", "written_in_vietnamese"]
