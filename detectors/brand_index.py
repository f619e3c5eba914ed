"""The brand registry compiled for matching (`brand_index`, once per rule set), and the
folding every rule phrase and brand name goes through (`phrase_tokens`).

`detectors.brand` matches titles against it; `detectors.lines` and `detectors.brand_signals`
read it too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from detectors._cache import per_rules
from detectors.textnorm import brand_tokens, fold, has_vietnamese_marks, squeeze
from rules.loader import Brand, RuleSet

_NAME_WORD = re.compile(r"\w+")


def phrase_tokens(text: str) -> tuple[str, ...]:
    """Folded words of a rule phrase or brand name, as brand matching sees them."""
    return brand_tokens(text).plain


def names_any(tokens: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Whether `tokens` hold one of the `phrases` (each a run of folded words) anywhere."""
    return any(tokens[i : i + len(p)] == p for p in phrases for i in range(len(tokens) - len(p) + 1))


@dataclass
class BrandIndex:
    """Everything brand matching needs, compiled once per rule set."""

    exact: dict[tuple[str, ...], Brand] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)  # first alias word -> longest alias (words)
    prefixes: set[str] = field(default_factory=set)  # every prefix of a glued alias
    compact: dict[str, tuple[Brand, int]] = field(default_factory=dict)
    # Famous one-word names with one inner letter masked ("ch?nel"): a symbol typed in its place.
    masked: dict[str, Brand] = field(default_factory=dict)
    acronyms: dict[str, Brand] = field(default_factory=dict)  # glued letters of dotted names
    fuzzy: dict[str, list[tuple[str, Brand]]] = field(default_factory=dict)
    # The same aliases keyed by their last two letters: a typo-squat may change the first
    # letter ("Whichy" for Vichy), so the first-letter key alone would never see it.
    fuzzy_tail: dict[str, list[tuple[str, Brand]]] = field(default_factory=dict)
    coded: set[tuple[str, ...]] = field(default_factory=set)
    # (brand, code words) -> the goods after which alone the code names the brand
    # (folded goods phrases, the goods words as sellers write them, marks and all, and the ways
    # the code must be written when its punctuation is the point: "C.K" or "C/K", not "size C K";
    # empty when any writing counts)
    goods_codes: dict[tuple[str, tuple[str, ...]],
                      tuple[tuple[tuple[str, ...], ...], frozenset[str], frozenset[str]]] = field(default_factory=dict)
    exceptions: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    accented_forms: dict[str, list[str]] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()
    no_brand: frozenset[str] = frozenset()
    markers: list[tuple[str, ...]] = field(default_factory=list)
    fillers: list[tuple[str, ...]] = field(default_factory=list)
    accessories: list[tuple[str, ...]] = field(default_factory=list)
    max_fillers: int = 3
    # Each phrase set comes with its lengths by last word (longest first): a phrase ending
    # at a title position must end with that position's word, so most positions (whose word
    # ends no marker, filler or accessory) cost one dict lookup instead of a slice per length.
    marker_set: frozenset[tuple[str, ...]] = frozenset()
    marker_ends: dict[str, tuple[int, ...]] = field(default_factory=dict)
    not_marker_set: frozenset[tuple[str, ...]] = frozenset()
    not_marker_ends: dict[str, tuple[int, ...]] = field(default_factory=dict)
    style_set: frozenset[tuple[str, ...]] = frozenset()
    style_ends: dict[str, tuple[int, ...]] = field(default_factory=dict)
    filler_set: frozenset[tuple[str, ...]] = frozenset()
    filler_ends: dict[str, tuple[int, ...]] = field(default_factory=dict)
    accessory_set: frozenset[tuple[str, ...]] = frozenset()
    accessory_ends: dict[str, tuple[int, ...]] = field(default_factory=dict)
    audience_set: frozenset[tuple[str, ...]] = frozenset()
    audience_lengths: tuple[int, ...] = ()
    makers: dict[str, set[str]] = field(default_factory=dict)
    claim_after_accessory: frozenset[str] = frozenset()  # categories whose brands fit no device
    lines: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # product-line keywords
    goods_lines: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)  # ... that only name goods
    fuzzy_cache: dict[str, tuple[Brand, float] | None] = field(default_factory=dict)
    # `fuzzy` lists narrowed to aliases of a length within `fuzzy_max_distance` of a word
    # length, keyed by (first letter, length), filled on first use; most words then have
    # no candidate at all and skip the edit-distance loop.
    # Each list comes with its aliases alone, the form the C prefilter of `fuzzy.closest` takes:
    # glued word pairs are unique, so that list would otherwise be rebuilt on every lookup.
    fuzzy_near: dict[tuple[str, int], tuple[list[tuple[str, Brand]], list[str]]] = field(default_factory=dict)
    # `fuzzy_tail` lists narrowed the same way, to aliases within one letter of a word length,
    # keyed by (last two letters, length).
    fuzzy_tail_near: dict[tuple[str, int], list[tuple[str, Brand]]] = field(default_factory=dict)
    common: frozenset[str] = frozenset()  # frequent words (folded) of the languages in rules
    glued_suffixes: tuple[str, ...] = ()  # Vietnamese words glued to a brand's end, folded, longest first
    first_letters: dict[str, frozenset[str]] = field(default_factory=dict)  # brand -> first letters of its names
    own_spellings: dict[str, frozenset[str]] = field(default_factory=dict)  # brand -> its names' words, lowercased
    # brand -> its initials as it writes them itself ("M.A.C", "M·A·C"): split letters, but its own spelling
    own_dotted: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # Famous one-word names with every doubled letter written once ("gucci" -> "guci") and as
    # spelt, by first letter: a name typed with letters doubled ("Niikkee", "Guuccii") is read
    # against these.
    squeezed: dict[str, list[tuple[str, str, Brand]]] = field(default_factory=dict)


