"""The compiled build of the detectors (mypyc): used only when it is current, and it scores
exactly as the Python sources do."""

from __future__ import annotations

import importlib.machinery
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

import detectors
from detectors import _build

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="a build is required in CI only (CI=true): "
                    "elsewhere the sources may run, e.g. without a C compiler")
def test_ci_scores_with_the_compiled_build() -> None:
    import detectors.brand

    assert detectors.BUILD == "compiled", "make setup did not compile the detectors (scripts/build_native.py)"
    assert (detectors.brand.__file__ or "").endswith(EXTENSION)


def _fake_build(folder: Path, sources: dict[str, str]) -> None:
    """Sources with an (empty) extension beside each, and no manifest."""
    for name, text in sources.items():
        (folder / f"{name}.py").write_text(text, encoding="utf-8")
        (folder / f"{name}{EXTENSION}").write_bytes(b"")


def test_a_build_of_the_same_sources_is_current(tmp_path: Path) -> None:
    _fake_build(tmp_path, {"brand": "x = 1\n", "context": "y = 2\n"})
    digests = _build.source_digests(["brand", "context"], tmp_path)
    (tmp_path / _build.MANIFEST.name).write_text(json.dumps({"sources": digests}), encoding="utf-8")
    assert _build.compiled_modules(tmp_path) == ["brand", "context"]
    assert _build.stale_sources(tmp_path) == []


def test_an_edited_source_makes_the_build_stale(tmp_path: Path) -> None:
    _fake_build(tmp_path, {"brand": "x = 1\n", "context": "y = 2\n"})
    digests = _build.source_digests(["brand", "context"], tmp_path)
    (tmp_path / _build.MANIFEST.name).write_text(json.dumps({"sources": digests}), encoding="utf-8")
    (tmp_path / "context.py").write_text("y = 3  # edited after the build\n", encoding="utf-8")
    assert _build.stale_sources(tmp_path) == ["context"]


def test_a_build_without_its_manifest_or_source_is_stale(tmp_path: Path) -> None:
    _fake_build(tmp_path, {"brand": "x = 1\n"})
    assert _build.stale_sources(tmp_path) == ["brand"]  # no manifest
    (tmp_path / _build.MANIFEST.name).write_text("{not json", encoding="utf-8")
    assert _build.stale_sources(tmp_path) == ["brand"]
    (tmp_path / _build.MANIFEST.name).write_text(json.dumps({"sources": _build.source_digests(["brand"], tmp_path)}),
                                                 encoding="utf-8")
    (tmp_path / "brand.py").unlink()
    assert _build.stale_sources(tmp_path) == ["brand"]


def test_no_build_is_not_stale(tmp_path: Path) -> None:
    (tmp_path / "brand.py").write_text("x = 1\n", encoding="utf-8")
    assert _build.stale_sources(tmp_path) == []


def _run(code: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env={**os.environ, **env}, check=True)
    return done.stdout + done.stderr


def test_sources_only_is_honoured_by_every_detector_module() -> None:
    out = _run("import detectors, detectors.scoring, sys\n"
               "print(detectors.BUILD, sorted({m.__file__.rsplit('.', 1)[1] for n, m in sys.modules.items()"
               " if n.startswith('detectors.') and getattr(m, '__file__', None)}))", LISTINGWATCH_NATIVE="0")
    assert out.strip() == "sources ['py']"


def _score_both(cases: Path, tmp_path: Path, *options: str) -> list[tuple[bytes, tuple[int, str]]]:
    """`listingwatch score` of `cases` by the compiled build, then by the sources: each run's
    output bytes and (exit code, stderr)."""
    runs = []
    for native in ("1", "0"):
        target = tmp_path / f"scored-{native}.jsonl"
        done = subprocess.run([sys.executable, "-m", "listingwatch", "score", "-i", str(cases), "-o", str(target),
                               "--workers", "1", *options], cwd=ROOT, timeout=600, capture_output=True, text=True,
                              env={**os.environ, "LISTINGWATCH_NATIVE": native})
        runs.append((target.read_bytes(), (done.returncode, done.stderr)))
    return runs


