"""Scrapy settings: polite by default (DESIGN §4.1), with a fast profile for the local demo.

`crawler.run` loads this module, then the demo profile when the target is 127.0.0.1,
then the caller's overrides. Spiders that need a browser (Shopee) switch the Playwright
download handler on in their own ``custom_settings``; the HTTP spiders stay light.
"""

from __future__ import annotations

import os
from typing import Any

BOT_NAME = "listingwatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

#: Names us and says where to complain (operators replace the contact URL per deployment).
CONTACT_URL = os.environ.get("LISTINGWATCH_CONTACT_URL", "https://github.com/listingwatch/listingwatch")
USER_AGENT = f"listingwatch/0.1 (+{CONTACT_URL}; market-surveillance crawler for QLTT)"

ROBOTSTXT_OBEY = True
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
#: No listening control port in crawl children (Scrapy 2.19 opens one by default).
REMOTE_CONTROL_ENABLED = False

# Politeness: few parallel requests per site, adaptive delay, patience on errors.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Keep this above 0 for real sites: under the asyncio reactor Scrapy 2.19's downloader hands
# every queued request of a site to the event loop in one go when the delay is 0, so
# CONCURRENT_REQUESTS_PER_DOMAIN caps nothing (seen: 11 requests in flight with a cap of 1);
# with a delay it starts one request per delay and the cap holds.
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5
DOWNLOAD_TIMEOUT = 30
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
#: Exponential backoff for retried 429/5xx (seconds): base * 2**attempt, capped, Retry-After wins.
LISTINGWATCH_RETRY_BACKOFF_BASE = 2.0
LISTINGWATCH_RETRY_BACKOFF_MAX = 120.0
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    # Last before the download: every request (redirect hops, sitemap entries, followed
    # links, robots.txt) is checked against the address policy (crawler.address_guard).
    "crawler.address_guard.AddressGuardMiddleware": 990,
}
#: The names Twisted resolves to connect must resolve to public addresses (DNS rebinding).
DNS_RESOLVER = "crawler.address_guard.GuardedResolver"
#: Non-public origins a crawl may reach: `crawler.run.build_settings` adds the demo's.
LISTINGWATCH_ALLOWED_ORIGINS: list[str] = []

# Request budget: a scan stops after this many responses (finish reason
# "closespider_pagecount"; the run is then reported `partial`, "budget reached").
CLOSESPIDER_PAGECOUNT = 2000
#: A crawl that runs longer than this (seconds) is closed ("closespider_timeout").
CLOSESPIDER_TIMEOUT = 3600

# Development cache: LISTINGWATCH_HTTPCACHE=1 replays responses instead of re-fetching.
HTTPCACHE_ENABLED = os.environ.get("LISTINGWATCH_HTTPCACHE", "") == "1"
HTTPCACHE_DIR = os.environ.get("LISTINGWATCH_HTTPCACHE_DIR", "httpcache")
HTTPCACHE_EXPIRATION_SECS = 24 * 3600
HTTPCACHE_IGNORE_HTTP_CODES = [403, 429, 500, 502, 503, 504]

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("LISTINGWATCH_LOG_LEVEL", "WARNING")

# Playwright (used only by spiders that opt in through custom_settings).
PLAYWRIGHT_BROWSER_TYPE = "chromium"
CHROMIUM_PATH = os.environ.get("LISTINGWATCH_CHROMIUM", "/usr/bin/chromium")
PLAYWRIGHT_LAUNCH_OPTIONS: dict[str, Any] = {
    "headless": True,
    "executable_path": CHROMIUM_PATH,
    "args": [
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ],
}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_ABORT_REQUEST = "crawler.browser.abort_request"

#: Overrides for the local demo marketplace (127.0.0.1): no politeness delay needed.
DEMO_PROFILE: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_TIMES": 1,
    "LISTINGWATCH_RETRY_BACKOFF_BASE": 0.1,
    "LISTINGWATCH_RETRY_BACKOFF_MAX": 1.0,
    "DOWNLOAD_TIMEOUT": 15,
    "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 15_000,
    # Distributed crawl (crawler.distributed): a local site answers in milliseconds, so a
    # shared queue empty for 2 s means the run is done.
    "LISTINGWATCH_REDIS_IDLE_SECONDS": 2.0,
}

#: Hosts that mean "the local demo marketplace".
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
