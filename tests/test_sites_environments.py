"""Site creation and reset, and everything change_environment / overwrite_environment / environment_info /
environment_login do, through the real MCP client against the sandbox (every request and answer is checked
against the spec by the conftest observer)."""

from __future__ import annotations

import httpx2
import pytest
from mcp import Client

from kinsta_mcp.sandbox import DEMO_API_KEY
from kinsta_mcp.sandbox.routes.environments import LATEST_WORDPRESS
from kinsta_mcp.server import build_server
from tests.test_tools import Asker, confirm_code, confirmed, text_of

pytestmark = pytest.mark.anyio

PASSWORD = "S3cret-Pa55word!"
ADMIN = {"admin_email": "ops@acmedigital.agency", "admin_user": "acmeops", "admin_password": PASSWORD}
SEEDED_ADMIN = "alex.morgan@acmedigital.agency"


def site_of(state, name: str) -> dict:
    return next(s for s in state.sites if s["name"] == name)


def env_of(state, site: str, env: str) -> dict:
    return next(e for e in site_of(state, site)["environments"] if e["name"] == env)


def sent(state, method: str, suffix: str) -> list:
    return [r for r in state.requests if r.method == method and r.path.endswith(suffix)]


def changes(state) -> list:
    return [r for r in state.requests if r.method != "GET"]


async def call(settings, name: str, args: dict, *, mode: str = "auto", asker: Asker | None = None):
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        return await client.call_tool(name, args)


async def change(settings, args: dict, **kw):
    return await call(settings, "change_environment", args, **kw)


async def overwrite(settings, args: dict, **kw):
    return await call(settings, "overwrite_environment", args, **kw)


async def info(settings, args: dict, **kw):
    return await call(settings, "environment_info", args, **kw)


async def login(settings, args: dict, **kw):
    return await call(settings, "environment_login", args, **kw)


async def agreed(settings, name: str, args: dict):
    """Preview (nothing sent), then the same call with the preview's code."""
    async with Client(build_server(settings)) as client:
        return await confirmed(client, name, args)


# -- toolsets ---------------------------------------------------------------------------------------------


async def test_toolsets_split_sites_and_environments(settings):
    async with Client(build_server(settings.with_(toolsets=("environments",)))) as client:
        envs = {t.name: t for t in (await client.list_tools()).tools}
    async with Client(build_server(settings.with_(toolsets=("sites",)))) as client:
        sites = {t.name for t in (await client.list_tools()).tools}
    async with Client(build_server(settings.with_(toolsets=("sites", "environments"), read_only=True))) as client:
        readable = {t.name for t in (await client.list_tools()).tools}
    assert set(envs) == {"environment_info", "environment_login", "change_environment", "overwrite_environment"}
    assert sites == {"list_sites", "delete_site", "create_site"}
    assert readable == {"list_sites", "environment_info"}
    assert envs["overwrite_environment"].annotations.destructive_hint is True
    assert envs["change_environment"].annotations.destructive_hint is False
    assert not envs["environment_login"].annotations.read_only_hint
    assert envs["environment_info"].annotations.read_only_hint is True
    assert {"confirm", "reveal"} <= set(envs["environment_login"].input_schema["properties"])
    # create_wp_admin and Force HTTPS off are confirmed inside the write tool
    assert "confirm" in envs["change_environment"].input_schema["properties"]
    assert "confirm" not in envs["environment_info"].input_schema["properties"]


# -- create_site --------------------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_create_wordpress_site_appears_with_live_environment(sandbox, settings, mode):
    _, state = sandbox
    progress = []

    async def on_progress(value, total, message):
        progress.append(message)

    args = {"display_name": "Acme Outlet", "region": "europe-west2", "extras": ["woocommerce", "multisite"]} | ADMIN
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("create_site", args, progress_callback=on_progress)
        listed = await client.call_tool("list_sites", {})
    assert not result.is_error, text_of(result)
    assert result.structured_content["state"] == "done"
    assert result.structured_content["action"] == "Create WordPress site 'Acme Outlet' in europe-west2"
    [request] = sent(state, "POST", "/sites")
    assert request.json == {
        "company": state.company_id, "display_name": "Acme Outlet", "region": "europe-west2", "install_mode": "new",
        "admin_email": "ops@acmedigital.agency", "admin_user": "acmeops", "admin_password": PASSWORD,
        "site_title": "Acme Outlet", "wp_language": "en_US", "is_multisite": True, "is_subdomain_multisite": False,
        "woocommerce": True, "wordpressseo": False,
    }
    # The password goes to Kinsta and nowhere else.
    assert PASSWORD not in text_of(result) and PASSWORD not in str(result.structured_content)
    assert progress and not any(PASSWORD in m for m in progress)
    outlet = next(s for s in listed.structured_content["sites"] if s["name"] == "acme-outlet")
    [live] = outlet["environments"]
    assert (live["name"], live["primary_domain"], live["wordpress_version"]) == (
        "live", "acme-outlet.kinsta.cloud", LATEST_WORDPRESS)


