"""The embedded demo marketplace: a deterministic catalog and a local HTTP server.

`demo.catalog.build_catalog(seed)` makes the sellers and listings; `demo.server.DemoServer`
serves them on 127.0.0.1 in the shapes of Tiki's JSON API, Shopee's JavaScript-rendered pages
and stand-alone shops with schema.org JSON-LD, so that spiders, detectors and the review
queue can be exercised end to end without touching the internet.
"""

from demo.catalog import Catalog, DemoListing, DemoSeller, build_catalog

__all__ = ["Catalog", "DemoListing", "DemoSeller", "build_catalog"]
