"""The operations of the shipped specs, parsed on first use (a second or so of work is not paid at start-up).

    ops = load()
    ops.get("sevalla_v3:listEnvironmentVariablesV3")
    ops.match("GET", "/sites/7a1c…/environments")     → [(Operation, {"site_id": "7a1c…"})]
    ops.search("environment variables", api="sevalla_v3")

An operation is named `api:operationId`; the APIs are `kinsta`, `sevalla_v2` and `sevalla_v3`.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from kinsta_mcp.openapi.additions import ADDITIONS, EXTRA_BODY, EXTRA_QUERY

APIS = ("kinsta", "sevalla_v2", "sevalla_v3")
ROUTING = ("kinsta", "sevalla_v3", "sevalla_v2")
SPEC_FILES = {
    "kinsta": "kinsta-api-v1.87.0.json.gz",
    "sevalla_v2": "sevalla-api-v2-v1.80.0.json.gz",
    "sevalla_v3": "sevalla-api-v3-2026-03-09.json.gz",
}
METHODS = ("get", "post", "put", "patch", "delete")
_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_PATH_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Param:
    name: str
    where: str  # path | query
    schema: dict[str, Any]
    required: bool

    @property
    def type(self) -> str:
        kind = self.schema.get("type", "string")
        return "|".join(kind) if isinstance(kind, list) else str(kind)


@dataclass(frozen=True)
class Operation:
    api: str
    id: str
    method: str
    path: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    body: dict[str, Any] | None = None  # the request body schema, $refs resolved at the top level
    body_required: bool = False
    body_fields: tuple[str, ...] = ()  # accepted top-level fields where the body is an object with properties
    body_required_fields: tuple[str, ...] = ()
    deprecated: bool = False
    documented_later: bool = False  # an addition: names only, no schema
    words: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def key(self) -> str:
        return f"{self.api}:{self.id}"

    @property
    def line(self) -> str:
        return f"{self.method} {self.path}"

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


class Catalogue:
    def __init__(self, operations: list[Operation], specs: dict[str, dict[str, Any]]) -> None:
        self.operations = operations
        self.specs = specs  # the raw documents, for schema checks that follow $refs
        self._by_key = {op.key.lower(): op for op in operations}
        seen = Counter(w for op in operations for w in op.words)
        # Rare words say more: "env-vars" picks 12 operations, "get" 180.
        self._weight = {w: math.log(1 + len(operations) / n) for w, n in seen.items()}

    def __len__(self) -> int:
        return len(self.operations)

    def get(self, key: str) -> Operation | None:
        return self._by_key.get(key.strip().lower())

    def match(self, method: str, path: str, api: str = "") -> list[tuple[Operation, dict[str, str]]]:
        """Operations whose template fits `path` (a template or a concrete path), most literal first."""
        wanted = path.split("?", 1)[0].strip().rstrip("/") or "/"
        segments = wanted.strip("/").split("/")
        found = []
        for op in self.operations:
            if op.method != method.upper() or (api and op.api != api):
                continue
            template = op.path.strip("/").split("/")
            if len(template) != len(segments):
                continue
            values: dict[str, str] = {}
            for t, s in zip(template, segments):
                if t.startswith("{"):
                    if s != t:  # the template itself names no value
                        values[t[1:-1]] = s
                elif t != s:
                    break
            else:
                found.append((op, values))
        return sorted(found, key=lambda hit: (len(hit[1]), APIS.index(hit[0].api)))

    def route(self, method: str, path: str, api: str = "") -> tuple[Operation, dict[str, str]] | None:
        """The operation a `METHOD /path` means, by one rule (docs/api-notes.md#routing): Kinsta for what it
        still serves, then Sevalla v3, then v2."""
        hits = self.match(method, path, api)
        if not hits:
            return None
        return min(hits, key=lambda hit: (hit[0].deprecated, len(hit[1]), ROUTING.index(hit[0].api)))

    def successor(self, op: Operation) -> Operation | None:
        """For a Kinsta operation retired with the move to Sevalla: the Sevalla one on the same path."""
        for api in ("sevalla_v3", "sevalla_v2"):
            for found, _ in self.match(op.method, op.path, api):
                if not found.deprecated:
                    return found
        return None

    def search(self, text: str, *, api: str = "", limit: int = 8) -> list[Operation]:
        """Ranked by how many of the words each operation's id, summary, path and tags contain."""
        wanted = _terms(text)
        if not wanted:
            return []
        scored = []
        for op in self.operations:
            if api and op.api != api:
                continue
            hits = [w for w in wanted if w in op.words]
            if not hits:
                continue
            score = sum(self._weight.get(w, 0.0) for w in hits) + (1.0 if len(hits) == len(wanted) else 0.0)
            score += sum(1.5 for w in wanted if w in _METHOD_WORDS.get(op.method, ()))
            score -= 3.0 if op.deprecated else 0.0
            score -= 0.5 if op.api == "sevalla_v2" else 0.0  # v2 mirrors the other two: prefer the current APIs
            scored.append((-score, len(op.path), op.key, op))
        shown: list[Operation] = []
        lines: set[str] = set()
        for *_, op in sorted(scored):
            if op.line in lines:  # the same call on another API (v2 mirrors Kinsta's paths): one is enough
                continue
            lines.add(op.line)
            shown.append(op)
            if len(shown) == limit:
                break
        return shown


_METHOD_WORDS = {
    "GET": {"list", "get", "show", "read", "view", "see", "check", "status", "find"},
    "POST": {"create", "add", "new", "start", "trigger", "run", "make", "enable"},
    "PUT": {"update", "change", "set", "edit", "modify", "replace", "overwrite"},
    "PATCH": {"update", "change", "set", "edit", "modify", "rename"},
    "DELETE": {"delete", "remove", "drop", "destroy", "revoke", "disable"},
}
_SYNONYMS = {"var": "variable", "vars": "variable", "env": "environment", "db": "database", "app": "application",
             "staging": "environment", "live": "environment", "certificate": "ssl", "bucket": "storage",
             "s3": "storage", "wp": "wordpress", "website": "site", "remove": "delete"}  # fmt: skip
_STOP = frozenset({"a", "an", "the", "to", "of", "on", "for", "in", "my", "from", "with", "and", "or", "by", "s",
                   "me", "all", "is", "it", "this", "that", "how", "do", "i", "what", "which", "id"})  # fmt: skip


def _stem(word: str) -> str:
    word = _SYNONYMS.get(word, word)
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _terms(text: str) -> list[str]:
    words = _WORD.findall(_CAMEL.sub(" ", text).lower().replace("wordpress", "wordpress "))
    return list(dict.fromkeys(_stem(w) for w in words if w not in _STOP))


def _words(*texts: str) -> frozenset[str]:
    return frozenset(w for text in texts for w in _terms(text))


def _resolve(spec: dict[str, Any], node: Any, depth: int = 0) -> Any:
    """A schema with `$ref`s to components replaced, a few levels deep (enough to list fields)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and depth < 6:
            target: Any = spec
            for part in ref[2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
            return _resolve(spec, target, depth + 1)
        return {
            k: _resolve(spec, v, depth + 1) if k in ("properties", "items", "allOf") else v for k, v in node.items()
        }
    if isinstance(node, list):
        return [_resolve(spec, v, depth) for v in node]
    return node


def _object_fields(schema: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Top-level fields of an object body (allOf merged); () when the body is not a plain object."""
    names: dict[str, None] = {}
    required: dict[str, None] = {}
    for part in [schema, *schema.get("allOf", [])]:
        for name in part.get("properties", {}) if isinstance(part.get("properties"), dict) else {}:
            names[name] = None
        for name in part.get("required", []):
            required[name] = None
    return tuple(names), tuple(required)


def _from_spec(api: str, spec: dict[str, Any]) -> list[Operation]:
    found = []
    for path, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, raw in item.items():
            if method not in METHODS:
                continue
            params = [
                Param(p["name"], p["in"], _resolve(spec, p.get("schema", {})), bool(p.get("required")))
                for p in [*shared, *raw.get("parameters", [])]
                if p.get("in") in ("path", "query")
            ]
            key = (api, method.upper(), path)
            params += [Param(n, "query", {"type": "string"}, False) for n in EXTRA_QUERY.get(key, ())]
            # A few Kinsta operations leave their path parameters out: the template is what a URL needs.
            declared = {p.name for p in params if p.where == "path"}
            params += [
                Param(n, "path", {"type": "string"}, True) for n in _PATH_PARAM.findall(path) if n not in declared
            ]
            request = raw.get("requestBody") or {}
            body = _resolve(spec, request.get("content", {}).get("application/json", {}).get("schema"))
            fields, required = _object_fields(body) if isinstance(body, dict) else ((), ())
            summary = str(raw.get("summary") or "").strip()
            found.append(
                Operation(
                    api=api,
                    id=str(raw.get("operationId") or f"{method}{path}"),
                    method=method.upper(),
                    path=path,
                    summary=summary,
                    description=str(raw.get("description") or "").strip(),
                    tags=tuple(raw.get("tags", ())),
                    params=tuple(params),
                    body=body if isinstance(body, dict) else None,
                    body_required=bool(request.get("required")),
                    body_fields=fields + EXTRA_BODY.get(key, ()),
                    body_required_fields=required,
                    deprecated=bool(raw.get("deprecated")),
                    words=_words(str(raw.get("operationId") or ""), summary, path, *raw.get("tags", ())),
                )
            )
    return found


def _additions() -> list[Operation]:
    out = []
    for a in ADDITIONS:
        names = _PATH_PARAM.findall(a.path)
        params = [Param(n, "path", {"type": "string"}, True) for n in names]
        params += [Param(n, "query", {"type": "string"}, False) for n in a.query]
        ident = _CAMEL.sub("", "".join(w.capitalize() for w in _WORD.findall(a.summary.lower())))
        out.append(
            Operation(
                api=a.api,
                id=a.method.lower() + ident,
                method=a.method,
                path=a.path,
                summary=a.summary,
                params=tuple(params),
                body={"type": "object"} if a.body else None,
                body_fields=a.body,
                documented_later=True,
                words=_words(a.summary, a.path),
            )
        )
    return out


def spec_document(api: str) -> dict[str, Any]:
    with resources.files("kinsta_mcp.openapi").joinpath("specs", SPEC_FILES[api]).open("rb") as raw:
        return dict(json.loads(gzip.decompress(raw.read())))


def _unique(operations: list[Operation]) -> list[Operation]:
    """A spec may reuse an operationId on another path (Kinsta's analytics do): later ones get a number."""
    seen: Counter[str] = Counter()
    out = []
    for op in operations:
        seen[op.key] += 1
        out.append(op if seen[op.key] == 1 else replace(op, id=f"{op.id}{seen[op.key]}"))
    return out


@functools.cache
def load() -> Catalogue:
    specs = {api: spec_document(api) for api in APIS}
    operations = [op for api in APIS for op in _from_spec(api, specs[api])] + _additions()
    return Catalogue(_unique(operations), specs)
