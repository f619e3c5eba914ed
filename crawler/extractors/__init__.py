"""Pure extractors: a saved response body in, `Listing` records out.

Each platform module has ``extract(body, url) -> list[Listing]``. Extractors never touch
the network and never guess: a body that does not look as expected raises
`ExtractionError`, naming the URL, what was expected and what was found instead.
Records come out labelled with the real platform (``tiki``, ``shopee``...); spiders
relabel them (``demo-tiki``) and stamp ``observed_at`` when they know the fetch time.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from crawler.extractors._common import ExtractionError
from detectors.record import Listing, Seller

Extractor = Callable[[bytes | str, str], list[Listing]]

#: platform name -> module implementing ``extract``.
_MODULES: dict[str, str] = {
    "tiki": "crawler.extractors.tiki",
    "sendo": "crawler.extractors.sendo",
    "shopee": "crawler.extractors.shopee",
    "web": "crawler.extractors.web",
    "lazada": "crawler.extractors.lazada",
    "tiktok": "crawler.extractors.tiktok",
    "facebook": "crawler.extractors.facebook",
}


def _load(platform: str) -> Extractor:
    module = importlib.import_module(_MODULES[platform])
    extract: Extractor = module.extract
    return extract


#: The extractor registry: platform -> ``extract(body, url) -> list[Listing]``.
EXTRACTORS: dict[str, Extractor] = {name: _load(name) for name in _MODULES}


#: Seller-profile readers: platform -> ``extract_seller(body, url) -> Seller``.
SELLER_EXTRACTORS: dict[str, Callable[[bytes | str, str], Seller]] = {
    "tiki": importlib.import_module("crawler.extractors.tiki").extract_seller,
    "shopee": importlib.import_module("crawler.extractors.shopee").extract_seller,
    "tiktok": importlib.import_module("crawler.extractors.tiktok").extract_seller,
    "facebook": importlib.import_module("crawler.extractors.facebook").extract_seller,
}


def get_extractor(platform: str) -> Extractor:
    """The extractor for ``platform``; ``demo-tiki`` uses the ``tiki`` extractor."""
    name = platform.removeprefix("demo-")
    try:
        return EXTRACTORS[name]
    except KeyError:
        known = ", ".join(sorted(EXTRACTORS))
        raise KeyError(f"no extractor for platform {platform!r}; known: {known}") from None


def parse_file(platform: str, path: str | Path, url: str | None = None) -> list[Listing]:
    """Extract listings from a saved response (``listingwatch parse PLATFORM FILE``).

    ``url`` is where the body was fetched from; without it the file's ``file://`` URI
    stands in (product URLs are then built on the platform's public origin). Each
    extractor tells a JSON API body from an HTML page by its content, not by the file name.
    """
    file_path = Path(path)
    body = file_path.read_bytes()
    return get_extractor(platform)(body, url if url is not None else file_path.resolve().as_uri())


__all__ = ["EXTRACTORS", "SELLER_EXTRACTORS", "ExtractionError", "Extractor", "get_extractor", "parse_file"]
