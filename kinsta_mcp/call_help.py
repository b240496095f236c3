"""What `kinsta-mcp call` says about a tool: its --help (arguments, types, defaults, choices, when it asks
for confirmation, example command lines), and why a tool is not offered (read-only mode, --toolsets, no
Sevalla key) with the flag or variable that would offer it."""

from __future__ import annotations

import difflib
import json
import shlex
import textwrap
from typing import TYPE_CHECKING, Any

from kinsta_mcp.call_args import kind_of

if TYPE_CHECKING:
    from kinsta_mcp.config import Settings
    from kinsta_mcp.registry import ToolDef

PROG = "kinsta-mcp call"
HIDDEN_ARGUMENTS = ("confirm",)  # the model's confirmation code; on the command line it is --confirm
EXIT_CODES = "Exit codes: 0 done, 1 the tool reported an error, 2 usage error, 3 confirmation needed."
FORMS = 'Lists take a,b or JSON (["a","b"]); objects take JSON; a true/false argument alone means true.'
SANDBOX = "With --sandbox the demo company starts fresh for each call: one call's changes are gone in the next."
WIDTH = 100
REFS = (
    "site: ID, name, display name, domain or a unique part of a name; environment: live (default), staging, "
    "another environment's name, or an environment ID."
)


def confirm_value(d: ToolDef, schema: dict[str, Any], arguments: dict[str, Any]) -> str:
    """What --confirm must say for this call: the tool, and the action where the tool has several."""
    action = arguments.get("action", (schema.get("properties", {}).get("action") or {}).get("default"))
    return f"{d.name}:{action}" if "action" in schema.get("properties", {}) and action else d.name


def confirm_problem(given: str, expected: str) -> str:
    """'' when --confirm names this call (or is absent); otherwise the one line that says why not."""
    if not given or given == expected:
        return ""
    if ":" in expected and given == expected.split(":")[0]:
        return f"--confirm: name the action too, --confirm={expected}; a flag confirms only the call it names"
    return f"--confirm: {given!r} does not name this call; it would be --confirm={expected}"


