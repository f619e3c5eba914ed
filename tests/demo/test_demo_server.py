"""The demo server: every endpoint in the right shape, paging complete, blocks and escaping."""

from __future__ import annotations

import json
import math
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from demo.catalog import HOSTILE_TEXT, PLATFORMS, Catalog, DemoListing, DemoSeller, fold_words
from demo.server import WEB_PAGE_SIZE, DemoServer, json_for_script
from tests.demo.demo_helpers import REALDATA, REPO, SHOPEE_HEADERS

# --------------------------------------------------------------------------- helpers


class _Collector(HTMLParser):
    """Collects links, <link rel> and <script> bodies of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[dict[str, str | None]] = []
        self.links: list[dict[str, str | None]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.anchors.append(dict(attrs))
        elif tag == "link":
            self.links.append(dict(attrs))
        elif tag == "script":
            self._script, self._buf = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._buf.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._buf)))
            self._script = None


def parse(text: str) -> _Collector:
    collector = _Collector()
    collector.feed(text)
    return collector


def ld_blocks(text: str) -> list[dict[str, Any]]:
    return [json.loads(body) for attrs, body in parse(text).scripts if attrs.get("type") == "application/ld+json"]


def tiki_listings(catalog: Catalog) -> tuple[DemoListing, ...]:
    return catalog.listings_on("demo-tiki")


def first(catalog: Catalog, platform: str, role: str) -> DemoSeller:
    return next(s for s in catalog.sellers_on(platform) if s.role == role)


def hostile_listing(catalog: Catalog, platform: str) -> DemoListing:
    return next(x for x in catalog.listings_on(platform) if HOSTILE_TEXT in x.description)


# --------------------------------------------------------------------------- generic


def test_robots_allows_all_and_lists_sitemaps(client: httpx.Client, catalog: Catalog) -> None:
    r = client.get("/robots.txt")
    assert r.status_code == 200
    assert "User-agent: *" in r.text and "Allow: /" in r.text
    assert r.text.count("Sitemap: ") == len(catalog.sellers_on("demo-web"))


def test_index_links_every_platform_and_shop(client: httpx.Client, catalog: Catalog) -> None:
    page = client.get("/")
    assert page.status_code == 200
    hrefs = {a.get("href") for a in parse(page.text).anchors}
    for seller in catalog.sellers:
        assert seller.shop_url_path in hrefs, seller.name
    for platform in ("demo-tiki", "demo-web", "demo-shopee"):
        assert f'data-platform="{platform}"' in page.text
    for seller in catalog.sellers:
        assert client.get(seller.shop_url_path).status_code == 200, seller.shop_url_path


def test_one_site_per_registered_demo_platform(catalog: Catalog) -> None:
    """Each demo platform of the registry is served by one `demo.sites` module, under its demo path."""
    from crawler.platforms import demo_paths
    from demo.sites import SITES

    assert {site.platform for site in SITES} == set(demo_paths()) == set(PLATFORMS)
    assert len({site.segment for site in SITES}) == len(SITES)
    for site in SITES:
        prefix = demo_paths()[site.platform]
        assert prefix in ("", "/" + site.segment), site.platform  # "": the stand-alone shops start at the root
        for seller in catalog.sellers_on(site.platform):
            assert seller.shop_url_path.startswith(f"/{site.segment}/"), seller.shop_url_path


def test_only_loopback() -> None:
    with pytest.raises(ValueError):
        DemoServer(host="0.0.0.0")


def test_base_url_and_stop(catalog: Catalog) -> None:
    with DemoServer(catalog) as srv:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", srv.base_url)
        port = srv.port
        assert httpx.get(srv.base_url + "/robots.txt").status_code == 200
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_unknown_paths_are_404(client: httpx.Client) -> None:
    assert client.get("/nope").status_code == 404
    assert client.get("/tiki/api/v2/products/1").status_code == 404
    assert client.get("/tiki/api/v2/sellers/1").status_code == 404
    assert client.get("/tiki/khong-co-p1.html").status_code == 404
    assert client.get("/shops/khong-co/collections/all").status_code == 404


def test_role_and_ground_truth_never_served(client: httpx.Client, catalog: Catalog) -> None:
    fake = first(catalog, "demo-tiki", "counterfeit")
    listing = catalog.listings_of(fake)[0]
    bodies = [
        client.get(f"/tiki/api/v2/products/{listing.listing_id}").text,
        client.get(f"/tiki/api/v2/sellers/{fake.seller_id}").text,
        client.get("/tiki/api/v2/products", params={"seller": fake.seller_id}).text,
        client.get(listing.path).text,
    ]
    for body in bodies:
        for leak in ('"role"', '"planted"', '"imitates"', "counterfeit", "brand.lookalike"):
            assert leak not in body


def test_concurrent_clients_are_served_fast(server: DemoServer, catalog: Catalog) -> None:
    paths = [x.path for x in catalog.listings[:80]] + [
        f"/tiki/api/v2/products?q=sua&page={p}&limit=10" for p in range(1, 5)
    ]

    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
    with httpx.Client(base_url=server.base_url, timeout=10, limits=limits) as http:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=16) as pool:
            codes = list(pool.map(lambda path: http.get(path).status_code, paths * 2))
        elapsed = time.perf_counter() - started
    assert set(codes) == {200}
    assert elapsed < 5, f"{len(codes)} requests took {elapsed:.1f}s"


# --------------------------------------------------------------------------- demo-tiki

TIKI_LIST_KEYS = {
    "id", "sku", "name", "url_key", "url_path", "brand_name", "price", "list_price", "original_price",
    "discount_rate", "rating_average", "review_count", "quantity_sold", "seller_id", "seller_name", "thumbnail_url",
}
TIKI_DETAIL_KEYS = {
    "id", "sku", "name", "url_key", "url_path", "short_url", "short_description", "description", "price",
    "list_price", "original_price", "brand", "current_seller", "categories", "breadcrumbs", "specifications",
    "images", "rating_average", "review_count", "quantity_sold", "badges_new",
}


def test_tiki_search_shape_and_accent_insensitive(client: httpx.Client) -> None:
    r = client.get("/tiki/api/v2/products", params={"q": "sữa bột", "page": 1, "limit": 40})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"data", "paging"}
    assert set(body["paging"]) == {"total", "per_page", "current_page", "last_page", "from", "to"}
    assert body["data"]
    for item in body["data"]:
        assert set(item) >= TIKI_LIST_KEYS
        assert isinstance(item["id"], int) and isinstance(item["price"], int)
        assert {"sua", "bot"} <= set(fold_words(item["name"]))
    plain = client.get("/tiki/api/v2/products", params={"q": "SUA BOT"}).json()
    assert plain["paging"]["total"] == body["paging"]["total"]
    assert [x["id"] for x in plain["data"]] == [x["id"] for x in body["data"]]


def test_tiki_search_rejects_bad_requests(client: httpx.Client) -> None:
    assert client.get("/tiki/api/v2/products").status_code == 400
    assert client.get("/tiki/api/v2/products", params={"q": "sua", "limit": 0}).status_code == 400
    assert client.get("/tiki/api/v2/products", params={"q": "sua", "page": "x"}).status_code == 400
    punct = client.get("/tiki/api/v2/products", params={"q": "!!!"}).json()
    assert punct["data"] == [] and punct["paging"]["total"] == 0


def test_tiki_seller_paging_covers_every_listing_once(client: httpx.Client, catalog: Catalog) -> None:
    seen: list[str] = []
    for seller in catalog.sellers_on("demo-tiki"):
        page, last = 1, 1
        while page <= last:
            body = client.get("/tiki/api/v2/products", params={"seller": seller.seller_id, "page": page, "limit": 4}).json()
            last = body["paging"]["last_page"]
            assert body["paging"]["total"] == len(catalog.listings_of(seller))
            seen += [str(item["id"]) for item in body["data"]]
            assert all(str(item["seller_id"]) == seller.seller_id for item in body["data"])
            page += 1
    assert sorted(seen) == sorted(x.listing_id for x in tiki_listings(catalog))


def test_tiki_keyword_paging_covers_matches_once(client: httpx.Client, catalog: Catalog) -> None:
    expected = {x.listing_id for x in tiki_listings(catalog) if "sua" in fold_words(x.title)}
    assert len(expected) > 30
    seen: list[str] = []
    page = 1
    while True:
        body = client.get("/tiki/api/v2/products", params={"q": "sữa", "page": page, "limit": 7}).json()
        if not body["data"]:
            assert page == body["paging"]["last_page"] + 1
            assert body["paging"]["from"] is None
            break
        assert body["paging"]["from"] == (page - 1) * 7 + 1
        seen += [str(item["id"]) for item in body["data"]]
        page += 1
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_tiki_detail_official(client: httpx.Client, catalog: Catalog) -> None:
    seller = first(catalog, "demo-tiki", "official")
    listing = catalog.listings_of(seller)[0]
    d = client.get(f"/tiki/api/v2/products/{listing.listing_id}").json()
    assert set(d) >= TIKI_DETAIL_KEYS
    assert d["id"] == int(listing.listing_id)
    assert d["sku"] == listing.gtin
    assert d["name"] == listing.title
    assert d["price"] == listing.price and d["list_price"] == listing.list_price
    assert d["brand"]["name"] == listing.brand and set(d["brand"]) == {"id", "name", "slug"}
    assert {"id", "sku", "name", "link", "logo", "store_id", "is_best_store"} <= set(d["current_seller"])
    assert d["current_seller"]["id"] == int(seller.seller_id)
    assert d["current_seller"]["link"].endswith(seller.shop_url_path)
    assert {"code": "is_authentic", "placement": "left_brand", "type": "is_authentic"}.items() <= next(
        b for b in d["badges_new"] if b["code"] == "is_authentic"
    ).items()
    codes = {a["code"] for spec in d["specifications"] for a in spec["attributes"]}
    assert {"brand", "brand_country", "origin"} <= codes
    assert d["categories"]["name"] == listing.category[-1]
    assert [b["name"] for b in d["breadcrumbs"]] == [*listing.category, listing.title]
    assert all({"base_url", "large_url"} <= set(img) for img in d["images"])
    assert d["quantity_sold"] == {"text": d["quantity_sold"]["text"], "value": listing.sold}
    assert d["url_path"].startswith(d["url_key"] + ".html")


def test_tiki_detail_non_official_without_gtin(client: httpx.Client, catalog: Catalog) -> None:
    listing = next(x for x in tiki_listings(catalog) if x.gtin is None)
    d = client.get(f"/tiki/api/v2/products/{listing.listing_id}").json()
    assert all(b["code"] != "is_authentic" for b in d["badges_new"])
    assert len(d["sku"]) != 13, "an internal code must not look like an EAN-13"


def test_tiki_seller_info(client: httpx.Client, catalog: Catalog) -> None:
    official = first(catalog, "demo-tiki", "official")
    s = client.get(f"/tiki/api/v2/sellers/{official.seller_id}").json()["data"]["seller"]
    assert {"id", "name", "store_id", "url", "icon", "is_official", "avg_rating_point", "review_count",
            "total_follower", "days_since_joined", "info"} <= set(s)
    assert s["is_official"] is True
    assert s["info"] == {"business_name": official.business_name, "tax_number": official.business_id,
                         "address": official.address, "phone": official.phone}
    hidden = next(x for x in catalog.sellers_on("demo-tiki") if x.phone is None)
    info = client.get(f"/tiki/api/v2/sellers/{hidden.seller_id}").json()["data"]["seller"]["info"]
    assert info == {"business_name": None, "tax_number": None, "address": None, "phone": None}


def test_tiki_shop_and_product_pages(client: httpx.Client, catalog: Catalog) -> None:
    seller = first(catalog, "demo-tiki", "honest")
    shop = client.get(seller.shop_url_path)
    assert shop.status_code == 200 and "text/html" in shop.headers["content-type"]
    links = [a["href"] for a in parse(shop.text).anchors if a.get("class") == "product-link"]
    assert len(links) == len(catalog.listings_of(seller))
    page = client.get(str(links[0]))
    assert page.status_code == 200
    scripts = {attrs.get("id"): body for attrs, body in parse(page.text).scripts}
    nxt = json.loads(scripts["__NEXT_DATA__"])
    data = nxt["props"]["initialState"]["productv2"]["productData"]["response"]["data"]
    api = client.get(f"/tiki/api/v2/products/{data['id']}").json()
    assert data == api
    short = client.get(f"/tiki/product-p{data['id']}.html")
    assert short.status_code == 200


def test_tiki_ban(client: httpx.Client) -> None:
    r = client.get("/tiki/api/v2/products", params={"q": "sua", "ban": 1})
    assert r.status_code == 429 and r.headers["retry-after"] == "3600"
    r = client.get("/tiki/api/v2/sellers/1", params={"ban": 403})
    assert r.status_code == 403 and "Access Denied" in r.text


# --------------------------------------------------------------------------- demo-web


def test_web_sitemap_lists_every_product(client: httpx.Client, catalog: Catalog, server: DemoServer) -> None:
    for seller in catalog.sellers_on("demo-web"):
        r = client.get(seller.shop_url_path + "/sitemap.xml")
        assert r.status_code == 200 and "xml" in r.headers["content-type"]
        locs = re.findall(r"<loc>([^<]+)</loc>", r.text)
        assert sorted(locs) == sorted(server.base_url + x.path for x in catalog.listings_of(seller))


def test_web_collection_paging_covers_every_product_once(client: httpx.Client, catalog: Catalog) -> None:
    multi_page = 0
    for seller in catalog.sellers_on("demo-web"):
        url: str | None = seller.shop_url_path + "/collections/all"
        seen: list[str] = []
        pages = 0
        while url is not None:
            page = parse(client.get(url).text)
            seen += [str(a["href"]) for a in page.anchors if a.get("class") == "product-link"]
            nxt = [link["href"] for link in page.links if link.get("rel") == "next"]
            url = str(nxt[0]) if nxt else None
            pages += 1
        assert pages == max(1, math.ceil(len(catalog.listings_of(seller)) / WEB_PAGE_SIZE))
        multi_page += pages > 1
        assert sorted(seen) == sorted(x.path for x in catalog.listings_of(seller))
        assert client.get(seller.shop_url_path + "/collections/all?page=99").status_code == 404
    assert multi_page >= 3


def test_web_product_json_ld(client: httpx.Client, catalog: Catalog) -> None:
    checked_gtin = checked_none = 0
    for seller in catalog.sellers_on("demo-web"):
        for listing in catalog.listings_of(seller):
            blocks = ld_blocks(client.get(listing.path).text)
            product = next(b for b in blocks if b["@type"] == "Product")
            org = next(b for b in blocks if b["@type"] == "Organization")
            assert product["name"] == listing.title
            assert product["description"] == listing.description
            assert product["sku"] == listing.sku
            assert product["category"] == listing.category_text
            assert product["offers"]["@type"] == "Offer"
            assert product["offers"]["priceCurrency"] == "VND"
            assert int(product["offers"]["price"]) == listing.price
            assert product["offers"]["seller"] == {"@type": "Organization", "name": seller.name}
            assert product["offers"]["availability"] == "https://schema.org/InStock"
            if listing.brand is not None:
                assert product["brand"] == {"@type": "Brand", "name": listing.brand}
            if listing.gtin is None:
                assert "gtin13" not in product
                checked_none += 1
            else:
                assert product["gtin13"] == listing.gtin
                checked_gtin += 1
            assert product.get("countryOfOrigin") == listing.origin
            assert org["name"] == seller.name
            assert ("taxID" in org) == (seller.business_id is not None)
    assert checked_gtin and checked_none


def test_web_identity_footer(client: httpx.Client, catalog: Catalog) -> None:
    for seller in catalog.sellers_on("demo-web"):
        text = client.get(seller.shop_url_path).text
        if seller.business_id is not None:
            assert f"MST: {seller.business_id}" in text
            assert f"Điện thoại: {seller.phone}" in text
            assert f"Địa chỉ: {seller.address}" in text
        else:
            assert "MST:" not in text
            # A planted network's shops (demo/shops.yaml) print an address without a tax number.
            if seller.address is None:
                assert "Địa chỉ:" not in text
            else:
                assert f"Địa chỉ: {seller.address}" in text
        if seller.phone is None:
            assert "Điện thoại:" not in text


# --------------------------------------------------------------------------- demo-shopee

SHOPEE_ITEM_KEYS = {
    "itemid", "shopid", "name", "brand", "price", "price_min", "price_max", "price_before_discount",
    "historical_sold", "sold", "stock", "item_rating", "shop_location", "is_official_shop", "shopee_verified",
    "ctime", "image", "images", "catid",
}


def test_shopee_api_refuses_without_header(client: httpx.Client, catalog: Catalog) -> None:
    seller = catalog.sellers_on("demo-shopee")[0]
    item = catalog.listings_of(seller)[0]
    for path in (
        "/shopee/api/v4/search/search_items?by=relevancy&keyword=giay&limit=60&newest=0&order=desc&page_type=search",
        f"/shopee/api/v4/shop/get_shop_detail?shopid={seller.seller_id}",
        f"/shopee/api/v4/shop/search_items?shopid={seller.seller_id}&offset=0&limit=30",
        f"/shopee/api/v4/item/get?itemid={item.listing_id}&shopid={seller.seller_id}",
    ):
        r = client.get(path)
        assert r.status_code == 403, path
        body = r.json()
        assert body["error"] == 90309999
        assert body["is_customized"] is False and body["is_login"] is False and body["action_type"] == 2
        assert client.get(path, headers=SHOPEE_HEADERS).status_code == 200, path


def test_shopee_search_shape_and_paging(client: httpx.Client, catalog: Catalog) -> None:
    expected = {x.listing_id for x in catalog.listings_on("demo-shopee") if "giay" in fold_words(x.title)}
    assert expected
    seen: list[str] = []
    newest = 0
    while True:
        body = client.get(
            "/shopee/api/v4/search/search_items",
            params={"by": "relevancy", "keyword": "giày", "limit": 5, "newest": newest, "order": "desc",
                    "page_type": "search"},
            headers=SHOPEE_HEADERS,
        ).json()
        assert body["total_count"] == len(expected)
        for wrapper in body["items"]:
            item = wrapper["item_basic"]
            assert set(item) >= SHOPEE_ITEM_KEYS
            listing = catalog.listing("demo-shopee", str(item["itemid"]))
            assert item["price"] == listing.price * 100000
            assert item["price_min"] == item["price_max"] == item["price"]
            assert item["historical_sold"] == listing.sold
            assert {"rating_star", "rating_count"} <= set(item["item_rating"])
            seen.append(str(item["itemid"]))
        if body["nomore"]:
            break
        newest += 5
    assert len(seen) == len(set(seen)) and set(seen) == expected


def test_shopee_item_fields_match_the_real_response() -> None:
    real = REALDATA / "comphilano__ds_final" / "Data" / "[Old]response.json"
    if not real.exists():
        pytest.skip(f"real Shopee response not available at {real}")
    items = json.loads(real.read_text(encoding="utf-8"))["items"]
    missing = SHOPEE_ITEM_KEYS - set(items[0])
    assert not missing, f"field names not in the real Shopee response: {missing}"


def test_shopee_shop_detail_and_items(client: httpx.Client, catalog: Catalog) -> None:
    official = first(catalog, "demo-shopee", "official")
    body = client.get("/shopee/api/v4/shop/get_shop_detail", params={"shopid": official.seller_id},
                      headers=SHOPEE_HEADERS).json()
    assert body["error"] == 0
    data = body["data"]
    assert {"shopid", "userid", "name", "is_official_shop", "shopee_verified", "shop_location", "ctime",
            "item_count", "rating_star", "description"} <= set(data)
    assert data["is_official_shop"] is True and data["name"] == official.name
    assert f"MST: {official.business_id}" in data["description"]
    for seller in catalog.sellers_on("demo-shopee"):
        seen: list[str] = []
        offset = 0
        while True:
            page = client.get("/shopee/api/v4/shop/search_items",
                              params={"shopid": seller.seller_id, "offset": offset, "limit": 4},
                              headers=SHOPEE_HEADERS).json()
            seen += [str(w["item_basic"]["itemid"]) for w in page["items"]]
            if page["nomore"]:
                break
            offset += 4
        assert sorted(seen) == sorted(x.listing_id for x in catalog.listings_of(seller))
    missing = client.get("/shopee/api/v4/shop/get_shop_detail", params={"shopid": "1"}, headers=SHOPEE_HEADERS)
    assert missing.json()["error"] != 0


def test_shopee_item_get(client: httpx.Client, catalog: Catalog) -> None:
    listing = next(x for x in catalog.listings_on("demo-shopee") if x.gtin is not None)
    body = client.get("/shopee/api/v4/item/get", params={"itemid": listing.listing_id, "shopid": listing.seller_id},
                      headers=SHOPEE_HEADERS).json()
    assert body["error"] == 0
    item = body["data"]
    assert set(item) >= SHOPEE_ITEM_KEYS
    assert item["description"] == listing.description
    attrs = {a["name"]: a["value"] for a in item["attributes"]}
    assert attrs["Mã vạch"] == listing.gtin
    wrong = client.get("/shopee/api/v4/item/get", params={"itemid": "1", "shopid": "2"}, headers=SHOPEE_HEADERS)
    assert wrong.json()["error"] != 0


def test_shopee_pages_hold_no_listings_before_javascript(client: httpx.Client, catalog: Catalog) -> None:
    seller = catalog.sellers_on("demo-shopee")[0]
    listing = catalog.listings_of(seller)[0]
    for path in ("/shopee/search?keyword=giay", seller.shop_url_path, listing.path):
        r = client.get(path)
        assert r.status_code == 200
        assert "shopee-item\" data-itemid" not in r.text
        assert listing.title not in r.text
        assert "/shopee/api/v4/" in r.text and '"x-api-source": "pc"' in r.text


# --------------------------------------------------------------------------- blocks


def test_block_pages(client: httpx.Client) -> None:
    captcha = client.get("/blocked/captcha")
    assert captcha.status_code == 200
    assert "Vui lòng xác minh bạn không phải là robot" in captcha.text and "<form" in captcha.text
    login = client.get("/blocked/login")
    assert login.status_code == 200 and 'type="password"' in login.text


# --------------------------------------------------------------------------- hostile text


def test_hostile_text_escaped_in_html_raw_in_json(client: httpx.Client, catalog: Catalog) -> None:
    tiki = hostile_listing(catalog, "demo-tiki")
    page = client.get(tiki.path).text
    assert HOSTILE_TEXT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    api = client.get(f"/tiki/api/v2/products/{tiki.listing_id}").json()
    assert HOSTILE_TEXT in api["short_description"]
    nxt = next(body for attrs, body in parse(page).scripts if attrs.get("id") == "__NEXT_DATA__")
    assert HOSTILE_TEXT in json.dumps(json.loads(nxt), ensure_ascii=False)

    web = hostile_listing(catalog, "demo-web")
    page = client.get(web.path).text
    assert HOSTILE_TEXT not in page
    product = next(b for b in ld_blocks(page) if b["@type"] == "Product")
    assert HOSTILE_TEXT in product["description"]

    odd = next(x for x in catalog.listings if "<" in x.title)
    page = client.get(odd.path).text
    assert odd.title not in page
    search = client.get("/tiki/api/v2/products", params={"seller": odd.seller_id, "limit": 100}).json()
    assert odd.title in [x["name"] for x in search["data"]]


def test_json_for_script_cannot_close_the_script() -> None:
    text = json_for_script({"x": "</script><script>alert(1)</script>", "y": "a&b\u2028"})
    assert "</" not in text and "<" not in text
    assert json.loads(text) == {"x": "</script><script>alert(1)</script>", "y": "a&b\u2028"}


# --------------------------------------------------------------------------- running alone


def test_module_runs_alone() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "demo.server", "--port", "0"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match is not None, line
        r = httpx.get(f"http://127.0.0.1:{match.group(1)}/robots.txt", timeout=5)
        assert r.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_request_error_is_logged_not_printed_on_stderr(capsys: pytest.CaptureFixture[str],
                                                         caplog: pytest.LogCaptureFixture) -> None:
    # socketserver prints a dashed block and a traceback on stderr, which breaks JSON logs.
    from demo.server import _HTTPServer

    server = _HTTPServer(("127.0.0.1", 0))
    try:
        with caplog.at_level("DEBUG", logger="demo.server"):
            for error in (ConnectionResetError("peer reset"), ValueError("a demo bug")):
                try:
                    raise error
                except Exception:
                    server.handle_error(None, ("127.0.0.1", 5555))
    finally:
        server.server_close()
    assert capsys.readouterr().err == ""
    levels = {r.getMessage(): r.levelname for r in caplog.records}
    assert levels == {"demo client ('127.0.0.1', 5555) went away": "DEBUG",
                      "demo server error serving ('127.0.0.1', 5555)": "ERROR"}
