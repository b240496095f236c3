"""Domains of Sevalla applications and static sites (`service` on list_domains, change_domains and
remove_domains), through the real MCP client against the sandbox's /sevalla/v3: status and the DNS records to
create, add (www twin, custom certificate), refresh, set_primary, remove (confirmed; the primary and the
platform's own domain refused), host names normalised in one place, and no request without a Sevalla key."""

from __future__ import annotations

import copy
import json

import pytest
from mcp import Client

from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.sandbox import Fault
from kinsta_mcp.sandbox.routes.paas_domains import rows_of
from kinsta_mcp.sandbox.seed import stable_id
from kinsta_mcp.server import build_server
from kinsta_mcp.tools.hostnames import hostname, pick_domain, with_www
from tests.paas import app_named, mutations, site_named
from tests.test_tools import Asker, confirm_code, text_of

pytestmark = pytest.mark.anyio

APP = {"service": "Portfolio App"}
DOCS = {"service": "docs-site"}
JSON = "application/json"
CERT = "-----BEGIN CERTIFICATE-----\nMIIBcertBODYsecretCERT\n-----END CERTIFICATE-----"
KEY = "-----BEGIN PRIVATE KEY-----\nMIIEkeyBODYsecretKEY\n-----END PRIVATE KEY-----"


def server(settings):
    return build_server(settings.with_(toolsets=("domains",)))


async def call(settings, tool, args, **client):
    async with Client(server(settings), **client) as session:
        return await session.call_tool(tool, args)


def row(state, name):
    return next((r for r in rows_of(state) if r["name"] == name), None)


def domain_requests(state):
    return [r for r in state.requests if "/domains" in r.path]


def everything(result) -> str:
    return text_of(result) + json.dumps(result.structured_content or {})


# -- listing ----------------------------------------------------------------------------------------


async def test_an_apps_domains_with_status_primary_and_the_records_still_needed(sandbox, sevalla_settings, mode):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    result = await call(sevalla_settings, "list_domains", APP, mode=mode)
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert data["service_id"] == app["id"] and data["environment_id"] == ""
    assert data["environment"] == "application Portfolio App (portfolio-app)"
    assert data["primary_domain"] == "portfolio.acme-digital.com"
    shown = {d["name"]: d["status"] for d in data["domains"]}
    assert shown == {
        "portfolio-app.sevalla.app": "ACTIVE, the platform's own domain",
        "portfolio.acme-digital.com": "ACTIVE",
        "www.portfolio.acme-digital.com": "POINTING (verified; DNS does not point here yet)",
    }
    assert [d["id"] for d in data["domains"]] == [row(state, n)["id"] for n in shown]
    # only the domain not yet active needs records
    www = "www.portfolio.acme-digital.com"
    assert data["records_for"] == www
    assert data["dns_records"] == [
        f"TXT _sevalla-challenge.{www} → {row(state, www)['dns_records'][0]['value']}",
        f"CNAME {www} → cname.sevalla.com",
    ]
    text = text_of(result)
    assert "- portfolio.acme-digital.com (primary), id" in text and f"DNS records {www} needs" in text
    assert "change_domains action=refresh" in text
    [read] = domain_requests(state)
    assert read.base == "sevalla_v3" and read.path == f"/applications/{app['id']}/domains"
    assert read.query == {"limit": "100", "offset": "0"}
    # the service is found with one listing of each kind, not a second, fresh one for the kind it is not
    assert [r.path for r in state.requests if r.path in ("/applications", "/static-sites")] == [
        "/applications",
        "/static-sites",
    ]


async def test_records_for_any_domain_written_any_way(sandbox, sevalla_settings):
    async with Client(server(sevalla_settings)) as client:
        named = await client.call_tool("list_domains", APP | {"records_for": "HTTPS://Portfolio.Acme-Digital.com./"})
        unknown = await client.call_tool("list_domains", APP | {"records_for": "shop.example.org"})
    assert not named.is_error, text_of(named)
    records = named.structured_content["dns_records"]
    assert named.structured_content["records_for"] == "portfolio.acme-digital.com"
    assert records[1] == "CNAME portfolio.acme-digital.com → cname.sevalla.com" and len(records) == 2
    assert unknown.is_error and "has no domain 'shop.example.org'" in text_of(unknown)
    assert "www.portfolio.acme-digital.com" in text_of(unknown)


