"""Sevalla v3 company-wide reads: webhooks and their deliveries, projects, docker registries, API keys, users,
git providers and the resource catalogues (clusters, resource types, API-key permissions and roles).

Demo data is made on first use in ``paas(state)["company_v3"]`` with stable ids; projects and webhook
deliveries name the seeded applications and databases. Only reads are emulated. API keys carry
no secret at all: the masked token is made of placeholder characters, never of a real key's.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from ..paas_seed import SEED_NOW_MS, paas
from ..seed import stable_id
from ._common import ApiError, get_state, iso, v3, v3_page

DAY_MS = 86_400_000
EVENTS = ("APP_DEPLOY", "APP_UPDATE", "DATABASE_UPDATE", "STATIC_SITE_DEPLOY")
CLUSTERS = (("us-central1", "Iowa, USA"), ("europe-west3", "Frankfurt, Germany Europe"),
            ("asia-northeast1", "Tokyo, Japan"))  # fmt: skip
# name, cpu (millicores), memory (MB), category
PROCESS_TYPES = (("hobby", 300, 256, "hobby"), ("s1", 500, 512, "standard"), ("s2", 1000, 1024, "standard"),
                 ("c1", 2000, 2048, "cpuOptimized"), ("m1", 1000, 4096, "memoryOptimized"))  # fmt: skip
# name, cpu (millicores), memory (MB), storage (MB)
DATABASE_TYPES = (("db1", 250, 256, 1_024), ("db2", 500, 1024, 10_240), ("db3", 1000, 2048, 20_480))
RESOURCES = ("APP", "PIPELINE", "DATABASE", "STATIC_SITE", "LOAD_BALANCER", "OBJECT_STORAGE", "BILLING", "COMPANY",
             "PROJECT", "WEBHOOK", "API_KEY", "REGISTRY_CREDENTIAL")  # fmt: skip
ACTIONS = ("CREATE", "READ", "UPDATE", "DELETE")
# role name, description, actions it grants on every resource
ROLES = (("Admin", "Full access to every resource", ACTIONS),
         ("Developer", "Deploy and change services; no billing or key management", ("CREATE", "READ", "UPDATE")),
         ("Read only", "Read every resource", ("READ",)))  # fmt: skip
GIT = (("github", "GitHub"), ("bitbucket", "Bitbucket"), ("gitlab", "GitLab"))


def _at(days_ago: float) -> str:
    return iso(SEED_NOW_MS - days_ago * DAY_MS) or ""


def _permission_id(resource: str, action: str) -> str:
    return stable_id("api-key-permission", resource, action)


def _role(name: str, description: str, actions: tuple[str, ...]) -> dict[str, Any]:
    # only admins touch billing and API keys
    scope = RESOURCES if name == "Admin" else [r for r in RESOURCES if r not in ("BILLING", "API_KEY")]
    granted = [_permission_id(r, a) for r in scope for a in actions]
    return {"id": stable_id("api-key-role", name), "name": name, "description": description, "permissions": granted}


def _seed(state: Any) -> dict[str, Any]:
    data: dict[str, Any] = paas(state)
    company = state.company_id
    names = {o["name"]: o for kind in ("apps", "databases", "static_sites") for o in data[kind]}

    def service(name: str, kind: str) -> dict[str, Any] | None:
        found = names.get(name)
        return found and {"id": found["id"], "name": found["name"], "display_name": found["display_name"],
                          "type": kind}  # fmt: skip

    projects = []
    for n, (name, display, members) in enumerate((
        ("acme-web", "Acme Web", (("portfolio-app", "app"), ("acme-postgres", "database"))),
        ("acme-platform", "Acme Platform",
         (("api-service", "app"), ("queue-worker", "app"), ("cache-redis", "database"))),
    )):  # fmt: skip
        services = [s for s in (service(m, kind) for m, kind in members) if s]
        projects.append({"id": stable_id("project", name), "company_id": company, "name": name,
                         "display_name": display, "created_at": _at(120 - n), "updated_at": _at(3 + n),
                         "services": services})  # fmt: skip
    hooks = []
    for n, (endpoint, events, enabled) in enumerate((
        ("https://hooks.acme.example/sevalla", list(EVENTS), True),
        ("https://ci.acme.example/deploy-events", ["APP_DEPLOY"], False),
    )):  # fmt: skip
        hook_id = stable_id("webhook", endpoint)
        hooks.append({"id": hook_id, "company_id": company, "is_enabled": enabled, "allowed_events": events,
                      # the signing secret the spec returns; demo text, masked by the client like any secret
                      "secret": "whsec_" + stable_id("webhook-secret", endpoint).replace("-", "")[:24],
                      "old_secret": None, "old_secret_expired_at": None, "endpoint": endpoint,
                      "description": "Deploy notifications" if n == 0 else None,
                      "created_by": stable_id("user", "alex.morgan@acmedigital.agency"), "updated_by": None,
                      "created_at": _at(40 - n), "updated_at": _at(10 - n)})  # fmt: skip
    deliveries = []
    app = data["apps"][0]
    for n, (status, code) in enumerate((("SUCCESS", 200), ("FAILED", 503), ("SUCCESS", 200))):
        event_id = stable_id("webhook-event", str(n))
        deliveries.append({"id": stable_id("webhook-delivery", hooks[0]["id"], str(n)), "webhook_id": hooks[0]["id"],
                           "event_id": event_id, "event_type": "APP_DEPLOY", "status": status,
                           "endpoint": hooks[0]["endpoint"],
                           "payload": f'{{"event":"APP_DEPLOY","app_id":"{app["id"]}"}}',
                           "response": "ok" if code == 200 else "Service Unavailable", "response_status": code,
                           "response_time_ms": 120 + 40 * n, "sent_at": _at(3 - n), "created_at": _at(3 - n),
                           "updated_at": _at(3 - n)})  # fmt: skip
    registries = [{"id": stable_id("docker-registry", name), "company_id": company, "name": display,
                   "registry": kind, "username": user, "created_at": _at(200 - n), "updated_at": _at(30 - n)}
                  for n, (name, display, kind, user) in enumerate((
                      ("docker-hub", "Acme Docker Hub", "dockerHub", "acmedigital"),
                      ("ghcr", "GitHub Container Registry", "github", "acme-digital-ci")))]  # fmt: skip
    roles = [_role(*r) for r in ROLES]
    keys = []
    for n, (name, source, role, used) in enumerate((
        ("kinsta-mcp sandbox", "EXTERNAL", 0, 0.5), ("CI deploys", "DASHBOARD", 1, 2.0), ("Reporting", "CLI", 2, None),
    )):  # fmt: skip
        keys.append({"id": stable_id("api-key", name), "company_id": company, "name": name, "is_enabled": True,
                     "source": source, "masked_token": "svl_" + "*" * 20,
                     "roles": [{k: roles[role][k] for k in ("id", "name", "description")}], "capabilities": [],
                     "last_used_at": None if used is None else _at(used), "expired_at": None,
                     "old_token_expired_at": None, "created_at": _at(90 - 10 * n),
                     "updated_at": _at(5 + n)})  # fmt: skip
    return {"projects": projects, "webhooks": hooks, "deliveries": deliveries, "registries": registries,
            "roles": roles, "api_keys": keys}  # fmt: skip


def rows(request: Request, key: str) -> list[dict[str, Any]]:
    """The company's demo rows of one kind, seeded on first use."""
    data: dict[str, Any] = paas(get_state(request))
    if "company_v3" not in data:
        data["company_v3"] = _seed(get_state(request))
    found: list[dict[str, Any]] = data["company_v3"][key]
    return found


