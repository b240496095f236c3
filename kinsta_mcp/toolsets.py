"""The toolsets: what each offers, which modules declare its tools, and which a configuration offers."""

from __future__ import annotations

from kinsta_mcp.config import Settings
from kinsta_mcp.errors import ConfigError

TOOLSETS: dict[str, str] = {
    "sites": "WordPress sites: list, create, clone, reset, delete",
    "environments": "Environments: create, clone, push, PHP allocation, redirects, WP-CLI, phpMyAdmin",
    "cache": "Cache, PHP, edge cache, CDN and blocked IPs",
    "plugins": "WordPress plugins and themes",
    "domains": "Site domains",
    "backups": "Backups: list, create, restore, delete",
    "logs": "Error, access and cache logs",
    "ssh": "SSH/SFTP access and additional SFTP users",
    "analytics": "Traffic analytics and usage",
    "bot_protection": "Bot protection",
    "dns": "Kinsta DNS zones and records",
    "company": "Company users, regions, API keys and activity log",
    "reports": "Company-wide reports: traffic, versions, updates, backups, domains, a client's everything",
    "operations": "Following long-running jobs: operations, deployments, new databases",
    "endpoints": "Any Kinsta or Sevalla API operation: find it and call it through the same safety checks",
    "applications": "Applications (Sevalla): deployments, processes, pipelines, cache",
    "app_metrics": "Application and database metrics (Sevalla)",
    "app_logs": "Runtime, access and build logs of applications and static sites (Sevalla)",
    "databases": "Databases (Sevalla)",
    "static_sites": "Static sites and company PaaS usage (Sevalla)",
    "env_vars": "Environment variables of applications and static sites (Sevalla)",
    "object_storage": "Object storage buckets: CDN domain, CORS, objects (Sevalla)",
}

# Where to look after a change whose answer never came (it may have been made): the read that shows its effect.
CHECK_WITH: dict[str, str] = {
    "sites": "list_sites",
    "environments": "list_sites with site=, or environment_info",
    "cache": "environment_info (blocked IPs), or list_sites with site= (PHP version)",
    "plugins": "list_plugins",
    "domains": "list_domains",
    "backups": "list_backups",
    "ssh": "ssh_access",
    "bot_protection": "environment_info show=bot_protection",
    "dns": "list_dns",
    "endpoints": "find_endpoint for the matching GET, then call_endpoint",
    "applications": "list_applications",
    "databases": "list_databases",
    "static_sites": "list_static_sites",
    "env_vars": "env_vars",
    "object_storage": "object_storage",
}

# Hosting that moved to Sevalla in January 2026. Offered when a Sevalla key is set, or when asked for
# by name: a WordPress-only agency should not pay context for tools it cannot use.
SEVALLA_TOOLSETS = (
    "applications",
    "app_metrics",
    "app_logs",
    "databases",
    "static_sites",
    "env_vars",
    "object_storage",
)

# The modules that declare each toolset's tools (tests/test_guard.py checks this against the tools).
MODULES: dict[str, tuple[str, ...]] = {
    "sites": ("sites",),
    "environments": ("environments", "environment_changes", "environment_overwrites"),
    "applications": ("applications", "application_changes", "pipelines"),
    "object_storage": ("object_storage", "object_storage_changes"),
} | {name: (name,) for name in TOOLSETS if name not in ("sites", "environments", "applications", "object_storage")}


def default_toolsets(settings: Settings) -> set[str]:
    if settings.sevalla_api_key:
        return set(TOOLSETS)
    return set(TOOLSETS) - set(SEVALLA_TOOLSETS)


def chosen_toolsets(settings: Settings) -> set[str]:
    """`--toolsets` names toolsets, plus `default` (what is offered without the flag) and `all`."""
    if not settings.toolsets:
        return default_toolsets(settings)
    wanted: set[str] = set()
    for name in settings.toolsets:
        if name == "all":
            wanted |= set(TOOLSETS)
        elif name == "default":
            wanted |= default_toolsets(settings)
        elif name in TOOLSETS:
            wanted.add(name)
        else:
            raise ConfigError(f"Unknown toolset {name!r}. Choose from: {', '.join(TOOLSETS)}, or default / all.")
    return wanted
