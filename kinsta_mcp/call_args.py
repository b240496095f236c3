"""`key=value` words from the command line, typed by the tool's input schema, with one line per argument
that cannot be used: its name, what is wrong, what is allowed.

The server checks arguments again (tools/call from any client goes through the same StrictTool); this
is the shell's side of it: `extras=woocommerce,multisite` as well as JSON, `updates_only` alone as true,
and problems found before anything is sent, so a script gets exit 2 instead of a tool error.

Values are quoted back only where the schema constrains them to numbers, flags or named choices: a
free-text value may be a password, and cron mails what a job prints.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

TRUE = ("true", "yes", "on", "1")
FALSE = ("false", "no", "off", "0")
QUOTE_MAX = 40  # a mistyped choice is shown, cut to this


def kind_of(schema: dict[str, Any]) -> str:
    """What a value must be, in words: 'one of: a, b', 'integer from 1 to 500', 'list of: x, y (a,b or JSON)'."""
    options = _alternatives(schema)
    if len(options) > 1:
        return " or ".join(kind_of(option) for option in options)
    schema = options[0] if options else schema
    kind = schema.get("type")
    if "enum" in schema:
        return "one of: " + ", ".join(_choice(v) for v in schema["enum"])
    if kind == "boolean":
        return "true or false"
    if kind in ("integer", "number"):
        return ("integer" if kind == "integer" else "number") + _range(schema)
    if kind == "array":
        items = schema.get("items") or {}
        plain_text = items.get("type") == "string" and "enum" not in items  # item lengths would read as counts
        inner = "text" if plain_text else kind_of(items) if items else "values"
        inner = inner[len("one of: ") :] if inner.startswith("one of: ") else inner
        counted = _count(schema.get("minItems"), schema.get("maxItems"), "item")
        return f"list of {inner}{counted} (a,b or JSON)"
    if kind == "object":
        return 'JSON object, e.g. {"key": "value"}'
    return "text" + _count(schema.get("minLength"), schema.get("maxLength"), "character")


def parse(
    pairs: list[str], schema: dict[str, Any], *, hidden: tuple[str, ...] = ()
) -> tuple[dict[str, Any], list[str]]:
    """The arguments, and every problem with them (one line each); the arguments count only when there is none.
    `hidden`: properties the command line does not take (the model's `confirm` code)."""
    properties = {k: v for k, v in (schema.get("properties") or {}).items() if k not in hidden}
    arguments: dict[str, Any] = {}
    problems: list[str] = []
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if key in hidden:
            problems.append(f"{key}: not taken on the command line; confirm with --confirm (see `call TOOL --help`)")
            continue
        if key not in properties:
            problems.append(_unknown(key, list(properties)))
            continue
        prop = properties[key]
        if not sep:
            if prop.get("type") != "boolean":
                problems.append(f"{key}: needs a value, {key}=VALUE; allowed: {kind_of(prop)}")
                continue
            raw = "true"  # a bare flag name: `updates_only` alone means true
        value, problem = convert(raw, prop)
        if problem:
            problems.append(f"{key}: {problem}; allowed: {kind_of(prop)}")
        elif key in arguments and isinstance(value, list) and isinstance(arguments[key], list):
            arguments[key] = arguments[key] + value  # `names=a names=b` adds up
        elif key in arguments:
            problems.append(f"{key}: given twice; give it once")
        else:
            arguments[key] = value
    for key in schema.get("required") or ():
        if key not in arguments and key in properties and not any(p.startswith(f"{key}:") for p in problems):
            problems.append(f"{key}: required; allowed: {kind_of(properties[key])}")
    return arguments, problems


def convert(raw: str, schema: dict[str, Any]) -> tuple[Any, str]:
    """(value, '') or (None, what is wrong)."""
    options = _alternatives(schema)
    if len(options) > 1:
        for option in options:
            value, problem = convert(raw, option)
            if not problem:
                return value, ""
        return None, "fits none of the allowed forms"
    schema = options[0] if options else schema
    kind = schema.get("type")
    if kind == "array":
        return _list(raw, schema)
    if kind == "object":
        try:
            value = json.loads(raw)
        except ValueError:
            value = None
        return (value, "") if isinstance(value, dict) else (None, "not a JSON object")
    if kind == "boolean":
        word = raw.strip().lower()
        if word in TRUE or word in FALSE:
            return word in TRUE, ""
        return None, f"{_quote(raw)} is not true or false"
    if kind in ("integer", "number"):
        return _number(raw, schema, integer=kind == "integer")
    if kind == "string" or "enum" in schema:
        return _string(raw, schema)
    try:  # no declared type: JSON where it parses, text otherwise
        return json.loads(raw), ""
    except ValueError:
        return raw, ""


def _string(raw: str, schema: dict[str, Any]) -> tuple[Any, str]:
    if "enum" in schema and raw not in schema["enum"]:
        close = difflib.get_close_matches(raw, [str(v) for v in schema["enum"]], n=1, cutoff=0.6)
        return None, f"{_quote(raw)} is not allowed" + (f" (did you mean {close[0]}?)" if close else "")
    if len(raw) < schema.get("minLength", 0):
        return None, f"must be at least {schema['minLength']} characters"
    if "maxLength" in schema and len(raw) > schema["maxLength"]:
        return None, f"must be at most {schema['maxLength']} characters"
    return raw, ""


def _number(raw: str, schema: dict[str, Any], *, integer: bool) -> tuple[Any, str]:
    try:
        value: float = int(raw) if integer else float(raw)
    except ValueError:
        return None, f"{_quote(raw)} is not {'a whole number' if integer else 'a number'}"
    if value != value or value in (float("inf"), float("-inf")):
        return None, f"{_quote(raw)} is not a finite number"
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None and value < low) or (high is not None and value > high):
        return None, f"{_quote(raw)} is out of range"
    return value, ""


