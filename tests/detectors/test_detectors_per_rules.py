"""`per_rules` caches: the rule set last asked for is answered without reading its version,
and a run that alternates rule sets still gets each one's own value, built once."""

from __future__ import annotations

import shutil
from pathlib import Path

from detectors._cache import per_rules
from detectors.brand_index import brand_index
from rules.loader import PACKAGE_DIR, RuleSet, load_rules


def _edited_rules(tmp_path: Path) -> RuleSet:
    target = tmp_path / "rules"
    shutil.copytree(PACKAGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    scoring = target / "scoring.yaml"
    scoring.write_text(scoring.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    return load_rules(target)


def test_each_rule_set_gets_its_own_value_built_once(tmp_path: Path) -> None:
    default, edited = load_rules(), _edited_rules(tmp_path)
    assert default.version != edited.version
    built: list[str] = []

    @per_rules
    def names(rules: RuleSet) -> tuple[str, int]:
        built.append(rules.version)
        return rules.version, len(built)

    answers = [names(r) for r in (default, default, edited, default, edited, edited)]
    assert [version for version, _ in answers] == [default.version, default.version, edited.version,
                                                  default.version, edited.version, edited.version]
    assert built == [default.version, edited.version]  # the switch back finds the cached value


def test_an_equal_rule_set_loaded_again_shares_the_value(tmp_path: Path) -> None:
    # A second load of the same files is another object with the same version: the cache is by
    # content, as before the last-asked shortcut.
    first = _edited_rules(tmp_path / "a")
    again = _edited_rules(tmp_path / "b")
    assert first is not again and first.version == again.version
    assert brand_index(first) is brand_index(again)
