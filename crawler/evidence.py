"""Raw responses as WARC records (ISO 28500, written with warcio): what the crawler saw.

`build_warc` turns one HTTP exchange into a small gzip-compressed WARC file: a `warcinfo`
record (who captured it, for which scan run, the local time), the `response` record (status
line, response headers, body) and the `request` record (request line and headers). When
the body is byte-identical to one already archived, a `revisit` record (profile
identical-payload-digest, WARC 1.1 §6.7.2) replaces the response: headers only, pointing at
the original capture, so identical bodies are stored once. A page that renders its listing
from an API (Shopee, TikTok Shop) is a JavaScript shell: its WARC also holds each API exchange
the page made (`HttpExchange`: a `response` and a `request` record apiece, always in full, so
every listing's file holds its own data even when its shell is a revisit).

`WarcCaptureExtension` writes every response of a Scrapy crawl this way when the setting
`LISTINGWATCH_WARC` is true (register it under `EXTENSIONS`, see `warc_settings`). It hooks
the `response_received` signal, so it sees what the spider is handed (after decompression),
and hands each file to the evidence index the crawl's settings name
(``LISTINGWATCH_EVIDENCE_INDEX``, `pipeline.evidence.EvidenceIndex` in a scan): the crawler
writes files, never storage rows.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Protocol
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from detectors.vntime import VIETNAM_TZ_NAME, local_time
from storage.evidence_store import EvidenceStore, StoredFile, default_root

log = logging.getLogger(__name__)

SOFTWARE: Final = "listingwatch/0.1 (evidence capture for QLTT)"
EXTENSION_PATH: Final = "crawler.evidence.WarcCaptureExtension"
#: Hop-by-hop or encoding headers that no longer describe the stored (decoded) body.
_DROP_RESPONSE_HEADERS: Final = frozenset(
    {"content-encoding", "transfer-encoding", "content-length", "connection"}
)


class _Sha256WARCWriter(WARCWriter):
    """warcio digests with SHA-1 by default; evidence is hashed with SHA-256 everywhere."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def warc_digest(body: bytes) -> str:
    """The WARC form of a SHA-256 digest (`sha256:` + base32), as in WARC-Payload-Digest."""
    return "sha256:" + base64.b32encode(hashlib.sha256(body).digest()).decode("ascii")


@dataclass(frozen=True, slots=True)
class Revisit:
    """The earlier capture an identical body refers to."""

    url: str
    captured_at: datetime


@dataclass(frozen=True, slots=True)
class HttpExchange:
    """One request a page made and its response, as the browser saw them (an API call)."""

    url: str
    method: str
    request_headers: Sequence[tuple[str, str]]
    request_body: bytes | None
    status: int
    reason: str
    response_headers: Sequence[tuple[str, str]]
    body: bytes


@dataclass(frozen=True, slots=True)
class WarcCapture:
    data: bytes  # the gzip-compressed WARC file
    payload_sha256: str  # hex SHA-256 of the body
    record_type: str  # "response" or "revisit"


def _warc_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build_warc(
    *,
    url: str,
    method: str,
    request_headers: Iterable[tuple[str, str]],
    status: int,
    reason: str,
    response_headers: Iterable[tuple[str, str]],
    body: bytes,
    captured_at: datetime,
    scan_run_id: int | None = None,
    revisit_of: Revisit | None = None,
    note: str | None = None,
    related: Sequence[HttpExchange] = (),
) -> WarcCapture:
    """One HTTP exchange as a gzip-compressed WARC file (warcinfo, response|revisit, request),
    followed by the ``related`` exchanges the page made (response, request each)."""
    if captured_at.tzinfo is None:
        raise ValueError("captured_at must be timezone-aware")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"cannot archive {url!r}: only http(s) URLs")
    buffer = io.BytesIO()
    writer = _Sha256WARCWriter(buffer, gzip=True, warc_version="1.1")
    date = _warc_date(captured_at)
    info: dict[str, Any] = {
        "software": SOFTWARE,
        "format": "WARC File Format 1.1",
        "capture-time-utc": captured_at.astimezone(UTC).isoformat(),
        "capture-time-local": local_time(captured_at).isoformat() + f" ({VIETNAM_TZ_NAME})",
        "scan-run": "" if scan_run_id is None else str(scan_run_id),
        "note": note or "",
    }
    warcinfo = writer.create_warcinfo_record(None, info)
    warcinfo.rec_headers.replace_header("WARC-Date", date)
    writer.write_record(warcinfo)

    common = {"WARC-Date": date, "WARC-Warcinfo-ID": warcinfo.rec_headers["WARC-Record-ID"]}
    page = HttpExchange(url, method, list(request_headers), None, status, reason,
                        list(response_headers), body)
    record_type = _write_exchange(writer, page, common, revisit_of)
    for call in related:
        if urlsplit(call.url).scheme in ("http", "https"):  # data: / blob: are not exchanges
            _write_exchange(writer, call, common, None)
    return WarcCapture(buffer.getvalue(), hashlib.sha256(body).hexdigest(), record_type)


