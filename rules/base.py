"""The base of every rule-file model: strict, so a typo in a key is reported, not ignored."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    # Unknown keys are typos an analyst wants to hear about, not silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(Strict):
    """A reference price band in whole VND: the lowest genuine new price and a typical upper one."""

    price_min: int = Field(gt=0)
    price_max: int = Field(gt=0)

    @model_validator(mode="after")
    def _band_ordered(self) -> Self:
        if self.price_min > self.price_max:
            raise ValueError(f"price_min ({self.price_min}) is greater than price_max ({self.price_max})")
        return self
