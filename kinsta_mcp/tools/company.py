"""Company users, regions, API keys and the activity log: one tool, to keep the tool list small."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.call import Call
from kinsta_mcp.client import segment
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.models.base import ApiModel
from kinsta_mcp.models.company import Region, User
from kinsta_mcp.paging import Limit, Offset, Page, cut
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.text import iso_from_ms

What = Literal["users", "regions", "api_keys", "activity"]
Category = Literal[
    "all", "siteActions", "kinstaDns", "migrations", "billing", "notifications", "userManagement",
    "personalSettings", "samlSso",
]  # fmt: skip
Language = Literal["en", "da", "de", "es", "fr", "it", "ja", "nl", "pt", "sv"]

MAX_TEXT = 300  # per text field: activity text is written by people and plugins, keep it bounded
MAX_DESCRIPTIONS = 5


class ApiKey(ApiModel):
    id: str = ""
    name: str = ""
    status: str = ""
    expires_at: str = ""


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
            lines += [f"- {u.full_name} <{u.email}>" for u in self.users]
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


def _activity(item: dict[str, Any]) -> Activity:
    person = item.get("initiated_by") if isinstance(item.get("initiated_by"), dict) else {}
    key = item.get("api_key_info") if isinstance(item.get("api_key_info"), dict) else {}
    by = _text(person.get("full_name") or person.get("first_name") or person.get("id"))
    if by and person.get("role"):
        by += f" ({_text(person['role'])})"
    if key:
        by += f" via API key {_text(key.get('name') or key.get('id'))}"
    state = (
        "failed" if item.get("has_failed")
        else "warning" if item.get("has_warning")
        else "done" if item.get("is_done", True)
        else "running"
    )  # fmt: skip
    descriptions = item.get("descriptions") if isinstance(item.get("descriptions"), list) else []
    return Activity(
        id=int(float(item.get("id") or 0)),
        created_at=int(float(item.get("created_at") or 0)),
        type=_text(item.get("type")),
        state=state,
        site_id=_text(item.get("site_id")),
        by=by.strip(),
        ip_address=_text(item.get("ip_address")),
        descriptions=[_text(d) for d in descriptions[:MAX_DESCRIPTIONS]],
        error=_text(item.get("public_error")) if state in ("failed", "warning") else "",
    )


def _api_key(item: dict[str, Any]) -> ApiKey:
    # Only these four fields are read: nothing credential-like Kinsta might add can pass through.
    return ApiKey(**{k: _text(item.get(k) or "") for k in ("id", "name", "status", "expires_at")})


async def _activity_page(
    call: Call, site: str, category: str, language: str, limit: int, offset: int
) -> CompanyInfo:
    params: dict[str, Any] = {"limit": limit, "offset": offset, "language": language}
    if category != "all":
        params["category"] = category
    if site.strip():
        params["site_id"] = (await call.site(site)).id
    elif call.settings.allowed_sites:
        raise InvalidInput(
            "This server may touch only some sites (KINSTA_ALLOWED_SITES), so the company-wide activity log "
            "is not shown: pass `site`."
        )
    response = await call.api.get(f"/company/{segment(call.company_id)}/activity-logs", params=params)
    logs = ((response.data or {}).get("company") or {}).get("activity_logs") or {}
    items = [_activity(i) for i in logs.get("items") or [] if isinstance(i, dict)][:limit]
    total = max(int(float(logs.get("total") or 0)), offset + len(items))
    end = offset + len(items)
    return CompanyInfo(
        what="activity", activity=items, total=total, offset=offset, returned=len(items),
        next_offset=end if items and end < total else -1,
    )  # fmt: skip


@tool("company", Risk.READ, "Company info")
async def company_info(
    call: Call,
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
        return await _activity_page(call, site, category, language, limit, offset)
    path, key = {"users": ("users", "users"), "regions": ("available-regions", "available_regions"),
                 "api_keys": ("api-keys", "api_keys")}[what]  # fmt: skip
    data = (await call.api.get(f"/company/{segment(call.company_id)}/{path}")).data or {}
    raw = [i for i in (data if what == "api_keys" else data.get("company") or {}).get(key) or [] if isinstance(i, dict)]
    page, fields = cut(raw, limit, offset)
    if what == "users":
        return CompanyInfo(what=what, users=[User.model_validate(i) for i in page], **fields)
    if what == "regions":
        return CompanyInfo(what=what, regions=[Region.model_validate(i) for i in page], **fields)
    return CompanyInfo(what=what, api_keys=[_api_key(i) for i in page], **fields)