async def test_create_plain_and_cloned_sites(sandbox, settings):
    _, state = sandbox
    staging = env_of(state, "acmeshop", "staging")
    async with Client(build_server(settings)) as client:
        plain = await client.call_tool("create_site", {"display_name": "Landing", "kind": "plain",
                                                       "region": "us-east1"})
        by_site = await client.call_tool("create_site", {"display_name": "Shop Copy", "kind": "clone",
                                                         "source": "acmeshop.com"})
        by_env = await client.call_tool("create_site", {"display_name": "Shop Staging Copy", "kind": "clone",
                                                        "source": staging["id"]})
    assert not (plain.is_error or by_site.is_error or by_env.is_error), text_of(plain) + text_of(by_site)
    assert sent(state, "POST", "/sites/plain")[0].json == {
        "company": state.company_id, "display_name": "Landing", "region": "us-east1"}
    clones = [r.json for r in sent(state, "POST", "/sites/clone")]
    assert clones == [
        {"company": state.company_id, "display_name": "Shop Copy",
         "source_env_id": env_of(state, "acmeshop", "live")["id"]},
        {"company": state.company_id, "display_name": "Shop Staging Copy", "source_env_id": staging["id"]},
    ]
    assert env_of(state, "landing", "live")["wordpress_version"] is None
    copy = env_of(state, "shop-copy", "live")
    assert copy["wordpress_version"] == "6.6.2" and "siteurl=https://shop-copy.kinsta.cloud" in copy["db"]
    assert site_of(state, "shop-copy")["region"] == "us-central1"  # the source's data center


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        ({"display_name": "X", "region": "us-east1", "admin_email": "a@b.c"}, "needs admin_user, admin_password"),
        ({"display_name": "X"} | ADMIN, "needs region"),
        ({"display_name": " ", "region": "us-east1"} | ADMIN, "display_name is empty"),
        ({"display_name": "X", "kind": "plain", "region": "us-east1", "extras": ["woocommerce"]},
         "only for a fresh WordPress install"),
        ({"display_name": "X", "region": "us-east1", "wp_language": "english"} | ADMIN, "WordPress locale"),
        ({"display_name": "X", "region": "us-east1", "admin_email": "nope", "admin_user": "a", "admin_password": "b"},
         "not an email"),
        ({"display_name": "X", "kind": "clone"}, "source is for kind=clone only"),
        ({"display_name": "X", "kind": "clone", "source": "acmeshop", "region": "us-east1"}, "no region"),
        ({"display_name": "X", "region": "us-east1", "source": "acmeshop"} | ADMIN, "source is for kind=clone"),
    ],
)
async def test_create_site_bad_input_sends_nothing(sandbox, settings, args, complaint):
    _, state = sandbox
    result = await call(settings, "create_site", args)
    assert result.is_error and complaint in text_of(result)
    assert changes(state) == []


async def test_clone_source_outside_the_allowed_sites_is_refused(sandbox, settings):
    _, state = sandbox
    result = await call(settings.with_(allowed_sites=("acmeshop",)), "create_site",
                        {"display_name": "Copy", "kind": "clone", "source": "portfolio"})
    assert result.is_error and "KINSTA_ALLOWED_SITES" in text_of(result)
    assert changes(state) == []


async def test_kinsta_rejection_is_reported(sandbox, settings):
    result = await call(settings, "create_site", {"display_name": "X", "region": "mars-north1"} | ADMIN)
    assert result.is_error and "Unknown region mars-north1" in text_of(result)


# -- delete_site with reset -------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_reset_site_asks_then_reinstalls(sandbox, settings, mode):
    _, state = sandbox
    live = env_of(state, "client-bakery", "live")
    assert live["wordpress_version"] == "6.5.5"
    asker = Asker()
    result = await call(settings, "delete_site", {"site": "client-bakery", "reset": True, "admin_password": PASSWORD},
                        mode=mode, asker=asker)
    assert not result.is_error, text_of(result)
    [question] = asker.asked
    assert "Reset site Rosie's Bakery (client-bakery)" in question and "rosiesbakery.co.uk" in question
    assert "cannot be undone" in question and PASSWORD not in question
    [request] = sent(state, "POST", "/reset-site")
    assert request.path == f"/sites/{site_of(state, 'client-bakery')['id']}/reset-site"
    assert request.json == {"admin_password": PASSWORD}
    assert live["wordpress_version"] == LATEST_WORDPRESS and live["reset_count"] == 1
    assert [s["name"] for s in state.sites].count("client-bakery") == 1  # reset, not deleted
    assert PASSWORD not in text_of(result)


async def test_reset_needs_confirmation_and_a_password(sandbox, settings):
    _, state = sandbox
    no_password = await call(settings, "delete_site", {"site": "portfolio", "reset": True})
    preview = await call(settings, "delete_site", {"site": "portfolio", "reset": True, "admin_password": PASSWORD})
    declined = await call(settings, "delete_site", {"site": "portfolio", "reset": True, "admin_password": PASSWORD},
                          asker=Asker("decline"))
    assert no_password.is_error and "needs admin_password" in text_of(no_password)
    assert preview.is_error and "Confirmation needed" in text_of(preview) and "Reset site Portfolio" in text_of(preview)
    assert declined.is_error and "nothing was changed" in text_of(declined)
    assert changes(state) == []
    done = await call(settings, "delete_site", {"site": "portfolio", "reset": True, "admin_password": PASSWORD,
                                                "confirm": confirm_code(preview)})
    assert not done.is_error and len(sent(state, "POST", "/reset-site")) == 1


# -- creating environments ----------------------------------------------------------------------------------


async def test_create_premium_wordpress_environment(sandbox, settings, mode):
    _, state = sandbox
    blog = site_of(state, "blog-acme")
    args = {"action": "create", "site": "Acme Blog", "display_name": "QA", "premium": True,
            "extras": ["edd", "wordpressseo"], "wp_language": "de_DE"} | ADMIN
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("change_environment", args)
        listed = await client.call_tool("list_sites", {"site": "blog-acme"})
    assert not result.is_error, text_of(result)
    [request] = sent(state, "POST", f"/sites/{blog['id']}/environments")
    assert request.json == {
        "display_name": "QA", "is_premium": True, "admin_email": "ops@acmedigital.agency", "admin_user": "acmeops",
        "admin_password": PASSWORD, "site_title": "QA", "wp_language": "de_DE", "is_multisite": False,
        "is_subdomain_multisite": False, "woocommerce": False, "wordpressseo": True, "wordpress_plugin_edd": True,
    }
    assert PASSWORD not in text_of(result)
    qa = next(e for e in listed.structured_content["sites"][0]["environments"] if e["display_name"] == "QA")
    assert qa["is_premium"] and qa["name"] == "staging-qa" and qa["wordpress_version"] == LATEST_WORDPRESS


