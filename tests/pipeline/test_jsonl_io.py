"""The JSONL codec of `listingwatch score`: orjson where it reads and writes the same values as
`json`, `json` itself where it would not."""

from __future__ import annotations

import json
import math

import pytest

from pipeline.jsonl_io import HalfCharacter, dumps, loads, record_line
from rules.record import Listing


@pytest.mark.parametrize("line", [
    '{"listing_id": 123456789012345678901234567890}',  # orjson would read a float
    '{"listing_id": -9223372036854775809}',  # just below 64 bits: a float in orjson too
    '{"a": 1, "a": 2}',
    '{"title": "Gi\\u00e0y \\u2028 \\"Nike\\""}',
    '{"rating": 1.5e-7}',
])
def test_loads_reads_the_values_json_reads(line: str) -> None:
    got, want = loads(line), json.loads(line)
    assert got == want
    assert [type(v) for v in got.values()] == [type(v) for v in want.values()]


def test_loads_keeps_what_only_json_reads() -> None:
    assert math.isnan(loads('{"rating": NaN}')["rating"])
    assert loads('{"rating": 1e400}')["rating"] == math.inf
    assert loads('{"title": "\\ud83d\\ude00"}')["title"] == "\U0001F600"  # an escaped pair is one character


@pytest.mark.parametrize("line", ['{"title": "Giày \\ud800 Nike"}', '{"seller": {"name": ["\\udc00"]}}',
                                  '{"\\ud83d": 1}', '{"listing_id": 12345678901234567890, "title": "\\udfff"}'])
def test_loads_refuses_half_a_character(line: str) -> None:
    with pytest.raises(HalfCharacter, match="lone surrogate"):
        loads(line)


@pytest.mark.parametrize("line", ['{"title": "a",}', '{"title": ', "[1, 2"])
def test_loads_errors_are_json_errors(line: str) -> None:
    with pytest.raises(json.JSONDecodeError) as ours:
        loads(line)
    with pytest.raises(json.JSONDecodeError) as stdlib:
        json.loads(line)
    assert (ours.value.msg, ours.value.colno) == (stdlib.value.msg, stdlib.value.colno)


def _listing(title: str) -> Listing:
    return Listing.model_validate({
        "platform": "tiki", "listing_id": "7", "title": title, "price": 150000, "rating": 1e-05,
        "seller": {"id": "9", "created_at": "2024-01-02T03:04:05+07:00"},
        "observed_at": "2026-11-28T02:00:00+07:00"})


def test_record_line_is_the_record_and_the_added_keys() -> None:
    listing = _listing('Giày "Nike" \\ tab\there \x00 \u2028 ✓')
    added = {"risk": 0.8716, "flagged": True, "signals": [{"code": "brand.lookalike", "score": 1e-05}]}
    line = record_line(listing, added)
    assert line.endswith("}\n") and "\n" not in line[:-1]
    assert json.loads(line) == {**listing.model_dump(mode="json"), **added}
    assert list(json.loads(line))[-3:] == ["risk", "flagged", "signals"]
    assert json.loads(record_line(listing, {})) == listing.model_dump(mode="json")


def test_record_line_writes_a_lone_surrogate_as_json_does() -> None:
    # What `json.loads` made of an escaped lone surrogate: pydantic cannot write it as UTF-8.
    listing = _listing("Giày \ud800 Nike")
    line = record_line(listing, {"risk": 0.1})
    assert line == dumps({**listing.model_dump(mode="json"), "risk": 0.1}) + "\n"
    assert json.loads(line)["title"] == "Giày \ud800 Nike"
