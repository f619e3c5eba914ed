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

import html
import re
import unicodedata
from collections.abc import Callable
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

# Capitals whose lowercase looks unlike the Latin letter the capital imitates (Greek Η is
# "H", its lowercase η looks like "n"): mapped before lowercasing.
_CONFUSABLE_CAPITALS = str.maketrans({
    "Η": "H", "Н": "H", "Ν": "N", "Μ": "M", "М": "M", "Τ": "T", "Т": "T", "Β": "B", "В": "B", "Κ": "K",
    "К": "K", "Ρ": "P", "Р": "P", "Χ": "X", "Х": "X", "Υ": "Y", "У": "Y", "Ζ": "Z", "Ι": "I", "Ε": "E",
    "Α": "A", "Ο": "O", "С": "C", "Е": "E", "А": "A", "О": "O",
})  # fmt: skip
_CONFUSABLE_CAPITALS_RE = re.compile("[" + "".join(map(chr, _CONFUSABLE_CAPITALS)) + "]")

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

# Styled letters that NFKC turns into plain ones (mathematical bold/italic/script 𝐍𝐈𝐊𝐄,
# fullwidth Ｎｉｋｅ, circled Ⓝ) plus the enclosed capitals NFKC leaves alone (🅝 🅽 🄽,
# regional indicators 🇳): nobody types a brand that way except to slip past a filter.
_STYLED = re.compile("[\U0001D400-\U0001D7FF\uFF21-\uFF3A\uFF41-\uFF5A\u24B6-\u24E9"
                     "\U0001F130-\U0001F189\U0001F1E6-\U0001F1FF]")
_ENCLOSED_CAPITALS = {cp: chr(ord("A") + (cp - base) % 26)
                      for base, end in ((0x1F130, 0x1F149), (0x1F150, 0x1F169), (0x1F170, 0x1F189),
                                        (0x1F1E6, 0x1F1FF)) for cp in range(base, end + 1)}
# A character reference inside a word ("Ni&#107;e") is markup used to split a brand; a named
# entity such as "&amp;" between words is just escaped text.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_CHAR_REF_IN_WORD = re.compile(r"\w&#(?:\d{1,7}|[xX][0-9a-fA-F]{1,6});|&#(?:\d{1,7}|[xX][0-9a-fA-F]{1,6});\w")
_CHAR_REF = re.compile(r"&#(?:\d{1,7}|[xX][0-9a-fA-F]{1,6});")


def _letter_ref_in_word(word: str) -> bool:
    """A character reference typed for a letter or digit inside a word ("Ni&#107;e"): written
    to dodge filters. One for punctuation ("Johnson&#39;s") is how the page encoded it."""
    return _CHAR_REF_IN_WORD.search(word) is not None and any(
        html.unescape(ref).isalnum() for ref in _CHAR_REF.findall(word))


# A title's bracketed promotions before its first words ("[FREESHIP] [HÀNG CÓ SẴN] Sách ...").
PROMO_PREFIX = re.compile(r"^\s*(?:[\[(【][^\])】]{0,40}[\])】]\s*)+")


def unescape_entities(text: str) -> str:
    """HTML character references decoded ("Ni&#107;e" -> "Nike", "&amp;" -> "&"); crawled
    titles sometimes arrive escaped once or twice, so twice is undone."""
    if "&" not in text or _ENTITY.search(text) is None:
        return text
    once = html.unescape(text)
    return html.unescape(once) if "&" in once and _ENTITY.search(once) is not None else once


def destyle(text: str) -> str:
    """Enclosed capitals that NFKC keeps (🅝, 🇳) as the Latin letters they show."""
    return text.translate(_ENCLOSED_CAPITALS) if _STYLED.search(text) is not None else text
_WORD_SPLIT = re.compile(r"[^0-9a-z@$!]+")
_ALNUM_SPLIT = re.compile(r"[^0-9a-z]+")
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

