"""Brand claims in listings: which brands a listing claims, and whether the claim is odd.

Matching order (DESIGN §4.3): an exact index of folded alias n-grams first; then the same
index over disguised token streams (leetspeak decoded, split letters glued back); then
glued neighbouring words ("Cha nel"); and only for words that matched nothing, rapidfuzz
against the few aliases that share the first letter and a similar length.

The signals these mentions give are in `detectors.brand_signals`.

A brand named for compatibility ("ốp lưng cho iPhone 15") is a mention, not a claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Literal

from detectors.brand_index import BrandIndex, brand_index, phrase_tokens
from detectors.disguise import (
    STAND_IN_HINT,
    doubled_name,
    homoglyph_of,
    leet_form,
    marked_apart,
    marked_name,
    marked_near_misses,
    quote_variant,
    split_in_raw,
    stand_ins,
    underscored,
)
from detectors.fuzzy import fuzzy_brand
from detectors.textnorm import (
    BrandTokens,
    brand_tokens,
    has_vietnamese_marks,
    unescape_entities,
)
from rules.loader import Brand, RuleSet

# "line": named only through one of its famous product lines; "typo_line": through a
# misspelt line ("Air Forse 1"); "split_line": through a line cut apart ("Sam ba OG");
# "dropped": the brand with letters dropped next to its line;
# "separated": a famous name glued to an underscore ("_MLB"), which word filters read as another word;
# "doubled": a famous name typed with letters doubled ("Niikkee").
MentionKind = Literal["exact", "coded", "disguised", "split", "fuzzy", "line", "typo_line", "split_line", "dropped",
                      "separated", "stand_in", "doubled"]

_MAX_JOIN = 8  # at most this many pieces are glued back together ("n i k e" is 4)
_DECLARED_EXTRA_WORDS = 2  # "Nike Vietnam" / "Apple Official Store" in a brand field


# As `detectors.form.ProductForm`: a hand-written `__init__`, not frozen (`replace` makes copies).
@dataclass(slots=True, init=False, unsafe_hash=True)
class Mention:
    """One place a brand is named in a text."""

    brand: Brand
    kind: MentionKind
    evidence: str  # the words as written (best effort), quoted to analysts
    similarity: float  # 100 for exact/disguised/split
    compat: bool  # named only for compatibility ("cho iPhone")
    start: int
    end: int
    line: str | None = None  # the product line that named the brand ("line", "typo_line", "split_line", "dropped")
    common: bool = False  # a near miss that is also a frequent word ("valentine"): needs the brand's own category

    def __init__(self, brand: Brand, kind: MentionKind, evidence: str, similarity: float, compat: bool, start: int,
                 end: int, line: str | None = None, common: bool = False) -> None:
        self.brand, self.kind, self.evidence, self.similarity, self.compat = brand, kind, evidence, similarity, compat
        self.start, self.end, self.line, self.common = start, end, line, common

    @property
    def is_claim(self) -> bool:
        return not self.compat


def _has_run(stream: tuple[str, ...], words: tuple[str, ...]) -> bool:
    n = len(words)
    return any(stream[i : i + n] == words for i in range(len(stream) - n + 1))


def _ending_at(stream: tuple[str, ...], end: int, phrases: frozenset[tuple[str, ...]],
               ends: dict[str, tuple[int, ...]]) -> int:
    """Length of the longest phrase of the set that ends at `end` (0: none; `end` >= 1).
    `ends`: the set's lengths by last word, longest first (`brand_index._phrase_set`)."""
    for n in ends.get(stream[end - 1], ()):
        if n <= end and stream[end - n : end] in phrases:
            return n
    return 0


def _marker_ending_at(idx: BrandIndex, stream: tuple[str, ...], end: int) -> bool:
    """A compatibility marker ends at `end` and what follows it is no audience ("cho mèo",
    "dành cho bé" name who the goods are for, not a device they fit)."""
    n = _ending_at(stream, end, idx.marker_set, idx.marker_ends)
    if not n or (idx.not_marker_ends and _ending_at(stream, end, idx.not_marker_set, idx.not_marker_ends)):
        return False
    if stream[end - n : end] in idx.audience_set and end > n and _ending_at(
            stream, end - n, idx.marker_set, idx.marker_ends):
        return False  # "cho chó" folds to "cho cho": the second word is the dog the food is for
    return not any(stream[end : end + k] in idx.audience_set for k in idx.audience_lengths)


