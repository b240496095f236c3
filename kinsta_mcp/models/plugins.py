"""WordPress plugins and themes: an environment's rows and the company inventory."""

from __future__ import annotations

from pydantic import AliasChoices, Field

from kinsta_mcp.models.base import ApiModel


class WpRow(ApiModel):
    """One row of `GET /sites/environments/{env_id}/plugins|themes`; `update` is "available" or "none"."""

    name: str = ""
    title: str = ""
    status: str = ""
    version: str = ""
    update: str = ""
    update_version: str = ""


class InventoryPlace(ApiModel):
    """Where an inventory item is installed: `plugin_*` keys for plugins, `theme_*` (assumed) for themes."""

    site_display_name: str = ""
    display_name: str = ""
    update: str = Field("", validation_alias=AliasChoices("plugin_update", "theme_update", "update"))

    @property
    def label(self) -> str:
        return f"{self.site_display_name} › {self.display_name}".strip(" ›")


class InventoryItem(ApiModel):
    """One item of the company inventory (docs/api-notes.md#company-inventories)."""

    name: str = ""
    title: str = ""
    latest_version: str = ""
    is_latest_version_vulnerable: bool = False
    environment_count: int = 0
    update_count: int = 0
    environments: list[InventoryPlace] = Field(default_factory=list)


class Inventory(ApiModel):
    total: int = 0
    items: list[InventoryItem] = Field(default_factory=list)
