"""company_report through the real MCP client against the sandbox over HTTP: each report over the demo company,
ranked as the sandbox's own data says, filtered and grouped by site label, kept to the allowed sites (no
request about the others), progress per item, partial answers at the bound, and no request a report does
not need."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from mcp import Client

from kinsta_mcp.sandbox import DEMO_COMPANY_ID
from kinsta_mcp.sandbox.routes.backups import backups_of
from kinsta_mcp.sandbox.routes.plugins import installed
from kinsta_mcp.sandbox.state import Fault
from kinsta_mcp.server import build_server
from tests.paas import app_named, db_named, site_named
from tests.test_tools import text_of

pytestmark = pytest.mark.anyio

REPORT = "company_report"


async def report(settings, args, **client):
    async with Client(build_server(settings), **{k: v for k, v in client.items() if k != "progress_callback"}) as c:
        return await c.call_tool(REPORT, args, progress_callback=client.get("progress_callback"))


def ok(result) -> dict:
    assert not result.is_error, text_of(result)
    return result.structured_content


def paths(state, base="kinsta") -> list[str]:
    return [r.path for r in state.requests if r.base == base]


def live_env(site):
    return next(e for e in site["environments"] if e["name"] == "live")


def label_of(site) -> str:
    return f"{site['display_name']} ({site['name']})"


# -- traffic -----------------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_visits_are_ranked_as_each_environments_analytics_say(sandbox, settings, mode):
    _, state = sandbox
    both = settings.with_(toolsets=("reports", "analytics"))
    async with Client(build_server(both), mode=mode) as client:
        result = await client.call_tool(REPORT, {"report": "visits", "period": "last_7_days"})
        data = ok(result)
        expected = {}
        for site in state.sites:
            one = await client.call_tool("site_analytics", {"site": site["name"], "metric": "visits"})
            expected[label_of(site)] = one.structured_content["total"]
    ranked = sorted(expected, key=lambda name: -expected[name])
    assert [r["site"] for r in data["rows"]] == ranked
    assert {r["site"]: r["value"] for r in data["rows"]} == expected
    assert all(r["environment"] == "live" for r in data["rows"]) and data["missing"] == []
    top = next(s for s in state.sites if label_of(s) == ranked[0])
    assert f"1. {ranked[0]} › live: {expected[ranked[0]]:,.0f}" in text_of(result)
    assert "Kinsta's rolling 7 days" in data["measure"] and top["labels"]
    clients = sum(v for name, v in expected.items() if "client-" in name)
    assert f"Client 2 sites, {clients:,.0f}" in text_of(result)  # grouped by site label
    assert f"(no label) 1 site, {expected['Portfolio (portfolio)']:,.0f}" in text_of(result)


async def test_a_calendar_period_goes_as_whole_days_and_only_the_asked_metric_is_fetched(sandbox, settings):
    _, state = sandbox
    data = ok(await report(settings, {"report": "cdn", "period": "last_month"}))
    month = datetime.now(UTC).replace(day=1).date()
    first, last = (month - timedelta(days=1)).replace(day=1), month - timedelta(days=1)
    asked = [r for r in state.requests if "/analytics/" in r.path]
    assert {r.path for r in asked} == {
        f"/sites/environments/{live_env(s)['id']}/analytics/cdn-bandwidth" for s in state.sites
    }
    assert all(
        r.query == {"from": first.isoformat(), "to": last.isoformat(), "company_id": DEMO_COMPANY_ID} for r in asked
    )
    assert f"{first} to {last}, whole UTC days" in data["measure"]
    assert [r["value"] for r in data["rows"]] == sorted((r["value"] for r in data["rows"]), reverse=True)
    assert paths(state) == ["/sites"] + [r.path for r in asked]  # nothing about backups, plugins, domains


async def test_disk_over_24_hours_is_refused_before_anything_is_sent(sandbox, settings):
    _, state = sandbox
    result = await report(settings, {"report": "disk", "period": "last_24_hours"})
    assert result.is_error and "no 24-hour window" in text_of(result)
    bad = await report(settings, {"report": "visits", "period": "fortnight"})
    assert bad.is_error and "last_month" in text_of(bad)
    assert state.requests == []


async def test_disk_is_the_latest_value_with_utc(sandbox, settings):
    _, state = sandbox
    both = settings.with_(toolsets=("reports", "analytics"))
    async with Client(build_server(both)) as client:
        data = ok(await client.call_tool(REPORT, {"report": "disk", "period": "last_7_days"}))
        one = await client.call_tool("site_analytics", {"site": "acmeshop", "metric": "disk_space"})
    asked = [r for r in state.requests if r.path.endswith("/analytics/diskspace")]
    assert len(asked) == 6 and all(r.query["time_zone"] == "00:00" and r.query["time_span"] == "7_days" for r in asked)
    shop = next(r for r in data["rows"] if r["site"] == "Acme Shop (acmeshop)")
    assert shop["value"] == one.structured_content["total"]  # the latest point, not a sum of 7 days
    assert shop["value"] < sum(p["value"] for p in one.structured_content["series"][0]["points"]) / 2


# -- labels and the allowlist -----------------------------------------------------------------------


async def test_a_label_keeps_to_its_sites_and_an_unknown_one_lists_the_labels(sandbox, settings):
    _, state = sandbox
    data = ok(await report(settings, {"report": "bandwidth", "label": "client"}))
    assert {r["site"] for r in data["rows"]} == {
        "Rosie's Bakery (client-bakery)",
        "Bright Smile Dental (client-dentist)",
    }
    assert all(r["labels"] == ["Client"] for r in data["rows"]) and "labelled 'client'" in data["measure"]
    others = [live_env(s)["id"] for s in state.sites if s["name"] not in ("client-bakery", "client-dentist")]
    assert not any(env_id in p for p in paths(state) for env_id in others)
    state.requests.clear()
    unknown = await report(settings, {"report": "visits", "label": "Nobody"})
    assert unknown.is_error and "Labels in use: Client, Do not remove, E-commerce, Internal" in text_of(unknown)
    assert paths(state) == ["/sites"]


async def test_the_allowlist_keeps_every_report_to_the_allowed_sites(sandbox, settings):
    _, state = sandbox
    allowed = ("acmeshop", "client-bakery")
    scoped = settings.with_(allowed_sites=allowed)
    kept = [s for s in state.sites if s["name"] in allowed]
    others = {e["id"] for s in state.sites if s["name"] not in allowed for e in s["environments"]}
    others |= {s["id"] for s in state.sites if s["name"] not in allowed}
    for kind in ("visits", "updates", "backups", "domains", "versions"):
        data = ok(await report(scoped, {"report": kind}))
        assert {r["site"] for r in data["rows"]} == {label_of(s) for s in kept}, kind
        assert "only those this server may touch" in data["measure"]
    assert not [p for p in paths(state) if any(other in p for other in others)]
    assert not [p for p in paths(state) if p.startswith("/company/")]  # not even the company inventory


# -- versions, updates, backups, domains -----------------------------------------------------------


async def test_versions_come_from_the_listing_alone_grouped_oldest_php_first(sandbox, settings):
    _, state = sandbox
    result = await report(settings, {"report": "versions"})
    data = ok(result)
    assert paths(state) == ["/sites"]
    envs = [(s, e) for s in state.sites for e in s["environments"]]
    assert len(data["rows"]) == len(envs)
    assert data["rows"][0]["note"] == "PHP 8.1, WordPress 6.5.5"
    text = text_of(result)
    assert (
        text.index("PHP 8.1: 2 — Rosie's Bakery (client-bakery) (live, staging)")
        < text.index("PHP 8.2: 2 — Acme Shop (acmeshop) (live, staging)")
        < text.index("PHP 8.3: 6")
    )
    assert "WordPress: 6.5.5 on 2; 6.6.2 on 2; 6.7.1 on 6" in text


def pending(state, site, env) -> tuple[int, set[str]]:
    rows = installed(site, env, "plugins") + installed(site, env, "themes")
    return sum(r["update"] == "available" for r in rows), {r["name"] for r in rows}


async def test_updates_from_the_company_inventories(sandbox, settings):
    _, state = sandbox
    result = await report(settings, {"report": "updates", "limit": 50})
    data = ok(result)
    inventories = [f"/company/{DEMO_COMPANY_ID}/wp-plugins", f"/company/{DEMO_COMPANY_ID}/wp-themes"]
    assert paths(state)[0] == "/sites" and sorted(paths(state)[1:]) == inventories  # one page each
    rows = {(r["site"], r["environment"]): r for r in data["rows"]}
    for site in state.sites:
        for env in site["environments"]:
            count, names = pending(state, site, env)
            found = rows[(label_of(site), env["name"])]
            assert found["value"] == count, (site["name"], env["name"])
            assert found["note"].startswith("VULNERABLE acme-slider") == ("acme-slider" in names)
    assert data["rows"][0]["note"].startswith("VULNERABLE")  # the vulnerable ones first
    assert "even the latest release" in data["measure"]


async def test_updates_on_a_limited_server_read_each_allowed_environment(sandbox, settings):
    _, state = sandbox
    data = ok(await report(settings.with_(allowed_sites=("client-bakery",)), {"report": "updates"}))
    bakery = next(s for s in state.sites if s["name"] == "client-bakery")
    for env in bakery["environments"]:
        count, _ = pending(state, bakery, env)
        row = next(r for r in data["rows"] if r["environment"] == env["name"])
        assert row["value"] == count
        behind = next(r for r in installed(bakery, env, "plugins") if r["name"] == "contact-form-7")
        assert ("contact-form-7" in row["note"].split(";")[0]) == (behind["update"] == "available")
    assert "installed version" in data["measure"]
    env_ids = {e["id"] for e in bakery["environments"]}
    assert {p.split("/")[3] for p in paths(state)[1:]} == env_ids and len(paths(state)) == 1 + 4 * len(env_ids)


async def test_backups_oldest_first_and_none_before_all(sandbox, settings):
    _, state = sandbox
    shop, blog = (next(s for s in state.sites if s["name"] == n) for n in ("acmeshop", "blog-acme"))
    backups_of(blog, live_env(blog)).clear()
    fresh = backups_of(shop, live_env(shop))
    half_a_day_ago = int((datetime.now(UTC) - timedelta(hours=12)).timestamp() * 1000)
    fresh.append({"id": 1, "name": "x", "note": None, "type": "manual", "created_at": half_a_day_ago})
    result = await report(settings, {"report": "backups"})
    data = ok(result)
    assert data["rows"][0] == {
        "site": "Acme Blog (blog-acme)",
        "environment": "live",
        "value": -1,
        "note": "no backup listed",
        "labels": ["Internal"],
    }
    assert data["rows"][-1]["site"] == "Acme Shop (acmeshop)" and data["rows"][-1]["value"] == 0.5
    ages = [r["value"] for r in data["rows"][1:]]
    assert ages == sorted(ages, reverse=True) and ages[0] > 30
    assert len([p for p in paths(state) if p.endswith("/backups")]) == 5
    assert "1. Acme Blog (blog-acme) › live: -1.0 — no backup listed" in text_of(result)


async def test_domains_of_every_environment_say_ssl_is_not_reported(sandbox, settings):
    _, state = sandbox
    result = await report(settings, {"report": "domains", "limit": 20})
    data = ok(result)
    envs = [(s, e) for s in state.sites for e in s["environments"]]
    assert len(data["rows"]) == len(envs) and len([p for p in paths(state) if p.endswith("/domains")]) == len(envs)
    shop = next(r for r in data["rows"] if r["site"] == "Acme Shop (acmeshop)" and r["environment"] == "live")
    assert shop["value"] == 3
    assert shop["note"] == "acmeshop.com (primary), www.acmeshop.com, acmeshop.kinsta.cloud [Cloudflare DNS]"
    assert "no certificate (SSL) status" in data["measure"]
    assert "- Acme Shop (acmeshop) › live — acmeshop.com (primary)" in text_of(result)


# -- a client's everything -------------------------------------------------------------------------


async def test_client_report_joins_labelled_sites_and_sevalla_objects_by_name(sandbox, sevalla_settings):
    _, state = sandbox
    for site in state.sites:
        if site["name"] in ("acmeshop", "blog-acme"):
            site["labels"].append({"id": "label-acme", "name": "Acme"})
    result = await report(sevalla_settings, {"report": "client", "label": "acme", "limit": 50})
    data = ok(result)
    kinds = {(r["environment"], r["site"]) for r in data["rows"]}
    assert {site for kind, site in kinds if kind in ("live", "staging", "staging-premium")} == {
        "Acme Shop (acmeshop)",
        "Acme Blog (blog-acme)",
    }
    assert ("application", "Acme API (api-service)") in kinds and ("database", "Acme Postgres (acme-postgres)") in kinds
    assert ("static site", "Acme Docs (docs-site)") in kinds
    assert not any(n in str(kinds) for n in ("portfolio-app", "cache-redis", "landing-page", "client-bakery"))
    db = next(r for r in data["rows"] if r["environment"] == "database")
    assert db["note"].startswith(f"postgresql 15 {db_named(state, 'acme-postgres')['status']}")
    assert app_named(state, "api-service") and site_named(state, "docs-site")
    assert "name or display name contains it" in data["measure"]


async def test_client_report_needs_a_label_and_without_a_sevalla_key_says_what_was_not_looked_up(sandbox, settings):
    _, state = sandbox
    bare = await report(settings, {"report": "client"})
    assert bare.is_error and "needs label=" in text_of(bare) and state.requests == []
    data = ok(await report(settings, {"report": "client", "label": "Client"}))
    assert len(data["rows"]) == 4 and "no Sevalla key" in data["measure"]
    assert paths(state) == ["/sites"] and not [r for r in state.requests if r.base != "kinsta"]


# -- progress, bounds, failures --------------------------------------------------------------------


@pytest.mark.both_eras
async def test_progress_arrives_once_per_environment(sandbox, settings, mode):
    _, state = sandbox
    seen = []

    async def on_progress(value, total, message):
        seen.append((value, total, message))

    ok(await report(settings, {"report": "backups"}, mode=mode, progress_callback=on_progress))
    assert [v for v, _, _ in seen] == [1, 2, 3, 4, 5] and {t for _, t, _ in seen} == {5}
    assert {m.split(" (")[0] for _, _, m in seen} == {f"{s['name']} › live" for s in state.sites}


@pytest.mark.both_eras
async def test_the_bound_returns_what_arrived_and_names_what_did_not(sandbox, settings, mode):
    _, state = sandbox
    slow = next(s for s in state.sites if s["name"] == "client-dentist")
    state.add_fault(Fault("GET", f"/sites/environments/{live_env(slow)['id']}/analytics/visits", delay=2))
    started = datetime.now(UTC)
    result = await report(settings.with_(max_wait=0.5), {"report": "visits"}, mode=mode)
    data = ok(result)
    assert (datetime.now(UTC) - started).total_seconds() < 1.8
    assert len(data["rows"]) == 4 and "Bright Smile Dental (client-dentist)" not in {r["site"] for r in data["rows"]}
    assert data["missing"] == ["client-dentist › live: not answered within the 0.5 s bound"]
    assert "Missing 1: client-dentist › live" in text_of(result) and "Partial answer" in text_of(result)


async def test_a_failing_environment_is_named_and_all_failing_is_an_error(sandbox, settings):
    _, state = sandbox
    broken = next(s for s in state.sites if s["name"] == "portfolio")
    state.add_fault(Fault("GET", f"/sites/environments/{live_env(broken)['id']}/backups", status=404))
    data = ok(await report(settings, {"report": "backups"}))
    assert len(data["rows"]) == 4 and data["missing"][0].startswith("portfolio › live: ")
    state.add_fault(Fault("GET", "/sites/environments/*/backups", status=403, times=-1))
    failed = await report(settings, {"report": "backups"})
    assert failed.is_error