def why_hidden(name: str, settings: Settings) -> str:
    """The reason a tool is not offered by this configuration, and what would offer it."""
    from kinsta_mcp.gate import Risk
    from kinsta_mcp.registry import load_all
    from kinsta_mcp.toolsets import SEVALLA_TOOLSETS, chosen_toolsets

    every = load_all()
    d = every.get(name)
    if d is None:
        close = difflib.get_close_matches(name, list(every), n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else "`kinsta-mcp tools` lists the tools"
        return f"no such tool; {hint}"
    reasons = []
    if d.toolset not in chosen_toolsets(settings):
        now = ",".join(settings.toolsets) or "default"
        wider = f"--toolsets {now},{d.toolset}"
        if d.toolset in SEVALLA_TOOLSETS and not settings.sevalla_api_key:
            reasons.append(
                f"it works on Sevalla (toolset {d.toolset}), offered when a Sevalla key is set: set SEVALLA_API_KEY "
                f"(or --sevalla-api-key), or name the toolset: {wider}"
            )
        else:
            reasons.append(f"its toolset {d.toolset} is not in --toolsets / KINSTA_TOOLSETS ({now}): add it, {wider}")
    if settings.read_only and d.risk is not Risk.READ and not d.reads_in_read_only:
        reasons.append("read-only mode (--read-only / KINSTA_READ_ONLY) hides it because it changes things")
    return "not offered here: " + "; and ".join(reasons or ["this configuration does not offer it"])


def tool_help(d: ToolDef, schema: dict[str, Any], settings: Settings, hidden: str = "") -> str:
    properties = {k: v for k, v in (schema.get("properties") or {}).items() if k not in HIDDEN_ARGUMENTS}
    required = set(schema.get("required") or ())
    asks = asks_when(d, settings)
    flag = f" [--confirm {d.name}{':ACTION' if d.actions or 'action' in properties else ''}]" if asks else ""
    lines = [f"usage: {PROG} {d.name} [key=value ...] [--json]{flag}", ""]
    lines += [f"{d.title} ({d.risk.word}).", d.description, ""]
    if hidden:
        lines += [f"Note: {hidden}.", ""]
    lines.append("arguments (key=value):" if properties else "arguments: none")
    width = max((len(k) for k in properties), default=0) + 2
    for key, prop in properties.items():
        facts = (["required"] if key in required else []) + [kind_of(prop)]
        if "default" in prop and prop["default"] not in ("", None, [], {}):
            facts.append(f"default {_shown(prop['default'])}")
        about = f" — {prop['description']}" if prop.get("description") else ""
        row = textwrap.fill(
            "; ".join(facts) + about, WIDTH, initial_indent=f"  {key:<{width}}", subsequent_indent=" " * (width + 2)
        )
        lines.append(row)
    lines += ["", FORMS]
    if "site" in properties or "environment" in properties:
        lines.append(REFS)
    if asks:
        lines += ["", "Confirmation: " + asks]
        lines.append(
            "Without --confirm naming the call it prints what it would do, changes nothing and exits 3; "
            "--confirm confirms only the tool (and action) it names."
        )
    lines += ["", "examples:"] + [f"  {line}" for line in examples(d, properties, required, settings)]
    lines += ["", EXIT_CODES, SANDBOX, f"More: {PROG} --help (the --json shape, exit codes, confirmation)."]
    return "\n".join(_wrapped(line) for line in lines)


def _wrapped(line: str) -> str:
    """Prose folded for a terminal; command lines and argument rows (already folded) kept whole."""
    if len(line) <= WIDTH or line.startswith((" ", "usage:")):
        return line
    return textwrap.fill(line, WIDTH, break_on_hyphens=False)


def asks_when(d: ToolDef, settings: Settings) -> str:
    """When this tool stops for a person's OK, in words ('' when it never does)."""
    from kinsta_mcp.gate import Risk

    if not d.takes_confirm(settings):
        return ""
    sensitive = [a for a, risk in d.actions.items() if risk is Risk.SENSITIVE]
    cases = []
    if d.risk is Risk.DESTRUCTIVE:
        cases.append("it asks before every change (destructive)")
    if sensitive:
        cases.append(f"action {', '.join(sensitive)} weakens security or grants access, so it asks")
    if d.sensitive:
        cases.append("some arguments make a change that weakens security, and then it asks")
    if d.secret:
        cases.append("it asks before showing a secret in clear (reveal=true)")
    if d.risk is Risk.WRITE and settings.protect_live:
        cases.append("live-site protection is on (--protect-live), so it asks before changing a live environment")
    return "; ".join(cases) + "."


def examples(d: ToolDef, properties: dict[str, Any], required: set[str], settings: Settings) -> list[str]:
    """One command line per action (or one), with the arguments that action needs and a sample value each."""
    from kinsta_mcp.gate import Risk

    actions = [a for a in (properties.get("action") or {}).get("enum", []) if a]
    lines = []
    for action in actions or [""]:
        words = [PROG, d.name]
        wanted = set(required) | set(d.needs.get(action, ())) | ({"site"} & set(properties))
        names = sorted(wanted & set(properties), key=lambda n: (n != "action", n != "site", list(properties).index(n)))
        for name in names:
            value = action if name == "action" and action else _sample(name, properties[name])
            words.append(f"{name}={value}")
        risk = d.action_risk(action) if action else d.risk
        if risk >= Risk.SENSITIVE or (risk is Risk.WRITE and settings.protect_live):
            words.append(f"--confirm={d.name}:{action}" if action else f"--confirm={d.name}")
        lines.append(" ".join(shlex.quote(w) if w != PROG else w for w in words))
    return lines


def _sample(name: str, prop: dict[str, Any]) -> str:
    options = prop.get("anyOf") or prop.get("oneOf")
    if options:
        prop = next((o for o in options if o.get("type") != "null"), prop)
    kind = prop.get("type")
    choices = [v for v in prop.get("enum", []) if v != ""]
    if choices:
        return str(prop.get("default") or choices[0])
    if kind == "boolean":
        return "true"
    if kind in ("integer", "number"):
        return _shown(prop.get("default") or prop.get("minimum") or 1)
    if kind == "array":
        items = prop.get("items") or {}
        picks = [v for v in items.get("enum", []) if v][:2]
        return ",".join(picks) if picks else f"{name.upper()}1,{name.upper()}2"
    if kind == "object":
        return json.dumps({"KEY": "value"}, separators=(",", ":"))
    return name.upper()


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else json.dumps(value)
