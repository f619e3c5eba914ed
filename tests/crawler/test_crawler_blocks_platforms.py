"""Per-platform blocks: Lazada's x5sec slider, TikTok verify/login, Facebook login wall, Sendo empty."""

from __future__ import annotations

import pytest

from crawler.blocks import BlockKind, detect_block

CASES = [
    ("lazada", 200, b'{"rgv587_flag": "sm", "url": "/_____tmd_____/punish?x5secdata=x"}', None, BlockKind.CAPTCHA),
    ("lazada", 200, b"<html><script>window._config_={action:'captcha',x5secdata:'a'}</script></html>", None,
     BlockKind.CAPTCHA),
    ("lazada", 200, b"<html>ok</html>", "https://www.lazada.vn/catalog/_____tmd_____/punish?x5secdata=1",
     BlockKind.CAPTCHA),
    ("lazada", 200, b'{"mainInfo": {"totalResults": "120"}, "mods": {}}', None, BlockKind.EMPTY),
    ("tiktok", 403, b'{"code": 10201, "message": "verify", "data": null}', None, BlockKind.CAPTCHA),
    ("tiktok", 200, b'{"code": 10000, "message": "login required"}', None, BlockKind.LOGIN),
    ("tiktok", 200, b"<html><title>TikTok</title></html>", "https://www.tiktok.com/login?redirect_url=x",
     BlockKind.LOGIN),
    ("facebook", 200, b'<html><title>Facebook</title><div id="login_form"><h2>B\xe1\xba\xa1n ph\xe1\xba\xa3i '
     b'\xc4\x91\xc4\x83ng nh\xe1\xba\xadp \xc4\x91\xe1\xbb\x83 ti\xe1\xba\xbfp t\xe1\xbb\xa5c.</h2>'
     b'<input type="password" name="pass"></div></html>', None, BlockKind.LOGIN),
    ("facebook", 200, b"<html>x</html>", "https://www.facebook.com/checkpoint/block/?next=x", BlockKind.CAPTCHA),
    ("sendo", 200, b'{"data": [], "meta": {"total": 120}}', None, BlockKind.EMPTY),
    ("demo-sendo", 200, b'{"data": [], "meta": {"total": 0}}', None, None),
    ("lazada", 200, b'{"mainInfo": {"totalResults": "0"}, "mods": {}}', None, None),
]


@pytest.mark.parametrize(("platform", "status", "body", "url", "kind"), CASES)
def test_platform_blocks(platform: str, status: int, body: bytes, url: str | None, kind: BlockKind | None) -> None:
    assert detect_block(platform, status, {}, body, url=url) == kind
