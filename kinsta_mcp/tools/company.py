"""Company users and regions."""

from __future__ import annotations

from kinsta_mcp.call import Call
from kinsta_mcp.client import segment
from kinsta_mcp.models.base import Output
from kinsta_mcp.models.company import Region, User
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk


class UserList(Output):
    total: int
    users: list[User]

    def summary(self) -> str:
        return f"{self.total} company users:\n" + "\n".join(f"- {u.full_name} <{u.email}>" for u in self.users)


class RegionList(Output):
    total: int
    regions: list[Region]

    def summary(self) -> str:
        return f"{self.total} regions for new sites: " + ", ".join(r.region for r in self.regions)


@tool("company", Risk.READ, "List company users")
async def list_users(call: Call) -> UserList:
    """List the people in the Kinsta company (name and email)."""
    response = await call.api.get(f"/company/{segment(call.company_id)}/users")
    items = ((response.data or {}).get("company") or {}).get("users") or []
    users = [User.model_validate(item) for item in items]
    return UserList(total=len(users), users=users)


@tool("company", Risk.READ, "List regions")
async def list_regions(call: Call) -> RegionList:
    """List the data-center regions available for new sites (the `region` codes site creation takes)."""
    response = await call.api.get(f"/company/{segment(call.company_id)}/available-regions")
    items = ((response.data or {}).get("company") or {}).get("available_regions") or []
    regions = [Region.model_validate(item) for item in items]
    return RegionList(total=len(regions), regions=regions)
