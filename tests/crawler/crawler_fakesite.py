"""A tiny local marketplace for spider tests (127.0.0.1 only), independent of demo/.

It speaks the same URL map as the demo marketplace: ``/tiki/api/v2/...``, ``/shops/{shop}/...``
with a sitemap and JSON-LD product pages, ``/shopee/search`` and ``/shopee/shop/{id}`` pages
whose JavaScript calls ``/shopee/api/v4/...`` with ``x-api-source: pc`` (plain requests without
it get 403 + error 90309999), plus ``/blocked/...`` (403) and ``/captcha/...`` pages.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

TIKI_PRODUCTS = [
    {"id": 1000 + i, "sku": f"893800000{i:04d}", "name": f"Sữa bột Dielac Grow Plus hộp {i}",
     "url_key": f"sua-bot-dielac-{i}-p{1000 + i}", "url_path": f"sua-bot-dielac-{i}-p{1000 + i}.html",
     "brand_name": "Vinamilk", "price": 200000 + i * 1000, "list_price": 250000 + i * 1000,
     "seller_id": 7 if i % 2 else 1, "seller_name": "Shop Sữa Mẹ" if i % 2 else "Tiki Trading",
     "rating_average": 4.5, "review_count": 10, "quantity_sold": {"text": "Đã bán 12", "value": 12},
     "thumbnail_url": f"https://example.invalid/{i}.jpg"}
    for i in range(6)
]
SELLERS = {
    "1": {"id": 1, "name": "Tiki Trading", "is_official": True, "days_since_joined": 3000,
          "info": {"business_name": "Công ty TNHH Ti Ki", "tax_number": "0309532909",
                   "address": "52 Út Tịch, Hồ Chí Minh", "phone": "19006035"}},
    "7": {"id": 7, "name": "Shop Sữa Mẹ", "is_official": False, "days_since_joined": 40,
          "info": {"business_name": None, "tax_number": None, "address": None, "phone": None}},
}
SHOPS = {
    "nhathuoc-an-khang": [("Viên uống Blackmores Fish Oil 1000mg", "Blackmores", "9300807280146", 450000),
                          ("Kem chống nắng Anessa 60ml", "Anessa", "4909978112008", 390000)],
    "giay-gia-xuong": [("Giày Nike Air Force 1 rep 1:1", "Nike", None, 350000)],
}
SHOPEE_ITEMS = [
    {"itemid": 500 + i, "shopid": 88 if i < 3 else 99, "name": f"Tai nghe AirPods Pro {i} like auth",
     "brand": "Apple" if i % 2 else "No Brand", "price": (150000 + i * 1000) * 100000,
     "price_before_discount": 0, "historical_sold": 100 + i, "shop_location": "Hà Nội",
     "is_official_shop": False, "images": [f"img{i}"],
     "item_rating": {"rating_star": 4.2, "rating_count": [10, 0, 0, 1, 2, 7]}}
    for i in range(5)
]
SHOPEE_PAGE = """<!doctype html><html><head><title>Shopee</title></head><body><div id="list"></div>
<script>
async function run() {
  const params = new URLSearchParams(location.search);
  const shop = location.pathname.match(/\\/shop\\/(\\d+)/);
  const h = {"x-api-source": "pc"};
  if (shop) {
    await fetch("API/api/v4/shop/get_shop_detail?shopid=" + shop[1], {headers: h});
  }
  let newest = 0;
  for (;;) {
    const url = shop ? "API/api/v4/shop/search_items?shopid=" + shop[1] + "&offset=" + newest
                     : "API/api/v4/search/search_items?keyword=" + encodeURIComponent(params.get("keyword")) + "&newest=" + newest;
    const r = await fetch(url, {headers: h});
    const j = await r.json();
    for (const it of (j.items || [])) {
      const d = document.createElement("div"); d.textContent = (it.item_basic || it).name;
      document.getElementById("list").appendChild(d);
    }
    if (j.nomore) break;
    newest += 2;
  }
  document.documentElement.dataset.done = "1";
}
run();
</script></body></html>"""


def _product_page(shop: str, slug: str, title: str, brand: str, gtin: str | None, price: int) -> str:
    product: dict[str, object] = {
        "@context": "https://schema.org", "@type": "Product", "name": title, "brand": {"@type": "Brand", "name": brand},
        "offers": {"@type": "Offer", "price": str(price), "priceCurrency": "VND"},
    }
    if gtin:
        product["gtin13"] = gtin
    return f"""<!doctype html><html><head><title>{title}</title>
