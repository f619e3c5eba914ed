"""Recognise a ban, a captcha, a login wall or an empty-but-200 API answer (DESIGN §4.1).

A blocked scan is *partial*, never "0 listings found": spiders call `detect_block` on
every response before extracting, count ``blocks/<kind>`` in the crawl stats, log it and
stop following that branch. What is generic (HTTP status, redirects to captcha or login
pages, captcha and login wording) lives here; what one platform says (its JSON refusal
codes, its slider's markup, how to count the items of its listing API) is its
`crawler.platforms.BlockSignature`.

`detect_removed` recognises the opposite answer, "this product is gone" (HTTP 404/410 or a
platform's removed page, `crawler.platforms.RemovedSignature`), for takedown removal checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from crawler import platforms
from detectors.textnorm import fold, fold_uncached

#: Path fragments of anti-bot interstitials and login pages that a request is redirected to.
CAPTCHA_PATHS = ("/verify/traffic", "/verify/captcha", "/captcha", "_____tmd_____/punish", "/checkpoint/")
LOGIN_PATHS = ("/buyer/login", "/user/login", "/login", "/dang-nhap")
#: Visible-text phrases of captcha pages (folded: lower case, no diacritics). The bare word
#: "captcha" is not enough in the text (an index page may link "captcha page"); it counts in
#: the <title> or on a <form>, where an interstitial puts it.
CAPTCHA_TITLE_WORDS = ("captcha", "xac minh bao mat", "security check", "attention required")
CAPTCHA_PHRASES = (
    "xac minh ban khong phai la robot",
    "toi khong phai la nguoi may",
    "i'm not a robot",
    "verify you are human",
    "are you a robot",
    "unusual traffic",
)
LOGIN_PHRASES = ("dang nhap", "login", "log in", "sign in")

_SCRIPT_RE = re.compile(r"<(script|style|noscript|iframe)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_CAPTCHA_FORM_RE = re.compile(r"<form\b[^>]*captcha", re.IGNORECASE)
_PASSWORD_RE = re.compile(r"<input\b[^>]*type\s*=\s*[\"']?password", re.IGNORECASE)


#: A removed product's page is short; its phrase is in the title or the opening text. Looking
#: further would call a live listing "removed" because its description says "sản phẩm không tồn tại".
REMOVED_TEXT_CHARS = 600


class BlockKind(StrEnum):
    BAN = "ban"  # 403/429, Shopee error 90309999: the site refuses us
    CAPTCHA = "captcha"  # an anti-bot challenge instead of the page
    LOGIN = "login"  # a login wall instead of the page
    EMPTY = "empty"  # HTTP 200 with no items where the API promised some


def _header(headers: Mapping[Any, Any] | None, name: str) -> str:
    if headers is None:
        return ""
    for key, value in headers.items():
        key_text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        if key_text.lower() == name:
            if isinstance(value, list):
                value = value[0] if value else b""
            return value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return ""


def _visible_text(html: str) -> str:
    return fold_uncached(_TAG_RE.sub(" ", _SCRIPT_RE.sub(" ", html)))


def _json_items(platform: str, obj: Any) -> tuple[int | None, int | None]:
    """(items on this page, total the API claims) for a listing response, else (None, None)."""
    found = platforms.get(platform)
    if not isinstance(obj, dict) or found is None or found.blocks.count_items is None:
        return None, None
    return found.blocks.count_items(obj)


def detect_block(
    platform: str,
    status: int,
    headers: Mapping[Any, Any] | None,
    body: bytes | str,
    *,
    url: str | None = None,
    expect_items: bool = False,
) -> BlockKind | None:
    """What kind of block this response is, or ``None`` for a normal response.

    ``url`` is the final URL (after redirects) when known; ``expect_items`` says the
    crawl had reason to expect listings here (a next page the API announced), so an
    empty list is a block, not an empty search.
    """
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    location = _header(headers, "location")
    where = f"{url or ''} {location}".lower()
    if any(p in where for p in CAPTCHA_PATHS):
        return BlockKind.CAPTCHA
    if status == 401 or any(p in where for p in LOGIN_PATHS):
        return BlockKind.LOGIN

    stripped = text.lstrip()
    obj: Any = None
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError:
            obj = None
    own = platforms.get(platform)
    signatures = [p.blocks for p in platforms.all_platforms()]
    if isinstance(obj, dict):
        error = obj.get("error")
        if isinstance(error, int) and any(error in sig.json_error_codes for sig in signatures):
            return BlockKind.BAN
        if isinstance(obj.get("is_login"), bool) and obj["is_login"] is False and status in (401, 403):
            return BlockKind.LOGIN
        if any(key in obj for sig in signatures for key in sig.json_flag_keys):
            return BlockKind.CAPTCHA
        code = obj.get("code")
        if own is not None and isinstance(code, int) and code in own.blocks.json_code_captcha:
            return BlockKind.CAPTCHA
        if own is not None and isinstance(code, int) and code in own.blocks.json_code_login:
            return BlockKind.LOGIN
    elif "<" in text:
        if own is not None and any(mark in text for mark in own.blocks.html_captcha_marks):
            return BlockKind.CAPTCHA
        visible = _visible_text(text)
        title_match = _TITLE_RE.search(text)
        title = fold(_TAG_RE.sub(" ", title_match.group(1))) if title_match else ""
        if (
            any(p in visible or p in title for p in CAPTCHA_PHRASES)
            or any(w in title for w in CAPTCHA_TITLE_WORDS)
            or _CAPTCHA_FORM_RE.search(text)
        ):
            return BlockKind.CAPTCHA
        if _PASSWORD_RE.search(text) and any(p in title or p in visible[:2000] for p in LOGIN_PHRASES):
            return BlockKind.LOGIN

    if status in (403, 429) or (status == 503 and _header(headers, "retry-after") != ""):
        return BlockKind.BAN

    if 200 <= status < 300:
        if stripped == "" and expect_items:
            return BlockKind.EMPTY
        count, total = _json_items(platform, obj)
        if count == 0 and (expect_items or (total is not None and total > 0)):
            return BlockKind.EMPTY
    return None


def detect_removed(platform: str, status: int, body: bytes | str) -> bool:
    """Whether this response says the product is gone (HTTP 404/410 or the platform's
    removed page, `crawler.platforms.RemovedSignature`). Call it after `detect_block`:
    a blocked response says nothing about the product."""
    own = platforms.get(platform)
    signature = own.removed if own is not None else platforms.RemovedSignature()
    if status in signature.statuses:
        return True
    if not 200 <= status < 300:
        return False
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    if "<" not in text:
        return False
    title_match = _TITLE_RE.search(text)
    title = fold(_TAG_RE.sub(" ", title_match.group(1))) if title_match else ""
    opening = " ".join(_visible_text(text).split())[:REMOVED_TEXT_CHARS]
    return any(phrase in title or phrase in opening for phrase in signature.html_phrases)
