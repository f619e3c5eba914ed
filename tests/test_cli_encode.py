"""`score` reads each line with `pipeline.jsonl_io.loads` (orjson, `json` where they differ) and
writes the keys it adds with `dumps` (an encoder built once): proven on arbitrary JSON values to
read what `json.loads` reads and to write what compact `json.dumps` writes."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.jsonl_io import dumps, loads

# Text without lone surrogates: `loads` refuses those (tests/pipeline/test_jsonl_io.py).
_TEXT = st.text(alphabet=st.characters(codec="utf-8"))
_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
            | st.sampled_from([float("inf"), float("-inf"), -0.0, 1e-7, 1e22, 2**64, -(2**63) - 1, 10**30])
            | _TEXT)
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner,
                                                                                             max_size=4), max_leaves=20)


def _typed(value: Any) -> Any:
    """`value` with each scalar's type beside it: 1 and 1.0 and True must not pass for each other."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return type(value).__name__, value


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.text(), _VALUES, max_size=8))
def test_added_keys_encode_as_compact_json_dumps_does(record: dict[str, Any]) -> None:
    assert dumps(record) == json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    assert dumps(record) == json.dumps(record, ensure_ascii=False, separators=(",", ":"))  # no state kept


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(_TEXT, _VALUES, max_size=8), st.booleans())
def test_lines_read_as_json_loads_reads_them(record: dict[str, Any], ascii_only: bool) -> None:
    line = json.dumps(record, ensure_ascii=ascii_only)
    assert _typed(loads(line)) == _typed(json.loads(line))
