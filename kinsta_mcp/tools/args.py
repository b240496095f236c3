"""Argument types shared by tools, so every tool describes the same thing the same way."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

# What a site or environment reference may be is said once, in the server instructions: these two
# arguments stand in nearly every tool, and each description would be paid for in every conversation.
SiteRef = Annotated[str, Field()]
EnvironmentRef = Annotated[str, Field()]  # live when empty
# Exactly a boolean: "yes", "1", 1 or "True" are refused, never read as a wish to see a secret.
Reveal = Annotated[bool, Field(strict=True)]  # explained once in the server instructions
MaxWait = Annotated[float, Field(ge=0, le=600)]  # 0 returns at once (said once, in the instructions)
