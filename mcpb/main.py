"""The MCP Bundle's entry point (server/main.py in the bundle): the host runs it with `uv run`, which first
installs the bundled project (pyproject.toml beside it) and its dependencies into the bundle's own
environment. A separate file, not kinsta_mcp/__main__.py: a script's folder goes first on sys.path, and
the package's modules must not be importable as top-level names."""

from kinsta_mcp.cli import main

raise SystemExit(main())