def _write_exchange(writer: WARCWriter, exchange: HttpExchange, common: dict[str, str],
                    revisit_of: Revisit | None) -> str:
    """A `response` (or `revisit`) record and its `request` record; returns the first's type."""
    url, body = exchange.url, exchange.body
    parts = urlsplit(url)
    headers = [(k, v) for k, v in exchange.response_headers
               if k.lower() not in _DROP_RESPONSE_HEADERS]
    headers.append(("Content-Length", str(len(body))))
    http_response = StatusAndHeaders(f"{exchange.status} {exchange.reason}".strip(), headers,
                                     protocol="HTTP/1.1")
    if revisit_of is None:
        main = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body),
            http_headers=http_response, warc_headers_dict=dict(common),
        )
        record_type = "response"
    else:
        main = writer.create_revisit_record(
            url, warc_digest(body), revisit_of.url, _warc_date(revisit_of.captured_at),
            http_headers=http_response, warc_headers_dict=dict(common),
        )
        record_type = "revisit"
    writer.write_record(main)

    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    req_headers = [(k, v) for k, v in exchange.request_headers
                   if k.lower() not in ("content-length", "transfer-encoding")]
    if not any(k.lower() == "host" for k, _ in req_headers):
        req_headers.insert(0, ("Host", parts.netloc))
    sent = exchange.request_body
    if sent:
        req_headers.append(("Content-Length", str(len(sent))))
    # warcio writes `protocol statusline`: the method goes first for "GET /path HTTP/1.1"
    http_request = StatusAndHeaders(f"{target} HTTP/1.1", req_headers,
                                    protocol=exchange.method.upper())
    concurrent = {**common, "WARC-Concurrent-To": main.rec_headers["WARC-Record-ID"]}
    if sent:
        request = writer.create_warc_record(url, "request", payload=io.BytesIO(sent),
                                            length=len(sent), http_headers=http_request,
                                            warc_headers_dict=concurrent)
    else:
        request = writer.create_warc_record(url, "request", http_headers=http_request,
                                            warc_headers_dict=concurrent)
    writer.write_record(request)
    return record_type


def read_warc(data: bytes) -> list[dict[str, Any]]:
    """The records of a WARC file as plain dicts (type, URI, date, status, body): for tests,
    the report and anyone checking a bundle without archive tools."""
    from warcio.archiveiterator import ArchiveIterator

    records: list[dict[str, Any]] = []
    for record in ArchiveIterator(io.BytesIO(data)):
        http = record.http_headers
        records.append(
            {
                "type": record.rec_type,
                "uri": record.rec_headers.get_header("WARC-Target-URI"),
                "date": record.rec_headers.get_header("WARC-Date"),
                "payload_digest": record.rec_headers.get_header("WARC-Payload-Digest"),
                "refers_to": record.rec_headers.get_header("WARC-Refers-To-Target-URI"),
                "status": None if http is None or record.rec_type == "request"
                else http.get_statuscode(),
                "http_headers": [] if http is None else list(http.headers),
                # warcio splits "GET /path HTTP/1.1" into protocol "GET" + the rest
                "request_line": f"{http.protocol} {http.statusline}" if http is not None
                and record.rec_type == "request" else None,
                "body": record.content_stream().read(),
            }
        )
    return records


def warc_settings(enabled: bool = True, evidence_dir: str | None = None) -> dict[str, Any]:
    """Settings that switch WARC capture on for one crawl (merge into `CrawlSpec.settings`)."""
    from crawler import settings as defaults

    extensions = dict(getattr(defaults, "EXTENSIONS", {}) or {})
    extensions[EXTENSION_PATH] = 500
    out: dict[str, Any] = {"EXTENSIONS": extensions, "LISTINGWATCH_WARC": enabled}
    if evidence_dir is not None:
        out["LISTINGWATCH_EVIDENCE_DIR"] = evidence_dir
    return out


