"""Reading a list of items one by one: one unreadable item is reported, not fatal.

A search page or API response carries dozens of products. One of them with an odd
field (a price of ``"abc"``, a missing shop) used to raise `ExtractionError` for the
whole body, so a spider dropped the page and ``listingwatch parse`` printed nothing.
`read_each` reads every item on its own: readable ones become listings, each
unreadable one becomes an `ExtractionError` naming its index and id. Only a body that
does not have the expected shape at all still raises.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from crawler.extractors._common import ExtractionError
from rules.record import Listing

T = TypeVar("T")


class Extracted(list[Listing]):
    """The listings read from one body, and `errors`: one per item that could not be read.

    A list, so every caller of ``extract(body, url) -> list[Listing]`` keeps working;
    spiders and ``listingwatch parse`` also report `errors` (see `item_errors`)."""

    def __init__(self, listings: Iterable[Listing] = (), errors: Iterable[ExtractionError] = ()) -> None:
        super().__init__(listings)
        self.errors: list[ExtractionError] = list(errors)


def item_errors(listings: Sequence[Listing]) -> list[ExtractionError]:
    """The unreadable items an extractor reported with ``listings`` (none for a plain list)."""
    return list(listings.errors) if isinstance(listings, Extracted) else []


def _problem(exc: Exception) -> str:
    if isinstance(exc, ExtractionError):
        return exc.message
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['msg']}" for e in exc.errors()
        )
    return str(exc)


def read_each(
    items: Sequence[T],
    read: Callable[[int, T], Listing | None],
    *,
    url: str,
    expected: str,
    where: str,
    item_id: Callable[[T], object] = lambda item: None,
) -> Extracted:
    """``read(index, item)`` for every item; the first listing per ``listing_id`` is kept.

    ``read`` may return ``None`` for an item that is not a listing (a post without a
    price). An `ExtractionError` or pydantic `ValidationError` from it becomes one error
    "``where[i]`` (id X): what was wrong"; any other exception is a bug and propagates."""
    seen: dict[str, Listing] = {}
    errors: list[ExtractionError] = []
    for index, item in enumerate(items):
        try:
            listing = read(index, item)
        except (ExtractionError, ValidationError) as exc:
            found = _safe_id(item_id, item)
            label = f"{where}[{index}]" + (f" (id {found})" if found is not None else "")
            errors.append(ExtractionError(url, expected, f"{label}: {_problem(exc)}"))
            continue
        if listing is not None:
            seen.setdefault(listing.listing_id, listing)
    return Extracted(seen.values(), errors)


def _safe_id(item_id: Callable[[Any], object], item: object) -> str | None:
    """The item's id for the error message; an item too broken to have one has none."""
    try:
        found = item_id(item)
    except (AttributeError, KeyError, TypeError):
        return None
    if found is None or isinstance(found, dict | list):
        return None
    return str(found)[:80]


def dict_id(*keys: str) -> Callable[[object], object]:
    """An ``item_id`` reader: the first of ``keys`` present in a dict item."""

    def read(item: object) -> object:
        if not isinstance(item, dict):
            return None
        return next((item[k] for k in keys if item.get(k) is not None), None)

    return read
