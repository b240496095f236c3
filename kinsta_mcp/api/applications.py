"""Applications, their processes and deployments, and pipelines on the PaaS base (Sevalla v2, or Kinsta for
accounts not moved yet); the rollback only Sevalla v3 has (docs/api-notes.md#routing).

The listing itself is `api.paas.APPLICATIONS` (read through the shared catalog, `plan.resource`).
"""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Base, Endpoint, JobKind, declare
from kinsta_mcp.models.applications import (
    AppDetail,
    Cleared,
    Pipeline,
    ProcessDetail,
    Promoted,
    Toggled,
    UpdatedApp,
    V3Deployment,
)

APPLICATION = Endpoint("GET", "/applications/{id}", base=Base.PAAS, unwrap=("app",), model=AppDetail)
# Sevalla v2's spec calls this parameter {process_id} (its PUT: {id}); the route is the same
# (docs/api-notes.md#sevalla-v2-additions).
PROCESS = Endpoint("GET", "/applications/processes/{id}", base=Base.PAAS, unwrap=("process",), model=ProcessDetail)
PIPELINES = Endpoint(
    "GET",
    "/pipelines",
    base=Base.PAAS,
    unwrap=("company", "pipelines", "items"),
    model=list[Pipeline],
    optional_unwrap=True,
)

# Changes. Settings and deletion alter the cached application listing (names, what exists): relists.
UPDATE_APPLICATION = Endpoint(
    "PUT", "/applications/{id}", base=Base.PAAS, unwrap=("app",), model=UpdatedApp, relists=True
)
DELETE_APPLICATION = Endpoint("DELETE", "/applications/{id}", base=Base.PAAS, relists=True)
UPDATE_PROCESS = Endpoint(
    "PUT", "/applications/processes/{id}", base=Base.PAAS, unwrap=("process",), model=ProcessDetail
)
DEPLOY = Endpoint("POST", "/applications/deployments", base=Base.PAAS, job=JobKind.APP_DEPLOYMENT)
# One deployment per target app, so no `job=`: the tool builds the jobs from the list.
PROMOTE = Endpoint("POST", "/applications/promote", base=Base.PAAS, unwrap=("promote",), model=list[Promoted])
TOGGLE_CDN = Endpoint("POST", "/applications/{id}/cdn/toggle-status", base=Base.PAAS, model=Toggled)
TOGGLE_EDGE_CACHE = Endpoint("POST", "/applications/{id}/edge-cache/toggle-status", base=Base.PAAS, model=Toggled)
CLEAR_CACHE = Endpoint("POST", "/applications/{id}/clear-cache", base=Base.PAAS, model=Cleared)
# v3 answers the new deployment unwrapped (`{id, …}`), followed on the PaaS base like any deployment.
ROLLBACK = Endpoint("POST", "/applications/{id}/deployments/rollback", base=Base.V3, model=V3Deployment)

ENDPOINTS = declare(globals())
