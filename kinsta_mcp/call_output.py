"""What `kinsta-mcp call` prints, and its exit code.

A tool's text is written for a model: API data inside a fence with a note telling the model it is data.
A person's terminal or a cron mail gets the data without that wrapper, and without control characters
(a site name could carry terminal escape sequences). Results go to stdout; errors, the preview of a
change that needs confirmation and progress go to stderr, so `> report.txt` holds only the report.

`--json` prints one object on stdout for every outcome of a call, of this fixed shape:

    {"ok": bool, "exit_code": 0|1|2|3, "tool": str,
     "result": {...} | null,            the tool's structured result (its output schema), on success
     "text": str,                       the human summary ("" when there is none)
     "error": null | {"kind": "tool_error" | "usage" | "confirmation_needed",
                      "message": str,
                      "problems": [str, ...],     usage: one line per argument
                      "preview": str,             confirmation_needed: what would happen
                      "confirm_flag": str}}       confirmation_needed: the flag that confirms it
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from typing import Any

from kinsta_mcp.text import FENCE_NOTE

EXIT_OK = 0
EXIT_TOOL_ERROR = 1
EXIT_USAGE = 2
EXIT_CONFIRM = 3

_FENCED = re.compile(r"<(kinsta-data-[0-9a-f]+)>\n?(.*?)\n?</\1>", re.S)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def for_terminal(text: str) -> str:
    """A model-facing text as a person reads it: fences and their note gone, control characters too."""
    text = text.replace(FENCE_NOTE + "\n", "").replace(FENCE_NOTE, "")
    text = _FENCED.sub(lambda m: m.group(2), text)
    return _CONTROL.sub("", text).strip()


@dataclass
class Report:
    """Prints the outcome of one `call` and says its exit code."""

    tool: str
    as_json: bool

    def usage(self, problems: list[str]) -> int:
        prefix = f"kinsta-mcp call {self.tool}" if self.tool else "kinsta-mcp call"
        for problem in problems:
            print(f"{prefix}: {problem}", file=sys.stderr)
        self._json(EXIT_USAGE, error={"kind": "usage", "message": "; ".join(problems), "problems": problems})
        return EXIT_USAGE

    def result(self, result: Any, *, declined: list[str], flag: str) -> int:
        """An MCP CallToolResult; `declined`: the previews the CLI answered no to (no --confirm)."""
        text = for_terminal("\n".join(getattr(block, "text", "") for block in result.content))
        if not result.is_error:
            if not self.as_json:
                print(text)
            self._json(EXIT_OK, result=result.structured_content, text=text)
            return EXIT_OK
        if declined:
            preview = "\n".join(for_terminal(p) for p in declined)
            print(f"Confirmation needed; nothing was changed.\n{preview}", file=sys.stderr)
            print(f"To go ahead, run the same command with {flag}.", file=sys.stderr)
            error = {
                "kind": "confirmation_needed",
                "message": "Confirmation needed; nothing was changed.",
                "preview": preview,
                "confirm_flag": flag,
            }
            self._json(EXIT_CONFIRM, error=error)
            return EXIT_CONFIRM
        message = _without_prefix(text, self.tool)
        if problems := _argument_problems(message):  # the server's own argument check: a usage error too
            return self.usage(problems)
        print(f"kinsta-mcp call {self.tool}: {message}", file=sys.stderr)
        self._json(EXIT_TOOL_ERROR, error={"kind": "tool_error", "message": message})
        return EXIT_TOOL_ERROR

    def _json(self, code: int, *, result: Any = None, text: str = "", error: dict[str, Any] | None = None) -> None:
        if not self.as_json:
            return
        document = {
            "ok": code == EXIT_OK,
            "exit_code": code,
            "tool": self.tool or "",
            "result": result,
            "text": text,
            "error": error,
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))


def _without_prefix(text: str, tool: str) -> str:
    prefix = f"Error executing tool {tool}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def _argument_problems(message: str) -> list[str]:
    """kinsta_mcp.arguments' messages ('invalid arguments: a: …; b: …. Nothing was sent.', 'unknown argument
    …') as one line per argument; [] for any other error."""
    head = "invalid arguments: "
    if message.startswith(head):
        body = message[len(head) :].removesuffix(". Nothing was sent.")
        return [part.strip() for part in body.split("; ") if part.strip()]
    if message.startswith("unknown argument "):
        return [part.strip() for part in message.removesuffix(". Nothing was sent.").split("; ")]
    return []
