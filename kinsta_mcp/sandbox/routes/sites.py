"""WordPress sites: list, get, delete, and a site's environments."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._common import (
    accepted,
    company_or_404,
    environment_full_view,
    environment_slim_view,
    get_state,
    query_bool,
    require_query,
    site_or_404,
)


def _site_list_view(site: dict[str, Any], include_environments: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": site["id"],
        "name": site["name"],
        "display_name": site["display_name"],
        "status": site["status"],
        "siteLabels": [{"id": label["id"], "name": label["name"]} for label in site["labels"]],
    }
    # Kinsta omits the key entirely unless asked, rather than sending [].
    if include_environments:
        view["environments"] = [environment_full_view(env) for env in site["environments"]]
    return view


async def list_sites(request: Request) -> JSONResponse:
    state = get_state(request)
    company_id = require_query(request, "company")
    include_environments = query_bool(request, "include_environments")
    company_or_404(state, company_id)
    sites = [_site_list_view(site, include_environments) for site in state.sites]
    return JSONResponse({"company": {"sites": sites}})


async def get_site(request: Request) -> JSONResponse:
    site = site_or_404(get_state(request), request.path_params["site_id"])
    return JSONResponse(
        {
            "site": {
                "id": site["id"],
                "name": site["name"],
                "display_name": site["display_name"],
                "company_id": site["company_id"],
                "status": site["status"],
                "environments": [environment_slim_view(env) for env in site["environments"]],
            }
        }
    )


async def delete_site(request: Request) -> JSONResponse:
    state = get_state(request)
    site = site_or_404(state, request.path_params["site_id"])

    def remove() -> None:
        # By identity: the same site may already be gone via a parallel delete.
        state.sites[:] = [s for s in state.sites if s is not site]

    op = state.start_operation("sites:delete", remove)
    return accepted(op, "Deleting site in progress")


async def list_environments(request: Request) -> JSONResponse:
    site = site_or_404(get_state(request), request.path_params["site_id"])
    return JSONResponse({"site": {"environments": [environment_full_view(env) for env in site["environments"]]}})


routes = [
    Route("/sites", list_sites, methods=["GET"]),
    Route("/sites/{site_id}", get_site, methods=["GET"]),
    Route("/sites/{site_id}", delete_site, methods=["DELETE"]),
    Route("/sites/{site_id}/environments", list_environments, methods=["GET"]),
]
