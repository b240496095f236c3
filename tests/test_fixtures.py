"""Every recorded or documented response sample whose endpoint has a model parses into it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kinsta_mcp.models.company import KeyInfo, Region, User
from kinsta_mcp.models.operations import Accepted, OperationStatus
from kinsta_mcp.models.sites import environments_from, sites_from

FIXTURES = Path(__file__).parent / "data" / "fixtures"


def load(name: str):
    return json.loads((FIXTURES / name).read_text())


PARSERS = {
    "GET_sites__docs.json": sites_from,
    "GET_sites_site_id__docs.json": lambda b: sites_from({"company": {"sites": [b["site"]]}}),
    "GET_sites_site_id_environments__docs.json": environments_from,
    "GET_validate__docs.json": KeyInfo.model_validate,
    "GET_company_id_users__docs.json": lambda b: [User.model_validate(u) for u in b["company"]["users"]],
    "GET_company_id_available-regions__docs.json":
        lambda b: [Region.model_validate(r) for r in b["company"]["available_regions"]],
}


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_named_fixtures_parse(name):
    parsed = PARSERS[name](load(name))
    items = parsed if isinstance(parsed, list) else [parsed]
    assert items and all(item.model_dump() for item in items)


def test_site_fixture_fields_are_normalised():
    (site,) = sites_from(load("GET_sites__docs.json"))
    env = site.environments[0]
    assert env.primary_domain == "example.com" and env.php_version == "8.3" and site.labels == ["Do not remove"]


ACCEPTED = sorted(p.name for p in FIXTURES.glob("*.json") if '"operation_id"' in p.read_text()
                  and not p.name.startswith("sevalla"))
OPERATIONS = sorted(p.name for p in FIXTURES.glob("GET_operations_*.json"))


@pytest.mark.parametrize("name", ACCEPTED)
def test_every_accepted_answer_parses(name):
    assert Accepted.model_validate(load(name)).operation_id


@pytest.mark.parametrize("name", OPERATIONS)
def test_every_operation_status_parses(name):
    status = OperationStatus.model_validate(load(name))
    assert status.status in (200, 202, 404, 500) and status.message


def test_there_are_fixtures_to_check():
    assert len(ACCEPTED) >= 30 and len(OPERATIONS) == 4
