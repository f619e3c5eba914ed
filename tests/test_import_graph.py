"""The import graph of our modules, computed from the source (DESIGN §2 "Direction of imports").

No import cycles between modules, and the layers import downwards only. Every import
statement counts, at module level or inside a function, except those under
``if TYPE_CHECKING:`` (they are never executed; annotations may name a module above).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cli", "crawler", "pipeline", "detectors", "rules", "storage", "review", "demo", "eval", "bench",
            "scans")
MODULES = ("scheduler", "listingwatch")

#: Known cycles, to be removed by the work that owns them (none left: issue 12 moved the brand
#: signals out of detectors.brand, which ended detectors.brand <-> detectors.context).
KNOWN_CYCLES: tuple[frozenset[str], ...] = ()


def _is_known(cycle: frozenset[str]) -> bool:
    return any(known <= cycle and all(m.startswith("detectors.") for m in cycle) for known in KNOWN_CYCLES)


@cache
def our_modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # Alembic loads these by path; they are not imported
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    for name in MODULES:
        found[name] = ROOT / f"{name}.py"
    return found


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            for child in node.body:
                skipped.update(id(n) for n in ast.walk(child))
    return skipped


def imports_of(name: str, path: Path) -> set[str]:
    """The modules of ours that module `name` imports (``from a import b`` names ``a.b`` when it
    is a module, else ``a``)."""
    modules = our_modules()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join(package + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    found.add(f"{base}.{alias.name}")
                elif base in modules:
                    found.add(base)
    found.discard(name)
    return found


@cache
def import_graph() -> dict[str, frozenset[str]]:
    return {name: frozenset(imports_of(name, path)) for name, path in our_modules().items()}


def cycles(graph: dict[str, frozenset[str]]) -> list[frozenset[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: set[str] = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(frozenset(component))
    return found


def test_the_graph_is_read_from_the_source() -> None:
    graph = import_graph()
    assert "crawler.platforms" in graph["crawler.blocks"]
    assert "crawler.run" in graph["crawler.worker"]
    assert "crawler.run" not in graph["crawler.distributed"]  # only under TYPE_CHECKING there


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}
    assert cycles(graph) == [frozenset({"a", "b", "c"})]
    assert cycles({"a": frozenset({"b"}), "b": frozenset()}) == []


def test_no_import_cycles_between_our_modules() -> None:
    unknown = [sorted(c) for c in cycles(import_graph()) if not _is_known(c)]
    assert unknown == [], f"import cycles: {unknown}"


def _imports_from(prefixes: tuple[str, ...], of: tuple[str, ...]) -> list[str]:
    graph = import_graph()
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items() if module.split(".")[0] in prefixes
        for target in targets if target.split(".")[0] in of
    )


def test_layers_import_downwards() -> None:
    # detectors and rules import nothing of ours but each other.
    assert _imports_from(("detectors", "rules"), ("crawler", "pipeline", "storage", "review", "demo",
                                                  "scans", "scheduler", "listingwatch", "cli")) == []
    # crawler does not import pipeline; crawler and storage know nothing of review.
    assert _imports_from(("crawler",), ("pipeline",)) == []
    assert _imports_from(("crawler", "storage"), ("review", "scans", "scheduler", "listingwatch", "cli")) == []
    # scans/ is the scheduler's layer (what a scan does): the daemon imports it, never the reverse.
    assert _imports_from(("scans",), ("scheduler",)) == []
    # The command line is the top: only the entry point imports it.
    assert _imports_from(("crawler", "pipeline", "detectors", "rules", "storage", "review", "demo", "scans",
                          "scheduler"), ("cli", "listingwatch")) == []


def test_the_record_schema_is_at_the_bottom() -> None:
    # Every layer names a Listing; importing it must not drag the detectors (or anything of ours) in.
    assert import_graph()["rules.record"] == frozenset()
    assert import_graph()["rules"] == frozenset()


def test_importing_the_record_loads_no_detector() -> None:
    import subprocess
    import sys

    code = "import sys, rules.record; print(sorted(m for m in sys.modules if m.startswith('detectors')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_crawler_loads_no_detector_it_does_not_use() -> None:
    # Extractors parse prices (detectors.money) and fold text (detectors.textnorm); the
    # detectors package must not load every detector behind those two.
    import subprocess
    import sys

    code = ("import sys, crawler.extractors, rules.loader; "
            "print(' '.join(m for m in sys.modules if m.startswith('detectors')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    loaded = set(out.stdout.split())
    assert "detectors.money" in loaded  # the check below is about the right process
    assert "detectors.brand" not in loaded
    assert "detectors.scoring" not in loaded


def test_the_package_still_offers_the_scoring_names() -> None:
    import detectors

    assert detectors.score_listings.__module__ == "detectors.scoring"
    assert detectors.build_context.__module__ == "detectors.context"
    assert set(detectors.__all__) <= set(dir(detectors))


def test_the_crawler_writes_no_storage_rows() -> None:
    # WARC captures are indexed by pipeline.evidence (named in the crawl's settings); the
    # crawler may use the evidence file store and the progress table only.
    assert _imports_from(("crawler",), ("storage",)) == [
        "crawler.evidence -> storage.evidence_store", "crawler.extensions -> storage.runs"]
