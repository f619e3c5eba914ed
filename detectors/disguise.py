"""How a famous name was written to dodge brand filters, beyond what `textnorm` decodes: a mark
inside the name ("B.raun"), a symbol typed in place of a letter ("Ch🌸nel"), "rn" drawn as
"m" ("Sarnsung"), "l" as "I" ("Nlke"). Pure functions over the text as typed and the brand index."""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations
from typing import TYPE_CHECKING, Literal

from detectors.brand_index import phrase_tokens
from detectors.fuzzy import fuzzy_brand
from detectors.textnorm import fold, has_doubled_letter, has_vietnamese_marks, leet_letters, squeeze

if TYPE_CHECKING:
    from detectors.brand_index import BrandIndex
    from rules.loader import Brand, RuleSet


def split_in_raw(lowered_raw: str, letters: str) -> bool:
    """The split letters appear as plain letters in the text as typed (no diacritics)."""
    pattern = r"[\W_]*".join(re.escape(c) for c in letters)
    return re.search(pattern, unicodedata.normalize("NFC", lowered_raw)) is not None


def homoglyph_of(idx: BrandIndex, token: str, before: str | None = None,
                 after: str | None = None) -> tuple[Brand, int, int] | None:
    """The famous brand `token` spells with letters drawn to look like others: "rn" for "m"
    ("xiaorni" -> Xiaomi), a lower-case "l" for a capital "I" ("Nlke", "GUCCl", "HlLFlGER");
    alone, or as one word of a two-word name with the word `before` or `after` it ("Royal
    Canln", "TP-Llnk", "SAlNT Laurent"), also when that word is written in leetspeak ("R0YAL
    CANlN", "MlCHAEL K0RS"). Returns the brand and the words it spans, counted from `token`:
    (0, 1) alone, (-1, 1) with `before`, (0, 2) with `after`."""
    variants = [token.replace("rn", "m")] if "rn" in token else []
    if "l" in token and len(token) >= _HOMOGLYPH_MIN_LETTERS:
        drawn = [i for i, c in enumerate(token) if c == "l"]
        variants += [token[:i] + "i" + token[i + 1:] for i in drawn]
        # ... then two or three of them at once ("hllflger" -> "hilfiger").
        variants += ["".join("i" if k in chosen else c for k, c in enumerate(token))
                     for n in range(2, _HOMOGLYPH_MAX_DRAWN + 1) for chosen in combinations(drawn[:_HOMOGLYPH_MAX_DRAWN], n)]
    if before is not None and not before.isalpha():
        before = leet_letters(before)
    if after is not None and not after.isalpha():
        after = leet_letters(after)
    for variant in variants:
        entry = idx.compact.get(variant)
        if entry is not None and entry[1] == 1 and entry[0].famous:
            return entry[0], 0, 1
        if before is not None:
            entry = idx.compact.get(before + variant)
            if entry is not None and entry[1] == 2 and entry[0].famous:
                return entry[0], -1, 1
        if after is not None:
            entry = idx.compact.get(variant + after)
            if entry is not None and entry[1] == 2 and entry[0].famous:
                return entry[0], 0, 2
    return None


# "lg" -> "ig", "lon" -> "ion": short words read with an "i" name too much by chance.
_HOMOGLYPH_MIN_LETTERS = 4
# At most this many of a word's first "l"s are read as drawn "i"s together (four readings more).
_HOMOGLYPH_MAX_DRAWN = 3


_MARK = re.compile(r"[^\w\s'’]")
# Letters, a symbol (an emoji, with its variation selector) or a mark that joins no name,
# letters: "Ch🌸nel", "Gu*ci", "Ch.nel". A hyphen, slash, '&' or '+' is part of names ("G-Pro").
_STAND_IN_SYMBOL = r"[^\w\s'’\-/&+]"
_STAND_IN_MARK = r"(?:" + _STAND_IN_SYMBOL + r"\ufe0f?)"
_STAND_IN = re.compile(r"(?<!\w)([^\W\d_]+)" + _STAND_IN_MARK + r"([^\W\d_]+)(?!\w)")


