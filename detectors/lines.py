"""Product lines as evidence of a brand: a famous line names its maker ("Bleu de Chanel",
"WH-1000XM5"), a misspelt line is a typo-squat of it ("Air Forse 1", "Sauvag"), and a brand
cut short next to its own line is a disguise ("Adds Samba", "Guci Marmont").

Only lines marked `identifies` in the registry are used alone: their keywords are not
ordinary words of other makers. Everything is looked up by token, so a title costs a few
dictionary lookups, and the edit-distance check runs only on the rare near candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import DamerauLevenshtein

from detectors._cache import per_rules
from detectors.brand import compat_marker_before
from detectors.brand_index import brand_index, names_any, phrase_tokens
from detectors.disguise import split_in_raw
from detectors.textnorm import brand_tokens
from rules.loader import Brand, ProductLine, RuleSet

Keyword = tuple[str, ...]

# A misspelt word of a line must be at least this long (shorter words are too easily
# one edit from each other), and a single-word line longer still.
_MIN_TYPO_WORD = 4
_MIN_TYPO_SINGLE = 6
_MAX_TYPO_CACHE = 50_000
_MIN_SPLIT_LETTERS = 5  # a shorter keyword glued from title words would be chance ("ma" + "ca")
_MAX_SPLIT_PIECES = 6
_MAX_SPLIT_PIECE = 2  # one piece at most this long: letters cut apart ("sam ba"), not syllables ("pika.chu")
_MAX_CUT_PIECE = 3  # ... or every piece of a one-word line at most this long ("lab ubu")


@dataclass(frozen=True, slots=True)
class LineHit:
    start: int
    end: int
    brand: Brand
    line: ProductLine
    evidence: str  # the words as written (folded)
    typo: bool  # the title misspells the line
    by_goods: bool = False  # named only beside its goods (`ProductLine.identifies_with`): weaker evidence
    split: bool = False  # the title cuts the line's letters apart ("Sam ba OG", "Coco Ma-de-moi-selle")


@dataclass
class _Index:
    exact: dict[str, list[tuple[Keyword, Brand, ProductLine]]] = field(default_factory=dict)
    # The same keywords by first word, then by length (longest first) and words: a title
    # word is looked up once per keyword length, not compared with each keyword ("iphone"
    # starts 46); within a length the first keyword in `exact` order is kept, as a scan keeps it.
    exact_by_length: dict[str, list[tuple[int, dict[Keyword, tuple[Brand, ProductLine]]]]] = field(
        default_factory=dict)
    # multi-word keywords by each of their words: (keyword, position of that word, positions
    # of the other words that may carry a typo)
    by_word: dict[str, list[tuple[Keyword, int, tuple[int, ...], Brand, ProductLine]]] = field(default_factory=dict)
    # `by_word` entries grouped by the word's position and the keyword's length, then by the
    # keyword's first letters: a typo changes one word but never its first letter (`_near`), so
    # a keyword can only match where the title's words start with the same letters. A title's
    # words are then checked against the few keywords whose letters fit, not against all of a
    # frequent word's ("pro" is in 79 keywords); the values are indexes into `by_word[word]`.
    by_shape: dict[str, list[tuple[int, int, dict[str, list[int]]]]] = field(default_factory=dict)
    single: dict[str, list[tuple[str, Brand, ProductLine]]] = field(default_factory=dict)  # first letter ->
    # Keywords that name their maker only beside one of the line's goods words ("loa" + "charge
    # 5"), by first word: (keyword, goods phrases, brand, line).
    with_goods: dict[str, list[tuple[Keyword, tuple[Keyword, ...], Brand, ProductLine]]] = field(default_factory=dict)
    floors: dict[str, list[tuple[Keyword, int]]] = field(default_factory=dict)
    # The same floors by brand and first goods word, with their place in `floors`.
    floor_starts: dict[str, dict[str, list[tuple[int, Keyword, int]]]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)  # brand -> glued names, for dropped letters
    typo_cache: dict[str, tuple[str, Brand, ProductLine] | None] = field(default_factory=dict)
    # Words that can take part in no typo at all (no multi-word keyword holds them, and they
    # are no near miss of a single-word line): most of a title, skipped with one set lookup.
    inert: set[str] = field(default_factory=set)
    # Identifying keywords glued ("cocomademoiselle"), and every prefix of one: a title's short
    # words glued back together are looked up while they still start one.
    compact: dict[str, tuple[Keyword, Brand, ProductLine]] = field(default_factory=dict)
    compact_prefixes: set[str] = field(default_factory=set)


# A model code's letters and number ("DTD171", "GA-2100"): sellers write it glued, spaced or
# hyphenated alike. Longer letter runs are cut from their digits by `brand_tokens` itself.
_CODE_PARTS = re.compile(r"([a-z]{2,3})(\d[0-9a-z]*)")


def keyword_forms(keyword: str) -> list[Keyword]:
    """The token forms of a product-line keyword: as written, and with its model codes' letters
    and number cut apart ("dtd171" -> "dtd 171") or glued ("ga 2100" -> "ga2100")."""
    toks = brand_tokens(keyword).plain
    if not toks:
        return []
    cut: list[str] = []
    for tok in toks:
        parts = _CODE_PARTS.fullmatch(tok)
        cut += [tok] if parts is None else [parts.group(1), parts.group(2)]
    glued: list[str] = []
    for tok in toks:
        if glued and tok[0].isdigit() and 2 <= len(glued[-1]) <= 3 and glued[-1].isalpha():
            glued[-1] += tok
        else:
            glued.append(tok)
    forms = [toks]
    for form in (tuple(cut), tuple(glued)):
        if form not in forms:
            forms.append(form)
    return forms


def line_keyword_forms(brand: Brand, keyword: str) -> list[Keyword]:
    """`keyword_forms`, and the same forms with the brand's whole name where the keyword opens
    with the first word of it only: "kirkland glucosamine" is also written "Kirkland Signature
    Glucosamine", "tag formula 1" "TAG Heuer Formula 1"."""
    forms = keyword_forms(keyword)
    name = brand_tokens(brand.name).plain
    if len(name) < 2 or not forms or forms[0][0] != name[0] or forms[0][: len(name)] == name:
        return forms
    return forms + [whole for form in forms if (whole := name + form[1:]) not in forms]


