"""Sevalla v3 answers about an application's life (suspension, clone, deployments, processes, deploy hook,
IP restriction) and a static site's deployments, as far as the tools read them. v3 bodies are flat, lists are
`{data, total, offset, limit}`, timestamps ISO 8601."""

from __future__ import annotations

from pydantic import Field

from kinsta_mcp.models.applications import App, ProcessDetail
from kinsta_mcp.models.base import ApiModel


class V3App(App):
    """`GET /applications/{id}` and the clone's 201: the fields the tools use of the flat application."""

    is_suspended: bool = False


class V3DeploymentRow(ApiModel):
    """One of `GET /applications/{id}/deployments` or `GET /static-sites/{id}/deployments` (newest first)."""

    id: str = Field(min_length=1)
    status: str = ""  # waiting, inProgress, success, failed, cancelled (apps also: skipped)
    branch: str = ""
    commit_message: str = ""
    created_at: str = ""

    @property
    def line(self) -> str:
        return f"{self.id} ({self.status}, {self.branch or 'image'}: {self.commit_message or 'no message'})"


class DeploymentPage(ApiModel):
    data: list[V3DeploymentRow] = Field(default_factory=list)
    total: int = 0


class V3Process(ProcessDetail):
    """`GET /applications/{id}/processes` items, and the create and PATCH answers."""

    key: str = ""
    type: str = ""  # web, worker, cron, job
    schedule: str = ""
    time_zone: str = ""
    resource_type_id: str = ""
    port: int | None = None
    is_ingress_enabled: bool = False

    @property
    def line(self) -> str:
        cron = f", schedule {self.schedule}" if self.schedule else ""
        return f"{self.key} ({self.type}, {self.scaling}{cron}, runs `{self.entrypoint}`)"


class ProcessPage(ApiModel):
    data: list[V3Process] = Field(default_factory=list)
    total: int = 0


class Hook(ApiModel):
    """The deploy hook's URL: a secret (anyone who has it can deploy the app)."""

    url: str = Field(min_length=1)


class IpRestriction(ApiModel):
    """`GET`/`PUT /applications|databases/{id}/ip-restriction` (one v3 shape; a database's applies only to
    external connections); unset reads as deny, disabled, no IPs."""

    type: str = "deny"
    is_enabled: bool = False
    ip_list: list[str] = Field(default_factory=list)

    @property
    def line(self) -> str:
        if not self.is_enabled:
            return "off (every address may connect)"
        ips = ", ".join(self.ip_list) or "none"
        return f"only {ips} may connect" if self.type == "allow" else f"{ips} blocked, every other address may connect"


class Message(ApiModel):
    """The `{message}` most v3 actions answer with."""

    message: str = ""
