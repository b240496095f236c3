"""Company-level reads, plus GET /validate (it reports the key's company)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._common import company_or_404, get_state


async def validate(request: Request) -> JSONResponse:
    state = get_state(request)
    return JSONResponse(
        {
            "name": state.api_key_name,
            "expires_at": state.api_key_expires_at,
            "company": state.company_id,
            "status": "active",
        }
    )


async def list_users(request: Request) -> JSONResponse:
    state = get_state(request)
    company_or_404(state, request.path_params["id"])
    users = [
        {"user": {"id": u["id"], "email": u["email"], "image": u["image"], "full_name": u["full_name"]}}
        for u in state.users
    ]
    return JSONResponse({"company": {"users": users}})


async def list_regions(request: Request) -> JSONResponse:
    state = get_state(request)
    company_or_404(state, request.path_params["id"])
    regions = [{"name": r["name"], "region": r["region"]} for r in state.regions]
    return JSONResponse({"company": {"available_regions": regions}})


routes = [
    Route("/validate", validate, methods=["GET"]),
    Route("/company/{id}/users", list_users, methods=["GET"]),
    Route("/company/{id}/available-regions", list_regions, methods=["GET"]),
]
