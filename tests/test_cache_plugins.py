"""Caches, PHP, CDN/edge settings, blocked IPs, and WordPress plugins/themes, through the real MCP client."""

from __future__ import annotations

import pytest
from mcp import Client

from kinsta_mcp.sandbox import DEMO_COMPANY_ID
from kinsta_mcp.sandbox.routes.plugins import installed
from kinsta_mcp.server import build_server
from tests.test_tools import Asker, confirm_code, confirmed, text_of

pytestmark = pytest.mark.anyio

CLEAR_PATHS = {
    "/sites/tools/clear-cache": "server",
    "/sites/edge-caching/clear": "edge",
    "/sites/cdn/clear-cache": "cdn",
}


def env_of(state, site: str, env: str = "live") -> dict:
    found = next(s for s in state.sites if s["name"] == site)
    return next(e for e in found["environments"] if e["name"] == env)


def site_of(state, site: str) -> dict:
    return next(s for s in state.sites if s["name"] == site)


def changes(state) -> list:
    """Every mutating request the sandbox received."""
    return [r for r in state.requests if r.method in ("POST", "PUT", "DELETE")]


def sent(state, path: str, method: str = "") -> list:
    return [r for r in state.requests if r.path == path and (not method or r.method == method)]


async def change(client, action: str, site: str, **args):
    return await client.call_tool("cache_settings", {"action": action, "site": site, **args})


# -- clear_cache ---------------------------------------------------------------------------


async def test_clear_edge_cache_of_one_url_and_everything_below(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool(
            "clear_cache", {"site": "acmeshop", "cache": "edge", "url": "https://www.acmeshop.com/shop/*"}
        )
    assert not result.is_error, text_of(result)
    assert result.structured_content["state"] == "done"
    assert result.structured_content["action"] == "Clear edge cache on Acme Shop (acmeshop) › live"
    assert [r.json for r in sent(state, "/sites/edge-caching/clear")] == [
        {"environment_id": live["id"], "url": "https://www.acmeshop.com/shop/", "clear_subdirectories": True}
    ]
    assert live["last_edge_cache_clear"]["url"] == "https://www.acmeshop.com/shop/"
    assert sent(state, "/sites/tools/clear-cache") == []


async def test_clear_edge_cache_of_a_path_uses_the_primary_domain(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        whole = await client.call_tool("clear_cache", {"site": "acmeshop", "cache": "edge"})
        path = await client.call_tool("clear_cache", {"site": "acmeshop", "cache": "edge", "url": "/blog/"})
    assert not whole.is_error and not path.is_error
    bodies = [r.json for r in sent(state, "/sites/edge-caching/clear")]
    live_id = env_of(state, "acmeshop")["id"]
    assert bodies == [{"environment_id": live_id}, {"environment_id": live_id, "url": "https://acmeshop.com/blog/"}]


async def test_clear_cdn_cache_sends_the_environments_cdn_cache_id(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "blog-acme")
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("clear_cache", {"site": "acmeblog.com", "cache": "cdn"})
    assert result.structured_content["state"] == "done", text_of(result)
    assert [r.json for r in sent(state, "/sites/cdn/clear-cache")] == [
        {"environment_id": live["id"], "cdn_cache_id": live["cdn_cache_id"]}
    ]
    assert "last_cdn_cache_clear" in live


async def test_clear_all_caches_where_the_environment_has_them(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings), mode=mode) as client:
        live = await client.call_tool("clear_cache", {"site": "acmeshop", "cache": "all"})
        staging = await client.call_tool("clear_cache", {"site": "acmeshop", "environment": "staging", "cache": "all"})
    assert live.structured_content["state"] == staging.structured_content["state"] == "done"
    cleared = [(CLEAR_PATHS[r.path], r.json["environment_id"]) for r in state.requests if r.path in CLEAR_PATHS]
    live_id, staging_id = env_of(state, "acmeshop")["id"], env_of(state, "acmeshop", "staging")["id"]
    # Staging has no edge cache or CDN in the listing: only its server cache is cleared.
    assert cleared == [("server", live_id), ("edge", live_id), ("cdn", live_id), ("server", staging_id)]
    assert set(live.structured_content["jobs"].values()) == {"done"} and len(live.structured_content["jobs"]) == 3
    message = live.structured_content["message"]  # each job's action and state, in the structured content too
    assert "- Clear edge cache on Acme Shop (acmeshop) › live: done" in message
    assert "- Clear CDN cache on Acme Shop (acmeshop) › live: done" in message
    assert "- Clear edge cache on Acme Shop (acmeshop) › live: done" in text_of(live)
    assert len([r for r in state.requests if r.path.startswith("/operations/")]) >= 3  # each job followed
    assert staging.structured_content["action"] == "Clear cache on Acme Shop (acmeshop) › staging"


async def test_clear_all_returns_the_running_operation_to_follow(sandbox, settings):
    _, state = sandbox
    state.operation_seconds = 1.0
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("clear_cache", {"site": "acmeshop", "cache": "all", "max_wait_seconds": 0.2})
        data = result.structured_content
        assert data["state"] == "running"
        keys = list(data["jobs"])
        assert keys[0].startswith("op:cache:clear-")  # the first one still running
        assert any(k.startswith("op:cdn-cache:clear-") for k in keys)
        assert f"wait_for_job with jobs={keys!r}" in text_of(result)
        done = await client.call_tool("wait_for_job", {"jobs": keys, "max_wait_seconds": 5})
    assert done.structured_content["state"] == "done"
    assert set(done.structured_content["jobs"].values()) == {"done"}


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ({"environment": "staging", "cache": "cdn"}, "has no Kinsta CDN"),
        ({"cache": "server", "url": "https://acmeshop.com/"}, "url is only for cache=edge"),
        ({"cache": "edge", "url": "https://example.org/x"}, "example.org is not a domain of Acme Shop"),
        ({"cache": "edge", "url": "acmeshop.com/blog"}, "is not a URL"),
    ],
)
async def test_clear_cache_refuses_bad_input_without_a_request(sandbox, settings, args, error):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("clear_cache", {"site": "acmeshop", **args})
    assert result.is_error and error in text_of(result)
    assert changes(state) == []


