"""No silent wrong answers: every read tool, for every GET it sends, answered with JSON of the wrong shape.

Each malformed answer (an empty body, `{}`, `[]`, a string, `null`, an object of unknown keys) must end in
an error that says the API sent something unexpected, or leave the tool's answer exactly as it was (a
read the answer did not depend on). Anything else is a confident wrong answer: "0 sites", "SSH disabled",
"No site matches".
"""

from __future__ import annotations

import json

import pytest
from mcp import Client

from kinsta_mcp.sandbox.state import Fault
from kinsta_mcp.server import build_server
from tests.conftest import fast_settings
from tests.test_tools import text_of

pytestmark = pytest.mark.anyio

READS: list[tuple[str, dict[str, object]]] = [
    ("list_sites", {}),
    ("list_sites", {"site": "acmeshop"}),
    ("environment_info", {"show": "redirects", "site": "acmeshop"}),
    ("get_logs", {"site": "acmeshop"}),
    ("list_backups", {"site": "acmeshop"}),
    ("list_domains", {"site": "acmeshop"}),
    ("environment_info", {"show": "bot_protection", "site": "acmeshop"}),
    ("environment_info", {"show": "blocked_ips", "site": "acmeshop"}),
    ("company_info", {"what": "users"}),
    ("company_info", {"what": "regions"}),
    ("company_info", {"what": "api_keys"}),
    ("company_info", {"what": "activity"}),
    ("list_dns", {"zone": "acmeshop.com"}),
    ("list_plugins", {"site": "acmeshop"}),
    ("list_plugins", {}),
    ("ssh_access", {"site": "acmeshop"}),
    ("site_analytics", {"site": "acmeshop"}),
    # Labelled: one server per run starts its limiter afresh while the sandbox keeps counting, so the
    # unlabelled fan-outs over every environment would meet 429s here rather than malformed answers.
    ("company_report", {"report": "visits", "label": "Client"}),
    ("company_report", {"report": "domains", "label": "Internal"}),
    ("company_report", {"report": "backups", "label": "Internal"}),
    ("company_report", {"report": "updates"}),
    ("company_report", {"report": "client", "label": "Client"}),
    ("list_applications", {}),
    ("list_applications", {"application": "portfolio-app"}),
    ("list_databases", {}),
    ("list_databases", {"database": "acme-postgres"}),
    ("list_static_sites", {}),
    ("list_static_sites", {"static_site": "docs-site"}),
    ("env_vars", {"target": "application", "name": "portfolio-app"}),
    ("app_metrics", {"application": "portfolio-app"}),
    ("app_logs", {"application": "portfolio-app"}),
]
# `null` and a bare string take the same paths as the empty body and `[]`.
FAULTS = [b"", b"{}", b"[]", b'{"unexpected": 1}']
EMPTY_LIST = b"[]"
# A path checked once need not be checked again for every later tool that also reads it (the site listing,
# the application list): faults there end the same way whatever tool asked.
CHECKED: set[tuple[str, str]] = set()
SAYS_UNEXPECTED = ("sent something unexpected", "not JSON")


async def run(settings, tool, args):
    async with Client(build_server(settings.with_(toolsets=("all",)))) as client:
        return await client.call_tool(tool, args)


@pytest.mark.parametrize(("tool", "args"), READS, ids=[f"{t}-{'-'.join(map(str, a.values()))}" for t, a in READS])
async def test_a_malformed_answer_is_never_a_confident_wrong_answer(sandbox, tool, args):
    base, state = sandbox
    state.observers.clear()  # the faults break the contract on purpose
    settings = fast_settings(base, sevalla=True, retry_budget=0.5)
    clean = await run(settings, tool, args)
    assert not clean.is_error, text_of(clean)
    answers = {(r.base, r.path): r.response_json for r in state.requests if r.method == "GET"}
    wrong = []
    for (api, path), answer in sorted(answers.items()):
        if (api, path.split("/")[1]) in CHECKED and path.count("/") == 1:
            continue
        CHECKED.add((api, path.split("/")[1]))
        for body in FAULTS:
            if body == EMPTY_LIST and isinstance(answer, list):
                continue  # a documented list answer: [] is a true "none"
            state.faults[:] = [Fault(method="GET", path=path, body=body, media_type="application/json", times=-1)]
            result = await run(settings, tool, args)
            text = text_of(result)
            if any(s in text for s in SAYS_UNEXPECTED):
                continue  # an error, or an answer that says which part could not be read
            if not result.is_error and result.structured_content == clean.structured_content:
                continue  # this read did not shape the answer
            wrong.append(f"{path} ← {body!r}: {'error' if result.is_error else 'answer'}: {text[:160]!r}")
    state.faults.clear()
    assert not wrong, f"{tool} {json.dumps(args)}:\n" + "\n".join(wrong)
