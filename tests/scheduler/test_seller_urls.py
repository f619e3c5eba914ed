"""URL recognition for on-demand seller scans: shapes per platform, and refusals (no SSRF)."""

from __future__ import annotations

import pytest

from crawler.platforms import demo_paths
from crawler.seller_urls import SellerURLError, check_addresses, recognize

HOSTS = {"tiki": ["tiki.vn"], "shopee": ["shopee.vn"], "lazada": ["lazada.vn"], "sendo": ["sendo.vn"],
         "tiktok": ["tiktok.com"], "facebook": ["facebook.com"]}
DEMO = "http://127.0.0.1:8077"


def public(host: str) -> list[str]:
    return ["203.113.131.1"]


def rec(url: str, **kwargs: object):
    return recognize(url, hosts=HOSTS, demo_origins=[DEMO], demo_paths=demo_paths(), resolver=public, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "platform", "kind", "value"),
    [
        ("https://tiki.vn/cua-hang/tiki-trading", "tiki", "shop", "tiki-trading"),
        ("https://tiki.vn/cua-hang/tiki-trading/", "tiki", "shop", "tiki-trading"),
        ("https://tiki.vn/search?q=sua&seller=123", "tiki", "seller_id", "123"),
        ("https://tiki.vn/sua-bot-similac-p120552065.html?spid=1", "tiki", "product", "120552065"),
        ("https://shopee.vn/adidas_official", "shopee", "shop", "adidas_official"),
        ("https://shopee.vn/shop/88201679", "shopee", "seller_id", "88201679"),
        ("https://shopee.vn/Giay-Nike-Air-i.88201679.2335741632", "shopee", "seller_id", "88201679"),
        ("https://shopee.vn/product/88201679/2335741632", "shopee", "seller_id", "88201679"),
        ("https://www.lazada.vn/shop/nike-official-store/", "lazada", "shop", "nike-official-store"),
        ("https://www.sendo.vn/shop/thoi-trang-abc", "sendo", "shop", "thoi-trang-abc"),
        ("https://www.tiktok.com/@shop.abc", "tiktok", "shop", "shop.abc"),
        ("https://www.facebook.com/hangxachtay.vn", "facebook", "shop", "hangxachtay.vn"),
        ("https://www.facebook.com/profile.php?id=100083", "facebook", "seller_id", "100083"),
        ("https://m.facebook.com/people/Shop-ABC/100083123/", "facebook", "seller_id", "100083123"),
        (f"{DEMO}/tiki/cua-hang/sua-ngoai", "demo-tiki", "shop", "sua-ngoai"),
        (f"{DEMO}/tiki/sua-bot-p66094937.html", "demo-tiki", "product", "66094937"),
        (f"{DEMO}/shopee/shop/12345678", "demo-shopee", "seller_id", "12345678"),
        (f"{DEMO}/shopee/product/12345678/999", "demo-shopee", "seller_id", "12345678"),
        (f"{DEMO}/shops/my-pham-abc", "demo-web", "shop", "my-pham-abc"),
        (f"{DEMO}/shops/my-pham-abc/products/kem-x", "demo-web", "shop", "my-pham-abc"),
    ],
)
def test_recognises_shop_product_and_id_urls(url: str, platform: str, kind: str, value: str) -> None:
    ref = rec(url)
    assert (ref.platform, ref.kind, ref.value) == (platform, kind, value)


def test_demo_refs_carry_the_demo_root_to_crawl() -> None:
    assert rec(f"{DEMO}/tiki/cua-hang/x").base_url == f"{DEMO}/tiki"
    assert rec("https://tiki.vn/cua-hang/x").base_url is None


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://10.0.0.1/", "10.0.0.1 is a private network address"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://127.0.0.1:5432/tiki/cua-hang/x", "loopback"),  # loopback, but not the demo's port
        ("http://localhost:8077/tiki/cua-hang/x", "not a marketplace"),  # only the demo's exact origin
        ("http://2130706433/", "loopback"),  # 127.0.0.1 spelled as one number
        ("http://0x7f.1/", "loopback"),
        ("http://[::1]:8077/", "loopback"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://8.8.8.8/", "bare IP address"),
        ("https://evil.example.com/cua-hang/x", "not a marketplace"),
        ("https://tiki.vn.evil.com/cua-hang/x", "not a marketplace"),
        ("https://tiki.vn@10.0.0.1/cua-hang/x", "user name"),
        ("file:///etc/passwd", "only http and https"),
        ("gopher://tiki.vn/", "only http and https"),
        ("https://tiki.vn:8443/cua-hang/x", "standard port"),
        ("https://tiki.vn/khuyen-mai", "not a seller or product page"),
        ("https://www.facebook.com/groups/123", "not a seller or product page"),
        ("tiki-trading", "not a URL"),
        ("", "empty URL"),
        (f"{DEMO}/nowhere", "has no seller"),
    ],
)
def test_refuses_with_a_clear_message(url: str, says: str) -> None:
    with pytest.raises(SellerURLError, match=says):
        rec(url)


def test_a_configured_host_resolving_to_a_private_address_is_refused() -> None:
    with pytest.raises(SellerURLError, match=r"non-public address \(10.1.2.3 is a private"):
        recognize("https://tiki.vn/cua-hang/x", hosts=HOSTS, resolver=lambda host: ["203.113.131.1", "10.1.2.3"])
    with pytest.raises(SellerURLError, match="link-local"):
        check_addresses("shopee.vn", ["169.254.169.254"])
    check_addresses("shopee.vn", ["203.113.131.1", "2001:4860:4860::8888"])


def test_no_resolution_for_refused_urls() -> None:
    asked: list[str] = []

    def resolver(host: str) -> list[str]:
        asked.append(host)
        return ["203.113.131.1"]

    for url in ("http://10.0.0.1/", "https://unknown.example/", "https://tiki.vn/khuyen-mai"):
        with pytest.raises(SellerURLError):
            recognize(url, hosts=HOSTS, resolver=resolver)
    assert asked == []
