"""Every recorded or documented response sample whose endpoint has a model parses into it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kinsta_mcp.models.company import KeyInfo, Region, User
from kinsta_mcp.models.operations import Accepted, OperationStatus
from kinsta_mcp.models.sites import environments_from, sites_from
from kinsta_mcp.tools.applications import App
from kinsta_mcp.models.databases import DatabaseDetail
from kinsta_mcp.tools.databases import SECRET_KEYS, Db, _connection

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
    "GET_applications__docs.json": lambda b: [App.model_validate(a) for a in b["company"]["apps"]["items"]],
    "GET_applications_id__docs.json": lambda b: App.model_validate(b["app"]),
    "GET_databases__docs.json": lambda b: [Db.model_validate(d) for d in b["databases"]["items"]],
    "GET_databases_id__docs.json": lambda b: Db.model_validate(b["database"]),
    "sevalla_v2_GET_databases_id__docs.json": lambda b: Db.model_validate(b["database"]),
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


@pytest.mark.parametrize("name", ["GET_databases_id__docs.json", "sevalla_v2_GET_databases_id__docs.json"])
def test_documented_database_answers_are_masked(name):
    """The documented answers carry passwords in `data` and inside the connection strings: none survives."""
    db = load(name)["database"]
    shown = _connection(DatabaseDetail.model_validate(db), revealed=False)
    secrets = [db["data"][k] for k in ("db_password", "db_root_password") if db["data"].get(k)]
    secrets += [db[k] for k in ("internal_connection_string", "external_connection_string") if db.get(k)]
    assert secrets and not any(secret in value for secret in secrets for value in shown.values())
    assert {k for k in shown if k in SECRET_KEYS} == {k for k in SECRET_KEYS if db.get(k) or db["data"].get(k)}
    assert shown["db_user"] == db["data"]["db_user"]  # what is not secret stays readable
