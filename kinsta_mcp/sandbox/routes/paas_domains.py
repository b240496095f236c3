"""Sevalla v3 domains of applications and static sites: list, get, add, delete, refresh-status, set-primary.

Kept beside the PaaS demo data (``paas(state)["domains"]``, made on first use) as flat rows with their owner's
id. Every application and static site has its platform (SYSTEM) domain; a few have custom ones in each state
of the spec: VERIFICATION → POINTING → ACTIVE (TIMED_OUT goes back to VERIFICATION). The sandbox cannot see
DNS, so each refresh-status moves a domain one step on; a new custom domain starts in VERIFICATION with the
records the spec's `dns_records` carries (a TXT to prove ownership, then an A or CNAME to point traffic).
One primary per owner; a SYSTEM or primary domain is not deleted; a name is on one owner at most.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..paas_seed import SEED_NOW_MS, paas
from ..seed import stable_id
from ._common import ApiError, get_state, iso, now_ms, paas_object, query_int, read_json, v3

SYSTEM, CUSTOM = "SYSTEM", "CUSTOM"
NEXT = {"VERIFICATION": "POINTING", "POINTING": "ACTIVE", "TIMED_OUT": "VERIFICATION", "ACTIVE": "ACTIVE"}
APEX_IP = "203.0.113.30"
TIMED_OUT = "Verification timed out: the TXT record was not found"
FIELDS = {"domain_name", "is_wildcard", "custom_ssl_cert", "custom_ssl_key"}
_NAME = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")

# owner, name, status, primary: the custom domains of the demo (every owner also has its SYSTEM domain)
_SEED = (
    ("portfolio-app", "portfolio.acme-digital.com", "ACTIVE", True),
    ("portfolio-app", "www.portfolio.acme-digital.com", "POINTING", False),
    ("docs-site", "docs.acme-digital.com", "ACTIVE", True),
    ("docs-site", "help.acme-digital.com", "VERIFICATION", False),
    ("docs-site", "kb.acme-digital.com", "TIMED_OUT", False),
)


def records(name: str) -> list[dict[str, str]]:
    """What a custom domain needs: ownership, then traffic (an apex cannot take a CNAME)."""
    apex = name.count(".") == 1
    point = {"type": "A" if apex else "CNAME", "name": name, "value": APEX_IP if apex else "cname.sevalla.com"}
    return [{"type": "TXT", "name": f"_sevalla-challenge.{name}", "value": stable_id("challenge", name)}, point]


def _row(ident: str, owner: str, name: str, kind: str, status: str, primary: bool, at: int) -> dict[str, Any]:
    return {
        "id": ident,
        "owner": owner,
        "name": name,
        "status": status,
        "type": kind,
        "is_enabled": True,
        "is_wildcard": False,
        "is_primary": primary,
        "dns_records": None if kind == SYSTEM else records(name),
        "errors": {"message": "Verification timed out: the TXT record was not found"}
        if status == "TIMED_OUT"
        else None,
        "created_at": at,
        "updated_at": at,
    }


def _seed_id(name: str) -> str:
    return stable_id("paas-domain", name)


def rows_of(state: Any) -> list[dict[str, Any]]:
    """Every domain of the sandbox's applications and static sites, seeded on first use."""
    data: dict[str, Any] = paas(state)
    if "domains" not in data:
        seeded, custom_primary = [], {owner for owner, _, _, primary in _SEED if primary}
        for kind, suffix in (("apps", "sevalla.app"), ("static_sites", "sevalla.page")):
            for item in data[kind]:
                primary = item["name"] not in custom_primary
                system = f"{item['name']}.{suffix}"
                seeded.append(_row(_seed_id(system), item["id"], system, SYSTEM, "ACTIVE", primary, SEED_NOW_MS))
                seeded += [
                    _row(_seed_id(name), item["id"], name, CUSTOM, status, is_primary, SEED_NOW_MS)
                    for owner, name, status, is_primary in _SEED
                    if owner == item["name"]
                ]
        data["domains"] = seeded
    rows: list[dict[str, Any]] = data["domains"]
    return rows