@per_rules
def _index(rules: RuleSet) -> _Index:
    idx = _Index()
    for brand in rules.brands.brands:
        idx.names[brand.name] = [g for n in brand.all_names() if len(g := "".join(brand_tokens(n).plain)) >= 4]
        idx.floors[brand.name] = [(toks, floor.price_min) for floor in brand.floors for goods in floor.goods
                                  if (toks := brand_tokens(goods).plain)]
        starts = idx.floor_starts[brand.name] = {}
        for order, (toks, price) in enumerate(idx.floors[brand.name]):
            starts.setdefault(toks[0], []).append((order, toks, price))
        for line in brand.products:
            if not line.identifies:
                goods = tuple(t for t in (brand_tokens(g).plain for g in line.identifies_with) if t)
                for kw in line.keywords if goods else ():
                    for form in line_keyword_forms(brand, kw):
                        idx.with_goods.setdefault(form[0], []).append((form, goods, brand, line))
                continue
            for kw in line.keywords:
                forms = line_keyword_forms(brand, kw)
                if not forms:
                    continue
                toks = forms[0]
                for form in forms:
                    idx.exact.setdefault(form[0], []).append((form, brand, line))
                glued = "".join(toks)
                if len(glued) >= _MIN_SPLIT_LETTERS and glued.isalpha() and glued not in idx.compact:
                    idx.compact[glued] = (toks, brand, line)
                    idx.compact_prefixes.update(glued[:k] for k in range(1, len(glued) + 1))
                if len(toks) > 1:
                    for pos, tok in enumerate(toks):
                        # Found through `tok`, the keyword can only be misspelt in another word:
                        # when none of those may carry the typo, it can never match and is left
                        # out (most "iphone 15"-like keywords; most of `_typo_line`'s time).
                        typo_at = tuple(j for j in range(len(toks)) if j != pos and _typo_position(toks, j))
                        if typo_at:
                            idx.by_word.setdefault(tok, []).append((toks, pos, typo_at, brand, line))
                elif toks[0].isalpha() and len(toks[0]) >= _MIN_TYPO_SINGLE - 1:
                    idx.single.setdefault(toks[0][0], []).append((toks[0], brand, line))
    for word, entries in idx.exact.items():
        entries.sort(key=lambda e: len(e[0]), reverse=True)  # "air force 1 low" before "air force 1"
        by_length: dict[int, dict[Keyword, tuple[Brand, ProductLine]]] = {}
        for toks, brand, line in entries:
            by_length.setdefault(len(toks), {}).setdefault(toks, (brand, line))
        idx.exact_by_length[word] = sorted(by_length.items(), reverse=True)
    for word, keywords in idx.by_word.items():
        shapes: dict[tuple[int, int], dict[str, list[int]]] = {}
        for k, (toks, pos, _, _, _) in enumerate(keywords):
            shapes.setdefault((pos, len(toks)), {}).setdefault("".join(t[0] for t in toks), []).append(k)
        idx.by_shape[word] = [(pos, n, by_letters) for (pos, n), by_letters in shapes.items()]
    return idx


