"""Compile the detectors with mypyc, beside their sources (`make native`; `make setup` runs it).

Scoring a listing runs a few hundred small Python functions; compiled, the same code scores
about 1.5 times as many listings a second (docs/benchmarks.md). The Python sources stay the
reference and the build is optional: without a C compiler, or with `LISTINGWATCH_NATIVE=0`,
nothing is built and the sources run. What is compiled, and how a stale build is refused, is
in `detectors/_build.py`.

Does nothing when the manifest says the current sources were compiled by this mypy for this
Python. `--force` builds anyway.
"""

from __future__ import annotations

import argparse
import importlib.machinery
import importlib.util
import json
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _load_build_module() -> Any:
    """`detectors/_build.py` on its own: importing the package would choose a build (and warn
    that the one being replaced is stale)."""
    spec = importlib.util.spec_from_file_location("_listingwatch_detectors_build", ROOT / "detectors" / "_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_build = _load_build_module()


def _wanted() -> dict[str, object]:
    import mypy.version

    return {"sources": _build.source_digests(), "mypy": mypy.version.__version__,
            "python": sysconfig.get_config_var("EXT_SUFFIX")}


def _current(wanted: dict[str, object]) -> bool:
    try:
        built = json.loads(_build.MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return built == wanted and _build.compiled_modules() == list(_build.COMPILED)


def _remove_build() -> None:
    for path in _build.HERE.iterdir():
        if path.name.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)) and (
                path.name.split(".")[0] in _build.COMPILED or path.name.startswith("_native__mypyc")):
            path.unlink()
    _build.MANIFEST.unlink(missing_ok=True)


def build(log: Path) -> None:
    """mypyc and the C compiler, their chatter (and the compiler's, a child process) into `log`."""
    from mypyc.build import mypycify
    from setuptools import setup

    sources = [str(Path("detectors") / f"{name}.py") for name in _build.COMPILED]
    with tempfile.TemporaryDirectory(prefix="listingwatch-mypyc-") as tmp, log.open("w") as sink:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            extensions = mypycify(sources, group_name=_build.GROUP, opt_level="3", target_dir=str(Path(tmp) / "c"))
            setup(name="listingwatch-detectors-native", ext_modules=extensions,
                  script_args=["--quiet", "build_ext", "--inplace", "--build-temp", str(Path(tmp) / "o")])
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="build even when the build is current")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    if os.environ.get("LISTINGWATCH_NATIVE", "").strip() == "0":
        print("build_native: LISTINGWATCH_NATIVE=0, the detectors run from their Python sources")
        return 0
    wanted = _wanted()
    if not args.force and _current(wanted):
        print("build_native: the compiled detectors are current")
        return 0
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        _remove_build()
        print("build_native: no C compiler; the detectors run from their Python sources (slower)", file=sys.stderr)
        return 0
    _remove_build()
    print(f"build_native: compiling {len(_build.COMPILED)} detector modules with mypyc (about a minute)", flush=True)
    log = Path(tempfile.gettempdir()) / "listingwatch-build-native.log"
    try:
        build(log)
    except (Exception, SystemExit) as exc:  # setuptools reports a failed compile as SystemExit
        _remove_build()
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]
        print("\n".join(tail), file=sys.stderr)
        print(f"build_native: the build failed ({exc!r}; whole log in {log}); the detectors run from "
              "their Python sources (slower)", file=sys.stderr)
        return 0  # optional: setup goes on (CI's tests/detectors/test_detectors_build.py insists)
    _build.MANIFEST.write_text(json.dumps(wanted, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"build_native: done, {len(_build.compiled_modules())} of {len(_build.COMPILED)} modules compiled")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
