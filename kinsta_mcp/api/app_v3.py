"""What only Sevalla v3 offers for applications and static sites (docs/api-notes.md#routing): suspend and
activate, clone, cancelling a deployment, processes by application, running a cron process now, the deploy
hook and the IP restriction. Every path id is a uuid, as v3 requires.
"""

from __future__ import annotations

from kinsta_mcp.api.endpoint import Base, Endpoint, RateClass, declare
from kinsta_mcp.api.paas_logs import UUID
from kinsta_mcp.models.app_v3 import DeploymentPage, Hook, IpRestriction, Message, ProcessPage, V3App, V3Process

APP = "/applications/{id}"
PROCESS_ITEM = f"{APP}/processes/{{process_id}}"
HOOK_PATH = f"{APP}/deployment-hook"
IP_PATH = f"{APP}/ip-restriction"
ID_IS_UUID = (("deployment_id", UUID),)  # a deployment id the user typed: v3 takes only uuids

APPLICATION = Endpoint("GET", APP, base=Base.V3, model=V3App)
SUSPEND = Endpoint("POST", f"{APP}/suspend", base=Base.V3, model=Message)
ACTIVATE = Endpoint("POST", f"{APP}/activate", base=Base.V3, model=Message)
# A new application (listed from now on) whose first deployment starts by itself.
CLONE = Endpoint("POST", f"{APP}/clone", base=Base.V3, model=V3App, rate=RateClass.CREATE, relists=True)

DEPLOYMENTS = Endpoint("GET", f"{APP}/deployments", base=Base.V3, model=DeploymentPage)
CANCEL = Endpoint(
    "POST", f"{APP}/deployments/{{deployment_id}}/cancel", base=Base.V3, model=Message, patterns=ID_IS_UUID
)
STATIC_DEPLOYMENTS = Endpoint("GET", "/static-sites/{id}/deployments", base=Base.V3, model=DeploymentPage)
STATIC_CANCEL = Endpoint(
    "POST", "/static-sites/{id}/deployments/{deployment_id}/cancel", base=Base.V3, model=Message, patterns=ID_IS_UUID
)

PROCESSES = Endpoint("GET", f"{APP}/processes", base=Base.V3, model=ProcessPage)
CREATE_PROCESS = Endpoint("POST", f"{APP}/processes", base=Base.V3, model=V3Process)
UPDATE_PROCESS = Endpoint("PATCH", PROCESS_ITEM, base=Base.V3, model=V3Process)
DELETE_PROCESS = Endpoint("DELETE", PROCESS_ITEM, base=Base.V3, model=Message)
TRIGGER = Endpoint("POST", f"{PROCESS_ITEM}/trigger", base=Base.V3, model=Message)

# GET answers 404 while no hook is on. Every answer with a URL holds the secret: read, never shown unasked.
HOOK = Endpoint("GET", HOOK_PATH, base=Base.V3, model=Hook)
HOOK_ON = Endpoint("POST", HOOK_PATH, base=Base.V3, model=Hook)
HOOK_REGENERATE = Endpoint("PUT", HOOK_PATH, base=Base.V3, model=Hook)
HOOK_OFF = Endpoint("DELETE", HOOK_PATH, base=Base.V3)

IP_RESTRICTION = Endpoint("GET", IP_PATH, base=Base.V3, model=IpRestriction)
SET_IP_RESTRICTION = Endpoint("PUT", IP_PATH, base=Base.V3, model=IpRestriction)

LIMIT = 100  # the most one v3 list call gives

ENDPOINTS = declare(globals())
