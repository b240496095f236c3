"""What company_report answers: one row per site, environment or Sevalla object, and what is missing.

Rows are the same for every report so the output schema stays small; `value` is the ranked figure
(`measure` says what it is) and `note` the details a person reads.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import Field

from kinsta_mcp.models.base import ApiModel, Output
from kinsta_mcp.text import human_bytes

SHOWN_MISSING = 5
BYTES = frozenset({"bandwidth", "cdn", "disk"})
COUNTS = frozenset({"visits", "updates"})
NO_LABEL = "(no label)"
UNRANKED = frozenset({"domains", "client"})


class Row(ApiModel):
    site: str = Field("", description="Site, or a Sevalla object")
    environment: str = Field("", description="Or the object's kind")
    value: float = 0
    note: str = ""
    labels: list[str] = Field(default_factory=list)


class Report(Output):
    report: str = Field("", exclude=True)
    measure: str = Field(description="What value means, the window, the scope")
    rows: list[Row] = Field(default_factory=list, description="All, ranked")
    missing: list[str] = Field(default_factory=list, description="Not fetched, and why")
    limit: int = Field(10, exclude=True)
    groups: list[str] = Field(default_factory=list, exclude=True)  # extra text lines (versions, client)

    def fmt(self, value: float) -> str:
        if self.report in BYTES:
            return human_bytes(value)
        if self.report in COUNTS:
            return f"{value:,.0f}"
        return f"{value:,.1f}"

    def summary(self) -> str:
        lines = [self.measure]
        if not self.rows:
            lines.append("Nothing found.")
        elif self.groups:
            lines += self.groups
        else:
            rows = self.rows
            if self.report == "updates":  # the ones that need something; the rest are counted
                rows = [r for r in rows if r.value or r.note.startswith("VULNERABLE")]
            ranked = self.report not in UNRANKED
            for rank, row in enumerate(rows[: self.limit], 1):
                where = f" › {row.environment}" if row.environment else ""
                figure = f": {self.fmt(row.value)}" if ranked else ""
                note = f" — {row.note}" if row.note else ""
                lines.append(f"{f'{rank}.' if ranked else '-'} {row.site}{where}{figure}{note}")
            if len(rows) > self.limit:
                lines.append(f"… {len(rows) - self.limit} more in the data (limit={self.limit})")
            if self.report == "updates":
                lines.append(f"Up to date: {len(self.rows) - len(rows)} environment(s)")
            lines += self._by_label()
        if self.missing:
            lines.append(f"Missing {len(self.missing)}: " + "; ".join(self.missing[:SHOWN_MISSING]))
            if len(self.missing) > SHOWN_MISSING:
                lines.append(f"… {len(self.missing) - SHOWN_MISSING} more in `missing`")
        return "\n".join(lines)

    def _by_label(self) -> list[str]:
        """Per site label: how many sites carry it and the sum of their values (disk: of each latest use)."""
        if self.report not in BYTES | COUNTS or not any(r.labels for r in self.rows):
            return []
        total: dict[str, float] = defaultdict(float)
        sites: dict[str, set[str]] = defaultdict(set)
        for row in self.rows:
            for name in row.labels or [NO_LABEL]:
                total[name] += row.value
                sites[name].add(row.site)
        parts = [
            f"{name} {len(sites[name])} site{'s' if len(sites[name]) != 1 else ''}, {self.fmt(total[name])}"
            for name in sorted(total, key=lambda n: -total[n])
        ]
        return ["By label: " + "; ".join(parts)]

    def next_step(self) -> str:
        if not self.missing:
            return ""
        return (
            "Partial answer: the rows above are complete for what they name. To get the rest, call again "
            "with label= to narrow the scope, or later (KINSTA_MAX_WAIT sets the bound)."
        )
