"""Opening and checking the JSONL streams of ``listingwatch score``: clear errors, not tracebacks.

Input is read with ``surrogateescape``, so a line holding bytes that are not UTF-8
(a Latin-1 export, say) keeps them as lone surrogates instead of U+FFFD: `undecodable`
then reports that line as unreadable, with the byte and its column, and the other lines
are scored. Replacing the bytes silently would score a corrupted title as if it were
what the seller wrote.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import TextIO

#: What `_read_record` reports (after "FILE:LINE") for JSON nested beyond Python's recursion limit.
NESTED_TOO_DEEPLY = ": JSON nested too deeply to read"

# `surrogateescape` maps each undecodable byte 0x80-0xFF to U+DC80-U+DCFF.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


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
