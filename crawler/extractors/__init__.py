"""Pure extractors: a saved response body in, `Listing` records out.

Each platform module has ``extract(body, url) -> list[Listing]``. Extractors never touch
the network and never guess: a body that does not look as expected raises
`ExtractionError`, naming the URL, what was expected and what was found instead. A body
of the expected shape with some unreadable items (a product with a price of "abc") gives
the readable ones, and one `ExtractionError` per unreadable item in ``.errors``
(`crawler.extractors._items.Extracted`; read it with `item_errors`).
Records come out labelled with the real platform (``tiki``, ``shopee``...); spiders
relabel them (``demo-tiki``) and stamp ``observed_at`` when they know the fetch time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from crawler import platforms
from crawler.extractors._common import ExtractionError
from rules.record import Listing, Seller

Extractor = Callable[[bytes | str, str], list[Listing]]

#: The extractor registry: platform -> ``extract(body, url) -> list[Listing]``, as the
#: platforms declared in `crawler.platforms` name them (imported here, once).
EXTRACTORS: dict[str, Extractor] = {p.name: p.load_extractor() for p in platforms.all_platforms()}


#: Seller-profile readers: platform -> ``extract_seller(body, url) -> Seller``.
SELLER_EXTRACTORS: dict[str, Callable[[bytes | str, str], Seller]] = {
    p.name: reader for p in platforms.all_platforms() if (reader := p.load_seller_extractor()) is not None
}


def get_extractor(platform: str) -> Extractor:
    """The extractor for ``platform``; ``demo-tiki`` uses the ``tiki`` extractor."""
    name = platform.removeprefix("demo-")
    found = EXTRACTORS.get(name)
    if found is not None:
        return found
    descriptor = platforms.get(name)  # registered after this module was imported
    if descriptor is None:
        known = ", ".join(platforms.names())
        raise KeyError(f"no extractor for platform {platform!r}; known: {known}")
    return descriptor.load_extractor()


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
