"""The compiled build of the detectors (mypyc), and the rule that keeps it honest.

`make native` (run by `make setup`) compiles the modules in `COMPILED` to C extensions beside
their sources (`scripts/build_native.py`); Python imports an extension before a source of the
same name. The Python sources stay the reference: the build writes a manifest of the sources'
SHA-256 it compiled, and when any of them has changed since (an edit, a checkout) every
detector is imported from its source instead, with a warning, so an edit is never shadowed by
an older compiled copy. Compiled modules call each other directly, so it is all or nothing.

`LISTINGWATCH_NATIVE=0` imports the sources without a warning (and `make setup` then builds
nothing).

This module and `detectors/__init__.py` are never compiled: they decide what is imported.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "_native.json"
# The group's shared library: `detectors/_native__mypyc.<abi>.so`.
GROUP = "detectors._native"

# The modules a listing's scoring runs through. Not compiled: this module and `__init__`
# (they choose what is imported), `learned` and `_iforest` (scikit-learn and NumPy do their
# work).
COMPILED: tuple[str, ...] = (
    "_cache", "barcode", "brand", "brand_index", "brand_signals", "capacity", "category", "claims", "codes",
    "combine", "context", "corroboration", "disguise", "form", "fuzzy", "lines", "money", "phrases", "price",
    "reposts", "scoring", "seller", "specs", "text", "textnorm", "vntime",
)

log = logging.getLogger(__name__)


def source_digests(modules: Sequence[str] = COMPILED, folder: Path = HERE) -> dict[str, str]:
    """SHA-256 of each module's source, by module name."""
    return {name: hashlib.sha256((folder / f"{name}.py").read_bytes()).hexdigest() for name in modules}


def compiled_modules(folder: Path = HERE) -> list[str]:
    """The modules of `COMPILED` that have an extension for this Python beside their source."""
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    return [name for name in COMPILED if any((folder / f"{name}{suffix}").is_file() for suffix in suffixes)]


def stale_sources(folder: Path = HERE) -> list[str]:
    """Compiled modules whose source is not the one compiled (all of them when the manifest is
    missing or unreadable, or a source is gone); [] when nothing is compiled."""
    present = compiled_modules(folder)
    if not present:
        return []
    try:
        built = json.loads((folder / MANIFEST.name).read_text(encoding="utf-8"))["sources"]
        now = source_digests(present, folder)
    except (OSError, ValueError, KeyError, TypeError):
        return present
    return [name for name in present if built.get(name) != now[name]]


class _SourcesOnly(importlib.abc.MetaPathFinder):
    """Imports `detectors.<name>` from `<name>.py`, never from its extension."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.partition(".")
        if package != "detectors" or not name or "." in name:
            return None
        source = HERE / f"{name}.py"
        return importlib.util.spec_from_file_location(fullname, source) if source.is_file() else None


def choose_build() -> str:
    """Called once, as the package is imported: "compiled", "sources" or "sources (stale build)"."""
    if os.environ.get("LISTINGWATCH_NATIVE", "").strip() == "0":
        sys.meta_path.insert(0, _SourcesOnly())
        return "sources"
    stale = stale_sources()
    if stale:
        sys.meta_path.insert(0, _SourcesOnly())
        log.warning("detectors: the compiled build is older than %s; running the Python sources "
                    "(slower) until `make native` rebuilds it", ", ".join(f"{n}.py" for n in stale))
        return "sources (stale build)"
    return "compiled" if compiled_modules() else "sources"
