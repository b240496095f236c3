"""Argument types shared by tools, so every tool describes the same thing the same way."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from kinsta_mcp.errors import InvalidInput

# What a site or environment reference may be is said once, in the server instructions: these two
# arguments stand in nearly every tool, and each description would be paid for in every conversation.
SiteRef = Annotated[str, Field()]
EnvironmentRef = Annotated[str, Field()]  # live when empty
# Exactly a boolean: "yes", "1", 1 or "True" are refused, never read as a wish to see a secret.
Reveal = Annotated[bool, Field(strict=True, description="Show in clear (asks the user)")]
MaxWait = Annotated[float, Field(ge=0, le=600, description="0: return at once")]

Allowed = dict[str, tuple[tuple[type, ...], str]]
"""The keys a `values` argument may hold: key → (accepted types, what to say when one is wrong)."""


def checked(values: dict[str, Any], allowed: Allowed, what: str) -> dict[str, Any]:
    """`values` if every key is allowed and of its type, text not blank (null, where allowed, clears a
    setting); a password is never quoted back in the error."""
    for key, value in values.items():
        if key not in allowed:
            raise InvalidInput(f"{key!r} is not {what}; use: {', '.join(allowed)}.")
        kinds, wording = allowed[key]
        if (
            not isinstance(value, kinds)
            or (bool not in kinds and isinstance(value, bool))
            or (isinstance(value, str) and not value.strip())
        ):
            shown = "" if "password" in key else f" (got {value!r})"
            raise InvalidInput(f"{key} must be {wording}{shown}.")
    return dict(values)