<link rel="canonical" href="/shops/{shop}/products/{slug}">
<script type="application/ld+json">{json.dumps(product, ensure_ascii=False)}</script></head>
<body><h1>{title}</h1><footer><p>Công ty TNHH {shop}</p><p>MST: 0312345678</p>
<p>Hotline: 0901 234 567</p><p>Địa chỉ: 12 Lê Lợi, Quận 1, TP. Hồ Chí Minh</p></footer></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: str | bytes, ctype: str = "application/json") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self, obj: object, status: int = 200) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False))

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}
        base = f"http://{self.headers['Host']}"
        if path == "/robots.txt":
            return self._send(200, "User-agent: *\nDisallow: /private/\n", "text/plain")
        if path.startswith("/blocked/"):
            return self._send(403, "<html><body>Access denied</body></html>", "text/html")
        if path.startswith("/captcha/"):
            return self._send(200, "<html><title>Xác minh</title><body>Vui lòng xác minh bạn không phải là robot"
                                   "</body></html>", "text/html")
        if path == "/tiki/api/v2/products":
            items = TIKI_PRODUCTS
            if "seller" in query:
                items = [p for p in items if str(p["seller_id"]) == query["seller"]]
            elif "q" in query and query["q"] == "nothing":
                items = []
            page, limit = int(query.get("page", 1)), 4
            chunk = items[(page - 1) * limit: page * limit]
            last = max(1, -(-len(items) // limit))
            return self._json({"data": chunk, "paging": {"total": len(items), "per_page": limit,
                                                         "current_page": page, "last_page": last}})
        if path.startswith("/tiki/api/v2/products/"):
            pid = int(path.rsplit("/", 1)[1])
            found = [p for p in TIKI_PRODUCTS if p["id"] == pid]
            if not found:
                return self._json({"error": "not found"}, 404)
            p = found[0]
            if pid == 1005:
                return self._json({"unexpected": True})
            detail = {**p, "brand": {"id": 1, "name": p["brand_name"]},
                      "current_seller": {"id": p["seller_id"], "name": p["seller_name"],
                                         "link": f"{base}/tiki/cua-hang/s{p['seller_id']}"},
                      "specifications": [{"name": "Content", "attributes": [
                          {"code": "origin", "name": "Xuất xứ (Made in)", "value": "Việt Nam"}]}],
                      "breadcrumbs": [{"url": "/sua/c1", "name": "Sữa", "category_id": 1},
                                      {"url": "/x", "name": p["name"], "category_id": 0}],
                      "all_time_quantity_sold": 12}
            return self._json(detail)
        if path.startswith("/tiki/api/v2/sellers/"):
            sid = path.rsplit("/", 1)[1]
            return self._json({"data": {"seller": SELLERS[sid]}})
        if path == "/":
            links = "".join(f'<a href="/shops/{s}/">{s}</a>' for s in SHOPS)
            return self._send(200, f"<html><body>{links}</body></html>", "text/html")
        if path.startswith("/shops/"):
            bits = path.strip("/").split("/")
            shop = bits[1]
            if shop not in SHOPS:
                return self._send(404, "not found", "text/plain")
            if bits[2:] == ["sitemap.xml"]:
                if shop == "giay-gia-xuong":
                    return self._send(404, "no sitemap", "text/plain")
                locs = "".join(f"<url><loc>{base}/shops/{shop}/products/p{i}</loc></url>"
                               for i in range(len(SHOPS[shop])))
                locs += f"<url><loc>{base}/shops/{shop}/pages/about</loc></url>"
                return self._send(200, '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns='
                                       f'"http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>',
                                  "application/xml")
            if bits[2:] == ["collections", "all"]:
                links = "".join(f'<a class="product-link" href="/shops/{shop}/products/p{i}">x</a>'
                                for i in range(len(SHOPS[shop])))
                return self._send(200, f"<html><body>{links}</body></html>", "text/html")
            if bits[2:] == ["pages", "about"]:
                return self._send(200, "<html><body>About us</body></html>", "text/html")
            if len(bits) == 4 and bits[2] == "products":
                i = int(bits[3][1:])
                title, brand, gtin, price = SHOPS[shop][i]
                return self._send(200, _product_page(shop, bits[3], title, brand, gtin, price), "text/html")
        if path == "/shopee/search" or path.startswith("/shopee/shop/"):
            return self._send(200, SHOPEE_PAGE.replace("API", "/shopee"), "text/html")
        if path.startswith("/shopee/api/v4/"):
            if self.headers.get("x-api-source") != "pc":
                return self._json({"error": 90309999, "error_msg": None}, 403)
            if path.endswith("/shop/get_shop_detail"):
                sid = int(query["shopid"])
                return self._json({"error": 0, "data": {"shopid": sid, "name": f"Shop {sid}",
                                                        "is_official_shop": sid == 88,
                                                        "shop_location": "Hà Nội", "ctime": 1600000000}})
            if path.endswith("/search/search_items") or path.endswith("/shop/search_items"):
                items = SHOPEE_ITEMS
                if "shopid" in query:
                    items = [it for it in items if str(it["shopid"]) == query["shopid"]]
                start = int(query.get("newest", query.get("offset", 0)))
                chunk = items[start:start + 2]
                return self._json({"error": None, "total_count": len(items),
                                   "nomore": start + 2 >= len(items),
                                   "items": [{"item_basic": it} for it in chunk]})
        return self._send(404, "not found", "text/plain")


class FakeSite:
    """``with FakeSite() as site: site.base_url`` -> ``http://127.0.0.1:PORT``."""

    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeSite:
        self.thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.server.shutdown()
        self.server.server_close()
