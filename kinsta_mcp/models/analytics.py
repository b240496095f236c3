"""Environment analytics and this-month usage, as Kinsta sends them.

The analytics answer 202 with the data: docs/api-notes.md#analytics-answer-202-with-data.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from kinsta_mcp.models.base import ApiModel


class AnalyticsAnswer(ApiModel):
    """`analytics.analytics_response` of every environment analytics endpoint: rows whose keys differ per
    metric (a series with `dataset`, a response code with `data`, a top entry with `name`/`ip` and a count)."""

    data: list[dict[str, Any]] = Field(default_factory=list)


class MonthUsage(ApiModel):
    """`site.this_month_usage` (visits, bandwidth) or `site.this_month_cdn_usage` (bandwidth)."""

    visits: Any = None  # a number, or a number as text
    bandwidth: Any = None
