"""A small reader for Links Notation (``.lino``), the text format konard/lazada-search saves.

A document is nested parentheses of tokens: a bare word (``url``, ``@type``, ``3261102356``,
``true``), a double-quoted string (may span lines) or a group ``( ... )``. A group whose
items alternate bare-word key and value reads as a dict; any other group reads as a list.
Bare words become ``True``/``False``/``None``/int/float where they spell one.
"""

from __future__ import annotations

import re
from typing import Any

_TOKEN_RE = re.compile(r'\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|([^\s()"]+))', re.DOTALL)


class LinoError(ValueError):
    """The text is not Links Notation; says where."""


_OPEN, _CLOSE = object(), object()  # parenthesis tokens (never equal to any text)


class _Bare(str):
    """A bare word (a key candidate), as opposed to a quoted string."""


def _tokens(text: str) -> list[object]:
    out: list[object] = []
    pos = 0
    end = len(text.rstrip())
    while pos < end:
        match = _TOKEN_RE.match(text, pos)
        if match is None or match.end() == pos:
            line = text.count("\n", 0, pos) + 1
            raise LinoError(f"line {line}: unexpected character {text[pos:pos + 20]!r}")
        if match.group(1):
            out.append(_OPEN)
        elif match.group(2):
            out.append(_CLOSE)
        elif match.group(3) is not None:
            out.append(re.sub(r"\\(.)", r"\1", match.group(3)))
        else:
            out.append(_Bare(match.group(4)))
        pos = match.end()
    return out


def _scalar(word: _Bare) -> Any:
    lowered = word.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if re.fullmatch(r"-?\d+", word):
        return int(word)
    if re.fullmatch(r"-?\d+\.\d+", word):
        return float(word)
    return str(word)


def _interpret(items: list[Any]) -> Any:
    if items and len(items) % 2 == 0 and all(isinstance(items[i], _Bare) for i in range(0, len(items), 2)):
        return {str(items[i]): _value(items[i + 1]) for i in range(0, len(items), 2)}
    return [_value(item) for item in items]


def _value(item: Any) -> Any:
    if isinstance(item, _Bare):
        return _scalar(item)
    if isinstance(item, _Group):
        return _interpret(item.items)
    return item


class _Group:
    def __init__(self) -> None:
        self.items: list[Any] = []


def parse_lino(text: str) -> Any:
    """The document as Python dicts, lists and scalars."""
    tokens = _tokens(text.removeprefix("\ufeff"))
    if not tokens:
        raise LinoError("empty document")
    stack: list[_Group] = [_Group()]
    for token in tokens:
        if token is _OPEN:
            group = _Group()
            stack[-1].items.append(group)
            stack.append(group)
        elif token is _CLOSE:
            if len(stack) == 1:
                raise LinoError("unbalanced ')'")
            stack.pop()
        else:
            stack[-1].items.append(token)
    if len(stack) != 1:
        raise LinoError(f"{len(stack) - 1} unclosed '('")
    top = stack[0].items
    return _value(top[0]) if len(top) == 1 else _interpret(top)
