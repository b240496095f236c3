"""Arguments are checked before a tool runs: unknown ones are refused with the closest valid name (a
misspelt `enviroment` must not fall back to live), and every invalid one is said at once, one line each,
without quoting values back (a password must not reappear in an error)."""

from __future__ import annotations

import difflib
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools.base import Tool
from pydantic import ValidationError


class StrictTool(Tool):
    """The SDK's Tool, checking arguments as above before anything is sent."""

    async def run(self, arguments: dict[str, Any], context: Any, convert_result: bool = False) -> Any:
        known = set(self.parameters.get("properties", {}))
        unknown = [key for key in arguments if key not in known]
        if unknown:
            raise ToolError(
                f"Error executing tool {self.name}: "
                + "; ".join(_unknown(key, known) for key in unknown)
                + ". Nothing was sent."
            )
        try:
            return await super().run(arguments, context, convert_result)
        except ToolError as failure:
            if isinstance(failure.__cause__, ValidationError):
                raise ToolError(f"Error executing tool {self.name}: " + invalid_lines(failure.__cause__)) from None
            raise


def _unknown(key: str, known: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.6)
    hint = f" — did you mean {close[0]!r}?" if close else f" (arguments: {', '.join(sorted(known))})"
    return f"unknown argument {key!r}{hint}"


def invalid_lines(failure: ValidationError) -> str:
    """pydantic's errors as one line per argument, every one at once; values are not quoted back (a
    password must not reappear in an error)."""
    lines = []
    for error in failure.errors():
        where = ".".join(str(p) for p in error["loc"]) or "arguments"
        lines.append(f"{where}: {'required' if error['type'] == 'missing' else error['msg']}")
    return "invalid arguments: " + "; ".join(lines) + ". Nothing was sent."
