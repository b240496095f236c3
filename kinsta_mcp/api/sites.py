"""WordPress sites: the environment listing, creation (WordPress, empty, clone), reset and deletion (Kinsta)."""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Endpoint, JobKind, RateClass, declare
from kinsta_mcp.models.sites import Environment

ENVIRONMENTS = Endpoint(
    "GET", "/sites/{site_id}/environments", unwrap=("site", "environments"), model=list[Environment]
)
CREATE_SITE = Endpoint("POST", "/sites", job=JobKind.OPERATION, rate=RateClass.CREATE, relists=True)
CREATE_PLAIN_SITE = Endpoint("POST", "/sites/plain", job=JobKind.OPERATION, rate=RateClass.CREATE, relists=True)
CLONE_SITE = Endpoint("POST", "/sites/clone", job=JobKind.OPERATION, rate=RateClass.CREATE, relists=True)
RESET_SITE = Endpoint("POST", "/sites/{site_id}/reset-site", job=JobKind.OPERATION, relists=True)
DELETE_SITE = Endpoint("DELETE", "/sites/{site_id}", job=JobKind.OPERATION, relists=True)

ENDPOINTS = declare(globals())
