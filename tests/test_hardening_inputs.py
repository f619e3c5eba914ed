"""Inputs out of range or built to exhaust (issue 14 item 10): refused quickly, in one line."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from review.evidence import (
    MANIFEST,
    MANIFEST_HASH,
    EvidenceConfigError,
    load_evidence_settings,
    verify_bundle,
)
from review.zip_hash import MAX_ENTRY_BYTES
from rules.loader import RulesError, load_rules
from rules.yaml_guard import MAX_ALIASES

PACKAGED = Path(__file__).resolve().parents[1] / "rules"
ROOT = Path(__file__).resolve().parents[1]

BOMB = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi", strict=True)]
) + "\n"


def _rules_copy(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(PACKAGED, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_yaml_alias_bomb_in_a_rules_file_is_refused_quickly(tmp_path: Path) -> None:
    folder = _rules_copy(tmp_path, "slang.yaml", BOMB)
    started = time.monotonic()
    with pytest.raises(RulesError, match="aliases expand to more than"):
        load_rules(folder)
    assert time.monotonic() - started < 10


def test_too_many_aliases_are_refused(tmp_path: Path) -> None:
    many = "x: &x 1\ny: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(RulesError, match=f"more than {MAX_ALIASES} aliases"):
        load_rules(_rules_copy(tmp_path, "slang.yaml", many))


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="recursive"):
        load_rules(_rules_copy(tmp_path, "slang.yaml", "a: &a [1, *a]\n"))


def test_an_alias_bomb_in_evidence_yaml_is_refused(tmp_path: Path) -> None:
    folder = _rules_copy(tmp_path, "evidence.yaml", BOMB)
    with pytest.raises(EvidenceConfigError, match="aliases expand"):
        load_evidence_settings(folder)


def _bundle(path: Path, files: dict[str, bytes], *, deflate: bool = True) -> None:
    manifest = json.dumps({"case_id": 1, "files": [
        {"path": name, "sha256": hashlib.sha256(data).hexdigest()} for name, data in files.items()
    ]}).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED) as z:
        z.writestr(MANIFEST, manifest)
        z.writestr(MANIFEST_HASH, hashlib.sha256(manifest).hexdigest() + "  manifest.json\n")
        for name, data in files.items():
            z.writestr(name, data)


def test_verify_streams_entries_instead_of_reading_them_whole(tmp_path: Path) -> None:
    bundle = tmp_path / "case.zip"
    _bundle(bundle, {"page.warc": b"\0" * (64 << 20)})  # 64 MB of zeros: a ~64 KB zip
    assert bundle.stat().st_size < 1 << 20
    tracemalloc.start()
    try:
        report = verify_bundle(bundle)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok and report.checked == 1
    assert peak < 16 << 20


def test_verify_caps_an_entry_that_inflates_too_far(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import review.zip_hash

    monkeypatch.setattr(review.zip_hash, "MAX_ENTRY_BYTES", 1 << 20)
    bundle = tmp_path / "bomb.zip"
    _bundle(bundle, {"page.warc": b"\0" * (8 << 20)})
    report = verify_bundle(bundle)
    assert not report.ok
    assert report.changed == ["page.warc"]
    assert any("page.warc: unreadable (inflates to more than" in p for p in report.problems)
    assert MAX_ENTRY_BYTES == 1 << 30  # the module constant itself is unchanged for real bundles


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("foo://x", "unknown database kind"),
        ("not a url", "not a database URL"),
        ("postgresql://nobody@127.0.0.1:1/x", "cannot open the database"),
    ],
)
def test_a_bad_database_url_is_one_line(url: str, needle: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "listingwatch", "queue", "list", "--db", url],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: database: ") and needle in lines[0], result.stderr
