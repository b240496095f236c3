"""Every tool, once, through `kinsta-mcp` spawned over stdio, in both protocol eras.

The server runs as a subprocess configured only by its environment (Kinsta key and base, Sevalla key
and base, `KINSTA_MAX_WAIT=0` so writes hand back their operation at once), against the test
sandbox on 127.0.0.1 with its contract observer. Each call must succeed and return structured content
(which the client checks against the tool's output schema), each write must send a change; the list of calls
must name every tool the server offers, so a new tool cannot be left out.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client

from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID, DEMO_SEVALLA_KEY
from tests.test_tools import Asker, text_of

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[1]
SEED_START, SEED_END = "2024-04-20T18:10:45.511Z", "2024-04-28T18:10:45.511Z"

Args = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]  # fixed, or from earlier results
Check = Callable[[Any, str], None]  # (structured content, text) → assertions


def seed_bandwidth_per_day(data: dict[str, Any], text: str) -> None:
    """The issue's seed case: per-day values in MB with ISO dates."""
    points = data["series"][0]["points"]
    days = [f"2024-04-{d}" for d in range(20, 29)]  # the first and last days are partial
    assert [p["time"] for p in points] == [f"{d}T00:00:00Z" for d in days]
    assert all(p["value"] > 0 for p in points)
    lines = [line for line in text.splitlines() if line.lstrip("- ")[:10] in days]
    assert len(lines) == 9 and all(" MB" in line for line in lines), text


def listed(key: str, count: int) -> Check:
    def check(data: dict[str, Any], text: str) -> None:
        assert len(data[key]) == count, data[key]
    return check


def is_state(*states: str) -> Check:
    def check(data: dict[str, Any], text: str) -> None:
        assert data["state"] in states, data
    return check


# (tool, arguments, check): reads first, then writes, the destructive ones last.
CALLS: list[tuple[str, Args, Check | None]] = [
    ("list_sites", {}, listed("sites", 5)),
    ("list_sites", {"site": "www.acmeshop.com"},
     lambda d, t: [s["name"] for s in d["sites"]] == ["acmeshop"] or pytest.fail(t)),
    ("environment_info", {"show": "redirects", "site": "acmeshop"}, None),
    ("get_logs", {"site": "acmeshop", "file": "error", "lines": 20}, None),
    ("list_backups", {"site": "acmeshop"}, None),
    ("list_domains", {"site": "acmeshop"}, None),
    ("company_info", {"what": "regions"}, listed("regions", 9)),
    ("list_dns", {"zone": "acmeshop.com"}, None),
    ("list_plugins", {"site": "acmeshop"}, None),
    ("ssh_access", {"site": "acmeshop"}, None),
    ("site_analytics", {"site": "acmeshop", "metric": "visits", "period": "last_7_days"}, None),
    ("company_report", {"report": "visits", "period": "last_month"}, listed("rows", 5)),
    ("list_applications", {}, None),
    ("app_metrics", {"application": "Portfolio App", "metric": "bandwidth", "start": SEED_START, "end": SEED_END,
                     "interval": "day"}, seed_bandwidth_per_day),
    ("app_logs", {"application": "Acme API", "kind": "build"},
     lambda d, t: d["lines"][-1].endswith("Deployment successful") or pytest.fail(t)),
    ("list_databases", {"database": "Acme Postgres"}, None),
    ("list_static_sites", {"static_site": "Acme Docs"}, listed("static_sites", 1)),
    ("env_vars", {"target": "application", "name": "Portfolio App"}, listed("variables", 2)),
    ("object_storage", {"bucket": "Media Assets"}, listed("objects", 5)),
    ("clear_cache", {"site": "acmeshop", "max_wait_seconds": 0}, None),
    ("find_endpoint", {"query": "restart php"}, lambda d, t: "kinsta:restartPhpEngine" in t or pytest.fail(t)),
    ("restart_php", {"site": "client-bakery", "max_wait_seconds": 0}, is_state("running", "done", "unknown")),
    ("wait_for_job", lambda done: {"jobs": list(done["restart_php"]["jobs"]), "max_wait_seconds": 10},
     is_state("done")),
    ("cache_settings", {"action": "edge_cache_on", "site": "acmeshop"}, None),
    ("set_bot_protection", {"level": "challenge-bots", "site": "acmeshop"}, None),
    ("update_plugins", lambda done: {"names": [next(
        i["name"] for i in done["list_plugins"]["items"] if i["update_version"])], "site": "acmeshop"}, None),
    ("change_dns_record", {"zone": "acmeshop.com", "action": "create", "type": "TXT", "name": "_verify",
                           "values": ["token-123"]}, None),
    ("change_domains", {"action": "add", "domain": "shop.example.org", "site": "acmeshop"}, None),
    ("remove_domains", {"domains": ["www.acmeshop.com"], "site": "acmeshop"}, None),
    ("overwrite_dns_record", {"zone": "acmeshop.com", "action": "delete", "type": "TXT", "name": "_dmarc"}, None),
    ("ssh_settings", {"action": "password_expiry", "expiry": "days_30", "site": "acmeshop"}, None),
    ("manage_backups", {"action": "create", "site": "acmeshop", "tag": "before the push"}, None),
    ("change_environment", {"action": "redirect_add", "site": "acmeshop", "redirect_from": "/old",
                            "redirect_to": "/new"}, None),
    ("environment_login", {"action": "phpmyadmin", "site": "acmeshop", "environment": "staging"}, None),
    ("create_site", {"display_name": "Landing", "kind": "plain", "region": "us-central1"}, None),
    ("deploy_application", {"application": "Portfolio App", "max_wait_seconds": 0}, None),
    ("manage_application", {"application": "portfolio-app", "action": "clear_cache"}, None),
    ("rollback_or_delete_application", {"application": "queue-worker", "action": "delete"},
     lambda d, t: "Queue Worker" in d["action"] or pytest.fail(t)),
    ("restore_or_delete_backup", lambda done: {"action": "delete", "site": "acmeshop",
                                               "backup_id": done["list_backups"]["backups"][-1]["id"]}, None),
    ("revoke_ssh_access", {"action": "new_password", "site": "acmeshop", "environment": "staging"}, None),
    ("manage_database", {"action": "rename", "database": "acme-postgres", "values": {"display_name": "Acme PG"}},
     None),
    ("manage_static_site", {"action": "settings", "static_site": "docs-site",
                            "values": {"build_command": "npm run build:prod"}}, None),
    ("set_env_vars", {"target": "static_site", "name": "docs-site", "values": {"DOCS_VERSION": "2.1"}},
     lambda d, t: d["redeploy"] == 'manage_static_site action="deploy"' or pytest.fail(t)),
    ("change_object_storage", {"action": "cors_add", "bucket": "media-assets",
                               "values": {"methods": ["GET"], "origins": ["https://shop.example.org"]}},
     lambda d, t: "GET from https://shop.example.org" in d["message"] or pytest.fail(t)),
    ("manage_pipeline", {"action": "add_stage", "pipeline": "Acme API pipeline",
                         "values": {"display_name": "QA", "insert_before": "Production"}},
     lambda d, t: "Staging → QA → Production" in d["message"] or pytest.fail(t)),
    ("overwrite_or_delete_env_vars", {"target": "application", "name": "portfolio-app", "delete": ["NODE_ENV"]},
     lambda d, t: "delete NODE_ENV" in d["action"] or pytest.fail(t)),
    ("delete_object_storage", {"action": "objects", "bucket": "media-assets", "items": ["robots.txt"]},
     lambda d, t: "Delete 1 object (68 B)" in d["action"] or pytest.fail(t)),
    ("delete_static_site", {"static_site": "landing-page"},
     lambda d, t: "Landing Page" in d["action"] or pytest.fail(t)),
    ("restore_or_delete_database", {"action": "delete", "database": "cache-redis"},
     lambda d, t: "Cache Redis" in d["action"] or pytest.fail(t)),
    ("overwrite_environment", {"action": "redirect_delete_all", "site": "acmeshop"}, None),
    ("call_endpoint", lambda done: {"endpoint": "kinsta:deleteDomainDnsRecord", "params": {
        "domain_id": done["list_dns"]["zone_id"]}, "body": {"type": "MX", "name": "acmeshop.com"}},
     lambda d, t: d["status"] == 202 or pytest.fail(t)),
    ("delete_site", {"site": "portfolio"}, lambda d, t: "Portfolio (portfolio)" in d["action"] or pytest.fail(t)),
]


