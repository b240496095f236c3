"""What every model here shares.

The live API adds fields and sends nulls where the spec has values (docs/api-notes.md#nulls-and-extra-fields), so
models ignore unknown keys and let a null fall back to the field's default. Fields have plain
defaults instead of `X | None`: a union becomes `anyOf` in a schema, which several clients reject.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


class ApiModel(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _nulls_mean_default(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None}
        return data


class Output(ApiModel):
    """A tool's result: `summary()` is the short text a model reads; the fields are the data.

    The summary may quote anything Kinsta sent and is fenced as untrusted data; `next_step()` is
    our own guidance (how to resume, what to call next) and stands outside the fence.
    """

    def summary(self) -> str:
        raise NotImplementedError

    def next_step(self) -> str:
        return ""
