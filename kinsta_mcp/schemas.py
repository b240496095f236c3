"""Keeping tool schemas small: `tools/list` is read into every conversation's context.

pydantic gives every property a `title` that repeats its name, and output schemas carry
defaults and descriptions that a client validating a result does not use (the text summary is
what explains a result to the model). Dropping those halves the size of a typical tool; types,
required fields and enums stay, so the output schema is still exact.
"""

from __future__ import annotations

from typing import Any

# Defaults that say no more than "optional", which leaving a property out of `required` says already.
TRIVIAL_DEFAULTS: tuple[object, ...] = ("", False, 0, [], {})


def compact(schema: Any, *, output: bool = False) -> Any:
    """Remove the `title` keyword, `additionalProperties: true`, trivial defaults, and in output schemas
    `default`, `description` and the `type` of a string enum, in place (input schemas keep it: some model APIs
    insist on a type)."""
    if isinstance(schema, dict):
        schema.pop("title", None)
        if schema.get("additionalProperties") is True:
            schema.pop("additionalProperties")  # what JSON Schema assumes anyway

        default = schema.get("default", None)
        if output or (default in TRIVIAL_DEFAULTS and type(default) is not float and "default" in schema):
            schema.pop("default", None)
        if output:
            schema.pop("description", None)
            enum = schema.get("enum")
            if schema.get("type") == "string" and isinstance(enum, list) and all(isinstance(v, str) for v in enum):
                schema.pop("type")  # the values say it: a result is checked just as exactly
        for key, value in schema.items():
            if key in ("properties", "$defs", "patternProperties"):
                # Keys here are names (a property may be called "title"), values are schemas.
                for sub in value.values():
                    compact(sub, output=output)
            else:
                compact(value, output=output)
    elif isinstance(schema, list):
        for item in schema:
            compact(item, output=output)
    return schema


def union_paths(schema: Any, path: str = "#") -> list[str]:
    """Where a schema uses anyOf/oneOf (several MCP clients reject them)."""
    found: list[str] = []
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("anyOf", "oneOf"):
                found.append(f"{path}/{key}")
            found += union_paths(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for i, item in enumerate(schema):
            found += union_paths(item, f"{path}/{i}")
    return found


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Put each `$defs` entry used once where it is used: the same schema, a few dozen bytes shorter."""
    defs = schema.get("$defs")
    if not isinstance(defs, dict):
        return schema
    text = repr(schema)
    once = {name for name in defs if text.count(f"'#/$defs/{name}'") == 1}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            name = ref.removeprefix("#/$defs/") if isinstance(ref, str) else ""
            if name in once and len(node) == 1:
                return walk(defs[name])
            return {k: walk(v) for k, v in node.items() if k != "$defs"}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    kept = {name: walk(value) for name, value in defs.items() if name not in once}
    result = walk(schema)
    if kept:
        result["$defs"] = kept
    schema.clear()
    schema.update(result)
    return schema
