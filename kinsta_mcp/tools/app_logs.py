"""Runtime, access and build logs of applications and static sites: one read tool (Sevalla API v3 only).

The API has no text search we can rely on (its `filters` documents only EQUALS), so search filters
here, over up to 5,000 entries; a build log is read whole (up to 5,000 entries) so a failed one can
show the lines around its first error, not just its tail. Without a window a build log starts a
minute before its deployment was created: the API's default (the last hour) would miss any older build.
Log lines are untrusted: the registry fences the summary; `next_step`, outside the fence, carries our
own words and numbers only.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import applications as apps
from kinsta_mcp.api import paas_logs as ep
from kinsta_mcp.api import static_sites as sites
from kinsta_mcp.api.common import APP_DEPLOYMENT
from kinsta_mcp.api.endpoint import Base
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Risk
from kinsta_mcp.models.base import Output
from kinsta_mcp.paas_refs import APPLICATION, STATIC_SITE, label
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.timerange import CLOCK_SKEW, iso, since_until
from kinsta_mcp.tools.app_common import AppRef
from kinsta_mcp.tools.log_lines import MAX_BYTES as MAX_BYTES  # the cap, for tests
from kinsta_mcp.tools.log_lines import VOLATILE, Rendered, cap, cap_note, clean, collapse

MAX_LINE = 1000  # characters; a longer line is cut
BEFORE, AFTER, TAIL = 5, 15, 5  # a failed build: lines before and after its first error, and its last lines
DEFAULT_WINDOW = timedelta(hours=1)  # the API's own default
BUILD_LEAD = timedelta(minutes=1)
FINAL = ("success", "failed", "cancelled", "error")
ERROR_LINE = re.compile(r"\b(error|failed|fatal|exception)\b|\bERR!", re.IGNORECASE)
NEEDS_KEY = (
    "Application and static-site logs come from the Sevalla API v3, which needs a Sevalla API key: set "
    "SEVALLA_API_KEY (Sevalla dashboard > Company settings > API Keys). WordPress site logs: get_logs."
)


class AppLogs(Output):
    log: str
    start: str
    end: str
    scanned: int = 0
    matched: int = 0
    lines: list[str] = Field(default_factory=list)
    deployment: str = ""
    status: str = ""
    first_error: int = 0  # its place among the matched entries, from 1
    left_out: int = 0  # lines over the byte cap
    more: bool = False  # the API sent as many entries as asked: the window may hold earlier ones
    tail: int = 0  # the last matched entries shown, when not all of them are

    def summary(self) -> str:
        head = f"{self.log}, {self.start} to {self.end} UTC: {self.matched} of {self.scanned} entries matched"
        if self.tail:
            head += f", the last {self.tail} shown"
        if self.first_error:
            head += f"; first error at entry {self.first_error}, shown with the lines around it and the last ones"
        return "\n".join([head + ":", *self.lines] if self.lines else [head + "."])

    def next_step(self) -> str:
        notes = []
        if self.left_out:
            notes.append(cap_note(self.left_out))
        if self.tail:
            notes.append("Raise lines for earlier matching entries.")
        if self.deployment and self.status and self.status.lower() not in FINAL:
            notes.append("The deployment has not finished: call again later for the rest of its log.")
        if self.more and self.scanned >= ep.MAX_LIMIT:
            notes.append(f"Only the API's maximum of {ep.MAX_LIMIT} entries was read: narrow since/until.")
        elif self.more:
            notes.append("Earlier entries may exist: raise lines or set until earlier.")
        return " ".join(notes)


def _when(entry: ep.LogEntry) -> str:
    """UTC time of an entry from its unix timestamp (µs, as documented; s or ms are recognised too)."""
    stamp = entry.unix_timestamp
    if stamp <= 0:
        return _clean(entry.timestamp)
    seconds = stamp / 1e6 if stamp > 1e14 else stamp / 1e3 if stamp > 1e11 else stamp
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def _clean(text: str) -> str:
    return clean(text, MAX_LINE)


def _render(entry: ep.LogEntry, kind: str) -> tuple[str, str, str]:
    """(what makes two entries repeats, the line, its time)."""
    severity = _clean(entry.severity.upper())
    container = entry.tags.get("container") if kind == "runtime" else None
    where = f"[{_clean(container)}] " if isinstance(container, str) and container else ""
    message = _clean(entry.message)
    when = _when(entry)
    line = f"{when} {severity + ' ' if severity not in ('', 'INFO') else ''}{where}{message}"
    return f"{severity}|{where}{VOLATILE.sub('#', message)}", line, when


def _collapse(rendered: list[Rendered]) -> list[str]:
    """Consecutive repeats become their first line with a count and the time of day of the last."""
    return collapse((key, line, when[11:]) for key, line, when in rendered)


def _window(since: str, until: str, now: datetime, opened: datetime | None) -> tuple[datetime, datetime]:
    given_start, given_end = since_until(since, until, now)
    end = given_end or now
    if end > now + CLOCK_SKEW:
        raise InvalidInput(f"until {iso(end)} is in the future (now is {iso(now)} UTC): leave it empty for now.")
    end = min(end, now)
    start = given_start or opened or end - DEFAULT_WINDOW
    if start >= end:
        raise InvalidInput(f"since {iso(start)} is not before until {iso(end)} (UTC; no offset = UTC).")
    return start, end


def _checked(application: str, static_site: str, kind: str, deployment: str, plan: Planner) -> None:
    """Refuses what cannot work before any request."""
    if not plan.api.has(Base.V3):
        raise InvalidInput(NEEDS_KEY)
    if application.strip() and static_site.strip():
        raise InvalidInput("Give either application or static_site, not both.")
    if not (application.strip() or static_site.strip()):
        raise InvalidInput("Say which application or static_site (ID, name or display name).")
    if static_site.strip() and kind == "runtime":
        raise InvalidInput("A static site has no runtime log: use kind=access or kind=build.")
    if deployment.strip() and kind != "build":
        raise InvalidInput("deployment is for kind=build.")


async def _deployment(plan: Planner, item: dict[str, Any], on_site: bool, ref: str) -> tuple[str, str, datetime]:
    """(id, status, created) of the deployment `ref` names ('' or latest: the newest), found through the
    app's or site's detail; an app's detail has no statuses, so its deployment is read for that."""
    if on_site:
        site = await plan.api.get(sites.STATIC_SITE, id=item["id"])
        found = [(d.id, d.created_at, d.status) for d in site.deployments]
    else:
        app = await plan.api.get(apps.APPLICATION, id=item["id"])
        found = [(d.id, d.created_at, "") for d in app.deployments]
    found.sort(key=lambda d: d[1], reverse=True)
    wanted = ref.strip().lower()
    pick = found[0] if found and wanted in ("", "latest") else next((d for d in found if d[0].lower() == wanted), None)
    if pick is None:
        where = (
            f"list_static_sites static_site={item['id']}" if on_site else f"list_applications application={item['id']}"
        )
        what = f"no deployment {ref.strip()!r}" if found else "no deployments yet"
        raise InvalidInput(f"{label(item)} has {what}: {where} shows them; or use deployment=latest.")
    ident, created, status = pick
    if not on_site:
        status = (await plan.api.get(APP_DEPLOYMENT, deployment_id=ident)).status
    return ident, status, datetime.fromtimestamp(created / 1000, UTC)


