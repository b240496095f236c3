"""Argument types shared by tools, so every tool describes the same thing the same way."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

SiteRef = Annotated[
    str,
    Field(description="Site ID, name, display name or domain"),
]
EnvironmentRef = Annotated[
    str,
    Field(
        description="Environment ID (site may be empty then), or name: live, staging… "
        "Default: the domain's environment, else live"
    ),
]
MaxWait = Annotated[
    float,
    Field(
        ge=0,
        le=600,
        description="Seconds to wait for completion before returning the operation id (0: don't wait)",
    ),
]
