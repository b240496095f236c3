"""kinsta-mcp: an MCP server for Kinsta hosting."""

__version__ = "0.1.0"
