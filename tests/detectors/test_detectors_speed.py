"""Issue #8 speed work on the scoring path, proven equal to the slower code it replaced:
word-by-word folding and brand tokens, n-gram product-line lookups, length-filtered fuzzy
candidates, contexts handed to the seller roll-up, IsolationForest scoring only cheap rows."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import DamerauLevenshtein
from sklearn.ensemble import IsolationForest

from detectors import assess_seller, score_listings, score_listings_with_contexts
from detectors.brand import brand_index
from detectors.fuzzy import fuzzy_brand
from detectors.lines import (
    _MIN_TYPO_SINGLE,
    LineHit,
    TitleGrams,
    _near,
    _typo_line,
    identified_line,
    product_line,
)
from detectors.lines import _index as _line_index
from detectors.textnorm import (
    _ALNUM_SPLIT,
    _ALNUM_WORD,
    _CONFUSABLE_CAPITALS,
    _LEET_I,
    _LEET_L,
    _LEETY,
    _LETTERS_THEN_DIGITS_IN_TEXT,
    _NEEDS_WORDWISE,
    _ZERO_WIDTH,
    _ZERO_WIDTH_RE,
    _collapse_single_letters,
    _fold_text,
    _is_disguised,
    _leet_stream,
    _mark_disguised,
    brand_tokens,
    destyle,
    fold,
    styled_word,
    unescape_entities,
)
from rules.loader import Brand, RuleSet
from rules.record import Listing

MakeListing = Callable[..., Listing]

_VIET = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĐ"
# Whitespace of every kind (NEL is the one unidecode drops), look-alikes, marks that NFKC
# turns into a space plus a combining mark (¨ ´), a final sigma, CJK.
_TRICKY = "\u200b\u00ad\x85\u00a0\u3000\u2028\t\n аеорсęïøßＮ１¨´ΑΣσς日本İ\u0301\u0308@$.-_:"
_ALPHABET = list("abcdeiklnosNIKE01345 ") + list(_VIET) + list(_TRICKY)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_ALPHABET), max_size=40) | st.text(max_size=30))
def test_word_by_word_fold_equals_the_whole_text_fold(text: str) -> None:
    assert fold.__wrapped__(text) == _fold_text(text)


def _reference_brand_tokens(text: str, min_run: int, leet_min: int) -> tuple[object, ...]:
    """`brand_tokens` as the second pass of issue #4 wrote it (regexes over the whole title),
    plus issue #12's marking of styled letters, invisible characters and a crossed d in an
    unmarked foreign word as disguises."""
    disguised: dict[str, str] = {}
    text = unescape_entities(text)
    if not text.isascii():
        _mark_disguised(text, styled_word, disguised)
    raw = unicodedata.normalize("NFKC", destyle(text))
    if _ZERO_WIDTH_RE.search(raw) is not None:
        raw = raw.translate(_ZERO_WIDTH)
    raw = raw.translate(_CONFUSABLE_CAPITALS).lower()
    if _NEEDS_WORDWISE.search(raw) is not None or "đ" in raw:  # "Lauđer": a crossed d is judged by word too
        for raw_word in raw.split():
            if _is_disguised(raw_word):
                for piece in _ALNUM_SPLIT.split(fold(raw_word)):
                    if piece:
                        disguised[piece] = raw_word
    folded = _fold_text(raw)
    plain: list[str] = _ALNUM_WORD.findall(_LETTERS_THEN_DIGITS_IN_TEXT.sub(r"\1 \2", folded))
    variants: list[tuple[str, ...]] = []
    collapsed = _collapse_single_letters(plain, min_run)
    if collapsed != plain:
        variants.append(tuple(collapsed))
    if _LEETY.search(folded) is not None:
        for table in (_LEET_I, _LEET_L):
            leet = _leet_stream(folded, table, leet_min)
            if leet is None:
                break
            v = tuple(_collapse_single_letters(leet, min_run))
            if v != tuple(plain) and v not in variants:
                variants.append(v)
    return tuple(plain), tuple(variants), disguised


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*_ALPHABET, "n i k e", "N1ke", "spf50", "900g", "s24", "iPhone15"]),
                max_size=25).map("".join),
       st.integers(2, 4), st.integers(2, 4))
def test_word_by_word_brand_tokens_equal_the_whole_title_ones(text: str, min_run: int, leet_min: int) -> None:
    got = brand_tokens.__wrapped__(text, min_run, leet_min)
    assert (got.plain, got.variants, got.disguised) == _reference_brand_tokens(text, min_run, leet_min)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "x"]), max_size=8), st.lists(st.sampled_from(["a", "b", "c"]),
                                                                             min_size=1, max_size=4))
def test_gram_lookup_finds_what_a_window_scan_finds(stream: list[str], phrase: list[str]) -> None:
    s, p = tuple(stream), tuple(phrase)
    scan = any(s[i : i + len(p)] == p for i in range(len(s) - len(p) + 1))
    assert (p in TitleGrams(s)) == scan


def test_product_line_still_prefers_the_most_specific_keyword(rules: RuleSet) -> None:
    nike = next(b for b in rules.brands.brands if b.name == "Nike")
    line = product_line(nike, brand_tokens("Giày Nike Air Force 1 trắng").plain, rules)
    assert line is not None and "Air Force 1" in line.line


def _reference_fuzzy(token: str, rules: RuleSet) -> tuple[Brand, float] | None:
    """Every candidate of the first letter and the last two letters, no length pre-filter
    (a changed first letter only between words of about one length: issue #12)."""
    idx, cfg = brand_index(rules), rules.scoring.brand
    if len(token) < cfg.fuzzy_min_length or not token.isalpha() or token in idx.ignore:
        return None
    candidates = idx.fuzzy.get(token[0], []) + [
        c for c in idx.fuzzy_tail.get(token[-2:], []) if c[0][0] != token[0] and abs(len(c[0]) - len(token)) <= 1
        and not c[0].endswith(token) and not token.endswith(c[0])]
    best: tuple[Brand, float] | None = None
    for alias, brand in candidates:
        if abs(len(alias) - len(token)) > cfg.fuzzy_max_distance or alias == token:
            continue
        dist = DamerauLevenshtein.distance(token, alias, score_cutoff=cfg.fuzzy_max_distance)
        if dist > cfg.fuzzy_max_distance:
            continue
        sim = 100.0 * (1.0 - dist / max(len(token), len(alias)))
        if sim >= min(cfg.fuzzy_min_similarity, cfg.fuzzy_min_similarity_with_line) and (
                best is None or sim > best[1]):
            best = (brand, sim)
    return best


def test_length_filtered_fuzzy_candidates_find_the_same_brands(rules: RuleSet) -> None:
    idx = brand_index(rules)
    aliases = [alias for bucket in idx.fuzzy.values() for alias, _ in bucket]
    rnd = random.Random(8)
    words = ["adidaz", "omrom", "whichy", "channel", "louisvuittom", "larocheposey", "giaythethao", "phone"]
    for _ in range(3000):
        alias = rnd.choice(aliases)
        edit = rnd.randrange(4)
        pos = rnd.randrange(len(alias))
        letter = rnd.choice("abcdefghijklmnopqrstuvwxyz")
        words.append([alias[:pos] + letter + alias[pos + 1:], alias[:pos] + alias[pos + 1:],
                      alias[:pos] + letter + alias[pos:], letter + alias + letter][edit])
    idx.fuzzy_cache.clear()
    found = 0
    for word in words:
        expected = _reference_fuzzy(word, rules)
        assert fuzzy_brand(idx, word, rules) == expected, word
        found += expected is not None
    assert found > 1000  # the words were near misses: most must be found


def test_contexts_handed_to_the_seller_roll_up_change_nothing(rules: RuleSet, make: MakeListing) -> None:
    listings = [make("Giày N1ke Air Force 1 rep 1:1", price=350_000), make("Sữa Similac IQ số 4 900g"),
                make("Ốp lưng cho iPhone 15", price=50_000), make("Túi Cha nel classic", price=900_000)]
    scored, contexts = score_listings_with_contexts(listings, rules)
    assert scored == score_listings(listings, rules)
    assert assess_seller(listings, scored, rules, contexts=contexts) == assess_seller(listings, scored, rules)


def test_isolation_scores_of_a_subset_equal_those_of_the_whole_batch() -> None:
    # `isolation_outliers` asks the forest only about cheap-side rows; that is only the same
    # when each row's score does not depend on which other rows are scored with it.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(1200, 5))
    model = IsolationForest(n_estimators=100, max_samples=256, random_state=0, n_jobs=1).fit(x)
    rows = np.flatnonzero(x[:, 1] < 0)
    assert np.array_equal(model.decision_function(x[rows]), model.decision_function(x)[rows])


def test_regexes_stop_at_spaces() -> None:
    # The per-word caches rely on this: no token regex matches across a space.
    for pattern in (_ALNUM_WORD, _LETTERS_THEN_DIGITS_IN_TEXT, _LEETY):
        assert " " not in "".join(m.group(0) for m in re.finditer(pattern, "ab1 c2d abcd12 x"))


def _typo_line_by_scan(tokens: tuple[str, ...], rules: RuleSet) -> LineHit | None:
    """`lines._typo_line` as it was before the first-letter index: every keyword holding a
    title word is tried in `by_word` order (its caches left out)."""
    idx = _line_index(rules)
    common, registered = brand_index(rules).common, brand_index(rules).compact
    for i, tok in enumerate(tokens):
        for toks, pos, typo_at, brand, line in idx.by_word.get(tok, ()):
            start, end = i - pos, i - pos + len(toks)
            if start < 0 or end > len(tokens):
                continue
            for j in typo_at:
                word, target = tokens[start + j], toks[j]
                if (word != target and word[0] == target[0] and tokens[start : start + j] == toks[:j]
                        and tokens[start + j + 1 : end] == toks[j + 1 :]):
                    if word.isalpha() and _near(word, target, common):
                        return LineHit(start, end, brand, line, " ".join(tokens[start:end]), True)
                    break
        if len(tok) >= _MIN_TYPO_SINGLE - 1 and tok.isalpha() and tok not in common and tok not in registered:
            near = next(((kw, b, ln) for kw, b, ln in idx.single.get(tok[0], ()) if _near(tok, kw, common)), None)
            if near is not None:
                return LineHit(i, i + 1, near[1], near[2], tok, True)
    return None


def test_typo_lines_found_through_first_letters_equal_a_scan_of_every_keyword(rules: RuleSet) -> None:
    # Titles made of line keywords with one word misspelt (a letter changed, dropped or
    # doubled, never the first), mixed with other keywords' words: the index must find the
    # same line, at the same place, as trying every keyword.
    idx = _line_index(rules)
    keywords = sorted({e[0] for entries in idx.by_word.values() for e in entries})
    words = sorted({w for kw in keywords for w in kw})
    rnd = random.Random(5)
    found = 0
    for _ in range(3000):
        kw = list(rnd.choice(keywords))
        j = rnd.randrange(len(kw))
        if len(kw[j]) > 2:
            k = rnd.randrange(1, len(kw[j]))
            kw[j] = rnd.choice([kw[j][:k] + kw[j][k + 1 :], kw[j][:k] + "x" + kw[j][k + 1 :], kw[j][:k] + kw[j][k:]])
        title = tuple(rnd.choices(words, k=rnd.randrange(3)) + kw + rnd.choices(words, k=rnd.randrange(3)))
        by_scan = _typo_line_by_scan(title, rules)
        assert _typo_line(title, idx, rules) == by_scan, title
        found += by_scan is not None
    assert found > 300


def test_exact_lines_found_by_length_equal_a_scan_of_every_keyword(rules: RuleSet) -> None:
    idx = _line_index(rules)
    keywords = [e for entries in idx.exact.values() for e in entries]
    words = sorted({w for kw, _, _ in keywords for w in kw})
    rnd = random.Random(6)
    for _ in range(2000):
        kw = list(rnd.choice(keywords)[0])[: rnd.randrange(1, 5)]
        title = tuple(rnd.choices(words, k=rnd.randrange(3)) + kw + rnd.choices(words, k=rnd.randrange(3)))
        by_scan = next((LineHit(i, i + len(toks), brand, line, " ".join(toks), False)
                        for i, tok in enumerate(title) for toks, brand, line in idx.exact.get(tok, ())
                        if title[i : i + len(toks)] == toks), None)
        if by_scan is not None:
            assert identified_line(title, rules) == by_scan, title
