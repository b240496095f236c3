"""The sandbox itself, over real HTTP on 127.0.0.1 (uvicorn in-process).

Every request the sandbox records is checked against the vendored OpenAPI
spec by an observer (see ``contract``); tests that send deliberately bad
requests only check the response side.
"""

from __future__ import annotations

import time
import uuid

import anyio
import httpx2
import pytest

from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID, Fault, SandboxState

from tests.spec import SpecIndex

pytestmark = pytest.mark.anyio

SPEC = SpecIndex.load()

# Seed ids are uuid5 values; hard-coded here so a change to them is noticed.
ACMESHOP = "72ec38cb-1485-5f71-8e94-074e5bd6947c"
ACMESHOP_LIVE = "7c90b17f-a62e-56e1-bc96-7b0e4e4974b3"
ACMESHOP_STAGING = "13e7c0a6-6ea6-51d0-b5b2-d29a95a530aa"
ACMESHOP_PREMIUM = "648fe365-9712-5468-a34b-331da7e13c7b"
PORTFOLIO = "823bebb2-2953-5119-a6c8-ee71ae032ecf"
PORTFOLIO_LIVE = "42a82ff8-74bf-5a4d-b45e-7308de574c35"
UNKNOWN = "00000000-0000-4000-8000-000000000000"

INTERNAL_KEYS = {"last_cache_clear", "last_php_restart", "region", "labels", "primary_domain_id", "php_version"}


