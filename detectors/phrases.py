"""Whole-word phrase matching that respects diacritics when the writer typed them.

Folding makes "sữa" and "sua" equal, which is what we want for most phrases, but it also
makes "giày" (shoes) equal "giấy" (paper) and "hàng giả" (fake goods) equal "hàng giá"
(goods price). Rule files therefore may write a phrase *with* diacritics: it is then matched
verbatim (lowercase) in text that has diacritics, and folded only in text typed without any.
Phrases written without diacritics are always matched on the folded text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Generic, NamedTuple, TypeVar

from detectors.textnorm import fold, has_vietnamese_marks

T = TypeVar("T")

_SPACE = re.compile(r"\s+")


_SEP = r"[\s_.\-]+"  # words may be separated by any run of spaces, dashes, dots or underscores
_CANON_SPLIT = re.compile(_SEP)  # compiled once: `_canon` runs for every match
_END = ""  # trie key marking that a phrase ends here
_Trie = dict[str, "_Trie"]


def _trie_pattern(node: _Trie) -> str:
    """Regex for a character trie: shared prefixes are matched once.

    Python's `re` tries the alternatives of a flat "a|b|c..." one after another at every
    position of the text; with hundreds of slang, category or alias phrases that was most of
    the matching time. A trie fails on the first character that no phrase continues with."""
    ends = _END in node
    branches = []
    for key in sorted(k for k in node if k != _END):
        unit = _SEP if key == " " else re.escape(key)
        branches.append(unit + _trie_pattern(node[key]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        # Greedy optional: the longer phrase is tried first ("hang rep" before "hang"), as a
        # longest-first alternation would, and a failed word boundary backtracks to the shorter.
        return "(?:" + body + ")?"
    return body


def _bounded(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One whole-word pattern for `phrases` (plain text; words separated by whitespace)."""
    trie: _Trie = {}
    for phrase in phrases:
        words = [w for w in _SPACE.split(phrase.strip()) if w]
        if not words:
            continue
        node = trie
        for ch in " ".join(words):
            node = node.setdefault(ch, {})
        node[_END] = {}
    if not trie:
        return None
    return re.compile(r"(?<!\w)(?:" + _trie_pattern(trie) + r")(?!\w)")


# One listing's title is lowercased this way by several matchers (category, form, slang): a
# small cache serves those repeats; titles are unique, so it is not meant to hold more.
@lru_cache(maxsize=64)
def lower_nfc(text: str) -> str:
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text)).lower()


def is_accented(phrase: str) -> bool:
    return has_vietnamese_marks(phrase)


class Match(NamedTuple, Generic[T]):
    """One phrase found. A named tuple, not a dataclass: the compiled build (mypyc) cannot
    build a generic dataclass."""

    value: T
    text: str
    start: int = 0  # where the match begins in the (folded or lowercased) text it was found in


def _overlapping(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Every match of `pattern`, also those that begin inside an earlier one (the longest at each start)."""
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        yield m
        pos = m.start() + 1


class PhraseMatcher(Generic[T]):
    """Find phrases (each tagged with a value) in text, whole words only."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        self._folded: dict[str, T] = {}
        self._accented: dict[str, T] = {}
        self._plain_in_accented: dict[str, T] = {}
        for phrase, value in phrases:
            if phrase.strip() == "":
                continue
            if is_accented(phrase):
                self._accented.setdefault(lower_nfc(phrase).strip(), value)
            else:
                key = fold(phrase)
                self._folded.setdefault(key, value)
                self._plain_in_accented.setdefault(key, value)
        self._re_folded = _bounded(self._folded)
        # In accented text: accented phrases verbatim, unaccented phrases on the folded text.
        self._re_accented = _bounded(self._accented)
        self._key_folded = {self._canon(k): v for k, v in self._folded.items()}
        self._key_accented = {self._canon(k): v for k, v in self._accented.items()}
        # Folded keys of accented phrases: used when the text has no diacritics at all.
        self._accented_as_folded = {fold(k): v for k, v in self._accented.items()}
        self._re_accented_as_folded = _bounded(self._accented_as_folded)
        self._key_accented_as_folded = {self._canon(k): v for k, v in self._accented_as_folded.items()}

    @staticmethod
    def _canon(text: str) -> str:
        return " ".join(_CANON_SPLIT.split(text.strip()))

    def __bool__(self) -> bool:
        return bool(self._folded or self._accented)

    def finditer(self, raw: str, folded: str | None = None, accented: bool | None = None, *,
                 overlapping: bool = False) -> Iterator[Match[T]]:
        """Matches in `raw` (pass `folded`/`accented` when already computed); `overlapping`
        also yields those that begin inside an earlier one ("hàng zin nhà máy": the weak "hàng
        zin", then "zin nhà máy"), the longest at each word."""
        if folded is None:
            folded = fold(raw)
        if accented is None:
            accented = has_vietnamese_marks(raw)
        runs: list[tuple[re.Pattern[str] | None, str, dict[str, T]]] = [(self._re_folded, folded, self._key_folded)]
        if accented:
            runs.append((self._re_accented, lower_nfc(raw), self._key_accented))
        else:
            runs.append((self._re_accented_as_folded, folded, self._key_accented_as_folded))
        for pattern, text, keys in runs:
            if pattern is None:
                continue
            for m in (_overlapping(pattern, text) if overlapping else pattern.finditer(text)):
                found = m.group(0)
                # A key is canonical, so a match equal to one is its own canonical form;
                # only other matches ("hang-rep", "1.5") are canonicalized.
                value = keys.get(found)
                if value is None:
                    value = keys.get(self._canon(found))
                if value is not None:
                    yield Match(value, found, m.start())

    def search(self, raw: str, folded: str | None = None, accented: bool | None = None) -> Match[T] | None:
        return next(self.finditer(raw, folded, accented), None)


class Alternation(Generic[T]):
    """Whole-word alternation over text the caller already prepared (folded or lowercased).

    Several values may share a phrase; `finditer` yields each (value, matched text)."""

    def __init__(self, phrases: Iterable[tuple[str, T]]) -> None:
        self._values: dict[str, list[T]] = {}
        for phrase, value in phrases:
            if phrase.strip() == "":
                continue
            key = PhraseMatcher._canon(phrase)
            bucket = self._values.setdefault(key, [])
            if value not in bucket:
                bucket.append(value)
        self._re = _bounded(self._values)

    def __bool__(self) -> bool:
        return self._re is not None

    def finditer(self, text: str) -> Iterator[tuple[T, str, int, int]]:
        return iter(()) if self._re is None else self._values_of(self._re.finditer(text))

    def finditer_overlapping(self, text: str) -> Iterator[tuple[T, str, int, int]]:
        """`finditer`, also yielding matches that begin inside an earlier one: "không bán hàng
        giả, hàng nhái" holds one term's phrase and, overlapping it, another's."""
        return iter(()) if self._re is None else self._values_of(_overlapping(self._re, text))

    def _values_of(self, matches: Iterable[re.Match[str]]) -> Iterator[tuple[T, str, int, int]]:
        for m in matches:
            found = m.group(0)
            values = self._values.get(found)  # canonical already (see `PhraseMatcher.finditer`)
            for value in values if values is not None else self._values.get(PhraseMatcher._canon(found), ()):
                yield value, found, m.start(), m.end()

    def sub(self, text: str, repl: str) -> str:
        return text if self._re is None else self._re.sub(repl, text)
