"""Log lines for operators: today's text lines, or one JSON object per line (issue 17, item 6).

The format is chosen once per process (`configure`): ``text`` (the default, as before) or
``json`` (``$LISTINGWATCH_LOG_FORMAT`` / ``listingwatch --log-format json``). Either way one
handler on the root logger writes every record, ours and third parties' (Scrapy, Twisted,
uvicorn) alike, to stderr.

Context: fields known for a stretch of work (``scan_run_id`` while a scan runs, the request
of an on-demand scan, the platform) are stamped on every record by a filter on that handler,
so a library's logger that knows nothing of them carries them too. In the parent process
they come from a context variable (`bind`, scoped to a call by `isolated`); in a crawl child
they are fixed for the whole process (`crawler.run._child` passes them as ``static``). Text
lines with a run id read ``... logger: [run 12] message``.

It lives in ``crawler`` because the crawl child needs it and ``crawler`` imports nothing of
the layers above; the CLI, scheduler and web app use it from here.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import io
import logging
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

FORMAT_ENV = "LISTINGWATCH_LOG_FORMAT"
FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: The context fields a JSON line may carry, in this order after the fixed ones.
CONTEXT_FIELDS = ("scan_run_id", "scan_request_id", "platform", "spider", "request_id")
#: Record attributes that are not worth a JSON field (uvicorn's ANSI copy of its message).
_NOISE = ("color_message", "taskName")

_context: contextvars.ContextVar[Mapping[str, Any] | None] = contextvars.ContextVar(
    "listingwatch_log_context", default=None)
_current_format = "text"

F = TypeVar("F", bound=Callable[..., Any])


def current_format() -> str:
    """The format this process logs in (what a crawl child is told to use)."""
    return _current_format


# -- context ------------------------------------------------------------------------------


def bind(**fields: Any) -> None:
    """Stamp these fields (None values are left out) on every record logged from here on in
    the current context: the thread, or the call wrapped with `isolated`."""
    known = {key: value for key, value in fields.items() if value is not None}
    _context.set({**(_context.get() or {}), **known})


@contextlib.contextmanager
def scoped(**fields: Any) -> Iterator[None]:
    """`bind` these fields for the ``with`` block only (a web request)."""
    token = _context.set({**(_context.get() or {}), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


def isolated(func: F) -> F:
    """Run ``func`` in a copy of the caller's context: what it `bind`s ends with the call
    (a scan's run id does not stick to the thread that ran it)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return contextvars.copy_context().run(func, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class ContextFilter(logging.Filter):
    """Adds the context fields to each record that passes the handler (never drops one)."""

    def __init__(self, static: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        self.static = {key: value for key, value in (static or {}).items() if value is not None}

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in {**self.static, **(_context.get() or {})}.items():
            if getattr(record, key, None) is None:
                setattr(record, key, value)
        return True


# -- formatters ---------------------------------------------------------------------------


class TextFormatter(logging.Formatter):
    """Today's text line; a record with a scan run id reads ``[run N] message``."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:
        run = getattr(record, "scan_run_id", None)
        if run is None:
            return super().formatMessage(record)
        message = record.message
        record.message = f"[run {run}] {message}"
        try:
            return super().formatMessage(record)
        finally:
            record.message = message


def json_formatter() -> logging.Formatter:
    """One JSON object per line: timestamp (ISO 8601, UTC offset), level, logger, message, the
    context fields, any ``extra`` a caller gave, and ``exception`` (the traceback, one string)."""
    from pythonjsonlogger.core import RESERVED_ATTRS
    from pythonjsonlogger.json import JsonFormatter

    class _Formatter(JsonFormatter):
        def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
            _name_scrapy_objects(log_data)
            head = {key: log_data.pop(key) for key in ("timestamp", "level", "logger", "message")}
            context = {key: log_data.pop(key) for key in CONTEXT_FIELDS if key in log_data}
            return {**head, **context, **log_data}

        def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord,
                       message_dict: dict[str, Any]) -> None:
            super().add_fields(log_data, record, message_dict)
            if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
                client, method, path, http_version, status = record.args
                log_data.update({"client": client, "method": method, "path": path, "status": status})

    return _Formatter(
        ["levelname", "name", "message"],
        rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
        reserved_attrs=[*RESERVED_ATTRS, *_NOISE],
        timestamp=True,
        json_ensure_ascii=False,
    )


def _name_scrapy_objects(log_data: dict[str, Any]) -> None:
    """Scrapy passes ``extra={"spider": spider}`` or ``{"crawler": crawler}``: a name and the
    platform in the line, not an object's repr."""
    crawler = log_data.pop("crawler", None)
    spider = log_data.get("spider")
    if spider is None and crawler is not None:
        spider = getattr(crawler, "spider", None)
    if spider is not None and not isinstance(spider, str):
        log_data["spider"] = getattr(spider, "name", None) or str(spider)
        label = getattr(spider, "platform_label", None)
        if label is not None:
            log_data.setdefault("platform", label)


def formatter(fmt: str) -> logging.Formatter:
    if fmt not in FORMATS:
        raise ValueError(f"log format {fmt!r}: use one of {', '.join(FORMATS)}")
    return json_formatter() if fmt == "json" else TextFormatter()


# -- set-up -------------------------------------------------------------------------------


class _Handler(logging.StreamHandler):
    """Our root handler (told apart from others' handlers, e.g. pytest's)."""


def configure(fmt: str, level: int | str, *, static: Mapping[str, Any] | None = None,
              force: bool = False) -> bool:
    """Log every record at ``level`` or above to stderr in ``fmt``.

    Like `logging.basicConfig`, a root logger that already has someone else's handlers (a
    test runner's) is left alone unless ``force``; our own handler is replaced. Returns
    whether the handler was installed."""
    global _current_format
    handler_formatter = formatter(fmt)
    root = logging.getLogger()
    if not force and any(not isinstance(h, _Handler) for h in root.handlers):
        return False
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    handler = _Handler(sys.stderr)
    handler.setFormatter(handler_formatter)
    handler.setLevel(level)
    handler.addFilter(ContextFilter(static))
    root.addHandler(handler)
    root.setLevel(level)
    _current_format = fmt
    if fmt == "json":
        logging.captureWarnings(True)  # a warning is a JSON line too, not raw text on stderr
    return True


_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class LogLines(io.TextIOBase):
    """A text stream whose lines become log records: what the CLI prints for people on
    stderr is a JSON line like the rest when logs are JSON. ``error:`` lines are errors."""

    def __init__(self, logger: str) -> None:
        super().__init__()
        self.log = logging.getLogger(logger)
        self.pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.pending += _ANSI.sub("", text)  # FORCE_COLOR makes rich colour even a non-terminal
        *lines, self.pending = self.pending.split("\n")
        for line in lines:
            if line.strip() != "":
                level = logging.ERROR if line.startswith("error:") else logging.INFO
                self.log.log(level, line.removeprefix("error:").strip() if level == logging.ERROR else line)
        return len(text)

    def flush(self) -> None:
        if self.pending.strip() != "":
            line, self.pending = self.pending, ""
            self.write(line + "\n")

    def isatty(self) -> bool:
        return False
