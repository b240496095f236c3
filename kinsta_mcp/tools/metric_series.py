"""What app_metrics shows: the series model, its text, and the parsing of times, values and units.

Values. v2 sends strings ("12345", ms-epoch times as strings; the docs even show "value"): they are
parsed with float(); an unreadable point is dropped, not turned into 0. Units: bytes for bandwidth,
memory and storage; CPU in cores (v3 documents cores; a series whose values or limit look like
millicores, above 64, is divided by 1000); a memory limit below 1,000,000 is taken as MB (the v2
process objects' `memory_limit: 512`). Times become ISO 8601 UTC.

Text. The summary gives totals, averages and peaks, then at most SHOWN lines per series: every point
when they fit, else one line per UTC day (sums for bytes and seconds, mean and peak otherwise), else
the latest points with a count of those left out. structuredContent keeps every point.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from pydantic import Field

from kinsta_mcp.models.base import ApiModel, Output
from kinsta_mcp.text import human_bytes, number
from kinsta_mcp.timerange import DAY, iso, name_of

LIMITED = {"slowest_requests", "top_pages", "top_countries"}
SUMMED = {"bandwidth", "build_time", "run_time"}  # the window's value is the sum of its points
ONE_NUMBER = {"response_time_avg"}  # one value for the whole window
TITLES = {"http_requests": "HTTP requests per minute", "response_time_avg": "Average response time",
          "cpu_usage": "CPU usage", "slowest_requests": "Slowest requests"}  # fmt: skip
SHOWN = 31  # lines of one series in the summary
MILLICORES = 64  # a CPU number above this is millicores
MB_LIMIT = 1_000_000  # a memory/storage limit below this is MB


class Point(ApiModel):
    time: str = ""
    value: float = 0


class Series(ApiModel):
    name: str = ""
    limit: float = 0  # cores or bytes; 0 when not given
    points: list[Point] = Field(default_factory=list)


class Row(ApiModel):
    name: str = ""
    value: float = 0  # in `unit` (requests for top_pages)
    count: float = 0  # requests


class Metrics(Output):
    """The raw data and the window; totals, means and peaks are in the text (derived from the series).

    Every field has a default, so the output schema needs no `required` list (tools/list budget).
    """

    label: str = ""
    id: str = ""
    metric: str = ""
    unit: str = ""
    start: str = ""  # the API's timeframe when it sends one, else the window asked for
    end: str = ""
    interval_seconds: int = 0
    series: list[Series] = Field(default_factory=list)
    rows: list[Row] = Field(default_factory=list)
    percent: int = 0  # response_time P50/P95, as asked
    api: str = ""  # which API answered: Kinsta, Sevalla v2, Sevalla v3

    # ----- text -----

    def fmt(self, value: float) -> str:
        if self.unit == "bytes":
            return human_bytes(value)
        if self.unit in ("seconds", "ms"):
            return duration(value / 1000 if self.unit == "ms" else value)
        if self.unit == "cores":
            return f"{value:.3f} cores"
        if self.unit == "requests/min":
            return f"{value:,.1f} req/min"
        return f"{value:,.0f}"

    def summary(self) -> str:
        title = TITLES.get(self.metric) or self.metric.replace("_", " ").capitalize()
        if self.percent:
            title = f"P{self.percent} response time"
        every = f", every {name_of(self.interval_seconds)}" if self.metric not in ONE_NUMBER | LIMITED else ""
        head = f"{title} of {self.label}, {self.start} to {self.end} UTC{every} ({self.api})"
        if self.metric in LIMITED:
            return "\n".join([head + ":", *self._rows_text()])
        if not any(s.points for s in self.series):
            return f"{head}: no data for this window."
        if self.metric in ONE_NUMBER:
            return f"{head}: {self.fmt(self.series[0].points[0].value)} over the whole window."
        if self.metric == "status_codes":
            return "\n".join([head + ":", *self._codes_text()])
        if self.metric == "run_time":
            return "\n".join([head + ":", *self._runtime_text()])
        lines = [head + ":"]
        if len(self.series) == 1 or self.metric in SUMMED:  # per-process gauges get their own line each
            lines.append(self._stats_text())
        per_series = max(8, SHOWN // len(self.series))
        for s in self.series:
            if len(self.series) > 1 or s.limit:
                lines.append(self._series_head(s))
            lines += self._points_text(s, per_series)
        return "\n".join(lines)

    def _stats_text(self) -> str:
        every = [p for s in self.series for p in s.points]
        top = max(every, key=lambda p: p.value)
        mean = sum(p.value for p in every) / len(every)
        peak = f"peak {self.fmt(top.value)} at {self.when(top.time)}"
        if self.metric in SUMMED:
            return f"Total {self.fmt(sum(p.value for p in every))}; mean {self.fmt(mean)} per point; {peak}"
        if self.metric == "storage_usage":
            return f"Latest {self.fmt(self.series[0].points[-1].value)}; {peak}"
        return f"Mean {self.fmt(mean)}; {peak}"

    def _runtime_text(self) -> list[str]:
        totals = [(s.name, sum(p.value for p in s.points)) for s in self.series]
        lines = [f"Total {self.fmt(sum(t for _, t in totals))} of process time (instances × hours)"]
        return lines + [f"{name}: {self.fmt(total)}" for name, total in totals]

    def _series_head(self, s: Series) -> str:
        values = [p.value for p in s.points] or [0.0]
        top = max(values)
        text = f"{s.name or self.label}: mean {self.fmt(sum(values) / len(values))}, peak {self.fmt(top)}"
        if s.limit:
            text += f", limit {self.fmt(s.limit)} (peak {top / s.limit:.0%} of it)"
        return text

    def when(self, time: str) -> str:
        return time[:10] if self.interval_seconds % DAY == 0 else time

    def _points_text(self, s: Series, shown: int) -> list[str]:
        points = s.points
        if len(points) <= shown:
            return [f"{self.when(p.time)} {self.fmt(p.value)}" for p in points]
        days: dict[str, list[float]] = defaultdict(list)
        for p in points:
            days[p.time[:10]].append(p.value)
        if self.interval_seconds < DAY and len(days) <= shown:
            summed = self.metric in SUMMED
            note = f"({len(points)} points, one line per UTC day: " + ("total)" if summed else "mean / peak)")
            return [note] + [
                f"{day} {self.fmt(sum(v))}" if summed else f"{day} {self.fmt(sum(v) / len(v))} / {self.fmt(max(v))}"
                for day, v in days.items()
            ]
        kept = points[-shown:]
        return [f"({len(points) - len(kept)} earlier points left out; all are in the data)"] + [
            f"{self.when(p.time)} {self.fmt(p.value)}" for p in kept
        ]

    def _rows_text(self) -> list[str]:
        if not self.rows:
            return ["no data for this window."]
        lines = []
        for rank, r in enumerate(self.rows, 1):
            name = r.name[:120]
            if self.metric == "top_pages":
                lines.append(f"{rank}. {name}: {self.fmt(r.value)} requests")
            else:
                lines.append(f"{rank}. {name}: {self.fmt(r.value)} average, {r.count:,.0f} requests")
        return lines

    def _codes_text(self) -> list[str]:
        totals = {s.name: sum(p.value for p in s.points) for s in self.series}
        total = sum(totals.values()) or 1
        errors = {c: sum(v for k, v in totals.items() if k.startswith(c)) for c in ("4", "5")}
        lines = [f"{total:,.0f} requests; 4xx {errors['4'] / total:.1%}, 5xx {errors['5'] / total:.1%}"]
        lines += [f"{code}: {n:,.0f} ({n / total:.1%})" for code, n in totals.items()]
        failed: dict[str, float] = defaultdict(float)
        for p in (p for s in self.series if s.name.startswith("5") for p in s.points):
            failed[p.time] += p.value
        if failed:
            time, count = max(failed.items(), key=lambda item: item[1])
            lines.append(f"Most 5xx: {count:,.0f} at {self.when(time)}")
        return lines

    def next_step(self) -> str:
        near = [s for s in self.series if s.limit and any(p.value >= 0.9 * s.limit for p in s.points)]
        if near and self.metric in ("cpu_usage", "memory_usage", "storage_usage"):
            names = ", ".join(s.name or self.label for s in near)
            return f"{names} reached 90% or more of the limit: a larger size (resource type) would give headroom."
        return ""


def duration(seconds: float) -> str:
    """0.0421 → '42 ms', 95 → '95.0 s', 750 → '12.5 min', 30000 → '8.3 h'."""
    if seconds == 0:
        return "0 s"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 120:
        return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def when(value: Any) -> str:
    """ms-epoch (number or string; seconds if small) or ISO → ISO 8601 UTC 'YYYY-MM-DDTHH:MM:SSZ'."""
    stamp = number(value)
    if stamp is not None:
        seconds = stamp / 1000 if abs(stamp) >= 1e11 else stamp
        return iso(datetime.fromtimestamp(seconds, UTC))
    text = str(value or "")
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return text
    return iso(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def points(raw: Any, time_key: str = "time", value_key: str = "value") -> list[Point]:
    found = []
    for item in raw if isinstance(raw, list) else []:
        value = number(item.get(value_key)) if isinstance(item, dict) else None
        if value is not None:
            found.append(Point(time=when(item.get(time_key)), value=value))
    return sorted(found, key=lambda p: p.time)


def normalize(metric: str, series: Series) -> Series:
    """CPU to cores, memory and storage to bytes, whatever unit the API picked (see module docstring)."""
    values = [p.value for p in series.points]
    if metric == "cpu_usage":
        if values and max(values) > MILLICORES:
            series.points = [Point(time=p.time, value=p.value / 1000) for p in series.points]
        if series.limit > MILLICORES:
            series.limit /= 1000
    elif metric in ("memory_usage", "storage_usage") and 0 < series.limit < MB_LIMIT:
        series.limit *= 1_000_000
        if values and max(values) < MB_LIMIT / 10:  # usage in MB like its limit
            series.points = [Point(time=p.time, value=p.value * 1_000_000) for p in series.points]
    return series
