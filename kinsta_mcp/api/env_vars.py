"""Environment variables on Sevalla v3 (the v2 API has none): an application's, a static site's, and the
company's global ones, which every application inherits unless it has its own variable with that key.

Every answer holds the values decrypted: they are read to be shown masked, compared or revealed.
"""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Base, Endpoint, declare
from kinsta_mcp.models.base import ApiModel


class EnvVar(ApiModel):
    """One variable, whatever it belongs to: applications and global ones carry the build/runtime flags,
    static sites' the production/preview flags and a branch (null: every branch)."""

    id: str
    key: str
    value: str = ""
    is_runtime: bool | None = None
    is_buildtime: bool | None = None
    is_production: bool | None = None
    is_preview: bool | None = None
    branch: str | None = None


class EnvVarPage(ApiModel):
    data: list[EnvVar]
    total: int = 0


def _four(path: str, item: str) -> tuple[Endpoint, Endpoint, Endpoint, Endpoint]:
    """list, create, update, delete"""
    return (
        Endpoint("GET", path, base=Base.V3, model=EnvVarPage),
        Endpoint("POST", path, base=Base.V3, model=EnvVar),
        Endpoint("PUT", f"{path}/{item}", base=Base.V3, model=EnvVar),
        Endpoint("DELETE", f"{path}/{item}", base=Base.V3),
    )


APP_ENV_VARS, CREATE_APP_ENV_VAR, UPDATE_APP_ENV_VAR, DELETE_APP_ENV_VAR = _four(
    "/applications/{id}/env-vars", "{env_var_id}"
)
STATIC_ENV_VARS, CREATE_STATIC_ENV_VAR, UPDATE_STATIC_ENV_VAR, DELETE_STATIC_ENV_VAR = _four(
    "/static-sites/{id}/env-vars", "{env_var_id}"
)
GLOBAL_ENV_VARS, CREATE_GLOBAL_ENV_VAR, UPDATE_GLOBAL_ENV_VAR, DELETE_GLOBAL_ENV_VAR = _four(
    "/applications/global-env-vars", "{id}"
)
PAGE = 100  # the most a list call gives

ENDPOINTS = declare(globals())
