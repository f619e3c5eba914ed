"""Block detection: each kind, and real pages that must not look blocked."""

from __future__ import annotations

import pytest

from crawler.blocks import BlockKind, detect_block
from tests.crawler.crawler_helpers import fixture, realdata


def test_ban_403() -> None:
    assert detect_block("tiki", 403, {}, b"<html>Forbidden</html>") is BlockKind.BAN


def test_ban_429() -> None:
    assert detect_block("web", 429, {b"Retry-After": [b"30"]}, b"") is BlockKind.BAN


def test_ban_503_with_retry_after() -> None:
    assert detect_block("web", 503, {"Retry-After": "120"}, b"busy") is BlockKind.BAN


def test_plain_503_is_not_a_ban() -> None:
    assert detect_block("web", 503, {}, b"oops") is None


def test_shopee_90309999_even_with_200() -> None:
    body = fixture("shopee/error_90309999.json").read_bytes()
    assert detect_block("shopee", 200, {}, body) is BlockKind.BAN
    assert detect_block("demo-shopee", 403, {}, body) is BlockKind.BAN


def test_captcha_page() -> None:
    assert detect_block("web", 200, {}, fixture("blocks/captcha.html").read_bytes()) is BlockKind.CAPTCHA


def test_captcha_title_and_form() -> None:
    assert detect_block("web", 200, {}, "<html><title>Captcha</title><body>x</body></html>") is BlockKind.CAPTCHA
    assert detect_block("web", 200, {}, '<html><body><form id="captcha-form"></form></body></html>') is BlockKind.CAPTCHA


def test_a_link_to_a_captcha_page_is_not_one() -> None:
    assert detect_block("web", 200, {}, '<html><body><a href="/blocked/captcha">captcha page</a></body></html>') is None


def test_shopee_verify_traffic_redirect() -> None:
    assert detect_block("shopee", 302, {b"Location": [b"/verify/traffic?x=1"]}, b"") is BlockKind.CAPTCHA
    assert detect_block("shopee", 200, {}, b"<html></html>",
                        url="https://shopee.vn/verify/traffic/error") is BlockKind.CAPTCHA


def test_login_wall_page() -> None:
    assert detect_block("shopee", 200, {}, fixture("blocks/login.html").read_bytes()) is BlockKind.LOGIN


def test_login_redirect_and_401() -> None:
    assert detect_block("shopee", 200, {}, b"<html></html>", url="https://shopee.vn/buyer/login?next=x") is BlockKind.LOGIN
    assert detect_block("tiki", 401, {}, b"{}") is BlockKind.LOGIN


def test_empty_when_total_says_otherwise() -> None:
    body = b'{"data": [], "paging": {"total": 120, "current_page": 2, "last_page": 3}}'
    assert detect_block("tiki", 200, {}, body) is BlockKind.EMPTY


def test_empty_when_items_expected() -> None:
    assert detect_block("shopee", 200, {}, b'{"items": null, "nomore": false}', expect_items=True) is BlockKind.EMPTY
    assert detect_block("sendo", 200, {}, b'{"data": []}', expect_items=True) is BlockKind.EMPTY
    assert detect_block("tiki", 200, {}, b"", expect_items=True) is BlockKind.EMPTY


def test_genuinely_empty_search_is_not_a_block() -> None:
    body = b'{"data": [], "paging": {"total": 0, "current_page": 1, "last_page": 1}}'
    assert detect_block("tiki", 200, {}, body) is None


@pytest.mark.parametrize(
    "relative",
    [
        "SeikoP__tiki-data-pipeline/data/test_output/selenium_product_detail.html",  # has a recaptcha iframe
        "SeikoP__tiki-data-pipeline/data/test_output/selenium_test_result.html",  # has "Đăng nhập" links
        "comphilano__ds_final/Data/[Old]response.json",
    ],
)
def test_real_pages_are_not_blocks(relative: str) -> None:
    platform = "shopee" if relative.endswith(".json") else "tiki"
    assert detect_block(platform, 200, {}, realdata(relative).read_bytes()) is None


def test_kinds_are_stat_names() -> None:
    assert [k.value for k in BlockKind] == ["ban", "captcha", "login", "empty"]