async def test_create_plain_and_cloned_environments(sandbox, settings):
    _, state = sandbox
    portfolio, shop = site_of(state, "portfolio"), site_of(state, "acmeshop")
    plain = await change(settings, {"action": "create_plain", "site": "portfolio", "display_name": "Staging"})
    clone = await change(settings, {"action": "clone", "site": "acmeshop", "display_name": "Copy of staging",
                                    "premium": True, "source": "staging"})
    assert not plain.is_error and not clone.is_error, text_of(plain) + text_of(clone)
    assert sent(state, "POST", "/environments/plain")[0].json == {"display_name": "Staging", "is_premium": False}
    assert sent(state, "POST", "/environments/clone")[0].json == {
        "display_name": "Copy of staging", "is_premium": True,
        "source_env_id": env_of(state, "acmeshop", "staging")["id"]}
    assert [e["name"] for e in portfolio["environments"]] == ["live", "staging"]
    assert env_of(state, "portfolio", "staging")["wordpress_version"] is None
    assert env_of(state, "acmeshop", "staging-copy-of-staging")["wordpress_version"] == "6.6.2"
    assert len(shop["environments"]) == 4


async def test_second_standard_staging_is_refused_by_kinsta(sandbox, settings):
    result = await change(settings, {"action": "create_plain", "site": "acmeshop", "display_name": "Another"})
    assert result.is_error and "already has a standard staging environment" in text_of(result)


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        ({"action": "create", "site": "portfolio"}, "create needs display_name"),
        ({"action": "create", "site": "portfolio", "display_name": "S"}, "needs admin_email, admin_user"),
        ({"action": "clone", "site": "portfolio", "display_name": "S"}, "clone needs source"),
        ({"action": "create_plain", "site": "portfolio", "display_name": "S", "admin_user": "x"},
         "create_plain: admin_* and extras are only"),
        ({"action": "create", "site": "nope-nope", "display_name": "S"} | ADMIN, "No site matches 'nope-nope'"),
    ],
)
async def test_create_environment_bad_input_sends_nothing(sandbox, settings, args, complaint):
    _, state = sandbox
    result = await change(settings, args)
    assert result.is_error and complaint in text_of(result)
    assert changes(state) == []


# -- push -----------------------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_push_staging_to_live_asks_then_overwrites(sandbox, settings, mode):
    _, state = sandbox
    staging, live = env_of(state, "acmeshop", "staging"), env_of(state, "acmeshop", "live")
    staging["db"] = ["siteurl=https://staging-acmeshop.kinsta.cloud", "new product page"]
    staging["wordpress_version"] = "6.7.1"
    asker = Asker()
    result = await overwrite(settings, {"action": "push", "site": "acmeshop"}, mode=mode, asker=asker)
    assert not result.is_error, text_of(result)
    [question] = asker.asked
    assert question.startswith("Push staging → LIVE of Acme Shop (acmeshop)")
    assert "overwrites the database and all files of live (acmeshop.com, www.acmeshop.com" in question
    assert "replaces the domain" in question and "cannot be undone" in question
    [request] = sent(state, "PUT", "/environments")
    assert request.json == {"source_env_id": staging["id"], "target_env_id": live["id"], "push_db": True,
                            "push_files": True, "run_search_and_replace": True, "push_files_option": "ALL_FILES"}
    assert live["db"] == ["siteurl=https://acmeshop.com", "new product page"]
    assert live["wordpress_version"] == "6.7.1"
    assert live["last_push"]["source_env_id"] == staging["id"]


async def test_push_selected_files_onto_staging(sandbox, settings):
    _, state = sandbox
    premium, staging = env_of(state, "acmeshop", "staging-premium"), env_of(state, "acmeshop", "staging")
    result = await agreed(settings, "overwrite_environment", {
        "action": "push", "site": "acmeshop", "source": premium["id"], "environment": "staging", "parts": "files",
        "files": ["/wp-content/themes/", "wp-content/plugins"]})
    assert not result.is_error, text_of(result)
    assert sent(state, "PUT", "/environments")[0].json == {
        "source_env_id": premium["id"], "target_env_id": staging["id"], "push_db": False, "push_files": True,
        "run_search_and_replace": True, "push_files_option": "SPECIFIC_FILES",
        "file_list": ["wp-content/themes", "wp-content/plugins"]}
    assert staging["last_push"]["file_list"] == ["wp-content/themes", "wp-content/plugins"]
    assert staging["wordpress_version"] == "6.6.2"  # specific files leave WordPress core alone


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        ({"parts": "database", "files": ["wp-content"]}, "cannot go with parts=database"),
        ({"source": "live", "environment": "live"}, "two different environments"),
        ({"source": "qa"}, "has no environment 'qa'"),
    ],
)
async def test_push_bad_input_sends_nothing(sandbox, settings, args, complaint):
    _, state = sandbox
    asker = Asker()
    result = await overwrite(settings, {"action": "push", "site": "acmeshop"} | args, asker=asker)
    assert result.is_error and complaint in text_of(result)
    assert changes(state) == [] and asker.asked == []


