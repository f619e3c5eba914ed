"""Counterfeit slang in titles and descriptions (`text.slang`).

Terms, their strengths, the guards for innocent uses and the explanations all come from
`rules/slang.yaml`; this module only compiles them into a few regular expressions per rule
set and applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from detectors._cache import Memo, per_rules
from detectors.brand_index import brand_index, names_any, phrase_tokens
from detectors.phrases import Alternation, PhraseMatcher, lower_nfc
from detectors.textnorm import PROMO_PREFIX, brand_tokens, fold, has_vietnamese_marks
from rules.loader import RuleSet, SlangTerm
from rules.record import Listing, Signal

if TYPE_CHECKING:
    from detectors.context import ListingContext


@dataclass(frozen=True)
class _Slang:
    terms: tuple[SlangTerm, ...]
    guards: Alternation[int]
    plain: Alternation[int]  # terms matched on folded text, always
    sensitive_verbatim: Alternation[int]  # accent-sensitive terms, text typed with diacritics
    sensitive_folded: Alternation[int]  # accent-sensitive terms, text typed without
    unless: Alternation[int]
    regexes: tuple[tuple[int, re.Pattern[str]], ...]
    media_heads: PhraseMatcher[str]
    media_heads_unless: tuple[str, ...]  # folded
    media_heads_branded: tuple[str, ...]  # folded
    media_formats: Alternation[str]  # folded
    copy_strong: frozenset[tuple[str, ...]]
    copy_weak: frozenset[tuple[str, ...]]
    copy_lengths: tuple[int, ...]  # the copy markers' word counts, longest first
    countries: frozenset[tuple[str, ...]]  # country names as phrase tokens (countries.yaml)
    # `quotes_a_work` by a title's head: heads repeat across listings, their scan need not.
    heads_quoting: Memo[str, bool] = field(default_factory=Memo)
    # `path_quotes_a_work` by a category path: paths repeat more than heads do.
    paths_quoting: Memo[str, bool] = field(default_factory=Memo)


def _regex_forms(term: SlangTerm) -> list[str]:
    return [term.term, *term.variants]


@per_rules
def _compiled(rules: RuleSet) -> _Slang:
    terms = tuple(rules.slang.terms)
    plain: list[tuple[str, int]] = []
    verbatim: list[tuple[str, int]] = []
    folded: list[tuple[str, int]] = []
    unless: list[tuple[str, int]] = []
    for i, term in enumerate(terms):
        forms = _regex_forms(term)
        if term.accent_sensitive:
            verbatim += [(lower_nfc(f), i) for f in forms]
            # Without diacritics in the text, only the forms written without them apply.
            folded += [(fold(f), i) for f in forms if not has_vietnamese_marks(f)]
        else:
            plain += [(fold(f), i) for f in forms]
        unless += [(fold(u), i) for u in term.unless]
    return _Slang(
        terms=terms,
        guards=Alternation((fold(g), 0) for g in rules.slang.guards),
        plain=Alternation(plain),
        sensitive_verbatim=Alternation(verbatim),
        sensitive_folded=Alternation(folded),
        unless=Alternation(unless),
        # One search per term: its patterns as one alternation.
        regexes=tuple(
            (i, re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in term.regex) + r")(?!\w)"))
            for i, term in enumerate(terms) if term.regex
        ),
        media_heads=PhraseMatcher((h, h) for h in rules.slang.media_heads),
        media_heads_unless=tuple(fold(h) for h in rules.slang.media_heads_unless),
        media_heads_branded=tuple(fold(h) for h in rules.slang.media_heads_branded),
        media_formats=Alternation((fold(f), f) for f in rules.slang.media_formats),
        copy_strong=frozenset(t for m in rules.slang.copy_markers.strong if (t := brand_tokens(m).plain)),
        copy_weak=frozenset(t for m in rules.slang.copy_markers.weak if (t := brand_tokens(m).plain)),
        copy_lengths=tuple(sorted({len(brand_tokens(m).plain) for m in (*rules.slang.copy_markers.strong,
                                                                       *rules.slang.copy_markers.weak)} - {0},
                                  reverse=True)),
        countries=frozenset(phrase_tokens(n) for c in rules.countries.countries for n in c.names),
    )


def copy_signal(ctx: ListingContext, rules: RuleSet) -> Signal | None:
    """A famous brand or model named as what the goods copy: a copy word right before the
    claim ("kiểu dáng Jordan 1", "giống Dyson V15", "mặt Rolex Daytona")."""
    claims = [m for m in ctx.mentions if m.is_claim]
    if not claims:
        return None
    comp = _compiled(rules)
    cfg = rules.scoring.brand
    tokens = brand_tokens(ctx.listing.title, cfg.collapse_min_letters, cfg.leet_min_letters).plain
    for m in claims:
        for n in comp.copy_lengths:
            words = tokens[m.start - n : m.start] if m.start >= n else ()
            if words in comp.copy_strong or (words in comp.copy_weak and ctx.line is not None):
                what = m.brand.name if ctx.line is None else f"{m.brand.name} {ctx.line.line}"
                marker = " ".join(words)
                return Signal(code="text.copy_model", detector="text", score=rules.scoring.text.copy_model_score,
                              detail=f"'{marker} {m.evidence}': sold as a copy of {what}",
                              detail_vi=f"'{marker} {m.evidence}': rao bán hàng mô phỏng {what}")
    return None


# A brand field of more words is a description, not a maker's name; one of fewer letters
# ("A", "K2") is too easily part of a title by chance.
_DECLARED_MAX_WORDS = 3
_DECLARED_MIN_LETTERS = 3

# A title's head: the first words, after any bracketed promotion ("[FREESHIP] Sách ...").
_HEAD_WORDS = 3


def quotes_a_work(title: str, rules: RuleSet) -> bool:
    """The title's head says the goods are a book, film or album: its slang words are the
    work's name, and its brands the work's subject."""
    head = " ".join(PROMO_PREFIX.sub("", title).split()[:_HEAD_WORDS])
    if head == "":
        return False
    comp = _compiled(rules)
    return comp.heads_quoting.get(head, lambda: _names_a_work(head, comp))


def path_quotes_a_work(category: str | None, rules: RuleSet) -> bool:
    """A level of the platform's category path says the goods are a book, film or album
    ("Nhà Sách Online > Sách Y học & Sức khỏe")."""
    if category is None:
        return False
    comp = _compiled(rules)
    return comp.paths_quoting.get(category, lambda: any(
        quotes_a_work(level, rules) and not fold(level).strip().startswith(comp.media_heads_branded)
        for level in category.split(">")))


def sells_a_work(listing: Listing, folded_title: str, rules: RuleSet, *, by_path: bool) -> bool:
    """The title's head, a format word ("paperback", "NXB") or, `by_path`, a level of the
    platform's category path ("Nhà Sách Tiki > Sách lịch sử > ...") says the goods are a book,
    film or album."""
    return (quotes_a_work(listing.title, rules)
            or next(_compiled(rules).media_formats.finditer(folded_title), None) is not None
            or (by_path and path_quotes_a_work(listing.category, rules)))


def _names_a_work(head: str, comp: _Slang) -> bool:
    start = fold(head)
    if start.startswith(comp.media_heads_unless):
        return False  # "Phim cách nhiệt 3M": a window film, not a motion picture
    # Only a head noun counts: "Cặp sách hàng rep" is a school bag, not a book.
    return any(start.startswith(fold(m.text)) for m in comp.media_heads.finditer(head))


def find_slang(text: str, branded: bool, rules: RuleSet) -> list[tuple[SlangTerm, str]]:
    """Slang terms in `text` with the words that matched, guards and conditions applied."""
    comp = _compiled(rules)
    text = text[: rules.scoring.text.max_chars]
    folded = fold(text)
    masked = comp.guards.sub(folded, " | ")
    accented = has_vietnamese_marks(text)
    found: dict[int, str] = {}
    for idx, words, _, _ in comp.plain.finditer(masked):
        found.setdefault(idx, words)
    if accented:
        for idx, words, _, _ in comp.sensitive_verbatim.finditer(lower_nfc(text)):
            found.setdefault(idx, words)
    else:
        for idx, words, _, _ in comp.sensitive_folded.finditer(masked):
            found.setdefault(idx, words)
    for idx, pattern in comp.regexes:
        if idx not in found:
            m = pattern.search(masked)
            if m is not None:
                found[idx] = m.group(0)
    if not found:
        return []
    vetoed = {idx for idx, _, _, _ in comp.unless.finditer_overlapping(folded)}
    out = []
    for idx in sorted(found):
        term = comp.terms[idx]
        if idx in vetoed or (term.requires_brand and not branded):
            continue
        out.append((term, found[idx]))
    return out


def names_declared_brand(ctx: ListingContext, rules: RuleSet) -> bool:
    """Health goods whose brand field names a brand the registry does not hold, named in the
    title too: "loại 1" or "VNXK" there is said of a brand ("Sữa HIPP Organic 800g VNXK",
    brand field "HiPP"). A frequent word or a country in the field ("Cotton", "Thái Lan")
    names no maker."""
    value = ctx.listing.brand
    if (ctx.declared_kind != "unknown" or value is None
            or ctx.category not in rules.scoring.text.declared_brand_categories):
        return False
    words = phrase_tokens(value)
    if not words or len(words) > _DECLARED_MAX_WORDS or len("".join(words)) < _DECLARED_MIN_LETTERS:
        return False
    comp = _compiled(rules)
    if words in comp.countries or (len(words) == 1 and words[0] in brand_index(rules).common):
        return False
    return names_any(phrase_tokens(ctx.listing.title), (words,))


def factory_signal(ctx: ListingContext, rules: RuleSet) -> Signal | None:
    """A new part sold with a claim of the genuine maker's factory ("cáp Foxconn zin bóc
    máy"): the rubric's rule 6. A used part saying "zin" only says it is original."""
    claim = ctx.form.factory_claim
    if claim is None:
        return None
    return Signal(code="text.factory_claim", detector="text", score=rules.scoring.text.factory_claim_score,
                  detail=f"a new part sold as '{claim}': a claim that it comes from the genuine maker's factory",
                  detail_vi=f"linh kiện mới được rao là '{claim}': tự nhận là hàng từ nhà máy của hãng chính")