# Python's own `str.lower`, called as an object: it lowers a capital sigma at a word's end to "ς"
# as Python does; the compiled build's (mypyc) `.lower()` maps each character alone ("σ").
_cpython_lower: Callable[[str], str] = str.lower

_ZERO_WIDTH_RE = re.compile("[" + "".join(map(chr, _ZERO_WIDTH)) + "]")
_CONFUSABLE_RE = re.compile("[" + re.escape("".join(map(chr, _CONFUSABLES))) + "]")


# Vietnamese titles are made of a few thousand distinct syllables: folding word by word
# through this cache costs a dict lookup per word instead of NFKC/NFD/regex passes over every
# new title. Bounded (cleared when full) so memory stays flat however long the input.
_WORD_FOLD_MAX = 50_000
_word_folds: dict[str, str] = {}


def fold_uncached(text: str) -> str:
    """Lowercase ASCII form of `text`: NFKC, no diacritics (đ -> d), no zero-width
    characters, look-alike letters mapped to the Latin letter they imitate, whitespace
    collapsed. Punctuation is kept ("1:1" must stay "1:1" for slang matching)."""
    if "&" in text:
        text = unescape_entities(text)
    if text.isascii():
        # NFKC, marks and look-alikes cannot apply to ASCII (callers often fold folded text).
        # `split`/`join` collapses exactly the characters `\s+` matches, without a regex pass.
        return " ".join(text.lower().split())
    if "\x85" in text:
        # The one whitespace character unidecode drops (NEL) glues its neighbours together,
        # so such text cannot be folded word by word.
        return _fold_text(text)
    # Every step of `_fold_text` works within whitespace-separated words (no normalization,
    # casing or transliteration rule crosses a whitespace character), so the words can be
    # folded separately and joined; a property test checks this against the whole-text fold.
    cache = _word_folds
    out: list[str] = []
    for word in text.split():
        folded = cache.get(word)
        if folded is None:
            folded = _fold_text(word)
            if len(cache) >= _WORD_FOLD_MAX:
                cache.clear()
            cache[word] = folded
        if folded:
            out.append(folded)
    return " ".join(out)


# Titles are mostly unique: the cache serves the repeated folds of one listing (title, brand
# field, rule phrases) and stays small so memory is flat however long the input. Large texts
# folded once (a whole HTML page checked for block signatures) use `fold_uncached`, so the
# cache never holds them.
fold = lru_cache(maxsize=8192)(fold_uncached)


# Pictures among the letters: emoji, dingbats, arrows, box drawing (Unicode category So) and
# private-use code points. Not maths, currency or modifier symbols ("10 vỉ × 10 viên" keeps its
# "x", "150k₫" its "d"), nor the degree sign ("36°C").
def _is_picture(ch: str) -> bool:
    return ch != "\u00b0" and unicodedata.category(ch) in ("So", "Co")


