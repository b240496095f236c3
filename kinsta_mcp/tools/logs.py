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
from kinsta_mcp.timerange import iso, since_until
from kinsta_mcp.tools.args import EnvironmentRef, SiteRef

MAX_LINE = 2000  # characters; a longer line is cut so one request cannot flood the context

FILES = {"error": "error", "access": "access", "cache": "kinsta-cache-perf"}


class LogTail(Output):
    lines: list[str]

    def summary(self) -> str:
        return "\n".join(self.lines) or "No log lines match."


@tool("logs", Risk.READ, "Logs")
async def get_logs(
    plan: Planner,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    file: Literal["error", "access", "cache"] = "error",
    lines: Annotated[int, Field(ge=1, le=2000)] = 200,
    since: Annotated[str, Field(description="ISO 8601 (UTC), a date or a period: yesterday, last_1h…")] = "",
    until: Annotated[str, Field(description="a date includes its day")] = "",
    search: str = "",
) -> LogTail:
    """Tail an error, access or cache log; optional time window and text search."""
    moments = since_until(since, until, datetime.now(UTC))
    start, end = (iso(m) if m else "" for m in moments)
    if start and end and start >= end:
        raise InvalidInput(f"since ({start}) is not before until ({end}); both UTC.")
    target = await plan.target(site, environment)
    query: dict[str, str | int] = {"file_name": FILES[file], "lines": lines}
    query |= {k: v for k, v in (("from", start), ("to", end), ("search", search.strip())) if v}
    text = await plan.api.get(LOGS, query=query, env_id=target.env.id)
    tail = [line[:MAX_LINE] for line in str(text).splitlines() if line.strip()][-lines:]
    return LogTail(lines=tail)
