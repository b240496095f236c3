"""Sevalla v3 environment variables: an application's, a static site's and the company's global ones.

Kept beside the PaaS demo data (``paas(state)["env_vars"]``, made on first use) as flat rows, each with
its owner (an application or static site id, or ``global``); each path renders the v3 shape the spec
gives it. Keys are unique per owner (per owner and branch on static sites, whose variables may be
scoped to one branch).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..paas_seed import SEED_NOW_MS, paas
from ..seed import stable_id
from ._common import ApiError, get_state, iso, now_ms, query_int, read_json, v3

GLOBAL = "global"
APP_FLAGS = ("is_runtime", "is_buildtime")
STATIC_FLAGS = ("is_production", "is_preview")
MAX_KEY, MAX_VALUE = 255, 32_768

# owner name (or global), key, value, flags, branch: what the demo shows
_SEED: tuple[tuple[str, str, str, tuple[bool, bool], str | None], ...] = (
    ("portfolio-app", "NODE_ENV", "production", (True, True), None),
    ("portfolio-app", "DATABASE_URL", "postgres://portfolio:pf-7Qw2Lk9Xs@acme-postgres.internal:5432/portfolio",
     (True, False), None),
    ("api-service", "STRIPE_SECRET_KEY", "sk_test_51HxAcmeDemoKey0000", (True, False), None),
    (GLOBAL, "LOG_LEVEL", "info", (True, True), None),
    (GLOBAL, "SENTRY_DSN", "https://f00dfeed@o1.ingest.sentry.io/42", (True, False), None),
    ("docs-site", "PUBLIC_API_URL", "https://api.acme.example", (True, True), None),
    ("docs-site", "PUBLIC_API_URL", "https://staging-api.acme.example", (False, True), "preview"),
    ("docs-site", "ALGOLIA_API_KEY", "alg-3f9c2e71b5", (True, False), None),
)  # fmt: skip


def rows_of(state: Any) -> list[dict[str, Any]]:
    """Every variable of the sandbox, seeded on first use."""
    data: dict[str, Any] = paas(state)
    if "env_vars" not in data:
        owners = {item["name"]: item["id"] for kind in ("apps", "static_sites") for item in data[kind]}
        seeded = []
        for n, (owner, key, value, flags, branch) in enumerate(_SEED):
            static = owner == "docs-site"
            row = {
                "id": stable_id("env-var", owner, key, str(n)),
                "owner": owners.get(owner, GLOBAL),
                "key": key,
                "value": value,
                "branch": branch,
                "created_at": SEED_NOW_MS - (20 - n) * 86_400_000,
            }
            row.update(zip(STATIC_FLAGS if static else APP_FLAGS, flags, strict=True))
            seeded.append(row | {"updated_at": row["created_at"]})
        data["env_vars"] = seeded
    rows: list[dict[str, Any]] = data["env_vars"]
    return rows


class Kind:
    """What differs between the three kinds of owner: how the owner is found, flags, the view."""

    def __init__(self, noun: str, collection: str | None, owner_field: str | None, flags: tuple[str, ...]) -> None:
        self.noun, self.collection, self.owner_field, self.flags = noun, collection, owner_field, flags

    def owner(self, request: Request) -> str:
        if self.collection is None:
            return GLOBAL
        ref = request.path_params["id"]
        if not any(item["id"] == ref for item in paas(get_state(request))[self.collection]):
            raise ApiError(404, f"{self.noun.capitalize()} {ref} not found")
        return ref

    def view(self, row: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": row["id"]}
        if self.owner_field:
            out[self.owner_field] = row["owner"]
        out |= {"key": row["key"], "value": row["value"]} | {flag: row.get(flag) for flag in self.flags}
        if self.collection == "static_sites":
            out["branch"] = row["branch"]
        return out | {"created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"])}

    def fields(self) -> set[str]:
        return {"key", "value", *self.flags} | ({"branch"} if self.collection == "static_sites" else set())


APP = Kind("application", "apps", "app_id", APP_FLAGS)
STATIC = Kind("static site", "static_sites", "static_site_id", STATIC_FLAGS)
GLOBALS = Kind("global environment variable owner", None, None, APP_FLAGS)


def _checked(kind: Kind, body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    unknown = sorted(set(body) - kind.fields())
    if unknown:
        raise ApiError(400, f"Unknown field(s): {', '.join(unknown)}")
    for name in ("key", "value"):
        if creating and name not in body:
            raise ApiError(400, f"{name} is required")
    key, value = body.get("key", "K"), body.get("value", "")
    if not isinstance(key, str) or not 1 <= len(key) <= MAX_KEY:
        raise ApiError(400, f"key must be a string of 1 to {MAX_KEY} characters")
    if not isinstance(value, str) or len(value) > MAX_VALUE:
        raise ApiError(400, f"value must be a string of at most {MAX_VALUE} characters")
    if any(not isinstance(body[flag], bool) for flag in kind.flags if flag in body):
        raise ApiError(400, f"{', '.join(kind.flags)} must be booleans")
    if body.get("branch") is not None and not isinstance(body["branch"], str):
        raise ApiError(400, "branch must be a string or null")
    return body


def _clash(rows: list[dict[str, Any]], owner: str, row: dict[str, Any], skip: str = "") -> None:
    for other in rows:
        same = other["owner"] == owner and other["key"] == row["key"] and other.get("branch") == row.get("branch")
        if same and other["id"] != skip:
            raise ApiError(400, f"An environment variable with key {row['key']} already exists")


def _found(request: Request, kind: Kind) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    owner = kind.owner(request)
    var_id = request.path_params["id" if kind is GLOBALS else "env_var_id"]
    rows = rows_of(get_state(request))
    row = next((r for r in rows if r["id"] == var_id and r["owner"] == owner), None)
    if row is None:
        raise ApiError(404, f"Environment variable {var_id} not found")
    return rows, row


def _list(kind: Kind) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        owner = kind.owner(request)
        limit, offset = query_int(request, "limit", 25, 1, 100), query_int(request, "offset", 0, 0, 10_000)
        mine = [r for r in rows_of(get_state(request)) if r["owner"] == owner]
        page = [kind.view(r) for r in mine[offset : offset + limit]]
        return {"data": page, "total": len(mine), "offset": offset, "limit": limit}

    return handler


def _create(kind: Kind) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        owner = kind.owner(request)
        body = _checked(kind, await read_json(request), creating=True)
        now = now_ms()
        row = {"id": str(uuid.uuid4()), "owner": owner, "branch": None, "created_at": now, "updated_at": now}
        row |= {flag: True for flag in kind.flags} | body  # the spec's default: available everywhere
        rows = rows_of(get_state(request))
        _clash(rows, owner, row)
        rows.append(row)
        return JSONResponse(kind.view(row), status_code=201)

    return handler


def _update(kind: Kind) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        rows, row = _found(request, kind)
        body = _checked(kind, await read_json(request), creating=False)
        _clash(rows, row["owner"], row | body, skip=row["id"])
        row |= body | {"updated_at": now_ms()}
        return kind.view(row)

    return handler


def _delete(kind: Kind) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        rows, row = _found(request, kind)
        rows.remove(row)
        return {"message": "Environment variable deleted successfully"}

    return handler


def _routes(path: str, item: str, kind: Kind) -> list[Route]:
    return [
        Route(path, v3(_list(kind)), methods=["GET"]),
        Route(path, v3(_create(kind)), methods=["POST"]),
        Route(f"{path}/{item}", v3(_update(kind)), methods=["PUT"]),
        Route(f"{path}/{item}", v3(_delete(kind)), methods=["DELETE"]),
    ]


v3_routes = (
    _routes("/applications/{id}/env-vars", "{env_var_id}", APP)
    + _routes("/static-sites/{id}/env-vars", "{env_var_id}", STATIC)
    + _routes("/applications/global-env-vars", "{id}", GLOBALS)
)