def _fold_text(text: str) -> str:
    """`fold` of a whole text in one pass (see `fold`)."""
    if "&" in text:
        text = unescape_entities(text)
    text = unicodedata.normalize("NFKC", destyle(text))
    if _ZERO_WIDTH_RE.search(text) is not None:
        text = text.translate(_ZERO_WIDTH)
    if _CONFUSABLE_CAPITALS_RE.search(text) is not None:
        text = text.translate(_CONFUSABLE_CAPITALS)
    text = text.lower()
    if _CONFUSABLE_RE.search(text) is not None:
        text = text.translate(_CONFUSABLES)
    text = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    if not text.isascii():
        text = _strip_marks(text)
    if not text.isascii():
        # Whatever is left (CJK, emoji, rarer scripts) is transliterated or dropped so that
        # downstream regexes only ever see ASCII. A symbol is a separator ("LV❣️freeship❣️ví"
        # is three words), not dropped: unidecode would glue its neighbours into one word.
        text = "".join(" " if not ch.isascii() and _is_picture(ch) else ch for ch in text)
        text = unidecode(text).lower()  # unidecode capitalises CJK readings ("Ri Ben")
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Folded alphanumeric tokens (punctuation splits words)."""
    return [t for t in _ALNUM_SPLIT.split(fold(text)) if t]


# Marks no Western language puts on a letter (dot below, hook above, ơ ư ă đ, tones on â ê ô,
# tilde on i u y): "Acqua di Giò", "Génifique" and "Carré" keep their own accents.
_ONLY_VIETNAMESE_RE = re.compile("[ạảặẳẵằắăậẩẫầấẹẻẽệểễềếịỉĩọỏộổỗồốơờớởỡợụủũưừứửữựỵỷỹỳđ]")


def has_vietnamese_only_marks(word: str) -> bool:
    """True when `word` (lowercase) carries a mark only Vietnamese writing uses."""
    return _ONLY_VIETNAMESE_RE.search(word) is not None


_DOUBLED_RE = re.compile(r"(.)\1+")


def squeeze(word: str) -> str:
    """`word` with every run of one letter written once ("verrsacc" -> "versac")."""
    return _DOUBLED_RE.sub(r"\1", word)


def has_doubled_letter(word: str) -> bool:
    return _DOUBLED_RE.search(word) is not None


def has_vietnamese_marks(text: str) -> bool:
    """True when the writer typed Vietnamese diacritics somewhere in `text`.

    Some slang is only unambiguous with diacritics ("hàng giả" = counterfeit, but folded it
    equals "hàng giá" = goods price); such terms are matched on the accented text when the
    writer uses accents at all."""
    return text.isascii() is False and _VIETNAMESE_RE.search(text.lower()) is not None


# As `detectors.form.ProductForm`: a hand-written `__init__`, not frozen; shared by `brand_tokens`'s
# cache, so nothing assigns a field after `__init__`. (Never hashed: `disguised` is a dict.)
@dataclass(slots=True, init=False)
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

    def __init__(self, plain: tuple[str, ...], variants: tuple[tuple[str, ...], ...], disguised: dict[str, str]) -> None:
        self.plain, self.variants, self.disguised = plain, variants, disguised


def _is_disguised(raw_token: str) -> bool:
    for ch in raw_token:
        if ch.isascii() or ch in _VIETNAMESE_LETTERS:
            continue
        if ch.isalpha() or unicodedata.category(ch) == "Mn":
            return True
    # "Lauđer", "ĐURACELL": a d crossed in an otherwise unmarked foreign word. Vietnamese words
    # this long carry a tone mark besides the đ; shorter ones ("đinh", "đang") are left alone.
    return (len(raw_token) >= _CROSSED_D_MIN_LETTERS and "đ" in raw_token
            and raw_token.replace("đ", "d").isascii() and raw_token.isalpha())


_CROSSED_D_MIN_LETTERS = 5


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
_LEETY = re.compile(r"[a-z][0-9@$]|[0-9@$][a-z]|[a-z]![a-z]")
# "D!OR", "N!KE": an exclamation mark between letters stands for an "i" (at a word's end it
# is punctuation: "Sale!").
_BANG_IN_WORD = re.compile(r"(?<=[a-z])!(?=[a-z])")


# A word of letters and zeros only, with at least one of each and three characters ("0m0", "p0p"),
# of four or more between two letters with only ones and zeros inside ("d10r"), or two letters or
# more ending in two ones or zeros ("bu11"): read as leetspeak, though with few letters (decoded, such
# a model number names no brand).
_ZEROS_FOR_O = re.compile(r"(?=.*[a-z])(?=.*0)[a-z0]{3,}|[a-z][a-z01]*[01][a-z01]*[a-z](?<=.{4})|[a-z]{2,}[01]{2,}")


def leet_letters(word: str) -> str | None:
    """A folded word with its leetspeak read as letters ("r0yal" -> "royal"); None unless that
    leaves letters only."""
    decoded = word.translate(_LEET_I)
    return decoded if decoded.isalpha() else None


def _leet_stream(folded: str, table: dict[int, str], min_letters: int) -> list[str] | None:
    """Words with leetspeak decoded; `None` when no word qualifies (then the stream would
    only differ from the plain one by how digits are split off, which is no disguise)."""
    out: list[str] = []
    decoded = False
    for piece in _WORD_SPLIT.split(folded):
        if piece == "":
            continue
        bang = "!" in piece and _BANG_IN_WORD.search(piece) is not None
        if bang:
            piece = _BANG_IN_WORD.sub("i", piece)
        # "1g", "4k", "s24" are units and models, not leetspeak: too few letters to be a word;
        # but zeros for the O of a short name ("0M0", "0PP0", "D10R") are no unit or model number.
        if (bang or any(c in _LEET_CHARS for c in piece)) and (
                sum(c.isalpha() for c in piece) >= min_letters or _ZEROS_FOR_O.fullmatch(piece) is not None):
            # A "!" left at either end is punctuation ("N1KE!"), not part of the word.
            out.extend(p for p in piece.translate(table).split("!") if p)
            decoded = True
        else:
            out.extend(p for p in _ALNUM_SPLIT.split(piece) if p)
    return out if decoded else None


@dataclass(frozen=True, slots=True)
class _WordTokens:
    """What `brand_tokens` needs of one folded word, cached by word."""

    plain: tuple[str, ...]
    leety: bool  # a letter next to a digit or @/$ (`_LEETY`)
    decoded: bool  # some piece qualifies as leetspeak (`_leet_stream` would not return None)
    leet_i: tuple[str, ...]  # the word's part of the leet stream, "1" read as "i"
    leet_l: tuple[str, ...]  # ... "1" read as "l"


# Folded words seen by `brand_tokens`, per `leet_min_letters`: the regexes and leet checks
# run once per distinct word instead of once per title. Bounded like `_word_folds`.
_WORD_TOKENS_MAX = 50_000
_word_tokens: dict[int, dict[str, _WordTokens]] = {}


def _word_tokens_of(word: str, leet_min_letters: int) -> _WordTokens:
    """Plain tokens and leet pieces of one folded word. Every regex involved stops at a
    space (`_LETTERS_THEN_DIGITS_IN_TEXT` and `_ALNUM_WORD` at non-alphanumerics, `_LEETY`
    needs two adjacent non-space characters, `_WORD_SPLIT` splits on spaces), so a title's
    streams are the concatenation of its words' parts."""
    cache = _word_tokens.setdefault(leet_min_letters, {})
    hit = cache.get(word)
    if hit is not None:
        return hit
    plain = tuple(_ALNUM_WORD.findall(_LETTERS_THEN_DIGITS_IN_TEXT.sub(r"\1 \2", word)))
    leety = _LEETY.search(word) is not None
    leet_i = _leet_stream(word, _LEET_I, leet_min_letters)
    leet_l = _leet_stream(word, _LEET_L, leet_min_letters)
    if leet_i is None or leet_l is None:
        # Not decoded: the word's pieces as `_leet_stream` walks them, split on non-alphanumerics.
        pieces = tuple(p for piece in _WORD_SPLIT.split(word) if piece for p in _ALNUM_SPLIT.split(piece) if p)
        entry = _WordTokens(plain, leety, False, pieces, pieces)
    else:
        entry = _WordTokens(plain, leety, True, tuple(leet_i), tuple(leet_l))
    if len(cache) >= _WORD_TOKENS_MAX:
        cache.clear()
    cache[word] = entry
    return entry


