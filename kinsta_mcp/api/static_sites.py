"""Static sites on the PaaS base, and Sevalla v2's company PaaS usage. The list is `paas.STATIC_SITES`."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Base, Endpoint, JobKind, declare
from kinsta_mcp.models.static_sites import Deleted, SiteRow, StaticSiteDetail, UsageRow

STATIC_SITE = Endpoint("GET", "/static-sites/{id}", base=Base.PAAS, unwrap=("static_site",), model=StaticSiteDetail)
UPDATE_STATIC_SITE = Endpoint("PUT", "/static-sites/{id}", base=Base.PAAS, unwrap=("static_site",), model=SiteRow)
DELETE_STATIC_SITE = Endpoint("DELETE", "/static-sites/{id}", base=Base.PAAS, model=Deleted)
DEPLOY = Endpoint("POST", "/static-sites/deployments", base=Base.PAAS, job=JobKind.STATIC_DEPLOYMENT)
REDEPLOY = Endpoint("POST", "/static-sites/deployments/redeploy", base=Base.PAAS, job=JobKind.STATIC_DEPLOYMENT)
# Later Sevalla v2 page company/get-usage (docs/api-notes.md#sevalla-v2-additions); Kinsta never had it.
PAAS_USAGE = Endpoint(
    "GET",
    "/company/{id}/paas-usage",
    base=Base.PAAS,
    sevalla_only=True,
    unwrap=("company", "paas_usage"),
    model=list[UsageRow],
    optional_unwrap=True,
)

ENDPOINTS = declare(globals())
