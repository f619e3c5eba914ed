"""Product identity before price: the form of what a listing sells.

A price says something only against the same product in the same form. This module reads a
title for the condition (new or used), the kind (full size, sample/decant, refill, a part or
accessory for a device), the size per item (ml, g or a count) and the pack count, using the
word lists of `rules/forms.yaml`. Pure and cheap: a few regex passes per title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from detectors._cache import Memo, per_rules
from detectors.money import PriceError, parse_price
from detectors.phrases import Match, PhraseMatcher, lower_nfc
from detectors.textnorm import PROMO_PREFIX, fold, has_vietnamese_marks, tokens

if TYPE_CHECKING:
    from rules.loader import RuleSet

Kind = Literal["full", "sample", "variant", "refill", "part"]

# "100ml", "1.5 l", "900g", "30 viên", "2x50ml"; the unit must end the word ("10 giờ" is no gram),
# and a number after letters and a hyphen is a model code ("MTP-1374L" is a Casio, not 1,374 litres).
_NETWORK_GENERATIONS = frozenset({"2g", "3g", "4g", "5g"})
_SIZE = re.compile(r"(?<![0-9a-z.,])(?<![a-z]-)(\d{1,5}(?:[.,]\d{1,3})?)\s?([a-z]{1,4})\b")
# Storage capacities: "1TB", "2 tb", "256GB", "128G" (folded). A bare "g" is a capacity only
# as a power of two of at least 16 ("4G" is a network, "500g" a weight), a bare "t" only up
# to 16 ("48T" counts a chainring's teeth).
_CAPACITY = re.compile(r"(?<![0-9a-z.,])(\d{1,4}(?:[.,]\d{1,2})?)\s?(tb|gb|t|g)\b")
_POWERS_OF_TWO_GB = frozenset({16.0, 32.0, 64.0, 128.0, 256.0, 512.0})
_TIMES = re.compile(r"(?<![0-9a-z])(?:x\s?(\d{1,3})|(\d{1,3})\s?x)(?![0-9a-z])")


# A hand-written `__init__`; the dataclass keeps its fields, `replace`, repr, equality and hash.
# The frozen `__init__` the dataclass module generates sets each field through
# `object.__setattr__`, interpreted even in the compiled build (about 2 µs a listing for this
# one); so the class is not frozen, and nothing assigns a field after `__init__` (`replace`
# makes a changed copy).
@dataclass(slots=True, init=False, unsafe_hash=True)
class ProductForm:
    used: bool
    kind: Kind
    size: float | None  # per item, in `unit`
    unit: str | None  # "ml", "g" or "count"
    pack: int  # items sold together (1 when no count is given)
    evidence: str | None  # the words that decided `used`/`kind`, quoted to analysts
    part: str | None = None  # the part or accessory noun heading the title, even when the brand sells it
    # A claim that this new part comes from the genuine maker's factory ("Foxconn", "zin bóc
    # máy"); "zin" alone counts only on an accessory sold new or a part called new.
    factory_claim: str | None = None
    genuine: bool = False  # the title says the goods are the brand's own ("chính hãng", "original")
    sold_as_new: bool = False  # the title says the unit is new ("mới 100%", "nguyên seal")
    # "nhập Mỹ": used only on goods that sell used unmarked, which the listing context decides
    used_in_used_market: str | None = None
    # Units counted ("vỉ 12 viên": 12, "10 vỉ x 10 viên": 100); the first count when several
    # are given, so a box is never read as more than it holds.
    count: float | None = None
    kids: bool = False  # a children's size ("trẻ em", "TD")
    clearance: bool = False  # near-expiry stock ("cận date", "xả date")
    decant: bool = False  # a sample poured from the full bottle ("chiết"), priced per ml as the bottle is
    each_price: int | None = None  # the price the title states for one item ("combo 10 đôi (10k/đôi)")

    def __init__(self, used: bool, kind: Kind, size: float | None, unit: str | None, pack: int, evidence: str | None,
                 part: str | None = None, factory_claim: str | None = None, genuine: bool = False,
                 sold_as_new: bool = False, used_in_used_market: str | None = None, count: float | None = None,
                 kids: bool = False, clearance: bool = False, decant: bool = False,
                 each_price: int | None = None) -> None:
        self.used, self.kind, self.size, self.unit, self.pack, self.evidence = used, kind, size, unit, pack, evidence
        self.part, self.factory_claim, self.genuine, self.sold_as_new = part, factory_claim, genuine, sold_as_new
        self.used_in_used_market, self.count, self.kids, self.clearance = used_in_used_market, count, kids, clearance
        self.decant, self.each_price = decant, each_price

    @property
    def comparable_new(self) -> bool:
        """Whether the listing can be priced against a new full-size product at all."""
        return not self.used and self.kind == "full"

    def per_unit_of(self, size: float, unit: str) -> float | None:
        """How many reference packs of `size` `unit` this listing sells (None: unknown)."""
        if unit == "count":
            return None if self.count is None or size <= 0 else self.count / size
        if self.size is None or self.unit != unit or size <= 0:
            return None
        return self.size * self.pack / size

    def states(self, unit: str) -> bool:
        """Whether the title gives its size in `unit`'s terms (a volume or weight, or a count)."""
        return self.count is not None if unit == "count" else self.size is not None


