"""The sixth score-speed pass, proven equal to the code it replaced: phrase n-grams that end
at a title position looked up by that position's last word, a title naming a single
category inferred without `_whole_phrases`, title heads counted from cached word counts."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.brand import _ending_at, _first_accessory_end, brand_index
from detectors.category import _compiled, _whole_phrases, infer_category
from detectors.form import raw_head
from detectors.textnorm import fold
from rules.loader import RuleSet
from rules.record import Listing

# Words of the real compatibility phrases, plus others, so that streams hit them often.
_FILLER_WORDS = ["cho", "thay", "the", "op", "lung", "iphone", "15", "pro", "x", "tuong", "thich", "voi", "day",
                 "sac", "cap", "samsung", "dung", "loai", "a"]


def _ending_at_by_length(stream: tuple[str, ...], end: int, phrases: frozenset[tuple[str, ...]]) -> int:
    """`_ending_at` as it was: every phrase length tried, longest first."""
    for n in sorted({len(p) for p in phrases}, reverse=True):
        if n <= end and stream[end - n : end] in phrases:
            return n
    return 0


def _vocabulary(rules: RuleSet) -> list[str]:
    idx = brand_index(rules)
    return sorted({w for p in (*idx.marker_set, *idx.filler_set, *idx.accessory_set) for w in p} | set(_FILLER_WORDS))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_phrases_ending_at_a_word_are_those_a_scan_of_every_length_finds(rules: RuleSet, data: st.DataObject) -> None:
    idx = brand_index(rules)
    stream = tuple(data.draw(st.lists(st.sampled_from(_vocabulary(rules)), max_size=14)))
    for phrases, ends in ((idx.marker_set, idx.marker_ends), (idx.filler_set, idx.filler_ends),
                          (idx.accessory_set, idx.accessory_ends)):
        for end in range(1, len(stream) + 1):
            assert _ending_at(stream, end, phrases, ends) == _ending_at_by_length(stream, end, phrases)
    by_scan = next((end for end in range(1, len(stream) + 1)
                    if _ending_at_by_length(stream, end, idx.accessory_set)), len(stream) + 1)
    assert _first_accessory_end(idx, stream) == by_scan


def _infer_category_as_it_was(title: str, rules: RuleSet) -> str | None:
    """`_infer_category` of the title alone, every match through `_whole_phrases`."""
    comp = _compiled(rules)
    found = _whole_phrases(list(comp.categories.finditer(title)))
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for m in found:
        counts[m.value] = counts.get(m.value, 0) + 1
        first[m.value] = min(first.get(m.value, m.start), m.start)
    return min(counts, key=lambda k: (-counts[k], first[k], comp.order[k])) if counts else None


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_categories_inferred_from_titles_are_those_of_the_whole_phrase_count(rules: RuleSet,
                                                                            data: st.DataObject) -> None:
    keywords = sorted({kw for cat in rules.categories.categories.values() for kw in cat.keywords})
    words = data.draw(st.lists(st.sampled_from([*keywords[:: max(1, len(keywords) // 60)], "sữa", "rửa mặt",
                                                "kem", "x", "50ml", "chính hãng"]), min_size=1, max_size=6))
    title = " ".join(words)
    listing = Listing.model_validate({"platform": "shopee", "listing_id": "1", "title": title})
    assert infer_category(listing, rules) == _infer_category_as_it_was(title, rules)


def _raw_head_as_it_was(title: str, tokens: int) -> str:
    out: list[str] = []
    seen = 0
    for word in title.split():
        if seen >= tokens:
            break
        out.append(word)
        seen += len(re.findall(r"[0-9a-z]+", fold(word)))
    return " ".join(out)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Ốp", "lưng", "iPhone15", "N.i.k.e", "bộ-lọc", "Ｎｉｋｅ", "x", "--", "đế", "2",
                                 "ＡＢ", "\u200bzin", "日本"]), max_size=10).map(" ".join), st.integers(0, 6))
def test_title_heads_counted_by_cached_word_are_those_of_a_fold_per_word(title: str, tokens: int) -> None:
    # Twice: the second call reads the word counts the first one cached.
    assert raw_head(title, tokens) == _raw_head_as_it_was(title, tokens)
    assert raw_head(title, tokens) == _raw_head_as_it_was(title, tokens)
