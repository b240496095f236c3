"""Endpoints every part of the server uses: who the key is, the site listing, and job status."""

from __future__ import annotations

from pydantic import Field

from kinsta_mcp.api.endpoint import Base, Endpoint, declare
from kinsta_mcp.models.base import ApiModel
from kinsta_mcp.models.company import KeyInfo
from kinsta_mcp.models.sites import Site


class Validated(KeyInfo):
    """`GET /validate`, where the company is what we need: an answer without one is not an answer."""

    company: str = Field(min_length=1)


class OperationState(ApiModel):
    """`GET /operations/{operation_id}`: `{status, message, data}` (the HTTP status tells the state too)."""

    status: int = 0
    message: str = ""


VALIDATE = Endpoint("GET", "/validate", model=Validated)
PAAS_VALIDATE = Endpoint("GET", "/validate", base=Base.PAAS, model=Validated)
SITES = Endpoint("GET", "/sites", unwrap=("company", "sites"), model=list[Site])
OPERATION = Endpoint("GET", "/operations/{operation_id}", model=OperationState)


class DeploymentState(ApiModel):
    """An application's or static site's deployment, as far as following it goes."""

    id: str = ""
    status: str = ""
    app_id: str = ""
    branch: str = ""


class DatabaseState(ApiModel):
    id: str = ""
    status: str = ""


APP_DEPLOYMENT = Endpoint(
    "GET", "/applications/deployments/{deployment_id}", base=Base.PAAS, unwrap=("deployment",), model=DeploymentState
)
STATIC_DEPLOYMENT = Endpoint(
    "GET", "/static-sites/deployments/{deployment_id}", base=Base.PAAS, unwrap=("deployment",), model=DeploymentState
)
DATABASE = Endpoint("GET", "/databases/{id}", base=Base.PAAS, unwrap=("database",), model=DatabaseState)

ENDPOINTS = declare(globals())
