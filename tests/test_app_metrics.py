"""app_metrics through the real MCP client against the sandbox: Kinsta /v2 without a Sevalla key,
Sevalla /sevalla/v2 (the eight Kinsta-era series) and /sevalla/v3 (what only v3 has) with one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx2
import pytest
from mcp import Client

from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_SEVALLA_KEY
from kinsta_mcp.sandbox.routes import metrics as model
from kinsta_mcp.sandbox.state import Fault
from kinsta_mcp.server import build_server
from kinsta_mcp.text import human_bytes
from kinsta_mcp.tools.app_metrics import Metrics, Point, Row, Series, duration, normalize, number, when
from tests.paas import V2_BASE, app_named, db_named
from tests.test_tools import text_of

pytestmark = pytest.mark.anyio

TOOLSET = ("default", "app_metrics")
SEED_START, SEED_END = "2024-04-20T18:10:45.511Z", "2024-04-28T18:10:45.511Z"
def metric_requests(state):
    return [r for r in state.requests if "/metrics/" in r.path]


def epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def fenced(result) -> str:
    match = re.search(r"<(kinsta-data-[0-9a-f]+)>\n(.*)\n</\1>", text_of(result), re.S)
    assert match, text_of(result)
    return match.group(2)


async def call(settings, args, mode="auto"):
    async with Client(build_server(settings), mode=mode) as client:
        return await client.call_tool("app_metrics", args)


# -- the seed use case: daily bandwidth of an app over a historical window -----------------------------


async def test_daily_bandwidth_of_an_app_in_april_2024(sandbox, paas_settings, base, mode):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    result = await call(paas_settings, {"application": "Portfolio App", "metric": "bandwidth", "start": SEED_START,
                                       "end": SEED_END, "interval": "day"}, mode)
    assert not result.is_error, text_of(result)

    (sent,) = metric_requests(state)
    assert (sent.method, sent.path, sent.base) == ("GET", f"/applications/{app['id']}/metrics/bandwidth", V2_BASE[base])
    assert sent.query == {"interval_in_seconds": "86400", "timeframe_start": SEED_START, "timeframe_end": SEED_END}

    # What the sandbox computes for each day (first and last partial), straight from its model.
    window = model.Window(epoch(SEED_START), epoch(SEED_END), 86_400)
    profile = model._app_profile(app)
    expected = [model.bandwidth(profile, seg, 86_400) for _, seg in window.buckets()]
    days = [f"2024-04-{d}" for d in range(20, 29)]

    data = result.structured_content
    assert (data["label"], data["id"], data["metric"], data["unit"]) == ("Portfolio App", app["id"], "bandwidth",
                                                                         "bytes")
    assert (data["start"], data["end"], data["interval_seconds"]) == ("2024-04-20T18:10:45Z",
                                                                      "2024-04-28T18:10:45Z", 86_400)
    (series,) = data["series"]
    assert [p["time"] for p in series["points"]] == [f"{d}T00:00:00Z" for d in days]
    assert [p["value"] for p in series["points"]] == expected
    assert [float(p["value"]) for p in sent.response_json["app"]["metrics"]["bandwidth"]] == expected
    assert expected[0] < expected[1] / 2  # the 20th only counts from 18:10

    text = fenced(result)
    api = "Kinsta" if base == "kinsta" else "Sevalla v2"
    assert text.startswith(f"Bandwidth of Portfolio App, 2024-04-20T18:10:45Z to 2024-04-28T18:10:45Z UTC, "
                           f"every day ({api}):")
    for day, value in zip(days, expected, strict=True):
        assert f"\n{day} {human_bytes(value)}" in text
    assert f"Total {human_bytes(sum(expected))}" in text
    peak = max(range(9), key=lambda i: expected[i])
    assert f"peak {human_bytes(expected[peak])} at {days[peak]}" in text
    assert all(" MB" in line or " GB" in line for line in text.splitlines()[2:])


async def test_same_window_gives_the_same_numbers_and_other_apps_differ(sandbox, settings):
    _, _state = sandbox
    args = {"application": "portfolio-app", "start": SEED_START, "end": SEED_END, "interval": "day"}
    first = await call(settings.with_(toolsets=TOOLSET), args)
    again = await call(settings.with_(toolsets=TOOLSET), args)
    other = await call(settings.with_(toolsets=TOOLSET), args | {"application": "api-service"})
    assert first.structured_content["series"] == again.structured_content["series"]
    values = [p["value"] for p in first.structured_content["series"][0]["points"]]
    others = [p["value"] for p in other.structured_content["series"][0]["points"]]
    assert sum(others) > 1.5 * sum(values)  # two web instances against one


# -- other v2 series ----------------------------------------------------------------------------


async def test_p95_response_time_hourly_over_a_week_is_summarised_per_day(sandbox, paas_settings, base, mode):
    _, state = sandbox
    app = app_named(state, "api-service")
    result = await call(paas_settings, {"application": "Acme API", "metric": "response_time", "percent": 95,
                                       "start": "2024-04-22T00:00:00Z", "end": "2024-04-29T00:00:00Z",
                                       "interval": "hour"}, mode)
    assert not result.is_error, text_of(result)
    (sent,) = metric_requests(state)
    assert sent.path.endswith("/metrics/response-time") and sent.base == V2_BASE[base]
    assert sent.query["percent"] == "95" and sent.query["interval_in_seconds"] == "3600"
    points = result.structured_content["series"][0]["points"]
    assert len(points) == 168
    # What the title states is in the data too.
    assert result.structured_content["percent"] == 95
    assert result.structured_content["api"] == ("Kinsta" if base == "kinsta" else "Sevalla v2")
    assert points[0]["time"] == "2024-04-22T00:00:00Z" and points[-1]["time"] == "2024-04-28T23:00:00Z"
    # The weekly spike (14:00–16:00 UTC on the app's spike day) is the slowest stretch.
    spike_day = model._app_profile(app).spike_day
    slowest = max(points, key=lambda p: p["value"])
    moment = datetime.fromisoformat(slowest["time"])
    assert moment.weekday() == spike_day and moment.hour in (14, 15)
    text = fenced(result)
    assert text.startswith("P95 response time of Acme API, 2024-04-22T00:00:00Z to 2024-04-29T00:00:00Z UTC")
    assert "(168 points, one line per UTC day: mean / peak)" in text
    assert len(text.splitlines()) == 3 + 7  # head, stats, note, one line per day
    assert f"peak {duration(slowest['value'] / 1000)} at {slowest['time']}" in text
    assert re.search(r"\n2024-04-24 \d+ ms / \d+ ms", text) or re.search(r"\n2024-04-24 [\d.]+ s / ", text)


async def test_cpu_and_memory_per_process_with_their_limits(sandbox, paas_settings, base):
    _, state = sandbox
    app = app_named(state, "api-service")
    args = {"application": app["id"], "start": "2024-04-22T00:00:00Z", "end": "2024-04-29T00:00:00Z",
            "interval": "6h"}
    cpu = await call(paas_settings, args | {"metric": "cpu_usage"})
    memory = await call(paas_settings, args | {"metric": "memory_usage"})
    assert not cpu.is_error and not memory.is_error, text_of(cpu) + text_of(memory)
    cpu_sent, memory_sent = metric_requests(state)
    assert cpu_sent.path.endswith("/metrics/cpu-usage") and memory_sent.path.endswith("/metrics/memory-usage")
    # The sandbox sends cpu_limit in millicores (500) and memory_limit in MB (512): cores and bytes here.
    assert [p["cpu_limit"] for p in cpu_sent.response_json["app"]["processes"]] == [500, 500]
    series = cpu.structured_content["series"]
    assert [(s["name"], s["limit"]) for s in series] == [("web", 0.5), ("worker", 0.5)]
    raw = cpu_sent.response_json["app"]["processes"][0]["metrics"]["cpu_usage"]
    assert [p["value"] for p in series[0]["points"]] == [float(p["value"]) for p in raw]
    assert all(0 < p["value"] < 0.5 for s in series for p in s["points"])
    assert cpu.structured_content["unit"] == "cores"
    mem = memory.structured_content["series"]
    assert [(s["name"], s["limit"]) for s in mem] == [("web", 512_000_000), ("worker", 512_000_000)]
    assert all(100_000_000 < p["value"] < 512_000_000 for s in mem for p in s["points"])
    text = fenced(memory)
    web_peak = max(p["value"] for p in mem[0]["points"])
    assert "web: mean " in text
    assert f"peak {human_bytes(web_peak)}, limit 512.00 MB (peak {web_peak / 512e6:.0%} of it)" in text
    assert "worker: mean" in fenced(cpu) and "limit 0.500 cores" in fenced(cpu)


async def test_slowest_requests_build_and_run_time_and_requests_per_minute(sandbox, settings, mode):
    _, state = sandbox
    s = settings.with_(toolsets=TOOLSET)
    window = {"application": "api-service", "start": SEED_START, "end": SEED_END}
    slow = await call(s, window | {"metric": "slowest_requests"}, mode)
    assert not slow.is_error, text_of(slow)
    assert metric_requests(state)[-1].query["limit"] == "10"
    rows = slow.structured_content["rows"]
    assert rows[0]["name"] == "/api/reports/export" and len(rows) == 9  # every path the app serves (< 10)
    assert [r["value"] for r in rows] == sorted((r["value"] for r in rows), reverse=True)
    assert f"1. /api/reports/export: {duration(rows[0]['value'] / 1000)} average, {rows[0]['count']:,.0f} requests" \
        in fenced(slow)

    build = await call(s, window | {"metric": "build_time", "interval": "day"}, mode)
    (series,) = build.structured_content["series"]
    assert series["name"] == "standard" and build.structured_content["unit"] == "seconds"
    assert sum(p["value"] for p in series["points"]) > 0
    assert "Total " in fenced(build)

    run = await call(s, window | {"metric": "run_time"}, mode)
    run_series = run.structured_content["series"]
    app = app_named(state, "api-service")
    run_sent = [r for r in state.requests if r.path == f"/applications/{app['id']}"]
    assert len(run_sent) == 1 and run_sent[0].method == "GET"  # process names: run time rows carry only ids
    assert [x["name"] for x in run_series] == ["web (s1)", "worker (s1)"]
    assert [x["points"][0]["value"] for x in run_series] == [8 * 86_400 * 2, 8 * 86_400]  # 2 web, 1 worker
    assert fenced(run).splitlines()[1:] == ["Total 576.0 h of process time (instances × hours)",
                                            "web (s1): 384.0 h", "worker (s1): 192.0 h"]

    rpm = await call(s, window | {"metric": "http_requests", "interval": "day"}, mode)
    assert rpm.structured_content["unit"] == "requests/min"
    assert "req/min" in fenced(rpm) and "Mean " in fenced(rpm)


# -- v3-only metrics: Sevalla key required --------------------------------------------------------


@pytest.mark.parametrize("metric", ["status_codes", "top_pages", "top_countries", "response_time_avg"])
async def test_v3_only_metrics_without_a_sevalla_key_make_no_request(sandbox, settings, metric):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        before = len(state.requests)
        result = await client.call_tool("app_metrics", {"application": "api-service", "metric": metric})
        assert result.is_error
        assert len(state.requests) == before
    text = text_of(result)
    assert "Sevalla API v3" in text and "SEVALLA_API_KEY" in text and "bandwidth" in text


async def test_database_metrics_without_a_sevalla_key_make_no_request(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(toolsets=TOOLSET))) as client:
        before = len(state.requests)
        result = await client.call_tool("app_metrics", {"database": "acme-postgres", "metric": "cpu_usage"})
        assert result.is_error and len(state.requests) == before
    assert "of a database comes from the Sevalla API v3" in text_of(result) and "SEVALLA_API_KEY" in text_of(result)


async def test_status_codes_come_from_v3_with_from_to_in_utc(sandbox, sevalla_settings, mode):
    _, state = sandbox
    app = app_named(state, "api-service")
    result = await call(sevalla_settings, {"application": "Acme API", "metric": "status_codes",
                                           "start": "2024-04-24T12:00:00+02:00", "end": "2024-04-25T12:00:00+02:00",
                                           "interval": "hour"}, mode)
    assert not result.is_error, text_of(result)
    (sent,) = metric_requests(state)
    assert (sent.base, sent.path) == ("sevalla_v3", f"/applications/{app['id']}/metrics/status-codes")
    assert sent.query == {"from": "2024-04-24T10:00:00.000Z", "to": "2024-04-25T10:00:00.000Z",
                          "interval_in_seconds": "3600"}
    series = {s["name"]: s["points"] for s in result.structured_content["series"]}
    assert set(series) >= {"200", "304", "404", "500"}
    assert series["200"][0]["time"] == "2024-04-24T10:00:00Z"
    body = sent.response_json
    assert sum(p["value"] for p in series["200"]) == sum(b["value"]["200"] for b in body)
    text = fenced(result)
    total = sum(sum(b["value"].values()) for b in body)
    assert text.splitlines()[1].startswith(f"{total:,.0f} requests; 4xx ")
    assert "Most 5xx: " in text


async def test_v3_window_named_start_end_is_found_once_and_kept(sandbox, sevalla_settings):
    """Some v3 reference pages call the window start/end (docs/api-notes.md#sevalla-v3-metric-window).
    An API that wants those answers the spec's from/to with a 400; the tool asks once more with
    start/end and keeps that pair."""
    _, state = sandbox
    state.v3_window_names = ("start", "end")
    window = {"start": "2024-04-24T00:00:00Z", "end": "2024-04-25T00:00:00Z", "interval": "hour"}
    async with Client(build_server(sevalla_settings)) as client:
        first = await client.call_tool("app_metrics", {"application": "Acme API", "metric": "status_codes", **window})
        second = await client.call_tool("app_metrics", {"database": "acme-postgres", "metric": "cpu_usage", **window})
    assert not first.is_error and not second.is_error, text_of(first) + text_of(second)
    asked = [(r.status, sorted(set(r.query) - {"interval_in_seconds"})) for r in metric_requests(state)]
    assert asked == [(400, ["from", "to"]), (200, ["end", "start"]),  # found once…
                     (200, ["end", "start"]), (200, ["end", "start"])]  # …then kept (usage and limit)
    assert first.structured_content["series"] and second.structured_content["series"][0]["points"]


async def test_a_v3_400_that_no_window_naming_cures_is_reported_as_the_first_answer(sandbox, sevalla_settings):
    _, state = sandbox
    # The spec's names get a 400 for another reason; the retry with start/end is refused too (this API
    # wants from/to): what the user hears is the first refusal, not "from is required".
    state.add_fault(Fault(method="GET", path="/applications/*/metrics/top-pages", status=400))
    result = await call(sevalla_settings, {"application": "Acme API", "metric": "top_pages",
                                           "start": "2024-04-24T00:00:00Z", "end": "2024-04-25T00:00:00Z"})
    assert result.is_error and "Bad request format" in text_of(result)
    assert "from is required" not in text_of(result)
    assert [sorted(set(r.query) & {"from", "to", "start", "end"}) for r in metric_requests(state)] == [
        ["from", "to"], ["end", "start"]]  # one retry with the other names, no more


@pytest.mark.parametrize(("metric", "first"), [("top_pages", "/"), ("top_countries", "US")])
async def test_top_lists_from_v3(sandbox, sevalla_settings, metric, first):
    _, state = sandbox
    result = await call(sevalla_settings, {"application": "portfolio-app", "metric": metric, "start": "last_7d"})
    assert not result.is_error, text_of(result)
    (sent,) = metric_requests(state)
    assert sent.base == "sevalla_v3" and sent.query["limit"] == "10"
    assert sent.query["from"].endswith("Z") and sent.query["interval_in_seconds"] == "86400"
    rows = result.structured_content["rows"]
    assert rows[0]["name"] == first and len(rows) <= 10
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
    assert fenced(result).splitlines()[1].startswith(f"1. {first}: ")


async def test_average_response_time_of_the_window_from_v3(sandbox, sevalla_settings):
    _, state = sandbox
    result = await call(sevalla_settings, {"application": "portfolio-app", "metric": "response_time_avg",
                                           "start": SEED_START, "end": SEED_END})
    assert not result.is_error, text_of(result)
    (sent,) = metric_requests(state)
    value = sent.response_json["average_response_time_ms"]
    assert result.structured_content["series"] == [{"name": "average", "limit": 0,
                                                    "points": [{"time": "2024-04-20T18:10:45Z", "value": value}]}]
    assert fenced(result).endswith(f": {duration(value / 1000)} over the whole window.")


@pytest.mark.parametrize(("metric", "path", "unit"), [
    ("cpu_usage", "cpu", "cores"), ("memory_usage", "memory", "bytes"), ("storage_usage", "storage", "bytes"),
])  # fmt: skip
async def test_database_metrics_with_their_limit_series(sandbox, sevalla_settings, metric, path, unit, mode):
    _, state = sandbox
    db = db_named(state, "acme-postgres")
    result = await call(sevalla_settings, {"database": "Acme Postgres", "metric": metric, "start": SEED_START,
                                           "end": SEED_END, "interval": "day"}, mode)
    assert not result.is_error, text_of(result)
    usage, limit = metric_requests(state)
    assert (usage.base, usage.path) == ("sevalla_v3", f"/databases/{db['id']}/metrics/{path}-usage")
    assert limit.path == f"/databases/{db['id']}/metrics/{path}-limit"
    assert usage.query == {"from": SEED_START, "to": SEED_END, "interval_in_seconds": "86400"}
    (series,) = result.structured_content["series"]
    assert series["name"] == "Acme Postgres" and result.structured_content["unit"] == unit
    assert series["limit"] == limit.response_json[-1]["value"]
    assert [p["value"] for p in series["points"]] == [b["value"] for b in usage.response_json]
    assert len(series["points"]) == 9 and all(0 < p["value"] < series["limit"] for p in series["points"])
    assert "limit" in fenced(result)


# -- bad input: clear errors, no request ----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"start": "20/04/2024"}, "start='20/04/2024' is not a time"),
        ({"start": SEED_END, "end": SEED_START}, "not before end"),
        ({"start": "2024-04-20T00:00:00Z", "end": "2999-01-01T00:00:00Z"}, "in the future"),
        ({"start": "last_30d", "interval": "5m"}, "use interval=6h"),
        ({"start": "last_24h", "interval": "week"}, "longer than the"),
        ({"start": "last_7d", "end": SEED_END}, "period with its own end"),
        ({"end": SEED_END, "start": ""}, "end needs a start"),
        ({"interval": "fortnight"}, "not an interval"),
        ({"database": "acme-postgres"}, "not both"),
        ({"metric": "storage_usage"}, "storage_usage is a database metric"),
        ({"metric": "bandwidth", "percent": 95}, "applies only to metric=response_time"),
        ({"application": ""}, "Say which application"),
    ],
)
async def test_bad_input_is_refused_before_any_metric_request(sandbox, sevalla_settings, args, message):
    _, state = sandbox
    result = await call(sevalla_settings, {"application": "api-service", **args})
    assert result.is_error
    assert message in text_of(result)
    assert metric_requests(state) == []


async def test_an_application_metric_asked_of_a_database_is_refused(sandbox, sevalla_settings):
    _, state = sandbox
    result = await call(sevalla_settings, {"database": "acme-postgres", "metric": "http_requests"})
    assert result.is_error and "a database has cpu_usage, memory_usage, storage_usage" in text_of(result)
    assert metric_requests(state) == [] and not [r for r in state.requests if r.path.startswith("/databases")]


async def test_an_integer_interval_is_accepted(sandbox, settings):
    _, state = sandbox
    result = await call(settings.with_(toolsets=TOOLSET), {"application": "portfolio-app", "start": "last_24h",
                                                           "interval": 3600})
    assert not result.is_error, text_of(result)
    assert metric_requests(state)[0].query["interval_in_seconds"] == "3600"
    assert len(result.structured_content["series"][0]["points"]) in (24, 25)


async def test_an_unknown_application_names_close_matches(sandbox, settings):
    _, state = sandbox
    # (a unique part of a name, like "portfolio", names the app: references resolve through the shared catalog)
    result = await call(settings.with_(toolsets=TOOLSET), {"application": "portfolo-app"})
    assert result.is_error and "Did you mean 'portfolio-app'" in text_of(result)
    assert metric_requests(state) == []


async def test_moved_accounts_on_kinsta_get_the_sevalla_hint(sandbox, settings):
    _, state = sandbox
    state.paas_moved = True
    result = await call(settings.with_(toolsets=TOOLSET), {"application": "portfolio-app"})
    assert result.is_error and "SEVALLA_API_KEY" in text_of(result)


# -- the sandbox checks parameters like the spec ------------------------------------------------


async def test_sandbox_rejects_missing_or_malformed_parameters(sandbox):
    url, state = sandbox
    root = url.removesuffix("/v2")
    app_id = app_named(state, "portfolio-app")["id"]
    db_id = db_named(state, "acme-postgres")["id"]
    good = {"interval_in_seconds": "3600", "timeframe_start": SEED_START, "timeframe_end": SEED_END}
    v3 = {"interval_in_seconds": "3600", "from": SEED_START, "to": SEED_END}
    kinsta = {"Authorization": f"Bearer {DEMO_API_KEY}"}
    sevalla = {"Authorization": f"Bearer {DEMO_SEVALLA_KEY}"}
    metric = f"{url}/applications/{app_id}/metrics"
    async with httpx2.AsyncClient() as http:
        for missing in good:
            answer = await http.get(f"{metric}/bandwidth", params={k: v for k, v in good.items() if k != missing},
                                    headers=kinsta)
            assert answer.status_code == 400 and missing in answer.json()["message"]
        bad = [good | {"interval_in_seconds": "0"}, good | {"timeframe_start": "yesterday"},
               good | {"timeframe_start": SEED_END, "timeframe_end": SEED_START},
               good | {"interval_in_seconds": "60", "timeframe_start": "2000-01-01T00:00:00Z"}]
        for params in bad:
            assert (await http.get(f"{metric}/http-requests", params=params, headers=kinsta)).status_code == 400
        answer = await http.get(f"{metric}/response-time", params=good | {"percent": "75"}, headers=kinsta)
        assert answer.status_code == 400 and "50 or 95" in answer.json()["message"]
        unknown = await http.get(f"{url}/applications/{db_id}/metrics/bandwidth", params=good, headers=kinsta)
        assert unknown.status_code == 404
        sevalla_v2 = await http.get(f"{root}/sevalla/v2/applications/{app_id}/metrics/bandwidth", params=good,
                                    headers=sevalla)
        assert sevalla_v2.status_code == 200
        # v3 wants from/to with a trailing Z (docs/api-notes.md#sevalla-v3-metric-window), and
        # interval_in_seconds for database series.
        db_metric = f"{root}/sevalla/v3/databases/{db_id}/metrics/cpu-usage"
        offset = await http.get(db_metric, params=v3 | {"from": "2024-04-20T20:10:45+02:00"}, headers=sevalla)
        assert offset.status_code == 400 and offset.json()["data"]["code"].startswith("err-")
        no_interval = await http.get(db_metric, params={k: v for k, v in v3.items() if k != "interval_in_seconds"},
                                     headers=sevalla)
        assert no_interval.status_code == 400
        assert (await http.get(db_metric, params=v3, headers=sevalla)).status_code == 200
        pages = await http.get(f"{root}/sevalla/v3/applications/{app_id}/metrics/top-pages",
                               params={"from": SEED_START, "to": SEED_END}, headers=sevalla)
        assert pages.status_code == 200 and len(pages.json()) <= 10  # interval optional on HTTP metrics


def test_sandbox_series_are_a_function_of_time_only():
    profile = model.Profile(key="x", traffic=1000, request_bytes=10_000, base_ms=100, spike_day=2)
    a = model.Window(epoch("2024-04-20T00:00:00Z"), epoch("2024-04-22T00:00:00Z"), 3600)
    b = model.Window(epoch("2024-04-21T00:00:00Z"), epoch("2024-04-23T00:00:00Z"), 3600)
    series_a = {at: model.bandwidth(profile, seg, 3600) for at, seg in a.buckets()}
    series_b = {at: model.bandwidth(profile, seg, 3600) for at, seg in b.buckets()}
    shared = set(series_a) & set(series_b)
    assert len(shared) == 24 and all(series_a[t] == series_b[t] for t in shared)
    # An hour split in two buckets adds up to the whole hour.
    hour = (epoch("2024-04-20T10:00:00Z"), epoch("2024-04-20T11:00:00Z"))
    half = epoch("2024-04-20T10:30:00Z")
    assert abs(model.bandwidth(profile, (hour[0], half), 0) + model.bandwidth(profile, (half, hour[1]), 0)
               - model.bandwidth(profile, hour, 0)) <= 1


# -- parsing and units (no server) ------------------------------------------------------------------


def test_numbers_from_strings_and_junk():
    assert number("12345") == 12345 and number("0.21") == 0.21 and number(7) == 7
    assert number("value") is None and number(None) is None and number(True) is None and number("nan") is None


def test_times_from_ms_strings_seconds_and_iso():
    assert when("1713636645511") == "2024-04-20T18:10:45Z"
    assert when(1713636645511) == "2024-04-20T18:10:45Z"
    assert when(1713636645) == "2024-04-20T18:10:45Z"
    assert when("2024-04-20T20:10:45.511+02:00") == "2024-04-20T18:10:45Z"
    assert when("2026-02-22 15:30:00.000") == "2026-02-22T15:30:00Z"


def test_units_are_normalised_to_cores_and_bytes():
    cpu = normalize("cpu_usage", Series(limit=500, points=[Point(time="t", value=210)]))
    assert cpu.limit == 0.5 and cpu.points[0].value == 0.21
    cores = normalize("cpu_usage", Series(limit=1, points=[Point(time="t", value=0.4)]))
    assert cores.limit == 1 and cores.points[0].value == 0.4
    mb = normalize("memory_usage", Series(limit=512, points=[Point(time="t", value=300)]))
    assert mb.limit == 512_000_000 and mb.points[0].value == 300_000_000
    mixed = normalize("memory_usage", Series(limit=512, points=[Point(time="t", value=300_000_000)]))
    assert mixed.limit == 512_000_000 and mixed.points[0].value == 300_000_000
    raw = normalize("storage_usage", Series(limit=10_240_000_000, points=[Point(time="t", value=2e9)]))
    assert raw.limit == 10_240_000_000


@pytest.mark.parametrize(("unit", "value", "text"), [
    ("bytes", 1_306_200_000, "1.31 GB"), ("bytes", 280_900_000, "280.90 MB"), ("ms", 287.0, "287 ms"),
    ("ms", 1350, "1.35 s"), ("seconds", 95, "95.0 s"), ("seconds", 0, "0 s"), ("seconds", 750, "12.5 min"),
    ("seconds", 691_200, "192.0 h"),
    ("cores", 0.2134, "0.213 cores"), ("requests/min", 23.46, "23.5 req/min"), ("requests", 12345, "12,345"),
])  # fmt: skip
def test_human_units(unit, value, text):
    assert Metrics(unit=unit).fmt(value) == text


def test_a_long_series_keeps_the_text_bounded():
    points = [Point(time=(datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    value=i) for i in range(120)]
    out = Metrics(label="X", metric="bandwidth", unit="bytes", start="a", end="b", interval_seconds=86_400,
                  series=[Series(points=points)])
    text = out.summary()
    assert "(89 earlier points left out; all are in the data)" in text
    assert len(text.splitlines()) == 2 + 1 + 31 and text.splitlines()[-1] == "2024-04-29 119 B"


def test_rows_and_empty_windows_read_well():
    out = Metrics(label="X", metric="top_pages", unit="requests", start="a", end="b", interval_seconds=3600,
                  rows=[Row(name="/", value=900, count=900)])
    assert out.summary().endswith("\n1. /: 900 requests")
    empty = Metrics(label="X", metric="bandwidth", unit="bytes", start="a", end="b", interval_seconds=3600)
    assert empty.summary().endswith(": no data for this window.")


async def test_a_database_near_its_cpu_limit_gets_advice_outside_the_data(sandbox, sevalla_settings):
    _, _state = sandbox
    result = await call(sevalla_settings, {"database": "cache-redis", "metric": "cpu_usage",
                                           "start": "2024-04-22T00:00:00Z", "end": "2024-04-29T00:00:00Z",
                                           "interval": "hour"})
    assert not result.is_error, text_of(result)
    (series,) = result.structured_content["series"]
    assert series["limit"] == 0.25  # 250 millicores
    peak = max(series["points"], key=lambda p: p["value"])
    assert peak["value"] >= 0.9 * 0.25
    assert datetime.fromisoformat(peak["time"]).hour in (14, 15)  # the weekly spike
    advice = "Cache Redis reached 90% or more of the limit"
    assert advice in text_of(result) and advice not in fenced(result)
    assert "(168 points, one line per UTC day: mean / peak)" in fenced(result)


# -- on the Planner: a read tool, strict arguments --------------------------------------------------


async def test_app_metrics_is_a_read_tool(sevalla_settings):
    async with Client(build_server(sevalla_settings)) as client:
        (found,) = [t for t in (await client.list_tools()).tools if t.name == "app_metrics"]
    assert found.annotations.read_only_hint is True and not found.annotations.destructive_hint


async def test_a_misspelled_argument_is_refused_before_any_request(sandbox, sevalla_settings):
    _, state = sandbox
    result = await call(sevalla_settings, {"application": "api-service", "metrc": "cpu_usage"})
    assert result.is_error and "did you mean 'metric'" in text_of(result)
    assert state.requests == []


async def test_the_v3_api_named_in_the_data(sandbox, sevalla_settings):
    result = await call(sevalla_settings, {"application": "portfolio-app", "metric": "top_pages"})
    assert result.structured_content["api"] == "Sevalla v3" and "(Sevalla v3)" in fenced(result)
