"""Workflow prompts, resource templates and completions through the MCP client."""

from __future__ import annotations

import json
import re

import pytest
from mcp import Client, MCPError
from mcp.types import PromptReference, ResourceTemplateReference

from kinsta_mcp.prompts import PROMPTS
from kinsta_mcp.registry import load_all
from kinsta_mcp.server import build_server

pytestmark = pytest.mark.anyio


def test_prompts_name_only_tools_and_arguments_that_exist():
    tools = load_all()
    for prompt in PROMPTS:
        text = prompt(site="shop", domain="example.com") if "domain" in prompt.__code__.co_varnames else prompt("shop")
        named = set(re.findall(r"`([a-z_]+)`", text))
        assert named and named <= set(tools), (prompt.__name__, named - set(tools))


@pytest.mark.both_eras
async def test_prompts_are_listed_and_rendered(settings, mode):
    async with Client(build_server(settings), mode=mode) as client:
        listed = {p.name: p for p in (await client.list_prompts()).prompts}
        push = await client.get_prompt("push_staging_to_live", {"site": "acmeshop"})
        dns = await client.get_prompt("add_domain_with_dns", {"site": "acmeshop", "domain": "shop.example"})
    assert set(listed) == {"push_staging_to_live", "weekly_site_report", "add_domain_with_dns"}
    assert all(p.description and p.title for p in listed.values())
    text = push.messages[0].content.text
    assert text.index("manage_backups") < text.index('action="push"') < text.index("clear_cache")
    assert 'domains=["shop.example"]' in dns.messages[0].content.text


async def test_environment_and_backup_templates(settings, sandbox):
    async with Client(build_server(settings)) as client:
        templates = {t.uri_template for t in (await client.list_resource_templates()).resource_templates}
        envs = json.loads((await client.read_resource("kinsta://sites/acmeshop/environments")).contents[0].text)
        backups = json.loads((await client.read_resource(
            "kinsta://sites/acmeshop/environments/live/backups")).contents[0].text)
        with pytest.raises(MCPError):
            await client.read_resource("kinsta://sites/acmeshop/environments/qa/backups")
    assert {"kinsta://sites/{site}/environments", "kinsta://sites/{site}/environments/{environment}/backups",
            "kinsta://dns/{domain}"} <= templates
    assert {e["name"] for e in envs} == {"live", "staging", "staging-premium"}
    assert backups and all("created" in b for b in backups)
    stamps = [b["created_at"] for b in backups]
    assert stamps == sorted(stamps, reverse=True)


async def test_dns_zone_template(settings, sandbox):
    _, state = sandbox
    zone = state.dns_domains[0]["name"]
    async with Client(build_server(settings)) as client:
        read = json.loads((await client.read_resource(f"kinsta://dns/{zone}")).contents[0].text)
        with pytest.raises(MCPError) as missing:
            await client.read_resource("kinsta://dns/not-a-zone.example")
    assert read["zone"] == zone and {r["type"] for r in read["records"]} >= {"A", "MX", "TXT"}
    assert missing.value.code == -32602


@pytest.mark.both_eras
async def test_completions_for_sites_environments_and_zones(settings, mode):
    template = ResourceTemplateReference(type="ref/resource", uri="kinsta://sites/{site}/environments/{environment}/backups")
    async with Client(build_server(settings), mode=mode) as client:
        envs = await client.complete(template, {"name": "environment", "value": "st"},
                                     context_arguments={"site": "acmeshop"})
        prompt_sites = await client.complete(PromptReference(type="ref/prompt", name="weekly_site_report"),
                                             {"name": "site", "value": "blog"})
        zones = await client.complete(ResourceTemplateReference(type="ref/resource", uri="kinsta://dns/{domain}"),
                                      {"name": "domain", "value": "acme"})
    assert envs.completion.values == ["staging", "staging-premium"]
    assert prompt_sites.completion.values == ["blog-acme"]
    assert zones.completion.values == ["acmeshop.com"]