def _first_accessory_end(idx: BrandIndex, stream: tuple[str, ...]) -> int:
    """Index just past the earliest complete accessory word in `stream` (len+1 if none).

    Computed once per stream: a mention after it is a compatibility mention."""
    phrases, ends = idx.accessory_set, idx.accessory_ends
    for end, word in enumerate(stream, start=1):  # `_ending_at` inlined: every word is looked at
        for n in ends.get(word, ()):
            if n <= end and stream[end - n : end] in phrases:
                return end
    return len(stream) + 1


def _is_compat(idx: BrandIndex, stream: tuple[str, ...], start: int, spans: list[tuple[int, int]],
               accessory_end: int, brand: Brand | None = None, *, styles: bool = True) -> bool:
    """Walk back from the mention over fillers, numbers and earlier brand mentions; a
    compatibility marker there ("cho", "tương thích") makes this a compatibility mention.
    An accessory word before the mention ("ốp lưng ... iPhone") does too, unless the brand
    fits no device: "ốp lưng Gucci" is a Gucci-design case, "miếng dán Salonpas" its patch.
    A look named after a label ("phong cách North Face") claims no label either (`styles`)."""
    j = start
    fillers = 0
    span_starts = {e: s for s, e in spans}
    while j > 0:
        if _marker_ending_at(idx, stream, j) or (styles and _ending_at(stream, j, idx.style_set, idx.style_ends)):
            return True
        prev = span_starts.get(j)
        if prev is not None:
            j = prev
            continue
        if stream[j - 1].isdigit():
            j -= 1
            continue
        filler = _ending_at(stream, j, idx.filler_set, idx.filler_ends)
        if filler and fillers < idx.max_fillers:
            fillers += 1
            j -= filler
            continue
        break
    return accessory_end <= start and (brand is None or brand.category not in idx.claim_after_accessory)


def is_compat_at(stream: tuple[str, ...], start: int, rules: RuleSet, *, styles: bool = True) -> bool:
    """Whether a name starting at token `start` is named only for compatibility (`styles`:
    also a look named after it, "phong cách ...", which a named model is not)."""
    idx = brand_index(rules)
    return _is_compat(idx, stream, start, [], _first_accessory_end(idx, stream), styles=styles)


def compat_marker_before(stream: tuple[str, ...], start: int, rules: RuleSet) -> bool:
    """A compatibility word ("cho", "thay thế", "tương thích") anywhere before token `start`."""
    idx = brand_index(rules)
    return any(_marker_ending_at(idx, stream, end) for end in range(1, start + 1))


def _excepted(idx: BrandIndex, brand: Brand, stream: tuple[str, ...], start: int, end: int) -> bool:
    """A lookalike exception ("omega 3" for Omega, "nikon" for Nike) overlaps the mention."""
    for exc in idx.exceptions.get(brand.name, ()):
        n = len(exc)
        lo = max(0, start - n + 1)
        for i in range(lo, min(end, len(stream) - n + 1)):
            if stream[i : i + n] == exc:
                return True
    return False


def _scan(idx: BrandIndex, stream: tuple[str, ...], split_min: int,
          max_piece: int) -> list[tuple[int, int, Brand, bool]]:
    """Exact alias n-grams (longest first), then glued pieces. Returns (start, end, brand, split)."""
    hits: list[tuple[int, int, Brand, bool]] = []
    first, exact, prefixes, compact = idx.first, idx.exact, idx.prefixes, idx.compact  # every word looks here
    i = 0
    n_tok = len(stream)
    while i < n_tok:
        found: tuple[int, Brand, bool] | None = None
        word = stream[i]
        longest = first.get(word)
        if longest is not None:  # most words start no alias
            for n in range(min(longest, n_tok - i), 0, -1):
                brand = exact.get(stream[i : i + n])
                if brand is not None:
                    found = (n, brand, False)
                    break
        if found is None and word in prefixes:
            joined = word
            for n in range(1, min(_MAX_JOIN, n_tok - i) + 1):
                if n > 1:
                    joined += stream[i + n - 1]
                    if joined not in prefixes:
                        break
                entry = compact.get(joined)
                if entry is not None and (n == 1 or len(joined) >= split_min):
                    brand, alias_tokens = entry
                    pieces = stream[i : i + n]
                    # More pieces than the alias has words, all of them short ("cha nel",
                    # "gu cci"): letters were split on purpose. "i phone" is only spacing.
                    split = n > alias_tokens and (all(len(p) <= max_piece for p in pieces) or (
                        # "Sam sung", "San Disk", "Senso dyne": a famous one-word name cut in two.
                        alias_tokens == 1 and brand.famous and all(len(p) >= 2 and p.isalpha() for p in pieces)))
                    found = (n, brand, split)
                    break
        if found is None:
            i += 1
            continue
        n, brand, split = found
        hits.append((i, i + n, brand, split))
        i += n
    return hits