@dataclass(frozen=True, slots=True)
class _TitleWord:
    """What `brand_tokens` needs of one word of a text as written, cached by that word."""

    styled: tuple[tuple[str, str], ...]  # disguised pieces from styled letters, in `_mark_disguised` order
    foreign: tuple[tuple[str, str], ...]  # disguised pieces from foreign marks: (piece, word after NFKC)
    tokens: tuple[_WordTokens, ...]  # the word's folded words, as `_word_tokens_of` sees them
    whole: bool  # NFKC made an '&' or a NEL of it: only the whole-text path is exact then
    plain: tuple[str, ...]  # its tokens' plain tokens, in order
    # For `brand_tokens`' plain path: the word's count of single-letter tokens (what a glued
    # run is made of), or `_NOT_PLAIN` when the word is disguised, leety or `whole`.
    singles: int


# Larger than any `min_collapse_run`: a sum of `_TitleWord.singles` holding it is never plain.
_NOT_PLAIN = 1 << 30


def _title_word_entry(styled: tuple[tuple[str, str], ...], foreign: tuple[tuple[str, str], ...],
                      tokens: tuple[_WordTokens, ...], whole: bool) -> _TitleWord:
    plain = tuple(t for w in tokens for t in w.plain)
    quiet = not (styled or foreign or whole or any(w.leety for w in tokens))
    singles = sum(1 for t in plain if len(t) == 1 and t.isalpha()) if quiet else _NOT_PLAIN
    return _TitleWord(styled, foreign, tokens, whole, plain, singles)


