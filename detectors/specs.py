"""Specifications no genuine product has (`text.impossible_spec`).

Counterfeits of cells and cordless tools advertise numbers the real thing cannot reach: an
18650 lithium cell holds at most about 3,600 mAh, so "NCR18650 6800mAh Panasonic" is a
relabelled cell; cordless tools stop at 40 V (80 V with two packs), so a "Makita 199V" drill
is a copy. Limits and the words that say what is sold live in `rules/scoring.yaml`
(`text.impossible_specs`). Like the other brand-led signals it needs a brand claim.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from detectors._cache import per_rules
from detectors.brand_index import names_any, phrase_tokens
from rules.record import Signal

if TYPE_CHECKING:
    from detectors.context import ListingContext
    from rules.loader import RuleSet

# "18650 6800mah", "ncr18650 3.7v 9800 mah" (folded): the first capacity after the cell size.
_CELL_CAPACITY = re.compile(r"18650.{0,30}?(?<![0-9.,])(\d[\d.,]{2,6})\s?mah\b")
_VOLTS = re.compile(r"(?<![0-9a-z.,-])(\d{2,3})\s?vf?\b")  # "199v", "88vf", "288 v" (not "100-240v")
# Mains voltages: a charger's or a corded tool's input, never the tool's own battery.
_MAINS = frozenset({100, 110, 115, 120, 127, 220, 230, 240, 250})


@per_rules
def _charger(rules: RuleSet) -> re.Pattern[str] | None:
    words = [" ".join(phrase_tokens(w)) for w in rules.scoring.text.impossible_specs.charger_words]
    words = [w for w in words if w]
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b") if words else None


@per_rules
def _heads(rules: RuleSet) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    cfg = rules.scoring.text.impossible_specs

    def tok(words: list[str]) -> tuple[tuple[str, ...], ...]:
        return tuple(t for t in (phrase_tokens(w) for w in words) if t)

    return tok(cfg.cell_words), tok(cfg.not_cell_words), tok(cfg.cordless_tool_words)


def _after_charger(folded: str, at: int, charger: re.Pattern[str] | None) -> bool:
    """The voltage belongs to the charger or the mains ("kèm sạc 21V", "adapter 25V")."""
    return charger is not None and charger.search(folded[max(0, at - 24) : at]) is not None


def impossible_spec(ctx: ListingContext, rules: RuleSet) -> Signal | None:
    if not ctx.claimed or ctx.form.used:
        return None
    cfg = rules.scoring.text.impossible_specs
    folded = ctx.folded_title
    cells, not_cells, tools = _heads(rules)
    charger = _charger(rules)
    if "18650" in folded:
        # Only a title that opens by selling a cell ("Pin 18650", "Pin sạc 3.7V NCR18650"); a
        # laptop battery, a drill pack or a fan "pin 18650" names cells inside something else.
        head = phrase_tokens(ctx.listing.title)[: cfg.head_words]
        hit = _CELL_CAPACITY.search(folded)
        opens = any(head[: len(c)] == c for c in cells)
        if hit is not None and opens and not names_any(head, not_cells):
            mah = int(re.sub(r"[.,]", "", hit.group(1)))
            if mah > cfg.max_18650_mah:
                return _signal(f"an 18650 cell of {mah:,} mAh (none holds more than {cfg.max_18650_mah:,})",
                               f"pin 18650 {mah:,} mAh (không pin nào quá {cfg.max_18650_mah:,} mAh)", rules)
    volts = max((int(m.group(1)) for m in _VOLTS.finditer(folded)
                 if int(m.group(1)) not in _MAINS and not _after_charger(folded, m.start(), charger)), default=0)
    # The voltage first: a two- or three-digit one is rare, the tool words' walk is not cheap.
    if volts > cfg.max_cordless_volts and names_any(phrase_tokens(ctx.listing.title), tools):
        return _signal(f"a cordless tool of {volts} V (none runs above {cfg.max_cordless_volts} V)",
                       f"máy dùng pin {volts} V (không máy nào quá {cfg.max_cordless_volts} V)", rules)
    return None


def _signal(what: str, what_vi: str, rules: RuleSet) -> Signal:
    return Signal(
        code="text.impossible_spec", detector="text", score=rules.scoring.text.impossible_specs.score,
        detail=f"claims {what}: a specification no genuine product has",
        detail_vi=f"ghi {what_vi}: thông số không sản phẩm chính hãng nào có",
    )
