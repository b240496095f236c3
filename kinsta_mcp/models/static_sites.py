"""Static sites and Sevalla's company PaaS usage, as the PaaS API answers them."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field

from kinsta_mcp.models.base import ApiModel
from kinsta_mcp.text import number

Number = Annotated[float, BeforeValidator(lambda v: number(v) or 0.0)]
"""The usage rows' figures come as numbers or as text."""


class SiteRow(ApiModel):
    """A static site as listed (`GET /static-sites` items)."""

    id: str
    name: str = ""
    display_name: str = ""
    status: str = ""


class Deployment(ApiModel):
    id: str = ""
    status: str = ""
    branch: str = ""
    commit_message: str = ""
    created_at: int = 0  # epoch ms


class StaticSiteDetail(SiteRow):
    """`GET /static-sites/{id}` → `static_site`."""

    id: str = ""  # an empty detail stands for "no site" in outputs (no nullable objects in schemas)
    hostname: str = ""
    repo_url: str = ""
    git_type: str = ""
    default_branch: str = ""
    auto_deploy: bool = False
    build_command: str = ""
    deployments: list[Deployment] = Field(default_factory=list)


class UsageRow(ApiModel):
    """`GET /company/{id}/paas-usage` → `company.paas_usage[]` (Sevalla v2 only)."""

    category: str = "other"
    id_resource: str = ""
    usage: Number = 0.0
    cost: Number = 0.0


class Deleted(ApiModel):
    """`DELETE /static-sites/{id}`: `{transaction_id}`."""

    transaction_id: str = ""
