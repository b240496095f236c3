"""What the application tool modules share (no tools here): the argument type, resolving an application
through the shared catalog, and reading its detail."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kinsta_mcp.api import applications as ep
from kinsta_mcp.models.applications import App, AppDetail
from kinsta_mcp.paas_refs import APPLICATION
from kinsta_mcp.planner import Planner

AppRef = Annotated[str, Field(description="App ID, name or display name")]


async def app_ref(plan: Planner, ref: str) -> App:
    """The listed application a reference names (one cached listing for every reference of a call)."""
    return App.model_validate(await plan.resource(APPLICATION, ref))


async def app_detail(plan: Planner, ref: str) -> AppDetail:
    """The application's detail: processes, deployments, connections."""
    found = await app_ref(plan, ref)
    return await plan.api.get(ep.APPLICATION, id=found.id)