# "hàng copy", "bản F1": words that open a grade of goods, never a model's name.
_GRADE_OPENERS = frozenset({"hang", "ban"})


def _names_the_model(ctx: ListingContext, words: str, rules: RuleSet) -> bool:
    """The slang words come right after the brand's name: they name its model ("Remax
    Mirror", "Red Bull F1"), not a grade of copy."""
    cfg = rules.scoring.brand
    tokens = brand_tokens(ctx.listing.title, cfg.collapse_min_letters, cfg.leet_min_letters).plain
    after = tuple(words.split())
    if after[0] in _GRADE_OPENERS:
        return False
    return any(tokens[m.end : m.end + len(after)] == after for m in ctx.mentions if m.is_claim)


def text_signals(ctx: ListingContext, rules: RuleSet) -> list[Signal]:
    listing = ctx.listing
    text = listing.title if listing.description is None else f"{listing.title}\n{listing.description}"
    extra = [s for s in (factory_signal(ctx, rules), copy_signal(ctx, rules)) if s is not None]
    famous = any(b.famous for b in ctx.claimed) or bool(ctx.styled)
    declared = not famous and names_declared_brand(ctx, rules)
    # A brand the registry holds, famous or not, is a maker whose goods are copied ("Pisen
    # hàng copy", "bút Pilot G2 loại 1").
    registered = not famous and not declared and bool(ctx.claimed)
    hits = find_slang(text, famous or declared or registered, rules)
    if hits:
        # A book's title quotes words ("Hàng Giả, Hàng Nhái ..."): only what is said of a printed
        # work ("sách photo") is the seller speaking, and is said of nothing else.
        # The seller picks the path: a title naming goods or a brand ("Giày Nike rep 1:1",
        # "Parker Jotter bản copy") filed under books still sells them.
        work = sells_a_work(listing, ctx.folded_title, rules,
                            by_path=not ctx.claimed and ctx.inferred_category is None)
        hits = [(term, words) for term, words in hits if term.of_works == work]
    if registered:
        hits = [(term, words) for term, words in hits if not term.requires_brand or not _names_the_model(ctx, words, rules)]
    if not hits:
        return extra
    # Several terms add up (noisy-OR), but never past 1.
    remaining = 1.0
    for term, _ in hits:
        remaining *= 1.0 - term.score
    en = "; ".join(f"'{words}' ({term.en})" for term, words in hits[:4])
    vi = "; ".join(f"'{words}' ({term.vi})" for term, words in hits[:4])
    if (declared or registered) and not ctx.dampened and any(term.requires_brand for term, _ in hits):
        # A famous brand's claim adds its own weak signal (brand.unauthorized); a brand with
        # no such signal (one the registry holds but does not call famous, or one named in
        # the field and the title of health goods) counts as much here.
        said_of = listing.brand if declared else ctx.claimed[0].name
        remaining *= 1.0 - rules.scoring.text.declared_brand_claim_score
        en += f", said of the brand '{said_of}'"
        vi += f", nói về thương hiệu '{said_of}'"
    score = round(1.0 - remaining, 4)
    slang = Signal(code="text.slang", detector="text", score=score,
                   detail=f"counterfeit slang: {en}", detail_vi=f"từ lóng hàng giả: {vi}")
    return [slang, *extra]