@pytest.mark.both_eras
@pytest.mark.parametrize(("action", "confirm"), [("decline", False), ("cancel", False), ("accept", False)])
async def test_push_refused_by_the_user_sends_nothing(sandbox, settings, mode, action, confirm):
    _, state = sandbox
    # asked even though the model passed a code
    result = await overwrite(settings, {"action": "push", "site": "acmeshop", "confirm": "AAAAAA"}, mode=mode,
                             asker=Asker(action, confirm))
    assert result.is_error and "nothing was changed" in text_of(result)
    assert changes(state) == []


# -- delete ---------------------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_delete_staging_environment(sandbox, settings, mode):
    _, state = sandbox
    staging = env_of(state, "blog-acme", "staging")
    asker = Asker()
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("overwrite_environment", {"action": "delete", "site": "acmeblog.com",
                                                                   "environment": "staging"})
        listed = await client.call_tool("list_sites", {"site": "blog-acme"})
    assert not result.is_error, text_of(result)
    assert "Delete environment Acme Blog (blog-acme) › staging" in asker.asked[0]
    assert "staging-blog-acme.kinsta.cloud" in asker.asked[0]
    assert [r.path for r in state.requests if r.method == "DELETE"] == [f"/sites/environments/{staging['id']}"]
    assert [e["name"] for e in listed.structured_content["sites"][0]["environments"]] == ["live"]


async def test_live_environment_is_never_deleted_here(sandbox, settings):
    _, state = sandbox
    asker = Asker()
    result = await overwrite(settings, {"action": "delete", "site": "blog-acme", "environment": "live"},
                             asker=asker)
    assert result.is_error and "only together with its site (delete_site)" in text_of(result)
    assert asker.asked == [] and changes(state) == []


async def test_delete_without_elicitation_shows_preview_first(sandbox, settings):
    _, state = sandbox
    args = {"action": "delete", "site": "blog-acme", "environment": "staging"}
    preview = await overwrite(settings, args)
    assert preview.is_error and "Confirmation needed" in text_of(preview) and changes(state) == []
    stale = await overwrite(settings, args | {"confirm": "AAAAAA"})
    assert stale.is_error and "not the one for this preview" in text_of(stale) and changes(state) == []
    done = await overwrite(settings, args | {"confirm": confirm_code(preview)})
    assert not done.is_error and len(changes(state)) == 1
    assert done.structured_content["state"] == "done" and next(iter(done.structured_content["jobs"])).startswith("op:")


# -- settings ------------------------------------------------------------------------------------------------


async def test_webroot_changes_and_resets(sandbox, settings, mode):
    _, state = sandbox
    env = env_of(state, "acmeshop", "staging")
    base = env["web_root"]
    async with Client(build_server(settings), mode=mode) as client:
        changed = await client.call_tool("change_environment", {"action": "webroot", "site": "acmeshop",
                                                                 "environment": "staging",
                                                                 "web_root_subfolder": "release_v1/"})
        listed = await client.call_tool("list_sites", {"site": "acmeshop"})
        reset = await client.call_tool("change_environment", {"action": "webroot", "site": "acmeshop",
                                                               "environment": "staging"})
    assert not changed.is_error and not reset.is_error, text_of(changed)
    assert [r.json for r in sent(state, "POST", "/change-webroot-subfolder")] == [
        {"web_root_subfolder": "/release_v1"}, {"web_root_subfolder": "/"}]
    staging = next(e for e in listed.structured_content["sites"][0]["environments"] if e["name"] == "staging")
    assert staging["web_root"] == base + "/release_v1"
    assert env["web_root"] == base


async def test_bad_webroot_sends_nothing(sandbox, settings):
    _, state = sandbox
    result = await change(settings, {"action": "webroot", "site": "acmeshop", "web_root_subfolder": "../etc"})
    assert result.is_error and "may hold only letters" in text_of(result) and changes(state) == []


async def test_php_allocation_site_wide_or_premium_environment(sandbox, settings):
    _, state = sandbox
    shop = site_of(state, "acmeshop")
    live, staging, premium = (env_of(state, "acmeshop", n) for n in ("live", "staging", "staging-premium"))
    site_wide = await change(settings, {"action": "php_allocation", "site": "acmeshop", "php_threads": 4,
                                        "php_memory_mb": 256})
    single = await change(settings, {"action": "php_allocation", "site": "acmeshop", "environment": "staging-premium",
                                     "php_threads": 3, "php_memory_mb": 512})
    assert not site_wide.is_error and not single.is_error, text_of(site_wide) + text_of(single)
    assert sent(state, "POST", f"/sites/{shop['id']}/change-site-php-allocation")[0].json == {
        "thread_count": 4, "thread_memory": 256}
    assert sent(state, "POST", f"/{premium['id']}/change-environment-php-allocation")[0].json == {
        "thread_count": 3, "thread_memory": 512}
    assert "live and standard staging of Acme Shop" in site_wide.structured_content["action"]
    assert live["php_allocation"] == {"thread_count": 4, "thread_memory": 256}
    assert staging["php_allocation"] == {"thread_count": 2, "thread_memory": 256}
    assert premium["php_allocation"] == {"thread_count": 3, "thread_memory": 512}


@pytest.mark.both_eras
async def test_force_https_read_and_change(sandbox, settings, mode):
    _, state = sandbox
    args = {"site": "acmeshop.com"}
    asker = Asker()
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        before = await client.call_tool("environment_info", args | {"show": "force_https"})
        stricter = await client.call_tool("change_environment", args | {
            "action": "force_https", "force_https": "ENABLED_REDIRECT_TO_PRIMARY"})
        assert asker.asked == []  # turning it on weakens nothing
        changed = await client.call_tool("change_environment", args | {"action": "force_https",
                                                                        "force_https": "DISABLED"})
        after = await client.call_tool("environment_info", args | {"show": "force_https"})
    assert before.structured_content["force_https"] == "ENABLED_FOR_ALL"
    assert not stricter.is_error and not changed.is_error and changed.structured_content["state"] == "done"
    [question] = asker.asked
    assert "Turn Force HTTPS off on Acme Shop (acmeshop) › live" in question and "plain" in question
    assert [r.json for r in sent(state, "POST", "/force-https-status")] == [
        {"type": "ENABLED_REDIRECT_TO_PRIMARY"}, {"type": "DISABLED"}]
    assert after.structured_content["force_https"] == "DISABLED" and "DISABLED" in text_of(after)


