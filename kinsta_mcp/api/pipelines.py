"""Sevalla v3 pipelines: create and change them, their stages, which apps sit in a stage, preview apps,
and promotion. The Kinsta-era listing (api/applications.PIPELINES) stays what list_applications reads.

Deleting a pipeline or a stage is not declared here: it is reached through call_endpoint, confirmed.
"""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Base, Endpoint, declare
from kinsta_mcp.models.pipelines import Pipeline, PipelinePage, Promotion, Stage

PATH = "/pipelines/{id}"

PIPELINES = Endpoint("GET", "/pipelines", base=Base.V3, model=PipelinePage)
PIPELINE = Endpoint("GET", PATH, base=Base.V3, model=Pipeline)
CREATE = Endpoint("POST", "/pipelines", base=Base.V3, model=Pipeline)
UPDATE = Endpoint("PATCH", PATH, base=Base.V3, model=Pipeline)
PROMOTE = Endpoint("POST", f"{PATH}/promote", base=Base.V3, model=list[Promotion])
ADD_STAGE = Endpoint("POST", f"{PATH}/stages", base=Base.V3, model=Stage)
ADD_APP = Endpoint("POST", f"{PATH}/stages/{{stage_id}}/apps", base=Base.V3)
REMOVE_APP = Endpoint("DELETE", f"{PATH}/stages/{{stage_id}}/apps/{{app_id}}", base=Base.V3)
PREVIEW_ON = Endpoint("POST", f"{PATH}/preview/enable", base=Base.V3)
PREVIEW_SETTINGS = Endpoint("PUT", f"{PATH}/preview", base=Base.V3)

PAGE = 100  # the most a list call gives

ENDPOINTS = declare(globals())
