"""rules/monitors.yaml (issue 17): validated like every rule file, errors name file, line and
field, and `listingwatch rules check` reports them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rules.loader import RulesError, check_rules, load_monitors

ROOT = Path(__file__).resolve().parents[2]


def _line(path: Path, start: str, after: int = 0) -> int:
    rows = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, row in enumerate(rows, 1) if i > after and row.strip().startswith(start))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_monitors_load() -> None:
    monitors = load_monitors()
    assert set(monitors.monitors) == {"min_listings", "max_block_rate", "max_extraction_errors"}
    assert monitors.levels("max_block_rate", "demo-shopee") == (0.15, 0.5)  # demo-* uses the platform's
    assert monitors.levels("min_listings", "web") == (5, 1)
    assert monitors.levels("min_listings", "tiki") == (20, 5)


def test_a_wrong_type_names_file_line_and_field(rules_copy: Path) -> None:
    path = rules_copy / "monitors.yaml"
    _edit(path, "    fail: 0.25", "    fail: lots")
    with pytest.raises(RulesError) as caught:
        load_monitors(rules_copy)
    assert caught.value.field == "monitors.max_block_rate.fail"
    assert caught.value.line == _line(path, "fail: lots")
    assert str(caught.value).startswith(f"{path}:{caught.value.line}: monitors.max_block_rate.fail:")


def test_an_unknown_monitor_or_key_is_reported_where_it_is(rules_copy: Path) -> None:
    path = rules_copy / "monitors.yaml"
    _edit(path, "    min_listings: {warn: 5, fail: 1}\n", "    min_listing: {warn: 5, fail: 1}\n")
    with pytest.raises(RulesError) as caught:
        load_monitors(rules_copy)
    assert caught.value.line == _line(path, "min_listing:")
    assert caught.value.field is not None and "min_listing" in caught.value.field


def test_an_override_that_inverts_the_levels_names_its_line(rules_copy: Path) -> None:
    path = rules_copy / "monitors.yaml"
    # shopee would warn at 60% blocked but fail (the monitor's own level) at 25%: upside down.
    _edit(path, "max_block_rate: {warn: 0.15, fail: 0.5}", "max_block_rate: {warn: 0.6}")
    with pytest.raises(RulesError) as caught:
        load_monitors(rules_copy)
    assert caught.value.field == "platforms.shopee.max_block_rate"
    assert caught.value.line == _line(path, "max_block_rate: {warn: 0.6}")
    assert "must not be below warn" in caught.value.message


def test_rules_check_reports_a_broken_monitors_yaml(rules_copy: Path) -> None:
    path = rules_copy / "monitors.yaml"
    _edit(path, "    kinds: [nightly, demo, manual]", "    kinds: [nightly, weekly]")
    problems = check_rules(rules_copy)
    assert len(problems) == 1 and problems[0].startswith(f"{path}:{_line(path, 'kinds: [nightly, weekly]')}:")
    checked = subprocess.run([sys.executable, "-m", "listingwatch", "rules", "check", "--rules", str(rules_copy)],
                             capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert checked.returncode == 1
    assert "monitors.yaml:" in checked.stderr.replace("\n", "") and "min_listings.kinds" in checked.stderr


def test_a_site_copy_without_monitors_yaml_uses_the_packaged_one(rules_copy: Path) -> None:
    (rules_copy / "monitors.yaml").unlink()
    assert load_monitors(rules_copy) == load_monitors()