async def test_a_static_sites_pending_domains_name_their_records_and_errors(sandbox, sevalla_settings):
    _, state = sandbox
    site = site_named(state, "docs-site")
    result = await call(sevalla_settings, "list_domains", {"service": "Acme Docs"})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert data["service_id"] == site["id"] and data["primary_domain"] == "docs.acme-digital.com"
    status = {d["name"]: d["status"] for d in data["domains"]}
    assert status["help.acme-digital.com"] == "VERIFICATION (ownership being verified)"
    assert status["kb.acme-digital.com"].startswith("TIMED_OUT (verification timed out: check the DNS records")
    assert "the TXT record was not found" in status["kb.acme-digital.com"]
    assert data["records_for"] == "help.acme-digital.com, kb.acme-digital.com"
    assert [r.split(":")[0] for r in data["dns_records"]] == ["help.acme-digital.com"] * 2 + ["kb.acme-digital.com"] * 2
    assert domain_requests(state)[0].path == f"/static-sites/{site['id']}/domains"


# -- adding -----------------------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_add_with_the_www_twin_returns_the_records_to_create(sandbox, sevalla_settings, mode):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    asker = Asker("accept")
    args = APP | {"action": "add", "domain": " Shop.Acme-Digital.COM. ", "add_with_www_subdomain": True}
    result = await call(sevalla_settings, "change_domains", args, mode=mode, elicitation_callback=asker)
    assert not result.is_error, text_of(result)
    assert asker.asked == []  # adding is a write: nothing to confirm
    posts = mutations(state)
    assert [(p.method, p.path, p.json) for p in posts] == [
        ("POST", f"/applications/{app['id']}/domains", {"domain_name": "shop.acme-digital.com"}),
        ("POST", f"/applications/{app['id']}/domains", {"domain_name": "www.shop.acme-digital.com"}),
    ]
    for name in ("shop.acme-digital.com", "www.shop.acme-digital.com"):
        assert row(state, name)["owner"] == app["id"] and row(state, name)["status"] == "VERIFICATION"
    data = result.structured_content
    assert data["domains"] == ["shop.acme-digital.com", "www.shop.acme-digital.com"] and data["state"] == "done"
    assert len(data["dns_records"]) == 4
    assert data["dns_records"][1] == "shop.acme-digital.com: CNAME shop.acme-digital.com → cname.sevalla.com"
    text = text_of(result)
    assert "Add shop.acme-digital.com and www.shop.acme-digital.com to application Portfolio App" in text
    assert "DNS records to create" in text and "change_domains action=refresh" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"domain": "www.acme-digital.com", "add_with_www_subdomain": True}, "Pass acme-digital.com to add both"),
        ({"domain": "www.www.acme-digital.com"}, "repeats www.; did you mean www.acme-digital.com?"),
        ({"domain": "*.acme-digital.com", "add_with_www_subdomain": True}, "is a wildcard: it has no www twin"),
        ({"domain": "192.0.2.1"}, "is not a valid domain name"),
        ({"setup_type": "avoid_downtime"}, "setup_type only apply to WordPress environments"),
        ({"is_wildcardless": True}, "is_wildcardless only apply to WordPress environments"),
        ({"run_search_and_replace": True}, "run_search_and_replace only apply to action=set_primary, not add"),
        ({"site": "acmeshop"}, "not both"),
        ({"custom_ssl": CERT}, "exactly one PEM private key"),
    ],
)
async def test_add_refuses_bad_input_before_any_request(sandbox, sevalla_settings, args, message):
    _, state = sandbox
    result = await call(sevalla_settings, "change_domains", APP | {"action": "add", "domain": "x.acme.test"} | args)
    assert result.is_error and message in text_of(result), text_of(result)
    assert state.requests == [] and "MIIB" not in text_of(result)


async def test_add_a_unicode_and_a_wildcard_name(sandbox, sevalla_settings):
    _, state = sandbox
    site = site_named(state, "landing-page")
    async with Client(server(sevalla_settings)) as client:
        idn = await client.call_tool("change_domains", {"service": "Landing", "action": "add", "domain": "Faß.Acme.de"})
        star = await client.call_tool("change_domains", {"service": "Landing", "action": "add", "domain": "*.acme.de"})
    assert not idn.is_error and not star.is_error, text_of(idn) + text_of(star)
    bodies = [p.json for p in mutations(state)]
    # IDNA 2008: ß is kept (xn--fa-hia), not folded to "ss" as Python's own codec does
    assert bodies == [{"domain_name": "xn--fa-hia.acme.de"}, {"domain_name": "acme.de", "is_wildcard": True}]
    assert row(state, "xn--fa-hia.acme.de")["owner"] == site["id"] and row(state, "acme.de")["is_wildcard"]
    assert "A acme.de → 203.0.113.30" in star.structured_content["dns_records"]