@dataclass(frozen=True)
class _Compiled:
    # Every title word list in one matcher (one pass over the title instead of one per list),
    # each phrase tagged with the lists that hold it.
    words: PhraseMatcher[frozenset[str]]
    used: PhraseMatcher[str]  # alone, for the rare title that also holds an innocent look-alike
    parts: PhraseMatcher[str]
    parts_unless: PhraseMatcher[str]
    new_accessories: PhraseMatcher[str]
    sets: frozenset[str]
    times_unless: tuple[tuple[str, ...], ...]  # folded words before "x10" that make it a guarantee
    containers: frozenset[str]
    gift_end: re.Pattern[str] | None  # a gift word and the items it gives so far, at the end of folded text
    included_end: re.Pattern[str] | None  # the same for the words of what comes with the goods ("fullbox")
    gift_typed: re.Pattern[str] | None  # a gift word as typed, in a title with marks ("tặng", not "tăng")
    units: dict[str, tuple[str, float]]
    counts: re.Pattern[str] | None  # "12 viên", "10 vỉ x 10 viên": the count units of `units`
    each: re.Pattern[str] | None  # "10k/đôi", "40k / chai": a price stated per item (folded)
    goods: PhraseMatcher[str]  # the categories' goods words ("đồng hồ", "giày", "túi xách")
    # `_part` by (head, accented): a title's head repeats across listings, its three phrase
    # scans need not.
    head_parts: Memo[tuple[str, bool], Match[str] | None] = field(default_factory=Memo)


_TITLE_LISTS = ("used", "used_unless", "used_in_used_market", "sample", "decant", "sample_needs_size", "variant",
                "refill", "factory_claims", "weak_factory_claims", "new_claims", "genuine_claims", "sold_as_new",
                "unit_price", "strip_price", "kids", "clearance")


