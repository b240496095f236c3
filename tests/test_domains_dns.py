"""Site domains, Kinsta DNS and bot protection through the real MCP client against the sandbox.

Tools: list_domains (read), change_domains (write: add, set_primary; search and replace is confirmed),
remove_domains (destructive); list_dns (read), change_dns_record (write: create, add),
overwrite_dns_record (destructive: update, delete); set_bot_protection (environment_info reads the level)."""

from __future__ import annotations

import json

import pytest
from mcp import Client
from mcp.types import ElicitResult

from kinsta_mcp.sandbox import Fault
from kinsta_mcp.sandbox.seed import stable_id
from kinsta_mcp.server import build_server
from tests.test_tools import confirm_code, confirmed

pytestmark = pytest.mark.anyio

LIVE = stable_id("env", "acmeshop", "live")
STAGING = stable_id("env", "acmeshop", "staging")
ZONE = stable_id("dns-domain", "acmeshop.com")
RECORDS = f"/domains/{ZONE}/dns-records"
CERT = "-----BEGIN CERTIFICATE-----\nMIIBcertBODYsecretCERT\n-----END CERTIFICATE-----"
KEY = "-----BEGIN PRIVATE KEY-----\nMIIEkeyBODYsecretKEY\n-----END PRIVATE KEY-----"


def text_of(result) -> str:
    return "\n".join(block.text for block in result.content)


def mutations(state) -> list[tuple[str, str, object]]:
    return [(r.method, r.path, r.json) for r in state.requests if r.method != "GET"]


def env_dict(state, env_id: str) -> dict:
    return state.find_environment(env_id)[1]


def names_on(state, env_id: str) -> list[str]:
    return [d["name"] for d in env_dict(state, env_id)["domains"]]


def zone_records(state) -> dict[tuple[str, str], list[str]]:
    zone = next(z for z in state.dns_domains if z["id"] == ZONE)
    return {(r["type"], r["name"]): [v["value"] for v in r["resource_records"]] for r in zone["dns_records"]}


class Asker:
    def __init__(self, action: str = "accept", confirm: bool = True) -> None:
        self.action, self.confirm, self.asked = action, confirm, []

    async def __call__(self, context, params):
        self.asked.append(params.message)
        return ElicitResult(action=self.action, content={"confirm": self.confirm} if self.action == "accept" else None)


# -- site domains: reading -----------------------------------------------------------------------


