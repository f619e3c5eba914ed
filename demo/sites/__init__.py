"""The demo marketplace's platforms: one `PlatformSite` per imitated platform, on one base class.

Adding a demo platform is one module here plus its entry in `SITES` (the order of the demo's
index page); `crawler.platforms.demo_paths()` names the same platforms (a test checks it).
"""

from demo.sites.base import Marketplace, PlatformSite
from demo.sites.facebook import FacebookSite
from demo.sites.lazada import LazadaSite
from demo.sites.sendo import SendoSite
from demo.sites.shopee import ShopeeSite
from demo.sites.tiki import TikiSite
from demo.sites.tiktok import TikTokSite
from demo.sites.web import WebSite

SITES: tuple[type[PlatformSite], ...] = (
    TikiSite, ShopeeSite, WebSite, SendoSite, LazadaSite, TikTokSite, FacebookSite,
)

__all__ = ["SITES", "Marketplace", "PlatformSite"]
