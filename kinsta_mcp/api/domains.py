"""Site domains of an environment and the DNS records each needs (Kinsta)."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Endpoint, JobKind, declare
from kinsta_mcp.models.domains import DomainRecords, SiteDomain

DOMAINS = Endpoint(
    "GET", "/sites/environments/{env_id}/domains", unwrap=("environment", "site_domains"), model=list[SiteDomain]
)
ADD_DOMAIN = Endpoint("POST", "/sites/environments/{env_id}/domains", job=JobKind.OPERATION, relists=True)
REMOVE_DOMAINS = Endpoint("DELETE", "/sites/environments/{env_id}/domains", job=JobKind.OPERATION, relists=True)
CHANGE_PRIMARY = Endpoint(
    "PUT", "/sites/environments/{env_id}/change-primary-domain", job=JobKind.OPERATION, relists=True
)
VERIFICATION_RECORDS = Endpoint(
    "GET",
    "/sites/environments/domains/{site_domain_id}/verification-records",
    unwrap=("site_domain",),
    model=DomainRecords,
)

ENDPOINTS = declare(globals())
