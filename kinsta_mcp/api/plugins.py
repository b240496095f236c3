"""WordPress plugins and themes of an environment, and the company-wide inventories (Kinsta)."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Endpoint, JobKind, declare
from kinsta_mcp.models.plugins import Inventory, WpRow

PLUGINS = Endpoint(
    "GET",
    "/sites/environments/{env_id}/plugins",
    unwrap=("environment", "container_info", "wp_plugins", "data"),
    model=list[WpRow],
)
THEMES = Endpoint(
    "GET",
    "/sites/environments/{env_id}/themes",
    unwrap=("environment", "container_info", "wp_themes", "data"),
    model=list[WpRow],
)
UPDATE_PLUGIN = Endpoint("PUT", "/sites/environments/{env_id}/plugins", job=JobKind.OPERATION)
UPDATE_THEME = Endpoint("PUT", "/sites/environments/{env_id}/themes", job=JobKind.OPERATION)
# Documented as HTTP 200 with an operation body (docs/api-notes.md#http-200-with-an-operation).
BULK_UPDATE_PLUGINS = Endpoint("PUT", "/sites/environments/{env_id}/plugins/bulk-update", job=JobKind.OPERATION)
BULK_UPDATE_THEMES = Endpoint("PUT", "/sites/environments/{env_id}/themes/bulk-update", job=JobKind.OPERATION)
# 2026 additions (docs/api-notes.md#company-inventories); themes assumed to mirror plugins.
COMPANY_PLUGINS = Endpoint("GET", "/company/{company_id}/wp-plugins", unwrap=("company", "plugins"), model=Inventory)
COMPANY_THEMES = Endpoint("GET", "/company/{company_id}/wp-themes", unwrap=("company", "themes"), model=Inventory)

# The January 2026 site-level lists (docs/api-notes.md#environment-plugin-lists), used for the filter only they
# have: `column=vulnerable`. Their rows are read like the older lists' (only `items`, `title`, `update` are seen).
ENV_PLUGINS = Endpoint(
    "GET", "/sites/environments/{env_id}/wp-plugins", unwrap=("environment", "plugins", "items"), model=list[WpRow]
)
ENV_THEMES = Endpoint(
    "GET", "/sites/environments/{env_id}/wp-themes", unwrap=("environment", "themes", "items"), model=list[WpRow]
)

ENDPOINTS = declare(globals())
LISTS = {"plugins": PLUGINS, "themes": THEMES}
UPDATES = {"plugins": UPDATE_PLUGIN, "themes": UPDATE_THEME}
BULK_UPDATES = {"plugins": BULK_UPDATE_PLUGINS, "themes": BULK_UPDATE_THEMES}
INVENTORIES = {"plugins": COMPANY_PLUGINS, "themes": COMPANY_THEMES}
VULNERABLE = {"plugins": ENV_PLUGINS, "themes": ENV_THEMES}