def server_params(base: str) -> StdioServerParameters:
    root = base.removesuffix("/v2")
    return StdioServerParameters(command=sys.executable, args=["-m", "kinsta_mcp"], cwd=ROOT, env={
        "KINSTA_API_KEY": DEMO_API_KEY, "KINSTA_COMPANY_ID": DEMO_COMPANY_ID, "KINSTA_API_BASE_URL": base,
        "SEVALLA_API_KEY": DEMO_SEVALLA_KEY, "SEVALLA_API_BASE_URL": f"{root}/sevalla/v2", "KINSTA_MAX_WAIT": "0",
    })


@pytest.mark.both_eras
async def test_every_tool_over_stdio(sandbox, mode):
    base, state = sandbox
    asker = Asker()
    done: dict[str, Any] = {}
    with tempfile.TemporaryFile("w+") as errlog:
        async with Client(stdio_client(server_params(base), errlog=errlog), mode=mode,
                          elicitation_callback=asker) as client:
            tools = (await client.list_tools()).tools
            offered = {t.name for t in tools}
            writes = {t.name for t in tools if not t.annotations.read_only_hint}
            for name, args, check in CALLS:
                before = len(state.requests)
                arguments = args(done) if callable(args) else args
                result = await client.call_tool(name, arguments)
                assert not result.is_error, f"{name}: {text_of(result)}"
                assert result.structured_content is not None, name
                if name in writes:  # reads may be answered from the server's directory of sites
                    assert any(r.method != "GET" for r in state.requests[before:]), f"{name} changed nothing"
                if check:
                    check(result.structured_content, text_of(result))
                done[name] = result.structured_content
        errlog.seek(0)
        stderr = errlog.read()
    assert [name for name, *_ in CALLS if name not in offered] == []
    assert sorted(offered - {name for name, *_ in CALLS}) == [], "add the new tools to CALLS"
    asked = [question.lower() for question in asker.asked]  # only the destructive and sensitive calls asked
    assert len(asked) == 13 and "queue worker" in asked[3] and "portfolio" in asked[-1]
    assert "delete 1 object (68 b) from bucket media assets" in asked[7]
    assert "delete /domains/" in asked[-2]
    assert "delete node_env" in asked[6] and "portfolio app" in asked[6]
    assert "remove 1 domain" in asked[0] and "delete the txt _dmarc" in asked[1]
    assert "phpmyadmin login link" in asked[2] and "delete all 4 redirect rules" in asked[-3]
    assert "landing page" in asked[-5] and "cache redis" in asked[-4]
    assert "delete backup" in asked[4] and "new sftp/ssh password" in asked[5]
    assert DEMO_API_KEY not in stderr and DEMO_SEVALLA_KEY not in stderr
