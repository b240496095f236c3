"""Every endpoint declaration against the vendored specs (no server): method, path template with the
spec's own parameter names, base — or a documented later addition (docs/api-notes.md#contract-checks)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import kinsta_mcp.api
from kinsta_mcp.api.endpoint import Base, Endpoint
from kinsta_mcp.errors import InvalidInput
from tests.spec import SpecIndex, _documented_additions


def declarations() -> list[Endpoint]:
    found: dict[tuple[str, str, str], Endpoint] = {}
    for module in pkgutil.iter_modules(kinsta_mcp.api.__path__):
        loaded = importlib.import_module(f"kinsta_mcp.api.{module.name}")
        for endpoint in getattr(loaded, "ENDPOINTS", {}).values():
            found[(module.name, endpoint.name, endpoint.base.value)] = endpoint
    return list(found.values())


SPEC_BASES = {Base.KINSTA: ("kinsta",), Base.PAAS: ("kinsta", "sevalla_v2"), Base.V3: ("sevalla_v3",)}


def documented(base: str, method: str, template: str) -> bool:
    spec = SpecIndex.for_base(base)
    in_spec = method.lower() in spec.spec["paths"].get(template, {})
    return in_spec or (method, template) in _documented_additions(base)


def test_there_are_declarations_and_each_is_named() -> None:
    endpoints = declarations()
    assert len(endpoints) >= 15
    assert all(e.name and e.name.isupper() for e in endpoints)


@pytest.mark.parametrize("endpoint", declarations(), ids=lambda e: f"{e.base.value}-{e.name}")
def test_declaration_is_in_the_spec_of_its_base(endpoint: Endpoint) -> None:
    bases = SPEC_BASES[endpoint.base]
    if endpoint.sevalla_only:
        bases = ("sevalla_v2",)
    missing = [b for b in bases if not documented(b, endpoint.method, endpoint.path)]
    assert not missing, f"{endpoint.method} {endpoint.path} is in neither the {missing} spec nor its documented additions"


@pytest.mark.parametrize("value", ["..", ".", "", "  ", "a\x00b"])
def test_path_values_that_would_walk_to_another_endpoint_are_refused(value: str) -> None:
    from kinsta_mcp.api.common import OPERATION

    with pytest.raises(InvalidInput):
        OPERATION.url({"operation_id": value})


def test_path_values_are_one_encoded_segment() -> None:
    from kinsta_mcp.api.common import OPERATION

    assert OPERATION.url({"operation_id": "cache:clear-1/../x?y"}) == "/operations/cache%3Aclear-1%2F..%2Fx%3Fy"


def test_a_missing_unwrap_key_is_an_error_not_an_empty_answer() -> None:
    from kinsta_mcp.api.common import SITES
    from kinsta_mcp.errors import UnexpectedResponse

    with pytest.raises(UnexpectedResponse, match="without the expected 'sites'"):
        SITES.unwrapped({"company": {}}, service="Kinsta", status=200)
    with pytest.raises(UnexpectedResponse):
        SITES.unwrapped([], service="Kinsta", status=200)
    assert SITES.unwrapped({"company": {"sites": []}}, service="Kinsta", status=200) == []
