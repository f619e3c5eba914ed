"""The flagged-seller export (DESIGN §3.3): columns, order, BOM, Vietnamese headers, CSV injection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sqlalchemy.orm import Session

from review import export, queue
from rules.record import Listing, ScoredListing, Signal
from storage import repo

T0 = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
HOSTILE = '=HYPERLINK("http://x")'
EXPECTED_COLUMNS = [
    "platform",
    "seller_id",
    "seller_name",
    "seller_url",
    "location",
    "risk",
    "flagged_listings",
    "total_listings",
    "top_signals",
    "example_listing_urls",
    "case_id",
    "case_status",
    "first_flagged_at",
    "last_scanned_at",
    "network_id",
    "network_size",
]
VI_HEADERS = [
    "Nền tảng",
    "Mã người bán",
    "Tên người bán",
    "Đường dẫn gian hàng",
    "Địa điểm",
    "Mức rủi ro",
    "Số sản phẩm nghi vấn",
    "Tổng số sản phẩm",
    "Dấu hiệu chính",
    "Ví dụ đường dẫn sản phẩm",
    "Mã hồ sơ",
    "Trạng thái hồ sơ",
    "Lần đầu gắn cờ",
    "Lần quét gần nhất",
    "Mã mạng lưới người bán",
    "Số người bán trong mạng lưới",
]


class Assessment:
    def __init__(
        self, risk: float, flagged: bool, flagged_listings: int, total_listings: int
    ) -> None:
        self.risk, self.flagged = risk, flagged
        self.flagged_listings, self.total_listings = flagged_listings, total_listings
        self.signals = [
            Signal(code="seller.no_identity", detector="seller", score=0.4, detail="no business id")
        ]


def slang(n: int) -> Signal:
    return Signal(
        code="text.slang",
        detector="text",
        score=0.7,
        detail=f"says 'rep 1:1' ({n})",
        detail_vi="ghi 'rep 1:1'",
    )


LOOKALIKE = Signal(
    code="brand.lookalike", detector="brand", score=0.95, detail="'Chanell' looks like 'Chanel'"
)


def seed(session: Session) -> dict[str, int]:
    """Three sellers: hostile (flagged, case open), hanoi (flagged, dismissed), clean (no case)."""
    listings = [
        Listing(
            platform="shopee",
            listing_id=f"h{n}",
            url=f"https://shopee.vn/p/h{n}",
            title=f"Chanel rep {n}",
            seller={
                "id": "111",
                "name": HOSTILE,
                "url": "https://shopee.vn/shop/111",
                "location": "-Hà Nội",
            },
            observed_at=T0,
        )
        for n in range(5)
    ] + [
        Listing(
            platform="tiki",
            listing_id="v1",
            url="https://tiki.vn/p/v1",
            title="Sữa Ensure xách tay",
            seller={"id": "222", "name": "Cửa hàng Mẹ & Bé Hà Nội", "location": "Hà Nội"},
            observed_at=T0,
        ),
        Listing(
            platform="tiki",
            listing_id="c1",
            url="https://tiki.vn/p/c1",
            title="Sữa Vinamilk",
            seller={"id": "333", "name": "Vinamilk Official"},
            observed_at=T0,
        ),
    ]
    result = repo.upsert_listings(session, None, listings)
    pks = result.listing_pks
    scored = [
        (
            pks[("shopee", f"h{n}")],
            ScoredListing(
                risk=0.5 + n / 10,
                flagged=n >= 1,
                signals=[slang(n)] + ([LOOKALIKE] if n == 4 else []),
            ),
        )
        for n in range(5)
    ]
    scored.append((pks[("tiki", "v1")], ScoredListing(risk=0.75, flagged=True, signals=[slang(9)])))
    scored.append((pks[("tiki", "c1")], ScoredListing(risk=0.05, flagged=False)))
    repo.save_scores(session, None, "r1", scored)

    sellers = result.seller_pks
    hostile, hanoi, clean = (
        sellers[("shopee", "111")],
        sellers[("tiki", "222")],
        sellers[("tiki", "333")],
    )
    repo.save_seller_assessment(
        session, hostile, "r1", Assessment(0.91, True, 4, 5), assessed_at=T0
    )
    repo.save_seller_assessment(session, hanoi, "r1", Assessment(0.72, True, 1, 1), assessed_at=T0)
    repo.save_seller_assessment(session, clean, "r1", Assessment(0.05, False, 0, 1), assessed_at=T0)
    queue.sync_case(
        session, hostile, risk=0.91, flagged=True, priority=1.0, scanned_at=T0 + timedelta(hours=1)
    )
    hanoi_case = queue.sync_case(
        session, hanoi, risk=0.72, flagged=True, priority=1.5, scanned_at=T0
    )
    assert hanoi_case.case_id is not None
    queue.decide(session, hanoi_case.case_id, "dismissed", "authorised distributor", "lan")
    return {"hostile": hostile, "hanoi": hanoi, "clean": clean}


def test_frame_has_the_design_columns_in_order(session: Session) -> None:
    seed(session)
    frame = export.flagged_sellers_frame(session)
    assert list(frame.columns) == EXPECTED_COLUMNS
    assert list(frame["seller_id"]) == ["111", "222"]  # riskiest first; the clean seller is absent
    top = frame.iloc[0]
    assert top["platform"] == "shopee" and top["seller_name"] == HOSTILE  # raw in the frame
    assert top["risk"] == 0.91
    assert (top["flagged_listings"], top["total_listings"]) == (4, 5)
    assert top["case_status"] == "open" and top["case_id"] > 0
    assert top["first_flagged_at"] == pd.Timestamp(T0)
    assert top["last_scanned_at"] == pd.Timestamp(T0 + timedelta(hours=1))
    # 4 flagged listings say slang (most frequent first), one has the look-alike, the seller lacks an id.
    signals = top["top_signals"].split(" | ")
    assert signals[0].startswith("says 'rep 1:1'") and signals[0].endswith("(×4)")
    assert "'Chanell' looks like 'Chanel'" in signals
    urls = top["example_listing_urls"].split(" | ")
    assert urls == ["https://shopee.vn/p/h4", "https://shopee.vn/p/h3", "https://shopee.vn/p/h2"]
    second = frame.iloc[1]
    assert second["case_status"] == "dismissed"


def test_frame_filters(session: Session) -> None:
    seed(session)
    assert list(export.flagged_sellers_frame(session, platform="tiki")["seller_id"]) == ["222"]
    assert list(export.flagged_sellers_frame(session, status="open")["seller_id"]) == ["111"]
    assert list(export.flagged_sellers_frame(session, status=["dismissed"])["seller_id"]) == ["222"]
    assert list(export.flagged_sellers_frame(session, min_risk=0.8)["seller_id"]) == ["111"]
    empty = export.flagged_sellers_frame(session, platform="lazada")
    assert list(empty.columns) == EXPECTED_COLUMNS and len(empty) == 0


def test_vietnamese_signal_texts(session: Session) -> None:
    seed(session)
    frame = export.flagged_sellers_frame(session, lang="vi")
    assert frame.iloc[0]["top_signals"].startswith("ghi 'rep 1:1' (×4)")


def test_csv_round_trip_with_bom_and_neutralised_cells(session: Session, tmp_path: Path) -> None:
    seed(session)
    out = export.write_flagged_sellers(
        export.flagged_sellers_frame(session), tmp_path / "out" / "flagged.csv"
    )
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == EXPECTED_COLUMNS
    assert back.loc[0, "seller_name"] == "'" + HOSTILE
    assert back.loc[0, "location"] == "'-Hà Nội"
    assert back.loc[1, "seller_name"] == "Cửa hàng Mẹ & Bé Hà Nội"
    assert back.loc[0, "first_flagged_at"] == "2026-11-28T02:00:00Z"
    assert back.loc[0, "risk"] == "0.91"
    for column in back.columns:
        for value in back[column]:
            assert not value.startswith(export.FORMULA_TRIGGERS), (column, value)


def test_csv_vietnamese_headers(session: Session, tmp_path: Path) -> None:
    seed(session)
    out = export.write_flagged_sellers(
        export.flagged_sellers_frame(session), tmp_path / "vi.csv", "csv", "vi"
    )
    back = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == VI_HEADERS
    assert len(back) == 2


def test_xlsx_round_trip_same_table_no_formulas(session: Session, tmp_path: Path) -> None:
    seed(session)
    frame = export.flagged_sellers_frame(session)
    out = export.write_flagged_sellers(frame, tmp_path / "flagged.xlsx", fmt="xlsx")
    back = pd.read_excel(out, dtype=str, keep_default_na=False)
    assert list(back.columns) == EXPECTED_COLUMNS
    assert back.loc[0, "seller_name"] == "'" + HOSTILE
    assert back.loc[1, "seller_name"] == "Cửa hàng Mẹ & Bé Hà Nội"
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    vi = export.write_flagged_sellers(frame, tmp_path / "vi.xlsx", fmt="xlsx", lang="vi")
    assert list(pd.read_excel(vi).columns) == VI_HEADERS


def test_control_characters_do_not_break_xlsx(tmp_path: Path) -> None:
    frame = pd.DataFrame([dict.fromkeys(EXPECTED_COLUMNS)], columns=EXPECTED_COLUMNS)
    frame.loc[0, "seller_name"] = "bad\x00name\x1b"
    out = export.write_flagged_sellers(frame, tmp_path / "x.xlsx", fmt="xlsx")
    assert pd.read_excel(out).loc[0, "seller_name"] == "badname"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+84 90", "'+84 90"),
        ("-50%", "'-50%"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Shop = tốt", "Shop = tốt"),
        ("", ""),
    ],
)
def test_neutralise(raw: str, safe: str) -> None:
    assert export.neutralise(raw) == safe


def test_bad_format_or_language(tmp_path: Path) -> None:
    frame = pd.DataFrame(columns=EXPECTED_COLUMNS)
    with pytest.raises(ValueError):
        export.write_flagged_sellers(frame, tmp_path / "x.json", fmt="json")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        export.write_flagged_sellers(frame, tmp_path / "x.csv", lang="fr")  # type: ignore[arg-type]
