"""Contract checks against the vendored Kinsta OpenAPI spec (v1.87.0).

    spec = SpecIndex.load()
    spec.match("GET", "/sites/abc")                 # ("/sites/{site_id}", {...operation...})
    spec.request_problems("GET", "/sites", {}, None)  # ["query parameter 'company' is required"]
    spec.response_problems("GET", "/sites", 200, body)  # [] when the body fits the schema

Paths are the part after ``/v2``. Statuses the spec does not document for an
operation (429, 405, a 404 where only 401/500 are listed …) are spec gaps,
not violations, so they yield no problems.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DEFAULT_SPEC = Path(__file__).parent / "data" / "openapi" / "kinsta-api-v1.87.0.json"
_SPEC_URI = "urn:kinsta-api-spec"
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

# Where a sandbox area declares endpoints its base serves beyond that base's vendored spec.
ADDITION_ATTRIBUTES = {"kinsta": "ADDITIONS_2026", "sevalla_v2": "SEVALLA_V2_ADDITIONS",
                       "sevalla_v3": "SEVALLA_V3_ADDITIONS"}


def _documented_additions(base: str = "kinsta") -> set[tuple[str, str]]:
    """Endpoints documented after the vendored spec of a base (docs/api-notes.md#2026-additions for
    Kinsta; later pages such as company/get-usage for Sevalla v2, docs/api-notes.md#sevalla-v2-additions).

    Each sandbox area that serves one declares it next to its route, e.g.
    ``ADDITIONS_2026 = {("GET", "/sites/environments/{env_id}/force-https-status"), ...}`` with a
    pointer to its docs/api-notes.md section in a comment; they are matched but not schema-checked
    (no schema exists). See docs/api-notes.md#contract-checks.
    """
    from kinsta_mcp.sandbox.routes import AREAS

    attribute = ADDITION_ATTRIBUTES[base]
    return {entry for area in AREAS for entry in getattr(area, attribute, set())}


EXTRA_ENDPOINTS: set[tuple[str, str]] = _documented_additions()


def _documented_query_additions() -> dict[tuple[str, str], frozenset[str]]:
    """Query parameters added in 2026 to spec'd endpoints (e.g. logs from/to/search, docs/api-notes.md#log-window).

    Declared by the sandbox area that serves them as ``QUERY_2026 = {(METHOD, template): frozenset(names)}``.
    """
    from kinsta_mcp.sandbox.routes import AREAS

    extra: dict[tuple[str, str], frozenset[str]] = {}
    for area in AREAS:
        for key, names in getattr(area, "QUERY_2026", {}).items():
            extra[key] = extra.get(key, frozenset()) | frozenset(names)
    return extra


EXTRA_QUERY: dict[tuple[str, str], frozenset[str]] = _documented_query_additions()


def _documented_query_aliases() -> dict[tuple[str, str], dict[str, str]]:
    """Other documented names of a spec'd query parameter (e.g. v3 metrics' from/to as start/end,
    docs/api-notes.md#sevalla-v3-metric-window).

    Declared by the sandbox area as ``QUERY_ALIASES = {(METHOD, template): {spec name: other name}}``.
    """
    from kinsta_mcp.sandbox.routes import AREAS

    aliases: dict[tuple[str, str], dict[str, str]] = {}
    for area in AREAS:
        for key, names in getattr(area, "QUERY_ALIASES", {}).items():
            aliases.setdefault(key, {}).update(names)
    return aliases


QUERY_ALIASES: dict[tuple[str, str], dict[str, str]] = _documented_query_aliases()


def _segments(path: str) -> list[str]:
    # An operation id such as "cache:clear-<uuid>" is one segment: only "/" splits.
    return path.split("?", 1)[0].strip("/").split("/")


def _pointer(*parts: str) -> str:
    escaped = [p.replace("~", "~0").replace("/", "~1") for p in parts]
    return quote("/" + "/".join(escaped), safe="/~")


SPEC_FILES = {
    "kinsta": "kinsta-api-v1.87.0.json",
    "sevalla_v2": "sevalla-api-v2-v1.80.0.json",
    "sevalla_v3": "sevalla-api-v3-2026-03-09.json",
}


class SpecIndex:
    def __init__(self, spec: dict[str, Any], *, additions: set[tuple[str, str]] | None = None):
        self.spec = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self._registry = Registry().with_resource(_SPEC_URI, resource)
        # template -> {METHOD: operation}; extras get an empty operation.
        self.templates: dict[str, dict[str, dict[str, Any]]] = {}
        for template, item in spec["paths"].items():
            self.templates[template] = {m.upper(): op for m, op in item.items() if m in _METHODS}
        for method, template in EXTRA_ENDPOINTS if additions is None else additions:
            self.templates.setdefault(template, {}).setdefault(method.upper(), {})

    @classmethod
    def load(cls, path: str | Path | None = None) -> SpecIndex:
        return _load_cached(str(Path(path) if path else DEFAULT_SPEC))

    @classmethod
    def for_base(cls, base: str) -> SpecIndex:
        """The spec of one sandbox base: kinsta (with the documented 2026 additions), sevalla_v2, sevalla_v3."""
        return _load_cached(str(DEFAULT_SPEC.parent / SPEC_FILES[base]))

    # ----- matching -----------------------------------------------------------

    def templates_for(self, path: str) -> list[str]:
        """Templates matching ``path``, most specific first (literals beat params)."""
        segments = _segments(path)
        found = []
        for template in self.templates:
            t_segments = _segments(template)
            if len(t_segments) != len(segments):
                continue
            if all(t.startswith("{") or t == s for t, s in zip(t_segments, segments)):
                found.append(template)
        return sorted(found, key=lambda t: [1 if s.startswith("{") else 0 for s in _segments(t)])

    def match(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for template in self.templates_for(path):
            operation = self.templates[template].get(method.upper())
            if operation is not None:
                return template, operation
        return None

    # ----- requests -----------------------------------------------------------

    def request_problems(
        self, method: str, path: str, query: dict[str, str] | None = None, json_body: Any = None
    ) -> list[str]:
        method = method.upper()
        found = self.match(method, path)
        if found is None:
            candidates = self.templates_for(path)
            if not candidates:
                return [f"{method} {path}: path not in the spec"]
            allowed = sorted({m for t in candidates for m in self.templates[t]})
            return [f"{method} {path}: method not documented (spec has {', '.join(allowed)})"]
        template, operation = found
        if not operation:  # EXTRA_ENDPOINTS entry: nothing to check against
            return []
        problems: list[str] = []
        query = query or {}
        params = [self._deref(p) for p in self.spec["paths"][template].get("parameters", [])]
        params += [self._deref(p) for p in operation.get("parameters", [])]
        query_params = {p["name"]: p for p in params if p.get("in") == "query"}
        aliases = QUERY_ALIASES.get((method, template), {})
        for name, param in query_params.items():
            if param.get("required") and name not in query and aliases.get(name) not in query:
                problems.append(f"query parameter '{name}' is required")
        spec_name = {alias: name for name, alias in aliases.items()}
        for name, value in query.items():
            param = query_params.get(spec_name.get(name, name))
            if param is None:
                if name not in EXTRA_QUERY.get((method, template), frozenset()):
                    problems.append(f"query parameter '{name}' is not documented")
            elif "schema" in param:
                problems += [f"query parameter '{name}': {m}" for m in self._query_value_problems(param["schema"], value)]

        request_body = operation.get("requestBody")
        if request_body is not None:
            request_body = self._deref(request_body)
            schema = request_body.get("content", {}).get("application/json", {}).get("schema")
            if json_body is None:
                if request_body.get("required"):
                    problems.append("request body is required")
            elif schema is not None:
                problems += [f"body: {m}" for m in self._validate(self._body_pointer(template, method), json_body)]
        return problems

    def _query_value_problems(self, schema: dict[str, Any], raw: str) -> list[str]:
        """Query values arrive as strings; coerce to the schema's type first."""
        schema = self._deref(schema)
        types = schema.get("type", [])
        types = [types] if isinstance(types, str) else list(types)
        value: Any = raw
        if "boolean" in types and raw in ("true", "false"):
            value = raw == "true"
        elif ("number" in types or "integer" in types) and raw.lstrip("-").replace(".", "", 1).isdigit():
            value = float(raw) if "." in raw else int(raw)
        elif "null" in types and raw == "null":
            value = None
        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        return [e.message for e in validator.iter_errors(value)]

    # ----- responses ----------------------------------------------------------

    def response_problems(self, method: str, path: str, status: int, body: Any) -> list[str]:
        found = self.match(method, path)
        if found is None or not found[1]:
            return []  # request_problems reports unknown endpoints
        template, operation = found
        responses = operation.get("responses", {})
        key = next((k for k in (str(status), f"{str(status)[0]}XX", "default") if k in responses), None)
        if key is None:
            return []
        response = self._deref(responses[key])
        if "application/json" not in response.get("content", {}):
            return []
        if "schema" not in response["content"]["application/json"]:
            return []
        pointer = self._resolved_pointer(
            "paths", template, method.lower(), "responses", key, "content", "application/json", "schema"
        )
        if body is None:
            return [f"{method.upper()} {template} {status}: expected a JSON body"]
        return [f"{method.upper()} {template} {status}: {m}" for m in self._validate(pointer, body)]

    # ----- internals ----------------------------------------------------------

    def _body_pointer(self, template: str, method: str) -> str:
        return self._resolved_pointer(
            "paths", template, method.lower(), "requestBody", "content", "application/json", "schema"
        )

    def _resolved_pointer(self, *parts: str) -> str:
        """JSON pointer to ``parts``, hopping through any ``$ref`` met on the way
        (e.g. a requestBody that is itself a reference)."""
        location: list[str] = []
        node: Any = self.spec
        for part in parts:
            while isinstance(node, dict) and "$ref" in node:
                location = [p.replace("~1", "/").replace("~0", "~") for p in node["$ref"][2:].split("/")]
                node = self._deref(node)
            node = node[part]
            location.append(part)
        return _pointer(*location)

    def _validate(self, pointer: str, instance: Any) -> list[str]:
        validator = Draft202012Validator(
            {"$ref": f"{_SPEC_URI}#{pointer}"},
            registry=self._registry,
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        problems = []
        for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in error.path)
            problems.append(f"{error.message}" + (f" (at /{where})" if where else ""))
        return problems

    def _deref(self, node: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while isinstance(node, dict) and "$ref" in node and seen < 20:
            ref = node["$ref"]
            assert ref.startswith("#/"), f"only local refs are expected, got {ref}"
            target: Any = self.spec
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
        return node


@functools.lru_cache(maxsize=None)
def _load_cached(path: str) -> SpecIndex:
    with open(path, encoding="utf-8") as fh:
        base = next((b for b, name in SPEC_FILES.items() if name == Path(path).name), "kinsta")
        return SpecIndex(json.load(fh), additions=_documented_additions(base))
