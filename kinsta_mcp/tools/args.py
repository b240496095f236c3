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
        description="live, staging, another env name, or an env ID (then site may be empty); default live"
    ),
]
MaxWait = Annotated[
    float,
    Field(
        ge=0,
        le=600,
        description="Max seconds to wait for Kinsta (0: return at once)",
    ),
]
