"""The base of every rule-file model: strict, so a typo in a key is reported, not ignored."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    # Unknown keys are typos an analyst wants to hear about, not silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)
