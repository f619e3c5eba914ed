"""Vietnamese-aware text folding for matching.

Sellers write the same word many ways: with or without diacritics ("Sữa" / "Sua"), in
fullwidth or Cyrillic look-alike letters to dodge keyword filters ("Nikе" with a Cyrillic
е), with zero-width characters inside words, in leetspeak ("N1ke", "Adid@s") or with the
letters spaced or dotted apart ("N.i.k.e", "N i k e"). `fold` removes the differences that
never carry meaning; `brand_tokens` additionally undoes the tricks that only matter when
looking for brand names (leetspeak, split letters), and remembers which tokens were
disguised so the brand detector can say so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

# Invisible characters used to break up words so filters miss them.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"), None)

# Letters that *look* like Latin ones. unidecode transliterates by sound (Cyrillic р -> r),
# but a counterfeiter picks them by shape (р looks like p), so map by shape first.
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "с": "c", "е": "e", "ё": "e", "һ": "h", "н": "h", "і": "i",
        "ї": "i", "ј": "j", "к": "k", "м": "m", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s",
        "т": "t", "у": "y", "х": "x", "ԝ": "w", "ӏ": "l", "ɡ": "g",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "s",
        # Latin letters that do not decompose into base + mark
        "đ": "d", "ø": "o", "ł": "l", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "ŀ": "l",
    }
)  # fmt: skip

# Leetspeak digits/symbols -> letters. Applied only for brand matching, never to prices or
# sizes (a "1" in "iPhone 15" is a digit, in "N1ke" it is an i).
_LEET_I = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LEET_L = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LEET_CHARS = frozenset("013457@$")

# Letters a Vietnamese or Western-European brand name may legitimately carry. Any other
# non-ASCII letter in a brand-like token is a disguise (ę, ï, Cyrillic е ...).
_VIETNAMESE_LETTERS = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
)
_VIETNAMESE_RE = re.compile("[" + "".join(sorted(_VIETNAMESE_LETTERS)) + "]")
_WORD_SPLIT = re.compile(r"[^0-9a-z@$]+")
_ALNUM_SPLIT = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")
_LETTERS_THEN_DIGITS_IN_TEXT = re.compile(r"(?<![0-9a-z])([a-z]{4,})(\d+[a-z]*)(?![0-9a-z])")
_ALNUM_WORD = re.compile(r"[0-9a-z]+")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


# Combining marks of Latin letters (Vietnamese tones and vowel marks among them), removed
# from the NFD form by one C-level `re.sub`; titles are unique, so a per-character Python
# walk (`_strip_marks`) would run for almost every listing. Rarer marks fall through to it.
_COMBINING = re.compile("[\u0300-\u036f]+")
_ZERO_WIDTH_RE = re.compile("[" + "".join(map(chr, _ZERO_WIDTH)) + "]")
_CONFUSABLE_RE = re.compile("[" + re.escape("".join(map(chr, _CONFUSABLES))) + "]")


# Titles are mostly unique: the cache serves the repeated folds of one listing (title, brand
# field, rule phrases) and stays small so memory is flat however long the input.
@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lowercase ASCII form of `text`: NFKC, no diacritics (đ -> d), no zero-width
    characters, look-alike letters mapped to the Latin letter they imitate, whitespace
    collapsed. Punctuation is kept ("1:1" must stay "1:1" for slang matching)."""
    if text.isascii():
        # NFKC, marks and look-alikes cannot apply to ASCII (callers often fold folded text).
        return _SPACES.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKC", text)
    if _ZERO_WIDTH_RE.search(text) is not None:
        text = text.translate(_ZERO_WIDTH)
    text = text.lower()
    if _CONFUSABLE_RE.search(text) is not None:
        text = text.translate(_CONFUSABLES)
    text = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    if not text.isascii():
        text = _strip_marks(text)
    if not text.isascii():
        # Whatever is left (CJK, emoji, rarer scripts) is transliterated or dropped so that
        # downstream regexes only ever see ASCII.
        text = unidecode(text).lower()  # unidecode capitalises CJK readings ("Ri Ben")
    return _SPACES.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    """Folded alphanumeric tokens (punctuation splits words)."""
    return [t for t in _ALNUM_SPLIT.split(fold(text)) if t]


def has_vietnamese_marks(text: str) -> bool:
    """True when the writer typed Vietnamese diacritics somewhere in `text`.

    Some slang is only unambiguous with diacritics ("hàng giả" = counterfeit, but folded it
    equals "hàng giá" = goods price); such terms are matched on the accented text when the
    writer uses accents at all."""
    return text.isascii() is False and _VIETNAMESE_RE.search(text.lower()) is not None


