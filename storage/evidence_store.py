"""Content-addressed files for evidence (`var/evidence/` by default).

A file is stored under the SHA-256 of its bytes (`sha256/ab/abcdef….warc.gz`), written
atomically (temp file + rename) and never rewritten: the same bytes stored twice are one
file, and a file whose bytes no longer match its name has been tampered with. WARC files
arrive gzip-compressed (one gzip member per record, as warcio writes them); PNGs are
already compressed.

The database's `evidence.path` holds the path relative to the store root, so a store can be
moved or backed up as a folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlalchemy.engine import make_url

ENV_VAR: Final = "LISTINGWATCH_EVIDENCE_DIR"
DEFAULT_DIR: Final = Path("var/evidence")
_NAME = re.compile(r"^sha256/[0-9a-f]{2}/[0-9a-f]{64}\.[a-z0-9.]+$")


class EvidenceStoreError(RuntimeError):
    """A stored file is missing, misnamed or does not hash to its name."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    sha256: str
    path: str  # relative to the store root
    size: int
    new: bool  # False when identical bytes were already stored


def default_root(db_url: str | None = None) -> Path:
    """Where evidence lives: `$LISTINGWATCH_EVIDENCE_DIR`; else beside a SQLite database file
    (so each database keeps its own evidence); else `var/evidence`."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured)
    if db_url is not None:
        url = make_url(db_url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(str(url.database)).resolve().parent / "evidence"
    return DEFAULT_DIR


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class EvidenceStore:
    """Files named by their SHA-256 under `root`."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def put(self, data: bytes, suffix: str) -> StoredFile:
        """Store `data` (once) and say where; `suffix` is the extension, e.g. `warc.gz`."""
        if not re.fullmatch(r"[a-z0-9]+(\.[a-z0-9]+)*", suffix):
            raise ValueError(f"bad evidence file suffix {suffix!r}")
        digest = sha256_hex(data)
        relative = f"sha256/{digest[:2]}/{digest}.{suffix}"
        target = self.root / relative
        if target.exists():
            return StoredFile(digest, relative, len(data), new=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)  # atomic: a reader never sees half a file
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return StoredFile(digest, relative, len(data), new=True)

    def path(self, relative: str) -> Path:
        if not _NAME.match(relative):
            raise EvidenceStoreError(f"not an evidence store path: {relative!r}")
        return self.root / relative

    def read(self, relative: str, *, verify: bool = True) -> bytes:
        """The bytes of a stored file; with `verify`, refuse bytes that do not match the name."""
        target = self.path(relative)
        if not target.exists():
            raise EvidenceStoreError(f"evidence file missing: {target}")
        data = target.read_bytes()
        if verify:
            expected = Path(relative).name.split(".", 1)[0]
            actual = sha256_hex(data)
            if actual != expected:
                raise EvidenceStoreError(
                    f"evidence file {target} was altered: its SHA-256 is {actual}, not {expected}"
                )
        return data

    def delete(self, relative: str) -> int:
        """Remove a stored file; returns the bytes freed (0 when it was already gone)."""
        target = self.path(relative)
        if not target.exists():
            return 0
        size = target.stat().st_size
        target.unlink()
        return size

    def files(self) -> Iterator[Path]:
        base = self.root / "sha256"
        if base.exists():
            yield from (p for p in sorted(base.glob("*/*")) if p.is_file())

    def total_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.files())
