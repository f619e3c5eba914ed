"""`score` writes each record through an encoder built once (cli/records.py `_ENCODE`): the
same bytes as `json.dumps(record, ensure_ascii=False)`, proven on arbitrary JSON values."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cli.records import _ENCODE

_SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
            | st.sampled_from([float("inf"), float("-inf"), -0.0, 1e-7, 1e22]) | st.text())
_VALUES = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner,
                                                                                             max_size=4), max_leaves=20)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.text(), _VALUES, max_size=8))
def test_records_encode_as_json_dumps_does(record: dict[str, Any]) -> None:
    assert _ENCODE(record) == json.dumps(record, ensure_ascii=False)
    assert _ENCODE(record) == json.dumps(record, ensure_ascii=False)  # the encoder keeps no state