async def test_force_https_off_sends_nothing_before_the_user_agreed(sandbox, settings):
    _, state = sandbox
    args = {"action": "force_https", "site": "acmeshop", "force_https": "DISABLED"}
    declined = await change(settings, args, asker=Asker("decline"))
    preview = await change(settings, args)
    assert declined.is_error and preview.is_error and "Confirmation needed" in text_of(preview)
    assert changes(state) == []
    done = await change(settings, args | {"confirm": confirm_code(preview)})
    assert not done.is_error, text_of(done)
    assert [r.json for r in sent(state, "POST", "/force-https-status")] == [{"type": "DISABLED"}]


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        ({"action": "php_allocation", "php_threads": 4}, "php_allocation needs php_memory_mb."),
        ({"action": "force_https"}, "ENABLED_FOR_ALL | ENABLED_REDIRECT_TO_PRIMARY | DISABLED"),
        ({"action": "create_wp_admin", "admin_email": "a@b.c", "first_name": "A"}, "create_wp_admin needs last_name."),
        ({"action": "create_wp_admin"}, "needs admin_email, first_name, last_name."),  # all at once
        ({"action": "redirect_add", "redirect_from": "/a"}, "redirect_add needs redirect_to."),
        ({"action": "redirect_update"}, "needs redirect_from"),
        ({"action": "redirect_update", "redirect_from": "/promo"}, "needs the new redirect_to"),
    ],
)
async def test_settings_bad_input_sends_nothing(sandbox, settings, args, complaint):
    _, state = sandbox
    result = await change(settings, {"site": "acmeshop"} | args)
    assert result.is_error and complaint in text_of(result)
    assert state.requests == []  # not even the site listing


@pytest.mark.parametrize(
    ("tool", "args", "complaint"),
    [
        ("overwrite_environment", {"action": "search_replace", "search": "x", "replace": "x"},
         "a replace that differs"),
        ("overwrite_environment", {"action": "wp_cli", "command": "wp db query 'DROP TABLE x'; rm -rf /"},
         "does not qualify"),
        ("overwrite_environment", {"action": "redirect_delete"}, "needs redirect_from"),
        ("environment_info", {"show": "search_count"}, "search_count needs search"),
        ("environment_login", {"action": "wp_admin"}, "needs email"),
        ("environment_login", {"action": "phpmyadmin", "email": "a@b.c"}, "email is for action=wp_admin only"),
    ],
)
async def test_bad_input_of_the_split_tools_sends_nothing(sandbox, settings, tool, args, complaint):
    _, state = sandbox
    result = await call(settings, tool, {"site": "acmeshop"} | args)
    assert result.is_error and complaint in text_of(result)
    assert state.requests == []


@pytest.mark.parametrize(
    ("tool", "args", "wrong", "meant"),
    [
        ("overwrite_environment", {"action": "delete", "site": "blog-acme"}, "enviroment", "environment"),
        ("change_environment", {"action": "webroot", "site": "acmeshop"}, "web_root", "web_root_subfolder"),
        ("environment_login", {"action": "phpmyadmin", "site": "acmeshop"}, "reveals", "reveal"),
        ("delete_site", {"site": "portfolio"}, "rest", "reset"),
    ],
)
async def test_misspelled_arguments_are_refused(sandbox, settings, tool, args, wrong, meant):
    _, state = sandbox
    result = await call(settings, tool, args | {wrong: "staging"}, asker=Asker())
    assert result.is_error and f"unknown argument {wrong!r}" in text_of(result) and repr(meant) in text_of(result)
    assert state.requests == []


async def test_protect_live_asks_for_settings_on_live_only(sandbox, settings):
    _, state = sandbox
    guarded = settings.with_(protect_live=True)
    args = {"action": "force_https", "site": "acmeshop", "force_https": "ENABLED_REDIRECT_TO_PRIMARY"}
    live = await change(guarded, args)
    staging = await change(guarded, args | {"environment": "staging"})
    assert live.is_error and "LIVE environment of Acme Shop" in text_of(live)
    assert not staging.is_error
    assert len(sent(state, "POST", "/force-https-status")) == 1


async def test_new_staging_is_not_a_change_to_live(sandbox, settings):
    result = await change(settings.with_(protect_live=True), {"action": "create_plain", "site": "portfolio",
                                                              "display_name": "Staging"})
    assert not result.is_error, text_of(result)


# -- redirect rules ------------------------------------------------------------------------------------------


async def test_redirect_rules_paging_and_search(sandbox, settings):
    _, state = sandbox
    first = await info(settings, {"show": "redirects", "site": "acmeshop", "limit": 2})
    found = await info(settings, {"show": "redirects", "site": "acmeshop", "search": "promo"})
    data = first.structured_content
    assert (data["total"], data["returned"], data["next_offset"]) == (3, 2, 2)
    assert "more with offset=2" in text_of(first)
    gets = sent(state, "GET", "/redirect-rules")
    assert gets[0].query == {"limit": "2", "offset": "0", "search_query": ""}
    assert gets[1].query["search_query"] == "promo"
    assert found.structured_content["rules"] == [
        {"domain": "acmeshop.com", "from_path": "/promo", "to": "https://example.com/sale", "type": "redirect"}]
    assert found.structured_content["next_offset"] == -1