def _first_error(entries: list[ep.LogEntry]) -> int | None:
    return next(
        (i for i, e in enumerate(entries) if e.severity.upper() in ("ERROR", "FATAL") or ERROR_LINE.search(e.message)),
        None,
    )


def _shown(entries: list[ep.LogEntry], kind: str, lines: int, focus: int | None) -> tuple[list[str], int]:
    """The lines to show and how many were left out for the byte cap: the tail, or (a failed build) the
    lines around its first error and its last ones, each part with its repeats collapsed."""
    if focus is None:
        return cap(_collapse([_render(e, kind) for e in entries[-lines:]]))
    first, last = max(0, focus - BEFORE), focus + AFTER + 1
    shown = ([f"… {first} earlier lines"] if first else []) + _collapse([_render(e, kind) for e in entries[first:last]])
    rest = max(last, len(entries) - TAIL)
    if rest > last:
        shown.append(f"… {rest - last} lines")
    shown += _collapse([_render(e, kind) for e in entries[rest:]])
    return cap(shown, keep_start=True)


@tool("app_logs", Risk.READ, "App logs")
async def app_logs(
    plan: Planner,
    application: AppRef = "",
    static_site: Annotated[str, Field(description="Instead of application")] = "",
    kind: Literal["runtime", "access", "build"] = "runtime",
    deployment: Annotated[str, Field(description="build: ID or latest")] = "",
    lines: Annotated[int, Field(ge=1, le=1000)] = 100,
    since: Annotated[
        str,
        Field(description="ISO 8601 (UTC), date or period (last_1h, yesterday…); default 1h ago, build: its start"),
    ] = "",
    until: str = "",
    search: str = "",
) -> AppLogs:
    """Tail an app's or static site's runtime, access or build log: time window, text search, repeats collapsed."""
    _checked(application, static_site, kind, deployment, plan)
    on_site = bool(static_site.strip())
    now = datetime.now(UTC)
    if since.strip() or until.strip():
        _window(since, until, now, None)  # a wrong time is refused before any request
    item = await plan.resource(STATIC_SITE if on_site else APPLICATION, static_site or application)
    name = f"{kind.title()} log of {label(item)}"
    path: dict[str, str] = {"id": str(item["id"])}
    opened = status = None
    if kind == "build":
        path["deployment_id"], status, created = await _deployment(plan, item, on_site, deployment)
        name = f"Build log of deployment {path['deployment_id']} ({status or 'status unknown'}) of {label(item)}"
        opened = created - BUILD_LEAD
    start, end = _window(since, until, now, opened)
    endpoint = {
        (False, "runtime"): ep.APP_RUNTIME_LOGS,
        (False, "access"): ep.APP_ACCESS_LOGS,
        (False, "build"): ep.APP_DEPLOYMENT_LOGS,
        (True, "access"): ep.STATIC_SITE_ACCESS_LOGS,
        (True, "build"): ep.STATIC_SITE_DEPLOYMENT_LOGS,
    }[(on_site, kind)]
    limit = ep.MAX_LIMIT if search.strip() or kind == "build" else lines
    query = {"from": iso(start, millis=True), "to": iso(end, millis=True), "limit": limit}
    entries: list[ep.LogEntry] = sorted(
        await plan.api.get(endpoint, query=query, **path), key=lambda e: e.unix_timestamp
    )
    wanted = search.strip().lower()
    matched = [e for e in entries if wanted in f"{e.severity} {e.message}".lower()] if wanted else entries
    failed = bool(status and re.search("fail|error", status, re.IGNORECASE))
    focus = _first_error(matched) if failed and not wanted else None
    shown, left_out = _shown(matched, kind, lines, focus)
    if wanted:
        name += f" matching {search.strip()!r}"
    return AppLogs(
        log=name,
        start=iso(start),
        end=iso(end),
        scanned=len(entries),
        matched=len(matched),
        lines=shown,
        deployment=path.get("deployment_id", ""),
        status=status or "",
        first_error=focus + 1 if focus is not None else 0,
        left_out=left_out,
        more=len(entries) >= limit,
        tail=lines if focus is None and len(matched) > lines else 0,
    )
