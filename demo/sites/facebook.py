"""demo-facebook: ``/facebook/{page}`` and ``/facebook/search/posts?q=K``: posts rendered by
JavaScript (``demo/static/facebook.js``, textContent only) from inline JSON into ``[role=article]``
nodes; ``/facebook/login/`` is the login wall."""

from __future__ import annotations

from collections.abc import Mapping

from demo.catalog import REFERENCE_EPOCH, DemoListing, DemoSeller
from demo.pages import (
    JSONValue,
    Response,
    e,
    identity_html,
    json_for_script,
    str_param,
    vnd,
)
from demo.sites.base import PlatformSite, script


class FacebookSite(PlatformSite):
    platform = "demo-facebook"
    segment = "facebook"
    label = "Facebook (posts rendered by JavaScript)"
    example = "/facebook/search/posts?q=giay"

    def _post(self, listing: DemoListing) -> JSONValue:
        seller = self.seller_of(listing)
        if seller.role == "counterfeit":
            offer = f"Giá sỉ {listing.price // 1000}k, ib để có giá tốt. Ship COD toàn quốc."
        else:
            offer = f"Giá: {vnd(listing.price)}"
        return {
            "id": listing.listing_id,
            "author": {"name": seller.name, "href": f"/facebook/{seller.seller_id}"},
            "permalink": listing.path,
            "time": REFERENCE_EPOCH - listing.days_since_created * 86400,
            "text": f"{listing.title}\n{offer}\n{listing.description}",
            "images": [self.image_url(k, "w600") for k in listing.images[:2]],
        }

    def _chatter(self, seller: DemoSeller) -> JSONValue:
        """A post without a price: news, not an offer (must not become a listing)."""
        return {
            "id": str(900_000_000_000_000 + int.from_bytes(seller.seller_id.encode()[:6], "big") % 99_999_999_999),
            "author": {"name": seller.name, "href": f"/facebook/{seller.seller_id}"},
            "permalink": f"/facebook/{seller.seller_id}/posts/note",
            "time": REFERENCE_EPOCH,
            "text": f"{seller.name} chúc cả nhà cuối tuần vui vẻ! Hotline hỗ trợ 24/7 tại trang.",
            "images": [],
        }

    def _page(self, title: str, posts: list[JSONValue], intro: str) -> Response:
        body = (f"{intro}<div role=\"feed\" id=\"posts\"></div><div id=\"status\">Đang tải...</div>"
                f'<script type="application/json" id="feed-data">{json_for_script(posts)}</script>'
                f"<script>{script('facebook.js')}</script>")
        return self.html(title, body)

    def _intro(self, seller: DemoSeller) -> str:
        return (f'<h1 class="page-name">{e(seller.name)}</h1>'
                f'<div id="page-intro" data-page-id="{e(seller.seller_id)}"><h2>Giới thiệu</h2>'
                f"<p>{e(seller.description)}</p>{identity_html(seller)}</div>")

    def route(self, path: str, query: Mapping[str, list[str]], headers: Mapping[str, str]) -> Response | None:
        if path.rstrip("/") == "/facebook/login":
            body = ('<div id="login_form"><h2>Bạn phải đăng nhập để tiếp tục.</h2><form method="post">'
                    '<input type="text" name="email" placeholder="Email hoặc số di động">'
                    '<input type="password" name="pass" placeholder="Mật khẩu">'
                    "<button name=\"login\">Đăng nhập</button></form></div>")
            return self.html("Đăng nhập Facebook | Facebook", body)
        if path.rstrip("/") == "/facebook/search/posts":
            keyword = str_param(query, "q") or ""
            kw = keyword

            def make() -> Response:
                found = self.search(kw, None) if kw.strip() else []
                return self._page(f"Kết quả tìm kiếm: {kw}", [self._post(x) for x in found],
                                           f'<h1 class="search-title">{e(kw)}</h1>')

            return self.cached(("facebook-search", kw), make)
        parts = [p for p in path.split("/") if p != ""]
        if len(parts) >= 2 and parts[0] == "facebook":
            try:
                seller = self.catalog.seller(self.platform, parts[1])
            except KeyError:
                return None
            if len(parts) == 2:
                def make_page() -> Response:
                    posts = [self._post(x) for x in self.market.ranked(self.catalog.listings_of(seller))]
                    posts.insert(1, self._chatter(seller))
                    return self._page(f"{seller.name} | Facebook", posts, self._intro(seller))

                return self.cached(("facebook-page", seller.seller_id), make_page)
            if len(parts) == 4 and parts[2] == "posts":
                try:
                    listing = self.catalog.listing(self.platform, parts[3])
                except KeyError:
                    return None
                if listing.seller_id != seller.seller_id:
                    return None
                return self._page(f"{seller.name} | Facebook", [self._post(listing)], "")
        return None