@pytest.mark.both_eras
async def test_redirect_add_update_delete(sandbox, settings, mode):
    _, state = sandbox
    base = {"site": "acmeshop"}
    asker = Asker()
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        added = await client.call_tool("change_environment", base | {
            "action": "redirect_add", "redirect_from": "/summer", "redirect_to": "/sale"})
        updated = await client.call_tool("change_environment", base | {
            "action": "redirect_update", "redirect_from": "/summer", "redirect_to": "https://www.acmeshop.com/s26",
            "redirect_type": "redirect"})
        middle = await client.call_tool("environment_info", base | {"show": "redirects", "search": "summer"})
        assert asker.asked == []  # adding and changing within the site's own domains are not confirmed
        deleted = await client.call_tool("overwrite_environment", base | {
            "action": "redirect_delete", "redirect_from": "/summer"})
        after = await client.call_tool("environment_info", base | {"show": "redirects", "search": "summer"})
    assert not (added.is_error or updated.is_error or deleted.is_error), text_of(added) + text_of(deleted)
    posts = [r.json for r in sent(state, "POST", "/redirect-rules")]
    new_rule = {"domain": None, "from": "/summer", "to": "/sale", "type": "permanent"}
    assert posts[0] == {"action_type": "NEW", "new_value": new_rule}
    assert posts[1]["action_type"] == "UPDATE"
    assert posts[1]["rules_to_update"][0] == new_rule | {
        "traffic_from_city": None, "traffic_from_country": None, "traffic_from_country_name": None,
        "displayed_location": None}
    assert posts[1]["new_value"] == {"domain": None, "from": "/summer", "to": "https://www.acmeshop.com/s26",
                                     "type": "redirect"}
    assert posts[2]["action_type"] == "DELETE" and posts[2]["rules_to_update"][0]["to"].endswith("/s26")
    assert [r["to"] for r in middle.structured_content["rules"]] == ["https://www.acmeshop.com/s26"]
    assert "(all domains) /summer → https://www.acmeshop.com/s26 (redirect)" in asker.asked[0]
    assert after.structured_content["rules"] == [] and after.structured_content["total"] == 0


@pytest.mark.both_eras
async def test_redirect_to_another_host_is_confirmed(sandbox, settings, mode):
    _, state = sandbox
    args = {"action": "redirect_add", "site": "acmeshop", "redirect_from": "/deal", "redirect_to": "https://evil.example/x"}
    declined = await change(settings, args, mode=mode, asker=Asker("decline"))
    assert declined.is_error and "nothing was changed" in text_of(declined)
    assert changes(state) == []
    asker = Asker()
    done = await change(settings, args, mode=mode, asker=asker)
    assert not done.is_error, text_of(done)
    assert "sent to another site, evil.example" in asker.asked[0]
    assert sent(state, "POST", "/redirect-rules")[0].json["new_value"]["to"] == "https://evil.example/x"


async def test_redirect_delete_all_needs_confirmation(sandbox, settings):
    _, state = sandbox
    args = {"action": "redirect_delete_all", "site": "acmeshop"}
    preview = await overwrite(settings, args)
    assert preview.is_error and "Delete ALL 3 redirect rules of Acme Shop (acmeshop) › live" in text_of(preview)
    assert changes(state) == []
    done = await overwrite(settings, args | {"confirm": confirm_code(preview)})
    assert not done.is_error, text_of(done)
    assert sent(state, "POST", "/redirect-rules")[0].json == {"action_type": "DELETE_ALL"}
    assert env_of(state, "acmeshop", "live")["redirect_rules"] == []


async def test_redirect_delete_of_a_missing_rule_sends_nothing(sandbox, settings):
    _, state = sandbox
    asker = Asker()
    result = await overwrite(settings, {"action": "redirect_delete", "site": "acmeshop", "redirect_from": "/nope"},
                             asker=asker)
    assert result.is_error and "has no redirect rule from '/nope'" in text_of(result)
    assert changes(state) == [] and asker.asked == []


# -- WP-CLI ----------------------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_wp_cli_asks_runs_and_says_there_is_no_output(sandbox, settings, mode):
    _, state = sandbox
    staging = env_of(state, "acmeshop", "staging")
    asker = Asker()
    result = await overwrite(settings, {"action": "wp_cli", "site": "acmeshop", "environment": "staging",
                                        "command": "core   update"}, mode=mode, asker=asker)
    assert not result.is_error, text_of(result)
    assert asker.asked[0].startswith("Run `wp core update` on Acme Shop (acmeshop) › staging")
    assert sent(state, "POST", f"/{staging['id']}/run-wp-cli-command")[0].json == {"wp_command": "wp core update"}
    assert "Kinsta returns no output" in text_of(result)
    assert staging["wp_cli_history"] == ["wp core update"] and staging["wordpress_version"] == LATEST_WORDPRESS


async def test_wp_cli_declined_sends_nothing(sandbox, settings):
    _, state = sandbox
    result = await overwrite(settings, {"action": "wp_cli", "site": "acmeshop", "command": "wp plugin list"},
                             asker=Asker("decline"))
    assert result.is_error and changes(state) == []