@per_rules
def _compiled(rules: RuleSet) -> _Compiled:
    f = rules.forms

    def matcher(words: list[str]) -> PhraseMatcher[str]:
        return PhraseMatcher((w, w) for w in words)

    tagged: dict[str, set[str]] = {}
    for name in _TITLE_LISTS:
        for phrase in getattr(f, name):
            tagged.setdefault(phrase, set()).add(name)
    return _Compiled(
        words=PhraseMatcher((phrase, frozenset(tags)) for phrase, tags in tagged.items()),
        used=matcher(f.used), parts=matcher(f.parts), parts_unless=matcher(f.parts_unless),
        new_accessories=matcher(f.new_accessories), sets=frozenset(fold(s) for s in f.sets),
        times_unless=tuple(tuple(fold(t).split()) for t in f.times_unless if fold(t).split()),
        containers=frozenset(fold(c) for c in f.containers),
        gift_end=_gift_end_pattern([re.escape(fold(g)) for g in f.gifts], [fold(w) for w in f.gift_sets],
                                   [fold(w) for w in f.gift_set_openers]),
        # (never opening the title: the words there are the head, which `_given_away` keeps sold)
        included_end=_gift_end_pattern([re.escape(fold(w)) for w in f.included],
                                       [fold(w) for w in f.gift_sets], [fold(w) for w in f.gift_set_openers]),
        gift_typed=_words_pattern([lower_nfc(g) for g in f.gifts]),
        units={fold(k): (u.base, u.factor) for k, u in f.units.items()},
        goods=PhraseMatcher((kw, key) for key, cat in rules.categories.categories.items() for kw in cat.keywords),
        counts=_counts_pattern(sorted({fold(k) for k, u in f.units.items() if u.base == "count"}, key=len, reverse=True)),
        each=_each_pattern(sorted({fold(w) for w in f.priced_items}, key=len, reverse=True)),
    )


_MIN_ITEM_PRICE = 1000  # VND


def _each_pattern(items: list[str]) -> re.Pattern[str] | None:
    if not items:
        return None
    words = "|".join(map(re.escape, items))
    return re.compile(rf"(?<![\w.,])(\d{{1,3}}(?:[.,]\d{{3}})*(?:[.,]\d)?\s?(?:k|nghin|ngan|d|vnd)?)\s?/\s?(?:1\s)?(?:{words})(?!\w)")


def _stated_each(folded: str, comp: _Compiled, rules: RuleSet) -> int | None:
    """The price the title states for one item ("(10k/đôi)"), in VND; None when it states none."""
    hit = None if comp.each is None else comp.each.search(folded)
    if hit is None:
        return None
    try:
        each = parse_price(hit.group(1).replace(" ", ""), rules)
    except PriceError:
        return None
    # A bare small number before the slash ("10/hộp") is a count or a date, not dong.
    return each if each is not None and each >= _MIN_ITEM_PRICE else None


def _counts_pattern(units: list[str]) -> re.Pattern[str] | None:
    if not units:
        return None
    unit = "|".join(map(re.escape, units))
    return re.compile(r"(?<![0-9a-z.,])(?:(\d{1,3})\s?(?:vi|hop)\s?x\s?)?(\d{1,4})\s?(?:" + unit + r")\b")


# A strip's tablets: "15 vỉ x 12 viên", or a strip named with its count, "vỉ 12 viên".
_PER_STRIP = re.compile(r"(?<![0-9a-z])vi\s?(?:x\s?(\d{1,3})(?![0-9])|(\d{1,3})\s?vien\b)")


def _count_sold(folded: str, found: dict[str, str], comp: _Compiled) -> float | None:
    """Units the price buys: the title's count, unless it says the price is for one unit
    ("giá bán 1 viên") or one strip ("bán lẻ theo vỉ" of a "15 vỉ x 12 viên" box)."""
    if "unit_price" in found:
        return 1.0
    if "strip_price" in found:
        strip = _PER_STRIP.search(folded)
        return None if strip is None else float(int(strip.group(1) or strip.group(2)))
    return _count(folded, comp)


def _count(folded: str, comp: _Compiled) -> float | None:
    """Units the title counts: the first count given, times the strips or boxes it is given per."""
    if comp.counts is None:
        return None
    hit = comp.counts.search(folded)
    if hit is None or int(hit.group(2)) == 0:
        return None
    return float(int(hit.group(2)) * (int(hit.group(1)) if hit.group(1) else 1))


