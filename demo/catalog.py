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
from dataclasses import dataclass, field, replace

from demo.shops import Product, Role, ShopSpec, load_spec

PLATFORMS: tuple[str, ...] = (
    "demo-tiki", "demo-web", "demo-shopee", "demo-sendo", "demo-lazada", "demo-tiktok", "demo-facebook",
)
#: Platforms added after the first three: their shops come last in ``demo/shops.yaml``, so the seeded
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

_SPEC = load_spec()
#: GS1 company prefixes per brand; they must agree with rules/brands.yaml (a test checks it).
GS1: dict[str, tuple[str, ...]] = _SPEC.gs1
CATEGORIES: dict[str, tuple[str, ...]] = _SPEC.categories

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
    parts = _SPEC.addresses[location]
    streets, wards = parts.streets, parts.wards
    city = "TP. Hồ Chí Minh" if location == "Hồ Chí Minh" else location
    if location in ("Hà Nội", "Đà Nẵng", "Cần Thơ", "Hải Phòng"):
        city = f"TP. {location}"
    return f"Số {rng.randint(2, 399)} {rng.choice(streets)}, {rng.choice(wards)}, {city}"


def _tax_number(location: str, rng: random.Random) -> str:
    return _SPEC.addresses[location].tax_prefix + "".join(str(rng.randint(0, 9)) for _ in range(8))


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


def _make_seller(spec: ShopSpec, rng: random.Random, taken_ids: dict[str, set[int]], taken_slugs: set[str]) -> DemoSeller:
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
    # A planted phone or address draws nothing: the draws of every other shop stay the same.
    if spec.phone is not None:
        phone: str | None = spec.phone
    else:
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
        address=spec.address if spec.address is not None else (_address(spec.location, rng) if full else None),
        days_since_joined=days,
        slug=slug,
        business_name=spec.business_name if full else None,
        rating=rating,
        review_count=rng.randint(200, 60000) if official else rng.randint(15, 9000),
        follower_count=rng.randint(50000, 900000) if official else rng.randint(120, 40000),
        description=spec.about,
    )


def _expand(product: Product) -> list[tuple[Product, str, int, int]]:
    out: list[tuple[Product, str, int, int]] = []
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


def _description(product: Product, title: str, seller: DemoSeller, gtin: str | None) -> str:
    lines = [title + ".", product.desc]
    if product.origin is not None:
        lines.append(f"Xuất xứ: {product.origin}.")
    if seller.role == "official":
        lines.append(_SPEC.notes.official)
    elif seller.role == "honest":
        lines.append(_SPEC.notes.honest)
    else:
        lines.append("Inbox shop để được giá sỉ. Không hỗ trợ đổi trả với hàng giảm giá.")
    if gtin is not None and seller.role != "counterfeit":
        lines.append(f"Mã vạch: {gtin}.")
    return "\n".join(lines)


def _make_listings(
    spec: ShopSpec,
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
        firsts: list[tuple[Product, str, int, int]] = []
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
    for spec in _SPEC.shops:
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
