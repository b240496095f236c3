"""Tool modules; importing this package declares every tool in `kinsta_mcp.registry.TOOLS`."""

from kinsta_mcp.tools import cache, company, operations, sites  # noqa: F401