async def test_list_domains_marks_the_primary(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("list_domains", {"site": "acmeshop"})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert data["environment_id"] == LIVE and data["primary_domain"] == "acmeshop.com"
    assert [d["name"] for d in data["domains"]] == ["acmeshop.com", "www.acmeshop.com", "acmeshop.kinsta.cloud"]
    assert data["domains"][0]["id"] == stable_id("site-domain", "acmeshop.com") and data["dns_records"] == []
    assert "acmeshop.com (primary)" in text_of(result) and "www.acmeshop.com (primary)" not in text_of(result)
    assert [r.path for r in state.requests if "domains" in r.path] == [f"/sites/environments/{LIVE}/domains"]


async def test_list_domains_with_the_records_a_domain_needs(sandbox, settings):
    _, state = sandbox
    www = stable_id("site-domain", "www.acmeshop.com")
    async with Client(build_server(settings)) as client:
        by_name = await client.call_tool("list_domains", {"site": "acmeshop",
                                                          "records_for": "https://www.acmeshop.com/"})
        by_id = await client.call_tool("list_domains", {"environment": LIVE, "records_for": www})
        unknown = await client.call_tool("list_domains", {"site": "acmeshop", "records_for": "shop.example.org"})
    records = by_name.structured_content["dns_records"]
    assert records[0].startswith("verify: CNAME _acme-challenge.www.acmeshop.com → www.acmeshop.com.")
    assert records[1] == "point: A www.acmeshop.com → 203.0.113.20"
    assert by_id.structured_content["dns_records"] == records
    assert "DNS records www.acmeshop.com needs" in text_of(by_name)
    paths = [r.path for r in state.requests if "verification-records" in r.path]
    assert paths == [f"/sites/environments/domains/{www}/verification-records"] * 2
    assert unknown.is_error and "has no domain 'shop.example.org'" in text_of(unknown)
    assert "acmeshop.kinsta.cloud" in text_of(unknown)


# -- risk: every action of a tool has the tool's class ---------------------------------------------

TOOL_HINTS = {  # name: (readOnlyHint, destructiveHint)
    "list_domains": (True, False), "change_domains": (False, False), "remove_domains": (False, True),
    "list_dns": (True, False), "change_dns_record": (False, False), "overwrite_dns_record": (False, True),
    "set_bot_protection": (False, False),
}


async def test_split_tools_have_annotations_true_for_every_action(sandbox, settings):
    async with Client(build_server(settings)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    for name, (read_only, destructive) in TOOL_HINTS.items():
        hints = tools[name].annotations
        assert (bool(hints.read_only_hint), bool(hints.destructive_hint)) == (read_only, destructive), name
    actions = {name: tools[name].input_schema["properties"]["action"]["enum"]
               for name in ("change_domains", "change_dns_record", "overwrite_dns_record")}
    # additions only in the write tools; what replaces or deletes only in the destructive ones
    assert actions == {"change_domains": ["add", "set_primary", "refresh"], "change_dns_record": ["create", "add"],
                       "overwrite_dns_record": ["update", "delete"]}
    assert "action" not in tools["remove_domains"].input_schema["properties"]


@pytest.mark.parametrize(("tool", "args", "hint"), [
    ("change_domains", {"action": "add", "domains": ["new.example.com"], "site": "acmeshop"}, "'domain'"),
    ("remove_domains", {"domains": ["www.acmeshop.com"], "site": "acmeshop", "enviroment": "staging"},
     "'environment'"),
    ("change_dns_record", {"zone": "acmeshop.com", "action": "create", "type": "A", "value": ["203.0.113.9"]},
     "'values'"),
    ("overwrite_dns_record", {"zone": "acmeshop.com", "action": "delete", "type": "A", "nmae": "x"}, "'name'"),
])
async def test_misspelled_arguments_are_refused(sandbox, settings, tool, args, hint):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool(tool, args)
    assert result.is_error and f"did you mean {hint}" in text_of(result), text_of(result)
    assert mutations(state) == []


# -- site domains: adding ------------------------------------------------------------------------


async def test_add_domain_with_www_and_avoid_downtime(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("change_domains", {
            "action": "add", "domain": "Shop.AcmeShop.com.", "site": "acmeshop", "environment": "staging",
            "add_with_www_subdomain": True, "setup_type": "avoid_downtime",
        })
        listed = await client.call_tool("list_sites", {})
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert data["state"] == "done" and data["domains"] == ["shop.acmeshop.com", "www.shop.acmeshop.com"]
    assert data["environment_id"] == STAGING and next(iter(data["jobs"])).startswith("op:")
    assert "Add shop.acmeshop.com and www.shop.acmeshop.com to Acme Shop (acmeshop) › staging" in text_of(result)
    assert "records_for='shop.acmeshop.com'" in text_of(result)  # the next step, outside the fence
    assert mutations(state) == [("POST", f"/sites/environments/{STAGING}/domains", {
        "domain_name": "shop.acmeshop.com", "is_wildcardless": False, "add_with_www_subdomain": True,
        "setup_type": "avoid_downtime",
    })]
    assert names_on(state, STAGING)[-2:] == ["shop.acmeshop.com", "www.shop.acmeshop.com"]
    shop = next(s for s in listed.structured_content["sites"] if s["name"] == "acmeshop")
    staging = next(e for e in shop["environments"] if e["name"] == "staging")
    assert "www.shop.acmeshop.com" in staging["domains"]


async def test_add_domain_with_a_custom_certificate_never_shows_it(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("change_domains", {
            "action": "add", "domain": "secure.acmeshop.com", "site": "acmeshop", "is_wildcardless": True,
            "custom_ssl": f"{KEY}\n{CERT}\n",
        })
    assert not result.is_error, text_of(result)
    [(method, path, body)] = mutations(state)
    assert (method, path) == ("POST", f"/sites/environments/{LIVE}/domains")
    assert body == {"domain_name": "secure.acmeshop.com", "is_wildcardless": True, "add_with_www_subdomain": False,
                    "setup_type": "quick", "custom_ssl_cert": CERT, "custom_ssl_key": KEY}
    assert result.structured_content["custom_ssl"] is True
    shown = text_of(result) + str(result.structured_content)
    assert "custom SSL certificate" in shown and "secret" not in shown and "BEGIN" not in shown


async def test_a_rejected_certificate_is_not_echoed_back(sandbox, settings):
    _, state = sandbox
    echo = json.dumps({"status": 400, "message": f"Invalid key: {KEY}", "data": None}).encode()
    state.add_fault(Fault(method="POST", path="/sites/environments/*/domains", status=400, body=echo))
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("change_domains", {
            "action": "add", "domain": "secure.acmeshop.com", "site": "acmeshop", "custom_ssl": CERT + KEY,
        })
    assert result.is_error and "Invalid key: [hidden]" in text_of(result)
    assert "secretKEY" not in text_of(result)


@pytest.mark.parametrize(("args", "message"), [
    ({"add_with_www_subdomain": True, "is_wildcardless": True}, "cannot be combined with is_wildcardless"),
    ({"custom_ssl": CERT}, "exactly one PEM private key"),
    ({"custom_ssl": "not a pem"}, "custom_ssl must hold the PEM certificate"),
    ({"run_search_and_replace": True}, "run_search_and_replace only apply to action=set_primary"),
    ({"domain": "not a domain"}, "'not a domain' is not a valid domain name"),
    ({"domain": "192.0.2.1"}, "is not a valid domain name"),
    ({"domain": "www.www.example.com"}, "repeats www.; did you mean www.example.com?"),
    ({"domain": "www.example.com", "add_with_www_subdomain": True}, "Pass example.com to add both"),
    ({"action": "set_primary", "setup_type": "avoid_downtime"}, "setup_type only apply to action=add"),
])
async def test_add_domain_refuses_bad_input_before_any_request(sandbox, settings, args, message):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("change_domains", {"action": "add", "domain": "new.example.com",
                                                           "site": "acmeshop"} | args)
    assert result.is_error and message in text_of(result), text_of(result)
    assert state.requests == []
    assert "MIIE" not in text_of(result)


async def test_add_domain_on_live_asks_when_live_is_protected(sandbox, settings):
    _, state = sandbox
    args = {"action": "add", "domain": "new.example.com", "site": "acmeshop"}
    async with Client(build_server(settings.with_(protect_live=True))) as client:
        stopped = await client.call_tool("change_domains", args)
        staging = await client.call_tool("change_domains", args | {"environment": "staging"})
    assert stopped.is_error and "Add new.example.com to Acme Shop (acmeshop) › live" in text_of(stopped)
    assert "on the LIVE environment of Acme Shop" in text_of(stopped)
    assert not staging.is_error, text_of(staging)
    assert [p for _, p, _ in mutations(state)] == [f"/sites/environments/{STAGING}/domains"]


async def test_a_domain_of_another_site_is_refused_before_any_change(sandbox, settings):
    _, state = sandbox
    args = {"action": "add", "domain": "ACMEBLOG.com.", "site": "acmeshop"}
    async with Client(build_server(settings)) as client:
        named = await client.call_tool("change_domains", args)
        twin = await client.call_tool("change_domains", args | {"domain": "acmeblog.com",
                                                                "add_with_www_subdomain": True})
        own = await client.call_tool("change_domains", args | {"domain": "www.acmeshop.com"})
    async with Client(build_server(settings.with_(allowed_sites=("acmeshop",)))) as client:
        hidden = await client.call_tool("change_domains", args | {"domain": "www.acmeblog.com"})
    assert named.is_error and "acmeblog.com already is a domain of Acme Blog (blog-acme) › live" in text_of(named)
    assert twin.is_error and "acmeblog.com already is a domain of Acme Blog" in text_of(twin)
    assert own.is_error and "www.acmeshop.com already is a domain of this environment" in text_of(own)
    # outside KINSTA_ALLOWED_SITES: refused without saying which site has it
    assert hidden.is_error and "another site of the company" in text_of(hidden)
    assert "KINSTA_ALLOWED_SITES" in text_of(hidden)
    assert "blog-acme" not in text_of(hidden) and "Acme Blog" not in text_of(hidden)
    assert mutations(state) == []


# -- site domains: removing ------------------------------------------------------------------------


@pytest.mark.both_eras
async def test_remove_domains_needs_confirmation_and_sends_their_ids(sandbox, settings, mode):
    _, state = sandbox
    www = stable_id("site-domain", "www.acmeshop.com")
    temporary = stable_id("site-domain", "acmeshop.kinsta.cloud")
    args = {"domains": ["www.acmeshop.com", temporary, "WWW.acmeshop.com."], "site": "acmeshop"}
    async with Client(build_server(settings), mode=mode) as client:
        preview = await client.call_tool("remove_domains", args)
        assert preview.is_error and mutations(state) == []
        text = text_of(preview)
        assert "Confirmation needed" in text and "Remove 2 domain(s) from Acme Shop (acmeshop) › live" in text
        assert f"www.acmeshop.com (id {www})" in text and f"acmeshop.kinsta.cloud (id {temporary})" in text
        done = await client.call_tool("remove_domains", args | {"confirm": confirm_code(preview)})
        after = await client.call_tool("list_domains", {"site": "acmeshop"})
    assert not done.is_error, text_of(done)
    assert done.structured_content["state"] == "done"
    assert done.structured_content["domains"] == ["www.acmeshop.com", "acmeshop.kinsta.cloud"]
    assert mutations(state) == [("DELETE", f"/sites/environments/{LIVE}/domains", {"domain_ids": [www, temporary]})]
    assert [d["name"] for d in after.structured_content["domains"]] == ["acmeshop.com"]


async def test_a_confirmation_code_for_other_domains_is_refused(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        preview = await client.call_tool("remove_domains", {"domains": ["www.acmeshop.com"], "site": "acmeshop"})
        other = await client.call_tool("remove_domains", {"domains": ["acmeshop.kinsta.cloud"], "site": "acmeshop",
                                                          "confirm": confirm_code(preview)})
    assert other.is_error and "not the one for this preview" in text_of(other)
    assert mutations(state) == []


@pytest.mark.both_eras
@pytest.mark.parametrize(("action", "confirm"), [("accept", True), ("decline", False), ("accept", False)])
async def test_remove_domain_asks_the_user(sandbox, settings, mode, action, confirm):
    _, state = sandbox
    asker = Asker(action, confirm)
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("remove_domains", {"domains": ["www.acmeshop.com"], "site": "acmeshop"})
    assert len(asker.asked) == 1 and "www.acmeshop.com" in asker.asked[0]
    if action == "accept" and confirm:
        assert not result.is_error, text_of(result)
        assert "www.acmeshop.com" not in names_on(state, LIVE)
    else:
        assert result.is_error and "nothing was changed" in text_of(result)
        assert mutations(state) == [] and "www.acmeshop.com" in names_on(state, LIVE)


async def test_remove_refuses_the_primary_and_unknown_domains(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        primary = await client.call_tool("remove_domains", {"domains": ["www.acmeshop.com", "acmeshop.com"],
                                                            "site": "acmeshop"})
        unknown = await client.call_tool("remove_domains", {"domains": ["acmeblog.com"], "site": "acmeshop"})
    assert primary.is_error
    assert "acmeshop.com is the primary domain of Acme Shop (acmeshop) › live" in text_of(primary)
    assert "action=set_primary" in text_of(primary)
    assert unknown.is_error and "has no domain 'acmeblog.com'" in text_of(unknown)
    assert mutations(state) == []


# -- site domains: primary -------------------------------------------------------------------------


async def test_set_primary_changes_what_sites_show(sandbox, settings, mode):
    _, state = sandbox
    www = stable_id("site-domain", "www.acmeshop.com")
    async with Client(build_server(settings), mode=mode) as client:
        result = await client.call_tool("change_domains", {"action": "set_primary", "domain": "www.acmeshop.com",
                                                           "site": "acmeshop"})
        again = await client.call_tool("change_domains", {"action": "set_primary", "domain": www,
                                                          "site": "acmeshop"})
        envs = await client.call_tool("list_sites", {"site": "acmeshop"})
    assert not result.is_error, text_of(result)
    assert result.structured_content["search_and_replace"] is False
    assert "URLs in the database still use the old domain" in text_of(result)
    assert mutations(state) == [("PUT", f"/sites/environments/{LIVE}/change-primary-domain",
                                 {"domain_id": www, "run_search_and_replace": False})]
    live = next(e for e in envs.structured_content["sites"][0]["environments"] if e["name"] == "live")
    assert live["primary_domain"] == "www.acmeshop.com"
    assert again.is_error and "already is the primary domain" in text_of(again)


@pytest.mark.both_eras
async def test_set_primary_with_search_and_replace_asks_first(sandbox, settings, mode):
    _, state = sandbox
    args = {"action": "set_primary", "domain": "acmeshop.kinsta.cloud", "site": "acmeshop",
            "run_search_and_replace": True}
    async with Client(build_server(settings), mode=mode) as client:
        preview = await client.call_tool("change_domains", args)
        assert preview.is_error and mutations(state) == []
        assert "rewrite every acmeshop.com URL in its database to acmeshop.kinsta.cloud" in text_of(preview)
        done = await client.call_tool("change_domains", args | {"confirm": confirm_code(preview)})
    assert not done.is_error, text_of(done)
    assert done.structured_content["search_and_replace"] is True
    assert mutations(state)[0][2] == {"domain_id": stable_id("site-domain", "acmeshop.kinsta.cloud"),
                                      "run_search_and_replace": True}
    assert env_dict(state, LIVE)["last_search_replace"] == {"from": "acmeshop.com", "to": "acmeshop.kinsta.cloud"}


# -- Kinsta DNS ------------------------------------------------------------------------------------


async def test_list_zones_and_records(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings), mode=mode) as client:
        zones = await client.call_tool("list_dns", {})
        records = await client.call_tool("list_dns", {"zone": "www.acmeshop.com", "limit": 2, "offset": 1})
    assert zones.structured_content["zones"] == [
        {"id": ZONE, "name": "acmeshop.com", "site_id": stable_id("site", "acmeshop"), "is_active": True}
    ]
    data = records.structured_content
    assert (data["zone"], data["zone_id"], data["total"], data["returned"], data["next_offset"]) == (
        "acmeshop.com", ZONE, 5, 2, 3)
    assert data["records"][0] == {"type": "CNAME", "name": "www.acmeshop.com", "ttl": 3600,
                                  "values": ["acmeshop.com"]}
    assert data["records"][1]["values"] == ["1 aspmx.l.google.com", "5 alt1.aspmx.l.google.com"]
    assert "more with offset=3" in text_of(records)
    assert [(r.path, r.query) for r in state.requests if r.path.startswith("/domains")] == [
        ("/domains", {"company": state.company_id}), ("/domains", {"company": state.company_id}), (RECORDS, {})]


async def test_create_records_of_each_kind(sandbox, settings, mode):
    _, state = sandbox
    async with Client(build_server(settings), mode=mode) as client:
        for type_, name, values in [
            ("A", "shop", ["203.0.113.50", " 203.0.113.51 "]),
            ("AAAA", "@", ["2001:DB8:0:0::10"]),
            ("TXT", "_verify.acmeshop.com.", ['"token=abc"']),
            ("MX", "mail", ["10  MX1.Example.com."]),
            ("CAA", "@", ["0 issue letsencrypt.org"]),
            ("SRV", "_sip._tcp", ["10 5 5060 sip.example.com"]),
        ]:
            result = await client.call_tool("change_dns_record", {
                "zone": "acmeshop.com", "action": "create", "type": type_, "name": name, "values": values,
            })
            assert not result.is_error, text_of(result)
        listed = await client.call_tool("list_dns", {"zone": ZONE})
    posts = [body for method, path, body in mutations(state) if method == "POST" and path == RECORDS]
    assert posts[0] == {"type": "A", "name": "shop.acmeshop.com", "ttl": 3600,
                        "resource_records": [{"value": "203.0.113.50"}, {"value": "203.0.113.51"}]}
    assert [p["resource_records"] for p in posts[1:]] == [
        [{"value": "2001:db8::10"}], [{"value": "token=abc"}], [{"value": "10 mx1.example.com"}],
        [{"value": '0 issue "letsencrypt.org"'}], [{"value": "10 5 5060 sip.example.com"}]]
    assert [p["name"] for p in posts[1:]] == ["acmeshop.com", "_verify.acmeshop.com", "mail.acmeshop.com",
                                              "acmeshop.com", "_sip._tcp.acmeshop.com"]
    assert zone_records(state)[("A", "shop.acmeshop.com")] == ["203.0.113.50", "203.0.113.51"]
    assert listed.structured_content["total"] == 11


@pytest.mark.parametrize(("type_", "values", "message"), [
    ("A", ["999.1.1.1"], "'999.1.1.1' is not a valid A value; example: '203.0.113.10'"),
    ("A", ["2001:db8::1"], "is not a valid A value"),
    ("AAAA", ["203.0.113.5"], "is not a valid AAAA value"),
    ("MX", ["mail.example.com"], "example: '10 mail.example.com'"),
    ("MX", ["70000 mail.example.com"], "is not a valid MX value"),
    ("TXT", ['v=spf1 "include" ~all'], "without quotes"),
    ("TXT", ["  "], "non-empty printable ASCII"),
    ("CAA", ["300 issue x.org"], "is not a valid CAA value"),
    ("SRV", ["10 5060 sip.example.com"], "is not a valid SRV value"),
    ("CNAME", ["a.example.com", "b.example.com"], "exactly one value"),
    ("A", [], "create needs the record's values"),
])
async def test_bad_record_values_are_refused_before_any_request(sandbox, settings, type_, values, message):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        result = await client.call_tool("change_dns_record", {
            "zone": "acmeshop.com", "action": "create", "type": type_, "name": "x", "values": values,
        })
    assert result.is_error and message in text_of(result), text_of(result)
    assert state.requests == []


async def test_record_rules_that_need_the_zone(sandbox, settings):
    _, state = sandbox
    create = ("change_dns_record", {"zone": "acmeshop.com", "action": "create"})
    overwrite = ("overwrite_dns_record", {"zone": "acmeshop.com"})
    calls = [
        (create, {"type": "A", "name": "@", "values": ["203.0.113.9"]}, "already exists (A acmeshop.com (TTL 3600)"),
        (create, {"type": "CNAME", "name": "@", "values": ["x.example.com"]}, "cannot sit at the zone apex"),
        (create, {"type": "A", "name": "www", "values": ["203.0.113.9"]}, "a CNAME cannot share its name"),
        (create, {"type": "A", "name": "shop.example.org.", "values": ["203.0.113.9"]}, "not inside zone acmeshop.com"),
        (create, {"type": "A", "name": "x", "values": ["203.0.113.9"], "ttl": 60}, "at least 300 seconds"),
        (create, {"type": "A", "name": "x", "values": ["203.0.113.9"], "zone": "example.org"},
         "No Kinsta DNS zone matches"),
        (create, {"type": "A", "name": "nope", "action": "add", "values": ["203.0.113.9"]}, "has no A record named"),
        (create, {"type": "CNAME", "name": "www", "action": "add", "values": ["x.example.com"]},
         "replace it with overwrite_dns_record"),
        (overwrite, {"type": "A", "name": "nope", "action": "update", "values": ["203.0.113.9"]},
         "has no A record named"),
        (overwrite, {"type": "A", "name": "@", "action": "update", "values": []}, "update needs the record's values"),
        (overwrite, {"type": "A", "name": "@", "action": "delete", "values": ["203.0.113.21"]},
         "use update with the values"),
    ]
    async with Client(build_server(settings)) as client:
        for (tool, base), args, message in calls:
            result = await client.call_tool(tool, base | args)
            assert result.is_error and message in text_of(result), (args, text_of(result))
    assert mutations(state) == []


async def test_adding_values_does_not_ask(sandbox, settings, mode):
    _, state = sandbox
    add = {"zone": "acmeshop.com", "action": "add", "type": "MX", "name": "@",
           "values": ["1 aspmx.l.google.com", "10 alt2.aspmx.l.google.com"]}
    async with Client(build_server(settings), mode=mode) as client:
        added = await client.call_tool("change_dns_record", add)
        same = await client.call_tool("change_dns_record", add)
    assert not added.is_error, text_of(added)
    assert added.structured_content["state"] == "done"
    assert added.structured_content["values"] == ["1 aspmx.l.google.com", "5 alt1.aspmx.l.google.com",
                                                  "10 alt2.aspmx.l.google.com"]
    assert same.is_error and "Nothing to change" in text_of(same)
    assert mutations(state) == [("PUT", RECORDS, {"type": "MX", "name": "acmeshop.com",
                                                  "new_resource_records": [{"value": "10 alt2.aspmx.l.google.com"}]})]
    assert len(zone_records(state)[("MX", "acmeshop.com")]) == 3


@pytest.mark.both_eras
async def test_overwriting_values_asks_first_and_sends_nothing_before(sandbox, settings, mode):
    _, state = sandbox
    swap = {"zone": "acmeshop.com", "action": "update", "type": "A", "name": "@", "values": ["203.0.113.99"],
            "ttl": 600}
    async with Client(build_server(settings), mode=mode) as client:
        preview = await client.call_tool("overwrite_dns_record", swap)
        assert preview.is_error and mutations(state) == []
        assert "Change the A acmeshop.com in zone acmeshop.com (now 203.0.113.21): remove 203.0.113.21; " \
               "add 203.0.113.99; TTL 3600 → 600" in text_of(preview)
        swapped = await client.call_tool("overwrite_dns_record", swap | {"confirm": confirm_code(preview)})
    assert not swapped.is_error, text_of(swapped)
    assert swapped.structured_content["values"] == ["203.0.113.99"]
    assert mutations(state) == [
        ("PUT", RECORDS, {"type": "A", "name": "acmeshop.com", "ttl": 600,
                          "new_resource_records": [{"value": "203.0.113.99"}],
                          "removed_resource_records": [{"value": "203.0.113.21"}]}),
    ]
    assert zone_records(state)[("A", "acmeshop.com")] == ["203.0.113.99"]


@pytest.mark.both_eras
async def test_delete_record_previews_the_exact_values(sandbox, settings, mode):
    _, state = sandbox
    args = {"zone": ZONE, "action": "delete", "type": "TXT", "name": "_dmarc"}
    async with Client(build_server(settings), mode=mode) as client:
        preview = await client.call_tool("overwrite_dns_record", args)
        assert preview.is_error and mutations(state) == []
        assert ("Delete the TXT _dmarc.acmeshop.com in zone acmeshop.com: TXT _dmarc.acmeshop.com (TTL 3600): "
                "v=DMARC1; p=quarantine; rua=mailto:dmarc@acmeshop.com") in text_of(preview)
        done = await client.call_tool("overwrite_dns_record", args | {"confirm": confirm_code(preview)})
    assert not done.is_error, text_of(done)
    assert done.structured_content["state"] == "done" and done.structured_content["values"] == []
    assert mutations(state) == [("DELETE", RECORDS, {"type": "TXT", "name": "_dmarc.acmeshop.com"})]
    assert ("TXT", "_dmarc.acmeshop.com") not in zone_records(state)


@pytest.mark.both_eras
@pytest.mark.parametrize(("action", "confirm"), [("accept", True), ("decline", False)])
async def test_delete_record_asks_the_user(sandbox, settings, mode, action, confirm):
    _, state = sandbox
    asker = Asker(action, confirm)
    async with Client(build_server(settings), mode=mode, elicitation_callback=asker) as client:
        result = await client.call_tool("overwrite_dns_record", {"zone": "acmeshop.com", "action": "delete",
                                                                 "type": "MX", "name": "@"})
    assert len(asker.asked) == 1 and "1 aspmx.l.google.com | 5 alt1.aspmx.l.google.com" in asker.asked[0]
    assert result.is_error is not (action == "accept")
    assert (("MX", "acmeshop.com") in zone_records(state)) is (action != "accept")


async def test_dns_keeps_to_the_allowed_sites(sandbox, settings):
    _, state = sandbox
    state.dns_domains.append({"id": stable_id("dns-domain", "acmeblog.com"), "name": "acmeblog.com",
                              "site_id": stable_id("site", "blog-acme"), "is_active": True, "dns_records": []})
    async with Client(build_server(settings.with_(allowed_sites=("acmeshop",)))) as client:
        zones = await client.call_tool("list_dns", {})
        refused = await client.call_tool("change_dns_record", {"zone": "acmeblog.com", "action": "create",
                                                               "type": "A", "values": ["203.0.113.7"]})
        overwrite = await client.call_tool("overwrite_dns_record", {"zone": "acmeblog.com", "action": "delete",
                                                                    "type": "A"})
    assert [z["name"] for z in zones.structured_content["zones"]] == ["acmeshop.com"]
    for result in (refused, overwrite):
        assert result.is_error and "KINSTA_ALLOWED_SITES" in text_of(result)
        assert "blog-acme" not in text_of(result) and "Acme Blog" not in text_of(result)
    assert mutations(state) == []


# -- bot protection --------------------------------------------------------------------------------


async def test_bot_protection_get_and_set(sandbox, settings, mode):
    _, state = sandbox
    level = f"/sites/environments/{LIVE}/bot-protection/level"
    async with Client(build_server(settings), mode=mode) as client:
        show = {"show": "bot_protection"}
        before = await client.call_tool("environment_info", {"site": "acmeshop.com", **show})
        changed = await client.call_tool("set_bot_protection", {"site": "acmeshop.com", "level": "challenge-bots"})
        after = await client.call_tool("environment_info", {"environment": LIVE, **show})
    assert before.structured_content["bot_protection"] == (
        "block-malicious-traffic: blocks known malicious traffic only (Kinsta's baseline)")
    assert before.structured_content["environment"] == "Acme Shop (acmeshop) › live"
    assert "Kinsta's baseline" in text_of(before)
    assert not changed.is_error, text_of(changed)
    assert changed.structured_content["state"] == "done" and changed.structured_content["level"] == "challenge-bots"
    assert "some real visitors may be challenged" in text_of(changed)
    assert "Visitors of acmeshop.com may now see a challenge page" in text_of(changed)
    assert mutations(state) == [("PUT", level, {"level": "challenge-bots"})]
    assert after.structured_content["bot_protection"].startswith("challenge-bots: ")
    assert [r.method for r in state.requests if r.path == level] == ["GET", "PUT", "GET"]


async def test_bot_protection_on_staging_and_bad_levels(sandbox, settings):
    _, state = sandbox
    async with Client(build_server(settings)) as client:
        staging = await client.call_tool("set_bot_protection", {"site": "acmeshop", "environment": "staging",
                                                                "level": "challenge-everyone"})
        bad = await client.call_tool("set_bot_protection", {"site": "acmeshop", "level": "block-everything"})
    assert not staging.is_error and "may now see a challenge" not in text_of(staging)
    assert env_dict(state, STAGING)["bot_protection_level"] == "challenge-everyone"
    assert bad.is_error and mutations(state) == [
        ("PUT", f"/sites/environments/{STAGING}/bot-protection/level", {"level": "challenge-everyone"})]


async def test_bot_protection_on_protected_live_says_what_the_level_does(sandbox, settings):
    _, state = sandbox
    args = {"site": "acmeshop", "level": "challenge-everyone"}
    async with Client(build_server(settings.with_(protect_live=True))) as client:
        stopped = await client.call_tool("set_bot_protection", args)
        assert stopped.is_error and mutations(state) == []
        assert ("Set bot protection to challenge-everyone (challenges all unverified traffic, real visitors "
                "included) — on the LIVE environment of Acme Shop") in text_of(stopped)
        done = await confirmed(client, "set_bot_protection", args)
    assert not done.is_error, text_of(done)
    assert env_dict(state, LIVE)["bot_protection_level"] == "challenge-everyone"
