"""Company users, regions, API keys and the activity log: one tool, to keep the tool list small."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import company as ep
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Risk
from kinsta_mcp.models.base import ApiModel
from kinsta_mcp.models.company import ActivityItem, ApiKey, Region, User
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.text import iso_from_ms

What = Literal["users", "regions", "api_keys", "activity"]
Category = Literal[
    "all", "siteActions", "kinstaDns", "migrations", "billing", "notifications", "userManagement",
    "personalSettings", "samlSso",
]  # fmt: skip
Language = Literal["en", "da", "de", "es", "fr", "it", "ja", "nl", "pt", "sv"]

MAX_TEXT = 300  # per text field: activity text is written by people and plugins, keep it bounded
MAX_DESCRIPTIONS = 5


class Activity(ApiModel):
    id: int
    created_at: int = Field(0, description="Epoch ms")
    type: str = ""
    state: str = Field("done", description="done, failed, warning or running")
    site_id: str = ""
    by: str = Field("", description="Who started it (user, role, API key)")
    ip_address: str = ""
    descriptions: list[str] = Field(default_factory=list)
    error: str = ""


class CompanyInfo(Page):
    what: str
    users: list[User] = Field(default_factory=list)
    regions: list[Region] = Field(default_factory=list)
    api_keys: list[ApiKey] = Field(default_factory=list)
    activity: list[Activity] = Field(default_factory=list)

    def summary(self) -> str:
        if self.what == "users":
            lines = [f"Company users: {self.page_note('users')}"]
            lines += [_user_line(u) for u in self.users]
        elif self.what == "regions":
            lines = [f"Regions for new sites: {self.page_note('regions')}", ", ".join(r.region for r in self.regions)]
        elif self.what == "api_keys":
            lines = [f"API keys (Kinsta never returns key values): {self.page_note('keys')}"]
            lines += [
                f"- {k.name}: {k.status}, {'expires ' + k.expires_at if k.expires_at else 'no expiry'} (id {k.id})"
                for k in self.api_keys
            ]
        else:
            lines = [f"Activity log, newest first: {self.page_note('entries')}"]
            lines += [_activity_line(a) for a in self.activity]
        return "\n".join(lines)


def _user_line(u: User) -> str:
    line = f"- {u.full_name} <{u.email}>"
    if u.two_factor:
        line += f", 2FA {u.two_factor}"
    return line + (f"; can: {', '.join(u.capabilities)}" if u.capabilities else "")


def _activity_line(a: Activity) -> str:
    when = iso_from_ms(a.created_at) if a.created_at else "?"
    line = f"- {when} {'; '.join(a.descriptions) or a.type} [{a.state}]"
    if a.by:
        line += f" by {a.by}"
    if a.error:
        line += f". Error: {a.error}"
    return line


def _text(value: Any) -> str:
    return str(value).strip()[:MAX_TEXT] if value is not None else ""


def _activity(item: ActivityItem) -> Activity:
    person, key = item.initiated_by, item.api_key_info
    by = _text(person.full_name or person.first_name or person.id)
    if by and person.role:
        by += f" ({_text(person.role)})"
    if key is not None:
        by += f" via API key {_text(key.name or key.id)}"
    state = (
        "failed" if item.has_failed
        else "warning" if item.has_warning
        else "done" if item.is_done
        else "running"
    )  # fmt: skip
    return Activity(
        id=int(item.id),
        created_at=int(item.created_at),
        type=_text(item.type),
        state=state,
        site_id=_text(item.site_id),
        by=by.strip(),
        ip_address=_text(item.ip_address),
        descriptions=[_text(d) for d in item.descriptions[:MAX_DESCRIPTIONS]],
        error=_text(item.public_error) if state in ("failed", "warning") else "",
    )


def _api_key(item: dict[str, Any] | ApiKey) -> ApiKey:
    key = item if isinstance(item, ApiKey) else ApiKey.model_validate(item)
    return ApiKey(id=_text(key.id), name=_text(key.name), status=_text(key.status), expires_at=_text(key.expires_at))


async def _activity_page(
    plan: Planner, site: str, category: str, language: str, limit: int, offset: int
) -> CompanyInfo:
    query: dict[str, Any] = {"limit": limit, "offset": offset, "language": language}
    if category != "all":
        query["category"] = category
    if site.strip():
        query["site_id"] = (await plan.site(site)).id
    elif plan.settings.allowed_sites:
        raise InvalidInput(
            "This server may touch only some sites (KINSTA_ALLOWED_SITES), so the company-wide activity log "
            "is not shown: pass `site`."
        )
    logs = await plan.api.get(ep.ACTIVITY_LOGS, query=query, id=plan.company_id)
    items = [_activity(i) for i in logs.items][:limit]
    total = max(int(logs.total), offset + len(items))
    end = offset + len(items)
    return CompanyInfo(
        what="activity", activity=items, total=total, offset=offset, returned=len(items),
        next_offset=end if items and end < total else -1,
    )  # fmt: skip


LISTS = {"users": ep.USERS, "regions": ep.REGIONS, "api_keys": ep.API_KEYS}


@tool("company", Risk.READ, "Company info")
async def company_info(
    plan: Planner,
    what: What,
    site: Annotated[str, Field(description="activity: only this site")] = "",
    category: Category = "all",
    language: Language = "en",
    limit: Limit = 50,
    offset: Offset = 0,
) -> CompanyInfo:
    """Company users, regions for new sites, API keys (status, expiry; never values) or the activity log."""
    if what != "activity" and (site.strip() or category != "all"):
        raise InvalidInput("site and category filter only what=activity.")
    if what == "activity":
        return await _activity_page(plan, site, category, language, limit, offset)
    page, fields = cut(await plan.api.get(LISTS[what], id=plan.company_id), limit, offset)
    if what == "users":
        return CompanyInfo(what=what, users=page, **fields)
    if what == "regions":
        return CompanyInfo(what=what, regions=page, **fields)
    return CompanyInfo(what=what, api_keys=[_api_key(i) for i in page], **fields)
