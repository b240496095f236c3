"""One declaration per endpoint: method, path template as the spec writes it, base, unwrap, model, flags.

    SITE = Endpoint("GET", "/sites/{site_id}", unwrap=("site",), model=Site)
    CLEAR_CACHE = Endpoint("POST", "/sites/tools/clear-cache", job=JobKind.OPERATION)

The client reads the flags (creation rate limit, "moved to Sevalla" hint, rate class) from here
instead of matching URLs; `tests/test_endpoints.py` checks every declaration against the vendored
specs (or a documented later addition, docs/api-notes.md#additions). Tools name endpoints, never
URLs: `api.call(SITE, site_id=...)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any
from urllib.parse import quote

from pydantic import AliasChoices, BaseModel, TypeAdapter, ValidationError

from kinsta_mcp.errors import InvalidInput, UnexpectedResponse


class Base(str, Enum):
    KINSTA = "kinsta"  # api.kinsta.com/v2: WordPress sites, DNS, company
    PAAS = "paas"  # applications, databases, static sites: Sevalla v2 with a Sevalla key, else Kinsta
    V3 = "sevalla_v3"  # Sevalla v3: only for what v2 lacks (docs/api-notes.md#routing)


class JobKind(str, Enum):
    """What a change starts that has to be followed; the value prefixes the job key (`op:…`)."""

    OPERATION = "op"  # 202 + operation_id, GET /operations/{id}
    APP_DEPLOYMENT = "app-deploy"  # a deployment id, GET /applications/deployments/{id}
    STATIC_DEPLOYMENT = "static-deploy"  # GET /static-sites/deployments/{id}
    DATABASE = "db"  # a new database, ready when its status says so


class RateClass(str, Enum):
    DEFAULT = "default"
    CREATE = "create"  # 5 a minute for creating sites, environments, apps, databases, static sites
    LOGS = "logs"  # the logs endpoint counts on its own, lower limit


PARAM = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")
# A value a path segment must never be: it would walk to another endpoint.
_DOT_SEGMENTS = frozenset({".", ".."})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    base: Base = Base.KINSTA
    unwrap: tuple[str, ...] = ()  # keys from the body down to the value the caller wants
    model: Any = None  # a type pydantic validates the unwrapped value into
    job: JobKind | None = None
    job_optional: bool = False  # the answer may name a job or not (undocumented answers): done without one
    rate: RateClass = RateClass.DEFAULT
    relists: bool = False  # success may change the cached site listing (ids, domains, versions)
    optional_unwrap: bool = False  # the unwrap keys may be absent (the API leaves them out when empty)
    sevalla_only: bool = False  # a PaaS endpoint only Sevalla v2 has (docs/api-notes.md#sevalla-v2-additions)
    patterns: tuple[tuple[str, str], ...] = ()  # (path parameter, regex its value must match)
    name: str = ""  # set by `declare` from the constant's name, for messages and tests

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(PARAM.findall(self.path))

    @property
    def mutates(self) -> bool:
        return self.method != "GET"

    @property
    def moved(self) -> bool:
        """On the Kinsta base a 404 here means the account moved to Sevalla (docs/api-notes.md#sevalla-move)."""
        return self.base is Base.PAAS

    def url(self, values: dict[str, Any]) -> str:
        """The path with each parameter percent-encoded as one segment; a value that could reach another
        endpoint (empty, `.`/`..`, control characters, or outside the declared pattern) is refused."""
        missing = [p for p in self.params if p not in values]
        extra = sorted(set(values) - set(self.params))
        if missing or extra:
            raise TypeError(f"{self.name or self.path}: missing {missing}, unexpected {extra}")

        def fill(match: re.Match[str]) -> str:
            key = match.group(1)
            text = str(values[key]).strip()
            pattern = dict(self.patterns).get(key)
            if (
                not text
                or text in _DOT_SEGMENTS
                or _CONTROL.search(text)
                or (pattern and not re.fullmatch(pattern, text))
            ):
                raise InvalidInput(f"{text!r} is not a valid {key.replace('_', ' ')}.")
            return quote(text, safe="")

        return PARAM.sub(fill, self.path)

    def unwrapped(self, body: Any, *, service: str, status: int) -> Any:
        """The value under `unwrap`, validated into `model`: a missing key, an empty or `null` answer, an object
        with none of the model's fields or a wrong shape is an error that says the API sent something
        unexpected, never an empty answer (docs/api-notes.md#answers-of-the-wrong-shape)."""
        value, absent = body, False
        for depth, key in enumerate(self.unwrap):
            if not isinstance(value, dict) or key not in value or value[key] is None:
                # An empty list's keys may be left out below the top wrapper; the wrapper itself is always sent.
                if self.optional_unwrap and isinstance(value, dict) and depth > 0:
                    absent = True
                    break
                raise self._unexpected(f"without the expected '{key}' ({_shape(value)})", status, body, service)
            value = value[key]
        if self.model is None:
            return None if absent else value
        # A change's answer is read leniently: it was applied, and an error here would invite a repeat.
        if absent or (value is None and self.mutates):
            value = _empty(self.model)
        elif value is None:
            raise self._unexpected("with an empty answer", status, body, service)
        try:
            result = _adapter(self.model).validate_python(value)
        except ValidationError as failure:
            fields = ", ".join(".".join(str(p) for p in err["loc"]) or "the body" for err in failure.errors()[:3])
            raise self._unexpected(
                f"with a body that does not have the documented shape (at {fields})", status, body, service
            ) from None
        if not self.mutates and (stranger := _unknown_object(self.model, value)):
            raise self._unexpected(f"with {stranger} where the documented fields belong", status, body, service)
        return result

    def _unexpected(self, what: str, status: int, body: Any, service: str) -> UnexpectedResponse:
        return UnexpectedResponse(
            f"{service} sent something unexpected: it answered {self.method} {self.path} {what}. Nothing is "
            "assumed from it; try again, and if it persists the API has changed: report it.",
            status=status,
            body=body,
        )


def _unknown_object(model: Any, value: Any) -> str:
    """'an object with none of them' when `value` (or an item of a list of them) is an object that shares no key
    with the model: `{}` or an error-like body read as "no data" would otherwise pass, every field defaulted."""
    item_model = model.__args__[0] if getattr(model, "__origin__", None) is list else model
    if not (isinstance(item_model, type) and issubclass(item_model, BaseModel)):
        return ""
    items = value if isinstance(value, list) else [value]
    known = _known_keys(item_model)
    for item in items:
        if isinstance(item, dict) and not known & set(item):
            return f"an object with {', '.join(sorted(map(str, item))[:6]) or 'no keys'}"
    return ""


def _known_keys(model: type[BaseModel]) -> set[str]:
    keys = set(getattr(model, "OTHER_KEYS", ()))
    for name, field in model.model_fields.items():
        keys.add(name)
        alias = field.validation_alias
        if isinstance(alias, str):
            keys.add(alias)
        elif isinstance(alias, AliasChoices):
            keys.update(c for c in alias.choices if isinstance(c, str))
        if field.alias:
            keys.add(field.alias)
    return keys


def _shape(value: Any) -> str:
    if isinstance(value, dict):
        return f"got an object with {', '.join(sorted(map(str, value))[:6]) or 'no keys'}"
    return f"got {type(value).__name__}"


def _empty(model: Any) -> Any:
    origin = getattr(model, "__origin__", None)
    return [] if origin is list else {}


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(model: Any) -> TypeAdapter[Any]:
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(model)
    return _ADAPTERS[model]


def declare(namespace: dict[str, Any]) -> dict[str, Endpoint]:
    """Name every Endpoint constant of a module after itself; returns them by name."""
    found: dict[str, Endpoint] = {}
    for key, value in list(namespace.items()):
        if isinstance(value, Endpoint):
            if not value.name:
                value = replace(value, name=key)
                namespace[key] = value
            found[key] = value
    return found