def _glued_to_word(idx: BrandIndex, stream: tuple[str, ...], i: int, covered: set[int],
                   glue: tuple[str, ...], rules: RuleSet) -> tuple[tuple[Brand, float], int] | None:
    """A famous brand, exact or a near miss, once the Vietnamese word glued to its end is cut
    off: "vuittoncao" alone, or "louis vuitoncao" with the word before (tried first).
    Returns the hit and the mention's first word."""
    word = stream[i]
    rest = next((word[: -len(g)] for g in glue if word.endswith(g) and len(word) - len(g) >= 3), None)
    if rest is None:
        return None
    readings = [(i, rest)]
    if i > 0 and i - 1 not in covered and stream[i - 1].isalpha():
        readings.insert(0, (i - 1, stream[i - 1] + rest))
    for start, glued in readings:
        entry = idx.compact.get(glued)
        if entry is not None and entry[0].famous:
            return (entry[0], 100.0), start
        hit = fuzzy_brand(idx, glued, rules) if len(glued) >= rules.scoring.brand.fuzzy_min_length else None
        if hit is not None and hit[0].famous:
            return hit, start
    return None


# Which form of a brand named twice in one title is kept: the disguise is the evidence an
# analyst needs ("N.i.k.e AF1" must not be reported as the plain alias "AF1"), a near miss
# is the weakest form.
_KIND_RANK: dict[MentionKind, int] = {"disguised": 0, "stand_in": 0, "split": 0, "dropped": 0, "separated": 0, "doubled": 0,
                                      "exact": 1, "coded": 1,
                                      "typo_line": 1, "split_line": 1, "line": 1, "fuzzy": 2}


def _decoded_near_misses(idx: BrandIndex, stream: tuple[str, ...], plain: tuple[str, ...], text: str,
                         spans: list[tuple[int, int]], rules: RuleSet) -> list[Mention]:
    """Famous names that a decoded word ("Bu1berr1" reads "buiberri") misses by a letter or
    two. The leetspeak or the split letters are a dodge in themselves, so such a near miss
    counts without a product line beside it; words typed as they read are left to the fuzzy
    pass over the plain stream. A decoded word may be the first of a two-word name glued to the
    next word ("Dan1el Welington" reads "danielwelington")."""
    cfg = rules.scoring.brand
    typed = set(plain)
    found: list[Mention] = []
    accessory_end = -1
    for i, tok in enumerate(stream):
        if tok in typed or not tok.isalpha() or tok in idx.common:
            continue
        hit, end = None, i + 1
        if len(tok) >= cfg.decoded_fuzzy_min_length:
            hit = fuzzy_brand(idx, tok, rules)
        if (i + 1 < len(stream) and stream[i + 1].isalpha()
                and (hit is None or hit[1] < cfg.decoded_fuzzy_min_similarity)):
            pair = fuzzy_brand(idx, tok + stream[i + 1], rules)
            if pair is not None and pair[1] >= cfg.decoded_fuzzy_min_similarity:
                hit, end = pair, i + 2
        if (hit is None or not hit[0].famous or hit[1] < cfg.decoded_fuzzy_min_similarity
                or tok[0] not in idx.first_letters.get(hit[0].name, frozenset())
                or _excepted(idx, hit[0], stream, i, end)):
            continue
        kind, evidence = quote_variant(text, "".join(stream[i:end]))
        if evidence[1:-1].isalpha():
            continue  # a digit only at an end ("Power1") numbers a model
        if accessory_end < 0:
            accessory_end = _first_accessory_end(idx, stream)
        found.append(Mention(hit[0], kind, evidence, hit[1],
                             _is_compat(idx, stream, i, spans, accessory_end, hit[0]), i, end))
    return found


