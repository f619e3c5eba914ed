"""Scrapy item pipelines: normalize -> validate -> persist, in batches.

Scoring happens after the crawl, over the whole scan at once (`pipeline.batch`): the
peer-price and IsolationForest detectors need every listing of the scan, and scoring a
half-seen batch would make a listing's risk depend on crawl order.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from sqlalchemy.orm import Session, sessionmaker

from pipeline.normalize import RecordError, normalize_raw, to_listing
from rules.record import Listing
from storage import repo
from storage.db import session_factory

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 200


class ListingPipeline:
    """Turns spider items into stored listings and observations; keeps what it cannot read."""

    def __init__(self, crawler: Crawler, db_url: str, scan_run_id: int | None, batch_size: int) -> None:
        self.crawler = crawler
        self.db_url = db_url
        self.scan_run_id = scan_run_id
        self.batch_size = batch_size
        self._buffer: list[Listing] = []
        self._sessions: sessionmaker[Session] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ListingPipeline:
        settings = crawler.settings
        db_url = settings.get("LISTINGWATCH_DB_URL")
        if db_url is None:
            raise ValueError("LISTINGWATCH_DB_URL setting is required by ListingPipeline")
        run_id = settings.getint("LISTINGWATCH_SCAN_RUN_ID", 0) or None
        batch = settings.getint("LISTINGWATCH_BATCH_SIZE", DEFAULT_BATCH_SIZE)
        return cls(crawler, db_url, run_id, batch)

    def open_spider(self) -> None:
        self._sessions = session_factory(self.db_url)

    def close_spider(self) -> None:
        self._flush()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, dict):
            raise DropItem(f"unexpected item type {type(item).__name__}")
        if "extraction_error" in item:
            error = item["extraction_error"]
            self._record_error(str(error.get("url")), str(error.get("expected")), str(error.get("message")), None)
            self._inc("listingwatch/extraction_errors")
            return item
        try:
            listing = to_listing(normalize_raw(item))
        except RecordError as exc:
            body = json.dumps(item, ensure_ascii=False, sort_keys=True, default=str)
            self._record_error(
                str(item.get("url")), f"a listing record ({exc.field})", str(exc), body
            )
            self._inc("listingwatch/invalid_records")
            raise DropItem(f"invalid record at {item.get('url')}: {exc}") from exc
        self._buffer.append(listing)
        self._inc("listingwatch/listings")
        if len(self._buffer) >= self.batch_size:
            self._flush()
        return item

    def _flush(self) -> None:
        if not self._buffer or self._sessions is None:
            return
        batch, self._buffer = self._buffer, []
        with self._sessions() as session, session.begin():
            result = repo.upsert_listings(session, self.scan_run_id, batch)
        self._inc("listingwatch/listings_new", result.new)
        self._inc("listingwatch/listings_changed", result.changed)

    def _record_error(self, url: str, expected: str, message: str, body: str | None) -> None:
        if self._sessions is None:
            return
        digest = None if body is None else hashlib.sha256(body.encode("utf-8")).hexdigest()
        log.warning("extraction error at %s: expected %s: %s", url, expected, message)
        with self._sessions() as session, session.begin():
            repo.record_extraction_error(
                session,
                scan_run_id=self.scan_run_id,
                url=url,
                expected=expected,
                message=message,
                body=body,
                body_sha256=digest,
            )

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)
