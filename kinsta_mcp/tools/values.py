"""The `values` argument of a change, validated by a pydantic model per action.

On the wire `values` stays a plain object (one compact schema for every action of a tool); here each
action's keys are a model, so every wrong key is said at once, one part each, with the closest valid
name for a misspelt one, and a secret is never quoted back.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, model_validator
from pydantic_core import ErrorDetails

from kinsta_mcp.errors import InvalidInput

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# What to say for each kind of wrong value when a field does not say more in its description.
WORDING = {
    "bool_type": "true or false",
    "int_type": "a whole number",
    "string_type": "non-empty text",
    "string_too_short": "non-empty text",
}


class Values(BaseModel):
    """A set of keys one action takes. `None` is only allowed where a field's type names it."""

    model_config = ConfigDict(extra="forbid", strict=True)
    what: ClassVar[str] = "a setting"  # e.g. "an application setting", for "'x' is not an application setting"
    nullable: ClassVar[tuple[str, ...]] = ()  # keys whose null clears the setting

    @model_validator(mode="after")
    def _no_nulls(self) -> Values:
        nulls = [k for k in self.model_fields_set if getattr(self, k) is None and k not in self.nullable]
        if nulls:
            raise ValueError(f"{', '.join(nulls)} cannot be null")
        return self

    @classmethod
    def also_missing(cls, values: dict[str, Any]) -> list[str]:
        """Optional keys these values cannot do without (said with the required ones, all at once)."""
        return []

    def body(self) -> dict[str, Any]:
        """The keys that were given, as the request body takes them."""
        return self.model_dump(include=self.model_fields_set)


V = TypeVar("V", bound=Values)


def parsed(model: type[V], values: dict[str, Any], action: str) -> V:
    """`values` as `model`, or one InvalidInput naming every wrong key at once."""
    also = model.also_missing(values)
    try:
        found = model.model_validate(values)
    except ValidationError as failure:
        raise InvalidInput(_lines(model, failure.errors(), action, also)) from None
    if also:
        raise InvalidInput(_lines(model, [], action, also))
    return found


def given(model: type[V], values: dict[str, Any], action: str) -> V:
    """`values` as `model`; none at all for an action that needs some: every key it takes, said at once."""
    if not values and any(f.is_required() for f in model.model_fields.values()):
        keys = ", ".join(k + ("" if f.is_required() else " (optional)") for k, f in model.model_fields.items())
        raise InvalidInput(f"{action} takes values: {keys}. Nothing was sent.")
    return parsed(model, values, action)


def _lines(model: type[Values], errors: list[ErrorDetails], action: str, also: list[str]) -> str:
    missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing"] + also
    parts = [f"{action} needs {', '.join(missing)} in values"] if missing else []
    for error in errors:
        key = str(error["loc"][0]) if error["loc"] else ""
        if error["type"] == "missing":
            continue
        if error["type"] == "extra_forbidden":
            parts.append(_unknown(model, key))
        elif not key:  # a rule across keys (model validator): its own words
            parts.append(str(error["msg"]).removeprefix("Value error, "))
        else:
            parts.append(f"{key} must be {_wording(model, key, error)}")
    return "; ".join(parts) + "."


def _unknown(model: type[Values], key: str) -> str:
    known = list(model.model_fields)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f" — did you mean {close[0]!r}?" if close else f"; use: {', '.join(known)}"
    return f"{key!r} is not {model.what}{hint}"


def _wording(model: type[Values], key: str, error: ErrorDetails) -> str:
    field = model.model_fields.get(key)
    if field is not None and field.description:
        wording = field.description
    elif error["type"] == "literal_error":
        wording = "one of " + str(error.get("ctx", {}).get("expected", "")).replace("'", "").replace(" or ", ", ")
    else:
        wording = WORDING.get(error["type"], str(error["msg"]).lower())
    # A secret is never quoted back; other values are, so the model sees what it sent.
    shown = "" if "password" in key or isinstance(error["input"], dict | list) else f" (got {error['input']!r})"
    return wording + shown
