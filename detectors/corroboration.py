"""Whether a brand mention that needs corroboration has it in its listing: a near miss, a code
or a short name counts as a claim only where the category, a product line or the goods back it
(used by `detectors.context.build_context`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detectors.brand import Mention
from detectors.brand_index import brand_index
from detectors.category import categories_compatible
from detectors.claims import goods_code_fits, heads_model_code, makes_goods
from detectors.lines import TitleGrams, names_line_with_goods

if TYPE_CHECKING:
    from rules.loader import Brand, RuleSet


def plausible_fuzzy(m: Mention, inferred: str | None, grams: TitleGrams, rules: RuleSet) -> bool:
    """A near miss (or an ambiguous name) is only a claim with corroboration: the listing's
    category fits the brand ('channel' in a speaker listing is a word, not Chanel), or the
    title names one of the brand's product lines ("Adidaz Ultraboost")."""
    if inferred is not None and (inferred == m.brand.category if m.common
                                 else categories_compatible(m.brand.category, inferred, rules)):
        # A frequent word near a brand ("valentine" serum) needs the brand's own category.
        return True
    return (any(toks in grams for toks in brand_index(rules).lines.get(m.brand.name, ()))
            or names_line_with_goods(grams.tokens, m.brand, rules))


def needs_context(m: Mention, rules: RuleSet) -> bool:
    short = rules.scoring.brand.short_alias_max_length
    letters = m.evidence.replace(" ", "")
    if m.kind == "disguised" and len(letters) > short and not letters.isalpha():
        # Digits for letters ("Supr3me") are written to dodge a filter, on any goods: an
        # ordinary word ("supreme", "coach") is never spelt that way by chance.
        return False
    return m.kind in ("fuzzy", "coded") or m.brand.require_context or len(letters) <= short


def has_context(m: Mention, title: str, grams: TitleGrams, mentions: list[Mention], inferred: str | None,
          rules: RuleSet) -> bool:
    """Whether a mention that needs context (`needs_context`) has it in this listing."""
    scoped = goods_code_fits(m, title, grams.tokens, mentions, rules) if m.kind == "coded" else None
    if scoped is not None:
        return scoped and not heads_model_code(title, m.evidence)
    if m.kind == "coded":
        # A code ("MKT", "CK2") is letters anyone may use: it names the brand only on the
        # brand's own kind of goods, or one its category lists ("Đèn LED MKT" is no Makita),
        # and not as the head of a longer model code ("CK2-50781969" is Charles & Keith's).
        # A coined word ("Lafufu", the fakes' name for Labubu) is no one else's letters.
        if m.evidence.isalpha() and len(m.evidence) >= rules.scoring.brand.coined_code_min_letters:
            return True
        words = m.evidence.split()
        if len(words) >= rules.scoring.brand.transliteration_min_words and all(w.isalpha() for w in words):
            return True  # "Lu-i Vi-tông": the brand spelt in Vietnamese syllables, on any goods
        own = rules.category(m.brand.category)
        return (inferred is not None and (inferred == m.brand.category
                                          or (own is not None and inferred in own.related))
                and not heads_model_code(title, m.evidence))
    if m.kind == "fuzzy" or m.brand.require_context:
        return plausible_fuzzy(m, inferred, grams, rules)
    # A short alias ("MLB" in "MLB-5-20x") is dropped only when the category contradicts it.
    return inferred is None or plausible_fuzzy(m, inferred, grams, rules)


def other_maker_declared(brand: Brand, start: int, kind: str, declared: Brand | None, grams: TitleGrams,
                          rules: RuleSet) -> bool:
    """The brand field names another maker of the goods at `start` than `brand`."""
    return (kind == "known" and declared is not None and declared is not brand
            and makes_goods(declared, grams.tokens, start, rules))


__all__ = ["has_context", "needs_context", "other_maker_declared", "plausible_fuzzy"]
