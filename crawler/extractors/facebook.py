"""Facebook public pages and groups: the rendered DOM of a page's posts.

Facebook renders posts with JavaScript and has no public listing API, so the spider reads
the DOM after rendering. Each post is a ``[role="article"]`` with the post id
(``data-post-id`` / ``data-ft`` ``top_level_post_id``, else the id in its permalink
``/posts/{id}``), the text (``[data-ad-preview="message"]``, else the article text), the
author link (``a.post-author`` / ``h2 a``, href = the page or profile) and images.

A post becomes a listing only when its text names a price: seller posts write prices as
"giá sỉ 350k", "Giá: 1.250.000đ", "1tr2"; the first price-looking phrase (one after "giá"
wins) is read by `detectors.money.parse_price`. Posts without a price are news, not
offers, and are skipped. The seller is the page/profile that posted (id = its username
or numeric id from the link). The page's "Giới thiệu" (intro, ``#page-intro``) is read by
`extract_seller` for the Decree 85 identity it shows (MST, phone, address).
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urljoin, urlsplit

from parsel import Selector

from crawler.extractors._common import ExtractionError, decode_body, identity_from_text
from crawler.extractors._items import Extracted, read_each
from detectors.money import PriceError, parse_price
from rules.record import Listing, Seller

PLATFORM = "facebook"
PUBLIC_ORIGIN = "https://www.facebook.com"
EXPECTED = "a rendered Facebook page or group with posts ([role=article])"
#: A price phrase as sellers write it: a number with a unit or currency ("350k", "1tr2",
#: "1.250.000đ", "250.000 vnđ"). Bare numbers are sizes, quantities and phone numbers.
PRICE_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)\s*"
    r"(k\b|tr\d*\b|triệu(?:\s*\d+)?|đ\b|₫|vnđ\b|vnd\b|đồng\b)",
    re.IGNORECASE,
)
_PRICE_CUE_RE = re.compile(r"gi[aá]\s*(?:s[iỉ]|l[eẻ]|b[aá]n|ch[iỉ])?\s*(?:c[oó]n)?\s*[:：]?\s*$", re.IGNORECASE)
_POST_ID_RE = re.compile(r"/(?:posts|permalink)/(\d+)")


def price_in_text(text: str) -> int | None:
    """The offered price a post names, or ``None`` when it names none."""
    found: list[tuple[bool, str]] = []
    for match in PRICE_RE.finditer(text):
        cue = _PRICE_CUE_RE.search(text[max(0, match.start() - 16):match.start()]) is not None
        found.append((cue, match.group(0)))
    for _, phrase in sorted(found, key=lambda f: not f[0]):  # cued phrases first, then in order
        try:
            price = parse_price(phrase)
        except PriceError:
            continue
        if price is not None and price > 0:
            return price
    return None


def author_id(href: str) -> str | None:
    """A page/profile id from its link: ``/profile.php?id=123`` -> 123, ``/somepage`` -> somepage."""
    parts = urlsplit(href)
    if parts.path.rstrip("/").endswith("profile.php"):
        ids = parse_qs(parts.query).get("id")
        return ids[0] if ids else None
    segments = [s for s in parts.path.split("/") if s != ""]
    if "groups" in segments:
        return None  # a group link is where it was posted, not who posted it
    # The demo serves pages under /facebook/{page}; on facebook.com the page is the first segment.
    if segments and segments[0] == "facebook" and len(segments) > 1:
        return segments[1]
    return segments[0] if segments else None


def _post_id(article: Selector) -> str | None:
    direct = article.attrib.get("data-post-id")
    if direct:
        return direct
    ft = article.attrib.get("data-ft")
    if ft:
        try:
            value = json.loads(ft).get("top_level_post_id")
        except (json.JSONDecodeError, AttributeError):
            value = None
        if value is not None:
            return str(value)
    for href in article.css("a::attr(href)").getall():
        match = _POST_ID_RE.search(href)
        if match is not None:
            return match.group(1)
    return None


def extract(body: bytes | str, url: str) -> Extracted:
    text = decode_body(body)
    if "<" not in text:
        raise ExtractionError(url, EXPECTED, "body is not HTML")
    sel = Selector(text=text)
    articles = sel.css('[role="article"]')
    if not articles and sel.css("#posts, [role=feed]").get() is None:
        raise ExtractionError(url, EXPECTED, "no posts and no feed on the page")
    return read_each(
        articles, lambda i, article: _post(article, url),
        url=url, expected=EXPECTED, where="post", item_id=_post_id,
    )


def _post(article: Selector, url: str) -> Listing | None:
    """One post as a listing; ``None`` for a post without a price (not an offer)."""
    post_id = _post_id(article)
    if post_id is None:
        raise ExtractionError(url, EXPECTED, "a post without an id (data-post-id / permalink)")
    message = article.css('[data-ad-preview="message"]')
    parts = (message or article).xpath(".//text()[not(ancestor::script) and not(ancestor::style)]").getall()
    body_text = "\n".join(p.strip() for p in parts if p.strip())
    price = price_in_text(body_text)
    if price is None:
        return None
    author = article.css("a.post-author, h2 a, h3 a")
    href = author.attrib.get("href") if author else None
    seller_id = author_id(urljoin(url, href)) if href else None
    permalink = next((urljoin(url, h) for h in article.css("a::attr(href)").getall()
                      if _POST_ID_RE.search(h)), None)
    title = body_text.split("\n", 1)[0][:300]
    images = [urljoin(url, s) for s in article.css("img.post-image::attr(src)").getall()]
    return Listing(
        platform=PLATFORM,
        listing_id=post_id,
        url=permalink or url,
        title=title,
        description=body_text,
        price=price,
        images=images,
        seller=Seller(
            id=seller_id,
            name=" ".join(author.xpath("string()").get("").split()) or None if author else None,
            url=urljoin(url, href) if href else None,
        ),
    )


def extract_seller(body: bytes | str, url: str) -> Seller:
    """A page's intro: name, username and the identity it displays ("MST", "Điện thoại", "Địa chỉ")."""
    sel = Selector(text=decode_body(body))
    intro = sel.css("#page-intro")
    if not intro:
        raise ExtractionError(url, "a Facebook page with an intro (#page-intro)", "no #page-intro")
    page_id = intro.attrib.get("data-page-id") or author_id(url)
    text = "\n".join(t.strip() for t in intro.xpath(".//text()").getall() if t.strip())
    business_id, phone, address = identity_from_text(text)
    name = " ".join(sel.css("h1.page-name").xpath("string()").get("").split()) or None
    return Seller(id=page_id, name=name, url=url.split("?", 1)[0], business_id=business_id, phone=phone,
                  address=address)
