"""A budget for YAML aliases (issue 14 item 10): a "billion laughs" file is refused, not expanded.

Nine lines of anchors and aliases (``b: [*a, *a, ...]``, nine levels deep) stand for
hundreds of millions of values. PyYAML shares the node objects, so parsing is quick, but
everything that walks the data afterwards (duplicate-key checks, validation, the rule
indexes) walks every expanded value: ``rules check``, ``serve`` and the scheduler hung.
Rules files need no aliases at all; a few are allowed, and the size of the tree with all
aliases expanded is measured (each shared node once, memoised) before anything walks it.
"""

from __future__ import annotations

from typing import Final

import yaml

#: Alias uses allowed in one file (the shipped rules use none).
MAX_ALIASES: Final = 100
#: Nodes allowed once every alias is expanded (the largest shipped file has ~60,000).
MAX_EXPANDED_NODES: Final = 2_000_000


def alias_problem(root: yaml.Node | None) -> str | None:
    """Why the composed document may not be used, or None when it is within budget."""
    if root is None:
        return None
    aliases = 0
    seen: set[int] = set()  # nodes already reached once: every further reach is an alias
    sizes: dict[int, int] = {}
    # Iterative post-order walk (a deep file must not exhaust Python's stack either).
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_EXPANDED_NODES:
                return f"aliases expand to more than {MAX_EXPANDED_NODES:,} values"
            continue
        if key in seen:
            aliases += 1
            if aliases > MAX_ALIASES:
                return f"more than {MAX_ALIASES} aliases (*name); rules files should write values out"
            if key in on_path:
                return "an alias refers to a node that contains it (recursive data)"
            continue
        seen.add(key)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


class AliasBudgetError(yaml.YAMLError):
    """A YAML document refused by `alias_problem` (a `yaml.YAMLError`, so callers that
    report YAML errors report this one too)."""


def safe_load_guarded(text: str) -> object:
    """`yaml.safe_load` for one document, refusing alias bombs (`AliasBudgetError`)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        problem = alias_problem(node)
        if problem is not None:
            raise AliasBudgetError(problem)
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()
