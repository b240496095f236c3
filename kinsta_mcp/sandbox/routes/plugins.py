"""WordPress plugins and themes: per environment (list, update, bulk update) and company-wide inventories.

Each environment's plugins and themes are created on first use from the catalogues below: which
ones are behind is decided by a hash of the environment id and slug, so every run sees the same.
"Acme Slider" is fictional and stands for a plugin whose latest version has a known vulnerability; Contact
Form 7 before 6.0.1 stands for an installed version with one that the update fixes.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._common import ApiError, accepted, company_or_404, env_or_404, get_state, read_json

if TYPE_CHECKING:
    from ..state import SandboxState

# Endpoints newer than spec v1.87.0 served here (docs/api-notes.md#company-inventories).
ADDITIONS_2026 = {
    ("GET", "/company/{company_id}/wp-plugins"),
    ("GET", "/company/{company_id}/wp-themes"),  # shape assumed to mirror wp-plugins
    # The site-level lists (docs/api-notes.md#environment-plugin-lists); rows assumed like the older lists'.
    ("GET", "/sites/environments/{env_id}/wp-plugins"),
    ("GET", "/sites/environments/{env_id}/wp-themes"),
}

# (slug, title, older version, latest version, active, only on these sites or None for all)
PLUGINS: list[tuple[str, str, str, str, bool, tuple[str, ...] | None]] = [
    ("akismet", "Akismet Anti-Spam: Spam Protection", "5.3.3", "5.3.5", True, None),
    ("wordpress-seo", "Yoast SEO", "23.8", "23.9", True, None),
    ("contact-form-7", "Contact Form 7", "5.9.8", "6.0.1", True, None),
    ("woocommerce", "WooCommerce", "9.3.3", "9.4.2", True, ("acmeshop",)),
    ("elementor", "Elementor", "3.24.7", "3.25.10", True, ("client-bakery", "client-dentist")),
    ("acme-slider", "Acme Slider", "2.0.1", "2.1.0", True, ("acmeshop", "blog-acme")),
    ("classic-editor", "Classic Editor", "1.6.5", "1.6.7", False, ("blog-acme", "portfolio")),
]
THEMES: list[tuple[str, str, str, str, bool, tuple[str, ...] | None]] = [
    ("twentytwentyfour", "Twenty Twenty-Four", "1.2", "1.3", False, None),
    ("storefront", "Storefront", "4.5.5", "4.6.0", True, ("acmeshop",)),
    ("astra", "Astra", "4.8.3", "4.8.6", True, ("blog-acme", "client-bakery", "client-dentist", "portfolio")),
]
CATALOGUES = {"plugins": PLUGINS, "themes": THEMES}
VULNERABLE_LATEST = {"acme-slider"}
FIXED_IN = {"contact-form-7": "6.0.1"}  # installed versions before this one are vulnerable
KINDS = {"plugins": "plugin", "themes": "theme"}


def _behind(env_id: str, slug: str) -> bool:
    return hashlib.sha256(f"{env_id}/{slug}".encode()).digest()[0] % 2 == 0


def installed(site: dict[str, Any], env: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The environment's plugins or themes (internal shape = API row shape), created on first use."""
    key = f"wp_{kind}"
    if key not in env:
        rows = []
        for slug, title, old, latest, active, only in CATALOGUES[kind]:
            if only is not None and site["name"] not in only:
                continue
            behind = _behind(env["id"], slug)
            rows.append(
                {
                    "name": slug,
                    "title": title,
                    "status": "active" if active else "inactive",
                    "version": old if behind else latest,
                    "update": "available" if behind else "none",
                    "update_version": latest if behind else None,
                    "update_status": None,
                }
            )
        env[key] = rows
    return env[key]


def _row_view(row: dict[str, Any]) -> dict[str, Any]:
    fields = ("name", "title", "status", "version", "update", "update_version", "update_status")
    return {f: row[f] for f in fields}


def _target(request: Request, kind: str) -> tuple[SandboxState, dict[str, Any], list[dict[str, Any]]]:
    """(state, environment of the path, its plugins or themes)."""
    state = get_state(request)
    site, env = env_or_404(state, request.path_params["env_id"])
    return state, env, installed(site, env, kind)


def _updated(row: dict[str, Any], version: str) -> None:
    row["version"] = version
    row["update_status"] = "updated"
    if version == row["update_version"]:
        row["update"], row["update_version"] = "none", None


def _lister(kind: str):
    async def handler(request: Request) -> JSONResponse:
        _, env, rows = _target(request, kind)
        data = [_row_view(r) for r in rows]
        container = {"id": env["container_id"], f"wp_{kind}": {"data": data}}
        return JSONResponse({"environment": {"id": env["id"], "container_info": container}})

    return handler


def _vulnerable(row: dict[str, Any]) -> bool:
    fixed = FIXED_IN.get(row["name"])
    return row["name"] in VULNERABLE_LATEST or (fixed is not None and row["version"] != fixed)