# Shorter names with a letter masked match too much by chance ("m?c": mac, mic, muc).
_MASKED_MIN_LETTERS = 4

# A name of single letters joined by dots ("M.A.C"); the maker also writes it with middle dots.
_DOTTED_INITIALS = re.compile(r"(?:\w\.)+\w\.?")
_OWN_DOT = "[.\u00b7\u2022]"


def common_words(languages: tuple[str, ...], top_n: int) -> frozenset[str]:
    """The `top_n` most frequent words of each language (wordfreq's lists), folded: a near
    miss that is one of them ("nice", "door", "channel") is a word, not a brand."""
    if top_n <= 0 or not languages:
        return frozenset()
    from wordfreq import top_n_list  # loads its word lists once per rule set

    return frozenset(w for lang in languages for word in top_n_list(lang, top_n) for w in fold(word).split())


@per_rules
def brand_index(rules: RuleSet) -> BrandIndex:
    idx = BrandIndex()
    idx.glued_suffixes = tuple(sorted({fold(g).replace(" ", "") for g in rules.scoring.brand.glued_suffixes},
                                      key=len, reverse=True))
    idx.common = common_words(tuple(rules.scoring.brand.common_word_languages), rules.scoring.brand.common_word_top_n)
    # Names of goods ("dầu gội", "kem chống nắng"): what every title says, so they corroborate
    # a misspelt brand ("Penten" in "dầu gội Penten") but not an ordinary word ("Clean").
    place_words = frozenset(w for c in rules.countries.countries for n in c.names for w in phrase_tokens(n))
    goods = {phrase_tokens(g) for b in rules.brands.brands for f in b.floors for g in f.goods}
    goods |= {phrase_tokens(k) for c in rules.categories.categories.values() for k in c.keywords}
    for brand in rules.brands.brands:
        for name in brand.all_names():
            toks = phrase_tokens(name)
            if not toks:
                continue
            idx.exact.setdefault(toks, brand)
            idx.first[toks[0]] = max(idx.first.get(toks[0], 0), len(toks))
            joined = "".join(toks)
            if len(toks) == 1 or any(len(t) > 1 for t in toks):
                # "M.A.C" glued is "mac", an ordinary word ("mặc" folded); acronyms written
                # with dots or spaces are still found word by word.
                idx.compact.setdefault(joined, (brand, len(toks)))
            else:
                idx.acronyms.setdefault(joined, brand)  # ... but a brand field "MAC" is M.A.C
            idx.prefixes.update(joined[:k] for k in range(1, len(joined) + 1))
            if brand.famous and len(toks) == 1 and joined.isalpha() and len(joined) >= _MASKED_MIN_LETTERS:
                for k in range(1, len(joined) - 1):
                    idx.masked.setdefault(f"{joined[:k]}?{joined[k + 1:]}", brand)
            if (joined.isalpha() and not brand.accent_strict and not has_vietnamese_marks(brand.name)
                    and not has_vietnamese_marks(name)
                    and not _short_name_with_place(toks, place_words, rules.scoring.brand.fuzzy_min_length)):
                # Typo-squats target international names; Vietnamese brand names and aliases are
                # ordinary syllables ("trong nguyen" ~ "Trung Nguyên", "bóng đá pháp" ~ "bóng
                # dập vân") and are matched exactly only.
                idx.fuzzy.setdefault(joined[0], []).append((joined, brand))
                idx.fuzzy_tail.setdefault(joined[-2:], []).append((joined, brand))
                if brand.famous and len(toks) == 1:
                    idx.squeezed.setdefault(joined[0], []).append((squeeze(joined), joined, brand))
        for code in (*brand.coded_names, *(c.code for c in brand.goods_codes)):
            toks = phrase_tokens(code)
            if toks:
                idx.exact.setdefault(toks, brand)
                idx.first[toks[0]] = max(idx.first.get(toks[0], 0), len(toks))
                idx.coded.add(toks)
        for scoped in brand.goods_codes:
            toks = phrase_tokens(scoped.code)
            if toks:
                # "c.k" and "c/k" are the same code words: their goods and writings add up.
                after, written, literals = idx.goods_codes.get((brand.name, toks), ((), frozenset(), frozenset()))
                idx.goods_codes[(brand.name, toks)] = (
                    after + tuple(t for t in map(phrase_tokens, scoped.goods) if t and t not in after),
                    written | {unicodedata.normalize("NFC", g).lower() for g in scoped.goods},
                    literals | ({scoped.code.lower()} if not scoped.code.isalnum() else set()))
        idx.exceptions[brand.name] = [t for t in (phrase_tokens(e) for e in brand.lookalike_exceptions) if t]
        if brand.accent_strict:
            idx.accented_forms[brand.name] = [n.lower() for n in brand.all_names() if has_vietnamese_marks(n)]
        # A line's words without the brand's own ("chanel classic flap" -> "classic flap"):
        # they corroborate a misspelt brand, which never spells the brand's words right.
        own = {t for n in brand.all_names() for t in phrase_tokens(n)}
        line_words = [t for t in (tuple(w for w in phrase_tokens(k) if w not in own)
                                  for line in brand.products if line.corroborates for k in line.keywords)
                      if _distinctive(t, idx.common)]
        idx.lines[brand.name] = [t for t in line_words if t not in goods]
        idx.goods_lines[brand.name] = [t for t in line_words if t in goods]
        idx.own_spellings[brand.name] = frozenset(
            w for n in brand.all_names() for w in _NAME_WORD.findall(unicodedata.normalize("NFC", n).lower()))
        dotted = [n for n in brand.all_names() if _DOTTED_INITIALS.fullmatch(n)]
        if dotted:
            idx.own_dotted[brand.name] = re.compile("|".join(
                r"(?<!\w)" + _OWN_DOT.join(map(re.escape, n.replace(".", "").lower())) + r"(?!\w)" for n in dotted))
        idx.first_letters[brand.name] = frozenset(
            n[0] for n in ("".join(phrase_tokens(a)) for a in brand.all_names()) if n)
        idx.makers[brand.name] = {" ".join(phrase_tokens(m)) for m in (*brand.makers, *brand.all_names())}
    idx.claim_after_accessory = frozenset(rules.scoring.brand.claim_after_accessory_categories)
    bm = rules.brands
    # Marketplace names fill titles ("Sendo trợ giá") and are nobody's typo ('sendo' ~ Senko).
    platform_words = {w for key, p in rules.platforms.platforms.items() for w in fold(f"{key} {p.name}").split()}
    idx.ignore = frozenset(fold(w) for w in bm.fuzzy_ignore_words) | platform_words
    idx.no_brand = frozenset(" ".join(phrase_tokens(v)) for v in bm.no_brand_values)
    idx.markers = sorted((t for t in map(phrase_tokens, bm.compatibility.markers) if t), key=len, reverse=True)
    idx.fillers = sorted((t for t in map(phrase_tokens, bm.compatibility.fillers) if t), key=len, reverse=True)
    idx.accessories = [t for t in map(phrase_tokens, bm.compatibility.accessories) if t]
    idx.max_fillers = bm.compatibility.max_fillers
    idx.marker_set, idx.marker_ends = _phrase_set(idx.markers)
    idx.not_marker_set, idx.not_marker_ends = _phrase_set(
        sorted((t for t in map(phrase_tokens, bm.compatibility.not_markers) if t), key=len, reverse=True))
    idx.style_set, idx.style_ends = _phrase_set(
        sorted((t for t in map(phrase_tokens, bm.compatibility.style_markers) if t), key=len, reverse=True))
    idx.filler_set, idx.filler_ends = _phrase_set(idx.fillers)
    idx.accessory_set, idx.accessory_ends = _phrase_set(idx.accessories)
    audiences = [t for t in map(phrase_tokens, bm.compatibility.audiences) if t]
    idx.audience_set = frozenset(audiences)
    idx.audience_lengths = tuple(sorted({len(t) for t in audiences}, reverse=True))
    return idx