def stand_ins(idx: BrandIndex, text: str, plain: tuple[str, ...]) -> list[tuple[Brand, str, int]]:
    """Famous one-word names with a symbol typed in place of one letter ("Ch🌸nel", "Ch.nel"):
    (brand, the word as typed, its first token in `plain`)."""
    out = []
    for m in _STAND_IN.finditer(unicodedata.normalize("NFC", text).lower()):
        head, tail = fold(m.group(1)), fold(m.group(2))
        brand = idx.masked.get(f"{head}?{tail}")
        if brand is None:
            continue
        at = next((i for i in range(len(plain) - 1) if plain[i] == head and plain[i + 1] == tail), None)
        if at is not None:
            out.append((brand, m.group(0), at))
    return out


def marked_apart(raw: str, words: tuple[str, ...]) -> str | None:
    """The pieces of a name as typed when a dot, hyphen or other mark joins two of them
    ("B.raun", "Sam-sung", "On.e Touch"), folded; None when they are only spaced apart."""
    hit = re.search(r"(?<![\w.])" + r"(?:[^\w\s'’]+|\s+)".join(map(re.escape, words)) + r"(?![\w])", fold(raw))
    # "On.e Touch": a mark inside one word is enough; spaces alone are spacing.
    return None if hit is None or _MARK.search(hit.group(0)) is None else hit.group(0)


# Cheap test before `marked_near_misses`: a dot right between two letters ("Gu.cc", "LE.VI").
# Not a hyphen ("Max-Lite", "Pro-Da", "Vi-ta-min" are words joined as written), nor a comma or
# slash ("Nâu,đen", "nam/nữ": lists).
_DOT = "[.·•]"
# Written from the dot, the letter before it checked behind: `re` then skips to each dot by
# its first character instead of trying the letter class at every letter (~4x faster on a title).
_MARK_IN_WORD = re.compile(_DOT + r"(?<=[^\W\d_]" + _DOT + r")" + _DOT + r"*[^\W\d_]")


def marked_near_misses(idx: BrandIndex, stream: tuple[str, ...], covered: set[int], raw: str,
                       rules: RuleSet) -> list[tuple[Brand, float, str, int, int]]:
    """Famous names that the letters of a word cut by a dot miss by a letter ("Gu.cc" for
    Gucci, "LE.VI" for Levi's): nobody puts a dot inside an ordinary word, so the dot is the
    dodge, as leetspeak is, and the near miss counts without a product line beside it. Only two
    pieces of two letters or more: a one-letter piece opens a model or a word ("G.Pro"), single
    letters apart ("N.i.k.e") are `_scan`'s, and three syllables or more ("Vi.ta.min") spell a
    loanword. Pieces typed with Vietnamese marks are Vietnamese words ("Đen.Đỏ" is no Denso).
    Returns (brand, similarity, the word as typed (folded), first, end)."""
    if _MARK_IN_WORD.search(raw) is None:
        return []
    cfg = rules.scoring.brand
    folded = fold(raw)
    lowered = raw.lower()
    found: list[tuple[Brand, float, str, int, int]] = []
    last_end = 0
    for i in range(len(stream) - 1):
        first, second = stream[i], stream[i + 1]
        if (i < last_end or i in covered or i + 1 in covered or len(first) < 2 or len(second) < 2
                or not first.isalpha() or not second.isalpha()
                or len(first) + len(second) < cfg.marked_fuzzy_min_length):
            continue
        typed = re.search(r"(?<!\w)(?<!" + _DOT + ")" + re.escape(first) + _DOT + "+" + re.escape(second)
                          + r"(?!\w|" + _DOT + r"\w)", folded)
        if typed is None or not split_in_raw(lowered, first + second):
            continue
        hit = fuzzy_brand(idx, first + second, rules, cfg.marked_fuzzy_min_length)
        if (hit is None or not hit[0].famous or hit[1] < cfg.marked_fuzzy_min_similarity
                or first[0] not in idx.first_letters.get(hit[0].name, frozenset())):
            continue
        found.append((hit[0], hit[1], typed.group(0), i, i + 2))
        last_end = i + 2
    return found