_TITLE_WORDS_MAX = 50_000
# Per `leet_min_letters`, then by word: `brand_tokens` looks every title word up here itself
# (no call, no key tuple per word) and calls `_title_word` only for a word not seen yet.
_title_words: dict[int, dict[str, _TitleWord]] = {}


def _title_word(word: str, leet_min_letters: int) -> _TitleWord:
    """`_brand_tokens_of_text`'s steps for one whitespace-free word. Each step works within
    words: NFKC, the zero-width strip, look-alike capitals and lowercasing turn no
    whitespace into anything else (nor anything into whitespace that is not then split on),
    and folding is word by word already; so a title is the concatenation of its words
    (tests/detectors/test_detectors_speed.py checks this against the whole-text reference)."""
    cache = _title_words.setdefault(leet_min_letters, {})
    hit = cache.get(word)
    if hit is not None:
        return hit
    if word.isascii():
        # No step but lowercasing changes ASCII (no styled, invisible or look-alike
        # character, NFKC leaves it, and the caller keeps '&' out), and nothing is disguised.
        entry = _title_word_entry((), (), (_word_tokens_of(word.lower(), leet_min_letters),), False)
    else:
        styled: dict[str, str] = {}
        if styled_word(word):
            _mark_disguised(word, styled_word, styled)
        raw = _cpython_lower(unicodedata.normalize("NFKC", destyle(word)).translate(_ZERO_WIDTH).translate(_CONFUSABLE_CAPITALS))
        foreign = [(piece, raw_word) for raw_word in raw.split() if _is_disguised(raw_word)
                   for piece in _ALNUM_SPLIT.split(fold(raw_word)) if piece]
        entry = _title_word_entry(tuple(styled.items()), tuple(foreign),
                                  tuple(_word_tokens_of(w, leet_min_letters) for w in fold(raw).split(" ") if w),
                                  "&" in raw or "\x85" in raw)
    if len(cache) >= _TITLE_WORDS_MAX:
        cache.clear()
    cache[word] = entry
    return entry


@lru_cache(maxsize=8192)
def brand_tokens(text: str, min_collapse_run: int = 3, leet_min_letters: int = 3) -> BrandTokens:
    """Prepare `text` for brand matching (see `BrandTokens`): word by word from a cache of
    the words seen (a few thousand distinct syllables make most titles), except for text with
    markup or a NEL, whose steps cross words (`_brand_tokens_of_text`)."""
    if "&" not in text and "\x85" not in text:
        seen = _title_words.get(leet_min_letters, {})
        entries = [seen[w] if w in seen else _title_word(w, leet_min_letters) for w in text.split()]
        if sum([e.singles for e in entries]) < min_collapse_run:
            # Most titles: no word disguised or leety, and too few single letters to glue a
            # run, so `_streams` would find no variant and nothing disguised; its per-token
            # walks are skipped (tests/detectors/test_detectors_speed.py checks the result
            # against the whole-text reference).
            return BrandTokens(plain=tuple([t for e in entries for t in e.plain]), variants=(), disguised={})
        if not any(e.whole for e in entries):
            disguised: dict[str, str] = {}
            for e in entries:
                for piece, shown in e.styled:
                    disguised.setdefault(piece, shown)
            for e in entries:
                for piece, raw_word in e.foreign:
                    disguised[piece] = raw_word
            return _streams([t for e in entries for t in e.tokens], disguised, min_collapse_run)
    return _brand_tokens_of_text(text, min_collapse_run, leet_min_letters)