# -- PHP, edge caching, image optimisation ----------------------------------------------------


async def test_php_version_switch_shows_in_the_environment_listing(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    assert live["php_version"] == "8.2"
    async with Client(build_server(settings), mode=mode) as client:
        result = await change(client, "php_version", "acmeshop", value="PHP 8.3")
        envs = await client.call_tool("list_sites", {"site": "acmeshop"})
    assert result.structured_content["state"] == "done", text_of(result)
    assert result.structured_content["action"] == "Switch Acme Shop (acmeshop) › live to PHP 8.3"
    assert [r.json for r in sent(state, "/sites/tools/modify-php-version", "PUT")] == [
        {"environment_id": live["id"], "php_version": "8.3"}
    ]
    listed = {e["name"]: e["php_version"] for e in envs.structured_content["sites"][0]["environments"]}
    assert listed == {"live": "8.3", "staging": "8.2", "staging-premium": "8.3"}


async def test_php_version_already_set_sends_nothing(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await change(client, "php_version", "acmeblog.com", value="8.3")
    assert not result.is_error and "already on this version" in result.structured_content["message"]
    assert changes(state) == []


@pytest.mark.parametrize("value", ["", "8", "8.3.1", "eight", "8,3"])
async def test_php_version_format_is_checked_before_any_request(sandbox, settings, value):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await change(client, "php_version", "acmeshop", value=value)
    assert result.is_error and "major.minor, e.g. 8.3" in text_of(result)
    assert state.requests == []


async def test_php_version_kinsta_does_not_offer_is_reported(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await change(client, "php_version", "acmeshop", value="7.0")
    assert result.is_error and "PHP version 7.0 is not available" in text_of(result)
    assert env_of(state, "acmeshop")["php_version"] == "8.2"


async def test_edge_caching_off_then_on(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    edge_id = live["id_edge_cache"]
    async with Client(build_server(settings), mode=mode) as client:
        off = await change(client, "edge_cache_off", "acmeshop")
        assert off.structured_content["state"] == "done", text_of(off)
        assert live["id_edge_cache"] is None
        # With edge caching off, "all" no longer clears it.
        await client.call_tool("clear_cache", {"site": "acmeshop", "cache": "all"})
        on = await change(client, "edge_cache_on", "acmeshop")
    assert on.structured_content["action"] == "Edge caching on for Acme Shop (acmeshop) › live"
    assert [r.json for r in sent(state, "/sites/edge-caching/status")] == [
        {"environment_id": live["id"], "enabled": False},
        {"environment_id": live["id"], "enabled": True},
    ]
    assert sent(state, "/sites/edge-caching/clear") == []
    assert live["id_edge_cache"] == edge_id


async def test_image_optimization(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "client-bakery")
    async with Client(build_server(settings), mode=mode) as client:
        result = await change(client, "image_optimization", "Rosie's Bakery", value="lossless")
        bad = await change(client, "image_optimization", "client-bakery", value="webp")
    assert result.structured_content["state"] == "done", text_of(result)
    assert [r.json for r in sent(state, "/sites/cdn/image-optimization")] == [
        {"environment_id": live["id"], "image_optimization_type": "lossless"}
    ]
    assert live["image_optimization_type"] == "lossless"
    assert bad.is_error and "off, lossy or lossless" in text_of(bad)


@pytest.mark.both_eras
async def test_protect_live_asks_before_a_settings_change_on_live(sandbox, settings, mode):
    _, state = sandbox
    guarded = settings.with_(protect_live=True)
    async with Client(build_server(guarded), mode=mode) as client:
        stopped = await change(client, "edge_cache_off", "acmeshop")
        assert stopped.is_error and "LIVE environment of Acme Shop" in text_of(stopped)
        assert changes(state) == []
        staging = await change(client, "image_optimization", "acmeshop", environment="staging", value="lossy")
        done = await change(client, "edge_cache_off", "acmeshop", confirm=confirm_code(stopped))
    assert not staging.is_error and not done.is_error, text_of(done)
    assert [r.path for r in changes(state)] == ["/sites/cdn/image-optimization", "/sites/edge-caching/status"]


# -- blocked IPs -----------------------------------------------------------------------------


def blocked(**where):
    return {"show": "blocked_ips", "site": "acmeshop", **where}


async def test_blocked_ips_are_an_environment_detail(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings), mode=mode) as client:
        live = await client.call_tool("environment_info", blocked())
        staging = await client.call_tool("environment_info", blocked(environment="staging"))
    data = live.structured_content
    assert (data["environment"], data["show"], data["blocked_ips"]) == (
        "Acme Shop (acmeshop) › live", "blocked_ips", ["198.51.100.23"])
    assert "blocked_ips: 198.51.100.23" in text_of(live)
    assert staging.structured_content["blocked_ips"] == [] and "none (no IP is refused)" in text_of(staging)
    queries = [r.query for r in sent(state, "/sites/tools/denied-ips", "GET")]
    assert queries == [{"environment_id": env_of(state, "acmeshop")["id"]},
                       {"environment_id": env_of(state, "acmeshop", "staging")["id"]}]


async def test_block_ips_adds_to_the_list_it_read(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    ips = ["203.0.113.0/24", "198.51.100.23/32", "2001:0db8:0000:0000:0000:0000:0000:0001", "203.0.113.0/24"]
    async with Client(build_server(settings), mode=mode) as client:
        result = await change(client, "block_ips", "acmeshop", ips=ips)
        listed = await client.call_tool("environment_info", blocked())
    assert not result.is_error, text_of(result)
    new = ["198.51.100.23", "203.0.113.0/24", "2001:db8::1"]
    assert [r.json for r in sent(state, "/sites/tools/denied-ips", "PUT")] == [
        {"environment_id": live["id"], "ip_list": new}
    ]
    assert listed.structured_content["blocked_ips"] == new
    assert "before: 198.51.100.23" in result.structured_content["message"]


async def test_block_ips_already_blocked_sends_nothing(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await change(client, "block_ips", "acmeshop", ips=["198.51.100.23"])
    assert not result.is_error and "unchanged, nothing sent" in result.structured_content["message"]
    assert changes(state) == []


async def test_unblock_ips(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    live["denied_ips"] = ["198.51.100.23", "203.0.113.0/24", "2001:db8::1"]
    async with Client(build_server(settings), mode=mode) as client:
        inside = await change(client, "unblock_ips", "acmeshop", ips=["203.0.113.9"])
        assert inside.is_error and "203.0.113.9 is inside blocked range 203.0.113.0/24" in text_of(inside)
        assert changes(state) == []
        result = await change(client, "unblock_ips", "acmeshop", ips=["198.51.100.23", "2001:DB8::1/128"])
    assert not result.is_error, text_of(result)
    assert [r.json["ip_list"] for r in sent(state, "/sites/tools/denied-ips", "PUT")] == [["203.0.113.0/24"]]
    assert live["denied_ips"] == ["203.0.113.0/24"]


async def test_set_blocked_ips_replaces_the_list_and_reports_the_old_one(sandbox, settings):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    async with Client(build_server(settings)) as client:
        replaced = await change(client, "set_blocked_ips", "acmeshop", ips=["192.0.2.1"])
        cleared = await change(client, "set_blocked_ips", "acmeshop")
    assert replaced.structured_content["message"] == "now: 192.0.2.1; before: 198.51.100.23"
    assert cleared.structured_content["message"] == "now: none; before: 192.0.2.1"
    assert [r.json["ip_list"] for r in sent(state, "/sites/tools/denied-ips", "PUT")] == [["192.0.2.1"], []]
    assert live["denied_ips"] == []


@pytest.mark.parametrize(
    ("action", "ips", "error"),
    [
        ("block_ips", ["300.1.2.3"], "'300.1.2.3' is not an IP address or CIDR range"),
        ("block_ips", ["10.0.0.5/24"], "Did you mean 10.0.0.0/24?"),
        ("set_blocked_ips", ["example.com"], "'example.com' is not an IP address"),
        ("block_ips", [], "block_ips needs ips"),
        ("unblock_ips", [], "unblock_ips needs ips"),
    ],
)
async def test_bad_ips_are_refused_before_any_request(sandbox, settings, action, ips, error):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await change(client, action, "acmeshop", ips=ips)
    assert result.is_error and error in text_of(result)
    assert state.requests == []


async def test_unblocking_what_is_not_blocked_is_an_error(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await change(client, "unblock_ips", "acmeshop", ips=["192.0.2.7"])
    assert result.is_error and "Not blocked, so nothing to unblock: 192.0.2.7" in text_of(result)
    assert "Blocked now: 198.51.100.23" in text_of(result) and changes(state) == []


# -- plugins and themes -----------------------------------------------------------------------


async def test_list_plugins_of_an_environment(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    rows = installed(site_of(state, "acmeshop"), live, "plugins")
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("list_plugins", {"site": "acmeshop"})
        updates = await client.call_tool("list_plugins", {"site": "acmeshop", "updates_only": True})
    data = result.structured_content
    assert data["scope"] == "Plugins of Acme Shop (acmeshop) › live"
    assert [i["name"] for i in data["items"]] == sorted(r["name"] for r in rows)
    woo = next(i for i in data["items"] if i["name"] == "woocommerce")
    assert woo == {"name": "woocommerce", "title": "WooCommerce", "status": "active", "version": "9.3.3",
                   "update_version": "9.4.2", "environments": 0, "updates": 0, "vulnerable": False, "update_on": []}
    assert "woocommerce 9.3.3 (WooCommerce) [active] → 9.4.2 available" in text_of(result)
    assert [i["name"] for i in updates.structured_content["items"]] == sorted(
        r["name"] for r in rows if r["update"] == "available"
    )
    assert all(i["update_version"] == "" for i in data["items"] if i["name"] in ("akismet", "wordpress-seo"))
    assert [r.path for r in state.requests if "/plugins" in r.path] == [f"/sites/environments/{live['id']}/plugins"] * 2


async def test_vulnerable_plugins_of_an_environment_come_from_the_filtered_site_level_list(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    rows = {r["name"]: r for r in installed(site_of(state, "acmeshop"), live, "plugins")}
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("list_plugins", {"site": "acmeshop", "vulnerable_only": True})
        both = await client.call_tool("list_plugins", {"site": "acmeshop", "vulnerable_only": True,
                                                       "updates_only": True})
    wanted = sorted(n for n, r in rows.items() if n == "acme-slider" or (n == "contact-form-7" and r["version"] != "6.0.1"))
    items = result.structured_content["items"]
    assert [i["name"] for i in items] == wanted and all(i["vulnerable"] for i in items)
    assert "acme-slider" in wanted and all(f"{n} " in text_of(result) for n in wanted)
    assert "VULNERABLE" in text_of(result)
    assert [i["name"] for i in both.structured_content["items"]] == [
        n for n in wanted if rows[n]["update"] == "available"]
    path = f"/sites/environments/{live['id']}/wp-plugins"
    assert [r.query for r in sent(state, path)] == [{"column": "vulnerable"}] * 2


async def test_company_wide_vulnerable_plugins_name_the_latest_version_flag(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("list_plugins", {"vulnerable_only": True})
    data = result.structured_content
    assert [i["name"] for i in data["items"]] == ["acme-slider"] and data["items"][0]["vulnerable"]
    assert data["scope"] == "Plugins across the company whose latest version has a known vulnerability"
    assert sent(state, f"/company/{DEMO_COMPANY_ID}/wp-plugins")[0].query["column"] == "vulnerable"


async def test_vulnerable_plugins_with_an_allowlist_stay_within_it(sandbox, settings):
    _, state = sandbox
    limited = settings.with_(allowed_sites=("client-bakery",))
    async with Client(build_server(limited)) as client:
        result = await client.call_tool("list_plugins", {"vulnerable_only": True})
    bakery = site_of(state, "client-bakery")
    assert {r.path for r in state.requests if "wp-plugins" in r.path} == {
        f"/sites/environments/{e['id']}/wp-plugins" for e in bakery["environments"]}
    assert "client-bakery" in result.structured_content["scope"] or "Bakery" in result.structured_content["scope"]


async def test_list_themes_is_paged(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        themes = {"kind": "themes", "site": "acmeblog.com", "limit": 1}
        first = await client.call_tool("list_plugins", themes)
        second = await client.call_tool("list_plugins", {**themes, "offset": 1})
    assert first.structured_content["total"] == 2 and first.structured_content["next_offset"] == 1
    assert [i["name"] for i in first.structured_content["items"]] == ["astra"]
    assert [i["name"] for i in second.structured_content["items"]] == ["twentytwentyfour"]
    assert second.structured_content["next_offset"] == -1
    assert "more with offset=1" in text_of(first)
    assert sent(state, f"/sites/environments/{env_of(state, 'blog-acme')['id']}/themes")


async def test_company_wide_plugin_inventory(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings), mode=mode) as client:
        everything = await client.call_tool("list_plugins", {})
        outdated = await client.call_tool("list_plugins", {"updates_only": True, "limit": 3})
    path = f"/company/{DEMO_COMPANY_ID}/wp-plugins"
    assert [r.query for r in sent(state, path)] == [
        {"limit": "50", "offset": "0"},
        {"limit": "3", "offset": "0", "column": "updatesAvailable"},
    ]
    data = everything.structured_content
    assert data["scope"] == "Plugins across the company" and data["total"] == 7 == data["returned"]
    slider = next(i for i in data["items"] if i["name"] == "acme-slider")
    assert slider["environments"] == 5 and slider["updates"] == 1
    assert slider["version"] == "2.1.0" and slider["status"] == "latest version vulnerable"
    page = outdated.structured_content
    assert page["returned"] == 3 and page["total"] == 7 and page["next_offset"] == 3
    assert all(i["updates"] > 0 for i in page["items"])
    assert "on 10 environments, " in text_of(everything)  # akismet is everywhere


async def test_the_company_inventory_names_where_each_update_is_needed(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("list_plugins", {"updates_only": True})
    expected = {}
    for site in state.sites:
        for env in site["environments"]:
            for row in installed(site, env, "plugins"):
                if row["update"] == "available":
                    expected.setdefault(row["name"], []).append(f"{site['display_name']} › {env['display_name']}")
    items = result.structured_content["items"]
    assert {i["name"]: i["update_on"] for i in items} == expected
    slider = next(i for i in items if i["name"] == "acme-slider")
    assert f"need an update: {', '.join(expected['acme-slider'])}" in text_of(result)
    assert all(len(i["update_on"]) == i["updates"] for i in items)


async def test_within_an_allowlist_the_inventory_names_places_too(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings.with_(allowed_sites=("acmeshop",)))) as client:
        result = await client.call_tool("list_plugins", {"updates_only": True})
    shop = site_of(state, "acmeshop")
    expected = {}
    for env in shop["environments"]:
        for row in installed(shop, env, "plugins"):
            if row["update"] == "available":
                expected.setdefault(row["name"], []).append(f"{shop['display_name']} › {env['display_name']}")
    assert {i["name"]: i["update_on"] for i in result.structured_content["items"]} == expected


async def test_company_wide_theme_inventory(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("list_plugins", {"kind": "themes"})
    assert {i["name"] for i in result.structured_content["items"]} == {"astra", "storefront", "twentytwentyfour"}
    assert sent(state, f"/company/{DEMO_COMPANY_ID}/wp-themes")


async def test_update_one_plugin_to_its_available_version(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("update_plugins", {"site": "acmeshop", "names": ["woocommerce"]})
        after = await client.call_tool("list_plugins", {"site": "acmeshop", "updates_only": True})
    assert result.structured_content["state"] == "done", text_of(result)
    assert result.structured_content["action"] == "Update woocommerce 9.3.3 → 9.4.2 on Acme Shop (acmeshop) › live"
    assert [r.json for r in sent(state, f"/sites/environments/{live['id']}/plugins", "PUT")] == [
        {"name": "woocommerce", "update_version": "9.4.2"}
    ]
    assert [i["name"] for i in after.structured_content["items"]] == ["contact-form-7"]
    woo = next(r for r in live["wp_plugins"] if r["name"] == "woocommerce")
    assert (woo["version"], woo["update"]) == ("9.4.2", "none")


async def test_update_several_plugins_uses_bulk_update(sandbox, settings, mode):
    _, state = sandbox
    staging = env_of(state, "client-dentist", "staging")
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool(
            "update_plugins", {"site": "client-dentist", "environment": "staging", "names": ["akismet", "elementor"]}
        )
        after = await client.call_tool("list_plugins", {"environment": staging["id"], "updates_only": True})
    assert result.structured_content["state"] == "done", text_of(result)
    assert [r.json for r in sent(state, f"/sites/environments/{staging['id']}/plugins/bulk-update")] == [
        {"plugins": [{"name": "akismet"}, {"name": "elementor"}]}
    ]
    assert [i["name"] for i in after.structured_content["items"]] == ["contact-form-7", "wordpress-seo"]


async def test_update_all_themes_with_an_update(sandbox, settings):
    _, state = sandbox
    live = env_of(state, "client-dentist")
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("update_plugins", {"site": "client-dentist", "kind": "themes", "names": ["*"]})
        again = await client.call_tool("update_plugins", {"site": "client-dentist", "kind": "themes", "names": ["*"]})
    assert result.structured_content["state"] == "done", text_of(result)
    assert [r.json for r in sent(state, f"/sites/environments/{live['id']}/themes/bulk-update")] == [
        {"themes": [{"name": "astra"}, {"name": "twentytwentyfour"}]}
    ]
    assert again.is_error
    assert "All themes of Bright Smile Dental (client-dentist) › live are up to date" in text_of(again)


@pytest.mark.parametrize(
    ("names", "error"),
    [
        (["jetpack"], "Not installed on Acme Shop (acmeshop) › live: jetpack. Installed plugins: acme-slider"),
        (["akismet"], "akismet is at 5.3.5 on Acme Shop (acmeshop) › live and has no update available"),
        (["woocommerce", "akismet"], "No update available for akismet"),
        ([" "], "names needs the slugs"),
    ],
)
async def test_update_plugins_refuses_what_it_cannot_update(sandbox, settings, names, error):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("update_plugins", {"site": "acmeshop", "names": names})
    assert result.is_error and error in text_of(result)
    assert changes(state) == []


@pytest.mark.both_eras
async def test_update_on_live_with_protect_live_asks_the_user(sandbox, settings, mode):
    _, state = sandbox
    asker = Asker("decline")
    async with Client(build_server(settings.with_(protect_live=True)), mode=mode, elicitation_callback=asker) as client:
        declined = await client.call_tool("update_plugins", {"site": "acmeshop", "names": ["woocommerce"]})
    assert declined.is_error and "nothing was changed" in text_of(declined)
    assert len(asker.asked) == 1 and "Update woocommerce 9.3.3 → 9.4.2 on Acme Shop (acmeshop) › live" in asker.asked[0]
    assert "on the LIVE environment of Acme Shop" in asker.asked[0]
    assert changes(state) == []


async def test_read_only_mode_keeps_the_reads(settings):
    async with Client(build_server(settings.with_(read_only=True))) as client:
        names = {t.name for t in (await client.list_tools()).tools}
    assert {"environment_info", "list_plugins"} <= names
    assert names.isdisjoint({"clear_cache", "cache_settings", "update_plugins", "restart_php"})


async def test_an_update_version_without_update_available_is_no_update(sandbox, settings):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    rows = installed(site_of(state, "acmeshop"), live, "plugins")
    akismet = next(r for r in rows if r["name"] == "akismet")
    akismet["update_version"] = "5.3.5"  # Kinsta may echo the version while `update` says "none"
    assert akismet["update"] == "none"
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("list_plugins", {"site": "acmeshop", "updates_only": True})
    assert "akismet" not in [i["name"] for i in result.structured_content["items"]]


# -- the migrated plugin tools: risk, confirmation, strict arguments, scope ----------------------


async def test_plugin_tools_annotations_are_true_for_every_action(settings):
    async with Client(build_server(settings)) as client:
        tools = {t.name: t.annotations for t in (await client.list_tools()).tools}
    assert tools["list_plugins"].read_only_hint is True
    update = tools["update_plugins"]
    assert not update.read_only_hint and update.destructive_hint is False  # updates overwrite nothing by name


@pytest.mark.both_eras
async def test_update_on_live_with_protect_live_sends_nothing_before_the_code_and_runs_after(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "acmeshop")
    args = {"site": "acmeshop", "names": ["woocommerce"]}
    async with Client(build_server(settings.with_(protect_live=True)), mode=mode) as client:
        preview = await client.call_tool("update_plugins", args)
        assert preview.is_error and "Confirmation needed" in text_of(preview)
        assert "Update woocommerce 9.3.3 → 9.4.2 on Acme Shop (acmeshop) › live" in text_of(preview)
        assert changes(state) == []
        done = await confirmed(client, "update_plugins", args)
    assert done.structured_content["state"] == "done", text_of(done)
    assert next(iter(done.structured_content["jobs"])).startswith("op:")
    assert [r.json for r in sent(state, f"/sites/environments/{live['id']}/plugins", "PUT")] == [
        {"name": "woocommerce", "update_version": "9.4.2"}
    ]


@pytest.mark.parametrize(("tool", "args", "hint"), [
    ("update_plugins", {"site": "acmeshop", "enviroment": "staging", "names": ["akismet"]}, "'environment'"),
    ("list_plugins", {"site": "acmeshop", "update_only": True}, "'updates_only'"),
])  # fmt: skip
async def test_misspelled_arguments_are_refused_before_any_request(sandbox, settings, tool, args, hint):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool(tool, args)
    assert result.is_error and f"did you mean {hint}" in text_of(result)
    assert state.requests == []


async def test_company_wide_listing_of_a_scoped_server_covers_only_its_sites(sandbox, settings):
    _, state = sandbox
    scoped = settings.with_(allowed_sites=("acmeshop",))
    async with Client(build_server(scoped)) as client:
        result = await client.call_tool("list_plugins", {})
        outdated = await client.call_tool("list_plugins", {"updates_only": True})
    assert not result.is_error, text_of(result)
    assert not sent(state, f"/company/{DEMO_COMPANY_ID}/wp-plugins")  # the inventory covers every site
    shop = site_of(state, "acmeshop")
    rows = {env["id"]: installed(shop, env, "plugins") for env in shop["environments"]}
    data = result.structured_content
    assert "Acme Shop (acmeshop)" in data["scope"]
    assert {i["name"] for i in data["items"]} == {r["name"] for env_rows in rows.values() for r in env_rows}
    assert "elementor" not in {i["name"] for i in data["items"]}  # only on other sites
    woo = next(i for i in data["items"] if i["name"] == "woocommerce")
    assert woo["environments"] == len(rows)
    assert woo["updates"] == sum(r["update"] == "available" for env_rows in rows.values() for r in env_rows
                                 if r["name"] == "woocommerce")
    assert all(i["updates"] for i in outdated.structured_content["items"])
    other_envs = {e["id"] for s in state.sites if s["name"] != "acmeshop" for e in s["environments"]}
    assert not [r for r in state.requests if any(e in r.path for e in other_envs)]
