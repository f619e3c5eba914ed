"""demo-lazada: ``/lazada/catalog/?ajax=true&q=K&page=N`` and ``/lazada/shop/{slug}/?ajax=true&page=N``
answer ``{"mainInfo": {...}, "mods": {"listItems": [...]}}``; ``/lazada/products/...-i{id}.html``
product pages carry schema.org JSON-LD, ``window.__moduleData__`` and a seller box;
``&block=punish`` answers like Lazada's anti-bot (``rgv587_flag``), and
``/lazada/_____tmd_____/punish`` is its slider page."""

from __future__ import annotations

from collections.abc import Mapping

from demo.catalog import DemoListing
from demo.pages import (
    JSONValue,
    Response,
    discount_rate,
    e,
    identity_html,
    int_param,
    json_for_script,
    str_param,
    vnd,
)
from demo.sites.base import PlatformSite

LAZADA_PAGE_SIZE = 40


class LazadaSite(PlatformSite):
    platform = "demo-lazada"
    segment = "lazada"
    label = "Lazada (catalog ajax + JSON-LD)"
    example = "/lazada/catalog/?ajax=true&q=giay&page=1"

    def _item(self, listing: DemoListing) -> JSONValue:
        seller = self.seller_of(listing)
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
            "image": self.image_url(listing.images[0], "w300"),
            "itemUrl": "//" + self.market.base_url.split("://", 1)[1] + listing.path + f"?search=1&skuId={listing.sku}",
            "price": f"{listing.price}.00",
            "priceShow": "₫" + f"{listing.price:,}".replace(",", "."),
            "originalPrice": f"{listing.list_price}.00" if listing.list_price > listing.price else "",
            "discount": f"-{discount_rate(listing)}%" if listing.list_price > listing.price else "",
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

    def _listing_page(self, listings: list[DemoListing], page: int) -> Response:
        chunk = listings[(page - 1) * LAZADA_PAGE_SIZE : page * LAZADA_PAGE_SIZE]
        main = {"totalResults": str(len(listings)), "page": str(page), "pageSize": str(LAZADA_PAGE_SIZE)}
        mods: dict[str, JSONValue] = {"listItems": [self._item(x) for x in chunk]} if chunk else {}
        return self.json({"mainInfo": main, "mods": mods, "seoInfo": {}})

    def _product_page(self, listing: DemoListing) -> Response:
        seller = self.seller_of(listing)
        url = self.url(listing.path)
        ld: dict[str, JSONValue] = {
            "@context": "https://schema.org", "@type": "Product", "name": listing.title,
            "image": [self.image_url(k) for k in listing.images], "category": listing.category_text,
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
        spec_html = "".join(f'<li><span class="key-title">{e(k)}</span><div class="key-value">{e(v)}</div></li>'
                            for k, v in specs)
        lazmall = '<span class="lazmall-badge" data-lazmall="1">LazMall</span>' if seller.is_official else ""
        body = (
            f'<div id="pdp"><h1 class="pdp-mod-product-badge-title">{e(listing.title)}</h1>'
            f'<span class="pdp-price">{e(vnd(listing.price))}</span>'
            f'<ul class="specification-keys">{spec_html}</ul>'
            f'<div class="seller-container"><a class="seller-name__detail-name" href="{e(seller.shop_url_path)}">'
            f'{e(seller.name)}</a>{lazmall}<div class="seller-info">{identity_html(seller)}</div></div></div>'
        )
        head = (f'<script type="application/ld+json">{json_for_script(ld)}</script>'
                f"<script>window.__moduleData__ = {json_for_script(module)};</script>")
        return self.html(f"{listing.title} | Lazada.vn", body, head)

    def route(self, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response | None:
        if path == "/lazada/_____tmd_____/punish":
            body = ('<div id="nocaptcha" class="nc-container"><p>Xin lỗi, chúng tôi phát hiện lưu lượng bất thường '
                    'từ mạng của bạn.</p><div id="nc_1_wrapper" class="nc_wrapper">'
                    '<span class="nc_iconfont btn_slide">&gt;&gt;</span><span class="nc-lang-cnt">'
                    "Vui lòng trượt để xác minh</span></div></div>"
                    "<script>window._config_ = {action: 'captcha', x5secdata: 'demo'};</script>")
            return self.html("Lazada - Xác minh", body)
        ajax = str_param(query, "ajax") == "true"
        page = int_param(query, "page", 1)
        if path.rstrip("/") == "/lazada/catalog":
            if str_param(query, "block") == "punish":
                return self.json({"rgv587_flag": "sm", "url": "/lazada/_____tmd_____/punish?x5secdata=demo"})
            keyword = str_param(query, "q")
            if not ajax or page is None or page < 1 or keyword is None or keyword.strip() == "":
                return self.html("Lazada", "<h1>Lazada</h1><p>Dùng ?ajax=true&amp;q=...</p>", status=400)
            kw, pg = keyword, page
            return self.cached(("lazada", kw, pg), lambda: self._listing_page(
                self.search(kw, None), pg))
        seller = self.seller_by_path(path)
        if seller is not None:
            if not ajax:
                return self.html(f"{seller.name} | Lazada", f'<h1 data-seller-id="{e(seller.seller_id)}">'
                                  f"{e(seller.name)}</h1>")
            if page is None or page < 1:
                return self.json({"error": "invalid page"}, 400)
            shop, pg = seller, page
            return self.cached(("lazada-shop", shop.seller_id, pg), lambda: self._listing_page(
                self.search(None, shop.seller_id), pg))
        for listing in self.catalog.listings_on(self.platform):
            if listing.path == path:
                return self.cached(("lazada-pdp", listing.listing_id),
                                    lambda found=listing: self._product_page(found))  # type: ignore[misc]
        return None
