"""Product identity before price: the form of what a listing sells.

A price says something only against the same product in the same form. This module reads a
title for the condition (new or used), the kind (full size, sample/decant, refill, a part or
accessory for a device), the size per item (ml, g or a count) and the pack count, using the
word lists of `rules/forms.yaml`. Pure and cheap: a few regex passes per title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from detectors._cache import per_rules
from detectors.phrases import Match, PhraseMatcher
from detectors.textnorm import fold, has_vietnamese_marks

if TYPE_CHECKING:
    from rules.loader import RuleSet

Kind = Literal["full", "sample", "variant", "refill", "part"]

# "100ml", "1.5 l", "900g", "30 viên", "2x50ml"; the unit must end the word ("10 giờ" is no gram).
_SIZE = re.compile(r"(?<![0-9a-z.,])(\d{1,5}(?:[.,]\d{1,3})?)\s?([a-z]{1,4})\b")
_TIMES = re.compile(r"(?<![0-9a-z])(?:x\s?(\d{1,3})|(\d{1,3})\s?x)(?![0-9a-z])")


@dataclass(frozen=True, slots=True)
class ProductForm:
    used: bool
    kind: Kind
    size: float | None  # per item, in `unit`
    unit: str | None  # "ml", "g" or "count"
    pack: int  # items sold together (1 when no count is given)
    evidence: str | None  # the words that decided `used`/`kind`, quoted to analysts
    part: str | None = None  # the part or accessory noun heading the title, even when the brand sells it

    @property
    def comparable_new(self) -> bool:
        """Whether the listing can be priced against a new full-size product at all."""
        return not self.used and self.kind == "full"

    def per_unit_of(self, size: float, unit: str) -> float | None:
        """How many reference packs of `size` `unit` this listing sells (None: unknown)."""
        if self.size is None or self.unit != unit or size <= 0:
            return None
        return self.size * self.pack / size


@dataclass(frozen=True)
class _Compiled:
    used: PhraseMatcher[str]
    used_unless: PhraseMatcher[str]
    sample: PhraseMatcher[str]
    sample_needs_size: PhraseMatcher[str]
    variant: PhraseMatcher[str]
    refill: PhraseMatcher[str]
    parts: PhraseMatcher[str]
    parts_unless: PhraseMatcher[str]
    factory: PhraseMatcher[str]
    weak_factory: PhraseMatcher[str]
    new_accessories: PhraseMatcher[str]
    new_claims: PhraseMatcher[str]
    sets: frozenset[str]
    units: dict[str, tuple[str, float]]


@per_rules
def _compiled(rules: RuleSet) -> _Compiled:
    f = rules.forms

    def matcher(words: list[str]) -> PhraseMatcher[str]:
        return PhraseMatcher((w, w) for w in words)

    return _Compiled(
        used=matcher(f.used), used_unless=matcher(f.used_unless), sample=matcher(f.sample), sample_needs_size=matcher(f.sample_needs_size), variant=matcher(f.variant),
        refill=matcher(f.refill), parts=matcher(f.parts), parts_unless=matcher(f.parts_unless), factory=matcher(f.factory_claims),
        weak_factory=matcher(f.weak_factory_claims), new_accessories=matcher(f.new_accessories),
        new_claims=matcher(f.new_claims),
        sets=frozenset(fold(s) for s in f.sets),
        units={fold(k): (u.base, u.factor) for k, u in f.units.items()},
    )


def _size(folded: str, comp: _Compiled) -> tuple[float | None, str | None, int]:
    """First size with a known unit, and the pack count ("set 3", "combo 2", "2 x 50ml")."""
    size: float | None = None
    unit: str | None = None
    for m in _SIZE.finditer(folded):
        hit = comp.units.get(m.group(2))
        if hit is None:
            continue
        value = float(m.group(1).replace(",", "."))
        base, factor = hit
        if base == "count":
            continue  # "30 viên" is a pack size, read below
        size, unit = value * factor, base
        break
    pack = 1
    words = folded.split()
    for i, w in enumerate(words[:-1]):
        if w in comp.sets and words[i + 1].isdigit() and 1 < int(words[i + 1]) <= 50:
            pack = int(words[i + 1])
            break
    if pack == 1:
        times = _TIMES.search(folded)
        if times is not None:
            n = int(times.group(1) or times.group(2))
            if 1 < n <= 50:
                pack = n
    return size, unit, pack


def _strip(text: str, unless: PhraseMatcher[str], accented: bool) -> str:
    for m in unless.finditer(text, None, accented):
        text = text.replace(m.text, " ")
    return text


def _part(head: str, comp: _Compiled) -> Match[str] | None:
    """The part noun of a (folded) title head, phrases naming whole products left out."""
    return comp.parts.search(_strip(head, comp.parts_unless, False), None, False)


def parse_form(title: str, rules: RuleSet, head: str | None = None, folded: str | None = None,
               accented: bool | None = None) -> ProductForm:
    """The form of what `title` sells. `head` is the part of the title before the brand or
    product line it names (folded); a part noun there makes the listing a part or accessory."""
    comp = _compiled(rules)
    if folded is None:
        folded = fold(title)
    if accented is None:
        accented = has_vietnamese_marks(title)
    used_hit = comp.used.search(title, folded, accented)
    if used_hit is not None and comp.used_unless.search(title, folded, accented) is not None:
        # "củ sạc" contains no "cũ"; only count a used word outside the innocent phrases.
        innocent = {m.text for m in comp.used_unless.finditer(title, folded, accented)}
        stripped = title
        for phrase in innocent:
            stripped = re.sub(re.escape(phrase), " ", stripped, flags=re.IGNORECASE)
        used_hit = comp.used.search(stripped)
    kind: Kind = "full"
    evidence = used_hit.text if used_hit is not None else None
    part = _part(head, comp) if head else None
    if part is not None:
        kind, evidence = "part", part.text
    else:
        variant = comp.variant.search(title, folded, accented)
        sample = comp.sample.search(title, folded, accented) if variant is None else None
        refill = comp.refill.search(title, folded, accented) if variant is None and sample is None else None
        if variant is not None:
            kind, evidence = "variant", variant.text
        elif sample is not None:
            kind, evidence = "sample", sample.text
        elif refill is not None:
            kind, evidence = "refill", refill.text
    size, unit, pack = _size(folded, comp)
    mini = comp.sample_needs_size.search(title, folded, accented) if kind == "full" and size is not None else None
    if mini is not None:
        kind, evidence = "sample", mini.text
    return ProductForm(used=used_hit is not None, kind=kind, size=size, unit=unit, pack=pack, evidence=evidence,
                       part=None if part is None else part.text)


def factory_claim(form: ProductForm, title: str, rules: RuleSet, folded: str | None = None,
                  accented: bool | None = None) -> str | None:
    """A claim that a new part comes from the genuine maker's factory ("cáp Foxconn", "zin bóc
    máy"), or None. "Zin" alone counts only on an accessory sold new or a part called new."""
    if form.used or form.part is None:
        return None
    comp = _compiled(rules)
    hit = comp.factory.search(title, folded, accented)
    if hit is not None:
        return hit.text
    weak = comp.weak_factory.search(title, folded, accented)
    if weak is None:
        return None
    sold_new = (comp.new_accessories.search(form.part, form.part, False) is not None
                or comp.new_claims.search(title, folded, accented) is not None)
    return weak.text if sold_new else None


__all__ = ["ProductForm", "factory_claim", "parse_form"]