def _add_mention(out: dict[str, Mention], m: Mention) -> None:
    """Keep each brand once: a claim over a compatibility mention, then the plainest form."""
    old = out.get(m.brand.name)
    rank = _KIND_RANK
    if old is None or (old.compat and not m.compat) or (
        old.compat == m.compat and rank[m.kind] < rank[old.kind]
    ):
        out[m.brand.name] = m


def _accent_ok(idx: BrandIndex, text: str, brand: Brand) -> bool:
    """Only a few brands have accented forms: the text's accents are looked at for them only."""
    forms = idx.accented_forms.get(brand.name)
    if forms is None or not has_vietnamese_marks(text):
        return True
    lowered = text.lower()
    return any(f in lowered for f in forms)


def find_mentions(text: str, rules: RuleSet, *, fuzzy: bool = True) -> list[Mention]:
    """Every brand named in `text`, each once (its strongest form)."""
    if text.strip() == "":
        return []
    idx = brand_index(rules)
    cfg = rules.scoring.brand
    bt: BrandTokens = brand_tokens(text, cfg.collapse_min_letters, cfg.leet_min_letters)
    # The text as shown, for the checks below that read it as typed: "D&#x2E;i&#x2E;o&#x2E;r"
    # is "D.i.o.r" (references to letters were marked as disguises by `brand_tokens` already).
    text = unescape_entities(text)
    out: dict[str, Mention] = {}

    accented_title = has_vietnamese_marks(text)
    streams: list[tuple[tuple[str, ...], bool]] = [(bt.plain, False)]
    streams += [(v, True) for v in bt.variants]
    for stream, is_variant in streams:
        hits = _scan(idx, stream, cfg.split_min_length, cfg.split_max_piece)
        spans = [(s, e) for s, e, _, _ in hits]
        accessory_end = -1  # computed on the first mention that needs it (most titles have none)
        k = 0
        while k < len(hits):
            s, e, brand, split = hits[k]
            k += 1
            if brand.name in out and not is_variant and not split:
                continue
            if not _accent_ok(idx, text, brand) or (
                    # An exception is a phrase as typed ("off white" is the colour): one that only
                    # a decoded stream holds ("0ff Wh1Te") was written to dodge it.
                    _excepted(idx, brand, bt.plain, s, e) if not is_variant
                    else any(_has_run(bt.plain, exc) for exc in idx.exceptions.get(brand.name, ()))):
                continue
            words = stream[s:e]
            kind: MentionKind = "exact"
            mark_inside = False
            evidence = " ".join(words)
            # A brand's own accents ("Moët", "Öhlins") are its spelling, not a disguise.
            disguised = [d for w in words if w in bt.disguised
                         and (d := bt.disguised[w]).lower() not in idx.own_spellings.get(brand.name, ())]
            if words in idx.coded:
                kind = "coded"
            elif disguised:
                kind, evidence = "disguised", " ".join(disguised)
            elif (brand.famous and not split and not is_variant and accented_title
                  and (typed := marked_name(text, words, brand)) is not None):
                kind, evidence = "disguised", typed
                mark_inside = True
            elif "_" in text and brand.famous and not is_variant and (glued := underscored(text, words)):
                kind, evidence = "separated", glued
            elif (not split and not is_variant and e - s > 1 and brand.famous and words not in idx.exact
                  and (marked := marked_apart(text, words)) is not None):
                kind, evidence = "split", marked  # "B.raun": a mark inside the word, where "i phone" is spacing
                mark_inside = True
            elif (split or is_variant) and (own := idx.own_dotted.get(brand.name)) is not None and own.search(text.lower()):
                pass  # "M·A·C", "M.A.C": the maker's own way of writing its initials
            elif split or is_variant:
                letters = "".join(words)
                if is_variant and _has_run(bt.plain, words):
                    # The same words are in the text as typed: the variant stream only re-found
                    # a plain mention, which is no disguise, unless the name is also typed letter
                    # for letter in leetspeak, before or after it (a "#makita" tag does not clear
                    # an "M4KITA" in the title).
                    leet = leet_form(text, letters)
                    if leet is None:
                        continue
                    kind, evidence = "disguised", leet
                else:
                    kind, evidence = quote_variant(text, letters)
                if kind == "split" and not split_in_raw(text.lower(), letters):
                    # The pieces carry Vietnamese diacritics ("có cá" is not "Coca"): words.
                    # What follows the first of them may still name a brand ("Sữa N.A.N":
                    # not "sữa nan" glued, but the code "N.A.N" after the goods).
                    hits += [(s + 1 + a, s + 1 + b, br, sp)
                             for a, b, br, sp in _scan(idx, stream[s + 1 : e], cfg.split_min_length, cfg.split_max_piece)]
                    continue
            if accessory_end < 0:
                accessory_end = _first_accessory_end(idx, stream)
            compat = _is_compat(idx, stream, s, spans, accessory_end, brand)
            if mark_inside and compat:
                # ... but after an accessory word ("Cáp sạc EarlDom ... S.amsung") it names the
                # phone the cable fits, however typed.
                kind, evidence = "exact", " ".join(words)
            _add_mention(out, Mention(brand, kind, evidence, 100.0, compat, s, e))
        if is_variant and fuzzy:
            for m in _decoded_near_misses(idx, stream, bt.plain, text, spans, rules):
                if m.brand.name not in out:
                    _add_mention(out, m)
        if is_variant or not fuzzy:
            continue
        covered: set[int] = set()
        for s, e in spans:
            covered.update(range(s, e))
        # `_fuzzy`'s own first checks and cache lookup, inlined: this loop sees every word.
        cache, min_length, pair_length = idx.fuzzy_cache, cfg.fuzzy_min_length, cfg.fuzzy_min_pair_length
        glue = idx.glued_suffixes
        near = cfg.fuzzy_min_similarity
        n_tok = len(stream)
        for i, tok in enumerate(stream):
            if i in covered or not tok.isalpha():
                # Only letters are compared (`_fuzzy` skips anything else): a number can
                # neither be a brand nor start a glued pair that is one.
                continue
            hit = None if len(tok) < min_length else cache[tok] if tok in cache else fuzzy_brand(idx, tok, rules)
            glued, end = tok, i + 1
            for j in (i + 1, i + 2):
                # Two or three neighbouring words glued ("louis vuittom", "la roche posey"),
                # also when the first word alone is only a far miss ("daniel" ~ Ariel for
                # "Daniel Welington"): the nearer reading wins.
                if (hit is not None and hit[1] >= near) or j >= n_tok or j in covered or not stream[j].isalpha():
                    break
                glued += stream[j]
                if len(glued) >= pair_length:
                    pair = (None if len(glued) < min_length else cache[glued] if glued in cache
                            else fuzzy_brand(idx, glued, rules))
                    if pair is not None and (hit is None or pair[1] > hit[1]):
                        hit, end = pair, j + 1
            start, glued_to_word = i, False
            if (end == i + 1 and (hit is None or hit[1] < near) and tok not in idx.common
                    and (doubled := doubled_name(idx, tok)) is not None
                    and doubled.name not in out and not _excepted(idx, doubled, stream, i, i + 1)):
                if accessory_end < 0:
                    accessory_end = _first_accessory_end(idx, stream)
                _add_mention(out, Mention(doubled, "doubled", tok, 100.0,
                            _is_compat(idx, stream, i, spans, accessory_end, doubled), i, i + 1))
                continue
            if (hit is None or hit[1] < 100) and ("rn" in tok or "l" in tok) and (
                    drawn := homoglyph_of(idx, tok, stream[i - 1] if i > 0 and i - 1 not in covered else None,
                                          stream[i + 1] if i + 1 < n_tok and i + 1 not in covered else None)
            ) is not None and (drawn[0].name not in out or _KIND_RANK[out[drawn[0].name].kind] > 0):
                # "Xiaorni", "Nlke", "Royal Canln", "MlCHAEL K0RS": letters drawn to look like
                # others, a look-alike of the name itself.
                homoglyph, first, last = drawn[0], i + drawn[1], i + drawn[2]
                if accessory_end < 0:
                    accessory_end = _first_accessory_end(idx, stream)
                _add_mention(out, Mention(homoglyph, "disguised", " ".join(stream[first:last]), 100.0,
                            _is_compat(idx, stream, first, spans, accessory_end, homoglyph), first, last))
                continue
            if hit is None and glue and tok.endswith(glue):
                # "Louis VuitonCao": a Vietnamese word glued to the brand's end.
                found = _glued_to_word(idx, stream, i, covered, glue, rules)
                if found is None:
                    continue
                hit, start = found
                end, glued_to_word = i + 1, True
            if hit is None:
                continue
            brand, sim = hit
            if brand.name in out or _excepted(idx, brand, stream, start, i + 1):
                continue
            common = end == i + 1 and tok in idx.common and sim < cfg.common_word_min_similarity
            # A changed first letter ("Mazer" ~ Razer, "Whichy" ~ Vichy) is the weakest form.
            first_changed = stream[start][0] not in idx.first_letters.get(brand.name, frozenset())
            near_miss = sim < cfg.fuzzy_min_similarity or common or first_changed
            if near_miss and not any(_has_run(stream, kw) for kw in idx.lines.get(brand.name, ())) and (
                    common or not any(_has_run(stream, kw) for kw in idx.goods_lines.get(brand.name, ()))):
                # A nearer miss ("Whichy" for Vichy), or an ordinary word one letter from a
                # brand ("nice", "door"), counts only next to one of the brand's product lines
                # ("... Soleil"): the line corroborates which brand is meant. A line keyword
                # that only names the goods ("dầu gội") corroborates a rare word, never a
                # frequent one ("Dầu gội Clean" is not Clear).
                continue
            if accessory_end < 0:
                accessory_end = _first_accessory_end(idx, stream)
            compat = _is_compat(idx, stream, start, spans, accessory_end, brand)
            found_kind: MentionKind = "separated" if glued_to_word and sim >= 100.0 else "fuzzy"
            _add_mention(out, Mention(brand, found_kind, " ".join(stream[start:end]), sim, compat, start, end,
                        common=end == i + 1 and tok in idx.common))
        for brand, sim, typed, start, end in marked_near_misses(idx, stream, covered, text, rules):
            if brand.name not in out and not _excepted(idx, brand, stream, start, end):
                if accessory_end < 0:
                    accessory_end = _first_accessory_end(idx, stream)
                _add_mention(out, Mention(brand, "split", typed, sim,
                                          _is_compat(idx, stream, start, spans, accessory_end, brand), start, end))
    if fuzzy and STAND_IN_HINT.search(text) is not None:
        for brand, typed, at in stand_ins(idx, text, bt.plain):
            if brand.name not in out:
                spans = [(m.start, m.end) for m in out.values()]
                compat = _is_compat(idx, bt.plain, at, spans, _first_accessory_end(idx, bt.plain), brand)
                _add_mention(out, Mention(brand, "stand_in", typed, 100.0, compat, at, at + 2))
    return sorted(out.values(), key=attrgetter("start"))


def resolve_declared(value: str | None, rules: RuleSet) -> tuple[Literal["none", "no_brand", "known", "unknown"], Brand | None]:
    """What the brand field says: nothing, explicitly no brand, a registry brand, or another name."""
    if value is None or value.strip() == "":
        return "none", None
    idx = brand_index(rules)
    toks = phrase_tokens(value)
    key = " ".join(toks)
    if key in idx.no_brand or key == "":
        return "no_brand", None
    glued = "".join(toks)
    brand = idx.exact.get(toks) or (idx.compact.get(glued) or (None, 0))[0] or idx.acronyms.get(glued)
    if brand is not None:
        return "known", brand
    mentions = [m for m in find_mentions(value, rules, fuzzy=False) if m.kind == "exact"]
    if len(mentions) == 1 and len(toks) <= len(mentions[0].brand.name.split()) + _DECLARED_EXTRA_WORDS:
        # "Nike Vietnam", "Apple Official": the brand plus a word or two is still that brand;
        # a longer field is a description, not a brand, and stays "unknown".
        return "known", mentions[0].brand
    return "unknown", None