def pack_lead(tokens: tuple[str, ...], rules: RuleSet) -> int:
    """How many leading folded tokens only announce a pack ("set 3 chai", "combo 4 tuyp"): a
    set word, its count and a container; 0 when the tokens do not open that way."""
    comp = _compiled(rules)
    if len(tokens) < 2 or tokens[0] not in comp.sets or not tokens[1].isdigit():
        return 0
    return 3 if len(tokens) > 2 and tokens[2] in comp.containers else 2


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
        if m.group(0) in _NETWORK_GENERATIONS and size is None:
            # "Similac 5G ... 900g", "Sim 4G ... 500g": a network or product generation when a
            # size follows; only as the title's one size is "5g" five grams.
            size, unit = value * factor, base
            continue
        size, unit = value * factor, base
        break
    pack = 1
    words = folded.split()
    # Most titles name no set word: one C-level set test instead of a walk over the words.
    for i, w in enumerate(words[:-1] if not comp.sets.isdisjoint(words) else ()):
        if w in comp.sets and words[i + 1].isdigit() and 1 < int(words[i + 1]) <= 50:
            pack = int(words[i + 1])
            break
    if pack == 1:
        times = _TIMES.search(folded)
        before = tuple(folded[: times.start()].split()) if times is not None else ()
        if times is not None and not any(before[-len(t):] == t for t in comp.times_unless):
            n = int(times.group(1) or times.group(2))
            if 1 < n <= 50:
                pack = n
    return size, unit, pack


def listed_capacities_gb(folded: str, accepts: re.Pattern[str] | None = None) -> list[float]:
    """Storage capacities a folded title states, in GB; those right after an `accepts`
    phrase ("hỗ trợ thẻ nhớ tới 256GB": what a device takes) left out."""
    out: list[float] = []
    for m in _CAPACITY.finditer(folded):
        value, unit = float(m.group(1).replace(",", ".")), m.group(2)
        if (unit == "g" and value not in _POWERS_OF_TWO_GB) or (unit == "t" and value > 16):
            continue
        if accepts is not None and accepts.search(folded[: m.start()]) is not None:
            continue
        out.append(value * 1024 if unit in ("tb", "t") else value)
    return out


def _strip(text: str, unless: PhraseMatcher[str], accented: bool) -> str:
    for m in unless.finditer(text, None, accented):
        text = text.replace(m.text, " ")
    return text


_WORD = re.compile(r"[0-9a-z]+")


# How many folded words each written word makes: the title words of `raw_head` repeat
# across listings, so each is folded and split once. Bounded like the title-word cache.
_WORD_COUNTS_MAX = 50_000
_word_counts: dict[str, int] = {}


def raw_head(title: str, tokens: int) -> str:
    """The title as written up to its first `tokens` folded words: accents kept, so "đế"
    (a base) is not read in "Bleu de Chanel"."""
    out: list[str] = []
    seen = 0
    counts = _word_counts
    for word in title.split():
        if seen >= tokens:
            break
        out.append(word)
        count = counts.get(word)
        if count is None:
            count = len(_WORD.findall(fold(word)))
            if len(counts) >= _WORD_COUNTS_MAX:
                counts.clear()
            counts[word] = count
        seen += count
    return " ".join(out)


def _part(head: str, comp: _Compiled, accented: bool) -> Match[str] | None:
    """The part noun of a title head, phrases naming whole products left out. A part word after
    a goods word describes the goods: "Đồng hồ dây thép", "Giày đế cao su", "Túi xách dây xích"
    sell a watch, shoes and a bag; after anything else ("Dây đồng hồ", "Hot ốp lưng", "Dịch vụ
    thay màn hình") the listing sells the part."""
    text = _strip(lower_nfc(PROMO_PREFIX.sub("", head)), comp.parts_unless, accented)
    words: list[str] | None = None
    first: tuple[int, Match[str]] | None = None
    for hit in comp.parts.finditer(text, None, accented):
        if words is None:
            words = tokens(text)
        part = tokens(hit.text)
        at = next((i for i in range(len(words) - len(part) + 1) if words[i : i + len(part)] == part), 0)
        if first is None or at < first[0]:
            first = (at, hit)
    if first is None or words is None:
        return None
    at, hit = first
    before = " ".join(words[:at])
    return hit if not before or comp.goods.search(before, before, False) is None else None



