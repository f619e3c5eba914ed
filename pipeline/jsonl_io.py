"""Opening and checking the JSONL streams of ``listingwatch score``: clear errors, not tracebacks.

Input is read with ``surrogateescape``, so a line holding bytes that are not UTF-8
(a Latin-1 export, say) keeps them as lone surrogates instead of U+FFFD: `undecodable`
then reports that line as unreadable, with the byte and its column, and the other lines
are scored. Replacing the bytes silently would score a corrupted title as if it were
what the seller wrote.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import orjson

from pipeline.normalize import RecordError, to_listing

#: What `read_record` reports (after "FILE:LINE") for JSON nested beyond Python's recursion limit.
NESTED_TOO_DEEPLY = ": JSON nested too deeply to read"

# `surrogateescape` maps each undecodable byte 0x80-0xFF to U+DC80-U+DCFF.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


# orjson reads an integer beyond 64 bits as a float, where `json` keeps it whole (a long numeric
# id must stay that id): a line with so long a run of digits is read by `json` alone.
_LONG_DIGITS = re.compile("[0-9]{19}")


class HalfCharacter(ValueError):
    """A JSON string escapes half of a character (a lone UTF-16 surrogate, "\\ud800"): no
    text can hold it, and writing the record out would fail."""


def loads(line: str) -> Any:
    """`json.loads(line)`, the same value, mostly read by orjson (about twice as fast).

    Whatever orjson refuses (NaN, a number out of range, bad JSON) is read again by `json`,
    so values, errors and their messages are `json`'s own; a lone surrogate escape, which
    `json` would read into a string no output can encode, raises `HalfCharacter`."""
    if _LONG_DIGITS.search(line) is None:
        try:
            return orjson.loads(line)
        except orjson.JSONDecodeError:
            pass
    value = json.loads(line)
    if "\\u" in line:
        half = _half_character(value)
        if half is not None:
            raise HalfCharacter(f"a string holds half of a character (\\u{ord(half):04x}, a lone surrogate)")
    return value


def _half_character(value: Any) -> str | None:
    """The first lone surrogate in `value`'s strings and keys, else None."""
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        return None if found is None else found.group()
    if isinstance(value, dict):
        return next((h for k, v in value.items() for h in (_half_character(k), _half_character(v)) if h), None)
    if isinstance(value, list):
        return next((h for v in value if (h := _half_character(v)) is not None), None)
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _compact_encoder() -> Callable[[object], str]:
    """`json.dumps(value, ensure_ascii=False, separators=(",", ":"))` with the C encoder
    built once (`JSONEncoder.encode` builds it again for every call). Numbers are written as
    Python writes them; built without the circular-reference check, for fresh dicts and lists."""
    encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator in this Python: the stdlib's own path
        return encoder.encode
    iterencode = make(None, encoder.default, json.encoder.encode_basestring, None,
                      encoder.key_separator, encoder.item_separator, False, False, True)

    def encode(value: object) -> str:
        return "".join(iterencode(value, 0))

    return encode


dumps = _compact_encoder()


def record_line(record: Any, added: dict[str, object]) -> str:
    """One output line: a pydantic `record` as its JSON (`model_dump(mode="json")`'s object),
    then the `added` keys, compact, newline-terminated.

    pydantic writes the record from its compiled serializer, about six times as fast as
    dumping it to a dict and encoding that; text it cannot write as UTF-8 (a lone surrogate)
    goes through `json`, which writes it as it is."""
    try:
        head = type(record).__pydantic_serializer__.to_json(record).decode()
    except ValueError:  # PydanticSerializationError
        return dumps({**record.model_dump(mode="json"), **added}) + "\n"
    if not added:
        return head + "\n"
    return head[:-1] + "," + dumps(added)[1:] + "\n"


def read_record(line: str, rules: Any) -> tuple[Any, str]:
    """(listing, "") for a readable line, else (None, what is wrong, to follow "FILE:LINE")."""
    bad_bytes = undecodable(line)
    if bad_bytes is not None:
        return None, bad_bytes
    try:
        raw = loads(line)
    except json.JSONDecodeError as exc:
        return None, f": not JSON: {exc.msg} at column {exc.colno}"
    except HalfCharacter as exc:
        return None, f": not text: {exc}"
    except RecursionError:
        return None, NESTED_TOO_DEEPLY
    if not isinstance(raw, dict):
        return None, f": expected a JSON object, got {type(raw).__name__}"
    try:
        # The selected rules (not the defaults) parse prices; normalized once.
        return to_listing(raw, rules), ""
    except RecordError as exc:
        return None, f" (listing_id={raw.get('listing_id')!r}): field {exc.field}: {exc.message}"
    except RecursionError:
        return None, NESTED_TOO_DEEPLY


class FileProblem(Exception):
    """An input that cannot be read or an output that cannot be written, in one line."""


def undecodable(line: str) -> str | None:
    """What is wrong with a line read with ``surrogateescape`` that held non-UTF-8 bytes, else None."""
    found = _ESCAPED_BYTE.search(line)
    if found is None:
        return None
    byte = ord(found.group()) - 0xDC00
    return f": not UTF-8: byte 0x{byte:02X} at column {found.start() + 1} (convert the file to UTF-8)"


def _describe(exc: OSError) -> str:
    return exc.strerror if exc.strerror is not None else str(exc)


def open_streams(input_path: Path | None, output_path: Path | None) -> tuple[TextIO, TextIO]:
    """(source, sink): the files, or stdin / stdout when a path is None.

    `FileProblem` names the path and the reason; the input is closed again when the
    output cannot be opened, and the output is only created once the input is open."""
    if input_path is None:
        source = _stdin()
    else:
        try:
            source = input_path.open(encoding="utf-8", errors="surrogateescape")
        except OSError as exc:
            raise FileProblem(f"cannot read input {input_path}: {_describe(exc)}") from None
    if output_path is None:
        return source, sys.stdout
    try:
        return source, output_path.open("w", encoding="utf-8")
    except OSError as exc:
        if input_path is not None:
            source.close()
        raise FileProblem(f"cannot write output {output_path}: {_describe(exc)}") from None


def _stdin() -> TextIO:
    """stdin decoding like an input file (test runners may swap in a stream that cannot be reconfigured)."""
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(encoding="utf-8", errors="surrogateescape")
    return sys.stdin
