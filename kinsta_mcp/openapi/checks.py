"""A catalogue call checked against its spec before anything is sent: every problem named at once, with
the fix, and no value quoted back (a body may hold a password)."""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from kinsta_mcp.errors import InvalidInput
from kinsta_mcp.openapi.catalogue import Catalogue, Operation, Param

_SCALARS = (str, int, float, bool)


@dataclass
class Checked:
    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None


def request(catalogue: Catalogue, op: Operation, params: dict[str, Any], body: Any) -> Checked:
    problems: list[str] = []
    out = Checked(body=body)
    for name, value in params.items():
        param = op.param(name)
        if param is None:
            problems.append(_unknown(op, name))
        elif param.where == "path":
            if not isinstance(value, (str, int)) or isinstance(value, bool) or not str(value).strip():
                problems.append(f"{name} (path): give the id as text")
            else:
                out.path[name] = str(value).strip()
                problems += _schema_problems(param, out.path[name])
        else:
            coerced = _coerce(param, value)
            if coerced is None:
                problems.append(f"{name} (query): give a {param.type}{' list' if isinstance(value, list) else ''}")
            else:
                out.query[name] = _wire(coerced)
                problems += _schema_problems(param, coerced)
    for param in op.params:
        if param.required and param.name not in params:
            problems.append(f"{param.name} ({param.where}, {param.type}) is required")
    problems += _body_problems(catalogue, op, body)
    if problems:
        raise InvalidInput(
            f"{op.line} ({op.key}) was not sent: " + "; ".join(problems) + ". find_endpoint shows what it takes."
        )
    return out


def _unknown(op: Operation, name: str) -> str:
    names = [p.name for p in op.params]
    close = difflib.get_close_matches(name, names + list(op.body_fields), n=1)
    if close and close[0] in op.body_fields:
        return f"'{name}' is not a path or query parameter: it belongs in `body`"
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    takes = ", ".join(f"{p.name} ({p.where})" for p in op.params) or "none"
    return f"unknown parameter '{name}'{hint}; it takes: {takes}"


def _coerce(param: Param, value: Any) -> Any:
    """Query values as the schema types them (a model may send "true" or "5" as text)."""
    if isinstance(value, list):
        items = [_coerce(Param(param.name, "query", param.schema.get("items", {}), False), v) for v in value]
        return None if any(i is None for i in items) else items
    if not isinstance(value, _SCALARS):
        return None
    kind = param.type
    if "boolean" in kind and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if ("integer" in kind or "number" in kind) and isinstance(value, str):
        try:
            return int(value) if value.strip().lstrip("-").isdigit() else float(value)
        except ValueError:
            return value
    return value


def _wire(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"  # query booleans travel as text (docs/api-notes.md#request-details)
    if isinstance(value, list):
        return [_wire(v) for v in value]
    return value


def _schema_problems(param: Param, value: Any) -> list[str]:
    schema = {k: v for k, v in param.schema.items() if k not in ("example", "examples", "description")}
    if not schema:
        return []
    from jsonschema import Draft202012Validator

    return [f"{param.name} ({param.where}): {_describe(e)}" for e in Draft202012Validator(schema).iter_errors(value)]


def _body_problems(catalogue: Catalogue, op: Operation, body: Any) -> list[str]:
    if op.body is None:
        return ["it takes no body"] if body not in (None, {}) else []
    if body is None:
        if op.body_required or op.body_required_fields:
            need = ", ".join(op.body_required_fields) or "a JSON body"
            return [f"`body` is required ({need})"]
        return []
    problems = []
    if op.body_fields and isinstance(body, dict):
        for name in body:
            if name not in op.body_fields:
                close = difflib.get_close_matches(name, op.body_fields, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(f"unknown body field '{name}'{hint}; it takes: {', '.join(op.body_fields)}")
    if op.documented_later:
        if not isinstance(body, dict):
            problems.append("`body` must be an object")
        return problems
    validator = _validator(catalogue, op.api, op.method.lower(), op.path)
    for error in sorted(validator.iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))[:8]:
        where = ".".join(str(p) for p in error.absolute_path)
        problems.append(f"body{'.' + where if where else ''}: {_describe(error)}")
    return problems


def _describe(error: Any) -> str:
    """What is wrong, in words that never repeat the value given."""
    kind, expected = error.validator, error.validator_value
    if kind == "required":
        return error.message.split(" is a required")[0].strip("'") + " is required"
    if kind == "type":
        return f"should be {expected if isinstance(expected, str) else ' or '.join(expected)}"
    if kind == "enum":
        return f"should be one of {', '.join(map(str, expected))}"
    if kind == "additionalProperties":
        return "has fields the spec does not allow"
    if kind in ("pattern", "format"):
        return "does not have the expected format" + (f" ({expected})" if kind == "format" else "")
    if kind in ("minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems"):
        return f"breaks {kind} {expected}"
    return f"does not fit the spec ({kind})"


@functools.lru_cache(maxsize=64)
def _validator(catalogue: Catalogue, api: str, method: str, path: str) -> Any:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    uri = f"urn:kinsta-mcp:{api}"
    registry = Registry().with_resource(uri, Resource.from_contents(catalogue.specs[api], DRAFT202012))
    pointer = "/".join(
        quote(p.replace("~", "~0").replace("/", "~1"), safe="~")
        for p in ("paths", path, method, "requestBody", "content", "application/json", "schema")
    )
    return Draft202012Validator({"$ref": f"{uri}#/{pointer}"}, registry=registry)