class FakeClock:
    """Replaces ``state.clock`` so operation lifecycles need no real sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Contract:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.request_checks = True

    def __call__(self, rec) -> None:
        if rec.route is None and rec.status in (404, 405):
            return  # unknown route / method: nothing in the spec to compare with
        if self.request_checks:
            self.problems += SPEC.request_problems(rec.method, rec.path, rec.query, rec.json)
        self.problems += SPEC.response_problems(rec.method, rec.path, rec.status, rec.response_json)


@pytest.fixture
async def env(sandbox):
    """(client, state, contract): an authenticated client; spec problems fail the test."""
    base_url, state = sandbox
    contract = Contract()
    state.observers.append(contract)
    async with httpx2.AsyncClient(
        base_url=base_url, headers={"Authorization": f"Bearer {DEMO_API_KEY}"}, timeout=5
    ) as client:
        yield client, state, contract
    assert contract.problems == []


def _walk_keys(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from _walk_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk_keys(inner)


# ----- auth ------------------------------------------------------------------------


async def test_missing_and_wrong_key_are_401(sandbox):
    base_url, state = sandbox
    state.rate_limit = 2
    async with httpx2.AsyncClient(base_url=base_url) as client:
        no_key = await client.get("/validate")
        wrong = await client.get("/validate", headers={"Authorization": "Bearer nope"})
        basic = await client.get("/validate", headers={"Authorization": f"Basic {DEMO_API_KEY}"})
        for _ in range(3):  # 401s must not eat the budget
            await client.get("/sites", headers={"Authorization": "Bearer nope"})
        ok = await client.get("/validate", headers={"Authorization": f"Bearer {DEMO_API_KEY}"})
    for response in (no_key, wrong, basic):
        assert response.status_code == 401
        assert response.json() == {"status": 401, "message": "Unauthenticated.", "data": None}
        assert SPEC.response_problems("GET", "/validate", 401, response.json()) == []
    assert ok.status_code == 200
    assert ok.headers["RateLimit-Remaining"] == "1"
    assert (state.requests[0].status, state.requests[0].route) == (401, "/validate")


async def test_recorded_requests_never_contain_authorization(env):
    client, state, _ = env
    await client.get("/validate", headers={"X-Trace": "abc"})
    await client.post("/sites/tools/clear-cache", json={"environment_id": ACMESHOP_LIVE})
    assert state.requests
    for rec in state.requests:
        assert "authorization" not in {k.lower() for k in rec.headers}
        assert DEMO_API_KEY not in repr(rec)
    assert state.requests[0].headers["x-trace"] == "abc"
    assert state.requests[1].json == {"environment_id": ACMESHOP_LIVE}
    assert state.requests[1].response_json["operation_id"].startswith("cache:clear-")


# ----- happy paths -----------------------------------------------------------------


async def test_validate(env):
    client, _, _ = env
    response = await client.get("/validate")
    assert response.status_code == 200
    body = response.json()
    assert body["company"] == DEMO_COMPANY_ID
    assert body["status"] == "active"
    assert set(body) == {"name", "expires_at", "company", "status"}


async def test_list_sites_without_environments(env):
    client, state, _ = env
    response = await client.get("/sites", params={"company": DEMO_COMPANY_ID})
    assert response.status_code == 200
    sites = response.json()["company"]["sites"]
    assert [s["name"] for s in sites] == ["acmeshop", "blog-acme", "client-bakery", "client-dentist", "portfolio"]
    assert [s["display_name"] for s in sites][:3] == ["Acme Shop", "Acme Blog", "Rosie's Bakery"]
    assert all("environments" not in s for s in sites)
    assert sites[0]["id"] == ACMESHOP
    assert state.requests[-1].route == "/sites"
    assert state.requests[-1].query == {"company": DEMO_COMPANY_ID}


async def test_list_sites_with_environments(env):
    client, _, _ = env
    response = await client.get("/sites", params={"company": DEMO_COMPANY_ID, "include_environments": "true"})
    sites = response.json()["company"]["sites"]
    acmeshop = sites[0]
    names = [e["name"] for e in acmeshop["environments"]]
    assert names == ["live", "staging", "staging-premium"]
    live = acmeshop["environments"][0]
    assert live["id"] == ACMESHOP_LIVE
    assert live["primaryDomain"]["name"] == "acmeshop.com"
    assert {d["name"] for d in live["domains"]} == {"acmeshop.com", "www.acmeshop.com", "acmeshop.kinsta.cloud"}
    assert live["container_info"]["php_engine_version"] == "php8.2"
    assert acmeshop["environments"][2]["is_premium"] is True
    assert acmeshop["environments"][1]["primaryDomain"]["name"] == "staging-acmeshop.kinsta.cloud"
    assert not INTERNAL_KEYS & set(_walk_keys(response.json()))


async def test_get_site_has_slim_environments(env):
    client, _, _ = env
    response = await client.get(f"/sites/{ACMESHOP}")
    assert response.status_code == 200
    site = response.json()["site"]
    assert site["company_id"] == DEMO_COMPANY_ID
    assert site["name"] == "acmeshop"
    assert set(site["environments"][0]) == {
        "id", "name", "display_name", "is_premium", "is_blocked", "domains", "primaryDomain",
    }


async def test_site_environments_full(env):
    client, _, _ = env
    response = await client.get(f"/sites/{PORTFOLIO}/environments")
    assert response.status_code == 200
    (live,) = response.json()["site"]["environments"]
    assert live["id"] == PORTFOLIO_LIVE
    assert live["primaryDomain"]["name"] == "portfolio.kinsta.cloud"
    assert live["ssh_connection"]["ssh_ip"]["external_ip"].startswith("203.0.113.")


async def test_company_users_and_regions(env):
    client, _, _ = env
    users = (await client.get(f"/company/{DEMO_COMPANY_ID}/users")).json()["company"]["users"]
    assert len(users) == 4
    assert users[0]["user"]["email"] == "alex.morgan@acmedigital.agency"
    assert users[0]["user"]["image"].startswith("https://www.gravatar.com/avatar/")
    regions = (await client.get(f"/company/{DEMO_COMPANY_ID}/available-regions")).json()
    available = regions["company"]["available_regions"]
    assert len(available) >= 6
    assert {"name": "Iowa US (us-central1)", "region": "us-central1"} in available
    assert any(r["region"] == "europe-west3" for r in available)


def test_unseeded_state_is_an_empty_company():
    state = SandboxState(seed=False)
    assert state.sites == [] and state.users == [] and state.dns_domains == []
    assert state.company_id == DEMO_COMPANY_ID
    assert SandboxState().dns_domains[0]["name"] == "acmeshop.com"


# ----- operations -------------------------------------------------------------------


async def test_clear_cache_and_restart_php_lifecycle(env):
    client, state, _ = env
    clock = FakeClock()
    state.clock = clock
    state.operation_seconds = 5

    response = await client.post("/sites/tools/clear-cache", json={"environment_id": ACMESHOP_LIVE})
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == 202 and body["message"] == "Clearing site cache in progress"
    op_id = body["operation_id"]
    assert op_id.startswith("cache:clear-")
    uuid.UUID(op_id.removeprefix("cache:clear-"))

    running = await client.get(f"/operations/{op_id}")
    assert running.status_code == 202
    assert running.json() == {"status": 202, "message": "Operation in progress", "data": None}
    assert "last_cache_clear" not in state.find_environment(ACMESHOP_LIVE)[1]

    clock.advance(5)
    done = await client.get(f"/operations/{op_id}")
    assert done.status_code == 200
    assert done.json() == {"status": 200, "message": "Successfully finished request", "data": None}
    assert state.find_environment(ACMESHOP_LIVE)[1]["last_cache_clear"] <= time.time()

    php = await client.post("/sites/tools/restart-php", json={"environment_id": ACMESHOP_STAGING})
    assert php.status_code == 202
    assert php.json()["operation_id"].startswith("php:restart-")
    clock.advance(5)
    await client.get("/validate")  # any request applies finished operations
    assert "last_php_restart" in state.find_environment(ACMESHOP_STAGING)[1]
    assert state.requests[-2].route == "/sites/tools/restart-php"


async def test_operation_completes_in_real_time(env):
    client, state, _ = env  # operation_seconds = 0.2 from the fixture
    op_id = (await client.post("/sites/tools/restart-php", json={"environment_id": PORTFOLIO_LIVE})).json()[
        "operation_id"
    ]
    statuses = []
    for _ in range(50):
        response = await client.get(f"/operations/{op_id}")
        statuses.append(response.status_code)
        if response.status_code != 202:
            break
        await anyio.sleep(0.05)
    assert statuses[0] == 202 and statuses[-1] == 200


async def test_operation_id_with_colon_raw_and_encoded(env):
    client, state, _ = env
    state.operation_seconds = 0
    op_id = (await client.post("/sites/tools/clear-cache", json={"environment_id": ACMESHOP_LIVE})).json()[
        "operation_id"
    ]
    raw = await client.get(f"/operations/{op_id}")
    encoded = await client.get("/operations/" + op_id.replace(":", "%3A"))
    assert b"%3A" in encoded.request.url.raw_path
    assert raw.status_code == encoded.status_code == 200
    assert state.requests[-1].path == f"/operations/{op_id}"
    assert state.requests[-1].route == "/operations/{operation_id}"


async def test_operation_not_found_and_visibility_window(env):
    client, state, _ = env
    clock = FakeClock()
    state.clock = clock
    state.operation_visible_after = 3
    state.operation_seconds = 10

    unknown = await client.get(f"/operations/cache:clear-{UNKNOWN}")
    assert unknown.status_code == 404
    assert unknown.json() == {"status": 404, "message": "Operation not found", "data": None}

    op_id = (await client.post("/sites/tools/clear-cache", json={"environment_id": ACMESHOP_LIVE})).json()[
        "operation_id"
    ]
    assert (await client.get(f"/operations/{op_id}")).status_code == 404
    clock.advance(3)
    assert (await client.get(f"/operations/{op_id}")).status_code == 202
    clock.advance(7)
    assert (await client.get(f"/operations/{op_id}")).status_code == 200


async def test_failed_operation_is_500_and_not_applied(env):
    client, state, _ = env
    state.operation_seconds = 0
    state.fail_next_operations("Could not delete the site, please contact support", count=2)

    first = (await client.delete(f"/sites/{ACMESHOP}")).json()["operation_id"]
    second = (await client.delete(f"/sites/{PORTFOLIO}")).json()["operation_id"]
    for op_id in (first, second):
        failed = await client.get(f"/operations/{op_id}")
        assert failed.status_code == 500
        assert failed.json() == {
            "status": 500,
            "message": "Could not delete the site, please contact support",
            "data": None,
        }
        assert state.operations[op_id].applied is False
    assert (await client.get(f"/sites/{ACMESHOP}")).status_code == 200
    assert (await client.get(f"/sites/{PORTFOLIO}")).status_code == 200

    # Only `count` operations fail; the next one succeeds.
    third = (await client.delete(f"/sites/{PORTFOLIO}")).json()["operation_id"]
    assert (await client.get(f"/operations/{third}")).status_code == 200


async def test_delete_site_removes_it_after_the_operation(env):
    client, state, _ = env
    clock = FakeClock()
    state.clock = clock
    response = await client.delete(f"/sites/{ACMESHOP}")
    assert response.status_code == 202
    body = response.json()
    assert body["operation_id"].startswith("sites:delete-")
    assert body["message"] == "Deleting site in progress"

    # Still there while the operation runs.
    assert (await client.get(f"/sites/{ACMESHOP}")).status_code == 200
    clock.advance(state.operation_seconds)
    assert (await client.get(f"/operations/{body['operation_id']}")).status_code == 200

    gone = await client.get(f"/sites/{ACMESHOP}")
    assert gone.status_code == 404
    listed = (await client.get("/sites", params={"company": DEMO_COMPANY_ID})).json()["company"]["sites"]
    assert ACMESHOP not in {s["id"] for s in listed}
    assert len(listed) == 4
    # Its environments went with it.
    assert (await client.post("/sites/tools/clear-cache", json={"environment_id": ACMESHOP_LIVE})).status_code == 404


# ----- errors ------------------------------------------------------------------------


async def test_missing_fields_and_params_are_400(env):
    client, state, contract = env
    contract.request_checks = False  # these requests are wrong on purpose

    no_company = await client.get("/sites")
    assert no_company.status_code == 400
    assert no_company.json() == {"status": 400, "message": "company is required", "data": None}

    for path in ("/sites/tools/clear-cache", "/sites/tools/restart-php"):
        for kwargs in ({"json": {}}, {}, {"json": {"environment_id": ""}}):
            response = await client.post(path, **kwargs)
            assert response.status_code == 400
            assert response.json() == {"status": 400, "message": "environment_id is required", "data": None}
        wrong_type = await client.post(path, json={"environment_id": 42})
        assert wrong_type.json()["message"] == "environment_id must be a string"
        not_json = await client.post(path, content=b"{oops", headers={"Content-Type": "application/json"})
        assert not_json.status_code == 400

    bad_bool = await client.get("/sites", params={"company": DEMO_COMPANY_ID, "include_environments": "maybe"})
    assert bad_bool.status_code == 400
    assert not state.operations


async def test_unknown_ids_are_404(env):
    client, _, _ = env
    site = await client.get(f"/sites/{UNKNOWN}")
    assert site.status_code == 404
    assert site.json() == {
        "status": 404,
        "message": f"Could not find site with id {UNKNOWN} or the user does not have permissions",
        "data": None,
    }
    assert (await client.get(f"/sites/{UNKNOWN}/environments")).status_code == 404
    assert (await client.delete(f"/sites/{UNKNOWN}")).status_code == 404
    cache = await client.post("/sites/tools/clear-cache", json={"environment_id": UNKNOWN})
    assert cache.status_code == 404
    assert "environment" in cache.json()["message"]
    assert (await client.get("/sites", params={"company": UNKNOWN})).status_code == 404
    assert (await client.get(f"/company/{UNKNOWN}/users")).status_code == 404
    assert (await client.get(f"/company/{UNKNOWN}/available-regions")).status_code == 404


async def test_unknown_route_and_wrong_method(env):
    client, state, _ = env
    missing = await client.get("/no-such-thing")
    assert missing.status_code == 404
    assert missing.json() == {"status": 404, "message": "Not found", "data": None}
    assert state.requests[-1].route is None

    trailing = await client.get("/sites/")
    assert trailing.status_code == 404  # no redirect to /sites

    wrong = await client.patch(f"/sites/{ACMESHOP}")
    assert wrong.status_code == 405
    assert wrong.json() == {"status": 405, "message": "Method not allowed", "data": None}
    assert "DELETE" in wrong.headers["Allow"]

    async with httpx2.AsyncClient(base_url=str(client.base_url).replace("/v2", "")) as bare:
        outside = await bare.get("/v1/sites")
    assert outside.status_code == 404


async def test_handler_crash_is_a_kinsta_shaped_500(env, monkeypatch):
    client, state, _ = env

    def boom(site_id):
        raise RuntimeError("sandbox bug")

    monkeypatch.setattr(state, "find_site", boom)
    response = await client.get(f"/sites/{ACMESHOP}")
    assert response.status_code == 500
    assert response.json()["status"] == 500
    assert state.requests[-1].status == 500


# ----- rate limits -------------------------------------------------------------------


async def test_rate_limit_429_and_headers(env):
    client, state, _ = env
    clock = FakeClock()
    state.clock = clock
    state.rate_limit = 3

    first = await client.get("/validate")
    assert first.headers["RateLimit-Limit"] == "3"
    assert first.headers["RateLimit-Remaining"] == "2"
    assert first.headers["RateLimit-Reset"] == "60"
    clock.advance(10)
    await client.get("/validate")
    await client.get("/validate")

    limited = await client.get("/validate")
    assert limited.status_code == 429
    assert limited.json() == {"status": 429, "message": "Too many requests, please try again later."}
    assert limited.headers["Retry-After"] == "50"
    assert limited.headers["RateLimit-Remaining"] == "0"
    assert limited.headers["RateLimit-Reset"] == "50"

    clock.advance(50)  # the first request leaves the sliding window
    assert (await client.get("/validate")).status_code == 200


async def test_creation_rate_limit(env):
    client, state, _ = env
    state.create_rate_limit = 1
    state.rate_limit = 100
    # POST /sites is not served yet; a creation route in the set is enough to
    # count, and the limit must be enforced before routing answers.
    assert ("POST", "/sites") in state.creation_routes
    state.creation_routes.add(("POST", "/sites/tools/restart-php"))
    ok = await client.post("/sites/tools/restart-php", json={"environment_id": ACMESHOP_LIVE})
    assert ok.status_code == 202
    assert ok.headers["RateLimit-Limit"] == "1"
    limited = await client.post("/sites/tools/restart-php", json={"environment_id": ACMESHOP_LIVE})
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    # Other calls still have budget.
    other = await client.get("/validate")
    assert other.status_code == 200
    assert other.headers["RateLimit-Limit"] == "100"
    assert ("POST", "/sites/tools/restart-php") not in SandboxState().creation_routes


# ----- faults ------------------------------------------------------------------------


async def test_fault_status_with_times(env):
    client, state, _ = env
    state.add_fault(Fault(method="GET", path="/sites/*", status=500, times=2))
    for _ in range(2):
        response = await client.get(f"/sites/{ACMESHOP}")
        assert response.status_code == 500
        assert response.json()["status"] == 500 and response.json()["data"] is None
    assert (await client.get(f"/sites/{ACMESHOP}")).status_code == 200
    assert state.faults == []


async def test_fault_only_matches_method_and_pattern(env):
    client, state, _ = env
    state.add_fault(Fault(method="POST", path="/operations/*", status=503))
    assert (await client.get("/validate")).status_code == 200
    assert (await client.get(f"/sites/{ACMESHOP}")).status_code == 200
    assert len(state.faults) == 1


async def test_fault_429_has_retry_after(env):
    client, state, _ = env
    state.add_fault(Fault(path="/validate", status=429, retry_after=2))
    response = await client.get("/validate")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"
    assert response.json()["message"] == "Too many requests, please try again later."
    assert "RateLimit-Remaining" in response.headers


async def test_fault_raw_body(env):
    client, state, contract = env
    state.add_fault(Fault(path="/sites", body=b"<html>oops</html>", status=502))
    state.add_fault(Fault(path="/validate", body=b"<html>not json</html>"))
    bad_gateway = await client.get("/sites", params={"company": DEMO_COMPANY_ID})
    assert bad_gateway.status_code == 502
    assert bad_gateway.text == "<html>oops</html>"
    assert bad_gateway.headers["content-type"].startswith("text/html")
    assert state.requests[-1].response_json is None
    garbage = await client.get("/validate")
    assert garbage.status_code == 200
    with pytest.raises(ValueError):
        garbage.json()
    # A 200 without the JSON body the spec promises is a contract problem,
    # and the observer noticed it.
    assert contract.problems == ["GET /validate 200: expected a JSON body"]
    contract.problems.clear()


async def test_fault_forever(env):
    client, state, _ = env
    state.add_fault(Fault(path="/validate", status=503, times=-1))
    for _ in range(3):
        assert (await client.get("/validate")).status_code == 503
    assert len(state.faults) == 1


async def test_fault_delay_then_normal_answer(env):
    client, state, _ = env
    state.add_fault(Fault(path="/validate", delay=0.2))
    started = time.monotonic()
    response = await client.get("/validate")
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.2


async def test_fault_delay_causes_client_timeout(env):
    client, state, _ = env
    state.add_fault(Fault(path="/validate", delay=0.4))
    with pytest.raises(httpx2.TimeoutException):
        await client.get("/validate", timeout=0.1)
    # Logged on arrival, so the abandoned attempt is countable; status 0 = not answered yet.
    assert [(r.path, r.status) for r in state.requests] == [("/validate", 0)]
    assert (await client.get("/validate")).status_code == 200


async def test_faults_are_consumed_in_order(env):
    client, state, _ = env
    state.add_fault(Fault(path="/validate", status=500))
    state.add_fault(Fault(path="/validate", status=503))
    assert (await client.get("/validate")).status_code == 500
    assert (await client.get("/validate")).status_code == 503
    assert (await client.get("/validate")).status_code == 200


# ----- spec helper --------------------------------------------------------------------


def test_spec_index_matching():
    assert SPEC.match("GET", "/sites/abc")[0] == "/sites/{site_id}"
    assert SPEC.match("POST", "/sites/tools/clear-cache")[0] == "/sites/tools/clear-cache"
    assert SPEC.match("DELETE", "/sites/environments/abc")[0] == "/sites/environments/{env_id}"
    assert SPEC.match("GET", "/operations/cache:clear-abc")[0] == "/operations/{operation_id}"
    assert SPEC.match("PATCH", "/sites/abc") is None
    assert SPEC.match("GET", "/nowhere") is None


def test_spec_index_problems():
    assert SPEC.request_problems("GET", "/sites", {}, None) == ["query parameter 'company' is required"]
    assert SPEC.request_problems("POST", "/sites/tools/clear-cache", {}, {}) == [
        "body: 'environment_id' is a required property"
    ]
    assert SPEC.request_problems("GET", "/sites", {"company": "x", "include_environments": "false"}, None) == []
    assert SPEC.request_problems("GET", "/nowhere", {}, None) != []
    assert SPEC.response_problems("GET", "/validate", 200, {"name": "k"}) != []
    assert SPEC.response_problems("GET", "/validate", 429, {"whatever": 1}) == []
    assert SPEC.load() is SPEC
