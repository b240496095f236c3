"""Server logs of an environment (error, access, cache), as a plain tail."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import Field

from kinsta_mcp.api.logs import LOGS
from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.gate import Risk
from kinsta_mcp.models.base import Output
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef

MAX_LINE = 2000  # characters; a longer line is cut so one request cannot flood the context

FILES = {"error": "error", "access": "access", "cache": "kinsta-cache-perf"}


class LogTail(Output):
    lines: list[str]

    def summary(self) -> str:
        return "\n".join(self.lines) or "No log lines match."


def _instant(value: str, name: str) -> str:
    """An ISO 8601 date-time as Kinsta takes it (UTC, `Z`); '' stays ''."""
    text = value.strip()
    if not text:
        return ""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{name}={value!r} is not an ISO 8601 date-time such as 2026-10-01T08:00:00Z.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@tool("logs", Risk.READ, "Logs")
async def get_logs(
    plan: Planner,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    file: Literal["error", "access", "cache"] = "error",
    lines: Annotated[int, Field(ge=1, le=2000)] = 200,
    since: Annotated[str, Field(description="e.g. 2026-10-01T08:00:00Z")] = "",
    until: str = "",
    search: str = "",
) -> LogTail:
    """Tail an error, access or cache log; optional time window (ISO 8601) and text search."""
    start, end = _instant(since, "since"), _instant(until, "until")
    if start and end and start > end:
        raise InvalidInput(f"since ({start}) is after until ({end}).")
    target = await plan.target(site, environment)
    query: dict[str, str | int] = {"file_name": FILES[file], "lines": lines}
    query |= {k: v for k, v in (("from", start), ("to", end), ("search", search.strip())) if v}
    text = await plan.api.get(LOGS, query=query, env_id=target.env.id)
    tail = [line[:MAX_LINE] for line in str(text).splitlines() if line.strip()][-lines:]
    return LogTail(lines=tail)