# -- search and replace ----------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_search_count_is_a_dry_run_then_replace_asks(sandbox, settings, mode):
    _, state = sandbox
    where = {"site": "acmeshop"}
    asker = Asker()
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        counted = await client.call_tool("environment_info", where | {"show": "search_count",
                                                                       "search": "https://acmeshop.com"})
        assert asker.asked == []
        replaced = await client.call_tool("overwrite_environment", where | {
            "action": "search_replace", "search": "https://acmeshop.com", "replace": "https://shop.example"})
        recount = await client.call_tool("environment_info", where | {"show": "search_count",
                                                                       "search": "https://acmeshop.com"})
    assert not counted.is_error, text_of(counted)
    assert counted.structured_content["matches"] == 4 and counted.structured_content["message"] == "4 occurrences found"
    assert "dry run, nothing changed" in counted.structured_content["action"]
    assert "4 occurrences of 'https://acmeshop.com'" in text_of(counted)
    assert not replaced.is_error and replaced.structured_content["state"] == "done", text_of(replaced)
    assert next(iter(replaced.structured_content["jobs"])).startswith("op:")
    assert "Replace every 'https://acmeshop.com' with 'https://shop.example'" in asker.asked[0]
    bodies = [r.json for r in sent(state, "POST", "/sites/tools/search-and-replace")]
    live_id = env_of(state, "acmeshop", "live")["id"]
    assert bodies[0] == {"environment_id": live_id, "search": "https://acmeshop.com", "replace": "",
                         "perform_replacement": False, "is_clear_cache": False}
    assert bodies[1]["perform_replacement"] is True and bodies[1]["is_clear_cache"] is True
    assert bodies[1]["replace"] == "https://shop.example"
    assert recount.structured_content["matches"] == 0
    assert "siteurl=https://shop.example" in env_of(state, "acmeshop", "live")["db"]


async def test_search_count_works_in_read_only_mode(sandbox, settings):
    _, state = sandbox
    result = await info(settings.with_(read_only=True), {"show": "search_count", "site": "acmeshop",
                                                         "search": "acmeshop"})
    assert not result.is_error, text_of(result)
    assert [r.json["perform_replacement"] for r in changes(state)] == [False]


async def test_search_replace_unconfirmed_sends_nothing(sandbox, settings):
    _, state = sandbox
    result = await overwrite(settings, {"action": "search_replace", "site": "acmeshop", "search": "a", "replace": "b"})
    assert result.is_error and "Confirmation needed" in text_of(result) and changes(state) == []


# -- environment_info: files; environment_login: phpMyAdmin, wp-admin ---------------------------------------


async def test_file_list_is_paged(sandbox, settings, mode):
    _, state = sandbox
    first = await info(settings, {"show": "files", "site": "acmeshop", "limit": 3}, mode=mode)
    rest = await info(settings, {"show": "files", "site": "acmeshop", "offset": 3})
    data = first.structured_content
    assert data["files"] == ["wp-admin", "wp-content", "wp-content/plugins"]
    assert (data["total"], data["next_offset"]) == (12, 3)
    assert "wp-content/plugins/akismet" in rest.structured_content["files"]
    assert rest.structured_content["next_offset"] == -1
    assert all(r.path.endswith("/file-list") for r in sent(state, "GET", "/file-list"))


async def test_phpmyadmin_link_is_confirmed_and_masked_unless_revealed(sandbox, settings):
    _, state = sandbox
    args = {"action": "phpmyadmin", "site": "acmeshop", "environment": "staging"}
    unconfirmed = await login(settings, args)
    asked = await login(settings, args | {"reveal": True})
    assert sent(state, "POST", "/pma-login-token") == []  # nothing minted before the user agreed
    assert unconfirmed.is_error and "phpMyAdmin login link of Acme Shop (acmeshop) › staging" in text_of(unconfirmed)
    assert "It stays hidden" in text_of(unconfirmed) and "shown in clear" in text_of(asked)
    masked = await login(settings, args | {"confirm": confirm_code(unconfirmed)})
    shown = await login(settings, args | {"reveal": True, "confirm": confirm_code(asked)})
    assert len(sent(state, "POST", "/pma-login-token")) == 2
    assert not masked.is_error and masked.structured_content["login_url"].startswith("••••")
    assert "app-key" not in text_of(masked) and "app-key" not in str(masked.structured_content)
    assert masked.structured_content["expires_at"].endswith("Z")
    assert "reveal=true" in text_of(masked)
    assert "app-key=" in shown.structured_content["login_url"] and shown.structured_content["revealed"] is True


async def test_login_links_are_not_offered_in_read_only_mode(settings):
    async with Client(build_server(settings.with_(read_only=True))) as client:
        names = {t.name for t in (await client.list_tools()).tools}
    assert "environment_info" in names and "environment_login" not in names


@pytest.mark.both_eras
async def test_wp_admin_login_checks_creates_and_reveals(sandbox, settings, mode):
    _, state = sandbox
    newcomer = {"action": "wp_admin", "site": "acmeshop", "email": "sam@acmedigital.agency"}
    asker = Asker()
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        missing = await client.call_tool("environment_login", newcomer)
        assert asker.asked == []  # nothing to mint, nothing to ask
        created = await client.call_tool("change_environment", {
            "action": "create_wp_admin", "site": "acmeshop", "admin_email": "sam@acmedigital.agency",
            "first_name": "Sam", "last_name": "Lee"})
        revealed = await client.call_tool("environment_login", newcomer | {"reveal": True})
        seeded = await client.call_tool("environment_login", newcomer | {"email": SEEDED_ADMIN})
    assert missing.is_error and "has no WordPress admin user sam@acmedigital.agency" in text_of(missing)
    assert "change_environment action=create_wp_admin" in text_of(missing)
    assert not created.is_error, text_of(created)
    assert "Create a WordPress administrator sam@acmedigital.agency (Sam Lee)" in asker.asked[0]
    assert sent(state, "POST", "/wpa-create-user")[0].json == {
        "email": "sam@acmedigital.agency", "first_name": "Sam", "last_name": "Lee"}
    assert "wp-admin login link for sam@acmedigital.agency" in asker.asked[1]
    assert revealed.structured_content["login_url"].startswith("https://acmeshop.com/wp-login.php?kinsta-sso=")
    assert not seeded.is_error, text_of(seeded)
    assert "kinsta-sso" not in text_of(seeded) and seeded.structured_content["login_url"].startswith("••••")
    logins = sent(state, "POST", "/wpa-login-url")
    assert [r.json for r in logins] == [{"email": "sam@acmedigital.agency"}, {"email": SEEDED_ADMIN}]
    assert sent(state, "GET", "/wpa-user-exists")[0].query == {"email": "sam@acmedigital.agency"}