def one(request: Request, key: str, noun: str, param: str = "id") -> dict[str, Any]:
    wanted = request.path_params[param]
    found = next((r for r in rows(request, key) if r["id"] == wanted), None)
    if found is None:
        raise ApiError(404, f"{noun} {wanted} not found")
    return found


def _without(row: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in names}


async def list_webhooks(request: Request) -> Any:
    return v3_page(request, rows(request, "webhooks"))


async def get_webhook(request: Request) -> Any:
    return one(request, "webhooks", "Webhook")


async def list_deliveries(request: Request) -> Any:
    hook = one(request, "webhooks", "Webhook")
    return v3_page(request, [d for d in rows(request, "deliveries") if d["webhook_id"] == hook["id"]])


async def get_delivery(request: Request) -> Any:
    hook = one(request, "webhooks", "Webhook")
    found = one(request, "deliveries", "Webhook delivery", "delivery_id")
    if found["webhook_id"] != hook["id"]:
        raise ApiError(404, f"Webhook delivery {found['id']} not found")
    return found


async def list_projects(request: Request) -> Any:
    return v3_page(request, [_without(p, "company_id", "services") for p in rows(request, "projects")])


async def get_project(request: Request) -> Any:
    return one(request, "projects", "Project")


async def list_registries(request: Request) -> Any:
    return v3_page(request, [_without(r, "company_id") for r in rows(request, "registries")])


