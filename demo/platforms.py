"""The later demo platforms: Sendo, Lazada, TikTok Shop and Facebook shapes.

- ``/sendo/api/web/products?q=K&page=N&size=S`` (or ``shop_id=``): Sendo's searchlist-api
  shape ``{"data": [...], "meta": {...}}``; ``/sendo/api/full/{slug}`` one product
  ``{"data": {...}}``; ``/sendo/shop/{slug}`` a shop page with the identity footer;
- ``/lazada/catalog/?ajax=true&q=K&page=N`` and ``/lazada/shop/{slug}/?ajax=true&page=N``:
  ``{"mainInfo": {...}, "mods": {"listItems": [...]}}``; ``/lazada/products/...-i{id}.html``
  product pages with schema.org JSON-LD, ``window.__moduleData__`` and a seller box;
  ``&block=punish`` answers like Lazada's anti-bot (``rgv587_flag``), and
  ``/lazada/_____tmd_____/punish`` is its slider page;
- ``/tiktok/search?q=K``, ``/tiktok/shop/{seller_id}``, ``/tiktok/view/product/{id}``: pages
  whose products only arrive by XHR from ``/tiktok/api/shop/...`` (which answers code
  10201 "verify" without the page's ``x-tt-web`` header); ``/tiktok/login`` is the login wall;
- ``/facebook/{page}`` and ``/facebook/search/posts?q=K``: posts rendered by JavaScript
  from inline JSON into ``[role=article]`` nodes; ``/facebook/login/`` is the login wall.

Crawled text is hostile in real life, so the page scripts only ever set ``textContent``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from demo import pages as srv
from demo.catalog import REFERENCE_EPOCH, DemoListing, DemoSeller
from demo.pages import JSONValue, Response

if TYPE_CHECKING:
    from demo.server import _Site

SENDO_PAGE_SIZE = 60
LAZADA_PAGE_SIZE = 40
TIKTOK_PAGE_SIZE = 20
TIKTOK_ANTIBOT_CODE = 10201


class ExtraPlatforms:
    """Bodies of demo-sendo, demo-lazada, demo-tiktok and demo-facebook for one `_Site`."""

    def __init__(self, site: _Site) -> None:
        self.site = site
        self.srv = srv
        self.catalog = site.catalog

    # ------------------------------------------------------------------ helpers
    def _json(self, data: JSONValue, status: int = 200) -> Response:
        return self.srv._json_response(data, status)

    def _html(self, title: str, body: str, head: str = "", status: int = 200) -> Response:
        return self.srv._html_response(self.srv._page(title, body, head), status)

    def _seller_of(self, listing: DemoListing) -> DemoSeller:
        return self.catalog.seller(listing.platform, listing.seller_id)

    def _seller_by_path(self, platform: str, path: str) -> DemoSeller | None:
        for seller in self.catalog.sellers_on(platform):
            if seller.shop_url_path == path.rstrip("/"):
                return seller
        return None

    def _footer(self, seller: DemoSeller) -> str:
        return self.site._identity_footer(seller)

    def _cached(self, key: tuple[object, ...], make: Callable[[], Response]) -> Response:
        return self.site.cached(key, make)

    # ------------------------------------------------------------------ sendo
    def _sendo_item(self, listing: DemoListing) -> JSONValue:
        seller = self._seller_of(listing)
        discount = self.srv._discount_rate(listing)
        return {
            "id": int(listing.listing_id),
            "name": listing.title,
            "category_path": f"{listing.slug}-{listing.listing_id}.html",
            "image": self.site.image_url(listing.images[0], "w500"),
            "default_price_min": listing.list_price,
            "default_price_max": listing.list_price,
            "sale_price_min": listing.price,
            "sale_price_max": listing.price,
            "sale_percent": discount,
            "sold": listing.sold,
            "seller_admin_id": int(seller.seller_id) + 1000,
            "sku_user": listing.sku,
            "shop": {
                "id": int(seller.seller_id),
                "name": seller.name,
                "ware_house_region_name": seller.location,
                "badge_urls": [],
            },
            "rated": {"total": listing.review_count, "star": listing.rating or 0},
            "package_discount": None,
        }

    def sendo(self, path: str, query: Mapping[str, list[str]]) -> Response | None:
        srv = self.srv
        if path == "/sendo/api/web/products":
            keyword = srv._str_param(query, "q")
            shop_id = srv._str_param(query, "shop_id")
            page = srv._int_param(query, "page", 1)
            size = srv._int_param(query, "size", SENDO_PAGE_SIZE)
            if page is None or size is None or page < 1 or not 1 <= size <= 100:
                return self._json({"status": {"code": 400, "message": "invalid page or size"}}, 400)
            if (keyword is None or keyword.strip() == "") and shop_id is None:
                return self._json({"status": {"code": 400, "message": "q or shop_id is required"}}, 400)
            if srv._str_param(query, "block") == "empty":
                # Sendo's throttled answer: 200 with nothing in it, while it claims results.
                return self._json({"data": [], "meta": {"total": 120, "page": page, "size": size, "last_page": 2}})

            def make() -> Response:
                found = self.site._search("demo-sendo", keyword, shop_id)
                chunk = found[(page - 1) * size : page * size]
                meta = {"total": len(found), "page": page, "size": size,
                        "last_page": max(1, math.ceil(len(found) / size))}
                return self._json({"data": [self._sendo_item(x) for x in chunk], "meta": meta})

            return self._cached(("sendo", keyword, shop_id, page, size), make)
        if path.startswith("/sendo/api/full/"):
            slug = path.removeprefix("/sendo/api/full/").removesuffix(".html")
            for listing in self.catalog.listings_on("demo-sendo"):
                if f"{listing.slug}-{listing.listing_id}" == slug:
                    return self._json({"data": self._sendo_item(listing)})
            return self._json({"status": {"code": 404, "message": "Không tìm thấy sản phẩm"}}, 404)
        seller = self._seller_by_path("demo-sendo", path)
        if seller is not None:
            cards = "".join(
                f'<div class="product-item" data-id="{srv.e(x.listing_id)}"><a href="{srv.e(x.path)}">'
                f"{srv.e(x.title)}</a></div>" for x in self.catalog.listings_of(seller))
            body = (f'<div id="shop-page" data-shop-id="{srv.e(seller.seller_id)}"><h1>{srv.e(seller.name)}</h1>'
                    f"{cards}{self._footer(seller)}</div>")
            return self._html(f"{seller.name} | Sendo", body)
        for listing in self.catalog.listings_on("demo-sendo"):
            if listing.path == path:
                body = (f'<h1 class="product-name">{srv.e(listing.title)}</h1>'
                        f'<p class="price">{srv.e(srv.vnd(listing.price))}</p>')
                return self._html(listing.title, body)
        return None

    # ------------------------------------------------------------------ lazada
    def _lazada_item(self, listing: DemoListing) -> JSONValue:
        seller = self._seller_of(listing)
        icons: list[JSONValue] = []
        if seller.is_official:
            icons.append({"alias": "LazMall", "domClass": "lzd-icon-lazmall", "type": "image"})
        sold = listing.sold
        sold_text = f"{sold / 1000:.1f}K sold".replace(".0K", "K") if sold >= 1000 else f"{sold} sold"
        return {
            "name": listing.title,
            "nid": listing.listing_id,
            "itemId": listing.listing_id,
            "skuId": str(int(listing.listing_id) + 7),
            "icons": icons,
            "image": self.site.image_url(listing.images[0], "w300"),
            "itemUrl": "//" + self.site.base_url.split("://", 1)[1] + listing.path + f"?search=1&skuId={listing.sku}",
            "price": f"{listing.price}.00",
            "priceShow": "₫" + f"{listing.price:,}".replace(",", "."),
            "originalPrice": f"{listing.list_price}.00" if listing.list_price > listing.price else "",
            "discount": f"-{self.srv._discount_rate(listing)}%" if listing.list_price > listing.price else "",
            "ratingScore": str(listing.rating) if listing.rating is not None else "",
            "review": str(listing.review_count) if listing.rating is not None else "0",
            "location": seller.location,
            "sellerName": seller.name,
            "sellerId": seller.seller_id,
            "brandName": listing.brand if listing.brand is not None else "No Brand",
            "brandId": str(listing.brand_id or 0),
            "itemSoldCntShow": sold_text,
            "inStock": True,
            "isAD": 0,
        }

    def _lazada_listing_page(self, listings: list[DemoListing], page: int) -> Response:
        chunk = listings[(page - 1) * LAZADA_PAGE_SIZE : page * LAZADA_PAGE_SIZE]
        main = {"totalResults": str(len(listings)), "page": str(page), "pageSize": str(LAZADA_PAGE_SIZE)}
        mods: dict[str, JSONValue] = {"listItems": [self._lazada_item(x) for x in chunk]} if chunk else {}
        return self._json({"mainInfo": main, "mods": mods, "seoInfo": {}})

    def _lazada_product_page(self, listing: DemoListing) -> Response:
        srv = self.srv
        seller = self._seller_of(listing)
        url = self.site.url(listing.path)
        ld: dict[str, JSONValue] = {
            "@context": "https://schema.org", "@type": "Product", "name": listing.title,
            "image": [self.site.image_url(k) for k in listing.images], "category": listing.category_text,
            "brand": {"@type": "Brand", "name": listing.brand} if listing.brand is not None else {"@type": "Brand"},
            "sku": f"{listing.listing_id}_VNAMZ-{listing.sku}", "mpn": int(listing.listing_id),
            "description": listing.description, "url": url,
            "offers": {"@type": "AggregateOffer", "lowPrice": listing.price, "highPrice": listing.list_price,
                       "priceCurrency": "VND", "availability": "https://schema.org/InStock", "url": url,
                       "seller": {"@type": "Organization", "name": seller.name}},
        }
        if listing.rating is not None:
            ld["aggregateRating"] = {"@type": "AggregateRating", "ratingValue": listing.rating,
                                     "ratingCount": listing.review_count}
        module = {"data": {"root": {"fields": {"seller": {
            "sellerId": seller.seller_id, "sellerName": seller.name, "shopUrl": seller.shop_url_path}}}}}
        specs = [("Thương hiệu", listing.brand or "No Brand")]
        if listing.origin is not None:
            specs.append(("Xuất xứ", listing.origin))
        spec_html = "".join(f'<li><span class="key-title">{srv.e(k)}</span><div class="key-value">{srv.e(v)}</div></li>'
                            for k, v in specs)
        lazmall = '<span class="lazmall-badge" data-lazmall="1">LazMall</span>' if seller.is_official else ""
        body = (
            f'<div id="pdp"><h1 class="pdp-mod-product-badge-title">{srv.e(listing.title)}</h1>'
            f'<span class="pdp-price">{srv.e(srv.vnd(listing.price))}</span>'
            f'<ul class="specification-keys">{spec_html}</ul>'
            f'<div class="seller-container"><a class="seller-name__detail-name" href="{srv.e(seller.shop_url_path)}">'
            f'{srv.e(seller.name)}</a>{lazmall}<div class="seller-info">{srv.identity_html(seller)}</div></div></div>'
        )
        head = (f'<script type="application/ld+json">{srv.json_for_script(ld)}</script>'
                f"<script>window.__moduleData__ = {srv.json_for_script(module)};</script>")
        return self._html(f"{listing.title} | Lazada.vn", body, head)

    def lazada(self, path: str, query: Mapping[str, list[str]]) -> Response | None:
        srv = self.srv
        if path == "/lazada/_____tmd_____/punish":
            body = ('<div id="nocaptcha" class="nc-container"><p>Xin lỗi, chúng tôi phát hiện lưu lượng bất thường '
                    'từ mạng của bạn.</p><div id="nc_1_wrapper" class="nc_wrapper">'
                    '<span class="nc_iconfont btn_slide">&gt;&gt;</span><span class="nc-lang-cnt">'
                    "Vui lòng trượt để xác minh</span></div></div>"
                    "<script>window._config_ = {action: 'captcha', x5secdata: 'demo'};</script>")
            return self._html("Lazada - Xác minh", body)
        ajax = srv._str_param(query, "ajax") == "true"
        page = srv._int_param(query, "page", 1)
        if path.rstrip("/") == "/lazada/catalog":
            if srv._str_param(query, "block") == "punish":
                return self._json({"rgv587_flag": "sm", "url": "/lazada/_____tmd_____/punish?x5secdata=demo"})
            keyword = srv._str_param(query, "q")
            if not ajax or page is None or page < 1 or keyword is None or keyword.strip() == "":
                return self._html("Lazada", "<h1>Lazada</h1><p>Dùng ?ajax=true&amp;q=...</p>", status=400)
            kw, pg = keyword, page
            return self._cached(("lazada", kw, pg), lambda: self._lazada_listing_page(
                self.site._search("demo-lazada", kw, None), pg))
        seller = self._seller_by_path("demo-lazada", path)
        if seller is not None:
            if not ajax:
                return self._html(f"{seller.name} | Lazada", f'<h1 data-seller-id="{srv.e(seller.seller_id)}">'
                                  f"{srv.e(seller.name)}</h1>")
            if page is None or page < 1:
                return self._json({"error": "invalid page"}, 400)
            shop, pg = seller, page
            return self._cached(("lazada-shop", shop.seller_id, pg), lambda: self._lazada_listing_page(
                self.site._search("demo-lazada", None, shop.seller_id), pg))
        for listing in self.catalog.listings_on("demo-lazada"):
            if listing.path == path:
                return self._cached(("lazada-pdp", listing.listing_id),
                                    lambda found=listing: self._lazada_product_page(found))  # type: ignore[misc]
        return None

    # ------------------------------------------------------------------ tiktok
    def _tiktok_product(self, listing: DemoListing) -> JSONValue:
        seller = self._seller_of(listing)
        return {
            "product_id": listing.listing_id,
            "title": listing.title,
            "brand_name": listing.brand,
            "category_name": listing.category_text,
            "image": {"url_list": [self.site.image_url(k, "w400") for k in listing.images]},
            "product_price_info": {
                "sale_price_decimal": str(listing.price),
                "origin_price_decimal": str(listing.list_price),
                "currency_name": "VND",
                "sale_price_format": self.srv.vnd(listing.price),
            },
            "rate_info": {"score": listing.rating if listing.rating is not None else 0,
                          "review_count": str(listing.review_count)},
            "sold_info": {"sold_count": listing.sold},
            "seller_info": {"seller_id": seller.seller_id, "shop_name": seller.name,
                            "is_official": seller.is_official, "region": seller.location},
        }

    def _tiktok_page(self, title: str, kind: str, value: str) -> Response:
        body = (f'<div id="app" data-kind="{self.srv.e(kind)}" data-value="{self.srv.e(value)}">'
                '<h1 class="shop-name"></h1><div class="shop-intro"></div>'
                '<div class="product-list" id="results"></div><div id="status">Đang tải...</div></div>')
        return self._html(title, body + f"<script>{_TIKTOK_JS}</script>")

    def tiktok(self, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response | None:
        srv = self.srv
        if path.startswith("/tiktok/api/"):
            if headers.get("x-tt-web") != "1":
                return self._json({"code": TIKTOK_ANTIBOT_CODE, "message": "verify", "data": None}, 403)
            offset = srv._int_param(query, "offset", 0)
            if offset is None or offset < 0:
                return self._json({"code": 400, "message": "invalid offset"}, 400)
            if path == "/tiktok/api/shop/search":
                keyword = srv._str_param(query, "keyword") or ""
                found = self.site._search("demo-tiktok", keyword, None) if keyword.strip() else []
            elif path == "/tiktok/api/shop/products":
                found = self.site._search("demo-tiktok", None, srv._str_param(query, "seller_id") or "")
            elif path == "/tiktok/api/shop/product":
                try:
                    listing = self.catalog.listing("demo-tiktok", srv._str_param(query, "product_id") or "")
                except KeyError:
                    return self._json({"code": 404, "message": "product not found"}, 404)
                return self._json({"code": 0, "message": "success", "data": {"product": self._tiktok_product(listing)}})
            elif path == "/tiktok/api/shop/info":
                try:
                    seller = self.catalog.seller("demo-tiktok", srv._str_param(query, "seller_id") or "")
                except KeyError:
                    return self._json({"code": 404, "message": "shop not found"}, 404)
                info = {"seller_id": seller.seller_id, "shop_name": seller.name, "is_official": seller.is_official,
                        "region": seller.location, "business_license_number": seller.business_id,
                        "phone": seller.phone, "address": seller.address, "description": seller.description,
                        "join_time": REFERENCE_EPOCH - seller.days_since_joined * 86400}
                return self._json({"code": 0, "message": "success", "data": {"shop_info": info}})
            else:
                return self._json({"code": 404, "message": "not found"}, 404)
            chunk = found[offset : offset + TIKTOK_PAGE_SIZE]
            return self._json({"code": 0, "message": "success", "data": {
                "products": [self._tiktok_product(x) for x in chunk],
                "has_more": offset + TIKTOK_PAGE_SIZE < len(found), "next_offset": offset + len(chunk),
                "total": len(found)}})
        if path == "/tiktok/login":
            body = ('<div class="login-container"><h1>Đăng nhập vào TikTok</h1><form id="login-form">'
                    '<input type="text" name="username" placeholder="Email hoặc tên người dùng">'
                    '<input type="password" name="password" placeholder="Mật khẩu">'
                    "<button>Đăng nhập</button></form></div>")
            return self._html("Đăng nhập | TikTok", body)
        if path == "/tiktok/search":
            return self._cached(("tiktok-page", "search"), lambda: self._tiktok_page("TikTok Shop", "search", ""))
        if path.startswith("/tiktok/shop/"):
            seller_id = path.removeprefix("/tiktok/shop/").strip("/")
            if ("demo-tiktok", seller_id) not in {(s.platform, s.seller_id) for s in self.catalog.sellers}:
                return None
            return self._cached(("tiktok-page", "shop", seller_id),
                                lambda: self._tiktok_page("TikTok Shop", "shop", seller_id))
        if path.startswith("/tiktok/view/product/"):
            product_id = path.removeprefix("/tiktok/view/product/").strip("/")
            return self._cached(("tiktok-page", "product", product_id),
                                lambda: self._tiktok_page("TikTok Shop", "product", product_id))
        return None

    # ------------------------------------------------------------------ facebook
    def _facebook_post(self, listing: DemoListing) -> JSONValue:
        seller = self._seller_of(listing)
        if seller.role == "counterfeit":
            offer = f"Giá sỉ {listing.price // 1000}k, ib để có giá tốt. Ship COD toàn quốc."
        else:
            offer = f"Giá: {self.srv.vnd(listing.price)}"
        return {
            "id": listing.listing_id,
            "author": {"name": seller.name, "href": f"/facebook/{seller.seller_id}"},
            "permalink": listing.path,
            "time": REFERENCE_EPOCH - listing.days_since_created * 86400,
            "text": f"{listing.title}\n{offer}\n{listing.description}",
            "images": [self.site.image_url(k, "w600") for k in listing.images[:2]],
        }

    def _facebook_chatter(self, seller: DemoSeller) -> JSONValue:
        """A post without a price: news, not an offer (must not become a listing)."""
        return {
            "id": str(900_000_000_000_000 + int.from_bytes(seller.seller_id.encode()[:6], "big") % 99_999_999_999),
            "author": {"name": seller.name, "href": f"/facebook/{seller.seller_id}"},
            "permalink": f"/facebook/{seller.seller_id}/posts/note",
            "time": REFERENCE_EPOCH,
            "text": f"{seller.name} chúc cả nhà cuối tuần vui vẻ! Hotline hỗ trợ 24/7 tại trang.",
            "images": [],
        }

    def _facebook_page(self, title: str, posts: list[JSONValue], intro: str) -> Response:
        srv = self.srv
        body = (f"{intro}<div role=\"feed\" id=\"posts\"></div><div id=\"status\">Đang tải...</div>"
                f'<script type="application/json" id="feed-data">{srv.json_for_script(posts)}</script>'
                f"<script>{_FACEBOOK_JS}</script>")
        return self._html(title, body)

    def _facebook_intro(self, seller: DemoSeller) -> str:
        srv = self.srv
        lines = [f"<p>{srv.e(seller.description)}</p>"]
        if seller.business_name is not None:
            lines.append(f"<p>{srv.e(seller.business_name)}</p>")
        if seller.business_id is not None:
            lines.append(f"<p>MST: {srv.e(seller.business_id)}</p>")
        if seller.phone is not None:
            lines.append(f"<p>Điện thoại: {srv.e(seller.phone)}</p>")
        if seller.address is not None:
            lines.append(f"<p>Địa chỉ: {srv.e(seller.address)}</p>")
        return (f'<h1 class="page-name">{srv.e(seller.name)}</h1>'
                f'<div id="page-intro" data-page-id="{srv.e(seller.seller_id)}"><h2>Giới thiệu</h2>'
                f'{"".join(lines)}</div>')

    def facebook(self, path: str, query: Mapping[str, list[str]]) -> Response | None:
        srv = self.srv
        if path.rstrip("/") == "/facebook/login":
            body = ('<div id="login_form"><h2>Bạn phải đăng nhập để tiếp tục.</h2><form method="post">'
                    '<input type="text" name="email" placeholder="Email hoặc số di động">'
                    '<input type="password" name="pass" placeholder="Mật khẩu">'
                    "<button name=\"login\">Đăng nhập</button></form></div>")
            return self._html("Đăng nhập Facebook | Facebook", body)
        if path.rstrip("/") == "/facebook/search/posts":
            keyword = srv._str_param(query, "q") or ""
            kw = keyword

            def make() -> Response:
                found = self.site._search("demo-facebook", kw, None) if kw.strip() else []
                return self._facebook_page(f"Kết quả tìm kiếm: {kw}", [self._facebook_post(x) for x in found],
                                           f'<h1 class="search-title">{srv.e(kw)}</h1>')

            return self._cached(("facebook-search", kw), make)
        parts = [p for p in path.split("/") if p != ""]
        if len(parts) >= 2 and parts[0] == "facebook":
            try:
                seller = self.catalog.seller("demo-facebook", parts[1])
            except KeyError:
                return None
            if len(parts) == 2:
                def make_page() -> Response:
                    posts = [self._facebook_post(x) for x in self.site._ranked(self.catalog.listings_of(seller))]
                    posts.insert(1, self._facebook_chatter(seller))
                    return self._facebook_page(f"{seller.name} | Facebook", posts, self._facebook_intro(seller))

                return self._cached(("facebook-page", seller.seller_id), make_page)
            if len(parts) == 4 and parts[2] == "posts":
                try:
                    listing = self.catalog.listing("demo-facebook", parts[3])
                except KeyError:
                    return None
                if listing.seller_id != seller.seller_id:
                    return None
                return self._facebook_page(f"{seller.name} | Facebook", [self._facebook_post(listing)], "")
        return None

    # ------------------------------------------------------------------ routing
    def route(self, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response | None:
        """The response for ``path`` on one of these platforms, or ``None`` when it is not theirs."""
        if path.startswith("/sendo/"):
            return self.sendo(path, query)
        if path.startswith("/lazada/"):
            return self.lazada(path, query)
        if path.startswith("/tiktok/"):
            return self.tiktok(path, query, headers)
        if path.startswith("/facebook/"):
            return self.facebook(path, query)
        return None


# TikTok pages: products arrive only by XHR (with the page's own header), built with textContent.
_TIKTOK_JS = r"""
(async function () {
  const app = document.getElementById("app");
  const kind = app.dataset.kind, value = app.dataset.value;
  const box = document.getElementById("results");
  const H = {"x-tt-web": "1"};
  async function api(u) { const r = await fetch(u, {headers: H}); return r.json(); }
  function card(p) {
    const d = document.createElement("div"); d.className = "product-card"; d.dataset.productId = p.product_id;
    const a = document.createElement("a"); a.href = "/tiktok/view/product/" + p.product_id;
    a.textContent = p.title; d.appendChild(a);
    const s = document.createElement("span"); s.className = "price";
    s.textContent = p.product_price_info.sale_price_format; d.appendChild(s);
    return d;
  }
  function done(t) { const s = document.getElementById("status"); s.textContent = t; document.body.dataset.loaded = "done"; }
  try {
    if (kind === "product") {
      const id = location.pathname.split("/").filter(Boolean).pop();
      const r = await api("/tiktok/api/shop/product?product_id=" + encodeURIComponent(id));
      if (r.code === 0) box.appendChild(card(r.data.product));
      done("ok"); return;
    }
    let url;
    if (kind === "shop") {
      const info = await api("/tiktok/api/shop/info?seller_id=" + encodeURIComponent(value));
      if (info.code === 0) {
        document.querySelector(".shop-name").textContent = info.data.shop_info.shop_name;
        document.querySelector(".shop-intro").textContent = info.data.shop_info.description;
      }
      url = "/tiktok/api/shop/products?seller_id=" + encodeURIComponent(value);
    } else {
      const q = new URLSearchParams(location.search).get("q") || "";
      url = "/tiktok/api/shop/search?keyword=" + encodeURIComponent(q);
    }
    let offset = 0, n = 0;
    while (true) {
      const r = await api(url + "&offset=" + offset + "&count=20");
      if (r.code !== 0) break;
      for (const p of r.data.products) { box.appendChild(card(p)); n++; }
      if (!r.data.has_more) break;
      offset = r.data.next_offset;
    }
    done(n + " sản phẩm");
  } catch (err) { done("error " + err); }
})();
"""

# Facebook pages: posts rendered from inline JSON into [role=article] nodes (textContent only).
_FACEBOOK_JS = r"""
(function () {
  const posts = JSON.parse(document.getElementById("feed-data").textContent);
  const feed = document.getElementById("posts");
  for (const p of posts) {
    const art = document.createElement("div");
    art.setAttribute("role", "article"); art.dataset.postId = p.id;
    const h = document.createElement("h3"); const a = document.createElement("a");
    a.className = "post-author"; a.href = p.author.href; a.textContent = p.author.name; h.appendChild(a);
    art.appendChild(h);
    const link = document.createElement("a"); link.className = "post-time"; link.href = p.permalink;
    link.textContent = new Date(p.time * 1000).toISOString().slice(0, 10); art.appendChild(link);
    const msg = document.createElement("div"); msg.dataset.adPreview = "message";
    msg.style.whiteSpace = "pre-line"; msg.textContent = p.text; art.appendChild(msg);
    for (const src of p.images) {
      const img = document.createElement("img"); img.className = "post-image"; img.src = src; art.appendChild(img);
    }
    feed.appendChild(art);
  }
  document.getElementById("status").textContent = posts.length + " bài viết";
  document.body.dataset.loaded = "done";
})();
"""