async def test_create_wp_admin_sends_nothing_before_the_user_agreed(sandbox, settings):
    _, state = sandbox
    args = {"action": "create_wp_admin", "site": "acmeshop", "admin_email": SEEDED_ADMIN, "first_name": "Alex",
            "last_name": "Morgan"}
    preview = await change(settings, args)
    assert preview.is_error and "full control of the site" in text_of(preview) and changes(state) == []
    twice = await change(settings, args | {"confirm": confirm_code(preview)})
    assert twice.is_error and "already exists" in text_of(twice)
    assert len(sent(state, "POST", "/wpa-create-user")) == 1


# -- risk classes ---------------------------------------------------------------------------------------------


def test_every_action_of_the_split_tools_fits_its_annotations():
    from typing import get_args, get_type_hints

    from kinsta_mcp.gate import Risk
    from kinsta_mcp.registry import load_all

    tools = load_all()
    expected = {
        "list_sites": Risk.READ,
        "environment_info": Risk.READ, "create_site": Risk.WRITE, "change_environment": Risk.WRITE,
        "environment_login": Risk.WRITE, "delete_site": Risk.DESTRUCTIVE, "overwrite_environment": Risk.DESTRUCTIVE,
    }
    for name, risk in expected.items():
        d = tools[name]
        assert d.risk is risk, name
        assert bool(d.annotations.read_only_hint) is (risk is Risk.READ), name
        if risk is not Risk.READ:  # destructiveHint means something only for tools that change things
            assert d.annotations.destructive_hint is (risk is Risk.DESTRUCTIVE), name
        actions = get_args(get_type_hints(d.fn).get("action")) or ("",)
        for action in actions:
            level = d.action_risk(action)
            assert level is risk or (risk is Risk.WRITE and level is Risk.SENSITIVE), (name, action)
    assert set(get_args(get_type_hints(tools["overwrite_environment"].fn)["action"])) == {
        "push", "delete", "redirect_delete", "redirect_delete_all", "wp_cli", "search_replace"}
    assert set(get_args(get_type_hints(tools["environment_info"].fn)["show"])) == {
        "files", "redirects", "force_https", "blocked_ips", "bot_protection", "search_count"}
    assert {a for a, r in tools["environment_login"].actions.items() if r is Risk.SENSITIVE} == {"phpmyadmin",
                                                                                                  "wp_admin"}
    assert tools["change_environment"].actions == {"create_wp_admin": Risk.SENSITIVE}
    assert tools["change_environment"].sensitive  # Force HTTPS off and off-site redirects, by argument


@pytest.mark.parametrize(
    ("args", "method"),
    [
        ({"action": "push", "site": "acmeshop"}, "PUT"),
        ({"action": "delete", "site": "acmeshop", "environment": "staging"}, "DELETE"),
        ({"action": "redirect_delete", "site": "acmeshop", "redirect_from": "/promo"}, "POST"),
        ({"action": "redirect_delete_all", "site": "acmeshop"}, "POST"),
        ({"action": "wp_cli", "site": "acmeshop", "command": "wp cache flush"}, "POST"),
        ({"action": "search_replace", "site": "acmeshop", "search": "acmeshop.com", "replace": "x.example"}, "POST"),
    ],
)
async def test_every_overwrite_waits_for_the_user_then_runs(sandbox, settings, args, method):
    _, state = sandbox
    preview = await overwrite(settings, args)
    assert preview.is_error and "Confirmation needed" in text_of(preview)
    assert changes(state) == []  # planning read, nothing else
    done = await overwrite(settings, args | {"confirm": confirm_code(preview)})
    assert not done.is_error, text_of(done)
    assert [r.method for r in changes(state)] == [method]
    assert done.structured_content["state"] == "done"


# -- the sandbox's own rules (what the tools above cannot reach) ----------------------------------------------


async def test_sandbox_refuses_what_kinsta_refuses(sandbox):
    base_url, state = sandbox
    live, premium = env_of(state, "acmeshop", "live"), env_of(state, "acmeshop", "staging-premium")
    async with httpx2.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"}) as http:
        delete_live = await http.delete(f"/sites/environments/{live['id']}")
        php_on_live = await http.post(f"/sites/environments/{live['id']}/change-environment-php-allocation",
                                      json={"thread_count": 2, "thread_memory": 256})
        php_on_premium = await http.post(f"/sites/environments/{premium['id']}/change-environment-php-allocation",
                                         json={"thread_count": 2, "thread_memory": 256})
        regex = await http.get(f"/sites/environments/{live['id']}/redirect-rules",
                               params={"search_query": "^/(old|promo)", "regex_search": "true", "key": "from",
                                       "order": "descend"})
        unknown_login = await http.post(f"/sites/environments/{live['id']}/wpa-login-url", json={"email": "x@y.z"})
    assert delete_live.status_code == 400 and "together with its site" in delete_live.json()["message"]
    assert php_on_live.status_code == 400 and "premium staging only" in php_on_live.json()["message"]
    assert php_on_premium.status_code == 202
    rules = regex.json()["environment"]["container_info"]["redirect_rules"]
    assert [r["from"] for r in rules["rules"]] == ["/promo", "/old-shop"] and rules["redirect_rules_count"] == 2
    assert unknown_login.status_code == 404
