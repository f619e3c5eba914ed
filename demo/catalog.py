"""A deterministic catalog of demo sellers and listings (the ground truth behind the demo).

Three imitation platforms: ``demo-tiki`` (most sellers), ``demo-shopee`` and ``demo-web``
(stand-alone shops). Every seller has a ``role``: ``official`` brand stores (genuine prices
inside the bands of ``rules/brands.yaml``, valid GTINs with the brand's GS1 prefixes, full
identity), ``honest`` shops (ordinary goods, innocent brand mentions such as "ốp lưng cho
iPhone") and planted ``counterfeit`` sellers, each with its own mix of signals. The role and
the per-listing ``planted`` signal codes are ground truth for tests; the server never serves
them.

Everything is drawn from ``random.Random(seed)``: the same seed gives the same catalog.
"""

from __future__ import annotations

import random
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

Role = Literal["official", "honest", "counterfeit"]
ROLES: tuple[Role, ...] = ("official", "honest", "counterfeit")
PLATFORMS: tuple[str, ...] = (
    "demo-tiki", "demo-web", "demo-shopee", "demo-sendo", "demo-lazada", "demo-tiktok", "demo-facebook",
)
#: Platforms added after the first three: their shops come last in `_SHOPS`, so the seeded
#: draws (and so every id and price) of the first three platforms did not change.
#: platform -> (seller id range or "slug", listing id range, shop path template, listing path template).
_NEW_PLATFORM_IDS: dict[str, tuple[tuple[int, int] | None, tuple[int, int], str, str]] = {
    "demo-sendo": ((100_000, 999_999), (100_000_000, 199_999_999), "/sendo/shop/{slug}", "/sendo/{slug}-{id}.html"),
    "demo-lazada": ((1_000_000, 9_999_999), (1_000_000_000, 3_999_999_999), "/lazada/shop/{slug}",
                    "/lazada/products/{slug}-i{id}.html"),
    "demo-tiktok": ((7_494_000_000_000_000_000, 7_494_999_999_999_999_999),
                    (1_729_000_000_000_000_000, 1_729_999_999_999_999_999), "/tiktok/shop/{seller_id}",
                    "/tiktok/view/product/{id}"),
    "demo-facebook": (None, (100_000_000_000_000, 999_999_999_999_999), "/facebook/{seller_id}",
                      "/facebook/{seller_id}/posts/{id}"),
}
DEFAULT_SEED = 20261128

# Unix time the catalog is "observed" at (2026-11-28 00:00 +07:00): ctime values derive from it.
REFERENCE_EPOCH = 1795626000


# --------------------------------------------------------------------------- text helpers


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ -> d) and collapse whitespace."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def fold_words(text: str) -> list[str]:
    """The folded alphanumeric words of a text (what keyword search matches on)."""
    return re.findall(r"[a-z0-9]+", fold(text))


def slugify(text: str) -> str:
    """URL slug as Vietnamese shops write them: folded, ASCII, hyphen-separated."""
    return "-".join(fold_words(text)) or "san-pham"


