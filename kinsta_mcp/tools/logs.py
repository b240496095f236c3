"""Server logs of an environment (error, access, cache): a header, then the tail with repeats collapsed.

The search runs here, over up to SCAN lines of the window, so the header can say how many lines matched
of how many were read (the API's own `search` is undocumented: docs/api-notes.md#log-window). Lines are
cleaned, collapsed and capped the way app_logs does it (tools/log_lines.py). Log lines are untrusted:
the registry fences the summary; `next_step`, outside the fence, carries our own words and numbers only.
"""

from __future__ import annotations

import re
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
from kinsta_mcp.tools.log_lines import VOLATILE, cap, cap_note, clean, collapse

MAX_LINE = 2000  # characters; a longer line is cut so one request cannot flood the context
SCAN = 5000  # lines read when searching
FILES = {"error": "error", "access": "access", "cache": "kinsta-cache-perf"}
# nginx's error log starts with "2026/10/01 12:00:00"; access and cache lines carry "[01/Oct/2026:12:00:00 +0000]".
ERROR_TIME = re.compile(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)")
ACCESS_TIME = re.compile(r"\[(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\]")
# Beyond times and durations, what differs between repeats: nginx's date, worker and connection
# numbers ("1003#1003: *4005") and the request time that ends an access or cache line.
KINSTA_VOLATILE = re.compile(r"\d{4}/\d\d/\d\d|\b\d+#\d+: \*\d+|\b\d+\.\d+$")


class LogTail(Output):
    lines: list[str]
    start: str = ""
    end: str = ""
    matched: int = 0
    scanned: int = 0
    _head: str = ""
    _notes: str = ""

    def summary(self) -> str:
        return "\n".join([self._head + ":", *self.lines] if self.lines else [self._head + "."])

    def next_step(self) -> str:
        return self._notes


def _time(line: str) -> datetime | None:
    try:
        if found := ERROR_TIME.match(line):
            return datetime.strptime(found[1], "%Y/%m/%d %H:%M:%S").replace(tzinfo=UTC)
        if found := ACCESS_TIME.search(line):
            return datetime.strptime(found[1], "%d/%b/%Y:%H:%M:%S %z").astimezone(UTC)
    except ValueError:
        return None
    return None


def _rendered(line: str) -> tuple[str, str, str]:
    when = _time(line)
    return KINSTA_VOLATILE.sub("#", VOLATILE.sub("#", line)), line, f"{when:%H:%M:%S}" if when else ""


@tool("logs", Risk.READ, "Logs")
async def get_logs(
    plan: Planner,
    site: SiteRef = "",
    environment: EnvironmentRef = "",
    file: Literal["error", "access", "cache"] = "error",
    lines: Annotated[int, Field(ge=1, le=2000)] = 40,
    since: Annotated[str, Field(description="ISO 8601 (UTC), a date or a period: yesterday, last_1h…")] = "",
    until: Annotated[str, Field(description="a date includes its day")] = "",
    search: str = "",
) -> LogTail:
    """Tail an error, access or cache log: time window, text search, repeats collapsed."""
    now = datetime.now(UTC)
    moments = since_until(since, until, now)
    start, end = (iso(m) if m else "" for m in moments)
    if start and end and start >= end:
        raise InvalidInput(f"since ({start}) is not before until ({end}); both UTC.")
    target = await plan.target(site, environment)
    wanted = search.strip()
    asked = SCAN if wanted else lines
    query: dict[str, str | int] = {"file_name": FILES[file], "lines": asked}
    query |= {k: v for k, v in (("from", start), ("to", end)) if v}
    text = await plan.api.get(LOGS, query=query, env_id=target.env.id)
    read = [clean(line, MAX_LINE) for line in str(text).split("\n") if line.strip()][-asked:]
    matched = [line for line in read if wanted.lower() in line.lower()]
    tail = matched[-lines:]
    shown, left_out = cap(collapse(_rendered(line) for line in tail))
    first = next((t for t in map(_time, read) if t), None)
    out = LogTail(
        lines=shown,
        start=start or (iso(first) if first else ""),
        end=end or iso(now),
        matched=len(matched),
        scanned=len(read),
    )
    first_read = f"{out.start} (first line read)" if out.start else "its start"
    window = f"{start or first_read} to {out.end} UTC"
    counts = f"{len(matched)} of {len(read)} lines matched {wanted!r}" if wanted else f"{len(read)} lines"
    shown_part = f", the last {len(tail)} shown" if len(tail) < len(matched) else ""
    out._head = f"{file.title()} log of {target.label}, {window}: {counts}{shown_part}"
    if len(shown) < len(tail) - left_out:
        out._head += ", repeats collapsed"
    notes = [cap_note(left_out)] if left_out else []
    if wanted and len(read) >= asked:
        notes.append(f"Only the last {SCAN} lines were searched: narrow since/until for earlier ones.")
    elif len(tail) < len(matched) or (not left_out and len(read) >= asked):
        notes.append("Earlier lines may exist: raise lines or set until earlier.")
    out._notes = " ".join(notes)
    return out
