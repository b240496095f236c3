"""Tool modules, one per area. `kinsta_mcp.registry.MODULES` says which modules declare each toolset's
tools, so a server imports only the modules of the toolsets it offers."""