def _one_edit(a: str, b: str) -> bool:
    return a != b and abs(len(a) - len(b)) <= 1 and DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1


# A long name's own letters, two of them moved ("Savauge" for Sauvage): a scramble, not a new word.
_MIN_SHUFFLED = 6


def _shuffled(a: str, b: str) -> bool:
    return (len(a) == len(b) >= _MIN_SHUFFLED and a != b and sorted(a) == sorted(b)
            and DamerauLevenshtein.distance(a, b, score_cutoff=2) <= 2)


def identified_line(tokens: tuple[str, ...], rules: RuleSet, title: str | None = None) -> LineHit | None:
    """The first famous line the title names, exactly or misspelt by one edit in one word, or
    a model name beside the goods it names ("Loa bluetooth Charge 5"); given the `title` as
    typed, also one whose letters it cuts apart ("Sam ba OG")."""
    idx = _index(rules)
    for i, tok in enumerate(tokens):
        for n, keywords in idx.exact_by_length.get(tok, ()):
            hit = keywords.get(tokens[i : i + n])
            if hit is not None:
                return LineHit(i, i + n, hit[0], hit[1], " ".join(tokens[i : i + n]), False)
    return (_with_goods(tokens, idx) or _typo_line(tokens, idx, rules)
            or (_split_line(tokens, idx, title) if title is not None else None))


def _split_line(tokens: tuple[str, ...], idx: _Index, title: str) -> LineHit | None:
    """A line keyword whose letters the title spreads over more words than it has, one of
    them a short piece ("Sam ba", "Ma-de-moi-selle"), typed without Vietnamese marks ("săm
    ba" would be words)."""
    prefixes, compact = idx.compact_prefixes, idx.compact
    for i, tok in enumerate(tokens):
        if tok not in prefixes:
            continue
        glued = tok
        for j in range(i + 1, min(i + _MAX_SPLIT_PIECES, len(tokens))):
            glued += tokens[j]
            if glued not in prefixes:
                break
            entry = compact.get(glued)
            pieces = tokens[i : j + 1]
            if (entry is not None and len(pieces) > len(entry[0])
                    and (min(map(len, pieces)) <= _MAX_SPLIT_PIECE
                         # a one-word name cut into short pieces ("Lab ubu"), as brands are ("Cha nel")
                         or (len(entry[0]) == 1 and max(map(len, pieces)) <= _MAX_CUT_PIECE))
                    and split_in_raw(title.lower(), glued)):
                return LineHit(i, j + 1, entry[1], entry[2], " ".join(pieces), False, split=True)
    return None