@pytest.mark.skipif(detectors.BUILD != "compiled", reason=f"the detectors are not compiled here ({detectors.BUILD})")
def test_compiled_and_sources_score_the_same_bytes(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    with cases.open("w", encoding="utf-8") as out:
        for name in ("adversarial.jsonl", "adversarial_causes.jsonl", "adversarial_probe_dodge5.jsonl"):
            out.write((ROOT / "eval" / name).read_text(encoding="utf-8"))
    (compiled, compiled_report), (sources, sources_report) = _score_both(cases, tmp_path)
    assert compiled_report[0] == 0, compiled_report[1][-2000:]
    assert compiled.count(b"\n") == cases.read_text(encoding="utf-8").count("\n")
    assert compiled == sources


# Pieces of hostile titles: Vietnamese with and without marks, styled and full-width letters,
# zero-width and combining characters, Greek (a final sigma), entities, digits and prices.
_PIECES = ["Sữa", "sua bot", "Nike", "N1KE", "𝐍𝐈𝐊𝐄", "Ｎｉｋｅ", "A\u200bdidas", "Cha nel", "iPhone 15 Pro Max",
           "ốp lưng cho", "chiết 10ml", "like new 99%", "hàng rep 1:1", "ΑΣ", "ΣΟΦΙΑ", "&amp;", "&#78;ike",
           "e\u0301", "🔥", "[FREESHIP]", "Dior Sauvage", "Similac IQ 900g", "Casio G-Shock", "Foxconn",
           "zin bóc máy", "x", "1tr2", "99k", "", "  ", "\t", "VNXK", "Auth", "fake", "—", "’", "\x85", "ǅ"]


def _hostile_records(n: int, seed: int) -> list[dict[str, object]]:
    rnd = random.Random(seed)

    def text(words: int) -> str:
        return " ".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, words)))

    records: list[dict[str, object]] = []
    for i in range(n):
        records.append({
            "platform": rnd.choice(["shopee", "tiki", "sendo", "lazada", "web", "facebook"]),
            "listing_id": str(i), "title": text(9) or "x",
            "description": rnd.choice([None, text(20)]),
            "brand": rnd.choice([None, "", "No Brand", "OEM", text(2)]),
            "category": rnd.choice([None, "Sức khỏe > Sữa", "Thời trang > Giày", text(3)]),
            "price": rnd.choice([None, 0, 1, 9_000, 150_000, 2_990_000, 10**11, "1tr2", "150k", "Liên hệ"]),
            "list_price": rnd.choice([None, 200_000]),
            "gtin": rnd.choice([None, "8934673601234", "6901234567892", "123", "0" * 14]),
            "origin": rnd.choice([None, "Nhật Bản", "nội địa Nhật", text(1)]),
            "sold": rnd.choice([None, 0, 10_000]),
            "rating": rnd.choice([None, 0.0, 4.9]),
            "seller": rnd.choice([{}, {"id": str(i % 7), "name": text(3), "is_official": rnd.choice([None, True, False]),
                                       "location": rnd.choice([None, "HCM", text(1)]), "phone": rnd.choice([None, "0901"])}]),
        })
    return records


@pytest.mark.skipif(detectors.BUILD != "compiled", reason=f"the detectors are not compiled here ({detectors.BUILD})")
def test_compiled_and_sources_score_hostile_records_alike(tmp_path: Path) -> None:
    """mypyc checks annotated types at run time: a value Python would let through must not
    turn into a TypeError (or any other difference) on crawled text."""
    cases = tmp_path / "hostile.jsonl"
    cases.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _hostile_records(3000, seed=6)),
                     encoding="utf-8")
    (compiled, compiled_report), (sources, sources_report) = _score_both(cases, tmp_path, "--chunk-size", "500")
    # A blank title is unreadable by design (each reported with its line); every other record is scored.
    assert compiled.count(b"\n") > 2900 and "Traceback" not in compiled_report[1], compiled_report[1][-2000:]
    assert compiled == sources
    assert compiled_report == sources_report