def ean13_check_digit(first12: str) -> str:
    """GS1 mod-10 check digit of the first 12 digits of an EAN-13."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def _stable_id(text: str, low: int, high: int) -> int:
    """A stable integer in [low, high) from a name (category ids, brand ids)."""
    return low + zlib.crc32(text.encode("utf-8")) % (high - low)


# --------------------------------------------------------------------------- public records


@dataclass(frozen=True)
class DemoSeller:
    """One shop. ``role`` is ground truth for tests: never served."""

    platform: str
    seller_id: str
    name: str
    role: Role
    shop_url_path: str
    is_official: bool
    location: str
    business_id: str | None
    phone: str | None
    address: str | None
    days_since_joined: int
    slug: str
    business_name: str | None
    rating: float
    review_count: int
    follower_count: int
    description: str

    @property
    def shows_identity(self) -> bool:
        return self.business_id is not None and self.phone is not None and self.address is not None


@dataclass(frozen=True)
class DemoListing:
    """One product offer. ``planted``/``imitates``/``product_line`` are ground truth for tests."""

    platform: str
    listing_id: str
    seller_id: str
    title: str
    description: str
    brand: str | None
    category: tuple[str, ...]
    price: int
    list_price: int
    gtin: str | None
    origin: str | None
    brand_country: str | None
    images: tuple[str, ...]
    sold: int
    rating: float | None
    review_count: int
    stock: int
    days_since_created: int
    slug: str
    sku: str
    path: str
    planted: tuple[str, ...] = ()
    imitates: str | None = None
    product_line: str | None = None

    @property
    def category_text(self) -> str:
        """The category path '>'-joined, leaf last (DESIGN §3.1)."""
        return " > ".join(self.category)

    @property
    def category_ids(self) -> tuple[int, ...]:
        return tuple(_stable_id(name, 1000, 99000) for name in self.category)

    @property
    def brand_id(self) -> int | None:
        return None if self.brand is None else _stable_id(self.brand, 10000, 400000)

    @property
    def is_counterfeit_looking(self) -> bool:
        return len(self.planted) > 0


@dataclass
class Catalog:
    """All sellers and listings of the demo marketplace, with look-up indexes."""

    seed: int
    sellers: tuple[DemoSeller, ...]
    listings: tuple[DemoListing, ...]
    _sellers_by_key: dict[tuple[str, str], DemoSeller] = field(init=False, repr=False)
    _listings_by_key: dict[tuple[str, str], DemoListing] = field(init=False, repr=False)
    _by_seller: dict[tuple[str, str], tuple[DemoListing, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sellers_by_key = {(s.platform, s.seller_id): s for s in self.sellers}
        self._listings_by_key = {(x.platform, x.listing_id): x for x in self.listings}
        grouped: dict[tuple[str, str], list[DemoListing]] = {}
        for listing in self.listings:
            grouped.setdefault((listing.platform, listing.seller_id), []).append(listing)
        self._by_seller = {key: tuple(items) for key, items in grouped.items()}

    def seller(self, platform: str, seller_id: str) -> DemoSeller:
        return self._sellers_by_key[(platform, seller_id)]

    def listing(self, platform: str, listing_id: str) -> DemoListing:
        return self._listings_by_key[(platform, listing_id)]

    def listings_of(self, seller: DemoSeller) -> tuple[DemoListing, ...]:
        return self._by_seller.get((seller.platform, seller.seller_id), ())

    def sellers_on(self, platform: str) -> tuple[DemoSeller, ...]:
        return tuple(s for s in self.sellers if s.platform == platform)

    def listings_on(self, platform: str) -> tuple[DemoListing, ...]:
        return tuple(x for x in self.listings if x.platform == platform)


# --------------------------------------------------------------------------- catalog spec

# GS1 company prefixes per brand; they must agree with rules/brands.yaml (a test checks it).
GS1: dict[str, tuple[str, ...]] = {
    "Apple": ("0190198", "0194252", "0195949", "0194253"),
    "Samsung": ("8806094", "8806095", "8801643"),
    "Similac": ("8886451", "070074"),
    "Ensure": ("8886451", "070074"),
    "PediaSure": ("8886451", "070074"),
    "Glucerna": ("8886451", "070074"),
    "Vinamilk": ("8934673",),
    "Friso": ("8712045", "8716200"),
    "Meiji": ("4902705",),
    "La Roche-Posay": ("3337872", "3337875"),
    "Cetaphil": ("3499320", "0302993"),
    "Innisfree": ("8809612", "8806173"),
    "Blackmores": ("9300807",),
    "Omron": ("4975479", "4015672"),
    "Panadol": ("8934557", "9300673"),
    "Casio": ("4549526", "4971850"),
}

CATEGORIES: dict[str, tuple[str, ...]] = {
    "formula": ("Mẹ & Bé", "Sữa công thức", "Sữa bột cho bé"),
    "adult_milk": ("Bách Hóa Online", "Sữa và sản phẩm từ sữa", "Sữa bột người lớn"),
    "fresh_milk": ("Bách Hóa Online", "Sữa và sản phẩm từ sữa", "Sữa tươi"),
    "yogurt": ("Bách Hóa Online", "Sữa và sản phẩm từ sữa", "Sữa chua"),
    "baby_care": ("Mẹ & Bé", "Đồ dùng cho bé", "Bình sữa, núm ti"),
    "diapers": ("Mẹ & Bé", "Tã, bỉm", "Tã dán"),
    "supplements": ("Nhà Thuốc", "Thực phẩm chức năng", "Vitamin & khoáng chất"),
    "fish_oil": ("Nhà Thuốc", "Thực phẩm chức năng", "Dầu cá, Omega 3"),
    "medicine": ("Nhà Thuốc", "Thuốc không kê đơn", "Giảm đau, hạ sốt"),
    "medical_supplies": ("Nhà Thuốc", "Dụng cụ y tế", "Vật tư y tế"),
    "bp_monitor": ("Nhà Thuốc", "Thiết bị y tế", "Máy đo huyết áp"),
    "medical_devices": ("Nhà Thuốc", "Thiết bị y tế", "Thiết bị y tế gia đình"),
    "sunscreen": ("Làm Đẹp - Sức Khỏe", "Chăm sóc da mặt", "Kem chống nắng"),
    "skincare": ("Làm Đẹp - Sức Khỏe", "Chăm sóc da mặt", "Dưỡng da"),
    "cleanser": ("Làm Đẹp - Sức Khỏe", "Chăm sóc da mặt", "Sữa rửa mặt"),
    "makeup": ("Làm Đẹp - Sức Khỏe", "Trang điểm", "Son môi"),
    "haircare": ("Làm Đẹp - Sức Khỏe", "Chăm sóc tóc", "Dầu gội"),
    "perfume": ("Làm Đẹp - Sức Khỏe", "Nước hoa", "Nước hoa nữ"),
    "sneakers": ("Giày - Dép nam", "Giày thể thao nam", "Giày sneaker"),
    "sports": ("Thể Thao - Dã Ngoại", "Dụng cụ thể thao", "Cầu lông, bóng đá"),
    "bags": ("Túi thời trang nữ", "Túi xách tay nữ", "Túi xách hàng hiệu"),
    "belts": ("Phụ kiện thời trang", "Thắt lưng nam", "Thắt lưng da"),
    "scarves": ("Phụ kiện thời trang", "Khăn choàng", "Khăn lụa"),
    "phones": ("Điện Thoại - Máy Tính Bảng", "Điện thoại Smartphone", "Điện thoại"),
    "tablets": ("Điện Thoại - Máy Tính Bảng", "Máy tính bảng", "Máy tính bảng"),
    "laptops": ("Laptop - Máy Vi Tính", "Laptop", "Macbook"),
    "phone_cases": ("Thiết Bị Số - Phụ Kiện Số", "Phụ kiện điện thoại", "Ốp lưng - Bao da"),
    "screen_protectors": ("Thiết Bị Số - Phụ Kiện Số", "Phụ kiện điện thoại", "Miếng dán màn hình"),
    "chargers": ("Thiết Bị Số - Phụ Kiện Số", "Phụ kiện điện thoại", "Củ sạc, cáp sạc"),
    "audio": ("Thiết Bị Số - Phụ Kiện Số", "Thiết bị âm thanh", "Tai nghe bluetooth"),
    "wearables": ("Thiết Bị Số - Phụ Kiện Số", "Thiết bị đeo thông minh", "Đồng hồ thông minh"),
    "watch_straps": ("Thiết Bị Số - Phụ Kiện Số", "Thiết bị đeo thông minh", "Dây đeo"),
    "watches": ("Đồng hồ và Trang sức", "Đồng hồ nam", "Đồng hồ đeo tay"),
    "watches_women": ("Đồng hồ và Trang sức", "Đồng hồ nữ", "Đồng hồ đeo tay"),
    "calculators": ("Văn Phòng Phẩm", "Dụng cụ học tập", "Máy tính cầm tay"),
    "kitchen": ("Nhà Cửa - Đời Sống", "Dụng cụ nhà bếp", "Nồi, chảo"),
    "appliances": ("Điện Gia Dụng", "Đồ dùng nhà bếp", "Nồi cơm điện, ấm đun"),
    "bottles": ("Nhà Cửa - Đời Sống", "Đồ dùng phòng ăn", "Bình giữ nhiệt"),
    "bath": ("Nhà Cửa - Đời Sống", "Đồ dùng phòng tắm", "Khăn tắm"),
    "storage": ("Nhà Cửa - Đời Sống", "Sắp xếp nhà cửa", "Kệ, hộp đựng"),
    "cleaning": ("Nhà Cửa - Đời Sống", "Dụng cụ vệ sinh", "Cây lau nhà"),
    "furniture": ("Nhà Cửa - Đời Sống", "Nội thất", "Bàn ghế làm việc"),
    "lighting": ("Nhà Cửa - Đời Sống", "Đèn", "Đèn bàn"),
    "fruit": ("Bách Hóa Online", "Rau - Củ - Trái cây", "Trái cây"),
    "seeds": ("Nhà Cửa - Đời Sống", "Làm vườn", "Hạt giống"),
    "garden": ("Nhà Cửa - Đời Sống", "Làm vườn", "Đất, phân bón"),
    "books": ("Nhà Sách Tiki", "Sách tiếng Việt", "Sách văn học"),
    "books_skills": ("Nhà Sách Tiki", "Sách tiếng Việt", "Sách kỹ năng sống"),
    "men_tops": ("Thời trang nam", "Áo nam", "Áo thun nam"),
    "men_bottoms": ("Thời trang nam", "Quần nam", "Quần jean nam"),
    "women_clothes": ("Thời trang nữ", "Đầm - Váy", "Đầm nữ"),
    "coffee": ("Bách Hóa Online", "Đồ uống - Pha chế", "Cà phê"),
    "tea": ("Bách Hóa Online", "Đồ uống - Pha chế", "Trà"),
    "snacks": ("Bách Hóa Online", "Bánh kẹo, đồ ăn vặt", "Hạt dinh dưỡng"),
    "honey": ("Bách Hóa Online", "Thực phẩm", "Mật ong, yến sào"),
    "rice": ("Bách Hóa Online", "Gạo, ngũ cốc", "Gạo"),
    "toys": ("Đồ Chơi - Mẹ & Bé", "Đồ chơi giáo dục", "Đồ chơi gỗ"),
}

Variant = str | tuple[str, int, int]


@dataclass(frozen=True)
class _Product:
    """A product template; ``{v}`` in the title is replaced by each variant."""

    title: str
    brand: str | None
    cat: str
    price: tuple[int, int]
    # "none" | "brand" (the brand's GS1 prefix) | "local" (the shop's 893 prefix) | "cn" (a 69 prefix)
    # | "isbn" | "bad:<prefix>" (wrong check digit) | "foreign:<prefix>" (valid, someone else's prefix)
    gtin: str
    origin: str | None
    desc: str
    variants: tuple[Variant, ...] = ("",)
    planted: tuple[str, ...] = ()
    imitates: str | None = None
    line: str | None = None
    brand_country: str | None = None


P = _Product


@dataclass(frozen=True)
class _ShopSpec:
    platform: str
    name: str
    role: Role
    location: str
    identity: Literal["full", "phone", "none"]
    days: tuple[int, int]
    count: tuple[int, int]
    products: tuple[_Product, ...]
    business_name: str | None = None
    about: str = ""


# Planted signal codes (DESIGN §3.2) used as ground truth.
LOOKALIKE = "brand.lookalike"
MISMATCH = "brand.mismatch"
SLANG = "text.slang"
BELOW = "price.below_reference"
NO_GTIN = "barcode.missing"
BAD_GTIN = "barcode.invalid"
PREFIX = "barcode.prefix_conflict"
NO_ID = "seller.no_identity"
MANY_LUX = "seller.many_luxury_brands"

_OFFICIAL_NOTE = (
    "Sản phẩm chính hãng phân phối bởi gian hàng chính thức của thương hiệu. "
    "Có hóa đơn VAT, tem phụ Tiếng Việt và được bảo hành theo chính sách của hãng."
)
_HONEST_NOTE = "Shop cam kết giao đúng mẫu như hình, đổi trả trong 7 ngày nếu sản phẩm lỗi."

_SHOPS: tuple[_ShopSpec, ...] = (
    # ----------------------------------------------------------------- official stores
    _ShopSpec(
        "demo-tiki", "Vinamilk Official Store", "official", "Hồ Chí Minh", "full", (1800, 2900), (11, 14),
        business_name="Công ty Cổ phần Sữa Việt Nam",
        about="Gian hàng chính thức của Vinamilk trên Tiki.",
        products=(
            P("Sữa bột Vinamilk Dielac Grow Plus 900g {v}", "Vinamilk", "formula", (289000, 365000), "brand", "Việt Nam",
              "Sữa bột Dielac Grow Plus giúp trẻ tăng cân, chiều cao với công thức 2X tăng cường đạm whey và Vitamin K2.",
              variants=("(cho trẻ từ 1-2 tuổi)", "(cho trẻ từ 2-10 tuổi)", "- Hộp thiếc"), line="Dielac Grow Plus 900g",
              brand_country="Việt Nam"),
            P("Sữa bột Vinamilk Dielac Alpha Gold IQ 4 900g {v}", "Vinamilk", "formula", (265000, 345000), "brand", "Việt Nam",
              "Dielac Alpha Gold IQ bổ sung DHA, ARA, Lutein hỗ trợ phát triển trí não và thị lực của trẻ.",
              variants=("(trẻ 2-6 tuổi)", "- mẫu mới"), line="Dielac Grow Plus 900g", brand_country="Việt Nam"),
            P("Thùng 48 hộp sữa tươi tiệt trùng Vinamilk 100% {v} 180ml", "Vinamilk", "fresh_milk", (385000, 425000), "brand",
              "Việt Nam", "Sữa tươi tiệt trùng từ trang trại bò sữa chuẩn quốc tế, giữ trọn dưỡng chất tự nhiên.",
              variants=("có đường", "ít đường", "không đường"), brand_country="Việt Nam"),
            P("Lốc 4 hộp sữa chua ăn Vinamilk {v} 100g", "Vinamilk", "yogurt", (24000, 31000), "brand", "Việt Nam",
              "Sữa chua lên men tự nhiên, bổ sung lợi khuẩn tốt cho hệ tiêu hóa.",
              variants=("có đường", "không đường", "nha đam", "trái cây"), brand_country="Việt Nam"),
            P("Sữa bột Vinamilk Sure Prevent Gold 900g {v}", "Vinamilk", "adult_milk", (425000, 485000), "brand", "Việt Nam",
              "Dinh dưỡng cho người lớn tuổi, bổ sung canxi, vitamin D3 và K2 giúp xương chắc khỏe.",
              variants=("dành cho người lớn tuổi", "hương vani"), brand_country="Việt Nam"),
            P("Sữa đặc có đường Ông Thọ {v}", "Vinamilk", "fresh_milk", (22000, 26000), "brand", "Việt Nam",
              "Sữa đặc Ông Thọ thơm béo, dùng pha cà phê, làm bánh.",
              variants=(("hộp giấy 380g", 22000, 26000), ("thùng 48 lon 380g", 1050000, 1150000)), brand_country="Việt Nam"),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Abbott Official Store", "official", "Hồ Chí Minh", "full", (1500, 2600), (11, 14),
        business_name="Công ty TNHH Dinh dưỡng 3A (Việt Nam)",
        about="Gian hàng chính thức của Abbott Nutrition tại Việt Nam.",
        products=(
            P("Sữa bột Similac IQ 900g {v}", "Similac", "formula", (565000, 695000), "brand", "Singapore",
              "Similac IQ với HMO 2'-FL hỗ trợ hệ miễn dịch, bổ sung DHA, Lutein và Vitamin E tự nhiên.",
              variants=("số 1 (0-6 tháng)", "số 2 (6-12 tháng)", "số 3 (1-2 tuổi)", "số 4 (2-6 tuổi)"),
              line="Similac IQ 900g", brand_country="Mỹ"),
            P("Sữa bột Similac Total Comfort 820g {v}", "Similac", "formula", (610000, 690000), "brand", "Ireland",
              "Công thức đạm thủy phân một phần, dễ tiêu hóa cho bé hay bị đầy hơi.",
              variants=("số 1", "số 2"), line="Similac IQ 900g", brand_country="Mỹ"),
            P("Sữa bột Ensure Gold {v} 850g", "Ensure", "adult_milk", (790000, 925000), "brand", "Singapore",
              "Ensure Gold với HMB giúp duy trì khối cơ, bổ sung 28 vitamin và khoáng chất.",
              variants=("hương vani", "ít ngọt", "hương hạnh nhân", "hương cà phê"), line="Ensure Gold 850g",
              brand_country="Mỹ"),
            P("Sữa bột PediaSure {v} 850g", "PediaSure", "formula", (690000, 765000), "brand", "Singapore",
              "Dinh dưỡng đầy đủ và cân đối cho trẻ biếng ăn từ 1 đến 10 tuổi.",
              variants=("hương vani", "BA hương vani"), brand_country="Mỹ"),
            P("Sữa bột Glucerna hương vani 850g {v}", "Glucerna", "adult_milk", (780000, 860000), "brand", "Singapore",
              "Dinh dưỡng chuyên biệt cho người đái tháo đường, giúp kiểm soát đường huyết.",
              variants=("", "- hộp mới"), brand_country="Mỹ"),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "La Roche-Posay Official", "official", "Hồ Chí Minh", "full", (1200, 2400), (11, 14),
        business_name="Công ty TNHH L'Oréal Việt Nam",
        about="Gian hàng chính hãng La Roche-Posay - dược mỹ phẩm cho làn da nhạy cảm.",
        products=(
            P("Kem chống nắng La Roche-Posay Anthelios UVMune 400 Invisible Fluid SPF50+ 50ml {v}", "La Roche-Posay",
              "sunscreen", (455000, 565000), "brand", "Pháp",
              "Kem chống nắng kết cấu lỏng nhẹ, bảo vệ da trước tia UVA dài, không nhờn rít.",
              variants=("", "- có màu"), line="Anthelios sunscreen 50ml", brand_country="Pháp"),
            P("Gel chống nắng La Roche-Posay Anthelios XL Dry Touch SPF50+ 50ml {v}", "La Roche-Posay", "sunscreen",
              (410000, 520000), "brand", "Pháp", "Gel-cream kiểm soát dầu, phù hợp da dầu mụn.",
              variants=("", "- bản mới"), line="Anthelios sunscreen 50ml", brand_country="Pháp"),
            P("Kem dưỡng phục hồi da La Roche-Posay Cicaplast Baume B5+ {v}", "La Roche-Posay", "skincare",
              (290000, 340000), "brand", "Pháp", "Làm dịu và phục hồi hàng rào bảo vệ da.",
              variants=(("15ml", 125000, 160000), ("40ml", 290000, 340000), ("100ml", 520000, 585000)),
              brand_country="Pháp"),
            P("Gel rửa mặt La Roche-Posay Effaclar Purifying Foaming Gel {v}", "La Roche-Posay", "cleanser",
              (370000, 430000), "brand", "Pháp", "Làm sạch sâu, giảm dầu thừa cho da dầu nhạy cảm.",
              variants=(("200ml", 370000, 430000), ("400ml", 520000, 590000)), brand_country="Pháp"),
            P("Nước xịt khoáng La Roche-Posay Thermal Spring Water {v}", "La Roche-Posay", "skincare",
              (150000, 390000), "brand", "Pháp", "Nước khoáng làm dịu da, chống oxy hóa.",
              variants=(("50ml", 150000, 185000), ("150ml", 285000, 320000), ("300ml", 360000, 395000)),
              brand_country="Pháp"),
            P("Kem dưỡng ẩm La Roche-Posay Toleriane Double Repair Moisturizer 75ml", "La Roche-Posay", "skincare",
              (480000, 560000), "brand", "Pháp", "Dưỡng ẩm 48 giờ, phục hồi hàng rào da với ceramide-3 và niacinamide.",
              brand_country="Pháp"),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Blackmores Official Store", "official", "Hồ Chí Minh", "full", (900, 2000), (10, 13),
        business_name="Công ty TNHH Blackmores Việt Nam",
        about="Thực phẩm bảo vệ sức khỏe Blackmores nhập khẩu chính ngạch từ Úc.",
        products=(
            P("Viên uống dầu cá Blackmores Fish Oil 1000mg {v}", "Blackmores", "fish_oil", (555000, 690000), "brand", "Úc",
              "Bổ sung omega-3 EPA và DHA hỗ trợ tim mạch, não bộ và thị lực.",
              variants=("400 viên", "400 viên - hộp mới"), line="Fish Oil 1000 (400 caps)", brand_country="Úc"),
            P("Viên uống dầu cá không mùi Blackmores Odourless Fish Oil 1000mg 400 viên {v}", "Blackmores", "fish_oil",
              (600000, 730000), "brand", "Úc", "Dầu cá không mùi tanh, dễ uống, bổ sung omega-3 mỗi ngày.",
              variants=("", "- date mới"), line="Fish Oil 1000 (400 caps)", brand_country="Úc"),
            P("Viên uống bổ sung canxi Blackmores Bio Calcium + D3 {v}", "Blackmores", "supplements", (320000, 520000),
              "brand", "Úc", "Bổ sung canxi và vitamin D3 giúp xương và răng chắc khỏe.",
              variants=(("120 viên", 320000, 380000), ("200 viên", 455000, 520000)), brand_country="Úc"),
            P("Vitamin tổng hợp cho bà bầu Blackmores Pregnancy & Breast-Feeding Gold 120 viên", "Blackmores",
              "supplements", (520000, 605000), "brand", "Úc", "Bổ sung DHA, acid folic, sắt và iod cho mẹ bầu.",
              brand_country="Úc"),
            P("Viên uống bổ khớp Blackmores Glucosamine Sulfate 1500mg {v}", "Blackmores", "supplements",
              (350000, 700000), "brand", "Úc", "Hỗ trợ sụn khớp, giảm đau khớp do thoái hóa.",
              variants=(("90 viên", 350000, 420000), ("180 viên", 590000, 700000)), brand_country="Úc"),
            P("Viên uống Blackmores Bio C 1000mg {v}", "Blackmores", "supplements", (180000, 560000), "brand", "Úc",
              "Vitamin C tăng sức đề kháng.",
              variants=(("31 viên", 180000, 230000), ("62 viên", 290000, 350000), ("150 viên", 480000, 560000)),
              brand_country="Úc"),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Omron Official Store", "official", "Hà Nội", "full", (1100, 2200), (11, 13),
        business_name="Công ty TNHH Omron Healthcare Việt Nam",
        about="Thiết bị y tế gia đình Omron chính hãng, bảo hành 5 năm.",
        products=(
            P("Máy đo huyết áp bắp tay Omron HEM-7121 {v}", "Omron", "bp_monitor", (850000, 1050000), "brand", "Việt Nam",
              "Máy đo huyết áp tự động, công nghệ IntelliSense, phát hiện nhịp tim bất thường.",
              variants=("", "- tặng kèm bộ đổi nguồn"), line="HEM-7121 blood pressure monitor", brand_country="Nhật Bản"),
            P("Máy đo huyết áp bắp tay Omron HEM-7156 {v}", "Omron", "bp_monitor", (1150000, 1290000), "brand",
              "Việt Nam", "Vòng bít Intelli Wrap 360°, đo chính xác ở mọi vị trí quấn.",
              variants=("", "- bảo hành 5 năm"), line="HEM-7121 blood pressure monitor", brand_country="Nhật Bản"),
            P("Máy đo huyết áp cổ tay Omron HEM-6161", "Omron", "bp_monitor", (900000, 1100000), "brand", "Việt Nam",
              "Nhỏ gọn, tiện mang theo, cảnh báo huyết áp buổi sáng.",
              line="HEM-7121 blood pressure monitor", brand_country="Nhật Bản"),
            P("Nhiệt kế điện tử Omron {v}", "Omron", "medical_devices", (90000, 1100000), "brand", "Trung Quốc",
              "Đo nhanh, chính xác, an toàn cho cả gia đình.",
              variants=(("MC-246", 90000, 130000), ("hồng ngoại đo trán MC-720", 890000, 1090000)),
              brand_country="Nhật Bản"),
            P("Máy xông khí dung Omron {v}", "Omron", "medical_devices", (900000, 1900000), "brand", "Trung Quốc",
              "Máy xông mũi họng dùng cho gia đình, hạt thuốc mịn.",
              variants=(("NE-C101", 900000, 1150000), ("NE-C28", 1600000, 1900000)), brand_country="Nhật Bản"),
            P("Máy massage xung điện Omron HV-F013", "Omron", "medical_devices", (790000, 990000), "brand", "Trung Quốc",
              "Giảm đau mỏi cơ với 9 chế độ massage.", brand_country="Nhật Bản"),
            P("Máy đo đường huyết Omron HGM-112 {v}", "Omron", "medical_devices", (890000, 1100000), "brand", "Nhật Bản",
              "Kết quả sau 5 giây, bộ nhớ 50 lần đo.", variants=("", "- kèm 25 que thử"), brand_country="Nhật Bản"),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Casio Official", "official", "Hồ Chí Minh", "full", (1300, 2500), (11, 14),
        business_name="Công ty TNHH Anh Khuê Watch",
        about="Nhà phân phối chính thức đồng hồ và máy tính Casio tại Việt Nam.",
        products=(
            P("Đồng hồ nam Casio G-Shock GA-2100-{v} dây nhựa", "Casio", "watches", (2900000, 3550000), "brand",
              "Thái Lan", "Thiết kế bát giác Carbon Core Guard, chống nước 200m, bảo hành 5 năm.",
              variants=("1A1", "4A", "7A", "1A3"), line="G-Shock GA-2100", brand_country="Nhật Bản"),
            P("Đồng hồ nam Casio G-Shock GA-B2100-{v} năng lượng mặt trời", "Casio", "watches", (3550000, 3950000),
              "brand", "Thái Lan", "Kết nối Bluetooth, sạc năng lượng mặt trời Tough Solar.",
              variants=("1A", "2A"), line="G-Shock GA-2100", brand_country="Nhật Bản"),
            P("Đồng hồ nam Casio MTP-V002D-{v} dây kim loại", "Casio", "watches", (690000, 890000), "brand", "Trung Quốc",
              "Mặt kính khoáng, chống nước 30m.", variants=("7B", "1B"), brand_country="Nhật Bản"),
            P("Đồng hồ nữ Casio LTP-V007L-{v} dây da", "Casio", "watches_women", (590000, 790000), "brand",
              "Trung Quốc", "Thiết kế thanh lịch, dây da mềm.", variants=("7E1", "1E"), brand_country="Nhật Bản"),
            P("Đồng hồ nam Casio Edifice EFR-526D-{v}", "Casio", "watches", (3500000, 4400000), "brand", "Thái Lan",
              "Chronograph thể thao, kính khoáng, dây thép không gỉ.", variants=("1AV", "5AV"),
              brand_country="Nhật Bản"),
            P("Máy tính cầm tay Casio FX-580VN X {v}", "Casio", "calculators", (650000, 720000), "brand", "Thái Lan",
              "Được phép mang vào phòng thi, 521 tính năng.", variants=("", "- bảo hành 7 năm"),
              brand_country="Nhật Bản"),
        ),
    ),
    _ShopSpec(
        "demo-shopee", "Apple Flagship Store", "official", "Hồ Chí Minh", "full", (1600, 2800), (11, 14),
        business_name="Công ty TNHH Apple Việt Nam",
        about="Apple Flagship Store - cửa hàng chính hãng Apple trên Shopee Mall.",
        products=(
            P("Apple iPhone 15 128GB - {v}", "Apple", "phones", (19190000, 21990000), "brand", "Trung Quốc",
              "iPhone 15 với Dynamic Island, camera chính 48MP và cổng USB-C.",
              variants=("Đen", "Hồng", "Vàng", "Xanh lá", "Xanh dương"), line="iPhone 15 128GB", brand_country="Mỹ"),
            P("Apple iPhone 15 Plus 128GB - {v}", "Apple", "phones", (22190000, 22990000), "brand", "Trung Quốc",
              "Màn hình 6.7 inch, pin dùng cả ngày.", variants=("Đen", "Xanh dương"), line="iPhone 15 128GB",
              brand_country="Mỹ"),
            P("Apple AirPods Pro (thế hệ thứ 2) với hộp sạc MagSafe (USB-C) {v}", "Apple", "audio", (5190000, 6190000),
              "brand", "Việt Nam", "Chống ồn chủ động gấp 2 lần, âm thanh thích ứng.", variants=("", "- Chính hãng VN/A"),
              line="AirPods Pro 2", brand_country="Mỹ"),
            P("Apple iPad Air 11 inch M2 Wi-Fi {v}", "Apple", "tablets", (15990000, 21990000), "brand", "Trung Quốc",
              "Chip M2 mạnh mẽ, hỗ trợ Apple Pencil Pro.",
              variants=(("128GB", 15990000, 16990000), ("256GB", 19490000, 20990000)), brand_country="Mỹ"),
            P("Apple MacBook Air 13 inch M2 8GB/256GB - {v}", "Apple", "laptops", (22490000, 24990000), "brand",
              "Trung Quốc", "Thiết kế mỏng nhẹ, pin đến 18 giờ.", variants=("Xám", "Bạc", "Đêm xanh thẳm"),
              brand_country="Mỹ"),
            P("Apple Watch SE (2023) GPS {v}", "Apple", "wearables", (5990000, 7290000), "brand", "Việt Nam",
              "Theo dõi sức khỏe, phát hiện té ngã.", variants=(("40mm", 5990000, 6490000), ("44mm", 6790000, 7290000)),
              brand_country="Mỹ"),
            P("Củ sạc Apple 20W USB-C Power Adapter {v}", "Apple", "chargers", (450000, 550000), "brand", "Trung Quốc",
              "Sạc nhanh chính hãng cho iPhone và iPad.", variants=("", "- MHJE3"), brand_country="Mỹ"),
        ),
    ),
    _ShopSpec(
        "demo-shopee", "Samsung Official", "official", "Hồ Chí Minh", "full", (1700, 2900), (11, 13),
        business_name="Công ty TNHH Điện tử Samsung Vina",
        about="Samsung Official Store - sản phẩm chính hãng Samsung Việt Nam.",
        products=(
            P("Điện thoại Samsung Galaxy S24 8GB/256GB - {v}", "Samsung", "phones", (17490000, 20990000), "brand",
              "Việt Nam", "Galaxy AI, camera 50MP, chip Exynos 2400.", variants=("Đen", "Tím", "Vàng", "Xám"),
              line="Galaxy S24", brand_country="Hàn Quốc"),
            P("Điện thoại Samsung Galaxy S24+ 12GB/256GB - {v}", "Samsung", "phones", (21490000, 23900000), "brand",
              "Việt Nam", "Màn hình QHD+ 6.7 inch, pin 4900mAh.", variants=("Đen", "Tím"), line="Galaxy S24",
              brand_country="Hàn Quốc"),
            P("Điện thoại Samsung Galaxy {v} 5G 8GB/128GB", "Samsung", "phones", (6790000, 9990000), "brand", "Việt Nam",
              "Camera OIS, kháng nước IP67.", variants=(("A55", 8490000, 9990000), ("A35", 6790000, 7890000)),
              brand_country="Hàn Quốc"),
            P("Máy tính bảng Samsung Galaxy Tab S9 FE Wi-Fi 6GB/128GB", "Samsung", "tablets", (7990000, 9490000), "brand",
              "Việt Nam", "Kèm bút S Pen, kháng nước IP68.", brand_country="Hàn Quốc"),
            P("Tai nghe Samsung Galaxy Buds2 Pro - {v}", "Samsung", "audio", (2490000, 3490000), "brand", "Việt Nam",
              "Chống ồn chủ động, âm thanh Hi-Fi 24bit.", variants=("Đen", "Trắng", "Tím"), brand_country="Hàn Quốc"),
            P("Đồng hồ thông minh Samsung Galaxy Watch6 {v}", "Samsung", "wearables", (4490000, 5990000), "brand",
              "Việt Nam", "Theo dõi giấc ngủ, đo điện tâm đồ.", variants=("40mm", "44mm"), brand_country="Hàn Quốc"),
            P("Củ sạc nhanh Samsung 25W Type-C {v}", "Samsung", "chargers", (250000, 350000), "brand", "Việt Nam",
              "Sạc siêu nhanh Super Fast Charging.", variants=("", "- kèm cáp"), brand_country="Hàn Quốc"),
        ),
    ),
    # ----------------------------------------------------------------- honest shops: demo-tiki
    _ShopSpec(
        "demo-tiki", "Phụ Kiện Điện Thoại Minh Phát", "honest", "Hà Nội", "full", (600, 1500), (12, 15),
        business_name="Hộ kinh doanh Phụ kiện Minh Phát",
        about="Chuyên phụ kiện điện thoại giá tốt, giao nhanh nội thành Hà Nội.",
        products=(
            P("Ốp lưng cho iPhone 15 Pro Max silicon {v}", "OEM", "phone_cases", (59000, 89000), "cn", "Trung Quốc",
              "Ốp silicon mềm, lót nỉ bên trong, chống bám vân tay. Tương thích iPhone 15 Pro Max.",
              variants=("màu đen", "màu xanh navy", "màu hồng phấn", "màu trắng kem")),
            P("Ốp lưng trong suốt chống sốc cho iPhone 15 / 15 Plus {v}", "OEM", "phone_cases", (45000, 69000), "cn",
              "Trung Quốc", "Ốp trong suốt, 4 góc chống sốc, không ố vàng.", variants=("", "có MagSafe")),
            P("Dây đeo thay thế cho Apple Watch {v} silicon", "OEM", "watch_straps", (49000, 79000), "cn", "Trung Quốc",
              "Dây silicon mềm, chống mồ hôi, dùng cho Apple Watch Series 4 đến 9 và SE.",
              variants=("38/40/41mm", "42/44/45mm")),
            P("Sạc nhanh dành cho Samsung 25W Type-C {v}", "OEM", "chargers", (99000, 149000), "cn", "Trung Quốc",
              "Củ sạc PD 25W dành cho Samsung Galaxy, có chip bảo vệ quá nhiệt.", variants=("", "kèm cáp C to C 1m")),
            P("Cáp sạc Type-C sang Lightning 1m tương thích iPhone {v}", "OEM", "chargers", (49000, 79000), "cn",
              "Trung Quốc", "Dây dù bền chắc, hỗ trợ sạc nhanh 20W.", variants=("", "dây dù")),
            P("Kính cường lực cho Samsung Galaxy S24 full màn {v}", "OEM", "screen_protectors", (35000, 59000), "cn",
              "Trung Quốc", "Kính 9H, vát cạnh 2.5D, tặng kèm khăn lau.", variants=("", "(hộp 2 miếng)")),
            P("Giá đỡ điện thoại để bàn hợp kim nhôm {v}", None, "phone_cases", (59000, 99000), "none", "Trung Quốc",
              "Gấp gọn, điều chỉnh góc nghiêng, dùng cho điện thoại và máy tính bảng.", variants=("màu bạc", "màu xám")),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Trái Cây Miền Tây Cô Ba", "honest", "Tiền Giang", "full", (400, 1200), (11, 13),
        business_name="Hộ kinh doanh Trái cây Cô Ba",
        about="Trái cây tươi hái tại vườn Cái Bè, Tiền Giang, giao trong ngày.",
        products=(
            P("Xoài cát Hòa Lộc loại 1 {v}", None, "fruit", (120000, 260000), "none", "Việt Nam",
              "Xoài cát Hòa Lộc chính gốc Cái Bè, trái to 400-600g, chín cây thơm ngọt. Loại 1 là trái đẹp, đều.",
              variants=(("(hộp 2kg)", 120000, 160000), ("(thùng 5kg)", 220000, 260000))),
            P("Bưởi da xanh Bến Tre loại 1 {v}", None, "fruit", (70000, 180000), "none", "Việt Nam",
              "Bưởi da xanh ruột hồng, múi ráo, ngọt thanh.",
              variants=(("(trái 1.5-2kg)", 70000, 95000), ("(combo 3 trái)", 150000, 180000))),
            P("Sầu riêng Ri6 loại 1 nguyên trái {v}", None, "fruit", (180000, 320000), "none", "Việt Nam",
              "Sầu riêng Ri6 cơm vàng hạt lép, bao ăn.", variants=(("2-3kg", 180000, 240000), ("3-4kg", 250000, 320000))),
            P("Thanh long ruột đỏ Long An {v}", None, "fruit", (55000, 120000), "none", "Việt Nam",
              "Thanh long ruột đỏ ngọt mát, hái tại vườn.", variants=(("2kg", 55000, 70000), ("5kg", 100000, 120000))),
            P("Măng cụt Lái Thiêu {v}", None, "fruit", (85000, 160000), "none", "Việt Nam",
              "Măng cụt tươi, vỏ mỏng, múi trắng ngọt.", variants=(("1kg", 85000, 99000), ("2kg", 140000, 160000))),
            P("Dừa xiêm xanh Bến Tre {v}", None, "fruit", (120000, 220000), "none", "Việt Nam",
              "Dừa xiêm nước ngọt thanh, gọt sẵn tiện dùng.",
              variants=(("combo 10 trái", 120000, 150000), ("combo 20 trái", 190000, 220000))),
            P("Chôm chôm nhãn Vĩnh Long {v}", None, "fruit", (60000, 110000), "none", "Việt Nam",
              "Chôm chôm nhãn tróc, giòn ngọt.", variants=(("1kg", 60000, 75000), ("2kg", 95000, 110000))),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Nông Sản Xanh - Hạt Giống Phú Nông", "honest", "Cần Thơ", "full", (700, 2000), (11, 13),
        business_name="Công ty TNHH Nông Sản Xanh Cần Thơ",
        about="Hạt giống rau củ, phân bón hữu cơ cho vườn nhà.",
        products=(
            P("Hạt giống dưa leo F1 chịu nhiệt {v}", "Phú Nông", "seeds", (15000, 45000), "local", "Việt Nam",
              "Giống F1 lai, sinh trưởng khỏe, kháng bệnh, thu hoạch sau 35-40 ngày.",
              variants=(("(gói 50 hạt)", 15000, 22000), ("(gói 200 hạt)", 35000, 45000))),
            P("Hạt giống cà chua bi F1 {v}", "Phú Nông", "seeds", (15000, 30000), "local", "Việt Nam",
              "Giống F1 năng suất cao, trái đỏ đẹp, phù hợp trồng chậu.", variants=("(gói 0.1g)", "đỏ (gói 0.1g)")),
            P("Hạt giống ớt chỉ thiên F1 {v}", "Phú Nông", "seeds", (15000, 28000), "local", "Việt Nam",
              "Ớt cay nồng, sai trái, trồng quanh năm.", variants=("(gói 0.2g)", "siêu cay (gói 0.2g)")),
            P("Hạt giống rau muống lá tre {v}", "Phú Nông", "seeds", (12000, 35000), "local", "Việt Nam",
              "Dễ trồng, nhanh thu hoạch.", variants=(("(gói 50g)", 12000, 18000), ("(gói 500g)", 28000, 35000))),
            P("Đất sạch trộn trấu hữu cơ {v}", None, "garden", (45000, 120000), "local", "Việt Nam",
              "Đất tơi xốp, đã xử lý nấm bệnh, dùng trồng rau và hoa.",
              variants=(("20dm3", 45000, 60000), ("50dm3", 95000, 120000))),
            P("Phân trùn quế nguyên chất {v}", None, "garden", (40000, 110000), "local", "Việt Nam",
              "Phân hữu cơ sinh học, an toàn cho rau ăn lá.",
              variants=(("5kg", 40000, 55000), ("15kg", 90000, 110000))),
            P("Bình tưới cây phun sương {v}", None, "garden", (35000, 85000), "none", "Việt Nam",
              "Nhựa PP bền, vòi điều chỉnh tia nước.", variants=(("2 lít", 35000, 50000), ("5 lít", 65000, 85000))),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Nhà Sách Tri Thức", "honest", "Hà Nội", "full", (1500, 3000), (12, 15),
        business_name="Công ty Cổ phần Sách Tri Thức",
        about="Sách chính bản từ các nhà xuất bản uy tín.",
        products=(
            P("Sách Đắc Nhân Tâm {v}", "NXB Tổng Hợp TP.HCM", "books_skills", (76000, 168000), "isbn", "Việt Nam",
              "Cuốn sách kinh điển về nghệ thuật giao tiếp và thu phục lòng người của Dale Carnegie.",
              variants=(("(bìa mềm)", 76000, 89000), ("(bìa cứng)", 139000, 168000))),
            P("Sách Nhà Giả Kim - Paulo Coelho {v}", "NXB Hội Nhà Văn", "books", (59000, 79000), "isbn", "Việt Nam",
              "Hành trình theo đuổi ước mơ của chàng chăn cừu Santiago.", variants=("", "(tái bản)")),
            P("Sách Cây Cam Ngọt Của Tôi {v}", "NXB Hội Nhà Văn", "books", (82000, 108000), "isbn", "Việt Nam",
              "Tiểu thuyết cảm động về tuổi thơ của cậu bé Zezé.", variants=("", "(bản đặc biệt)")),
            P("Sách Tuổi Trẻ Đáng Giá Bao Nhiêu {v}", "NXB Hội Nhà Văn", "books_skills", (62000, 80000), "isbn",
              "Việt Nam", "Những trang viết truyền cảm hứng cho người trẻ của Rosie Nguyễn.", variants=("", "(tái bản)")),
            P("Sách Dế Mèn Phiêu Lưu Ký - Tô Hoài {v}", "NXB Kim Đồng", "books", (45000, 150000), "isbn", "Việt Nam",
              "Tác phẩm văn học thiếu nhi kinh điển.",
              variants=(("(bìa mềm)", 45000, 58000), ("(bản minh họa màu)", 120000, 150000))),
            P("Sách Atomic Habits - Thay Đổi Tí Hon Hiệu Quả Bất Ngờ {v}", "NXB Thế Giới", "books_skills",
              (129000, 189000), "isbn", "Việt Nam", "Xây dựng thói quen tốt, loại bỏ thói quen xấu.",
              variants=("", "(tái bản 2024)")),
            P("Sách Sapiens: Lược Sử Loài Người {v}", "NXB Thế Giới", "books", (199000, 289000), "isbn", "Việt Nam",
              "Yuval Noah Harari kể lại lịch sử loài người từ thời đồ đá đến nay.", variants=("", "(bìa cứng)")),
            P("Sách Số Đỏ - Vũ Trọng Phụng {v}", "NXB Văn Học", "books", (55000, 75000), "isbn", "Việt Nam",
              "Tiểu thuyết trào phúng nổi tiếng của văn học Việt Nam.", variants=("", "(tái bản)")),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Gia Dụng Nhà Mình", "honest", "Hồ Chí Minh", "full", (800, 1900), (12, 14),
        business_name="Công ty TNHH Thương mại Gia Dụng Nhà Mình",
        about="Đồ gia dụng bền đẹp cho mọi gia đình Việt.",
        products=(
            P("Chảo chống dính đáy từ Sunhouse {v}", "Sunhouse", "kitchen", (165000, 260000), "local", "Việt Nam",
              "Lớp chống dính an toàn, dùng được bếp từ.",
              variants=(("20cm", 165000, 199000), ("26cm", 215000, 260000))),
            P("Nồi cơm điện Sunhouse 1.8L SHD8602 {v}", "Sunhouse", "appliances", (520000, 650000), "local", "Việt Nam",
              "Lòng nồi chống dính, giữ ấm 12 giờ.", variants=("", "màu trắng")),
            P("Bình giữ nhiệt inox 304 Elmich EL-8013OL {v}", "Elmich", "bottles", (165000, 245000), "local", "Trung Quốc",
              "Giữ nóng 6 giờ, giữ lạnh 8 giờ, inox 304 an toàn.", variants=("480ml", "480ml màu xanh"),
              line="Insulated bottle 480ml", brand_country="Cộng Hòa Séc"),
            P("Hộp đựng thực phẩm thủy tinh chịu nhiệt {v}", None, "kitchen", (129000, 259000), "local", "Việt Nam",
              "Dùng được lò vi sóng, nắp khóa 4 cạnh kín hơi.",
              variants=(("bộ 3 hộp", 129000, 159000), ("bộ 5 hộp", 219000, 259000))),
            P("Khăn tắm cotton 70x140cm <dày> & \"siêu thấm\" {v}", None, "bath", (89000, 129000), "none", "Việt Nam",
              "Khăn 100% cotton dệt tại Việt Nam.", variants=("màu trắng", "màu xám")),
            P("Móc treo quần áo inox chống gỉ {v}", None, "storage", (45000, 89000), "none", "Việt Nam",
              "Inox 201 dày dặn, không gỉ sét.", variants=(("bộ 10 cái", 45000, 55000), ("bộ 20 cái", 79000, 89000))),
            P("Ấm siêu tốc inox 304 1.8L {v}", None, "appliances", (159000, 229000), "local", "Trung Quốc",
              "Tự ngắt khi sôi, đế xoay 360 độ.", variants=("", "2 lớp chống nóng")),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Thời Trang Nam Basic Việt", "honest", "Hồ Chí Minh", "full", (300, 1100), (12, 15),
        business_name="Hộ kinh doanh Basic Việt",
        about="Quần áo nam basic may tại xưởng Tân Bình.",
        products=(
            P("Áo thun nam cổ tròn cotton 100% {v}", None, "men_tops", (79000, 129000), "none", "Việt Nam",
              "Vải cotton 4 chiều, thấm hút mồ hôi, form regular.",
              variants=("màu trắng", "màu đen", "màu xám tiêu", "màu xanh rêu")),
            P("Áo polo nam vải cá sấu {v}", None, "men_tops", (139000, 189000), "none", "Việt Nam",
              "Vải cá sấu CVC co giãn, cổ bẻ đứng form.", variants=("màu đen", "màu trắng", "màu be")),
            P("Quần jean nam ống đứng {v}", None, "men_bottoms", (229000, 299000), "none", "Việt Nam",
              "Denim co giãn nhẹ, không phai màu.", variants=("xanh đậm", "xanh nhạt", "đen")),
            P("Quần short kaki nam {v}", None, "men_bottoms", (119000, 169000), "none", "Việt Nam",
              "Kaki cotton mềm, túi sâu.", variants=("màu be", "màu rêu", "màu đen")),
            P("Áo sơ mi nam dài tay công sở {v}", None, "men_tops", (169000, 239000), "none", "Việt Nam",
              "Vải lụa bamboo chống nhăn.", variants=("trắng", "xanh da trời")),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Mỹ Phẩm Thiên Nhiên Mộc Lan Thảo", "honest", "Hà Nội", "full", (500, 1600), (11, 13),
        business_name="Công ty TNHH Mộc Lan Thảo",
        about="Mỹ phẩm thảo dược sản xuất tại Việt Nam, có phiếu công bố mỹ phẩm.",
        products=(
            P("Sữa rửa mặt nghệ Mộc Lan Thảo {v}", "Mộc Lan Thảo", "cleanser", (89000, 159000), "local", "Việt Nam",
              "Chiết xuất nghệ tươi Hưng Yên, làm sạch dịu nhẹ.",
              variants=(("100ml", 89000, 109000), ("200ml", 139000, 159000))),
            P("Son dưỡng môi dầu dừa Bến Tre Mộc Lan Thảo {v}", "Mộc Lan Thảo", "makeup", (45000, 69000), "local",
              "Việt Nam", "Dưỡng ẩm, giảm nứt nẻ môi.", variants=("không màu", "màu hồng đào", "màu cam")),
            P("Dầu gội bồ kết thảo dược Mộc Lan Thảo {v}", "Mộc Lan Thảo", "haircare", (99000, 179000), "local", "Việt Nam",
              "Bồ kết, hương nhu, vỏ bưởi giúp giảm gãy rụng.",
              variants=(("300ml", 99000, 119000), ("500ml", 159000, 179000))),
            P("Kem chống nắng vật lý Mộc Lan Thảo SPF50 PA+++ {v}", "Mộc Lan Thảo", "sunscreen", (159000, 199000),
              "local", "Việt Nam", "Màng lọc vật lý zinc oxide, không gây bí da.", variants=("50ml", "50ml nâng tông")),
            P("Nước hoa hồng diếp cá Mộc Lan Thảo {v}", "Mộc Lan Thảo", "skincare", (119000, 189000), "local", "Việt Nam",
              "Cân bằng pH, giảm mụn viêm.", variants=(("150ml", 119000, 139000), ("310ml", 169000, 189000))),
            P("Tinh dầu bưởi kích mọc tóc Mộc Lan Thảo {v}", "Mộc Lan Thảo", "haircare", (129000, 149000), "local",
              "Việt Nam", "Tinh dầu vỏ bưởi nguyên chất.", variants=("100ml", "100ml dạng xịt")),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Nhà Thuốc An Tâm", "honest", "Hà Nội", "full", (900, 2400), (11, 13),
        business_name="Công ty Cổ phần Dược phẩm An Tâm",
        about="Nhà thuốc đạt chuẩn GPP, dược sĩ tư vấn miễn phí.",
        products=(
            P("Thuốc giảm đau hạ sốt Panadol Extra {v}", "Panadol", "medicine", (195000, 265000), "brand", "Việt Nam",
              "Paracetamol 500mg và Caffeine 65mg giảm đau đầu, đau răng, hạ sốt. Đọc kỹ hướng dẫn sử dụng trước khi dùng.",
              variants=("(hộp 15 vỉ x 12 viên)", "hộp 180 viên"), line="Panadol Extra (180 tablets)",
              brand_country="Anh"),
            P("Máy đo huyết áp bắp tay Omron HEM-7121 {v}", "Omron", "bp_monitor", (880000, 1050000), "brand", "Việt Nam",
              "Hàng chính hãng, bảo hành 5 năm tại trung tâm Omron.", variants=("", "- tặng pin"),
              line="HEM-7121 blood pressure monitor", brand_country="Nhật Bản"),
            P("Khẩu trang y tế 4 lớp kháng khuẩn {v}", None, "medical_supplies", (35000, 65000), "local", "Việt Nam",
              "Đạt tiêu chuẩn TCVN, lọc bụi mịn.", variants=(("hộp 50 cái", 35000, 45000), ("hộp 100 cái", 55000, 65000))),
            P("Nước muối sinh lý Natri Clorid 0.9% {v}", None, "medical_supplies", (6000, 65000), "local", "Việt Nam",
              "Súc miệng, rửa mũi hằng ngày.", variants=(("chai 500ml", 6000, 9000), ("thùng 20 chai 500ml", 55000, 65000))),
            P("Cồn y tế 70 độ sát khuẩn {v}", None, "medical_supplies", (15000, 99000), "local", "Việt Nam",
              "Sát khuẩn dụng cụ và vết thương ngoài da.", variants=(("chai 500ml", 15000, 22000), ("can 5 lít", 85000, 99000))),
            P("Băng cá nhân vải co giãn {v}", None, "medical_supplies", (25000, 45000), "local", "Việt Nam",
              "Băng keo cá nhân thoáng khí, không thấm nước.", variants=("hộp 100 miếng", "hộp 102 miếng")),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Mẹ Bé Hạnh Phúc", "honest", "Đà Nẵng", "full", (700, 1700), (11, 13),
        business_name="Hộ kinh doanh Mẹ Bé Hạnh Phúc",
        about="Đồ dùng cho mẹ và bé tại Đà Nẵng.",
        products=(
            P("Tã dán sơ sinh Bobby {v}", "Bobby", "diapers", (179000, 359000), "local", "Việt Nam",
              "Thấm hút nhanh, mềm mại, chống hăm.", variants=(("size M 76 miếng", 299000, 339000),
                                                             ("size L 68 miếng", 309000, 359000),
                                                             ("size NB 40 miếng", 179000, 209000))),
            P("Bình sữa nhựa PP cổ rộng {v}", None, "baby_care", (79000, 149000), "local", "Việt Nam",
              "Nhựa PP không BPA, núm ti silicon mềm.", variants=(("150ml", 79000, 99000), ("250ml", 119000, 149000))),
            P("Khăn ướt không mùi cho bé {v}", None, "baby_care", (25000, 89000), "local", "Việt Nam",
              "Không cồn, không hương liệu.", variants=(("gói 100 tờ", 25000, 32000), ("thùng 6 gói", 79000, 89000))),
            P("Sữa bột Friso Gold 4 850g {v}", "Friso", "formula", (520000, 620000), "brand", "Hà Lan",
              "Hàng nhập khẩu chính ngạch, có tem phụ tiếng Việt, date mới.", variants=("(trẻ 2-6 tuổi)", "- mẫu mới"),
              line="Friso Gold 850g", brand_country="Hà Lan"),
            P("Nước giặt xả cho bé hương dịu nhẹ {v}", None, "baby_care", (119000, 199000), "local", "Việt Nam",
              "Chiết xuất thiên nhiên, an toàn cho da bé.",
              variants=(("túi 2.4 lít", 119000, 139000), ("can 3.8 lít", 179000, 199000))),
            P("Yếm ăn dặm silicon cho bé {v}", None, "baby_care", (45000, 65000), "none", "Trung Quốc",
              "Silicon mềm, có máng hứng thức ăn.", variants=("màu xanh", "màu hồng", "màu vàng")),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Đặc Sản Tây Nguyên Ea Tam", "honest", "Đắk Lắk", "full", (500, 1400), (11, 13),
        business_name="Hợp tác xã Nông nghiệp Ea Tam",
        about="Cà phê, hồ tiêu, mật ong từ vùng đất đỏ Buôn Ma Thuột.",
        products=(
            P("Cà phê Robusta rang mộc nguyên chất {v}", "Ea Tam Coffee", "coffee", (89000, 320000), "local", "Việt Nam",
              "Hạt Robusta Buôn Ma Thuột rang mộc, không tẩm ướp.",
              variants=(("gói 500g", 89000, 129000), ("gói 1kg", 169000, 220000), ("dạng hạt 1kg", 175000, 230000))),
            P("Cà phê phin Arabica Cầu Đất {v}", "Ea Tam Coffee", "coffee", (99000, 180000), "local", "Việt Nam",
              "Hương thơm trái cây, vị chua thanh.", variants=(("gói 250g", 99000, 119000), ("gói 500g", 160000, 180000))),
            P("Mật ong hoa cà phê nguyên chất {v}", "Ea Tam", "honey", (120000, 250000), "local", "Việt Nam",
              "Mật ong khai thác tự nhiên mùa hoa cà phê.",
              variants=(("chai 500ml", 120000, 150000), ("chai 1 lít", 210000, 250000))),
            P("Hạt điều rang muối Bình Phước {v}", "Ea Tam", "snacks", (135000, 280000), "local", "Việt Nam",
              "Hạt điều loại W320 còn vỏ lụa, rang củi.", variants=(("hũ 500g", 135000, 160000), ("túi 1kg", 250000, 280000))),
            P("Tiêu đen Chư Sê {v}", "Ea Tam", "snacks", (85000, 160000), "local", "Việt Nam",
              "Hạt tiêu chắc, thơm cay.", variants=(("gói 250g", 85000, 99000), ("gói 500g", 140000, 160000))),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Đồ Chơi Gỗ Bé Yêu", "honest", "Bình Dương", "full", (400, 1200), (11, 13),
        business_name="Hộ kinh doanh Đồ chơi Bé Yêu",
        about="Đồ chơi gỗ an toàn, sơn gốc nước.",
        products=(
            P("Bộ xếp hình gỗ {v}", None, "toys", (89000, 219000), "local", "Việt Nam",
              "Gỗ thông tự nhiên, sơn an toàn cho trẻ.",
              variants=(("50 chi tiết", 89000, 109000), ("100 chi tiết", 149000, 179000), ("thành phố 120 chi tiết", 189000, 219000))),
            P("Bảng chữ cái tiếng Việt bằng gỗ {v}", None, "toys", (79000, 129000), "local", "Việt Nam",
              "Giúp bé làm quen chữ cái và số đếm.", variants=("có nam châm", "kèm bảng số")),
            P("Đồ chơi câu cá gỗ nam châm {v}", None, "toys", (69000, 99000), "local", "Việt Nam",
              "Rèn luyện sự khéo léo cho bé.", variants=("10 con cá", "20 con cá")),
            P("Tháp xếp chồng cầu vồng bằng gỗ {v}", None, "toys", (99000, 149000), "local", "Việt Nam",
              "Đồ chơi Montessori phát triển tư duy màu sắc.", variants=("7 tầng", "12 tầng")),
            P("Bộ đồ chơi nấu ăn bằng gỗ {v}", None, "toys", (189000, 349000), "local", "Việt Nam",
              "Kèm rau củ cắt ghép bằng gỗ.", variants=(("18 món", 189000, 229000), ("32 món", 299000, 349000))),
        ),
    ),
    # ----------------------------------------------------------------- honest shops: demo-shopee
    _ShopSpec(
        "demo-shopee", "Ốp Lưng Xinh Case", "honest", "Hồ Chí Minh", "full", (400, 1300), (11, 14),
        business_name="Hộ kinh doanh Xinh Case",
        about="Ốp lưng, dây đeo, phụ kiện điện thoại đủ mẫu.",
        products=(
            P("Ốp lưng cho iPhone 15 Pro Max silicon {v}", "No Brand", "phone_cases", (55000, 85000), "cn",
              "Trung Quốc", "Ốp silicon lót nỉ, ôm sát máy.", variants=("màu tím", "màu xanh mint", "màu đen")),
            P("Dây đeo thay thế cho Apple Watch vải dù {v}", "No Brand", "watch_straps", (59000, 89000), "cn",
              "Trung Quốc", "Dây vải dù khóa dán, nhẹ và thoáng.", variants=("41mm", "45mm", "49mm Ultra")),
            P("Miếng dán cường lực chống nhìn trộm cho iPhone 15 {v}", "No Brand", "screen_protectors", (39000, 69000),
              "cn", "Trung Quốc", "Chống nhìn trộm 2 bên, độ cứng 9H.", variants=("", "Pro Max")),
            P("Giá đỡ điện thoại dán lưng hình thú {v}", "No Brand", "phone_cases", (19000, 35000), "none", "Trung Quốc",
              "Nhỏ gọn, dán chắc, xoay 360 độ.", variants=("mèo", "gấu", "thỏ")),
            P("Ốp lưng Samsung Galaxy A55 chống sốc viền màu {v}", "No Brand", "phone_cases", (45000, 69000), "cn",
              "Trung Quốc", "Viền dẻo chống sốc, lưng nhám chống vân tay.", variants=("đen", "xanh")),
        ),
    ),
    _ShopSpec(
        "demo-shopee", "Thời Trang Nữ Mộc Miên", "honest", "Hà Nội", "full", (300, 1000), (11, 14),
        business_name="Hộ kinh doanh Mộc Miên",
        about="Thời trang nữ thiết kế, may tại Hà Nội.",
        products=(
            P("Đầm suông linen cổ vuông {v}", "No Brand", "women_clothes", (189000, 259000), "none", "Việt Nam",
              "Vải linen mát, form suông che khuyết điểm.", variants=("màu be", "màu trắng", "màu xanh olive")),
            P("Áo kiểu nữ tay phồng cổ nơ {v}", "No Brand", "women_clothes", (129000, 179000), "none", "Việt Nam",
              "Voan lụa hai lớp, không xuyên thấu.", variants=("trắng", "hồng", "đen")),
            P("Chân váy chữ A lưng cao {v}", "No Brand", "women_clothes", (119000, 169000), "none", "Việt Nam",
              "Vải tuyết mưa dày dặn, có lót trong.", variants=("đen", "nâu", "kem")),
            P("Bộ đồ ngủ lụa cộc tay {v}", "No Brand", "women_clothes", (159000, 229000), "none", "Việt Nam",
              "Lụa satin mềm mại, mát mẻ.", variants=("hồng phấn", "xanh ngọc", "tím than")),
            P("Quần culottes ống rộng {v}", "No Brand", "women_clothes", (139000, 189000), "none", "Việt Nam",
              "Cạp chun sau, dáng suông thoải mái.", variants=("đen", "be")),
        ),
    ),
    _ShopSpec(
        "demo-shopee", "Gạo Sạch Sóc Trăng", "honest", "Sóc Trăng", "full", (600, 1600), (11, 13),
        business_name="Cơ sở xay xát Gạo Sạch Sóc Trăng",
        about="Gạo đặc sản Sóc Trăng xay mới mỗi ngày.",
        products=(
            P("Gạo ST25 thơm dẻo {v}", "Gạo Sạch Sóc Trăng", "rice", (165000, 330000), "local", "Việt Nam",
              "Gạo ST25 ruộng tôm lúa, cơm dẻo thơm mùi lá dứa.",
              variants=(("túi 5kg", 165000, 195000), ("túi 10kg", 290000, 330000))),
            P("Gạo ST24 đặc sản {v}", "Gạo Sạch Sóc Trăng", "rice", (145000, 295000), "local", "Việt Nam",
              "Gạo ST24 hạt dài, cơm mềm.", variants=(("túi 5kg", 145000, 170000), ("túi 10kg", 260000, 295000))),
            P("Gạo lứt đỏ hữu cơ {v}", "Gạo Sạch Sóc Trăng", "rice", (69000, 160000), "local", "Việt Nam",
              "Giàu chất xơ, tốt cho người ăn kiêng.", variants=(("túi 2kg", 69000, 85000), ("túi 5kg", 140000, 160000))),
            P("Nếp cái hoa vàng {v}", "Gạo Sạch Sóc Trăng", "rice", (75000, 180000), "local", "Việt Nam",
              "Nếp dẻo thơm, nấu xôi, làm bánh.", variants=(("túi 2kg", 75000, 90000), ("túi 5kg", 160000, 180000))),
            P("Gạo thơm Jasmine {v}", "Gạo Sạch Sóc Trăng", "rice", (120000, 230000), "local", "Việt Nam",
              "Cơm mềm, thơm nhẹ.", variants=(("túi 5kg", 120000, 140000), ("túi 10kg", 210000, 230000))),
        ),
    ),
    _ShopSpec(
        "demo-shopee", "Nhà Cửa Gọn Gàng", "honest", "Bình Dương", "full", (500, 1500), (11, 14),
        business_name="Hộ kinh doanh Gọn Gàng",
        about="Đồ sắp xếp nhà cửa thông minh.",
        products=(
            P("Kệ để giày nhiều tầng lắp ghép {v}", "No Brand", "storage", (89000, 219000), "none", "Việt Nam",
              "Khung thép sơn tĩnh điện, lắp ráp không cần dụng cụ.",
              variants=(("4 tầng", 89000, 119000), ("5 tầng", 129000, 159000), ("7 tầng", 189000, 219000))),
            P("Thùng rác đạp chân nắp đậy {v}", "No Brand", "cleaning", (79000, 169000), "none", "Việt Nam",
              "Nhựa PP dày, lõi rút tiện lợi.", variants=(("12 lít", 79000, 99000), ("20 lít", 139000, 169000))),
            P("Hộp đựng đồ nhựa có nắp {v}", "No Brand", "storage", (59000, 139000), "none", "Việt Nam",
              "Nhựa trong suốt, xếp chồng gọn gàng.", variants=(("20 lít", 59000, 79000), ("55 lít", 119000, 139000))),
            P("Cây lau nhà xoay 360 độ {v}", "No Brand", "cleaning", (149000, 259000), "none", "Việt Nam",
              "Thùng vắt inox, tặng kèm 2 bông lau.", variants=(("bộ cơ bản", 149000, 179000), ("bộ cao cấp", 219000, 259000))),
            P("Móc dán tường chịu lực {v}", "No Brand", "storage", (25000, 59000), "none", "Trung Quốc",
              "Chịu tải 5kg, không cần khoan tường.", variants=(("set 10 cái", 25000, 35000), ("set 30 cái", 49000, 59000))),
        ),
    ),
    # ----------------------------------------------------------------- honest shops: demo-web
    _ShopSpec(
        "demo-web", "Đồ Thể Thao Thành Đạt", "honest", "Hà Nội", "full", (900, 2500), (11, 13),
        business_name="Công ty TNHH Thể thao Thành Đạt",
        about="Dụng cụ thể thao chính hãng Động Lực và các thương hiệu Việt.",
        products=(
            P("Bóng đá Động Lực UHV 2.07 số {v}", "Động Lực", "sports", (290000, 420000), "local", "Việt Nam",
              "Bóng thi đấu tiêu chuẩn FIFA Quality.", variants=("5", "4")),
            P("Vợt cầu lông carbon {v}", "Động Lực", "sports", (250000, 690000), "local", "Việt Nam",
              "Khung carbon nhẹ, căng sẵn 10kg.",
              variants=(("bản cơ bản", 250000, 320000), ("bản thi đấu", 590000, 690000))),
            P("Quần áo bóng đá không logo {v}", None, "sports", (89000, 129000), "none", "Việt Nam",
              "Vải thun lạnh co giãn, in tên số theo yêu cầu.", variants=("màu đỏ", "màu xanh", "màu vàng")),
            P("Dây nhảy thể dục lõi thép {v}", None, "sports", (45000, 99000), "none", "Trung Quốc",
              "Tay cầm chống trượt, dây điều chỉnh độ dài.", variants=("", "có đếm số")),
            P("Thảm tập yoga TPE 6mm {v}", None, "sports", (159000, 229000), "local", "Việt Nam",
              "Chống trơn hai mặt, kèm túi đựng.", variants=("màu tím", "màu xanh", "màu hồng")),
        ),
    ),
    _ShopSpec(
        "demo-web", "Cà Phê Phố Núi", "honest", "Lâm Đồng", "full", (700, 1800), (11, 13),
        business_name="Công ty TNHH Cà phê Phố Núi",
        about="Cà phê và trà đặc sản Lâm Đồng.",
        products=(
            P("Cà phê Arabica Cầu Đất rang xay {v}", "Phố Núi", "coffee", (95000, 340000), "local", "Việt Nam",
              "Arabica Cầu Đất độ cao 1.500m, rang vừa.",
              variants=(("250g", 95000, 120000), ("500g", 175000, 210000), ("1kg", 310000, 340000))),
            P("Trà Ô Long Bảo Lộc {v}", "Phố Núi", "tea", (120000, 260000), "local", "Việt Nam",
              "Trà ô long cao cấp, nước vàng sánh.", variants=(("gói 250g", 120000, 145000), ("gói 500g", 220000, 260000))),
            P("Trà atiso Đà Lạt túi lọc {v}", "Phố Núi", "tea", (45000, 99000), "local", "Việt Nam",
              "Thanh nhiệt, mát gan.", variants=(("hộp 25 túi", 45000, 55000), ("hộp 100 túi", 85000, 99000))),
            P("Cà phê Culi Robusta đặc biệt {v}", "Phố Núi", "coffee", (110000, 210000), "local", "Việt Nam",
              "Hạt culi đậm đà, hậu vị ngọt.", variants=(("500g", 110000, 130000), ("1kg", 190000, 210000))),
            P("Mứt dâu tây Đà Lạt {v}", "Phố Núi", "snacks", (55000, 99000), "local", "Việt Nam",
              "Dâu tây tươi sên đường phèn.", variants=(("hũ 250g", 55000, 65000), ("hũ 500g", 89000, 99000))),
        ),
    ),
    _ShopSpec(
        "demo-web", "Nội Thất GoHome", "honest", "Hồ Chí Minh", "full", (600, 1700), (11, 13),
        business_name="Công ty TNHH Nội thất GoHome",
        about="Nội thất văn phòng và gia đình, giao lắp miễn phí nội thành TP.HCM.",
        products=(
            P("Bàn làm việc gỗ MDF chân sắt {v}", "GoHome", "furniture", (690000, 1490000), "none", "Việt Nam",
              "Mặt gỗ MDF phủ melamine chống trầy.",
              variants=(("100x50cm", 690000, 850000), ("120x60cm", 890000, 1090000), ("140x70cm", 1290000, 1490000))),
            P("Ghế công thái học lưới có tựa đầu {v}", "GoHome", "furniture", (1490000, 2990000), "none", "Trung Quốc",
              "Tựa lưng lưới thoáng khí, tay ghế 3D.",
              variants=(("bản tiêu chuẩn", 1490000, 1890000), ("bản cao cấp", 2490000, 2990000))),
            P("Kệ sách gỗ {v}", "GoHome", "furniture", (390000, 890000), "none", "Việt Nam",
              "Gỗ MDF lõi xanh chống ẩm.", variants=(("3 tầng", 390000, 490000), ("5 tầng", 690000, 890000))),
            P("Đèn bàn LED chống cận {v}", "GoHome", "lighting", (199000, 399000), "local", "Trung Quốc",
              "3 chế độ màu ánh sáng, không nhấp nháy.", variants=(("kẹp bàn", 199000, 249000), ("để bàn có sạc", 329000, 399000))),
            P("Tủ quần áo vải khung thép {v}", "GoHome", "storage", (259000, 459000), "none", "Việt Nam",
              "Lắp ráp dễ dàng, vải không dệt chống bụi.", variants=(("2 buồng", 259000, 319000), ("3 buồng", 389000, 459000))),
        ),
    ),
    _ShopSpec(
        "demo-web", "Nhà Sách Văn Lang", "honest", "Hồ Chí Minh", "full", (1200, 2900), (11, 14),
        business_name="Công ty Cổ phần Văn hóa Văn Lang",
        about="Nhà sách Văn Lang - sách hay cho mọi nhà.",
        products=(
            P("Sách Muôn Kiếp Nhân Sinh - Nguyên Phong {v}", "NXB Tổng Hợp TP.HCM", "books", (148000, 199000), "isbn",
              "Việt Nam", "Những câu chuyện về luật nhân quả và luân hồi.", variants=("tập 1", "tập 2")),
            P("Sách Hoàng Tử Bé - Antoine de Saint-Exupéry {v}", "NXB Hội Nhà Văn", "books", (45000, 120000), "isbn",
              "Việt Nam", "Tác phẩm kinh điển dành cho mọi lứa tuổi.",
              variants=(("(bìa mềm)", 45000, 60000), ("(bìa cứng minh họa)", 99000, 120000))),
            P("Sách Tư Duy Nhanh Và Chậm - Daniel Kahneman {v}", "NXB Thế Giới", "books_skills", (189000, 249000), "isbn",
              "Việt Nam", "Hai hệ thống chi phối cách con người suy nghĩ.", variants=("", "(tái bản)")),
            P("Sách Truyện Kiều - Nguyễn Du {v}", "NXB Văn Học", "books", (49000, 189000), "isbn", "Việt Nam",
              "Kiệt tác văn học cổ điển Việt Nam.", variants=(("(bản phổ thông)", 49000, 65000), ("(bản đặc biệt)", 159000, 189000))),
            P("Sách Tắt Đèn - Ngô Tất Tố {v}", "NXB Văn Học", "books", (42000, 58000), "isbn", "Việt Nam",
              "Tiểu thuyết hiện thực phê phán.", variants=("", "(tái bản)")),
            P("Sách Người Giàu Có Nhất Thành Babylon {v}", "NXB Tổng Hợp TP.HCM", "books_skills", (59000, 89000), "isbn",
              "Việt Nam", "Bí quyết quản lý tài chính cá nhân.", variants=("", "(tái bản)")),
        ),
    ),
    _ShopSpec(
        "demo-web", "Yến Sào Nha Trang Phương Nam", "honest", "Khánh Hòa", "full", (1000, 2600), (11, 13),
        business_name="Công ty TNHH Yến sào Phương Nam",
        about="Yến sào nguyên chất từ đảo yến Khánh Hòa, có giấy kiểm định.",
        products=(
            P("Yến sào tinh chế {v}", "Phương Nam", "honey", (850000, 3200000), "local", "Việt Nam",
              "Tổ yến làm sạch lông bằng tay, giữ nguyên sợi.",
              variants=(("hộp 50g", 850000, 1050000), ("hộp 100g", 1650000, 1950000), ("hộp 200g", 2900000, 3200000))),
            P("Nước yến đóng lon {v}", "Phương Nam", "honey", (69000, 299000), "local", "Việt Nam",
              "Nước yến đường phèn, dùng ngay.", variants=(("lốc 6 lon", 69000, 85000), ("thùng 30 lon", 259000, 299000))),
            P("Yến chưng đường phèn {v}", "Phương Nam", "honey", (159000, 339000), "local", "Việt Nam",
              "Yến chưng sẵn 20% tổ yến.", variants=(("hộp 6 hũ 70ml", 159000, 189000), ("hộp 12 hũ 70ml", 299000, 339000))),
            P("Yến sào thô còn lông {v}", "Phương Nam", "honey", (650000, 1300000), "local", "Việt Nam",
              "Tổ yến thô nguyên tổ, tự làm sạch tại nhà.",
              variants=(("hộp 50g", 650000, 750000), ("hộp 100g", 1200000, 1300000))),
            P("Chân yến rút lông {v}", "Phương Nam", "honey", (450000, 550000), "local", "Việt Nam",
              "Chân tổ yến giàu dưỡng chất.", variants=("hộp 50g", "hộp 50g loại đặc biệt")),
        ),
    ),
    # ----------------------------------------------------------------- planted counterfeiters
    _ShopSpec(
        "demo-tiki", "Sữa Ngoại Nhập Giá Sỉ", "counterfeit", "Hồ Chí Minh", "none", (30, 90), (8, 10),
        about="Chuyên sỉ lẻ sữa ngoại nhập giá kho.",
        products=(
            P("Sữa bột SimiIac IQ 900g số {v} hàng công ty", "SimiIac", "formula", (149000, 189000), "bad:8886451",
              "Mỹ", "Sữa nhập khẩu giá kho, cam kết rẻ nhất thị trường.", variants=("1", "2", "3", "4"),
              planted=(LOOKALIKE, BELOW, BAD_GTIN), imitates="Similac", line="Similac IQ 900g"),
            P("Sữa Similac IQ 900g giá sỉ thanh lý {v}", "Similac", "formula", (150000, 175000), "none", "Mỹ",
              "Thanh lý lô hàng, số lượng có hạn.", variants=("", "date 2027"),
              planted=(BELOW, NO_GTIN), imitates="Similac", line="Similac IQ 900g"),
            P("Sữa bột Ensure Gold 850g hương vani hàng xách tay Mỹ {v}", "Ensure", "adult_milk", (259000, 299000), "none",
              "Mỹ", "Hàng xách tay không tem phụ.", variants=("", "lon mới"),
              planted=(BELOW, NO_GTIN), imitates="Ensure", line="Ensure Gold 850g"),
            P("Sữa bột Friso Gold số 4 850g date mới {v}", "Friso", "formula", (185000, 215000), "bad:8712045", "Hà Lan",
              "Giá tốt nhất thị trường.", variants=("", "- giá kho"),
              planted=(BELOW, BAD_GTIN), imitates="Friso", line="Friso Gold 850g"),
            P("Sữa Meiji số 0 800g nội địa Nhật giá sốc {v}", "Meiji", "formula", (165000, 195000), "none", "Nhật Bản",
              "Hàng nội địa Nhật.", variants=("", "- mẫu mới"),
              planted=(BELOW, NO_GTIN), imitates="Meiji", line="Meiji Infant Formula 800g"),
            P("Sữa Dielac Grow Plus 900g giá kho {v}", "Vinamilk", "formula", (89000, 109000), "none", "Việt Nam",
              "Xả kho giá rẻ.", variants=("", "1-2 tuổi"),
              planted=(BELOW, NO_GTIN), imitates="Vinamilk", line="Dielac Grow Plus 900g"),
            P("Bình sữa cổ rộng {v}", None, "baby_care", (55000, 79000), "none", "Trung Quốc",
              "Bình sữa nhựa cho bé.", variants=("240ml", "150ml")),
            P("Núm ti silicon thay thế {v}", None, "baby_care", (29000, 39000), "none", "Trung Quốc",
              "Núm ti mềm cho bé.", variants=("(vỉ 2 cái)", "size M (vỉ 2 cái)")),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Kho Mỹ Phẩm Sỉ Lẻ Hà Nội", "counterfeit", "Hà Nội", "phone", (60, 200), (8, 10),
        about="Mỹ phẩm giá sỉ cho đại lý và khách lẻ.",
        products=(
            P("Kem chống nắng La Roche-Posay Anthelios 50ml hàng F1 loại 1 {v}", "La Roche-Posay", "sunscreen",
              (99000, 129000), "none", "Pháp", "Hàng F1 giống auth 99%, check code thoải mái.",
              variants=("", "bản mới"), planted=(SLANG, BELOW, NO_GTIN), imitates="La Roche-Posay",
              line="Anthelios sunscreen 50ml"),
            P("Sữa rửa mặt Cetaphil Gentle Skin Cleanser 500ml like auth {v}", "Cetaphil", "cleanser", (95000, 120000),
              "bad:3499320", "Canada", "Like auth, dùng y chang hàng hãng.", variants=("", "mẫu mới"),
              planted=(SLANG, BELOW, BAD_GTIN), imitates="Cetaphil", line="Gentle Skin Cleanser 500ml"),
            P("Serum Innisfree Green Tea Seed 80ml hàng rep 1:1 {v}", "Innisfree", "skincare", (79000, 99000),
              "bad:8809612", "Hàn Quốc", "Rep 1:1 chuẩn từng chi tiết vỏ hộp.", variants=("", "- bản 2024"),
              planted=(SLANG, BELOW, BAD_GTIN), imitates="Innisfree", line="Green Tea Seed Serum 80ml"),
            P("Kem chống nắng Anthelios XL SPF50+ loại 1 check mã vạch {v}", "La Roche-Posay", "sunscreen",
              (105000, 135000), "none", "Pháp", "Hàng loại 1, tem mác đầy đủ.", variants=("", "dạng gel"),
              planted=(SLANG, BELOW, NO_GTIN), imitates="La Roche-Posay", line="Anthelios sunscreen 50ml"),
            P("Nước tẩy trang Bioderma Sensibio H2O 500ml hàng công ty loại 1 {v}", "Bioderma", "skincare",
              (69000, 89000), "none", "Pháp", "Hàng công ty loại 1, giá tận xưởng.", variants=("", "nắp hồng"),
              planted=(SLANG, BELOW, NO_GTIN), imitates="Bioderma", line="Sensibio H2O 500ml"),
            P("Bông tẩy trang cotton 3 lớp {v}", None, "skincare", (19000, 35000), "none", "Trung Quốc",
              "Bông mềm, không xơ.", variants=("(túi 222 miếng)", "(túi 120 miếng)")),
            P("Bông mút trang điểm hình giọt nước {v}", None, "makeup", (15000, 29000), "none", "Trung Quốc",
              "Mút tán kem nền mịn.", variants=("(set 3 cái)", "(set 5 cái)")),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "Điện Thoại Giá Rẻ 24h", "counterfeit", "Hà Nội", "phone", (10, 40), (7, 9),
        about="Điện thoại giá rẻ nhất Hà Nội, ship COD toàn quốc.",
        products=(
            P("Điện thoại iPhone 15 128GB Đài Loan bản cao cấp {v}", "OEM", "phones", (4390000, 4690000), "foreign:6921234",
              "Trung Quốc", "Máy đẹp như thật, full chức năng, bảo hành 3 tháng.", variants=("màu đen", "màu hồng"),
              planted=(BELOW, MISMATCH, PREFIX), imitates="Apple", line="iPhone 15 128GB"),
            P("iPhone 15 128GB giá rẻ fullbox chưa active {v}", "Apple", "phones", (4500000, 4900000), "none",
              "Trung Quốc", "Fullbox, chưa active, giá sốc hôm nay.", variants=("", "màu xanh"),
              planted=(BELOW,), imitates="Apple", line="iPhone 15 128GB"),
            P("Samsung Galaxy S24 Ultra 512GB bản Hàn fullbox {v}", "OEM", "phones", (3190000, 3490000),
              "foreign:6937777", "Hàn Quốc", "Máy mới 100%, pin trâu.", variants=("", "màu tím"),
              planted=(BELOW, MISMATCH, PREFIX), imitates="Samsung", line="Galaxy S24"),
            P("Tai nghe AirPods Pro 2 rep 1:1 hổ vằn 1562A {v}", "OEM", "audio", (320000, 390000), "none", "Trung Quốc",
              "Hàng rep 1:1 định vị đổi tên, chống ồn ANC.", variants=("", "bản USB-C"),
              planted=(SLANG, BELOW, MISMATCH), imitates="Apple", line="AirPods Pro 2"),
            P("Đồng hồ Apple Watch Series 9 45mm super fake {v}", "OEM", "wearables", (650000, 790000), "none",
              "Trung Quốc", "Super fake giống thật 99%, nghe gọi được.", variants=("", "màu đen"),
              planted=(SLANG, MISMATCH), imitates="Apple"),
            P("Cáp sạc nhanh Type-C {v}", None, "chargers", (29000, 45000), "none", "Trung Quốc",
              "Cáp sạc dây dù.", variants=("1m", "2m")),
            P("Miếng dán cường lực 9H {v}", None, "screen_protectors", (19000, 29000), "none", "Trung Quốc",
              "Kính cường lực giá rẻ.", variants=("6.1 inch", "6.7 inch")),
        ),
    ),
    _ShopSpec(
        "demo-tiki", "VNXK Fashion Outlet", "counterfeit", "Hồ Chí Minh", "none", (15, 60), (7, 9),
        about="Hàng VNXK xuất dư, giá outlet.",
        products=(
            P("Giày Adidas Stan Smith VNXK full box {v}", "Adidas", "sneakers", (359000, 420000), "none", "Việt Nam",
              "Hàng VNXK xuất dư, full box bill.", variants=("trắng gót xanh", "trắng gót đen"),
              planted=(SLANG, BELOW), imitates="Adidas", line="Stan Smith"),
            P("Giày Nike Air Jordan 1 Low hàng xuất khẩu dư xịn {v}", "Nike", "sneakers", (420000, 490000), "none",
              "Việt Nam", "Hàng VNXK chuẩn, da thật.", variants=("Panda", "Chicago"),
              planted=(SLANG, BELOW), imitates="Nike", line="Air Jordan 1"),
            P("Thắt lưng Gucci GG Marmont nam VNXK {v}", "Gucci", "belts", (159000, 199000), "none", "Việt Nam",
              "Da bò VNXK, khóa đồng.", variants=("khóa vàng", "khóa bạc"),
              planted=(SLANG, BELOW), imitates="Gucci", line="GG Marmont belt"),
            P("Túi Louis Vuitton Neverfull MM VNXK {v}", "Louis Vuitton", "bags", (650000, 790000), "none", "Việt Nam",
              "Hàng xuất dư, da PU cao cấp.", variants=("Monogram", "Damier"),
              planted=(SLANG, BELOW), imitates="Louis Vuitton", line="Neverfull MM"),
            P("Áo polo Lacoste VNXK cá sấu {v}", "Lacoste", "men_tops", (149000, 189000), "none", "Việt Nam",
              "Áo VNXK thêu logo cá sấu.", variants=("trắng", "xanh navy"),
              planted=(SLANG, BELOW), imitates="Lacoste", line="Polo L.12.12"),
            P("Áo thun trơn cotton basic {v}", None, "men_tops", (69000, 89000), "none", "Việt Nam",
              "Áo thun trơn nhiều màu.", variants=("đen", "trắng")),
        ),
    ),
    _ShopSpec(
        "demo-shopee", "Tổng Kho Sneaker Hà Nội", "counterfeit", "Hà Nội", "none", (40, 150), (8, 10),
        about="Sneaker giá tổng kho, ship toàn quốc.",
        products=(
            P("Giày Nikę Air Force 1 trắng full box {v}", "Nikę", "sneakers", (320000, 390000), "none", "Trung Quốc",
              "Da đẹp, đế khâu chắc chắn, full box.", variants=("size 36-43", "cổ thấp"),
              planted=(LOOKALIKE, BELOW), imitates="Nike", line="Air Force 1"),
            P("Giày Adidaz Ultraboost 22 {v}", "Adidaz", "sneakers", (390000, 470000), "none", "Trung Quốc",
              "Đế boost êm ái, chạy bộ thoải mái.", variants=("đen", "trắng", "xám"),
              planted=(LOOKALIKE, BELOW), imitates="Adidas", line="Ultraboost"),
            P("Giày Nike Air Jordan 1 High Chicago rep 1:1 {v}", "No Brand", "sneakers", (450000, 550000), "none",
              "Trung Quốc", "Rep 1:1 chuẩn da, chuẩn form.", variants=("", "bản cao cấp"),
              planted=(SLANG, BELOW), imitates="Nike", line="Air Jordan 1"),
            P("Giày Nike Air Force 1 trắng like auth {v}", "No Brand", "sneakers", (350000, 420000), "none", "Trung Quốc",
              "Like auth 99%, tặng kèm tất.", variants=("full box", "bản trung"),
              planted=(SLANG, BELOW), imitates="Nike", line="Air Force 1"),
            P("Giày Adidas Ultraboost 5.0 hàng rep super fake {v}", "No Brand", "sneakers", (490000, 590000), "none",
              "Trung Quốc", "Super fake, đế boost thật.", variants=("", "phối màu mới"),
              planted=(SLANG, BELOW), imitates="Adidas", line="Ultraboost"),
            P("Tất cổ ngắn cotton {v}", "No Brand", "sneakers", (15000, 25000), "none", "Việt Nam",
              "Tất nam nữ thấm hút.", variants=("(set 5 đôi)", "(set 10 đôi)")),
            P("Dây giày dẹt thay thế {v}", "No Brand", "sneakers", (10000, 19000), "none", "Trung Quốc",
              "Dây giày 120cm.", variants=("trắng", "đen")),
        ),
    ),
    _ShopSpec(
        "demo-shopee", "Luxury Authentic Store", "counterfeit", "Hồ Chí Minh", "none", (50, 180), (8, 10),
        about="Hàng hiệu giá tốt, nhận order Quảng Châu.",
        products=(
            P("Nước hoa nữ Chanell No5 EDP 100ml {v}", "Chanell", "perfume", (320000, 390000), "none", "Pháp",
              "Hương thơm quyến rũ, lưu hương 12 tiếng.", variants=("", "full seal"),
              planted=(LOOKALIKE, BELOW), imitates="Chanel", line="No 5 Eau de Parfum 100ml"),
            P("Túi Louis Vuitton Neverfull MM super fake {v}", "Louis Vuitton", "bags", (1150000, 1350000), "none",
              "Trung Quốc", "Super fake da thật, dập code chuẩn.", variants=("Monogram", "Damier Ebene"),
              planted=(SLANG, BELOW), imitates="Louis Vuitton", line="Neverfull MM"),
            P("Đồng hồ Rolex Submariner cơ automatic super fake {v}", "Rolex", "watches", (2450000, 2900000), "none",
              "Thụy Sĩ", "Máy cơ automatic, kính sapphire.", variants=("mặt đen", "mặt xanh"),
              planted=(SLANG, BELOW), imitates="Rolex", line="Submariner"),
            P("Thắt lưng Gucci Marmont da bò like auth {v}", "Gucci", "belts", (350000, 450000), "none", "Ý",
              "Like auth, khóa GG mạ vàng.", variants=("bản 3cm", "bản 4cm"),
              planted=(SLANG, BELOW), imitates="Gucci", line="GG Marmont belt"),
            P("Túi Dior Saddle mini like auth {v}", "Dior", "bags", (850000, 990000), "none", "Pháp",
              "Like auth, full box và thẻ.", variants=("xanh denim", "đen"),
              planted=(SLANG,), imitates="Dior"),
            P("Khăn lụa Hermès twilly hàng F1 {v}", "Hermès", "scarves", (220000, 290000), "none", "Pháp",
              "Hàng F1, lụa mịn.", variants=("họa tiết ngựa", "họa tiết xích"),
              planted=(SLANG,), imitates="Hermès"),
            P("Ví Chanel Classic mini rep 1:1 {v}", "Chanel", "bags", (450000, 590000), "none", "Trung Quốc",
              "Rep 1:1 da cừu.", variants=("đen khóa vàng", "hồng khóa bạc"),
              planted=(SLANG,), imitates="Chanel"),
        ),
    ),
    _ShopSpec(
        "demo-shopee", "Đồng Hồ Giá Xưởng", "counterfeit", "Hồ Chí Minh", "none", (5, 25), (7, 9),
        about="Đồng hồ thời trang giá xưởng.",
        products=(
            P("Đồng hồ Casio G-Shock GA-2100 hàng F1 chống nước {v}", "Casio", "watches", (220000, 290000),
              "foreign:6923456", "Trung Quốc", "Hàng F1 chống nước, đèn LED.", variants=("đen nhám", "trắng", "đỏ"),
              planted=(SLANG, BELOW, PREFIX), imitates="Casio", line="G-Shock GA-2100"),
            P("Đồng hồ Casi0 G-Shock GA2100 {v}", "Casi0", "watches", (179000, 219000), "none", "Trung Quốc",
              "Dây nhựa mềm, giá rẻ.", variants=("đen nhám", "xanh rêu"),
              planted=(LOOKALIKE, BELOW, NO_GTIN), imitates="Casio", line="G-Shock GA-2100"),
            P("Đồng hồ Rolex Submariner Date 41mm máy Nhật like auth {v}", "Rolex", "watches", (1750000, 1990000), "none",
              "Trung Quốc", "Máy Nhật chạy bền, like auth.", variants=("mặt đen", "mặt xanh lá"),
              planted=(SLANG, BELOW), imitates="Rolex", line="Submariner"),
            P("Đồng hồ Casio G-Shock GA-110 super fake {v}", "Casio", "watches", (249000, 299000), "none", "Trung Quốc",
              "Super fake giống 99%.", variants=("đen vàng", "trắng"),
              planted=(SLANG, BELOW), imitates="Casio", line="G-Shock GA-2100"),
            P("Dây đồng hồ cao su {v}", None, "watch_straps", (39000, 59000), "none", "Trung Quốc",
              "Dây cao su mềm.", variants=("20mm", "22mm")),
        ),
    ),
    _ShopSpec(
        "demo-web", "Thuốc & TPCN Ngoại Nhập", "counterfeit", "Hồ Chí Minh", "none", (20, 120), (7, 9),
        about="Thuốc và thực phẩm chức năng xách tay Úc, Mỹ giá sỉ.",
        products=(
            P("Dầu cá Blackmores Fish Oil 1000mg 400 viên {v}", "Blackmores", "fish_oil", (115000, 145000), "none", "Úc",
              "Hàng xách tay Úc, giá sỉ.", variants=("", "date xa"),
              planted=(BELOW, NO_GTIN), imitates="Blackmores", line="Fish Oil 1000 (400 caps)"),
            P("Panad0l Extra hộp 180 viên {v}", "Panad0l", "medicine", (32000, 45000), "bad:8934557", "Úc",
              "Giảm đau hạ sốt nhanh.", variants=("", "giá sỉ"),
              planted=(LOOKALIKE, BELOW, BAD_GTIN), imitates="Panadol", line="Panadol Extra (180 tablets)"),
            P("Máy đo huyết áp Omrom HEM-7121 {v}", "Omrom", "bp_monitor", (259000, 320000), "none", "Nhật Bản",
              "Máy đo chính xác, dễ dùng.", variants=("", "bảo hành 1 tháng"),
              planted=(LOOKALIKE, BELOW, NO_GTIN), imitates="Omron", line="HEM-7121 blood pressure monitor"),
            P("Viên uống Blackmores Bio C 1000mg 150 viên hàng công ty loại 1 {v}", "Blackmores", "supplements",
              (89000, 119000), "bad:9300807", "Úc", "Hàng công ty loại 1.", variants=("", "- giá sỉ"),
              planted=(SLANG, BAD_GTIN), imitates="Blackmores"),
            P("Thuốc giảm đau Panadol Extra xách tay Úc giá sỉ {v}", "Panadol", "medicine", (39000, 55000),
              "bad:9300673", "Úc", "Xách tay Úc.", variants=("hộp 180 viên", "hộp lớn 180 viên"),
              planted=(BELOW, BAD_GTIN), imitates="Panadol", line="Panadol Extra (180 tablets)"),
            P("Túi chườm nóng lạnh đa năng {v}", None, "medical_devices", (39000, 69000), "none", "Trung Quốc",
              "Chườm giảm đau.", variants=("size nhỏ", "size lớn")),
        ),
    ),
    _ShopSpec(
        "demo-web", "Hana Cosmetics Xách Tay", "counterfeit", "Hải Phòng", "phone", (30, 150), (7, 9),
        about="Mỹ phẩm xách tay Pháp, Hàn giá rẻ.",
        products=(
            P("Kem chống nắng La Roche Posey Anthelios SPF50+ 50ml {v}", "La Roche Posey", "sunscreen", (89000, 119000),
              "none", "Pháp", "Chống nắng phổ rộng, không nhờn.", variants=("", "có màu"),
              planted=(LOOKALIKE, BELOW, NO_GTIN), imitates="La Roche-Posay", line="Anthelios sunscreen 50ml"),
            P("Sữa rửa mặt Cetaphyl Gentle Skin Cleanser 500ml {v}", "Cetaphyl", "cleanser", (79000, 99000), "none",
              "Canada", "Dịu nhẹ cho da nhạy cảm.", variants=("", "chai vòi"),
              planted=(LOOKALIKE, BELOW, NO_GTIN), imitates="Cetaphil", line="Gentle Skin Cleanser 500ml"),
            P("Serum Innisfee Green Tea Seed 80ml {v}", "Innisfee", "skincare", (85000, 110000), "none", "Hàn Quốc",
              "Cấp ẩm tức thì.", variants=("", "bản mới"),
              planted=(LOOKALIKE, BELOW, NO_GTIN), imitates="Innisfree", line="Green Tea Seed Serum 80ml"),
            P("Sữa rửa mặt Cetaphil Gentle Skin Cleanser 500ml xách tay {v}", "Cetaphil", "cleanser", (99000, 129000),
              "bad:0302993", "Canada", "Xách tay Canada.", variants=("", "mẫu mới"),
              planted=(BELOW, BAD_GTIN), imitates="Cetaphil", line="Gentle Skin Cleanser 500ml"),
            P("Mặt nạ giấy dưỡng ẩm {v}", None, "skincare", (9000, 15000), "local", "Việt Nam",
              "Mặt nạ cấp ẩm.", variants=("lô hội", "trà xanh")),
        ),
    ),
    _ShopSpec(
        "demo-web", "Hàng Mỹ Úc Giá Kho", "counterfeit", "Bắc Ninh", "none", (20, 100), (7, 9),
        about="Hàng Mỹ, Úc, Nhật giá kho: sữa, vitamin, mỹ phẩm.",
        products=(
            P("Sữa Similac IQ 900g số 4 hàng Mỹ date xa {v}", "Similac", "formula", (210000, 249000), "bad:070074", "Mỹ",
              "Date xa, giá kho.", variants=("", "lon mới"),
              planted=(BELOW, BAD_GTIN), imitates="Similac", line="Similac IQ 900g"),
            P("Sữa Ensure Gold 850g hàng Mỹ giá kho {v}", "Ensure", "adult_milk", (299000, 339000), "bad:070074", "Mỹ",
              "Hàng Mỹ giá kho.", variants=("vani", "ít ngọt"),
              planted=(BELOW, BAD_GTIN), imitates="Ensure", line="Ensure Gold 850g"),
            P("Sữa Meiji 800g số 9 nội địa Nhật {v}", "Meiji", "formula", (199000, 229000), "bad:4902705", "Nhật Bản",
              "Nội địa Nhật.", variants=("", "dạng thanh"),
              planted=(BELOW, BAD_GTIN), imitates="Meiji", line="Meiji Infant Formula 800g"),
            P("Dầu cá Blackmores Odourless Fish Oil 400 viên hàng Úc {v}", "Blackmores", "fish_oil", (139000, 169000),
              "bad:9300807", "Úc", "Hàng Úc giá kho.", variants=("", "date xa"),
              planted=(BELOW, BAD_GTIN), imitates="Blackmores", line="Fish Oil 1000 (400 caps)"),
            P("Kem chống nắng La Roche-Posay Anthelios 50ml hàng Pháp {v}", "La Roche-Posay", "sunscreen",
              (119000, 149000), "bad:3337875", "Pháp", "Hàng Pháp giá kho.", variants=("", "- có màu"),
              planted=(BELOW, BAD_GTIN), imitates="La Roche-Posay", line="Anthelios sunscreen 50ml"),
            P("Hộp đựng thuốc chia ngăn 7 ngày {v}", None, "medical_supplies", (29000, 49000), "none", "Trung Quốc",
              "Chia liều thuốc tiện lợi.", variants=("", "có nắp bật")),
        ),
    ),
    # ----------------------------------------------------------------- later platforms
    # Sendo (search API), Lazada (catalog ajax + JSON-LD), TikTok Shop (XHR pages) and
    # Facebook (posts rendered by JavaScript): an official store, an honest shop and at
    # least one planted counterfeiter each.
    _ShopSpec(
        "demo-sendo", "Cetaphil Official Store", "official", "Hồ Chí Minh", "full", (1200, 2400), (6, 8),
        business_name="Công ty TNHH Galderma Việt Nam",
        about="Gian hàng chính thức của Cetaphil trên Sendo.",
        products=(
            P("Sữa rửa mặt Cetaphil Gentle Skin Cleanser 500ml {v}", "Cetaphil", "cleanser", (310000, 420000), "brand",
              "Canada", "Làm sạch dịu nhẹ cho da nhạy cảm, không xà phòng.", variants=("", "- mẫu mới", "chai vòi"),
              line="Gentle Skin Cleanser 500ml", brand_country="Canada"),
            P("Kem dưỡng ẩm Cetaphil Moisturising Cream {v}", "Cetaphil", "skincare", (290000, 460000), "brand",
              "Canada", "Dưỡng ẩm sâu cho da khô và nhạy cảm.", variants=(("50g", 150000, 190000), ("453g", 390000, 460000)),
              brand_country="Canada"),
            P("Sữa tắm Cetaphil Gentle Wash {v}", "Cetaphil", "cleanser", (250000, 330000), "brand", "Canada",
              "Sữa tắm dịu nhẹ cho da nhạy cảm.", variants=("500ml", "1 lít"), brand_country="Canada"),
        ),
    ),
    _ShopSpec(
        "demo-sendo", "Đồ Gia Dụng Sen Vàng", "honest", "Hà Nội", "full", (500, 1500), (6, 8),
        about="Đồ gia dụng bền đẹp cho mọi nhà.",
        products=(
            P("Nồi cơm điện nắp gài 1.8L {v}", None, "kitchen", (390000, 520000), "local", "Việt Nam",
              "Nồi cơm lòng niêu chống dính.", variants=("màu trắng", "màu đỏ")),
            P("Bộ hộp đựng thực phẩm thủy tinh {v}", None, "kitchen", (159000, 259000), "local", "Việt Nam",
              "Hộp thủy tinh chịu nhiệt, dùng được lò vi sóng.", variants=("3 hộp", "5 hộp")),
            P("Chảo chống dính đáy từ {v}", None, "kitchen", (149000, 229000), "local", "Việt Nam",
              "Chảo chống dính dùng được bếp từ.", variants=("24cm", "28cm")),
            P("Thảm lau chân cotton {v}", None, "cleaning", (35000, 69000), "none", "Việt Nam",
              "Thảm thấm nước tốt.", variants=("40x60cm", "50x80cm")),
        ),
    ),
    _ShopSpec(
        "demo-sendo", "Mỹ Phẩm Sỉ Giá Gốc", "counterfeit", "Hồ Chí Minh", "none", (20, 90), (6, 8),
        about="Mỹ phẩm giá gốc, sỉ lẻ toàn quốc.",
        products=(
            P("Sữa rửa mặt Cetaphil Gentle Skin Cleanser 500ml hàng rep 1:1 {v}", "Cetaphil", "cleanser",
              (85000, 115000), "none", "Canada", "Rep 1:1 y hệt hàng hãng, giá sỉ.", variants=("", "mẫu mới"),
              planted=(SLANG, BELOW), imitates="Cetaphil", line="Gentle Skin Cleanser 500ml"),
            P("Kem chống nắng La Roche-Posay Anthelios 50ml loại 1 like auth {v}", "La Roche-Posay", "sunscreen",
              (99000, 129000), "none", "Pháp", "Like auth, check code thoải mái.", variants=("", "có màu"),
              planted=(SLANG, BELOW), imitates="La Roche-Posay", line="Anthelios sunscreen 50ml"),
            P("Serum Innisfree Green Tea Seed 80ml super fake {v}", "Innisfree", "skincare", (75000, 95000), "none",
              "Hàn Quốc", "Super fake chuẩn vỏ hộp.", variants=("", "bản 2024"),
              planted=(SLANG, BELOW), imitates="Innisfree", line="Green Tea Seed Serum 80ml"),
            P("Bông tẩy trang 3 lớp {v}", None, "skincare", (19000, 29000), "none", "Trung Quốc",
              "Bông mềm.", variants=("túi 120 miếng", "túi 222 miếng")),
        ),
    ),
    _ShopSpec(
        "demo-lazada", "Innisfree Official Store", "official", "Hồ Chí Minh", "full", (1300, 2500), (6, 8),
        business_name="Công ty TNHH Amorepacific Việt Nam",
        about="LazMall: Innisfree chính hãng.",
        products=(
            P("Tinh chất Innisfree Green Tea Seed Serum 80ml {v}", "Innisfree", "skincare", (490000, 690000), "brand",
              "Hàn Quốc", "Cấp ẩm từ trà xanh đảo Jeju.", variants=("", "- phiên bản mới", "- hộp quà"),
              line="Green Tea Seed Serum 80ml", brand_country="Hàn Quốc"),
            P("Sữa rửa mặt Innisfree Jeju Volcanic Pore Cleansing Foam {v}", "Innisfree", "cleanser", (150000, 260000), "brand",
              "Hàn Quốc", "Sữa rửa mặt tro núi lửa làm sạch lỗ chân lông.", variants=("150ml", "300ml"),
              brand_country="Hàn Quốc"),
            P("Mặt nạ đất sét Innisfree Super Volcanic Pore Clay Mask 100ml {v}", "Innisfree", "skincare",
              (280000, 360000), "brand", "Hàn Quốc", "Làm sạch lỗ chân lông.", variants=("", "2X"),
              brand_country="Hàn Quốc"),
        ),
    ),
    _ShopSpec(
        "demo-lazada", "Văn Phòng Phẩm Hồng Hà Shop", "honest", "Hà Nội", "full", (800, 2000), (6, 8),
        about="Văn phòng phẩm cho học sinh và văn phòng.",
        products=(
            P("Vở kẻ ngang 200 trang {v}", None, "calculators", (12000, 25000), "local", "Việt Nam",
              "Giấy trắng chống lóa.", variants=("(lốc 5 quyển)", "(lốc 10 quyển)")),
            P("Bút bi nước 0.5mm {v}", None, "calculators", (25000, 59000), "local", "Việt Nam",
              "Mực ra đều.", variants=("hộp 10 cây", "hộp 20 cây")),
            P("Bìa hồ sơ nhựa A4 {v}", None, "calculators", (29000, 49000), "none", "Việt Nam",
              "Bìa kẹp tài liệu.", variants=("xanh", "trong suốt")),
            P("Balo học sinh chống gù {v}", None, "bags", (189000, 299000), "none", "Việt Nam",
              "Đệm lưng thoáng khí.", variants=("size M", "size L")),
        ),
    ),
    _ShopSpec(
        "demo-lazada", "Kho Giày Replica Sài Gòn", "counterfeit", "Hồ Chí Minh", "none", (30, 120), (6, 8),
        about="Giày replica giá kho.",
        products=(
            P("Giày Nikę Air Force 1 trắng full box {v}", "Nikę", "sneakers", (320000, 390000), "none", "Trung Quốc",
              "Da đẹp, đế khâu chắc chắn.", variants=("cổ thấp", "cổ cao"),
              planted=(LOOKALIKE, BELOW), imitates="Nike", line="Air Force 1"),
            P("Giày Adidas Ultraboost 22 rep 1:1 {v}", "No Brand", "sneakers", (420000, 520000), "none", "Trung Quốc",
              "Rep 1:1 đế boost.", variants=("đen", "trắng"),
              planted=(SLANG, BELOW), imitates="Adidas", line="Ultraboost"),
            P("Giày Nike Air Jordan 1 High like auth {v}", "No Brand", "sneakers", (450000, 550000), "none",
              "Trung Quốc", "Like auth 99%.", variants=("Chicago", "Panda"),
              planted=(SLANG, BELOW), imitates="Nike", line="Air Jordan 1"),
            P("Dây giày dẹt thay thế {v}", "No Brand", "sneakers", (10000, 19000), "none", "Trung Quốc",
              "Dây giày 120cm.", variants=("trắng", "đen")),
        ),
    ),
    _ShopSpec(
        "demo-tiktok", "Meiji Official Shop", "official", "Hồ Chí Minh", "full", (700, 1500), (5, 7),
        business_name="Công ty TNHH Meiji Việt Nam",
        about="Cửa hàng chính hãng Meiji trên TikTok Shop.",
        products=(
            P("Sữa bột Meiji Infant Formula 800g {v}", "Meiji", "formula", (470000, 590000), "brand", "Nhật Bản",
              "Sữa công thức cho trẻ 0-12 tháng nhập khẩu chính hãng.", variants=("", "- hộp mới", "(0-12 tháng)"),
              line="Meiji Infant Formula 800g", brand_country="Nhật Bản"),
            P("Sữa Meiji Growing Up Formula 800g {v}", "Meiji", "formula", (460000, 580000), "brand", "Nhật Bản",
              "Sữa cho trẻ 1-3 tuổi.", variants=("", "- date mới"), line="Meiji Infant Formula 800g",
              brand_country="Nhật Bản"),
        ),
    ),
    _ShopSpec(
        "demo-tiktok", "Bếp Nhà Mơ", "honest", "Đà Nẵng", "full", (300, 900), (5, 7),
        about="Đồ ăn vặt nhà làm.",
        products=(
            P("Khô gà lá chanh nhà làm {v}", None, "snacks", (59000, 129000), "local", "Việt Nam",
              "Khô gà xé cay vừa.", variants=("hũ 200g", "hũ 500g")),
            P("Bánh tráng trộn sẵn {v}", None, "snacks", (25000, 45000), "none", "Việt Nam",
              "Bánh tráng Tây Ninh.", variants=("gói nhỏ", "combo 5 gói")),
            P("Mứt dừa non ít đường {v}", None, "snacks", (49000, 89000), "local", "Việt Nam",
              "Mứt dừa Bến Tre.", variants=("hộp 300g", "hộp 500g")),
        ),
    ),
    _ShopSpec(
        "demo-tiktok", "Hàng Hiệu Giá Sỉ Live", "counterfeit", "Hà Nội", "none", (5, 40), (6, 8),
        about="Live mỗi tối, giá sỉ tận xưởng.",
        products=(
            P("Sữa Meiji số 0 800g nội địa Nhật giá sốc {v}", "Meiji", "formula", (165000, 195000), "none", "Nhật Bản",
              "Hàng nội địa Nhật giá sốc.", variants=("", "- lon mới"),
              planted=(BELOW,), imitates="Meiji", line="Meiji Infant Formula 800g"),
            P("Túi Louis Vuitton Neverfull MM super fake {v}", "Louis Vuitton", "bags", (1150000, 1350000), "none",
              "Trung Quốc", "Super fake da thật.", variants=("Monogram", "Damier"),
              planted=(SLANG, BELOW), imitates="Louis Vuitton", line="Neverfull MM"),
            P("Nước hoa nữ Chanell No5 EDP 100ml {v}", "Chanell", "perfume", (320000, 390000), "none", "Pháp",
              "Lưu hương 12 tiếng.", variants=("", "full seal"),
              planted=(LOOKALIKE, BELOW), imitates="Chanel", line="No 5 Eau de Parfum 100ml"),
            P("Móc khóa da mini {v}", None, "belts", (15000, 29000), "none", "Trung Quốc",
              "Móc khóa nhỏ xinh.", variants=("nâu", "đen")),
        ),
    ),
    _ShopSpec(
        "demo-facebook", "Friso Việt Nam", "official", "Hồ Chí Minh", "full", (2000, 3000), (4, 6),
        business_name="Công ty TNHH FrieslandCampina Việt Nam",
        about="Trang chính thức của Friso Việt Nam.",
        products=(
            P("Sữa bột Friso Gold 4 850g {v}", "Friso", "formula", (520000, 620000), "brand", "Hà Lan",
              "Friso Gold với đạm tự nhiên dễ tiêu hóa.", variants=("", "- hộp mới", "cho trẻ 2-6 tuổi"),
              line="Friso Gold 850g", brand_country="Hà Lan"),
            P("Sữa bột Friso Gold 3 850g {v}", "Friso", "formula", (510000, 600000), "brand", "Hà Lan",
              "Cho trẻ 1-2 tuổi.", variants=("", "- date mới"), line="Friso Gold 850g", brand_country="Hà Lan"),
        ),
    ),
    _ShopSpec(
        "demo-facebook", "Tiệm Bánh Nhà Làm Hà Thành", "honest", "Hà Nội", "full", (400, 1200), (4, 6),
        about="Bánh ngọt nhà làm, nhận đặt bánh sinh nhật.",
        products=(
            P("Bánh bông lan trứng muối {v}", None, "snacks", (45000, 120000), "none", "Việt Nam",
              "Bánh làm trong ngày.", variants=("hộp nhỏ", "hộp lớn")),
            P("Bánh quy bơ nhà làm {v}", None, "snacks", (65000, 150000), "none", "Việt Nam",
              "Bơ Pháp, không chất bảo quản.", variants=("hộp 300g", "hộp 500g")),
            P("Bánh su kem {v}", None, "snacks", (39000, 79000), "none", "Việt Nam",
              "Nhân kem vani.", variants=("hộp 10 cái", "hộp 20 cái")),
        ),
    ),
    _ShopSpec(
        "demo-facebook", "Order Hàng Rep Giá Sỉ", "counterfeit", "Hồ Chí Minh", "none", (10, 60), (6, 8),
        about="Chuyên sỉ hàng rep 1:1, ib để có giá tốt.",
        products=(
            P("Giày Nike Air Force 1 trắng hàng rep 1:1 giá sỉ ib {v}", "Nike", "sneakers", (250000, 320000), "none",
              "Trung Quốc", "Rep 1:1 chuẩn da, full box bill.", variants=("", "size 36-43"),
              planted=(SLANG, BELOW), imitates="Nike", line="Air Force 1"),
            P("Túi Chanel Classic rep 1:1 giá sỉ {v}", "Chanel", "bags", (450000, 590000), "none", "Trung Quốc",
              "Rep 1:1 da cừu, ib giá sỉ.", variants=("đen khóa vàng", "hồng khóa bạc"),
              planted=(SLANG,), imitates="Chanel"),
            P("Sữa Friso Gold 4 850g hàng xách tay like auth giá sỉ {v}", "Friso", "formula", (180000, 220000), "none",
              "Hà Lan", "Like auth, ib để có giá sỉ.", variants=("", "date xa"),
              planted=(SLANG, BELOW), imitates="Friso", line="Friso Gold 850g"),
            P("Đồng hồ Rolex Submariner super fake {v}", "Rolex", "watches", (1750000, 1990000), "none", "Trung Quốc",
              "Super fake máy Nhật.", variants=("mặt đen", "mặt xanh"),
              planted=(SLANG, BELOW), imitates="Rolex", line="Submariner"),
        ),
    ),
)

# Provinces used for addresses: (province, street examples, district examples, MST prefix).
_ADDRESS_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "Hà Nội": (("Trần Duy Hưng", "Nguyễn Trãi", "Cầu Giấy", "Kim Mã", "Láng Hạ"),
               ("Phường Trung Hòa, Quận Cầu Giấy", "Phường Thanh Xuân Trung, Quận Thanh Xuân",
                "Phường Ngọc Khánh, Quận Ba Đình"), "01"),
    "Hồ Chí Minh": (("Nguyễn Văn Linh", "Cộng Hòa", "Lê Văn Sỹ", "Điện Biên Phủ", "Tân Trào"),
                    ("Phường Tân Phú, Quận 7", "Phường 13, Quận Tân Bình", "Phường 25, Quận Bình Thạnh"), "03"),
    "Đà Nẵng": (("Nguyễn Văn Linh", "Hùng Vương", "Lê Duẩn"), ("Phường Nam Dương, Quận Hải Châu",), "04"),
    "Tiền Giang": (("Quốc lộ 1A", "Ấp Hòa Lợi"), ("Xã Hòa Hưng, Huyện Cái Bè",), "12"),
    "Cần Thơ": (("Trần Hưng Đạo", "30 Tháng 4"), ("Phường Xuân Khánh, Quận Ninh Kiều",), "18"),
    "Đắk Lắk": (("Lê Duẩn", "Phan Bội Châu"), ("Phường Ea Tam, TP. Buôn Ma Thuột",), "60"),
    "Lâm Đồng": (("Trần Phú", "Phan Đình Phùng"), ("Phường 2, TP. Đà Lạt",), "58"),
    "Bình Dương": (("Đại lộ Bình Dương", "Nguyễn Văn Tiết"), ("Phường Lái Thiêu, TP. Thuận An",), "37"),
    "Sóc Trăng": (("Lê Hồng Phong", "Quốc lộ 1A"), ("Phường 3, TP. Sóc Trăng",), "22"),
    "Khánh Hòa": (("Trần Phú", "Lê Thánh Tôn"), ("Phường Lộc Thọ, TP. Nha Trang",), "42"),
    "Hải Phòng": (("Lạch Tray", "Tô Hiệu"), ("Phường Lạch Tray, Quận Ngô Quyền",), "02"),
    "Bắc Ninh": (("Lý Thái Tổ", "Nguyễn Gia Thiều"), ("Phường Suối Hoa, TP. Bắc Ninh",), "23"),
}


# --------------------------------------------------------------------------- generation


def _valid_ean13(prefix: str, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(12 - len(prefix)))
    return body + ean13_check_digit(body)


def _invalid_ean13(prefix: str, rng: random.Random) -> str:
    valid = _valid_ean13(prefix, rng)
    wrong = (int(valid[-1]) + rng.randint(1, 9)) % 10
    return valid[:-1] + str(wrong)


def _gtin(spec: str, brand: str | None, local_prefix: str, rng: random.Random) -> str | None:
    if spec == "none":
        return None
    if spec == "brand":
        if brand is None or brand not in GS1:
            raise ValueError(f"no GS1 prefixes known for brand {brand!r}")
        return _valid_ean13(rng.choice(GS1[brand]), rng)
    if spec == "local":
        return _valid_ean13(local_prefix, rng)
    if spec == "cn":
        return _valid_ean13("69" + local_prefix[3:], rng)
    if spec == "isbn":
        return _valid_ean13("978604" + str(rng.randint(0, 9)), rng)
    kind, _, prefix = spec.partition(":")
    if kind == "bad":
        return _invalid_ean13(prefix, rng)
    if kind == "foreign":
        return _valid_ean13(prefix, rng)
    raise ValueError(f"unknown gtin spec {spec!r}")


def _round_price(value: float) -> int:
    return max(1000, int(round(value / 1000.0)) * 1000)


def _phone(rng: random.Random, official: bool) -> str:
    if official:
        return f"1800 {rng.randint(1000, 9999)}"
    head = rng.choice(("090", "091", "093", "097", "098", "086", "088", "070", "077"))
    return f"{head}{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(100, 999)}"


def _address(location: str, rng: random.Random) -> str:
    streets, wards, _ = _ADDRESS_PARTS[location]
    city = "TP. Hồ Chí Minh" if location == "Hồ Chí Minh" else location
    if location in ("Hà Nội", "Đà Nẵng", "Cần Thơ", "Hải Phòng"):
        city = f"TP. {location}"
    return f"Số {rng.randint(2, 399)} {rng.choice(streets)}, {rng.choice(wards)}, {city}"


def _tax_number(location: str, rng: random.Random) -> str:
    return _ADDRESS_PARTS[location][2] + "".join(str(rng.randint(0, 9)) for _ in range(8))


def _image_key(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def _unique_int(rng: random.Random, low: int, high: int, taken: set[int]) -> int:
    while True:
        value = rng.randint(low, high)
        if value not in taken:
            taken.add(value)
            return value


def _stable_unique(name: str, low: int, high: int, taken: set[int]) -> int:
    value = _stable_id(name, low, high)
    while value in taken:
        value = low + (value - low + 7919) % (high - low)
    taken.add(value)
    return value


def _make_seller(spec: _ShopSpec, rng: random.Random, taken_ids: dict[str, set[int]], taken_slugs: set[str]) -> DemoSeller:
    slug = slugify(spec.name)
    base = slug
    n = 2
    while slug in taken_slugs:
        slug = f"{base}-{n}"
        n += 1
    taken_slugs.add(slug)
    # Seller ids depend on the shop name only, not on the seed, so rules (official_sellers,
    # watchlists) can name demo shops.
    if spec.platform == "demo-tiki":
        seller_id = str(_stable_unique(spec.name, 10000, 400000, taken_ids[spec.platform]))
        path = f"/tiki/cua-hang/{slug}"
    elif spec.platform == "demo-shopee":
        seller_id = str(_stable_unique(spec.name, 10_000_000, 1_000_000_000, taken_ids[spec.platform]))
        path = f"/shopee/shop/{seller_id}"
    elif spec.platform in _NEW_PLATFORM_IDS:
        id_range, _, shop_path, _ = _NEW_PLATFORM_IDS[spec.platform]
        if id_range is None:  # a Facebook page is known by its username
            seller_id = slug.replace("-", "")
        else:
            seller_id = str(_stable_unique(spec.name, id_range[0], id_range[1], taken_ids[spec.platform]))
        path = shop_path.format(slug=slug, seller_id=seller_id)
    else:
        seller_id = slug
        path = f"/shops/{slug}"
    official = spec.role == "official"
    full = spec.identity == "full"
    phone = _phone(rng, official) if spec.identity in ("full", "phone") else None
    days = rng.randint(*spec.days)
    if spec.role == "counterfeit":
        rating = round(rng.uniform(4.3, 4.9), 1)
    else:
        rating = round(rng.uniform(4.5, 4.9), 1)
    return DemoSeller(
        platform=spec.platform,
        seller_id=seller_id,
        name=spec.name,
        role=spec.role,
        shop_url_path=path,
        is_official=official,
        location=spec.location,
        business_id=_tax_number(spec.location, rng) if full else None,
        phone=phone,
        address=_address(spec.location, rng) if full else None,
        days_since_joined=days,
        slug=slug,
        business_name=spec.business_name if full else None,
        rating=rating,
        review_count=rng.randint(200, 60000) if official else rng.randint(15, 9000),
        follower_count=rng.randint(50000, 900000) if official else rng.randint(120, 40000),
        description=spec.about,
    )


def _expand(product: _Product) -> list[tuple[_Product, str, int, int]]:
    out: list[tuple[_Product, str, int, int]] = []
    for variant in product.variants:
        if isinstance(variant, tuple):
            text, low, high = variant
        else:
            text, (low, high) = variant, product.price
        out.append((product, text, low, high))
    return out


def _title(template: str, variant: str) -> str:
    title = template.replace("{v}", variant)
    title = " ".join(title.split())
    return title.rstrip(" -").replace("( ", "(").replace(" )", ")")


def _description(product: _Product, title: str, seller: DemoSeller, gtin: str | None) -> str:
    lines = [title + ".", product.desc]
    if product.origin is not None:
        lines.append(f"Xuất xứ: {product.origin}.")
    if seller.role == "official":
        lines.append(_OFFICIAL_NOTE)
    elif seller.role == "honest":
        lines.append(_HONEST_NOTE)
    else:
        lines.append("Inbox shop để được giá sỉ. Không hỗ trợ đổi trả với hàng giảm giá.")
    if gtin is not None and seller.role != "counterfeit":
        lines.append(f"Mã vạch: {gtin}.")
    return "\n".join(lines)


def _make_listings(
    spec: _ShopSpec,
    seller: DemoSeller,
    rng: random.Random,
    taken_ids: dict[str, set[int]],
    taken_handles: set[str],
) -> list[DemoListing]:
    combos = [combo for product in spec.products for combo in _expand(product)]
    rng.shuffle(combos)
    target = rng.randint(*spec.count)
    if spec.role == "counterfeit":
        # One listing of every planted product first (each look-alike shows up whatever the
        # seed), then more planted variants, then one or two ordinary listings.
        planted = [c for c in combos if c[0].planted]
        firsts: list[tuple[_Product, str, int, int]] = []
        for combo in planted:
            if all(f[0] is not combo[0] for f in firsts):
                firsts.append(combo)
        rest = [c for c in planted if c not in firsts]
        plain = [c for c in combos if not c[0].planted]
        chosen = firsts + rest[: max(0, target - 2 - len(firsts))] + plain[: rng.randint(1, 2)]
    else:
        chosen = combos[:target]
    local_prefix = "893" + str(rng.randint(1000, 9999))
    listings: list[DemoListing] = []
    seen_titles: set[str] = set()
    for product, variant, low, high in chosen:
        title = _title(product.title, variant)
        if title in seen_titles:
            continue
        seen_titles.add(title)
        price = _round_price(rng.uniform(low, high))
        if rng.random() < 0.25:
            list_price = price
        else:
            list_price = _round_price(price * rng.uniform(1.08, 1.45 if spec.role != "counterfeit" else 2.6))
        gtin = _gtin(product.gtin, product.brand, local_prefix, rng)
        slug = slugify(title)
        if spec.platform == "demo-tiki":
            listing_id = str(_unique_int(rng, 10_000_000, 289_999_999, taken_ids["demo-tiki-item"]))
            path = f"/tiki/{slug}-p{listing_id}.html"
        elif spec.platform == "demo-shopee":
            listing_id = str(_unique_int(rng, 1_000_000_000, 29_999_999_999, taken_ids["demo-shopee-item"]))
            path = f"/shopee/product/{seller.seller_id}/{listing_id}"
        elif spec.platform in _NEW_PLATFORM_IDS:
            _, item_range, _, item_path = _NEW_PLATFORM_IDS[spec.platform]
            listing_id = str(_unique_int(rng, item_range[0], item_range[1], taken_ids[spec.platform + "-item"]))
            path = item_path.format(slug=slug, id=listing_id, seller_id=seller.seller_id)
        else:
            listing_id = str(_unique_int(rng, 1_000_000_000, 1_099_999_999, taken_ids["demo-web-item"]))
            handle = slug
            n = 2
            while handle in taken_handles:
                handle = f"{slug}-{n}"
                n += 1
            taken_handles.add(handle)
            slug = handle
            path = f"/shops/{seller.seller_id}/products/{handle}"
        if spec.role == "official":
            sold = rng.randint(300, 25000)
        elif spec.role == "counterfeit":
            sold = rng.randint(40, 6000)
        else:
            sold = rng.choice((0, rng.randint(1, 60), rng.randint(60, 3000)))
        review_count = int(sold * rng.uniform(0.05, 0.3))
        rating = None if review_count == 0 else round(rng.uniform(4.0 if spec.role != "official" else 4.6, 5.0), 1)
        description = _description(product, title, seller, gtin)
        listings.append(
            DemoListing(
                platform=spec.platform,
                listing_id=listing_id,
                seller_id=seller.seller_id,
                title=title,
                description=description,
                brand=product.brand,
                category=CATEGORIES[product.cat],
                price=price,
                list_price=max(list_price, price),
                gtin=gtin,
                origin=product.origin,
                brand_country=product.brand_country,
                images=tuple(_image_key(rng) for _ in range(rng.randint(2, 5))),
                sold=sold,
                rating=rating,
                review_count=review_count,
                stock=rng.randint(5, 2000),
                days_since_created=rng.randint(3, max(4, seller.days_since_joined)),
                slug=slug,
                sku=gtin if gtin is not None else str(rng.randint(10_000_000_000, 99_999_999_999)),
                path=path,
                planted=product.planted,
                imitates=product.imitates,
                product_line=product.line,
            )
        )
    return listings


# Hostile text planted in an honest listing: the demo must escape it in HTML, keep it raw in JSON.
HOSTILE_TEXT = "<script>alert(1)</script>"
_HOSTILE_SELLERS = ("Gia Dụng Nhà Mình", "Nội Thất GoHome")


def build_catalog(seed: int = DEFAULT_SEED) -> Catalog:
    """The demo catalog for ``seed``: the same seed always gives the same catalog."""
    rng = random.Random(seed)
    taken_ids: dict[str, set[int]] = {}
    for platform in PLATFORMS:
        taken_ids[platform] = set()
        taken_ids[platform + "-item"] = set()
    taken_slugs: set[str] = set()
    taken_handles: set[str] = set()
    sellers: list[DemoSeller] = []
    listings: list[DemoListing] = []
    for spec in _SHOPS:
        seller = _make_seller(spec, rng, taken_ids, taken_slugs)
        sellers.append(seller)
        made = _make_listings(spec, seller, rng, taken_ids, taken_handles)
        if spec.name in _HOSTILE_SELLERS and made:
            head, _, tail = made[0].description.partition("\n")
            hostile = f"Lưu ý {HOSTILE_TEXT} <img src=x onerror=alert(2)> & \"quà tặng\""
            made[0] = _replace_description(made[0], f"{head}\n{hostile}\n{tail}")
        listings.extend(made)
    return Catalog(seed=seed, sellers=tuple(sellers), listings=tuple(listings))


def _replace_description(listing: DemoListing, description: str) -> DemoListing:
    return replace(listing, description=description)


def planted_counts(catalog: Catalog) -> dict[str, int]:
    """Number of counterfeit-looking listings per seller name (a summary for humans)."""
    counts: dict[str, int] = {}
    for seller in catalog.sellers:
        counts[seller.name] = sum(1 for x in catalog.listings_of(seller) if x.is_counterfeit_looking)
    return counts


def roles_of(sellers: Sequence[DemoSeller]) -> dict[Role, int]:
    out: dict[Role, int] = {role: 0 for role in ROLES}
    for seller in sellers:
        out[seller.role] += 1
    return out
