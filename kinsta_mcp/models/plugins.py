"""WordPress plugins and themes: an environment's rows and the company inventory."""

from __future__ import annotations

from pydantic import Field

from kinsta_mcp.models.base import ApiModel


class WpRow(ApiModel):
    """One row of `GET /sites/environments/{env_id}/plugins|themes`; `update` is "available" or "none"."""

    name: str = ""
    title: str = ""
    status: str = ""
    version: str = ""
    update: str = ""
    update_version: str = ""


class InventoryItem(ApiModel):
    """One item of the company inventory (docs/api-notes.md#company-inventories)."""

    name: str = ""
    title: str = ""
    latest_version: str = ""
    is_latest_version_vulnerable: bool = False
    environment_count: int = 0
    update_count: int = 0


class Inventory(ApiModel):
    total: int = 0
    items: list[InventoryItem] = Field(default_factory=list)
