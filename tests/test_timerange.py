"""kinsta_mcp.timerange: parsing and checking metric time windows (pure, no server)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.timerange import (
    CLOCK_SKEW,
    MAX_POINTS,
    TimeRange,
    bucket_count,
    default_interval,
    iso,
    parse_interval,
    is_period,
    parse_end,
    parse_period,
    parse_range,
    parse_time,
    period_window,
    since_until,
)

NOW = datetime(2026, 10, 14, 15, 30, 12, tzinfo=UTC)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


# ----- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-04-20T18:10:45.511Z", "2024-04-20T18:10:45.511+00:00"),
        ("2024-04-20T20:10:45+02:00", "2024-04-20T18:10:45+00:00"),
        ("2024-04-20T13:10:45-0500", "2024-04-20T18:10:45+00:00"),
        ("2024-04-21T03:10:45+09:00", "2024-04-20T18:10:45+00:00"),  # crosses the date line back
        ("2024-04-20T18:10:45", "2024-04-20T18:10:45+00:00"),  # naive → UTC
        ("2024-04-20", "2024-04-20T00:00:00+00:00"),  # a date → midnight UTC
        ("  2024-04-20T18:10Z ", "2024-04-20T18:10:00+00:00"),
    ],
)
def test_times_are_converted_to_utc(text, expected):
    moment = parse_time(text, "start")
    assert moment.utcoffset() == timedelta(0)
    assert moment == at(expected)


@pytest.mark.parametrize("text", ["yesterday", "2024-13-01", "2024-04-31T00:00:00Z", "20/04/2024",
                                  "2024-04-20T25:00:00Z", "1713636645511", "2024-04-20T18:10:45+25:00"])
def test_bad_times_say_the_format_and_the_utc_rule(text):
    with pytest.raises(InvalidInput) as caught:
        parse_time(text, "start")
    message = str(caught.value)
    assert f"start={text!r}" in message
    assert "2024-04-20T18:10:45Z" in message and "no offset = UTC" in message


def test_an_empty_time_is_refused():
    with pytest.raises(InvalidInput, match="end is empty"):
        parse_time(" ", "end")


def test_iso_output_is_utc_with_z_and_optional_millis():
    moment = datetime(2024, 4, 20, 20, 10, 45, 511_000, tzinfo=UTC)
    assert iso(moment) == "2024-04-20T20:10:45Z"
    assert iso(moment, millis=True) == "2024-04-20T20:10:45.511Z"
    berlin = datetime.fromisoformat("2024-04-20T22:10:45.5+02:00")
    assert iso(berlin, millis=True) == "2024-04-20T20:10:45.500Z"


# ----- windows -------------------------------------------------------------------------------


def test_iso_window_with_offsets_is_converted():
    window = parse_range("2024-04-20T20:10:45+02:00", "2024-04-28T18:10:45Z", interval="day", now=NOW)
    assert window == TimeRange(at("2024-04-20T18:10:45Z"), at("2024-04-28T18:10:45Z"), 86_400)
    assert window.label == "2024-04-20T18:10:45Z to 2024-04-28T18:10:45Z"


def test_the_seed_window_has_nine_daily_buckets_aligned_on_days():
    window = parse_range("2024-04-20T18:10:45.511Z", "2024-04-28T18:10:45.511Z", interval="day", now=NOW)
    assert window.interval == 86_400
    assert window.points == 9  # 20th (partial) … 28th (partial)


def test_reversed_and_empty_windows_are_refused():
    with pytest.raises(InvalidInput, match="not before end.*swap them"):
        parse_range("2024-04-28T00:00:00Z", "2024-04-20T00:00:00Z", now=NOW)
    with pytest.raises(InvalidInput, match="not before end"):
        parse_range("2024-04-20T00:00:00Z", "2024-04-20T02:00:00+02:00", now=NOW)  # the same instant


def test_future_end_is_refused_but_clock_skew_is_clamped():
    with pytest.raises(InvalidInput, match="in the future.*now is 2026-10-14T15:30:12Z"):
        parse_range("2026-10-14T00:00:00Z", "2026-10-15T00:00:00Z", now=NOW)
    skewed = NOW + CLOCK_SKEW - timedelta(seconds=1)
    window = parse_range("2026-10-14T00:00:00Z", iso(skewed), now=NOW)
    assert window.end == NOW
    with pytest.raises(InvalidInput, match="in the future"):
        parse_range("2026-10-14T00:00:00Z", iso(NOW + CLOCK_SKEW + timedelta(seconds=1)), now=NOW)


def test_a_naive_end_in_the_future_mentions_that_naive_means_utc():
    # 16:00 without offset is UTC, so after 15:30 UTC (plus skew) even if the caller meant CEST.
    with pytest.raises(InvalidInput, match="without an offset are UTC"):
        parse_range("2026-10-14T10:00:00", "2026-10-14T16:00:00", now=NOW)


def test_start_alone_runs_until_now_and_end_alone_is_refused():
    window = parse_range("2026-10-13T15:30:12Z", now=NOW)
    assert (window.start, window.end) == (NOW - timedelta(days=1), NOW)
    with pytest.raises(InvalidInput, match="end needs a start"):
        parse_range(end="2026-10-13T00:00:00Z", now=NOW)


@pytest.mark.parametrize(("period", "length"), [("last_24h", timedelta(hours=24)), ("last_7d", timedelta(days=7)),
                                                ("last_30d", timedelta(days=30)), ("LAST_2W", timedelta(days=14)),
                                                ("last_6h", timedelta(hours=6))])
def test_relative_windows_end_now(period, length):
    window = parse_range(period=period, now=NOW)
    assert (window.start, window.end) == (NOW - length, NOW)
    assert parse_period(period) == length


@pytest.mark.parametrize("period", ["fortnight", "7d", "last_0d", "last_24m", "ytd"])
def test_bad_windows_list_the_choices(period):
    with pytest.raises(InvalidInput, match="last_24_hours, last_7_days, last_30_days, last_60_days, today, yesterday"):
        parse_range(period=period, now=NOW)


@pytest.mark.parametrize(("period", "start", "end"), [
    ("today", "2026-10-14T00:00:00Z", NOW),
    ("yesterday", "2026-10-13T00:00:00Z", "2026-10-14T00:00:00Z"),
    ("this_month", "2026-10-01T00:00:00Z", NOW),
    ("last_month", "2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z"),
    ("last_7_days", NOW - timedelta(days=7), NOW),
    ("7_days", NOW - timedelta(days=7), NOW),  # the older analytics spelling
    ("last_week", NOW - timedelta(days=7), NOW),
    ("last_24_hours", NOW - timedelta(hours=24), NOW),
])
def test_named_windows_are_one_set_in_utc(period, start, end):
    window = parse_range(period=period, now=NOW)
    expected = [at(x) if isinstance(x, str) else x for x in (start, end)]
    assert [window.start, window.end] == expected
    assert period_window(period, NOW) == tuple(expected) and is_period(period)


def test_last_month_in_january_is_december():
    start, end = period_window("last_month", datetime(2027, 1, 3, 9, tzinfo=UTC))
    assert (iso(start), iso(end)) == ("2026-12-01T00:00:00Z", "2027-01-01T00:00:00Z")


def test_a_date_only_end_includes_that_whole_day():
    window = parse_range(start="2026-10-01", end="2026-10-07", interval="day", now=NOW)
    assert (iso(window.start), iso(window.end)) == ("2026-10-01T00:00:00Z", "2026-10-08T00:00:00Z")
    assert window.points == 7
    today = parse_range(start="2026-10-14", end="2026-10-14", now=NOW)  # today: up to now, not refused
    assert today.end == NOW
    with pytest.raises(InvalidInput, match="in the future"):
        parse_range(start="2026-10-14", end="2026-10-16", now=NOW)
    assert parse_end("2026-10-07T12:00:00Z", "end", NOW) == at("2026-10-07T12:00:00Z")  # a time stays as it is


def test_log_windows_take_dates_times_and_periods():
    assert since_until("yesterday", "", NOW) == (at("2026-10-13T00:00:00Z"), at("2026-10-14T00:00:00Z"))
    assert since_until("last_2h", "", NOW) == (NOW - timedelta(hours=2), NOW)
    assert since_until("2026-10-01", "2026-10-02", NOW) == (at("2026-10-01T00:00:00Z"), at("2026-10-03T00:00:00Z"))
    assert since_until("", "", NOW) == (None, None)
    assert since_until("this_month", "2026-10-05", NOW) == (at("2026-10-01T00:00:00Z"), at("2026-10-06T00:00:00Z"))


# ----- intervals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "seconds"),
    [("hour", 3600), ("day", 86_400), ("daily", 86_400), ("5m", 300), ("15m", 900), ("6h", 21_600),
     ("week", 604_800), ("3600", 3600), (3600, 3600), ("90s", 90), ("2 hours", 7200), ("30 min", 1800),
     (" Hour ", 3600)],
)  # fmt: skip
def test_named_and_numeric_intervals(given, seconds):
    assert parse_interval(given) == seconds


@pytest.mark.parametrize("given", ["fortnightly", "1.5h", "-60", "h", True])
def test_unknown_intervals_name_the_choices(given):
    with pytest.raises(InvalidInput, match="interval"):
        parse_interval(given)


@pytest.mark.parametrize("given", ["30", 0, "30s", 59])
def test_intervals_under_a_minute_are_refused(given):
    with pytest.raises(InvalidInput, match="use 5m or more"):
        parse_interval(given)


def test_too_many_points_suggests_the_next_interval_that_fits():
    with pytest.raises(InvalidInput) as caught:
        parse_range(period="last_30d", interval="5m", now=NOW)
    message = str(caught.value)
    assert "8641 points, more than 500" in message  # 30 days of 5 minutes, plus the partial one
    assert "use interval=6h" in message  # 15m (2881) and hour (721) are still too many
    with pytest.raises(InvalidInput, match="use interval=hour"):
        parse_range(period="last_7d", interval="15m", now=NOW)
    assert parse_range(period="last_7d", interval="hour", now=NOW).points <= MAX_POINTS


def test_an_interval_longer_than_the_window_suggests_a_finer_one():
    with pytest.raises(InvalidInput) as caught:
        parse_range(period="last_6h", interval="day", now=NOW)
    assert "longer than the 6.0 hours window" in str(caught.value)
    assert "use interval=6h or less" in str(caught.value)


def test_a_huge_window_at_the_coarsest_interval_says_to_shorten_it():
    with pytest.raises(InvalidInput, match="use a shorter window"):
        parse_range("2000-01-01", "2026-01-01", interval="week", now=NOW)


@pytest.mark.parametrize(
    ("period", "expected"),
    [("last_1h", 300), ("last_6h", 900), ("last_24h", 3600), ("last_2d", 3600), ("last_7d", 86_400),
     ("last_3d", 86_400), ("last_30d", 86_400)],
)  # fmt: skip
def test_default_interval_follows_the_window_length(period, expected):
    window = parse_range(period=period, now=NOW)
    assert window.interval == expected
    assert window.points <= 50


def test_default_interval_for_years_is_a_week():
    start, end = at("2022-01-01T00:00:00Z"), at("2023-06-01T00:00:00Z")
    assert default_interval(start, end) == 604_800
    assert parse_range("2022-01-01", "2023-06-01", now=NOW).interval == 604_800


def test_bucket_count_aligns_on_interval_multiples():
    assert bucket_count(at("2024-04-20T00:00:00Z"), at("2024-04-21T00:00:00Z"), 86_400) == 1
    assert bucket_count(at("2024-04-20T00:00:01Z"), at("2024-04-21T00:00:00Z"), 86_400) == 1
    assert bucket_count(at("2024-04-20T23:59:00Z"), at("2024-04-21T00:01:00Z"), 86_400) == 2
    assert bucket_count(at("2024-04-20T10:15:00Z"), at("2024-04-20T12:00:00Z"), 3600) == 2
