"""The sixth score-speed pass, proven equal to the code it replaced: phrase n-grams that end
at a title position looked up by that position's last word."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.brand import _ending_at, _first_accessory_end, brand_index
from rules.loader import RuleSet

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

