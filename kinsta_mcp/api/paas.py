"""Applications, databases and static sites on the PaaS base (Sevalla v2, or Kinsta for accounts not
moved yet: docs/api-notes.md#hosting-moved-to-sevalla)."""

from __future__ import annotations

from typing import Any

from kinsta_mcp.api.endpoint import Base, Endpoint, declare

APPLICATIONS = Endpoint(
    "GET",
    "/applications",
    base=Base.PAAS,
    unwrap=("company", "apps", "items"),
    model=list[dict[str, Any]],
    optional_unwrap=True,
)
DATABASES = Endpoint(
    "GET", "/databases", base=Base.PAAS, unwrap=("databases", "items"), model=list[dict[str, Any]], optional_unwrap=True
)
STATIC_SITES = Endpoint(
    "GET",
    "/static-sites",
    base=Base.PAAS,
    unwrap=("company", "static_sites", "items"),
    model=list[dict[str, Any]],
    optional_unwrap=True,
)

ENDPOINTS = declare(globals())
LISTS = {
    "application": ENDPOINTS["APPLICATIONS"],
    "database": ENDPOINTS["DATABASES"],
    "static site": ENDPOINTS["STATIC_SITES"],
}