class EvidenceIndex(Protocol):
    """Where captures are indexed (`pipeline.evidence.EvidenceIndex`), built from the db URL."""

    def original(self, payload_sha256: str) -> tuple[str, datetime] | None: ...

    def record_warc(self, *, path: str, sha256: str, size: int, scan_run_id: int | None, url: str,
                    captured_at: datetime, payload_sha256: str, record_type: str, http_status: int) -> None: ...


class WarcCaptureExtension:
    """Archive every response of a crawl as a WARC file in the evidence store.

    Settings: `LISTINGWATCH_WARC` (on/off), `LISTINGWATCH_EVIDENCE_DIR` (store root; default
    beside the SQLite database or `var/evidence`), `LISTINGWATCH_WARC_MAX_BYTES` (bodies
    larger than this are skipped and counted: images and videos are not listing evidence),
    `LISTINGWATCH_SCAN_RUN_ID`, and `LISTINGWATCH_EVIDENCE_INDEX` with `LISTINGWATCH_DB_URL`
    (the index class and its database; without them files are archived, not indexed).
    """

    def __init__(self, crawler: Any) -> None:
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        settings = crawler.settings
        if not settings.getbool("LISTINGWATCH_WARC", False):
            raise NotConfigured("LISTINGWATCH_WARC is off")
        self.crawler = crawler
        self.db_url: str | None = settings.get("LISTINGWATCH_DB_URL")
        self.scan_run_id = settings.getint("LISTINGWATCH_SCAN_RUN_ID", 0) or None
        root = settings.get("LISTINGWATCH_EVIDENCE_DIR") or default_root(self.db_url)
        self.store = EvidenceStore(root)
        self.max_bytes = settings.getint("LISTINGWATCH_WARC_MAX_BYTES", 20_000_000)
        index_path = settings.get("LISTINGWATCH_EVIDENCE_INDEX")
        self.index: EvidenceIndex | None = None
        if index_path and self.db_url is not None:
            from scrapy.utils.misc import load_object

            self.index = load_object(index_path)(self.db_url)
        # Bodies archived in this crawl: payload hash -> (url, time) of the first capture.
        self._seen: dict[str, Revisit] = {}
        crawler.signals.connect(self.response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcCaptureExtension:
        return cls(crawler)

    def _inc(self, key: str, count: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, count)

    def response_received(self, response: Any, request: Any, spider: Any = None) -> None:
        try:
            self._capture(response, request)
        except Exception:  # evidence must never break the crawl; it is counted instead
            log.exception("could not archive %s", getattr(response, "url", "?"))
            self._inc("listingwatch/warc_errors")

    def _capture(self, response: Any, request: Any) -> None:
        body: bytes = response.body
        if len(body) > self.max_bytes:
            self._inc("listingwatch/warc_skipped_large")
            return
        captured_at = datetime.now(UTC)
        payload = hashlib.sha256(body).hexdigest()
        revisit = self._seen.get(payload)
        if revisit is None and self.index is not None:
            stored_original = self.index.original(payload)
            revisit = None if stored_original is None else Revisit(*stored_original)
        capture = build_warc(
            url=response.url,
            method=request.method,
            request_headers=_scrapy_headers(request.headers),
            status=response.status,
            reason=_reason(response.status),
            response_headers=_scrapy_headers(response.headers),
            body=body,
            captured_at=captured_at,
            scan_run_id=self.scan_run_id,
            revisit_of=revisit,
        )
        stored = self.store.put(capture.data, "warc.gz")
        if revisit is None:
            self._seen[payload] = Revisit(response.url, captured_at)
        self._index(stored, capture, response, captured_at)
        self._inc(f"listingwatch/warc_{capture.record_type}")
        self._inc("listingwatch/warc_bytes", stored.size if stored.new else 0)

    def _index(self, stored: StoredFile, capture: WarcCapture, response: Any,
               captured_at: datetime) -> None:
        if self.index is None:
            self._inc("listingwatch/warc_unindexed")
            return
        self.index.record_warc(
            path=stored.path, sha256=stored.sha256, size=stored.size, scan_run_id=self.scan_run_id,
            url=response.url, captured_at=captured_at, payload_sha256=capture.payload_sha256,
            record_type=capture.record_type, http_status=response.status,
        )


def _scrapy_headers(headers: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, values in headers.items():
        name = key.decode("latin-1") if isinstance(key, bytes) else str(key)
        for value in values:
            out.append((name, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return out


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def http_headers_list(pairs: Sequence[dict[str, str]]) -> list[tuple[str, str]]:
    """Playwright's `headers_array()` ([{name, value}, …]) as (name, value) pairs."""
    return [(p["name"], p["value"]) for p in pairs if not p["name"].startswith(":")]
