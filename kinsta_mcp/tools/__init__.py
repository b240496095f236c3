"""Tool modules; importing this package declares every tool in `kinsta_mcp.registry.TOOLS`."""

from kinsta_mcp.tools import (  # noqa: F401
    analytics,
    app_metrics,
    application_changes,
    applications,
    backups,
    bot_protection,
    cache,
    company,
    databases,
    dns,
    domains,
    environment_changes,
    environment_overwrites,
    environments,
    logs,
    operations,
    plugins,
    sites,
    ssh,
    static_sites,
)