def _view(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in ("owner", "created_at", "updated_at")}
    return out | {"created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"])}


class Owner:
    """Applications or static sites: where the owner is looked up, and its noun for 404s."""

    def __init__(self, collection: str, noun: str) -> None:
        self.collection, self.noun = collection, noun

    def mine(self, request: Request) -> tuple[str, list[dict[str, Any]]]:
        owner = paas_object(request, self.collection, self.noun)["id"]
        return owner, [r for r in rows_of(get_state(request)) if r["owner"] == owner]

    def one(self, request: Request) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        _, mine = self.mine(request)
        wanted = request.path_params["domain_id"]
        row = next((r for r in mine if r["id"] == wanted), None)
        if row is None:
            raise ApiError(404, f"Domain {wanted} not found")
        return mine, row


def _list(owner: Owner) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        _, mine = owner.mine(request)
        limit, offset = query_int(request, "limit", 25, 1, 100), query_int(request, "offset", 0, 0, 10_000)
        page = [_view(r) for r in mine[offset : offset + limit]]
        return {"data": page, "total": len(mine), "offset": offset, "limit": limit}

    return handler


def _get(owner: Owner) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        return _view(owner.one(request)[1])

    return handler


def _add(owner: Owner) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        owner_id, _ = owner.mine(request)
        body = await read_json(request)
        if unknown := sorted(set(body) - FIELDS):
            raise ApiError(400, f"Unknown field(s): {', '.join(unknown)}")
        name = body.get("domain_name")
        if not isinstance(name, str) or not _NAME.match(name):
            raise ApiError(400, "domain_name must be a valid lowercase domain name")
        if body.get("custom_ssl_cert") and not body.get("custom_ssl_key"):
            raise ApiError(400, "custom_ssl_key is required when custom_ssl_cert is provided")
        rows = rows_of(get_state(request))
        if any(r["name"] == name for r in rows):
            raise ApiError(400, f"Domain {name} is already in use")
        row = _row(str(uuid.uuid4()), owner_id, name, CUSTOM, "VERIFICATION", False, now_ms())
        row["is_wildcard"] = bool(body.get("is_wildcard", False))
        rows.append(row)
        return JSONResponse(_view(row), status_code=201)

    return handler


def _delete(owner: Owner) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        _, row = owner.one(request)
        if row["type"] == SYSTEM:
            raise ApiError(400, "System domains cannot be deleted; toggle them off instead")
        if row["is_primary"]:
            raise ApiError(400, "The primary domain cannot be deleted; set another domain as primary first")
        rows_of(get_state(request)).remove(row)
        return {"message": "Domain deleted"}

    return handler


def _refresh(owner: Owner) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        _, row = owner.one(request)
        row["status"] = NEXT.get(row["status"], row["status"])
        row["errors"], row["updated_at"] = None, now_ms()
        return {"message": "Domain status refresh initiated"}

    return handler


def _set_primary(owner: Owner) -> Callable[[Request], Awaitable[Any]]:
    async def handler(request: Request) -> Any:
        mine, row = owner.one(request)
        for other in mine:
            other["is_primary"] = other is row
        row["updated_at"] = now_ms()
        return {"message": "Domain set as primary"}

    return handler


def _routes(prefix: str, owner: Owner) -> list[Route]:
    path, item = f"{prefix}/{{id}}/domains", f"{prefix}/{{id}}/domains/{{domain_id}}"
    return [
        Route(path, v3(_list(owner)), methods=["GET"]),
        Route(path, v3(_add(owner)), methods=["POST"]),
        Route(item, v3(_get(owner)), methods=["GET"]),
        Route(item, v3(_delete(owner)), methods=["DELETE"]),
        Route(f"{item}/refresh-status", v3(_refresh(owner)), methods=["POST"]),
        Route(f"{item}/set-primary", v3(_set_primary(owner)), methods=["POST"]),
    ]


v3_routes = _routes("/applications", Owner("apps", "application")) + _routes(
    "/static-sites", Owner("static_sites", "static site")
)