def _short_name_with_place(words: tuple[str, ...], place_words: frozenset[str], min_length: int) -> bool:
    """"bear viet nam": a name too short for near misses followed by a country's name. Glued,
    it is long enough, but a near miss of it is a near miss of the short name alone ("bay
    vietnam" is two letters from it), which the length rule exists to refuse."""
    return len(words) > 1 and len(words[0]) < min_length and all(w in place_words for w in words[1:])


def _distinctive(words: tuple[str, ...], common: frozenset[str]) -> bool:
    """Line words that can confirm a misspelt brand: two or more words, or one long word
    that is not a frequent one ("ultraboost"); "mini" of "ipad mini" or "premium" of "Goo.n
    Premium" confirm nothing."""
    if len(words) >= 2:
        return True
    return len(words) == 1 and len(words[0]) >= 6 and words[0].isalpha() and words[0] not in common


def _phrase_set(phrases: list[tuple[str, ...]]) -> tuple[frozenset[tuple[str, ...]], dict[str, tuple[int, ...]]]:
    """Phrases as a set plus, by last word, the lengths of those ending with it (longest
    first), for n-gram lookups."""
    lengths: dict[str, set[int]] = {}
    for p in phrases:
        lengths.setdefault(p[-1], set()).add(len(p))
    return frozenset(phrases), {word: tuple(sorted(ns, reverse=True)) for word, ns in lengths.items()}