async def test_add_with_a_certificate_never_shows_it_even_when_refused(sandbox, sevalla_settings):
    _, state = sandbox
    args = DOCS | {"action": "add", "domain": "secure.acme-digital.com", "custom_ssl": f"{KEY}\n{CERT}"}
    async with Client(server(sevalla_settings)) as client:
        done = await client.call_tool("change_domains", args)
        echo = json.dumps({"message": f"Invalid key: {KEY}", "status": 400}).encode()
        fault = Fault(method="POST", path="/static-sites/*/domains", status=400, body=echo, media_type=JSON)
        state.add_fault(fault)
        refused = await client.call_tool("change_domains", args | {"domain": "other.acme-digital.com"})
    assert not done.is_error, text_of(done)
    post = mutations(state)[0]
    assert post.json == {"domain_name": "secure.acme-digital.com", "custom_ssl_cert": CERT, "custom_ssl_key": KEY}
    assert done.structured_content["custom_ssl"] is True and "with a custom SSL certificate" in text_of(done)
    assert refused.is_error and "secret" not in everything(done) + everything(refused)
    assert "BEGIN" not in everything(done) + text_of(refused)


async def test_a_name_the_service_already_has_is_refused(sandbox, sevalla_settings):
    _, state = sandbox
    result = await call(
        sevalla_settings, "change_domains", APP | {"action": "add", "domain": "WWW.Portfolio.acme-digital.com"}
    )
    assert result.is_error and "www.portfolio.acme-digital.com already is a domain of application" in text_of(result)
    assert mutations(state) == []


# -- refresh and primary ----------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_refresh_rechecks_then_shows_the_new_status(sandbox, sevalla_settings, mode):
    _, state = sandbox
    app = app_named(state, "portfolio-app")
    www = row(state, "www.portfolio.acme-digital.com")
    async with Client(server(sevalla_settings), mode=mode) as client:
        active = await client.call_tool("change_domains", APP | {"action": "refresh", "domain": www["id"]})
        pointing = await client.call_tool(
            "change_domains", DOCS | {"action": "refresh", "domain": "help.acme-digital.com"}
        )
    assert not active.is_error, text_of(active)
    assert (
        active.structured_content["message"] == "Status now: ACTIVE" and active.structured_content["dns_records"] == []
    )
    base = f"/applications/{app['id']}/domains/{www['id']}"
    assert [(r.method, r.path) for r in domain_requests(state)][1:3] == [
        ("POST", f"{base}/refresh-status"),
        ("GET", base),
    ]
    assert www["status"] == "ACTIVE" and row(state, "help.acme-digital.com")["status"] == "POINTING"
    assert pointing.structured_content["message"].startswith("Status now: POINTING (verified")
    assert len(pointing.structured_content["dns_records"]) == 2
    assert "list_domains shows the status later" in text_of(pointing)


async def test_refresh_is_for_services_only(sandbox, settings, sevalla_settings):
    _, state = sandbox
    kinsta = await call(settings, "change_domains", {"action": "refresh", "domain": "acmeshop.com", "site": "acmeshop"})
    twin = {"action": "refresh", "domain": "x.acme.test", "add_with_www_subdomain": True}
    stray = await call(sevalla_settings, "change_domains", APP | twin)
    assert kinsta.is_error and "pass service" in text_of(kinsta)
    assert stray.is_error and "add_with_www_subdomain only apply to action=add, not refresh" in text_of(stray)
    assert state.requests == []


async def test_set_primary_moves_the_flag(sandbox, sevalla_settings, mode):
    _, state = sandbox
    site = site_named(state, "docs-site")
    system = row(state, "docs-site.sevalla.page")
    async with Client(server(sevalla_settings), mode=mode) as client:
        result = await client.call_tool(
            "change_domains", DOCS | {"action": "set_primary", "domain": "docs-site.sevalla.page"}
        )
        again = await client.call_tool("change_domains", DOCS | {"action": "set_primary", "domain": system["id"]})
        pending = await client.call_tool(
            "change_domains", DOCS | {"action": "set_primary", "domain": "help.acme-digital.com"}
        )
        listed = await client.call_tool("list_domains", DOCS)
    assert not result.is_error, text_of(result)
    made = "Make docs-site.sevalla.page the primary domain of static site Acme Docs (docs-site)"
    assert f"{made} (instead of docs.acme-digital.com)" in text_of(result)
    first = mutations(state)[0]
    assert (first.method, first.path) == ("POST", f"/static-sites/{site['id']}/domains/{system['id']}/set-primary")
    assert again.is_error and "already is the primary domain" in text_of(again)
    assert not pending.is_error and "help.acme-digital.com is not active yet" in text_of(pending)
    assert listed.structured_content["primary_domain"] == "help.acme-digital.com"
    assert [r["name"] for r in rows_of(state) if r["owner"] == site["id"] and r["is_primary"]] == [
        "help.acme-digital.com"
    ]


