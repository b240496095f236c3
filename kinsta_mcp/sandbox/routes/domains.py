"""Site domains of an environment: list, add, remove, verification records, change primary.

Domains live on the seeded environment dicts (``env["domains"]``, ``env["primary_domain_id"]``) and
are changed in place, so ``GET /sites`` shows every change once its operation has finished.
"""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .. import seed
from ._common import ApiError, accepted, env_or_404, get_state, not_found_message, read_json, require_str

SETUP_TYPES = ("quick", "avoid_downtime")
TEMPORARY_SUFFIX = ".kinsta.cloud"


def _site_domain_view(domain: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": domain["id"],
        "name": domain["name"],
        # Temporary domains are served from Kinsta's own Cloudflare zone.
        "uses_cloudflare_dns": domain["name"].endswith(TEMPORARY_SUFFIX),
    }


def _bool(body: dict[str, Any], name: str, *, required: bool = False) -> bool:
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(400, f"{name} is required")
        return False
    if not isinstance(value, bool):
        raise ApiError(400, f"{name} must be a boolean")
    return value


def _new_domain(env: dict[str, Any], name: str) -> dict[str, Any]:
    return {
        "id": seed.stable_id("site-domain", name),
        "name": name,
        "site_id": env["site_id"],
        "is_active": True,
        "type": "live" if env["name"] == "live" else "staging",
    }


def _all_names(state: Any) -> set[str]:
    return {d["name"] for site in state.sites for env in site["environments"] for d in env["domains"]}


async def list_domains(request: Request) -> JSONResponse:
    _, env = env_or_404(get_state(request), request.path_params["env_id"])
    return JSONResponse({"environment": {"site_domains": [_site_domain_view(d) for d in env["domains"]]}})


async def add_domain(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    body = await read_json(request)
    name = require_str(body, "domain_name").strip().lower()
    wildcardless = _bool(body, "is_wildcardless")
    with_www = _bool(body, "add_with_www_subdomain")
    setup_type = body.get("setup_type", "quick")
    if with_www and wildcardless:
        raise ApiError(400, "add_with_www_subdomain cannot be used together with is_wildcardless")
    if setup_type not in SETUP_TYPES:
        raise ApiError(400, f"setup_type must be one of: {', '.join(SETUP_TYPES)}")
    has_cert, has_key = bool(body.get("custom_ssl_cert")), bool(body.get("custom_ssl_key"))
    if has_cert != has_key:
        raise ApiError(400, "custom_ssl_cert and custom_ssl_key must be provided together")
    names = [name] + ([f"www.{name}"] if with_www and not name.startswith("www.") else [])
    taken = [n for n in names if n in _all_names(state)]
    if taken:
        raise ApiError(400, f"Domain {taken[0]} is already added to a site")

    def done() -> None:
        for n in names:
            if n not in _all_names(state):
                domain = _new_domain(env, n)
                # Bookkeeping only; never part of a response (views list their fields).
                domain.update(setup_type=setup_type, is_wildcardless=wildcardless, custom_ssl=has_cert)
                env["domains"].append(domain)

    return accepted(state.start_operation("sites:add-domain", done), "Adding site domain in progress")


async def delete_domains(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    ids = (await read_json(request)).get("domain_ids")
    if not ids or not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ApiError(400, "domain_ids is required and must be a list of domain ids")
    known = {d["id"] for d in env["domains"]}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ApiError(400, f"Domain {unknown[0]} does not belong to this environment")
    if env["primary_domain_id"] in ids:
        raise ApiError(400, "The primary domain cannot be deleted; change the primary domain first")

    def done() -> None:
        env["domains"][:] = [d for d in env["domains"] if d["id"] not in ids]

    return accepted(state.start_operation("sites:delete-domain", done), "Deleting site domain in progress")


def _verification_value(name: str) -> str:
    return f"{name}.{hashlib.sha256(name.encode()).hexdigest()[:12]}.kinstavalidation.app"


async def verification_records(request: Request) -> JSONResponse:
    state = get_state(request)
    domain_id = request.path_params["site_domain_id"]
    for site in state.sites:
        for env in site["environments"]:
            for domain in env["domains"]:
                if domain["id"] != domain_id:
                    continue
                name = domain["name"]
                if name.endswith(TEMPORARY_SUFFIX):  # Kinsta's own domain: nothing to set up
                    records: dict[str, list[dict[str, str]]] = {"verification_records": [], "pointing_records": []}
                else:
                    records = {
                        "verification_records": [
                            {"name": f"_acme-challenge.{name}", "value": _verification_value(name), "type": "CNAME"}
                        ],
                        "pointing_records": [{"name": name, "value": env["ssh_ip"], "type": "A"}],
                    }
                return JSONResponse({"site_domain": records})
    raise ApiError(404, not_found_message("site domain", domain_id))


async def change_primary_domain(request: Request) -> JSONResponse:
    state = get_state(request)
    _, env = env_or_404(state, request.path_params["env_id"])
    body = await read_json(request)
    domain_id = require_str(body, "domain_id")
    search_replace = _bool(body, "run_search_and_replace", required=True)
    domain = next((d for d in env["domains"] if d["id"] == domain_id), None)
    if domain is None:
        raise ApiError(400, f"Domain {domain_id} does not belong to this environment")

    def done() -> None:
        old = next((d["name"] for d in env["domains"] if d["id"] == env["primary_domain_id"]), "")
        env["primary_domain_id"] = domain_id
        if search_replace:
            env["last_search_replace"] = {"from": old, "to": domain["name"]}

    op = state.start_operation("sites:change-primary-domain", done)
    return accepted(op, "Changing primary site domain in progress")


routes = [
    Route("/sites/environments/{env_id}/domains", list_domains, methods=["GET"]),
    Route("/sites/environments/{env_id}/domains", add_domain, methods=["POST"]),
    Route("/sites/environments/{env_id}/domains", delete_domains, methods=["DELETE"]),
    Route("/sites/environments/domains/{site_domain_id}/verification-records", verification_records, methods=["GET"]),
    Route("/sites/environments/{env_id}/change-primary-domain", change_primary_domain, methods=["PUT"]),
]