# Cheap test before `_STAND_IN`: a symbol right between two letters.
# From the symbol, as `_MARK_IN_WORD` is written from the dot.
STAND_IN_HINT = re.compile(_STAND_IN_SYMBOL + r"(?<=[^\W\d_]" + _STAND_IN_SYMBOL + r")\ufe0f?[^\W\d_]")


_RAW_WORD = re.compile(r"\w+")
_MARKED_NAME_MIN_LETTERS = 3  # "Ômega", "La Mẹr"; a two-letter word marked is mostly a Vietnamese syllable


def marked_name(raw: str, words: tuple[str, ...], brand: Brand) -> str | None:
    """A word of a foreign brand's name typed with a Vietnamese mark that no Vietnamese word
    carries ("Toshíba", "Garmín", "Ômega"): written so a filter on the name misses it. None
    when the brand's own names carry marks, or the word as typed is a Vietnamese word
    (wordfreq's list: "Hảo" is one, "Laneíge" is not)."""
    candidates = {w for w in fold(brand.name).split() if len(w) >= _MARKED_NAME_MIN_LETTERS}.intersection(words)
    # Most titles type the name plain: the brand's own names are looked at only for a marked one.
    marked = [typed for typed in _RAW_WORD.findall(raw) if fold(typed) in candidates and has_vietnamese_marks(typed)]
    if not marked or any(has_vietnamese_marks(n) for n in brand.all_names()):
        return None
    from wordfreq import zipf_frequency

    return next((typed for typed in marked if zipf_frequency(typed.lower(), "vi") == 0), None)


def doubled_name(idx: BrandIndex, token: str) -> Brand | None:
    """The famous one-word name `token` spells with letters doubled to dodge a filter on it
    ("Guccii", "Adiddas", "Rollex"): with every doubled letter written once, the token and the
    name are the same word. The caller rules out ordinary words ("channel").

    A doubled letter plus another edit ("Verrsacc") is left alone: local names read that way
    too ("Leevin" ~ Levi's, "Coobos" ~ Coros, "Cassia" ~ Casio)."""
    if not has_doubled_letter(token) or not token.isalpha():
        return None
    short = squeeze(token)
    for name, spelt, brand in idx.squeezed.get(token[0], ()):
        if short == name:
            return None if token == spelt else brand  # "gucci" is the name itself
    return None


_LEET_CLASS = {"a": "a4@", "e": "e3", "i": "i1!", "l": "l1", "o": "o0", "s": "s5$", "t": "t7"}


def leet_form(raw: str, letters: str) -> str | None:
    """The first place in `raw` that spells `letters` letter for letter with leetspeak ("m4kita"
    for "makita"), as typed (folded); None when every such spelling is the plain letters."""
    pattern = "".join("[" + re.escape(_LEET_CLASS.get(c, c)) + "]" for c in letters)
    return next((m.group(0) for m in re.finditer(pattern, fold(raw)) if m.group(0) != letters), None)


def quote_variant(raw: str, letters: str) -> tuple[Literal["disguised", "split"], str]:
    """How a brand found only in a variant stream was written: letters split apart
    ("N.i.k.e") or leetspeak ("N1ke"). Returns the kind and the text as written (folded)."""
    folded = fold(raw)
    leet = re.search("".join("[" + re.escape(_LEET_CLASS.get(c, c)) + "]" for c in letters), folded)
    if leet is not None and leet.group(0) != letters:
        return "disguised", leet.group(0)
    split = re.search(r"[\W_]*".join(re.escape(c) for c in letters), folded)
    if split is not None and len(split.group(0)) > len(letters):
        return "split", split.group(0)
    # Leetspeak in a name of two words ("Red Bu11"): quote the words as written.
    both = re.search(r"[\W_]*".join("[" + re.escape(_LEET_CLASS.get(c, c)) + "]" for c in letters), folded)
    return "disguised", letters if both is None else both.group(0)


def underscored(text: str, words: tuple[str, ...]) -> str | None:
    """The word of `text` that is `words` with an underscore glued before it ("_MLB", "_Nike_");
    one only after it ("Lacoste_") is a slip of the keyboard, not a separator."""
    target = "".join(words)
    for raw in text.split():
        word = raw.strip(",.;:!?()[]")
        if word.startswith("_") and "".join(phrase_tokens(word.strip("_"))) == target:
            return word
    return None