async def test_set_primary_on_a_service_takes_no_search_and_replace(sandbox, sevalla_settings):
    _, state = sandbox
    args = APP | {"action": "set_primary", "domain": "portfolio-app.sevalla.app", "run_search_and_replace": True}
    result = await call(sevalla_settings, "change_domains", args)
    assert result.is_error and "run_search_and_replace only apply to WordPress environments" in text_of(result)
    assert state.requests == []


# -- removing ---------------------------------------------------------------------------------------


@pytest.mark.both_eras
@pytest.mark.parametrize("answer", ["accept", "decline"])
async def test_remove_asks_naming_the_domains_and_a_declined_question_sends_nothing(
    sandbox, sevalla_settings, mode, answer
):
    _, state = sandbox
    site = site_named(state, "docs-site")
    help_, kb = row(state, "help.acme-digital.com"), row(state, "kb.acme-digital.com")
    asker = Asker(answer)
    args = DOCS | {"domains": ["Help.Acme-Digital.com.", kb["id"], "help.acme-digital.com"]}
    result = await call(sevalla_settings, "remove_domains", args, mode=mode, elicitation_callback=asker)
    [question] = asker.asked
    assert "Remove 2 domain(s) from static site Acme Docs (docs-site)" in question
    assert (
        f"help.acme-digital.com (id {help_['id']})" in question and f"kb.acme-digital.com (id {kb['id']})" in question
    )
    if answer == "accept":
        assert not result.is_error, text_of(result)
        assert [(m.method, m.path) for m in mutations(state)] == [
            ("DELETE", f"/static-sites/{site['id']}/domains/{help_['id']}"),
            ("DELETE", f"/static-sites/{site['id']}/domains/{kb['id']}"),
        ]
        assert row(state, "help.acme-digital.com") is None and row(state, "kb.acme-digital.com") is None
        assert result.structured_content["domains"] == ["help.acme-digital.com", "kb.acme-digital.com"]
    else:
        assert result.is_error and mutations(state) == []
        assert row(state, "help.acme-digital.com") and row(state, "kb.acme-digital.com")


async def test_remove_without_elicitation_needs_the_code(sandbox, sevalla_settings):
    _, state = sandbox
    args = APP | {"domains": ["www.portfolio.acme-digital.com"]}
    async with Client(server(sevalla_settings)) as client:
        preview = await client.call_tool("remove_domains", args)
        assert preview.is_error and "Confirmation needed" in text_of(preview) and mutations(state) == []
        done = await client.call_tool("remove_domains", args | {"confirm": confirm_code(preview)})
    assert not done.is_error, text_of(done)
    assert row(state, "www.portfolio.acme-digital.com") is None and len(mutations(state)) == 1


async def test_remove_refuses_the_primary_and_the_platforms_domain(sandbox, sevalla_settings):
    _, state = sandbox
    asker = Asker("accept")
    async with Client(server(sevalla_settings), elicitation_callback=asker) as client:
        both = ["www.portfolio.acme-digital.com", "portfolio.acme-digital.com"]
        primary = await client.call_tool("remove_domains", APP | {"domains": both})
        system = await client.call_tool("remove_domains", APP | {"domains": ["portfolio-app.sevalla.app"]})
    assert primary.is_error and "portfolio.acme-digital.com is the primary domain of application" in text_of(primary)
    assert "action=set_primary" in text_of(primary)
    assert system.is_error and "the platform's own domain" in text_of(system) and "cannot be removed" in text_of(system)
    assert asker.asked == [] and mutations(state) == []


