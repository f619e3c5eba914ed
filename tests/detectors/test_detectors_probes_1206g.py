"""Patterns found at the fourteenth detector pass (2026-12-06), tested on titles of the same kind."""

from __future__ import annotations

from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, score


def test_a_sanest_can_named_apart_from_its_brand_is_priced_as_a_can(make: MakeListing, rules: RuleSet) -> None:
    # "Sanest Khánh Hòa lon 190ml": the can's own words are apart from the name, which alone
    # means the six-jar box; a 14k can is honest, a six-jar box at 90k is not.
    assert not score(make, rules, "Nước yến Sanest Khánh Hòa lon 190ml", 14_000).flagged
    assert not score(make, rules, "Nước yến sào Sanest Khánh Hòa có đường lon 190 ml", 15_000).flagged
    assert score(make, rules, "Nước yến Sanest Khánh Hòa hộp 6 lọ 70ml", 90_000).flagged
