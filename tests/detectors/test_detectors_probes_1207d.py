"""False alarms of the blind probes unseen15 and health15 (2026-12-07), read after their first
run: the pharmacopoeia's "vaselin" (petroleum jelly) read as a near miss of Vaseline; a book
whose only sign of being one is the platform's category path below its first level ("Nhà
Sách > Sách kinh tế > ..."), and books and posters naming brands as their subject; and, from a
review of the first fix, what must still be flagged: branded goods filed under a book path, and
films that are no motion picture ("Phim cách nhiệt 3M")."""

from __future__ import annotations

from detectors.text import quotes_a_work
from rules.loader import RuleSet
from tests.detectors.test_detectors_written_probes import MakeListing, codes, score

_BOOKS = "Nhà Sách Tiki > Sách tiếng Việt"


def test_a_book_path_below_its_first_level_quotes_a_work(make: MakeListing, rules: RuleSet) -> None:
    book = score(make, rules, "Fake - Tiền Giả, Thầy Giả, Tài Sản Giả (Robert T. Kiyosaki)", 159_000,
                 brand="No Brand", category="Nhà Sách > Sách kinh tế > Tài chính cá nhân")
    assert "text.slang" not in codes(book) and not book.flagged


def test_a_book_or_poster_names_brands_as_its_subject_not_as_a_claim(make: MakeListing, rules: RuleSet) -> None:
    for title in ("Poster Rolex Submariner khổ A2 treo tường", "Sách Coco Chanel - Cuộc đời huyền thoại",
                  "Sách Steve Jobs và Apple - tiểu sử"):
        scored = score(make, rules, title, 150_000)
        assert not scored.signals and not scored.flagged, title


def test_branded_goods_filed_under_a_book_path_are_still_the_goods(make: MakeListing, rules: RuleSet) -> None:
    # The seller picks the path: a title naming shoes or a brand still sells them.
    shoes = score(make, rules, "Giày Nike Air Force 1 rep 1:1", 350_000, category=_BOOKS)
    assert {"text.slang", "price.below_reference"} <= codes(shoes) and shoes.flagged
    for title in ("Parker Jotter XL bản copy ngòi 0.7", "Móc khóa Louis Vuitton monogram da 1:1 fullbox"):
        scored = score(make, rules, title, 90_000, category="Nhà Sách Tiki > Quà Tặng")
        assert "text.slang" in codes(scored) and scored.flagged, title


def test_a_window_film_or_an_ebook_reader_is_no_work(make: MakeListing, rules: RuleSet) -> None:
    assert not quotes_a_work("Phim cách nhiệt 3M Crystalline CR70 dán kính ô tô hàng fake", rules)
    assert "text.slang" in codes(score(make, rules, "Phim cách nhiệt 3M Crystalline CR70 hàng fake", 350_000))
    assert not quotes_a_work("Ebook reader Kindle Paperwhite 5 16GB", rules)
    assert quotes_a_work("Phim Fake Love bản DVD", rules)


def test_the_pharmacopoeias_vaselin_is_no_near_miss_of_vaseline(make: MakeListing, rules: RuleSet) -> None:
    scored = score(make, rules, "Vaselin y tế tinh khiết 10g dưỡng môi nẻ, bôi da khô", 8_000, brand="No Brand",
                   category="Sắc Đẹp > Chăm sóc môi > Son dưỡng & mặt nạ môi")
    assert "brand.lookalike" not in codes(scored) and not scored.flagged
