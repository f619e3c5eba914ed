"""Every signal code the detectors emit, with its label in Vietnamese and English.

One table, because a code lives in four places that must agree: the detector that emits
it, its weight in `rules/scoring.yaml`, the web app and the exports. `rules check` refuses
a weight for a code that is not here (a typo would silently score 0) and a code here with
no weight; a test scans the detector sources so a new code cannot skip this table.

Codes are stable dotted names (DESIGN §3.2): rename one only with a migration of stored
signals and of every site's scoring.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

Lang = Literal["vi", "en"]


@dataclass(frozen=True, slots=True)
class SignalCode:
    code: str
    detector: str
    vi: str
    en: str

    def label(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


_ALL: Final[tuple[SignalCode, ...]] = (
    SignalCode("brand.lookalike", "brand", "Tên thương hiệu nhái, viết chệch", "Look-alike brand name"),
    SignalCode("brand.mismatch", "brand", "Thương hiệu khai báo khác thương hiệu trong tên",
               "Declared brand differs from the title"),
    SignalCode("brand.unauthorized", "brand", "Thương hiệu nổi tiếng, người bán không được ủy quyền",
               "Famous brand, seller not authorized"),
    SignalCode("brand.off_category", "brand", "Thương hiệu gắn trên hàng chủ nhãn không sản xuất",
               "Brand on goods its owner does not make"),
    SignalCode("text.slang", "text", "Người bán tự nhận hàng nhái (rep, fake, 1:1…)",
               "Seller says it is a replica"),
    SignalCode("text.copy_model", "text", "Bán như bản sao của mẫu mã có thương hiệu",
               "Sold as a copy of a branded model"),
    SignalCode("text.impossible_spec", "text", "Thông số không sản phẩm chính hãng nào có",
               "A specification no genuine product has"),
    SignalCode("text.repost", "text", "Đăng lại sản phẩm đã bị gắn cờ", "Re-post of a flagged listing"),
    SignalCode("text.factory_claim", "text", "Tự nhận linh kiện từ nhà máy của hãng",
               "Claims parts from the genuine maker's factory"),
    SignalCode("price.below_reference", "price", "Giá thấp xa so với giá tham chiếu của hãng",
               "Far below the brand's reference price"),
    SignalCode("price.capacity", "price", "Giá không thể có với dung lượng ghi", "Price impossible for the stated capacity"),
    SignalCode("price.outlier", "price", "Giá thấp bất thường so với người bán khác",
               "Far below peers' prices"),
    SignalCode("price.isolation", "price", "Bất thường nhiều chiều trong lô quét",
               "Multivariate outlier in the batch"),
    SignalCode("price.implausible", "price", "Giá không hợp lý (lỗi dữ liệu)",
               "Implausible price (data error)"),
    SignalCode("barcode.missing", "barcode", "Thiếu mã vạch", "Barcode missing"),
    SignalCode("barcode.invalid", "barcode", "Mã vạch không hợp lệ", "Invalid barcode"),
    SignalCode("barcode.prefix_conflict", "barcode", "Mã vạch mâu thuẫn với xuất xứ hoặc thương hiệu",
               "Barcode prefix contradicts origin or brand"),
    SignalCode("barcode.multi_brand", "barcode", "Một mã vạch dùng cho nhiều thương hiệu",
               "One barcode under several brands"),
    SignalCode("seller.max_risk", "seller", "Sản phẩm rủi ro cao nhất của người bán",
               "The seller's riskiest listing"),
    SignalCode("seller.flagged_share", "seller", "Tỷ lệ sản phẩm bị gắn cờ", "Share of flagged listings"),
    SignalCode("seller.no_identity", "seller", "Thiếu thông tin định danh (NĐ 85/2021, Điều 29)",
               "Identity missing (Decree 85/2021 Art. 29)"),
    SignalCode("seller.not_official", "seller", "Không phải gian hàng chính hãng", "Not an official store"),
    SignalCode("seller.many_luxury_brands", "seller", "Bán nhiều thương hiệu xa xỉ không liên quan",
               "Many unrelated luxury brands"),
    SignalCode("seller.new_shop", "seller", "Gian hàng mới mở", "New shop"),
)

SIGNAL_CODES: Final[Mapping[str, SignalCode]] = MappingProxyType({c.code: c for c in _ALL})


def signal_label(code: str, lang: str) -> str:
    """The label of `code`, or the code itself for one this version does not know (a
    signal stored by an older or newer version must still show up)."""
    known = SIGNAL_CODES.get(code)
    return code if known is None else known.label(lang)


def labels(lang: Lang) -> dict[str, str]:
    """`{"signal.<code>": label}` for a language, to join an interface string table."""
    return {f"signal.{c.code}": c.label(lang) for c in _ALL}
