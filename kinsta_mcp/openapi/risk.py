"""How risky a catalogue operation is: the method says most of it, a reviewed table the rest.

GET reads, DELETE destroys, POST/PUT/PATCH write. The table corrects the writes the method gets
wrong: ones that overwrite or cannot be undone (restore, push, reset, rollback, promote, rotate…) are
destructive; ones that widen access or hand out a credential (SSH/SFTP, login links, API keys, IP
restrictions, external connections, webhooks, TCP exposure…) are sensitive, so the gate asks for
both. tests/test_endpoint_catalogue.py lists every write with its class, so a change to this table or
a new spec shows up in review.
"""

from __future__ import annotations

import re
from typing import Any

from kinsta_mcp.gate import Risk
from kinsta_mcp.openapi.catalogue import Operation

# (method or "*", regex on the path template, risk, why): the first match wins.
TABLE: tuple[tuple[str, str, Risk, str], ...] = (
    ("*", r"/(restore|reset-site|reset-password|rollback|promote|roll-secret|rotate|suspend)$", Risk.DESTRUCTIVE,
     "replaces or takes down what is there, and cannot simply be undone"),
    ("PUT", r"^/sites/\{site_id\}/environments$", Risk.DESTRUCTIVE, "pushes one environment over another"),
    ("PUT", r"^/domains/\{domain_id\}/dns-records$", Risk.DESTRUCTIVE, "overwrites DNS records"),
    ("PUT", r"/deployment-hook$", Risk.DESTRUCTIVE, "regenerates the hook URL: the old one stops working"),
    ("PUT", r"env-vars/\{\w+\}$", Risk.DESTRUCTIVE, "overwrites a variable's value"),
    ("POST", r"/preview/disable$", Risk.DESTRUCTIVE, "removes the preview stage and queues its apps for deletion"),
    ("POST", r"/run-wp-cli-command$", Risk.DESTRUCTIVE, "runs any WP-CLI command, which may delete data"),
    ("POST", r"/search-and-replace$", Risk.DESTRUCTIVE, "rewrites the database (a dry run only reads)"),
    ("POST", r"/ssh/generate-password$", Risk.DESTRUCTIVE, "the old SFTP/SSH password stops working"),
    ("*", r"/(ssh|additional-sftp-accounts)(/|$)", Risk.SENSITIVE, "changes who can log in over SSH/SFTP"),
    ("*", r"/(pma-login-token|wpa-login-url|wpa-create-user)$", Risk.SENSITIVE, "grants a login"),
    ("*", r"^/api-keys", Risk.SENSITIVE, "creates or changes API credentials"),
    ("*", r"/(ip-restriction|denied-ips|external-connection/toggle)$", Risk.SENSITIVE,
     "changes who can reach the service"),
    ("*", r"/(tcp-proxies|private-ports|internal-connections)$", Risk.SENSITIVE, "opens a network path"),
    ("POST", r"/deployment-hook$", Risk.SENSITIVE, "creates a URL that deploys without a key"),
    ("*", r"^/(webhooks|docker-registries)", Risk.SENSITIVE, "sends data out, or stores credentials"),
    ("*", r"^/auth/", Risk.SENSITIVE, "creates a login"),
    ("*", r"/(redirect-rules|force-https-status)$", Risk.SENSITIVE, "can send visitors elsewhere or drop HTTPS"),
)  # fmt: skip
_COMPILED = tuple((method, re.compile(pattern), risk, why) for method, pattern, risk, why in TABLE)


def risk_of(op: Operation, body: Any = None) -> tuple[Risk, str]:
    """The risk of sending `op` with `body`, and why when the table decided it."""
    if op.method == "GET":
        return Risk.READ, ""
    if op.method == "DELETE":
        return Risk.DESTRUCTIVE, "deletes"
    if op.path.endswith("/search-and-replace") and isinstance(body, dict) and body.get("perform_replacement") is False:
        return Risk.READ, "a dry run: counts matches, changes nothing"
    for method, pattern, risk, why in _COMPILED:
        if method in ("*", op.method) and pattern.search(op.path):
            return risk, why
    return Risk.WRITE, ""