def _with_goods(tokens: tuple[str, ...], idx: _Index) -> LineHit | None:
    for i, tok in enumerate(tokens):
        for toks, goods, brand, line in idx.with_goods.get(tok, ()):
            if tokens[i : i + len(toks)] == toks and names_any(tokens, goods):
                return LineHit(i, i + len(toks), brand, line, " ".join(toks), False, by_goods=True)
    return None


def names_line_with_goods(tokens: tuple[str, ...], brand: Brand, rules: RuleSet) -> bool:
    """The title names one of `brand`'s lines beside the goods that make its keyword the
    brand's ("Kèn harmonica ... Special 20"): corroboration for a near-miss name."""
    idx = _index(rules)
    return any(tokens[i : i + len(toks)] == toks and names_any(tokens, goods)
               for i, tok in enumerate(tokens) for toks, goods, owner, _ in idx.with_goods.get(tok, ())
               if owner is brand)


def _near(word: str, target: str, common: frozenset[str]) -> bool:
    """One edit away (or a long word's own letters moved: `_shuffled`), same first letter (a
    dropped first letter makes "pad" of "ipad"), not itself a frequent word ("good" is no typo
    of "goon") and not the plural ("Supersonics" names a vacuum, it does not disguise Dyson's
    Supersonic)."""
    return (word[0] == target[0] and word not in common and (_one_edit(word, target) or _shuffled(word, target))
            and word != target + "s" and target != word + "s")


def _typo_position(toks: Keyword, j: int) -> bool:
    """Whether word `j` of a multi-word line keyword may be the misspelt one: long enough,
    letters only, and the words kept as written say something ("air", "stan"), not only "2"."""
    return (len(toks[j]) >= _MIN_TYPO_WORD and toks[j].isalpha()
            and any(k != j and len(toks[k]) >= 3 and toks[k].isalpha() for k in range(len(toks))))


def _typo_line(tokens: tuple[str, ...], idx: _Index, rules: RuleSet) -> LineHit | None:
    brands = brand_index(rules)
    common, registered = brands.common, brands.compact
    inert = idx.inert
    firsts = ""  # the first letter of every title word, built on first use
    for i, tok in enumerate(tokens):
        if tok in inert:
            continue
        # A multi-word line with every word but one as written, that one a near miss
        # ("air forse 1", "stan smit"): the exact words corroborate which line is meant.
        keywords = idx.by_word.get(tok, ())
        fitting: list[int] = []
        if keywords:
            if not firsts:
                firsts = "".join(t[0] for t in tokens)
            for pos, n, by_letters in idx.by_shape[tok]:
                start = i - pos
                if start >= 0 and start + n <= len(tokens):
                    fitting += by_letters.get(firsts[start : start + n], ())
            fitting.sort()  # in `by_word` order, as a scan of every keyword would meet them
        for k in fitting:
            toks, pos, typo_at, brand, line = keywords[k]
            start = i - pos
            end = start + len(toks)
            for j in typo_at:
                # Word j is the only one not as written (the cheap first-letter test of
                # `_near` first, then the words around it compared as slices).
                word, target = tokens[start + j], toks[j]
                if (word != target and word[0] == target[0] and tokens[start : start + j] == toks[:j]
                        and tokens[start + j + 1 : end] == toks[j + 1 :]):
                    if word.isalpha() and _near(word, target, common):
                        return LineHit(start, end, brand, line, " ".join(tokens[start:end]), True)
                    break  # the one odd word cannot carry the typo: no other j can be the odd one
        if len(tok) < _MIN_TYPO_SINGLE - 1 or not tok.isalpha() or tok in common or tok in registered:
            near = None  # a registered brand ("Eveline") is its own name, not a line's typo
        elif tok in idx.typo_cache:
            near = idx.typo_cache[tok]
        else:
            near = next(((kw, b, ln) for kw, b, ln in idx.single.get(tok[0], ()) if _near(tok, kw, common)), None)
            if len(idx.typo_cache) >= _MAX_TYPO_CACHE:
                idx.typo_cache.clear()
            idx.typo_cache[tok] = near
        if near is not None:
            return LineHit(i, i + 1, near[1], near[2], tok, True)
        if not keywords:
            if len(inert) >= _MAX_TYPO_CACHE:
                inert.clear()
            inert.add(tok)
    return None


