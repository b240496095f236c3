"""Application and database metrics as the PaaS APIs send them (docs/api-notes.md#metric-values-and-units).

Points keep their raw shape (values and times arrive as numbers or as text); the tool parses them.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from kinsta_mcp.models.base import ApiModel


class V2Process(ApiModel):
    """A process of a v2 CPU or memory answer, with its series under `metrics`."""

    id: str = ""
    process_name: str = ""
    cpu_limit: Any = None  # millicores or cores, as a number or text
    memory_limit: Any = None  # MB or bytes
    metrics: dict[str, Any] = Field(default_factory=dict)


class V2App(ApiModel):
    """`app` of a v2 metric answer: `metrics` (series and `timeframe`), or `processes` for CPU and memory."""

    metrics: dict[str, Any] = Field(default_factory=dict)
    processes: list[V2Process] = Field(default_factory=list)


class V3Average(ApiModel):
    """`GET /applications/{id}/metrics/response-time-avg` on v3."""

    average_response_time_ms: Any = None
