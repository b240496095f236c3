"""Demo applications, databases, static sites and pipelines, shared by every PaaS route module.

Stored once per state in a neutral shape (ms-epoch timestamps, flat dicts); each base's route
module renders its own view (Kinsta/Sevalla v2 wrap bodies and send ms, Sevalla v3 is flat with ISO
dates). Created lazily, so a sandbox that never touches applications pays nothing.
"""

from __future__ import annotations

from typing import Any

from .seed import stable_id

DAY_MS = 86_400_000
SEED_NOW_MS = 1_763_769_600_000  # 2025-11-22T00:00:00Z: fixed, so seeded objects are identical every run

_APPS = (
    # name, display name, repo, processes (key, type, instances), git branch
    ("portfolio-app", "Portfolio App", "https://github.com/acme-digital/portfolio", (("web", "web", 1),), "main"),
    (
        "api-service",
        "Acme API",
        "https://github.com/acme-digital/api",
        (("web", "web", 2), ("worker", "background", 1)),
        "main",
    ),
    (
        "queue-worker",
        "Queue Worker",
        "https://github.com/acme-digital/queue",
        (("worker", "background", 1),),
        "production",
    ),
)
_DATABASES = (
    # name, display name, type, version, resource, cpu (millicores), memory (MB), storage (MB)
    ("acme-postgres", "Acme Postgres", "postgresql", "15", "db1", 500, 1024, 10_240),
    ("cache-redis", "Cache Redis", "redis", "7", "db1", 250, 256, 1_024),
)
_STATIC = (
    ("docs-site", "Acme Docs", "https://github.com/acme-digital/docs", "npm run build", "dist"),
    ("landing-page", "Landing Page", "https://github.com/acme-digital/landing", "", "public"),
)


def _deployments(owner: str, repo: str, branch: str, count: int = 3) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        created = SEED_NOW_MS - (count - i) * DAY_MS
        out.append(
            {
                "id": stable_id("deployment", owner, str(i)),
                "status": "success",
                "branch": branch,
                "repo_url": repo,
                "commit_sha": stable_id("commit", owner, str(i)).replace("-", "")[:40],
                "commit_message": ["Initial deploy", "Fix caching headers", "Update dependencies"][i % 3],
                "created_at": created,
                "started_at": created,
                "finished_at": created + 95_000 + 10_000 * i,
            }
        )
    return out


def _app(name: str, display: str, repo: str, processes: tuple, branch: str, company_id: str) -> dict[str, Any]:
    app_id = stable_id("app", name)
    return {
        "id": app_id,
        "name": name,
        "display_name": display,
        "company_id": company_id,
        "status": "deploymentSuccess",
        "repo_url": repo,
        "default_branch": branch,
        "auto_deploy": True,
        "hibernation_enabled": False,
        "hibernate_after_seconds": 900,
        "cdn_enabled": False,
        "edge_cache_enabled": False,
        "created_at": SEED_NOW_MS - 60 * DAY_MS,
        "updated_at": SEED_NOW_MS - DAY_MS,
        "processes": [
            {
                "id": stable_id("process", name, key),
                "key": key,
                "type": ptype,
                "display_name": f"{key.title()} process",
                "entrypoint": "npm start" if ptype == "web" else "npm run worker",
                "port": 8080 if ptype == "web" else 0,
                "instance_count": instances,
                "resource_type_name": "s1",
                "cpu_limit": 500,
                "memory_limit": 512,
            }
            for key, ptype, instances in processes
        ],
        "deployments": _deployments(name, repo, branch),
        "internal_connections": [],
    }


def paas(state: Any) -> dict[str, list[dict[str, Any]]]:
    """The state's PaaS data: {"apps", "databases", "static_sites", "pipelines"} (created on first use)."""
    data = state.__dict__.get("paas_data")
    if data is not None:
        return data
    company = state.company_id
    apps = [
        _app(name, display, repo, processes, branch, company_id=company)
        for name, display, repo, processes, branch in _APPS
    ]
    databases = [
        {
            "id": stable_id("database", name),
            "name": name,
            "display_name": display,
            "company_id": company,
            "type": dbtype,
            "version": version,
            "status": "ready",
            "resource_type_name": resource,
            "cpu_limit": cpu,
            "memory_limit": memory,
            "storage_size": storage,
            "cluster": {
                "id": stable_id("cluster", "europe-west3"),
                "location": "europe-west3",
                "display_name": "Frankfurt, Germany Europe",
            },
            "db_name": name.replace("-", "_"),
            "db_user": f"{name.split('-')[0]}_user",
            "db_password": f"pw-{stable_id('dbpw', name)[:12]}",  # a secret: tools must mask it
            "db_root_password": f"root-{stable_id('dbroot', name)[:12]}",
            "internal_hostname": f"{name}.internal.svc.cluster.local",
            "internal_port": "5432" if dbtype == "postgresql" else "6379",
            "external_hostname": "",
            "external_port": "",
            "created_at": SEED_NOW_MS - 90 * DAY_MS,
            "updated_at": SEED_NOW_MS - 2 * DAY_MS,
        }
        for name, display, dbtype, version, resource, cpu, memory, storage in _DATABASES
    ]
    apps[1]["internal_connections"] = [{"id": databases[0]["id"], "type": "appResource"}]
    static_sites = [
        {
            "id": stable_id("static-site", name),
            "name": name,
            "display_name": display,
            "company_id": company,
            "status": "deploymentSuccess",
            "repo_url": repo,
            "default_branch": "main",
            "auto_deploy": True,
            "git_type": "github",
            "hostname": f"{name}.sevalla.page",
            "build_command": build,
            "published_directory": published,
            "node_version": "20",
            "created_at": SEED_NOW_MS - 30 * DAY_MS,
            "updated_at": SEED_NOW_MS - DAY_MS,
            "deployments": _deployments(name, repo, "main", 2),
        }
        for name, display, repo, build, published in _STATIC
    ]
    pipelines = [
        {
            "id": stable_id("pipeline", "api"),
            "display_name": "Acme API pipeline",
            "stages": [
                {
                    "id": stable_id("stage", "api", "staging"),
                    "display_name": "Staging",
                    "type": "standard",
                    "apps": [apps[0]["id"]],
                },
                {
                    "id": stable_id("stage", "api", "production"),
                    "display_name": "Production",
                    "type": "standard",
                    "apps": [apps[1]["id"]],
                },
            ],
        }
    ]
    data = {"apps": apps, "databases": databases, "static_sites": static_sites, "pipelines": pipelines}
    state.__dict__["paas_data"] = data
    return data