def dropped_letters(tokens: tuple[str, ...], hit: LineHit, rules: RuleSet, reach: int = 3) -> str | None:
    """A word just before the line that is the line's brand with letters dropped ("adds"
    before "samba", "guci" before "marmont"): the line corroborates what the word hides."""
    names = _index(rules).names.get(hit.brand.name, [])
    for tok in tokens[max(0, hit.start - reach) : hit.start]:
        if len(tok) < 3 or not tok.isalpha():
            continue
        for name in names:
            if tok[0] == name[0] and 1 <= len(name) - len(tok) <= 3 and _is_subsequence(tok, name):
                return tok
    return None


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def brand_floor(brand: Brand, tokens: tuple[str, ...], rules: RuleSet,
                starts_within: int | None = None) -> tuple[int, Keyword] | None:
    """The lowest genuine new price of the brand's goods that the title names (its floor),
    with the goods words that named them; with `starts_within`, the goods words must begin
    among the first that many tokens ("bộ thể thao bóng đá" opens the title and runs on)."""
    # The lowest price, the first floor in `floors` order on ties; looked up word by word.
    by_first = _index(rules).floor_starts.get(brand.name)
    if not by_first:
        return None
    best: tuple[int, int, Keyword] | None = None
    for i, tok in enumerate(tokens if starts_within is None else tokens[:starts_within]):
        for order, toks, price in by_first.get(tok, ()):
            if (best is None or (price, order) < best[:2]) and tokens[i : i + len(toks)] == toks:
                best = (price, order, toks)
    return None if best is None else (best[0], best[2])



@dataclass(frozen=True, slots=True)
class _BrandLines:
    # Each brand's line keywords as tokens, longest first ("air jordan 1" beats "jordan").
    lines: dict[str, list[tuple[Keyword, ProductLine]]]
    # The same keywords by brand and first word, with their place in `lines`: a title is
    # then looked up word by word instead of testing each of a brand's (many) keywords.
    line_starts: dict[str, dict[str, list[tuple[int, Keyword, ProductLine]]]]
    # The kinds of goods each brand's floors name ("may do huyet ap"), as tokens.
    floor_goods: dict[str, frozenset[Keyword]]
    # The gift words of `rules/forms.yaml` as tokens ("tang", "tang kem"), longest first, and
    # what makes one a gift set ("hop qua tang"; "qua tang" opening the title).
    gifts: tuple[Keyword, ...]
    gift_sets: tuple[Keyword, ...]
    gift_set_openers: tuple[Keyword, ...]


@per_rules
def _brand_lines(rules: RuleSet) -> _BrandLines:
    lines: dict[str, list[tuple[Keyword, ProductLine]]] = {}
    for brand in rules.brands.brands:
        entries = []
        for line in brand.products:
            for kw in line.keywords:
                entries += [(form, line) for form in line_keyword_forms(brand, kw)]
        entries.sort(key=lambda e: sum(len(t) for t in e[0]), reverse=True)
        lines[brand.name] = entries
    starts: dict[str, dict[str, list[tuple[int, Keyword, ProductLine]]]] = {}
    for name, entries in lines.items():
        by_first = starts[name] = {}
        for rank, (toks, line) in enumerate(entries):
            by_first.setdefault(toks[0], []).append((rank, toks, line))
    # The floors' goods as `_index` already tokenized them.
    goods = {name: frozenset(toks for toks, _ in floors) for name, floors in _index(rules).floors.items()}

    def tokenized(phrases: list[str]) -> tuple[Keyword, ...]:
        return tuple(sorted({t for p in phrases if (t := phrase_tokens(p))}, key=len, reverse=True))

    forms = rules.forms
    return _BrandLines(lines, starts, goods, tokenized(forms.gifts), tokenized(forms.gift_sets),
                       tokenized(forms.gift_set_openers))