def _site_level_lister(kind: str):
    """GET /sites/environments/{env_id}/wp-plugins|wp-themes with the `status` and `column` filters."""

    async def handler(request: Request) -> JSONResponse:
        _, env, rows = _target(request, kind)
        status, column = request.query_params.get("status", ""), request.query_params.get("column", "")
        if status not in ("", "active", "inactive") or column not in ("", "vulnerable", "updatesAvailable"):
            raise ApiError(400, "status is active or inactive; column is vulnerable or updatesAvailable")
        chosen = [
            r
            for r in rows
            if (not status or r["status"] == status)
            and (column != "vulnerable" or _vulnerable(r))
            and (column != "updatesAvailable" or r["update"] == "available")
        ]
        return JSONResponse({"environment": {"id": env["id"], kind: {"items": [_row_view(r) for r in chosen]}}})

    return handler


def _updater(kind: str):
    async def handler(request: Request) -> JSONResponse:
        state, _, rows = _target(request, kind)
        body = await read_json(request)
        name, version = body.get("name"), body.get("update_version")
        if not isinstance(name, str) or not name or not isinstance(version, str) or not version:
            raise ApiError(400, "name and update_version are required")
        row = next((r for r in rows if r["name"] == name), None)
        if row is None:
            raise ApiError(400, f"{KINDS[kind].capitalize()} {name} is not installed")
        op = state.start_operation(f"wp-{KINDS[kind]}:update", lambda: _updated(row, version))
        return accepted(op, f"Updating WordPress {KINDS[kind]} in progress")

    return handler


def _bulk_updater(kind: str):
    async def handler(request: Request) -> JSONResponse:
        state, _, rows = _target(request, kind)
        items = (await read_json(request)).get(kind)
        if not isinstance(items, list) or not items or not all(isinstance(i, dict) and i.get("name") for i in items):
            raise ApiError(400, f"{kind} must be a non-empty array of {{name}}")
        by_name = {r["name"]: r for r in rows}
        missing = [i["name"] for i in items if i["name"] not in by_name]
        if missing:
            raise ApiError(404, f"Not installed: {', '.join(missing)}")
        chosen = [by_name[i["name"]] for i in items]

        def done() -> None:
            for row in chosen:
                if row["update_version"]:
                    _updated(row, row["update_version"])

        op = state.start_operation(f"wp-{kind}:bulk-update", done)
        # Documented as HTTP 200 with the 202 body (docs/api-notes.md#http-200-with-an-operation).
        body = {"operation_id": op.id, "message": f"Bulk-updating WordPress {kind} in progress", "status": 202}
        return JSONResponse(body, status_code=200)

    return handler


def _inventory(kind: str):
    """GET /company/{company_id}/wp-plugins|wp-themes (themes mirror plugins with theme_* keys;
    docs/api-notes.md#company-inventories)."""
    singular = KINDS[kind]

    async def handler(request: Request) -> JSONResponse:
        state = get_state(request)
        company_or_404(state, request.path_params["company_id"])
        items: dict[str, dict[str, Any]] = {}
        for site in state.sites:
            for env in site["environments"]:
                for row in installed(site, env, kind):
                    item = items.setdefault(
                        row["name"],
                        {
                            "name": row["name"],
                            "title": row["title"],
                            "latest_version": next(c[3] for c in CATALOGUES[kind] if c[0] == row["name"]),
                            "is_latest_version_vulnerable": row["name"] in VULNERABLE_LATEST,
                            "environment_count": 0,
                            "update_count": 0,
                            "environments": [],
                        },
                    )
                    item["environment_count"] += 1
                    item["update_count"] += row["update"] == "available"
                    item["environments"].append(
                        {
                            "site_display_name": site["display_name"],
                            "display_name": env["display_name"],
                            f"{singular}_status": row["status"],
                            f"{singular}_version": row["version"],
                            f"{singular}_update": row["update"],
                        }
                    )
        found = sorted(items.values(), key=lambda i: i["name"])
        query = request.query_params
        column, search = query.get("column", ""), query.get("search", "").lower()
        if column == "updatesAvailable":
            found = [i for i in found if i["update_count"]]
        elif column == "vulnerable":
            found = [i for i in found if i["is_latest_version_vulnerable"]]
        if search:
            found = [i for i in found if search in i["name"] or search in i["title"].lower()]
        try:
            offset, limit = int(query.get("offset", 0)), int(query.get("limit", 10))
        except ValueError:
            raise ApiError(400, "offset and limit must be integers") from None
        page = found[offset : offset + limit]
        body = {"total": len(found), "last_updated_at": "2026-01-01T12:00:00Z", "items": page}
        return JSONResponse({"company": {kind: body}})

    return handler


routes = (
    [Route(f"/sites/environments/{{env_id}}/{kind}", _lister(kind), methods=["GET"]) for kind in CATALOGUES]
    + [Route(f"/sites/environments/{{env_id}}/{kind}", _updater(kind), methods=["PUT"]) for kind in CATALOGUES]
    + [
        Route(f"/sites/environments/{{env_id}}/{kind}/bulk-update", _bulk_updater(kind), methods=["PUT"])
        for kind in CATALOGUES
    ]
    + [Route(f"/company/{{company_id}}/wp-{kind}", _inventory(kind), methods=["GET"]) for kind in CATALOGUES]
    + [
        Route(f"/sites/environments/{{env_id}}/wp-{kind}", _site_level_lister(kind), methods=["GET"])
        for kind in CATALOGUES
    ]
)
