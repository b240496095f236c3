from kinsta_mcp.cli import main

raise SystemExit(main())