def product_line(brand: Brand, title_tokens: tuple[str, ...], rules: RuleSet) -> ProductLine | None:
    """The brand's product line whose keyword appears in the title (most specific first)."""
    found = product_line_by(brand, TitleGrams(title_tokens), rules)
    return None if found is None else found[0]


def product_line_by(brand: Brand, grams: TitleGrams, rules: RuleSet) -> tuple[ProductLine, Keyword] | None:
    """The first of the brand's keywords (longest first) that the title holds, with its line;
    a keyword after a compatibility word names what the goods fit, so it counts only when no
    other does ("Củ sạc Apple 20W ... cho iPhone 15" sells the adapter, not the phone), and
    one right after a gift word names what is thrown in ("Giày Nike ... tặng tất Nike")."""
    index = _brand_lines(rules)
    by_first = index.line_starts.get(brand.name)
    if not by_first:
        return None
    tokens = grams.tokens
    hits = [(rank, i, toks, line) for i, tok in enumerate(tokens) for rank, toks, line in by_first.get(tok, ())
            if tokens[i : i + len(toks)] == toks and not _given(tokens, i, index)]
    if len({id(h[3]) for h in hits}) > 1:
        hits = [h for h in hits if not compat_marker_before(tokens, h[1], rules)] or hits
    if not hits:
        return None
    best = min(hits, key=lambda h: h[0])
    return best[3], best[2]


def _given(tokens: tuple[str, ...], start: int, index: _BrandLines) -> bool:
    """Whether the words right before `start` give what follows away ("tặng tất Nike")."""
    for gift in index.gifts:
        at = start - len(gift)
        if at < 0 or tokens[at:start] != gift:
            continue
        if at and tokens[at - 1].isdigit():
            return False  # "Kệ sách 4 tầng Kallax": a tier, folded as "tang"
        return not (any(at >= len(p) and tokens[at - len(p) : at] == p for p in index.gift_sets)
                    or any(tokens[:at] == p for p in index.gift_set_openers))
    return False


def names_floor_goods(brand: Brand, keyword: Keyword, rules: RuleSet) -> bool:
    """Whether a line keyword is one of the kinds of goods the brand's floors name."""
    return keyword in _brand_lines(rules).floor_goods[brand.name]


def line_start(brand: Brand, line: ProductLine, tokens: tuple[str, ...], rules: RuleSet) -> int:
    """Where the first keyword of `line` begins in `tokens` (len(tokens) when nowhere); the
    keywords' tokens come from the compiled index, not re-tokenized per listing."""
    starts = [i for toks, ln in _brand_lines(rules).lines.get(brand.name, ()) if ln is line
              for i in range(len(tokens) - len(toks) + 1) if tokens[i : i + len(toks)] == toks]
    return min(starts, default=len(tokens))


class TitleGrams:
    """The n-grams of one title's tokens, built per length on first use: a product-line
    keyword is then one set lookup instead of a window scan over the title."""

    __slots__ = ("_by_len", "tokens")

    def __init__(self, tokens: tuple[str, ...]) -> None:
        self.tokens = tokens
        self._by_len: dict[int, set[tuple[str, ...]]] = {}

    def __contains__(self, phrase: tuple[str, ...]) -> bool:
        n = len(phrase)
        grams = self._by_len.get(n)
        if grams is None:
            toks = self.tokens
            grams = self._by_len[n] = {toks[i : i + n] for i in range(len(toks) - n + 1)}
        return phrase in grams


def names_its_line(word: str, line: ProductLine, grams: TitleGrams) -> bool:
    """Whether `word` is part of a keyword of `line` that the title holds."""
    words = phrase_tokens(word)
    return any(set(words) <= set(toks) and toks in grams for toks in map(phrase_tokens, line.keywords))


__all__ = ["LineHit", "TitleGrams", "brand_floor", "dropped_letters", "identified_line", "line_start",
           "names_floor_goods", "names_its_line", "product_line", "product_line_by"]