def _brand_tokens_of_text(text: str, min_collapse_run: int, leet_min_letters: int) -> BrandTokens:
    """`brand_tokens` over the whole text at once."""
    disguised: dict[str, str] = {}
    if "&" in text and _CHAR_REF_IN_WORD.search(text) is not None:
        _mark_disguised(text, _letter_ref_in_word, disguised)
    text = unescape_entities(text)
    if not text.isascii() and styled_word(text):
        # Styled letters and invisible characters inside a word are disguises in themselves;
        # NFKC and the zero-width strip below would otherwise erase the evidence. (None of
        # those characters is whitespace, so a text without any has no such word: three
        # searches of the text instead of three per word.)
        _mark_disguised(text, styled_word, disguised)
    raw = unicodedata.normalize("NFKC", destyle(text))
    if _ZERO_WIDTH_RE.search(raw) is not None:
        raw = raw.translate(_ZERO_WIDTH)
    if _CONFUSABLE_CAPITALS_RE.search(raw) is not None:
        raw = raw.translate(_CONFUSABLE_CAPITALS)
    raw = _cpython_lower(raw)
    if _NEEDS_WORDWISE.search(raw) is not None:
        # Only words with foreign marks or look-alike letters need to be looked at one by one.
        for raw_word in raw.split():
            if _is_disguised(raw_word):
                for piece in _ALNUM_SPLIT.split(fold(raw_word)):
                    if piece:
                        disguised[piece] = raw_word
    # `fold` output is single-spaced: its words are the units the per-word cache keeps.
    # "iPhone15" is "iphone" + "15": the plain tokens expose the letters so the alias matches.
    return _streams([_word_tokens_of(w, leet_min_letters) for w in fold(raw).split(" ") if w], disguised,
                    min_collapse_run)


def _streams(words: list[_WordTokens], disguised: dict[str, str], min_collapse_run: int) -> BrandTokens:
    """The plain stream and the disguised variants of a text's folded words."""
    plain = [t for w in words for t in w.plain]
    variants: list[tuple[str, ...]] = []
    collapsed = _collapse_single_letters(plain, min_collapse_run)
    if collapsed != plain:
        variants.append(tuple(collapsed))
    if any(w.leety for w in words) and any(w.decoded for w in words):
        # Only when a word really is leetspeak: "spf50" or "900g" alone make no stream.
        for leet in ([p for w in words for p in w.leet_i], [p for w in words for p in w.leet_l]):
            v = tuple(_collapse_single_letters(leet, min_collapse_run))
            if v != tuple(plain) and v not in variants:
                variants.append(v)
    return BrandTokens(plain=tuple(plain), variants=tuple(variants), disguised=disguised)


def styled_word(word: str) -> bool:
    """Styled, look-alike capital or invisible characters inside a word: a disguise that
    NFKC, case folding or the zero-width strip would otherwise erase."""
    return (_STYLED.search(word) is not None or _ZERO_WIDTH_RE.search(word) is not None
            or _CONFUSABLE_CAPITALS_RE.search(word) is not None)


def _mark_disguised(text: str, is_disguise: Callable[[str], bool], into: dict[str, str]) -> None:
    """Record the folded pieces of every word of `text` that `is_disguise` picks, quoting
    the word as written (markup decoded, invisible characters shown as '·')."""
    for word in text.split():
        if not is_disguise(word):
            continue
        shown = _ZERO_WIDTH_RE.sub("\u00b7", unescape_entities(word)) if _ZERO_WIDTH_RE.search(word) else word
        for piece in _ALNUM_SPLIT.split(fold(word)):
            if piece:
                into.setdefault(piece, shown)
