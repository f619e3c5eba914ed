"""The cheap tests that open two disguise checks are written from the mark, not from the letter
before it, so `re` can skip ahead to each mark; they must say yes and no exactly where the
plain "letter, mark, letter" patterns do."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.disguise import _DOT, _MARK_IN_WORD, _STAND_IN_MARK, STAND_IN_HINT

_PLAIN_MARK_IN_WORD = re.compile(r"[^\W\d_]" + _DOT + r"+[^\W\d_]")
_PLAIN_STAND_IN_HINT = re.compile(r"[^\W\d_]" + _STAND_IN_MARK + r"[^\W\d_]")

# Letters (Latin, Vietnamese, Greek), digits, the underscore, spaces, the dots, the marks that
# join names, other symbols, the emoji variation selector and an emoji.
_PIECES = list("aZđểΩ19_ \t\n.·•*-/&+'’,:#") + ["\ufe0f", "🌸"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=10).map("".join))
def test_the_hints_agree_with_the_plain_patterns(text: str) -> None:
    assert (_MARK_IN_WORD.search(text) is None) == (_PLAIN_MARK_IN_WORD.search(text) is None), repr(text)
    assert (STAND_IN_HINT.search(text) is None) == (_PLAIN_STAND_IN_HINT.search(text) is None), repr(text)


def test_the_hints_on_titles() -> None:
    assert _MARK_IN_WORD.search("Áo LE.VI nam") is not None
    assert _MARK_IN_WORD.search("Son Gu··cc đỏ") is not None
    assert _MARK_IN_WORD.search("Sữa 1.5 lít, hộp .net") is None
    assert STAND_IN_HINT.search("Túi Ch🌸nel") is not None
    assert STAND_IN_HINT.search("Túi Ch🌸\ufe0fnel") is not None
    assert STAND_IN_HINT.search("Tai nghe G-Pro, AT&T, B+W") is None
    assert STAND_IN_HINT.search("Ốp 3*4 cm") is None
