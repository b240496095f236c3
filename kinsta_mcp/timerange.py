"""Time windows for metric tools: checked and turned into UTC before anything is sent.

Pure (no I/O, `datetime` only), so every rule is unit-tested without a server:

    window = parse_range(start="2024-04-20T18:10:45.511Z", end="2024-04-28T18:10:45.511Z", interval="day")
    window.start, window.end       # aware UTC datetimes
    window.interval                # 86400 (seconds)
    window.points                  # 9 buckets of a day, counted from the day boundaries

Rules (each broken one raises `InvalidInput` saying how to fix it):

* A window is either ISO 8601 `start`/`end` or a named `period`, the same set in every tool (PERIODS:
  `last_24_hours` … `last_60_days`, `today`, `yesterday`, `this_month`, `last_month`; also any
  `last_<n>h|d|w` and the older spellings in ALIASES). Relative ones end now; calendar ones run on UTC
  day and month boundaries (the current day or month ends now). `start` wins over `period`; `end`
  defaults to now.
* A bare date as `end` (or `until`) includes that whole day: it ends at the next midnight UTC, or now
  if that day is today. A bare date as `start` is that day's midnight UTC.
* Offsets (`Z`, `+02:00`, `-0500`) are converted to UTC. A time **without an offset is taken as
  UTC** (a model that writes "2024-04-20T10:00" means the UTC wall clock far more often than its
  own, and refusing would only cost a round trip); a bare date is midnight UTC. Messages say so.
* `end` after `start`; `end` at most CLOCK_SKEW past now (then clamped to now): metrics of the
  future do not exist.
* The interval is seconds (`3600`, `"3600"`) or a name (`5m`, `15m`, `hour`, `6h`, `day`, `week`),
  at least MIN_INTERVAL; it must fit the window at least once and give at most MAX_POINTS buckets
  (the message names the interval that would fit). Without one, `default_interval` picks a
  readable one from the window's length.

Buckets are counted the way metric backends align them: on multiples of the interval since the
epoch (days start at 00:00 UTC), so a window from 18:10 to 18:10 eight days later has 9 daily
buckets, the first and last partial.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from kinsta_mcp.errors import InvalidInput

MAX_POINTS = 500
MIN_INTERVAL = 60
CLOCK_SKEW = timedelta(minutes=5)
READABLE_POINTS = 50  # default_interval aims at no more buckets than this (2 days hourly, partial ends)

MINUTE, HOUR, DAY, WEEK = 60, 3600, 86_400, 604_800
NAMED: dict[str, int] = {
    "minute": MINUTE, "5m": 5 * MINUTE, "15m": 15 * MINUTE, "30m": 30 * MINUTE,
    "hour": HOUR, "hourly": HOUR, "6h": 6 * HOUR, "12h": 12 * HOUR,
    "day": DAY, "daily": DAY, "week": WEEK, "weekly": WEEK,
}  # fmt: skip
# What default_interval and the error hints choose from, finest first.
LADDER: tuple[tuple[str, int], ...] = (
    ("5m", 5 * MINUTE), ("15m", 15 * MINUTE), ("hour", HOUR), ("6h", 6 * HOUR), ("day", DAY), ("week", WEEK),
)  # fmt: skip
DEFAULTS = tuple((name, s) for name, s in LADDER if name != "6h")
PERIODS = (
    "last_24_hours", "last_7_days", "last_30_days", "last_60_days", "today", "yesterday", "this_month", "last_month",
)  # fmt: skip
ALIASES = {
    "24_hours": "last_24_hours", "7_days": "last_7_days", "30_days": "last_30_days", "60_days": "last_60_days",
    "last_day": "last_24_hours", "last_week": "last_7_days",
}  # fmt: skip
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_UNIT_SECONDS = {"s": 1, "m": MINUTE, "h": HOUR, "d": DAY, "w": WEEK}
_SPELLED = re.compile(r"^(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)$")
_PERIOD = re.compile(r"^last_?(\d+)_?(h|hours?|d|days?|w|weeks?)$")
FORMAT_HINT = "ISO 8601 like 2024-04-20T18:10:45Z or 2024-04-20T20:10:45+02:00 (no offset = UTC)"


@dataclass(frozen=True)
class TimeRange:
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC
    interval: int  # seconds

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def points(self) -> int:
        return bucket_count(self.start, self.end, self.interval)

    @property
    def label(self) -> str:
        return f"{iso(self.start)} to {iso(self.end)}"


def iso(moment: datetime, *, millis: bool = False) -> str:
    """UTC ISO 8601 with a trailing Z: 2024-04-20T18:10:45Z (or …45.511Z with millis)."""
    moment = moment.astimezone(UTC)
    if millis:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def bucket_count(start: datetime, end: datetime, interval: int) -> int:
    """Buckets aligned on multiples of `interval` since the epoch that [start, end) touches."""
    first = math.floor(start.timestamp() / interval)
    last = math.ceil(end.timestamp() / interval)
    return max(0, last - first)


def parse_time(value: str, name: str) -> datetime:
    """An ISO 8601 time (or date) → aware UTC datetime; without an offset it is UTC."""
    text = value.strip()
    if not text:
        raise InvalidInput(f"{name} is empty: give a time, {FORMAT_HINT}.")
    try:
        moment = datetime.fromisoformat(text)  # 3.11: Z, +02:00, +0200, dates, weeks
    except ValueError:
        raise InvalidInput(f"{name}={value!r} is not a time: use {FORMAT_HINT}.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_period(period: str) -> timedelta:
    """last_24_hours / last_7d / last_<n>h|d|w → its length."""
    text = period.strip().lower()
    match = _PERIOD.match(ALIASES.get(text, text))
    if not match or int(match.group(1)) == 0:
        raise InvalidInput(
            f"period={period!r} is not a window: use one of {', '.join(PERIODS)} "
            "(or last_<n>h / last_<n>d), or give start and end instead."
        )
    return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)[0]])


def is_period(text: str) -> bool:
    name = text.strip().lower()
    return name in PERIODS or name in ALIASES or bool(_PERIOD.match(name))


def period_window(period: str, now: datetime) -> tuple[datetime, datetime]:
    """[start, end) of a named window in UTC (see the module docstring)."""
    name = ALIASES.get(period.strip().lower(), period.strip().lower())
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    month = today.replace(day=1)
    if name == "today":
        return today, now
    if name == "yesterday":
        return today - timedelta(days=1), today
    if name == "this_month":
        return month, now
    if name == "last_month":
        return (month - timedelta(days=1)).replace(day=1), month
    return now - parse_period(name), now


def parse_end(value: str, name: str, now: datetime) -> datetime:
    """An end time; a bare date includes its whole day (up to now when it is today)."""
    moment = parse_time(value, name)
    if _DATE.match(value.strip()):
        moment = min(moment + timedelta(days=1), max(now, moment))
    return moment


def since_until(since: str, until: str, now: datetime) -> tuple[datetime | None, datetime | None]:
    """A log window: ISO times, dates (an `until` date includes its day) or a named period as `since`, which
    sets the end too when `until` is empty (since=yesterday: all of yesterday). None where nothing was given."""
    end = parse_end(until, "until", now) if until.strip() else None
    if is_period(since):
        start, period_end = period_window(since, now)
        return start, end or period_end
    return (parse_time(since, "since") if since.strip() else None), end


def parse_interval(interval: str | int) -> int:
    """Seconds (3600, "3600", "90s", "2h") or a name (5m, 15m, hour, 6h, day, week) → seconds."""
    if isinstance(interval, bool):
        raise InvalidInput("interval must be seconds or a name like hour or day, not true/false.")
    if isinstance(interval, (int, float)):
        seconds = int(interval)
        if seconds != interval:
            raise InvalidInput(f"interval={interval!r}: give whole seconds, e.g. 3600 or hour.")
    else:
        text = interval.strip().lower()
        if text in NAMED:
            seconds = NAMED[text]
        elif text.isdigit():
            seconds = int(text)
        elif match := _SPELLED.match(text):
            seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)[0]]
        else:
            raise InvalidInput(
                f"interval={interval!r} is not an interval: give seconds (3600) or one of "
                f"{', '.join(name for name, _ in LADDER)}."
            )
    if seconds < MIN_INTERVAL:
        raise InvalidInput(
            f"interval of {seconds} s is below the finest the metrics keep ({MIN_INTERVAL} s): use 5m or more."
        )
    return seconds


def default_interval(start: datetime, end: datetime) -> int:
    """The finest of 5m, 15m, hour, day, week giving at most READABLE_POINTS buckets: hour up to two days,
    then day (a week reads best day by day)."""
    for _, seconds in DEFAULTS:
        if bucket_count(start, end, seconds) <= READABLE_POINTS:
            return seconds
    return LADDER[-1][1]


def name_of(seconds: int) -> str:
    """3600 → 'hour', 300 → '5m', 90 → '90 s' (the first name NAMED gives a length)."""
    return next((name for name, s in NAMED.items() if s == seconds), f"{seconds} s")


def describe(seconds: int) -> str:
    """3600 → '3600 s (hour)', 90 → '90 s'."""
    name = name_of(seconds)
    return f"{seconds} s ({name})" if name != f"{seconds} s" else name


def _length(seconds: float) -> str:
    if seconds >= 2 * DAY:
        return f"{seconds / DAY:.1f} days"
    if seconds >= 2 * HOUR:
        return f"{seconds / HOUR:.1f} hours"
    return f"{seconds / MINUTE:.0f} minutes"


def check_interval(start: datetime, end: datetime, interval: int, *, max_points: int = MAX_POINTS) -> None:
    span = (end - start).total_seconds()
    if interval > span:
        finer = [name for name, s in LADDER if s <= span and bucket_count(start, end, s) <= max_points]
        hint = f"use interval={finer[-1]} or less" if finer else "use a longer window"
        raise InvalidInput(
            f"interval {describe(interval)} is longer than the {_length(span)} window, so there is not one "
            f"whole point: {hint}."
        )
    count = bucket_count(start, end, interval)
    if count > max_points:
        coarser = next((name for name, s in LADDER if s > interval and bucket_count(start, end, s) <= max_points), None)
        hint = f"use interval={coarser}" if coarser else "use a shorter window"
        raise InvalidInput(
            f"interval {describe(interval)} over {_length(span)} gives {count} points, more than {max_points}: "
            f"{hint} or a shorter window."
        )


def parse_range(
    start: str = "",
    end: str = "",
    period: str = "",
    interval: str | int = "",
    *,
    now: datetime | None = None,
    max_points: int = MAX_POINTS,
) -> TimeRange:
    """The window a metric request covers, validated; see the module docstring for the rules."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    if start.strip():
        begin = parse_time(start, "start")
        finish = parse_end(end, "end", now) if end.strip() else now
    elif end.strip():
        raise InvalidInput("end needs a start too (or use a period, e.g. last_7_days, which ends now).")
    else:
        begin, finish = period_window(period or "last_24_hours", now)
    if finish > now + CLOCK_SKEW:
        raise InvalidInput(
            f"end {iso(finish)} is in the future (now is {iso(now)} UTC; times without an offset are UTC): "
            "use an end up to now, or leave end empty for now."
        )
    finish = min(finish, now)
    if begin >= finish:
        raise InvalidInput(
            f"start {iso(begin)} is not before end {iso(finish)} (both UTC; times without an offset are UTC): "
            "swap them or widen the window."
        )
    if isinstance(interval, str) and not interval.strip():
        seconds = default_interval(begin, finish)
    else:
        seconds = parse_interval(interval)
    check_interval(begin, finish, seconds, max_points=max_points)
    return TimeRange(begin, finish, seconds)
