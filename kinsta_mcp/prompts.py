"""Workflow prompts: multi-step jobs a user starts by name, spelled out as the tool calls to make.

Each names tools in backticks; a test checks every one exists, so a renamed tool cannot leave a
prompt pointing at nothing.
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer


def push_staging_to_live(site: str, source: str = "staging") -> str:
    """Back up live, push staging (or another environment) to live, clear caches, check for errors."""
    return f"""Push the {source} environment of site "{site}" to live, safely. Work step by step and stop at the first failure.

1. Call `list_sites` with site="{site}" and check that both "{source}" and "live" exist; tell the user the domains involved.
2. Take a fresh backup of live first: `manage_backups` with action="create", site="{site}", environment="live", tag="before push from {source}". Wait until it is done (if it is still running, use `wait_for_job` with the job key from its result).
3. Push: `overwrite_environment` with action="push", site="{site}", source="{source}", environment="live". It asks the user to confirm; if it hands back a preview with a code instead, show the preview and pass that code as confirm only after the user has agreed.
4. Clear every cache on live: `clear_cache` with site="{site}", environment="live", cache="all".
5. Verify: read the newest error-log lines with `get_logs` (site="{site}", environment="live", file="error", lines=50) and report anything new. If something looks broken, offer to restore the backup from step 2 with `restore_or_delete_backup` action="restore".
Finish with a short summary: what was pushed, the backup that protects it, and what the checks showed."""


def weekly_site_report(site: str) -> str:
    """A client-ready weekly report: traffic, errors, disk, plugin updates, backups."""
    return f"""Write a weekly report for site "{site}" for a client. Gather, then summarise in plain language with numbers:

1. `list_sites` with site="{site}": environments, PHP and WordPress versions.
2. `site_analytics` for live with period="last_7_days", once per metric: visits, bandwidth, response_codes.
3. `site_analytics` with metric="disk_space", period="last_7_days".
4. `list_plugins` for live with kind="plugins", updates_only=true: plugins to update (vulnerable first).
5. `list_backups` for live: when the newest backup was taken.
6. `get_logs` for live, file="error", lines=100: recurring errors, if any.
Report: traffic and bandwidth trend, error rate (share of 4xx/5xx), disk use, plugins to update (security first), backup status, notable errors, and two or three recommendations. Keep it under a page."""


def add_domain_with_dns(site: str, domain: str, environment: str = "live") -> str:
    """Add a domain to a site, create or list the DNS records it needs, optionally make it primary."""
    return f"""Add the domain "{domain}" to site "{site}" ({environment}) and set up its DNS.

1. `change_domains` with action="add", site="{site}", environment="{environment}", domains=["{domain}"] (add_with_www_subdomain=true unless the user says not to).
2. `list_domains` with site="{site}", environment="{environment}", records_for="{domain}": the verification and pointing records Kinsta wants.
3. If "{domain}" (or its parent zone) is a Kinsta DNS zone (`list_dns` lists the zones), create each record with `change_dns_record` action="create". Otherwise give the user the exact records (type, name, value) to create at their DNS provider.
4. Once the domain is verified, ask the user whether it should become the primary domain; if yes use `change_domains` with action="set_primary", domains=["{domain}"].
Report what was added, which DNS records exist or are still needed, and what remains to be done."""


PROMPTS = (push_staging_to_live, weekly_site_report, add_domain_with_dns)
TITLES = {
    "push_staging_to_live": "Push staging to live safely",
    "weekly_site_report": "Weekly site report",
    "add_domain_with_dns": "Add a domain with DNS",
}


def register_prompts(server: MCPServer) -> None:
    for prompt in PROMPTS:
        server.prompt(name=prompt.__name__, title=TITLES[prompt.__name__])(prompt)