async def get_registry(request: Request) -> Any:
    return one(request, "registries", "Docker registry")


async def list_api_keys(request: Request) -> Any:
    return v3_page(request, rows(request, "api_keys"))


async def get_api_key(request: Request) -> Any:
    return one(request, "api_keys", "API key")


async def validate_api_key(request: Request) -> Any:
    # The sandbox accepts one Sevalla key (the app checks it before any route runs): the first seeded one.
    key = rows(request, "api_keys")[0]
    return {"name": key["name"], "expires_at": key["expired_at"], "company_id": key["company_id"], "status": "active"}


async def list_users(request: Request) -> Any:
    return {"data": [dict(u) for u in get_state(request).users]}


async def list_git_providers(request: Request) -> Any:
    return [{"provider": p, "display_name": name, "connect_url": f"https://app.sevalla.com/git/{p}/connect",
             "settings_url": f"https://app.sevalla.com/settings/git/{p}"} for p, name in GIT]  # fmt: skip


async def list_clusters(request: Request) -> Any:
    return [{"id": stable_id("cluster", loc), "name": loc, "display_name": name, "location": loc}
            for loc, name in CLUSTERS]  # fmt: skip


async def list_process_types(request: Request) -> Any:
    # ids as the process routes derive them from a process's resource_type_name
    return [{"id": stable_id("resource-type", name), "name": name, "cpu_limit": cpu, "memory_limit": memory,
             "category": category} for name, cpu, memory, category in PROCESS_TYPES]  # fmt: skip


async def list_database_types(request: Request) -> Any:
    return [{"id": stable_id("db-resource-type", name), "name": name, "cpu_limit": cpu, "memory_limit": memory,
             "storage_limit": storage} for name, cpu, memory, storage in DATABASE_TYPES]  # fmt: skip


async def list_permissions(request: Request) -> Any:
    return [{"id": _permission_id(r, a), "name": f"{r.lower().replace('_', '-')}:{a.lower()}",
             "description": f"{a.capitalize()} {r.lower().replace('_', ' ')} resources", "resource": r, "action": a}
            for r in RESOURCES for a in ACTIONS]  # fmt: skip


async def list_roles(request: Request) -> Any:
    return rows(request, "roles")


v3_routes = [
    Route("/webhooks", v3(list_webhooks), methods=["GET"]),
    Route("/webhooks/{id}", v3(get_webhook), methods=["GET"]),
    Route("/webhooks/{id}/deliveries", v3(list_deliveries), methods=["GET"]),
    Route("/webhooks/{id}/deliveries/{delivery_id}", v3(get_delivery), methods=["GET"]),
    Route("/projects", v3(list_projects), methods=["GET"]),
    Route("/projects/{id}", v3(get_project), methods=["GET"]),
    Route("/docker-registries", v3(list_registries), methods=["GET"]),
    Route("/docker-registries/{id}", v3(get_registry), methods=["GET"]),
    Route("/api-keys", v3(list_api_keys), methods=["GET"]),
    Route("/api-keys/validate", v3(validate_api_key), methods=["GET"]),  # before {id}, which would match it
    Route("/api-keys/{id}", v3(get_api_key), methods=["GET"]),
    Route("/users", v3(list_users), methods=["GET"]),
    Route("/git/providers", v3(list_git_providers), methods=["GET"]),
    Route("/resources/clusters", v3(list_clusters), methods=["GET"]),
    Route("/resources/process-resource-types", v3(list_process_types), methods=["GET"]),
    Route("/resources/database-resource-types", v3(list_database_types), methods=["GET"]),
    Route("/resources/rbac/api-key-permissions", v3(list_permissions), methods=["GET"]),
    Route("/resources/rbac/api-key-roles", v3(list_roles), methods=["GET"]),
]
