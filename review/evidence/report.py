"""The printable Vietnamese report of a case (`templates/report.html`) and its PDF, which
shows each listing's latest screenshot (for a page rendered from an API it is what a reader
sees of the listing) and names the API responses its WARC holds.

Crawled text is hostile: everything is escaped (Jinja2 autoescape), URLs are printed as text
rather than links, and the PDF is rendered with every network request blocked. Labels come
from the web app's i18n table and `detectors.codes`, so paper and screen say the same.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Final

from detectors.codes import signal_label
from detectors.money import vnd_vi
from review.evidence.settings import EvidenceError, EvidenceSettings

TEMPLATE: Final = Path(__file__).resolve().parent / "templates" / "report.html"


@cache
def _template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


KIND_VI: Final = {"warc": "Phản hồi gốc (WARC)", "screenshot": "Ảnh chụp toàn trang (PNG)",
                  "raw": "Phản hồi gốc"}


def _vnd(value: int | None) -> str:
    return "—" if value is None else vnd_vi(value)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _yesno(value: bool | None) -> str:
    return "không rõ" if value is None else "có" if value else "không"


def _image_source(embed: Mapping[str, bytes] | None) -> Callable[[str], str]:
    """How the report names a screenshot: its path in the bundle (the HTML beside the files)
    or, with ``embed`` (bundle path -> bytes), the picture itself as a data: URI (the PDF, which
    must show it on its own). Only PNGs of our own capture are embedded, never crawled bytes."""

    def source(name: str) -> str:
        if embed is None or name not in embed or not name.endswith(".png"):
            return name
        return "data:image/png;base64," + base64.b64encode(embed[name]).decode("ascii")

    return source


def render_report(data: dict[str, Any], *, embed: Mapping[str, bytes] | None = None) -> str:
    """The printable Vietnamese report; every value is escaped (autoescape). ``embed``: see
    `_image_source`."""
    from jinja2 import Environment

    # The web app's table, so a status reads the same on screen and on paper.
    from review.web.i18n import translate

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(
        vnd=_vnd, pct=_pct, yesno=_yesno,
        status_vi=lambda s: translate("vi", f"status.{s}"),
        event_vi=lambda k: translate("vi", f"event.{k}"),
        signal_vi=lambda code: signal_label(code, "vi"),
        kind_vi=lambda k: KIND_VI.get(k, k),
        image_src=_image_source(embed),
    )
    return env.from_string(_template()).render(**data)


def render_pdf(html: str, settings: EvidenceSettings | None = None) -> bytes:
    """Chromium's print-to-PDF of the report, with the network shut off (nothing in the
    report should load anything; if crawled text tried, it gets nowhere)."""
    from playwright.sync_api import sync_playwright

    from crawler.browser import chromium_available, chromium_path, launch_chromium

    if not chromium_available():
        raise EvidenceError(f"no Chromium at {chromium_path()} for the PDF (use --no-pdf)")
    with sync_playwright() as pw, launch_chromium(pw) as browser:
        context = browser.new_context(java_script_enabled=False)
        context.route("**/*", lambda route: route.abort())
        page = context.new_page()
        page.set_content(html, wait_until="load")
        pdf: bytes = page.pdf(format="A4", print_background=True,
                              margin={"top": "0", "bottom": "12mm", "left": "0", "right": "0"})
        return pdf
