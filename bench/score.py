"""Benchmark: scoring throughput and brand detection speed (issue #4).

1. `score`: records/s of the whole scoring path (parse JSON, normalize, detectors, write
   JSON) against the same records merely read and written as JSON in the same run.
2. `brand`: our brand matcher (exact alias index, rapidfuzz only on leftover words) against
   a naive matcher that runs rapidfuzz `process.extractOne` over every alias for every
   title; both are also measured for recall on labelled brand cases, so speed is never
   bought with misses.

Records are generated deterministically from realistic Vietnamese listing titles.
"""

from __future__ import annotations

import io
import json
import random
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench.common import Result, peak_rss_mib, stopwatch

_PRODUCTS = [
    "Giày thể thao {b} Air cổ thấp", "Kem chống nắng {b} SPF50 50ml", "Sữa bột {b} số 4 900g",
    "Ốp lưng cho {b} 15 Pro Max", "Túi xách nữ {b} da thật", "Đồng hồ nam {b} dây da",
    "Áo thun {b} cotton unisex", "Son môi {b} lì mịn", "Tai nghe bluetooth {b} chống ồn",
    "Viên uống {b} bổ sung vitamin", "Giày sneaker {b} hàng rep 1:1 full box", "Nước hoa {b} 100ml chính hãng",
]
_PLAIN = [
    "Quần tây nam vải co giãn ống côn", "Bộ 6 chén sứ phong cách Nhật Bản", "Dây đèn led đom đóm trang trí",
    "Băng keo chống thấm khổ rộng 10cm", "Hạt giống cà chua bi F1 (gói 0.1g)", "Xoài cát loại 1 (1kg)",
    "Bình giữ nhiệt inox 304 dung tích 500ml", "Áo khoác chống nắng 2 lớp nam nữ",
]
_BRANDS = ["Nike", "Adidas", "N1ke", "Adidaz", "Chanel", "Gucci", "Apple", "iPhone", "Samsung", "Similac",
           "La Roche-Posay", "Omrom", "Casio", "Rolex", "Dior", "Converse", "CK2", "Bioré", "Innisfree", "Sony"]
_PRICES = ["1.250.000₫", "150k", "1tr2", 350000, 2990000, "Liên hệ", 89000, 4500000]

# Labelled brand cases: a title and the brand a person reads in it (None = no brand claim).
BRAND_CASES: list[tuple[str, str | None]] = [
    ("Giày Nike Air Force 1 trắng", "Nike"), ("Giày N1ke Air Max 720 hàng chuẩn", "Nike"),
    ("Giày Nikę air force 1 low panda", "Nike"), ("Giày sneaker N.i.k.e cổ thấp", "Nike"),
    ("Giày Adidaz Ultraboost 22", "Adidas"), ("Giày ADIDA$ SL 72", "Adidas"),
    ("Túi Cha nel classic flap", "Chanel"), ("Túi Gucci Marmont da bò", "Gucci"),
    ("Máy đo huyết áp Omrom HEM-7121", "Omron"), ("Kem chống nắng La Roche Posey Anthelios", "La Roche-Posay"),
    ("Kem chống nắng VICHYD 50ml", "Vichy"), ("Sữa Similac IQ số 4 900g", "Similac"),
    ("Đồng hồ Casio G-Shock GA-2100", "Casio"), ("Đồng hồ Rolex Datejust 41", "Rolex"),
    ("Nước hoa Dior Sauvage EDP 100ml", "Dior"), ("Giày Convers RunStar Legacy", "Converse"),
    ("Kem chống nắng Bioré UV Aqua Rich", "Bioré"), ("Điện thoại iPhone 15 128GB", "Apple"),
    ("Samsung Galaxy S24 Ultra 256GB", "Samsung"), ("Tai nghe Sony WH-1000XM5", "Sony"),
    ("Quần tây nam vải co giãn ống côn", None), ("Bộ 6 chén sứ phong cách Nhật Bản", None),
    ("Hạt giống cà chua bi F1 (gói 0.1g)", None), ("Băng keo chống thấm khổ rộng 10cm", None),
]


