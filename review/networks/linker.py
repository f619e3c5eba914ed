"""Link sellers into networks by what identifies the people behind them (issue 16).

Pure: seller facts in, networks with explained links out; no database, no network.

- **Strong** reasons, one is enough: the same business registration number, phone number,
  e-mail, address (normalized), bank account or Zalo number printed in listing texts.
- **Weak** reasons: near-identical shop names (generic words such as "shop", "chính hãng" or a
  province removed first), the same listing texts. Each is common between strangers, so weak
  reasons join two sellers only when `weak_min_reasons` different ones hold for the pair.

A value that more than `max_sellers_per_value` sellers share (a platform hotline, a
marketplace's warehouse address, a placeholder) identifies no one and links no one.

Product images are not compared: listings store image URLs, not the images, so there is
nothing to compute a perceptual hash from (each platform's CDN gives its own URLs).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Final, Literal

import networkx as nx
from rapidfuzz import fuzz

from review.networks.identifiers import (
    address_key,
    bank_accounts_in,
    business_id_key,
    emails_in,
    name_key,
    phone_key,
    text_key,
    zalo_numbers_in,
)
from rules.networks import NetworksFile

Strength = Literal["strong", "weak"]

#: Reason code -> strength. Codes are stored with each link and labelled in review/web/i18n.py.
REASONS: Final[dict[str, Strength]] = {
    "business_id": "strong",
    "phone": "strong",
    "email": "strong",
    "address": "strong",
    "bank_account": "strong",
    "zalo": "strong",
    "shop_name": "weak",
    "listing_text": "weak",
}


@dataclass(frozen=True, slots=True)
class SellerFacts:
    """What a seller shows about itself: its profile and its listings' texts."""

    pk: int
    platform: str
    seller_key: str
    name: str | None = None
    business_id: str | None = None
    phone: str | None = None
    address: str | None = None
    texts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """One reason why sellers `a` < `b` are run by the same people; `evidence` is the shared value."""

    a: int
    b: int
    reason: str
    evidence: str

    @property
    def strength(self) -> Strength:
        return REASONS[self.reason]


@dataclass(frozen=True, slots=True)
class Network:
    """Sellers joined by links; `id` is the smallest member's pk, so it survives a rebuild
    as long as that seller stays in the network."""

    id: int
    members: tuple[int, ...]
    links: tuple[Link, ...]


@dataclass
class _Pairs:
    links: dict[tuple[int, int], list[Link]] = field(default_factory=lambda: defaultdict(list))

    def add(self, a: int, b: int, reason: str, evidence: str) -> None:
        if a == b:
            return
        lo, hi = (a, b) if a < b else (b, a)
        if all(x.reason != reason or x.evidence != evidence for x in self.links[(lo, hi)]):
            self.links[(lo, hi)].append(Link(lo, hi, reason, evidence))


def find_networks(
    sellers: Sequence[SellerFacts], rules: NetworksFile, generic_words: Iterable[str] = ()
) -> list[Network]:
    """The networks of two or more sellers, largest first, each with the links that join it."""
    pairs = _Pairs()
    _strong_links(sellers, rules, pairs)
    _name_links(sellers, rules, frozenset(generic_words) | frozenset(rules.names.generic_words), pairs)
    _text_links(sellers, rules, pairs)

    graph: nx.Graph[int] = nx.Graph()
    for (a, b), links in pairs.links.items():
        strong = any(x.strength == "strong" for x in links)
        weak_reasons = {x.reason for x in links if x.strength == "weak"}
        if strong or len(weak_reasons) >= rules.weak_min_reasons:
            graph.add_edge(a, b, links=links)
    networks: list[Network] = []
    for component in nx.connected_components(graph):
        members = tuple(sorted(component))
        sub = graph.subgraph(members)
        joined: list[Link] = [x for _, _, data in sub.edges(data=True) for x in data["links"]]
        joined.sort(key=lambda x: (x.a, x.b, x.reason, x.evidence))
        networks.append(Network(id=members[0], members=members, links=tuple(joined)))
    networks.sort(key=lambda n: (-len(n.members), n.id))
    return networks


def _strong_links(sellers: Sequence[SellerFacts], rules: NetworksFile, pairs: _Pairs) -> None:
    # (reason, key) -> sellers. A Zalo number is a phone number: it matches a profile phone too,
    # so both index under ("tel", number) and the reason says where the number was printed.
    holders: dict[tuple[str, str], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for seller in sellers:
        found: list[tuple[str, str | None, str]] = [
            ("business_id", business_id_key(seller.business_id), "business_id"),
            ("tel", phone_key(seller.phone, rules.phone_region), "phone"),
            ("address", address_key(seller.address, rules.addresses), "address"),
        ]
        for text in seller.texts:
            found.extend(("tel", n, "zalo") for n in zalo_numbers_in(text, rules.text_identifiers, rules.phone_region))
            found.extend(("bank_account", n, "bank_account") for n in bank_accounts_in(text, rules.text_identifiers))
            found.extend(("email", e, "email") for e in emails_in(text))
        for kind, key, source in found:
            if key is not None:
                holders[(kind, key)][seller.pk].add(source)
    for (kind, key), by_seller in holders.items():
        if not 2 <= len(by_seller) <= rules.max_sellers_per_value:
            continue
        for a, b in combinations(sorted(by_seller), 2):
            if kind != "tel":
                pairs.add(a, b, kind, key)
                continue
            # Both reasons when both hold: "the same Zalo number" is what an officer can call.
            if "phone" in by_seller[a] and "phone" in by_seller[b]:
                pairs.add(a, b, "phone", key)
            if "zalo" in by_seller[a] or "zalo" in by_seller[b]:
                pairs.add(a, b, "zalo", key)


def _name_links(
    sellers: Sequence[SellerFacts], rules: NetworksFile, generic: frozenset[str], pairs: _Pairs
) -> None:
    keys = {s.pk: name_key(s.name, generic) for s in sellers}
    keys = {pk: k for pk, k in keys.items() if len(k.replace(" ", "")) >= rules.names.min_distinctive_letters}
    # Near-identical names share a distinctive word: compare only those pairs, not all n².
    by_word: dict[str, set[int]] = defaultdict(set)
    for pk, key in keys.items():
        for word in set(key.split()):
            by_word[word].add(pk)
    seen: set[tuple[int, int]] = set()
    names = {s.pk: s.name or "" for s in sellers}
    for group in by_word.values():
        if len(group) > rules.max_sellers_per_value:
            continue
        for a, b in combinations(sorted(group), 2):
            if (a, b) in seen:
                continue
            seen.add((a, b))
            score = fuzz.token_sort_ratio(keys[a], keys[b])
            if score >= rules.names.min_similarity:
                pairs.add(a, b, "shop_name", f"{names[a]} ~ {names[b]} ({score:.0f})")


def _text_links(sellers: Sequence[SellerFacts], rules: NetworksFile, pairs: _Pairs) -> None:
    by_text: dict[str, set[int]] = defaultdict(set)
    for seller in sellers:
        for text in seller.texts:
            key = text_key(text)
            if len(key) >= rules.texts.min_length:
                by_text[key].add(seller.pk)
    shared: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key, group in by_text.items():
        if len(group) > rules.max_sellers_per_value:
            continue
        for a, b in combinations(sorted(group), 2):
            shared[(a, b)].append(key)
    for (a, b), texts in shared.items():
        if len(texts) >= rules.texts.min_shared:
            example = min(texts)
            example = example if len(example) <= 80 else example[:77] + "..."
            pairs.add(a, b, "listing_text", f"{len(texts)} identical listing texts, e.g. '{example}'")