def _list(raw: str, schema: dict[str, Any]) -> tuple[Any, str]:
    text = raw.strip()
    if text.startswith("["):
        try:
            loaded = json.loads(text)
        except ValueError:
            return None, "starts with [ but is not a JSON list"
        if not isinstance(loaded, list):
            return None, "not a JSON list"
        items: list[Any] = loaded
    else:
        # An item with a comma in it (a TXT record) needs the JSON form.
        items = [part.strip() for part in text.split(",") if part.strip()]
    item_schema = schema.get("items") or {}
    values = []
    for item in items:
        if item_schema and not isinstance(item, str):
            item = json.dumps(item)
        value, problem = convert(item, item_schema) if item_schema else (item, "")
        if problem:
            return None, f"item {problem}"
        values.append(value)
    if len(values) < schema.get("minItems", 0):
        return None, f"needs at least {schema['minItems']} item(s)"
    if "maxItems" in schema and len(values) > schema["maxItems"]:
        return None, f"takes at most {schema['maxItems']} items"
    return values, ""


def _alternatives(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """anyOf/oneOf members, without the `null` a default of None adds."""
    members = schema.get("anyOf") or schema.get("oneOf") or []
    return [m for m in members if m.get("type") != "null"]


def _unknown(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return f"{key or '(empty)'}: unknown argument; did you mean {close[0]}?"
    return f"{key or '(empty)'}: unknown argument; allowed: {', '.join(known) or 'none'}"


def _range(schema: dict[str, Any]) -> str:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return f" from {_num(low)} to {_num(high)}"
    if low is not None:
        return f" ≥ {_num(low)}"
    return f" ≤ {_num(high)}" if high is not None else ""


def _count(low: int | None, high: int | None, unit: str) -> str:
    if low and high:
        return f", {low} to {high} {unit}s"
    if low:
        return f", at least {low} {unit}{'s' if low > 1 else ''}"
    return f", at most {high} {unit}s" if high else ""


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _choice(value: Any) -> str:
    return '"" (none)' if value == "" else str(value)


def _quote(raw: str) -> str:
    return repr(raw if len(raw) <= QUOTE_MAX else raw[:QUOTE_MAX] + "…")