_SEPARATED_LETTERS = re.compile(r"(?<=[a-z])[.\-_*'·](?=[a-z])")


def _separated_factory_claim(title: str, folded: str, comp: _Compiled) -> str | None:
    """A factory claim written with separators to dodge filters ("F.OXCONN"), as written."""
    joined = _SEPARATED_LETTERS.sub("", folded)
    if joined == folded:
        return None
    for m in comp.words.finditer(joined, joined, False):
        if "factory_claims" in m.value:
            return next((w for w in title.split() if _SEPARATED_LETTERS.sub("", fold(w)).find(m.text) >= 0), m.text)
    return None


# What a gift word gives, as a list: "tặng tất + móc khóa" gives the keychain too. Items are
# joined by "+" or "&" only ("và", "kèm" also join what is sold), each a few words at most,
# within one clause (no comma, bracket or dash).
_GIFT_ITEMS = r"(?:[^,;|()\[\]\-+&]{1,30}[+&]\s*){0,3}"
# The most of a title before a phrase that a gift word and its items can take: the window folded.
_GIFT_REACH = 160


def _gift_end_pattern(words: list[str], gift_sets: list[str], openers: list[str]) -> re.Pattern[str] | None:
    """`words`: regular expressions of the gift words."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return None
    # One look-behind per phrase: Python's look-behinds are of fixed width.
    not_a_set = "".join(f"(?<!{re.escape(w)} )" for w in sorted({w for w in gift_sets if w}))
    not_a_set += "".join(f"(?<!^{re.escape(w)} )" for w in sorted({w for w in openers if w}))
    return re.compile(rf"(?<!\w){not_a_set}(?:{'|'.join(words)})(?:\s+{_GIFT_ITEMS})?$")


def _words_pattern(words: list[str]) -> re.Pattern[str] | None:
    kept = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, kept))})(?!\w)") if kept else None


def _given_away(match: Match[frozenset[str]], title: str, folded_title: str, comp: _Compiled,
                head: str | None) -> bool:
    """Whether this occurrence of a phrase is a gift thrown in ("Tặng túi giấy", "tặng tất +
    móc khóa") or comes with the goods ("..., fullbox túi giấy"). Only the words before it count:
    "Sữa tắm Dior tặng sữa tắm mini" sells the first. What comes with the goods comes after the
    goods the `head` names before the brand ("Vòng tay Pandora ..., fullbox túi giấy"); with no
    head ("Chanel Bleu fullbox lăn khử mùi") or the phrase in it ("Hàng auth fullbox sữa tắm
    nước hoa Chanel") the phrase is what is sold."""
    if comp.gift_end is None and comp.included_end is None:
        return False
    accented = has_vietnamese_marks(title)
    # Folded, "tăng" (more) and "tầng" (tier) read as "tặng": in a title typed with marks a
    # gift word must be typed.
    gifts_typed = not accented or (comp.gift_typed is not None and comp.gift_typed.search(lower_nfc(title)) is not None)
    # The matcher reads accented phrases in the lowercased title as typed, the rest folded.
    marked = accented and has_vietnamese_marks(match.text)
    text = lower_nfc(title) if marked else folded_title
    start = match.start
    window = text[max(0, start - _GIFT_REACH) : start]
    if start > _GIFT_REACH:
        # From a word's start ("tặng" of a cut "hàngtặng" is no word), and not the title's start
        # (where a gift-set opener would stand): "|" ends any clause a gift word could open.
        window = "| " + window.partition(" ")[2]
    before = fold(window) if marked else window.rstrip()
    if gifts_typed and comp.gift_end is not None and comp.gift_end.search(before) is not None:
        return True
    return (comp.included_end is not None and head is not None and fold(match.text) not in fold(head)
            and comp.included_end.search(before) is not None)


def _without_innocent(title: str, folded: str, accented: bool, comp: _Compiled) -> str:
    """`title` with each innocent phrase the matcher found there blanked out, that occurrence
    only: "chưa qua sử dụng nhiều, sạc chưa qua sử dụng" keeps its first, used, phrase whole
    (blanking every copy of the later "chưa qua sử dụng" would leave "nhiều")."""
    stripped = title
    cursor, previous = 0, -1
    for m in comp.words.finditer(title, folded, accented):
        if m.start < previous:
            cursor = 0  # the matcher reads the folded text, then the title again from its start
        previous = m.start
        where = re.compile(re.escape(m.text), re.IGNORECASE).search(stripped, cursor)
        if where is None:
            continue  # found in the folded text only ("cu sac" is not how "Củ sạc" is written)
        cursor = where.end()
        if "used_unless" in m.value:
            stripped = stripped[: where.start()] + " " * len(where.group()) + stripped[where.end() :]
    return stripped


def parse_form(title: str, rules: RuleSet, head: str | None = None, folded: str | None = None,
               accented: bool | None = None) -> ProductForm:
    """The form of what `title` sells. `head` is the part of the title before the brand or
    product line it names (as written, see `raw_head`); a part noun there makes the listing a
    part or accessory."""
    comp = _compiled(rules)
    if folded is None:
        folded = fold(title)
    if accented is None:
        accented = has_vietnamese_marks(title)
    found: dict[str, str] = {}
    for m in comp.words.finditer(title, folded, accented, overlapping=True):
        for tag in m.value:
            if tag == "variant" and _given_away(m, title, folded, comp, head):
                continue  # "Tặng túi giấy": a paper bag thrown in is not what is sold
            found.setdefault(tag, m.text)
    used = found.get("used")
    if used is not None and "used_unless" in found:
        # "củ sạc" contains no "cũ"; only count a used word outside the innocent phrases.
        hit = comp.used.search(_without_innocent(title, folded, accented, comp))
        used = None if hit is None else hit.text
    if "decant" in found:
        found.setdefault("sample", found["decant"])  # a decant is a sample form ("chiết 10ml")
    kind: Kind = "full"
    evidence = used
    part = comp.head_parts.get((head, accented), lambda: _part(head, comp, accented)) if head else None
    size, unit, pack = _size(folded, comp)
    if part is not None:
        kind, evidence = "part", part.text
    else:
        kinds: tuple[Kind, ...] = ("variant", "sample", "refill")
        for form_kind in kinds:
            if form_kind in found:
                kind, evidence = form_kind, found[form_kind]
                break
        else:
            if size is not None and "sample_needs_size" in found:
                kind, evidence = "sample", found["sample_needs_size"]
    factory = None
    if used is None and part is not None:
        factory = found.get("factory_claims") or _separated_factory_claim(title, folded, comp)
        weak = found.get("weak_factory_claims")
        # "new 100%" says new as much as "new" does (the longer phrase is the one found).
        if factory is None and weak is not None and (
                "new_claims" in found or "sold_as_new" in found or comp.new_accessories.search(part.text) is not None):
            factory = weak  # "zin" on a cable sold new, or on a part called new
    return ProductForm(used=used is not None, kind=kind, size=size, unit=unit, pack=pack, evidence=evidence,
                       part=None if part is None else part.text, factory_claim=factory,
                       genuine="genuine_claims" in found, sold_as_new="sold_as_new" in found and used is None,
                       count=_count_sold(folded, found, comp), kids="kids" in found,
                       clearance="clearance" in found, decant=kind == "sample" and "decant" in found,
                       used_in_used_market=found.get("used_in_used_market"),
                       each_price=_stated_each(folded, comp, rules) if "/" in folded else None)


__all__ = ["ProductForm", "parse_form"]