def generate(n: int, seed: int = 4) -> Iterator[dict[str, object]]:
    """`n` listing records, the same for the same seed."""
    rnd = random.Random(seed)
    for i in range(n):
        if rnd.random() < 0.4:
            title = rnd.choice(_PLAIN)
        else:
            title = rnd.choice(_PRODUCTS).format(b=rnd.choice(_BRANDS))
        yield {
            "platform": rnd.choice(["shopee", "tiki", "sendo", "lazada"]), "listing_id": str(100000 + i),
            "title": f"{title} {rnd.randint(1, 999)}", "price": rnd.choice(_PRICES),
            "brand": rnd.choice([None, "No Brand", "OEM", "Nike"]),
            "seller": {"id": str(rnd.randint(1, n // 20 + 2)), "name": f"Shop {rnd.randint(1, 500)}"},
        }


def _jsonl(n: int) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in generate(n))


def _io_floor(text: str) -> int:
    sink = io.StringIO()
    count = 0
    for line in io.StringIO(text):
        sink.write(json.dumps(json.loads(line), ensure_ascii=False) + "\n")
        count += 1
    return count


def _workers() -> int:
    """`--workers` of `listingwatch score` by default ($LISTINGWATCH_BENCH_WORKERS overrides it)."""
    import os

    from listingwatch import default_workers

    return int(os.environ.get("LISTINGWATCH_BENCH_WORKERS") or default_workers())


def _score_all(text: str, chunk: int = 5000, workers: int | None = None) -> int:
    """The `listingwatch score` path in-process: `listingwatch.score_stream` (parse,
    normalize, score in chunks, write) with the command's `--workers` default."""
    from listingwatch import score_stream
    from rules.loader import load_rules

    scored, bad = score_stream(io.StringIO(text), io.StringIO(), load_rules(), chunk_size=chunk,
                               workers=_workers() if workers is None else workers)
    assert bad == 0, f"{bad} generated records unreadable"
    return scored


def _warm_up() -> None:
    """Imports and per-rule-set indexes, outside every timing (a long run pays them once)."""
    import sklearn.ensemble  # noqa: F401  # the IsolationForest import alone takes seconds

    _score_all(_jsonl(300))


def _peak_rss_kib(records: int, tmp: Path) -> int:
    """Peak RSS of `listingwatch score` over `records` generated records, in a fresh process.

    Measured through `bench.common`'s small wrapper process: Linux reports the parent's RSS at
    fork time as a child's own peak, and this benchmark's process holds all the records."""
    src = tmp / f"in-{records}.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for r in generate(records):
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    mib, _ = peak_rss_mib(src, tmp / "out.jsonl")
    src.unlink()
    return round(mib * 1024)


def _ours(titles: list[str]) -> list[str | None]:
    from detectors.brand import find_mentions
    from rules.loader import load_rules

    rules = load_rules()
    out: list[str | None] = []
    for t in titles:
        ms = [m for m in find_mentions(t, rules) if m.is_claim]
        out.append(ms[0].brand.name if ms else None)
    return out


def _naive_matcher() -> tuple[list[str], list[str]]:
    from detectors.textnorm import fold
    from rules.loader import load_rules

    choices: list[str] = []
    owners: list[str] = []
    for b in load_rules().brands.brands:
        for name in b.all_names():
            choices.append(fold(name))
            owners.append(b.name)
    return choices, owners


def _naive(titles: list[str], cutoff: float = 85.0) -> list[str | None]:
    from rapidfuzz import fuzz, process

    from detectors.textnorm import fold

    choices, owners = _naive_matcher()
    out: list[str | None] = []
    for t in titles:
        # extractOne with its default scorer (WRatio), as a programmer would first write it.
        hit = process.extractOne(fold(t), choices, scorer=fuzz.WRatio, score_cutoff=cutoff)
        out.append(None if hit is None else owners[hit[2]])
    return out


def _recall(found: list[str | None]) -> float:
    expected = [b for _, b in BRAND_CASES]
    pos = [i for i, b in enumerate(expected) if b is not None]
    return sum(found[i] == expected[i] for i in pos) / len(pos)


def run(quick: bool) -> list[Result]:
    n = 2_000 if quick else 100_000
    _warm_up()
    text = _jsonl(n)
    with stopwatch() as floor_t:
        _io_floor(text)
    with stopwatch() as score_t:
        _score_all(text)
    floor_rate = n / max(floor_t(), 1e-9)
    score_rate = n / max(score_t(), 1e-9)
    del text

    # Brand detection: fresh titles (numbers appended) so caches do not flatter either side.
    m = 300 if quick else 5_000
    titles = [str(r["title"]) for r in generate(m, seed=44)]
    _ours(titles[:10])  # build the alias index outside the timing, as a long run would
    _naive_matcher()
    with stopwatch() as ours_t:
        _ours(titles)
    with stopwatch() as naive_t:
        _naive(titles)
    ours_recall = _recall(_ours([t for t, _ in BRAND_CASES]))
    naive_recall = _recall(_naive([t for t, _ in BRAND_CASES]))
    results = [
        Result("score: records/s vs JSON read+write floor", score_rate, floor_rate, "records/s",
               note=f"{n:,} records, --workers {_workers()}; the floor is what pure I/O costs, "
                    f"in one process"),
        Result("brand: titles/s vs naive extractOne over every alias", m / max(ours_t(), 1e-9),
               m / max(naive_t(), 1e-9), "titles/s", target=10.0,
               note=f"recall on {sum(b is not None for _, b in BRAND_CASES)} labelled brand cases: "
                    f"ours {ours_recall:.2f}, naive {naive_recall:.2f}"),
        Result("brand: recall vs naive on labelled cases", ours_recall, naive_recall, "recall", target=1.0),
    ]
    # Memory: `listingwatch score` streams chunks, so 5x the input must not mean 5x the memory.
    small, large = (1_000, 5_000) if quick else (20_000, 100_000)
    with tempfile.TemporaryDirectory() as tmp:
        rss_small = _peak_rss_kib(small, Path(tmp))
        rss_large = _peak_rss_kib(large, Path(tmp))
    results.append(Result(
        f"score: peak RSS at {large:,} vs {small:,} records", rss_large / 1024, rss_small / 1024, "MiB",
        target=1.25, higher_is_better=False,
        note=f"input grows {large // small}x; a ratio near 1 means memory stays flat",
    ))
    return results


def run_part(part: str, sizes: list[int]) -> Result:
    """One part at a chosen size (a loaded machine cannot always afford the full run):
    `brand N`, `score N`, `rss SMALL LARGE`."""
    if part == "brand":
        titles = [str(r["title"]) for r in generate(sizes[0], seed=44)]
        _ours(titles[:10])
        _naive_matcher()
        with stopwatch() as ours_t:
            _ours(titles)
        with stopwatch() as naive_t:
            _naive(titles)
        recall = (_recall(_ours([t for t, _ in BRAND_CASES])), _recall(_naive([t for t, _ in BRAND_CASES])))
        return Result("brand: titles/s vs naive extractOne over every alias", sizes[0] / ours_t(),
                      sizes[0] / naive_t(), "titles/s", target=10.0,
                      note=f"recall ours {recall[0]:.2f}, naive {recall[1]:.2f}")
    if part == "score":
        _warm_up()
        text = _jsonl(sizes[0])
        with stopwatch() as floor_t:
            _io_floor(text)
        with stopwatch() as score_t:
            _score_all(text)
        return Result("score: records/s vs JSON read+write floor", sizes[0] / score_t(), sizes[0] / floor_t(),
                      "records/s", note=f"--workers {_workers()}, ratio {floor_t() / score_t():.3f}")
    if part == "rss":
        with tempfile.TemporaryDirectory() as tmp:
            small, large = (_peak_rss_kib(n, Path(tmp)) for n in sizes[:2])
        return Result(f"score: peak RSS at {sizes[1]:,} vs {sizes[0]:,} records", large / 1024, small / 1024,
                      "MiB", target=1.25, higher_is_better=False)
    raise SystemExit(f"unknown part {part!r}: brand N | score N | rss SMALL LARGE")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--part":
        print(run_part(sys.argv[2], [int(a) for a in sys.argv[3:]]).line())
    else:
        for r in run(quick="--quick" in sys.argv):
            print(r.line())
