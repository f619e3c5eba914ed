"""HTML and JSON plumbing shared by the demo marketplace's pages (`demo.server`, `demo.sites`):
escaping, page frames, responses, query parameters, the way shops print prices and sellers."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from demo.catalog import REFERENCE_EPOCH, DemoListing, DemoSeller
from detectors.money import vnd_vi as vnd  # noqa: F401  (the pages print prices as shops do: "1.250.000 ₫")
from detectors.vntime import VIETNAM_TZ

JSONValue = Any  # JSON-serialisable data built by this module


# --------------------------------------------------------------------------- small helpers


def e(text: object) -> str:
    """HTML-escape any text we did not write ourselves (crawled text is hostile)."""
    return html.escape(str(text), quote=True)


def json_for_script(data: JSONValue) -> str:
    """JSON safe to embed inside ``<script>``: '<', '>', '&' and line separators escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def identity_html(seller: DemoSeller) -> str:
    """The Decree 85 identity lines a Vietnamese shop page shows, for the facts it has."""
    lines = []
    if seller.business_name is not None:
        lines.append(f"<p>{e(seller.business_name)}</p>")
    if seller.business_id is not None:
        lines.append(f"<p>MST: {e(seller.business_id)}</p>")
    if seller.phone is not None:
        lines.append(f"<p>Điện thoại: {e(seller.phone)}</p>")
    if seller.address is not None:
        lines.append(f"<p>Địa chỉ: {e(seller.address)}</p>")
    return "".join(lines)


def sold_text(sold: int) -> str:
    return f"Đã bán {sold // 1000}k" if sold >= 1000 else f"Đã bán {sold}"


def discount_rate(listing: DemoListing) -> int:
    if listing.list_price <= listing.price:
        return 0
    return round(100 * (listing.list_price - listing.price) / listing.list_price)


def iso_day(days_ago: int) -> str:
    ref = datetime.fromtimestamp(REFERENCE_EPOCH, tz=VIETNAM_TZ)
    return (ref - timedelta(days=days_ago)).date().isoformat()


def html_page(title: str, body: str, head: str = "", lang: str = "vi") -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title>{head}</head>\n<body>\n{body}\n</body></html>\n"
    ).encode()


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def json_response(data: JSONValue, status: int = 200, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(status, "application/json; charset=utf-8", body, headers)


def html_response(body: bytes, status: int = 200) -> Response:
    return Response(status, "text/html; charset=utf-8", body)


def not_found_html() -> Response:
    return html_response(html_page("Không tìm thấy trang", "<h1>404 - Không tìm thấy trang</h1>"), 404)


def int_param(query: Mapping[str, list[str]], name: str, default: int) -> int | None:
    values = query.get(name)
    if not values:
        return default
    try:
        return int(values[0])
    except ValueError:
        return None


def str_param(query: Mapping[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None
