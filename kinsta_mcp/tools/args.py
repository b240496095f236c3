"""Argument types shared by tools, so every tool describes the same thing the same way."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

SiteRef = Annotated[
    str,
    Field(description="The site: its ID, machine name, display name, or one of its domains (a URL works too)"),
]
EnvironmentRef = Annotated[
    str,
    Field(
        description="The environment: an environment ID (then `site` may be empty), or a name of the site's "
        "environments such as live or staging. Empty: the environment of the domain given as `site`, else live."
    ),
]
MaxWait = Annotated[
    float,
    Field(
        ge=0,
        le=600,
        description="Seconds to wait for Kinsta to finish, reporting progress, before returning the operation "
        "id to resume with wait_for_operation. 0 = start it and return at once.",
    ),
]
