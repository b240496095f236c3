"""Kinsta DNS: the company's zones (``state.dns_domains``) and their record sets.

A record set is identified by ``type`` + ``name`` (a full name inside the zone, as in the spec
examples) and holds one or more values. Every change is applied when its operation finishes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._common import (
    ApiError,
    accepted,
    company_or_404,
    get_state,
    not_found_message,
    read_json,
    require_query,
    require_str,
)

if TYPE_CHECKING:
    from ..state import SandboxState

MIN_TTL = 300


def _zone_or_404(request: Request) -> dict[str, Any]:
    domain_id = request.path_params["domain_id"]
    zone = next((z for z in get_state(request).dns_domains if z["id"] == domain_id), None)
    if zone is None:
        raise ApiError(404, not_found_message("domain", domain_id))
    return zone


def _record_view(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": record["type"],
        "name": record["name"],
        "ttl": record["ttl"],
        "resource_records": [{"value": r["value"]} for r in record["resource_records"]],
    }


def _key(body: dict[str, Any], zone: dict[str, Any]) -> tuple[str, str]:
    """(type, name) of the record set a body is about; the name must lie inside the zone."""
    kind = require_str(body, "type").upper()
    name = require_str(body, "name").strip().rstrip(".").lower()
    if name != zone["name"] and not name.endswith("." + zone["name"]):
        raise ApiError(400, f"Record name {name} is not inside the domain {zone['name']}")
    return kind, name


def _find(zone: dict[str, Any], kind: str, name: str) -> dict[str, Any] | None:
    return next((r for r in zone["dns_records"] if r["type"] == kind and r["name"] == name), None)


def _ttl(body: dict[str, Any], *, required: bool) -> float | None:
    ttl = body.get("ttl")
    if ttl is None:
        if required:
            raise ApiError(400, "ttl is required")
        return None
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or ttl < MIN_TTL:
        raise ApiError(400, f"ttl must be a number of seconds, at least {MIN_TTL}")
    return ttl


def _values(body: dict[str, Any], field: str, *, required: bool) -> list[str]:
    items = body.get(field)
    if items is None and not required:
        return []
    if (
        not isinstance(items, list)
        or (required and not items)
        or not all(isinstance(i, dict) and isinstance(i.get("value"), str) and i["value"] for i in items)
    ):
        raise ApiError(400, f"{field} must be a list of {{value}} objects")
    return [i["value"] for i in items]


async def list_zones(request: Request) -> JSONResponse:
    state = get_state(request)
    company_or_404(state, require_query(request, "company"))
    zones = [
        {"id": z["id"], "name": z["name"], "site_id": z["site_id"], "is_active": z["is_active"]}
        for z in state.dns_domains
    ]
    return JSONResponse({"company": {"domains": zones}})


async def list_records(request: Request) -> JSONResponse:
    zone = _zone_or_404(request)
    return JSONResponse({"domain": {"dns_records": [_record_view(r) for r in zone["dns_records"]]}})


async def _parse(request: Request) -> tuple[SandboxState, dict[str, Any], dict[str, Any], str, str]:
    """(state, zone, body, type, name) of a change request."""
    zone = _zone_or_404(request)
    body = await read_json(request)
    kind, name = _key(body, zone)
    return get_state(request), zone, body, kind, name


def _existing(zone: dict[str, Any], kind: str, name: str) -> dict[str, Any]:
    record = _find(zone, kind, name)
    if record is None:
        raise ApiError(400, f"No {kind} record named {name}")
    return record


async def create_record(request: Request) -> JSONResponse:
    state, zone, body, kind, name = await _parse(request)
    ttl = _ttl(body, required=True)
    values = _values(body, "resource_records", required=True)
    if _find(zone, kind, name) is not None:
        raise ApiError(400, f"A {kind} record named {name} already exists")

    def done() -> None:
        zone["dns_records"].append(
            {"type": kind, "name": name, "ttl": ttl, "resource_records": [{"value": v} for v in dict.fromkeys(values)]}
        )

    op = state.start_operation("domains:create-dns-record", done)
    return accepted(op, "Creating a domain DNS record in progress")


async def update_record(request: Request) -> JSONResponse:
    state, zone, body, kind, name = await _parse(request)
    ttl = _ttl(body, required=False)
    new = _values(body, "new_resource_records", required=False)
    removed = _values(body, "removed_resource_records", required=False)
    record = _existing(zone, kind, name)
    current = [r["value"] for r in record["resource_records"]]
    missing = [v for v in removed if v not in current]
    if missing:
        raise ApiError(400, f"Value {missing[0]} is not in the {kind} record {name}")
    result = [v for v in current if v not in removed] + [v for v in new if v not in current]
    if not result:
        raise ApiError(400, "A DNS record needs at least one value; delete the record instead")

    def done() -> None:
        record["resource_records"] = [{"value": v} for v in dict.fromkeys(result)]
        if ttl is not None:
            record["ttl"] = ttl

    op = state.start_operation("domains:update-dns-record", done)
    return accepted(op, "Updating a domain DNS record in progress")


async def delete_record(request: Request) -> JSONResponse:
    state, zone, _, kind, name = await _parse(request)
    record = _existing(zone, kind, name)

    def done() -> None:
        zone["dns_records"][:] = [r for r in zone["dns_records"] if r is not record]

    return accepted(state.start_operation("domains:delete-dns-record", done), "Deleting domain DNS record in progress")


routes = [
    Route("/domains", list_zones, methods=["GET"]),
    Route("/domains/{domain_id}/dns-records", list_records, methods=["GET"]),
    Route("/domains/{domain_id}/dns-records", create_record, methods=["POST"]),
    Route("/domains/{domain_id}/dns-records", update_record, methods=["PUT"]),
    Route("/domains/{domain_id}/dns-records", delete_record, methods=["DELETE"]),
]
