"""Environments of a WordPress site: create, push, delete, settings, redirects, WP-CLI, search and replace,
login links (Kinsta). Answers the docs leave open (docs/api-notes.md#2026-additions) are read as
`MaybeAccepted`: an operation is followed when one comes back."""

from __future__ import annotations

from typing import Any

from kinsta_mcp.api.endpoint import Endpoint, JobKind, RateClass, declare
from kinsta_mcp.models.environments import (
    FileNode,
    LoginLink,
    MaybeAccepted,
    PmaToken,
    RedirectRules,
    WpAdminCreated,
    WpAdminExists,
)

_ENV = "/sites/environments/{env_id}"

CREATE_ENVIRONMENT = Endpoint(
    "POST", "/sites/{site_id}/environments", job=JobKind.OPERATION, rate=RateClass.CREATE, relists=True
)
CREATE_PLAIN_ENVIRONMENT = Endpoint(
    "POST", "/sites/{site_id}/environments/plain", job=JobKind.OPERATION, rate=RateClass.CREATE, relists=True
)
CLONE_ENVIRONMENT = Endpoint(
    "POST", "/sites/{site_id}/environments/clone", job=JobKind.OPERATION, rate=RateClass.CREATE, relists=True
)
PUSH_ENVIRONMENT = Endpoint("PUT", "/sites/{site_id}/environments", job=JobKind.OPERATION, relists=True)
DELETE_ENVIRONMENT = Endpoint("DELETE", _ENV, job=JobKind.OPERATION, relists=True)

SITE_PHP_ALLOCATION = Endpoint("POST", "/sites/{site_id}/change-site-php-allocation", job=JobKind.OPERATION)
ENV_PHP_ALLOCATION = Endpoint("POST", f"{_ENV}/change-environment-php-allocation", job=JobKind.OPERATION)
WEBROOT = Endpoint("POST", f"{_ENV}/change-webroot-subfolder", job=JobKind.OPERATION, relists=True)
FORCE_HTTPS = Endpoint("GET", f"{_ENV}/force-https-status", model=Any)  # the key of the mode is unknown
SET_FORCE_HTTPS = Endpoint(
    "POST", f"{_ENV}/force-https-status", model=MaybeAccepted, job=JobKind.OPERATION, job_optional=True
)

FILE_LIST = Endpoint("GET", f"{_ENV}/file-list", unwrap=("environment", "file_list"), model=list[FileNode])
REDIRECT_RULES = Endpoint(
    "GET", f"{_ENV}/redirect-rules", unwrap=("environment", "container_info", "redirect_rules"), model=RedirectRules
)
UPDATE_REDIRECT_RULES = Endpoint(
    "POST", f"{_ENV}/redirect-rules", model=MaybeAccepted, job=JobKind.OPERATION, job_optional=True
)

WP_CLI = Endpoint("POST", f"{_ENV}/run-wp-cli-command", job=JobKind.OPERATION)
SEARCH_REPLACE = Endpoint("POST", "/sites/tools/search-and-replace", model=MaybeAccepted)

PMA_LOGIN = Endpoint("POST", f"{_ENV}/pma-login-token", model=PmaToken)
WP_ADMIN_EXISTS = Endpoint("GET", f"{_ENV}/wpa-user-exists", model=WpAdminExists)
WP_ADMIN_CREATE = Endpoint("POST", f"{_ENV}/wpa-create-user", model=WpAdminCreated)
WP_ADMIN_LOGIN = Endpoint("POST", f"{_ENV}/wpa-login-url", model=LoginLink)

ENDPOINTS = declare(globals())