# -- which service, and the key ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("list_domains", APP),
        ("change_domains", APP | {"action": "add", "domain": "new.acme.test"}),
        ("remove_domains", APP | {"domains": ["portfolio.acme-digital.com"]}),
    ],
)
async def test_without_a_sevalla_key_service_says_what_is_needed_and_sends_nothing(sandbox, settings, tool, args):
    _, state = sandbox
    result = await call(settings, tool, args)
    assert result.is_error and "SEVALLA_API_KEY" in text_of(result) and "Nothing was sent" in text_of(result)
    assert state.requests == []


async def test_service_with_site_or_environment_is_refused(sandbox, sevalla_settings):
    _, state = sandbox
    listed = await call(sevalla_settings, "list_domains", APP | {"environment": "live"})
    removed = await call(sevalla_settings, "remove_domains", APP | {"site": "acmeshop", "domains": ["a.acme.test"]})
    for result in (listed, removed):
        assert result.is_error and "not both" in text_of(result)
    assert state.requests == []


async def test_a_name_both_an_app_and_a_static_site_have_needs_the_id(sandbox, sevalla_settings):
    from kinsta_mcp.sandbox.paas_seed import paas

    _, state = sandbox
    twin = copy.deepcopy(site_named(state, "landing-page")) | {"name": "portfolio-app", "display_name": "Portfolio"}
    twin["id"] = stable_id("static-site", "portfolio-twin")
    paas(state)["static_sites"].append(twin)
    async with Client(server(sevalla_settings)) as client:
        both = await client.call_tool("list_domains", {"service": "portfolio-app"})
        by_id = await client.call_tool("list_domains", {"service": twin["id"]})
        nothing = await client.call_tool("list_domains", {"service": "no-such-thing"})
    assert both.is_error and "matches application Portfolio App (portfolio-app)" in text_of(both)
    assert "static site Portfolio (portfolio-app)" in text_of(both) and "pass the ID" in text_of(both)
    assert not by_id.is_error and by_id.structured_content["service_id"] == twin["id"]
    assert nothing.is_error and "No application or static site matches 'no-such-thing'" in text_of(nothing)
    assert "list_applications and list_static_sites list them" in text_of(nothing)


# -- host names: one normalisation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("https://Shop.Example.COM.:8443/path?q=1", "shop.example.com"),
        ("Bäckerei.de", "xn--bckerei-5wa.de"),
        ("faß.de", "xn--fa-hia.de"),
        ("ＥＸＡＭＰＬＥ。com", "example.com"),
        ("_dmarc.Bäckerei.de", "_dmarc.xn--bckerei-5wa.de"),
        ("*.Example.com", "*.example.com"),
    ],
)
def test_hostname_writes_a_name_one_way(given, written):
    assert hostname(given) == written


@pytest.mark.parametrize(
    "bad", ["www.www.example.com", "192.0.2.1", "ex ample.com", "-a.example.com", "a..b", "ü-.de", "example.com:8080"]
)
def test_hostname_refuses_what_is_not_a_host_name(bad):
    with pytest.raises(InvalidInput):
        hostname(bad)


def test_the_www_twin_is_never_doubled():
    assert with_www("example.com") == ["example.com", "www.example.com"]
    for name in ("www.example.com", "*.example.com"):
        with pytest.raises(InvalidInput):
            with_www(name)


def test_a_domain_is_picked_by_id_or_by_any_spelling_of_its_name():
    class D:
        def __init__(self, id, name):
            self.id, self.name = id, name

    listed = [D("d1", "bäckerei.de"), D("d2", "WWW.Example.com")]
    assert pick_domain(listed, "XN--BCKEREI-5WA.DE.", "x").id == "d1"
    assert pick_domain(listed, "https://www.example.com/", "x").id == "d2"
    assert pick_domain(listed, "D2", "x").id == "d2"
    with pytest.raises(InvalidInput) as missing:
        pick_domain(listed, "example.com", "x")
    assert missing.value.message == "x has no domain 'example.com'. Its domains: bäckerei.de, WWW.Example.com."


async def test_the_wordpress_path_writes_names_the_same_way(sandbox, settings):
    _, state = sandbox
    args = {"action": "add", "domain": "HTTPS://Faß.AcmeShop.com.:443/", "site": "acmeshop", "environment": "staging"}
    result = await call(settings, "change_domains", args)
    assert not result.is_error, text_of(result)
    assert mutations(state)[0].json["domain_name"] == "xn--fa-hia.acmeshop.com"
    twin = await call(settings, "change_domains", args | {"domain": "www.acmeshop.org", "add_with_www_subdomain": True})
    assert twin.is_error and "Pass acmeshop.org to add both" in text_of(twin) and len(mutations(state)) == 1
