"""create_site honours every option the spec documents and answers with the new site's ID, environments and
domains once it exists; through the real MCP client against the sandbox (the conftest observer checks every
request body against the spec)."""

from __future__ import annotations

import pytest
from mcp import Client

from kinsta_mcp.server import build_server
from tests.test_tools import text_of

pytestmark = pytest.mark.anyio

PASSWORD = "S3cret-Pa55word!"
ADMIN = {"admin_email": "ops@acmedigital.agency", "admin_user": "acmeops", "admin_password": PASSWORD}


def site_of(state, name: str) -> dict:
    return next(s for s in state.sites if s["name"] == name)


def live_of(state, name: str) -> dict:
    return next(e for e in site_of(state, name)["environments"] if e["name"] == "live")


def posted(state, path: str) -> list[dict]:
    return [r.json for r in state.requests if r.method == "POST" and r.path.endswith(path)]


def documented(spec, path: str) -> set[str]:
    """The body properties the spec documents for POST `path`."""
    ref = spec.spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return set(spec.spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"])


def plugins_of(result) -> dict[str, str]:
    return {item["name"]: item["status"] for item in result.structured_content["items"]}


@pytest.mark.both_eras
async def test_a_woocommerce_site_has_woocommerce_and_the_result_names_it(sandbox, settings, mode):
    _, state = sandbox
    args = {"display_name": "Acme Outlet", "region": "europe-west2", "site_title": "Acme Outlet Store",
            "wp_language": "de_DE", "extras": ["woocommerce", "wordpressseo"]} | ADMIN  # fmt: skip
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("create_site", args)
        assert not result.is_error, text_of(result)
        data = result.structured_content
        plugins = await client.call_tool("list_plugins", {"site": data["site_id"], "environment": "live"})
    site, live = site_of(state, "acme-outlet"), live_of(state, "acme-outlet")
    assert data["state"] == "done"
    assert (data["site_id"], data["environments"], data["domains"]) == (
        site["id"],
        {"live": live["id"]},
        ["acme-outlet.kinsta.cloud"],
    )
    assert f"New site id {site['id']}; environments: live (id {live['id']}); domains: acme-outlet.kinsta.cloud" in (
        text_of(result)
    )
    assert plugins_of(plugins) == {"akismet": "inactive", "woocommerce": "active", "wordpress-seo": "active"}
    # Title and language are in the new site's options; the multisite choice is remembered (not asked here).
    assert {"blogname=Acme Outlet Store", "WPLANG=de_DE"} <= set(live["db"])
    assert live["install"] == {"site_title": "Acme Outlet Store", "wp_language": "de_DE", "is_multisite": False,
                               "is_subdomain_multisite": False}  # fmt: skip
    assert PASSWORD not in text_of(result) + str(data)


async def test_without_extras_there_is_neither_woocommerce_nor_yoast(sandbox, settings):
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("create_site", {"display_name": "Bare", "region": "us-east1"} | ADMIN)
        plugins = await client.call_tool("list_plugins", {"site": result.structured_content["site_id"]})
    assert plugins_of(plugins) == {"akismet": "inactive"}


@pytest.mark.parametrize(
    ("extras", "multisite", "subdomains"),
    [(["multisite"], True, False), (["subdomain_multisite"], True, True), ([], False, False)],
)
async def test_multisite_choices_reach_the_new_install(sandbox, settings, extras, multisite, subdomains):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool(
            "create_site", {"display_name": "Network", "region": "us-east1", "extras": extras} | ADMIN
        )
    assert not result.is_error, text_of(result)
    (body,) = posted(state, "/sites")
    assert (body["is_multisite"], body["is_subdomain_multisite"]) == (multisite, subdomains)
    install = live_of(state, "network")["install"]
    assert (install["is_multisite"], install["is_subdomain_multisite"]) == (multisite, subdomains)


async def test_every_documented_option_is_sent_by_its_spec_name(sandbox, settings, spec):
    _, state = sandbox
    source = live_of(state, "acmeshop")["id"]
    async with Client(build_server(settings)) as client:
        for args in (
            {"display_name": "Full", "region": "us-east1", "site_title": "Full Site", "wp_language": "fr_FR",
             "extras": ["woocommerce", "wordpressseo", "subdomain_multisite"]} | ADMIN,
            {"display_name": "Empty", "kind": "plain", "region": "us-east1"},
            {"display_name": "Copy", "kind": "clone", "source": source},
        ):  # fmt: skip
            result = await client.call_tool("create_site", args)
            assert not result.is_error, text_of(result)
    (full,) = posted(state, "/sites")
    assert set(full) == documented(spec, "/sites")
    assert full | {"company": "", "admin_password": ""} == {
        "company": "", "display_name": "Full", "region": "us-east1", "install_mode": "new",
        "admin_email": "ops@acmedigital.agency", "admin_user": "acmeops", "admin_password": "",
        "site_title": "Full Site", "wp_language": "fr_FR", "is_multisite": True, "is_subdomain_multisite": True,
        "woocommerce": True, "wordpressseo": True}  # fmt: skip
    (plain,) = posted(state, "/sites/plain")
    assert set(plain) == documented(spec, "/sites/plain") and plain["region"] == "us-east1"
    (clone,) = posted(state, "/sites/clone")
    assert set(clone) == documented(spec, "/sites/clone") and clone["source_env_id"] == source


async def test_a_clone_keeps_its_source_plugins_and_an_empty_site_has_none(sandbox, settings):
    async with Client(build_server(settings)) as client:
        clone = await client.call_tool("create_site", {"display_name": "Shop Copy", "kind": "clone",
                                                       "source": "acmeshop"})  # fmt: skip
        plain = await client.call_tool("create_site", {"display_name": "Landing", "kind": "plain",
                                                       "region": "us-east1"})  # fmt: skip
        source = await client.call_tool("list_plugins", {"site": "acmeshop", "environment": "live"})
        copied = await client.call_tool("list_plugins", {"site": clone.structured_content["site_id"]})
        empty = await client.call_tool("list_plugins", {"site": plain.structured_content["site_id"]})
    assert "woocommerce" in plugins_of(source) and plugins_of(copied) == plugins_of(source)
    assert plain.structured_content["domains"] == ["landing.kinsta.cloud"]
    assert empty.structured_content["items"] == []


async def test_options_of_a_fresh_install_are_refused_for_other_kinds(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        titled = await client.call_tool("create_site", {"display_name": "X", "kind": "plain", "region": "us-east1",
                                                        "site_title": "X"})  # fmt: skip
        german = await client.call_tool("create_site", {"display_name": "X", "kind": "clone", "source": "acmeshop",
                                                        "wp_language": "de_DE"})  # fmt: skip
    for refused in (titled, german):
        assert refused.is_error and "site_title and wp_language are for a fresh WordPress install" in text_of(refused)
    assert [r for r in state.requests if r.method != "GET"] == []


async def test_a_wait_that_ends_early_says_the_site_does_not_exist_yet_and_how_to_find_it(sandbox, settings):
    _, state = sandbox
    state.operation_seconds = 30.0
    async with Client(build_server(settings.with_(max_wait=0.3))) as client:
        result = await client.call_tool("create_site", {"display_name": "Slow Site", "region": "us-east1"} | ADMIN)
        assert not result.is_error, text_of(result)
        data = result.structured_content
        text = text_of(result)
        assert data["state"] == "running" and data["site_id"] == "" and data["environments"] == {}
        assert "The new site does not exist yet." in text
        (key,) = data["jobs"]
        assert f"call wait_for_job with jobs=['{key}']" in text
        assert "Once it is done, list_sites with site=<the new display name> gives its ID" in text
        state.operation_seconds = 0.0
        for op in state.operations.values():
            op.duration = 0.0
        waited = await client.call_tool("wait_for_job", {"jobs": [key]})
        found = await client.call_tool("list_sites", {"site": "Slow Site"})
    assert waited.structured_content["state"] == "done", text_of(waited)
    assert found.structured_content["sites"][0]["id"] == site_of(state, "slow-site")["id"]


async def test_a_failed_read_back_does_not_turn_a_made_site_into_an_error(sandbox, settings):
    from kinsta_mcp.sandbox.state import Fault

    _, state = sandbox
    async with Client(build_server(settings)) as client:
        await client.call_tool("list_sites", {})  # the listing before, from the cache
        state.add_fault(Fault(method="GET", path="/sites", status=500, times=-1))
        result = await client.call_tool("create_site", {"display_name": "Unread", "region": "us-east1"} | ADMIN)
    assert not result.is_error, text_of(result)
    assert result.structured_content["state"] == "done" and result.structured_content["site_id"] == ""
    assert "could not be read back yet: in a minute, list_sites with site=<the new display name>" in text_of(result)
    assert site_of(state, "unread")["environments"]