@dataclass(frozen=True, slots=True)
class BrandTokens:
    """Token streams of one text, prepared for brand matching.

    `plain` is the folded text split into words. `variants` holds extra streams in which
    leetspeak was decoded or single letters were glued back together ("n i k e" -> "nike");
    a brand found only there was written in disguise. `disguised` maps folded tokens that
    were written with non-Vietnamese marks or look-alike letters to their raw form, so the
    detector can quote the evidence ("Nikę")."""

    plain: tuple[str, ...]
    variants: tuple[tuple[str, ...], ...]
    disguised: dict[str, str]


def _is_disguised(raw_token: str) -> bool:
    for ch in raw_token:
        if ch.isascii() or ch in _VIETNAMESE_LETTERS:
            continue
        if ch.isalpha() or unicodedata.category(ch) == "Mn":
            return True
    return False


def _collapse_single_letters(words: list[str], min_run: int) -> list[str]:
    """Glue runs of single letters ("n", "i", "k", "e") back into one word."""
    if not _has_letter_run(words, min_run):
        return words  # the common case: nothing to glue, no new list
    out: list[str] = []
    run: list[str] = []
    for w in [*words, ""]:
        if len(w) == 1 and w.isalpha():
            run.append(w)
            continue
        if len(run) >= min_run:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if w != "":
            out.append(w)
    return out


def _has_letter_run(words: list[str], min_run: int) -> bool:
    run = 0
    for w in words:
        if len(w) == 1 and w.isalpha():
            run += 1
            if run >= min_run:
                return True
        else:
            run = 0
    return False


_NEEDS_WORDWISE = re.compile(r"[^\x00-\x7f" + "".join(sorted(_VIETNAMESE_LETTERS)) + "]")
_LEETY = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]")


def _leet_stream(folded: str, table: dict[int, str], min_letters: int) -> list[str] | None:
    """Words with leetspeak decoded; `None` when no word qualifies (then the stream would
    only differ from the plain one by how digits are split off, which is no disguise)."""
    out: list[str] = []
    decoded = False
    for piece in _WORD_SPLIT.split(folded):
        if piece == "":
            continue
        # "1g", "4k", "s24" are units and models, not leetspeak: too few letters to be a word.
        if any(c in _LEET_CHARS for c in piece) and sum(c.isalpha() for c in piece) >= min_letters:
            out.append(piece.translate(table))
            decoded = True
        else:
            out.extend(p for p in _ALNUM_SPLIT.split(piece) if p)
    return out if decoded else None


@lru_cache(maxsize=8192)
def brand_tokens(text: str, min_collapse_run: int = 3, leet_min_letters: int = 3) -> BrandTokens:
    """Prepare `text` for brand matching (see `BrandTokens`)."""
    raw = unicodedata.normalize("NFKC", text)
    if _ZERO_WIDTH_RE.search(raw) is not None:
        raw = raw.translate(_ZERO_WIDTH)
    raw = raw.lower()
    disguised: dict[str, str] = {}
    if _NEEDS_WORDWISE.search(raw) is not None:
        # Only words with foreign marks or look-alike letters need to be looked at one by one.
        for raw_word in raw.split():
            if _is_disguised(raw_word):
                for piece in _ALNUM_SPLIT.split(fold(raw_word)):
                    if piece:
                        disguised[piece] = raw_word
    folded = fold(raw)
    # "iPhone15" is "iphone" + "15": expose the letters so the alias matches. One regex over
    # the whole title instead of a match per word.
    plain: list[str] = _ALNUM_WORD.findall(_LETTERS_THEN_DIGITS_IN_TEXT.sub(r"\1 \2", folded))
    variants: list[tuple[str, ...]] = []
    collapsed = _collapse_single_letters(plain, min_collapse_run)
    if collapsed != plain:
        variants.append(tuple(collapsed))
    if _LEETY.search(folded) is not None:
        for table in (_LEET_I, _LEET_L):
            leet = _leet_stream(folded, table, leet_min_letters)
            if leet is None:
                break  # both tables decode the same words: neither has any
            v = tuple(_collapse_single_letters(leet, min_collapse_run))
            if v != tuple(plain) and v not in variants:
                variants.append(v)
    return BrandTokens(plain=tuple(plain), variants=tuple(variants), disguised=disguised)


def normalize_spaces(text: str) -> str:
    """Collapse runs of whitespace (used when quoting evidence)."""
    return _SPACES.sub(" ", text).strip()
