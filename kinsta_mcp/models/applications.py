"""Applications, processes, deployments and pipelines as the Kinsta-era PaaS API (Kinsta v2, Sevalla v2)
answers them, and a rollback's new deployment (Sevalla v3; the other v3 answers are in `app_v3`)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from kinsta_mcp.models.base import ApiModel
from kinsta_mcp.text import iso_from_ms


class App(ApiModel):
    """An application as the listing (and the detail) names it."""

    id: str
    name: str = ""
    display_name: str = ""
    status: str = ""

    @property
    def label(self) -> str:
        name, display = self.name, self.display_name
        return f"{display} ({name})" if display and display != name else name or self.id


class DeploymentRef(ApiModel):
    id: str
    branch: str = ""
    commit_message: str = ""
    created_at: int = 0

    @property
    def line(self) -> str:
        return f"{iso_from_ms(self.created_at)} from {self.branch}: {self.commit_message}"


class ProcessRef(ApiModel):
    id: str
    key: str = ""


class Named(ApiModel):
    id: str = ""
    name: str = ""


class Connection(ApiModel):
    id: str = ""
    app: Named = Field(default_factory=Named)
    database: Named = Field(default_factory=Named)

    @property
    def line(self) -> str:
        return f"database {self.database.name}" if self.database.name else f"app {self.app.name}"


class AppDetail(App):
    """`GET /applications/{id}` → `app`."""

    hibernation_enabled: bool = False
    hibernate_after_seconds: int = 0
    deployments: list[DeploymentRef] = Field(default_factory=list)
    processes: list[ProcessRef] = Field(default_factory=list)
    internal_connections: list[Connection] = Field(default_factory=list)

    def recent(self, count: int) -> list[DeploymentRef]:
        return sorted(self.deployments, key=lambda d: d.created_at, reverse=True)[:count]

    @property
    def process_keys(self) -> str:
        return ", ".join(p.key for p in self.processes) or "none"


class Scaling(ApiModel):
    type: str = "manual"
    config: dict[str, Any] = Field(default_factory=dict)


class ProcessDetail(ApiModel):
    """`GET /applications/processes/{id}` → `process` (the PUT answer has the same fields, fewer of them)."""

    id: str
    display_name: str = ""
    instance_count: int = 0
    scaling_strategy: Scaling = Field(default_factory=Scaling)
    resource_type_name: str = ""
    entrypoint: str = ""

    @property
    def scaling(self) -> str:
        config = self.scaling_strategy.config
        if self.scaling_strategy.type == "horizontal":
            return (
                f"autoscaling {config.get('minInstanceCount')}-{config.get('maxInstanceCount')} instances"
                f" at {config.get('targetCpuPercent', 80)}% CPU"
            )
        return f"{config.get('instanceCount', self.instance_count)} instances"


class Stage(ApiModel):
    id: str = ""
    display_name: str = ""
    type: str = ""  # standard or preview (where pull requests get preview apps)


class Pipeline(ApiModel):
    id: str
    display_name: str = ""
    stages: list[Stage] = Field(default_factory=list)

    @property
    def line(self) -> str:
        stages = " → ".join(s.display_name + (" (preview)" if s.type == "preview" else "") for s in self.stages)
        previews = "on" if any(s.type == "preview" for s in self.stages) else "off"
        return f"Pipeline {self.display_name}: {stages}; preview apps {previews} (id {self.id})"


class UpdatedApp(ApiModel):
    """`PUT /applications/{id}` → `app`: the settings as they are now."""

    id: str
    display_name: str = ""
    default_branch: str = ""
    auto_deploy: bool = False
    hibernation_enabled: bool = False
    hibernate_after_seconds: int = 0
    build_type: str = ""
    build_path: str = ""
    docker_file_path: str = ""
    docker_context: str = ""


class Toggled(ApiModel):
    """CDN or edge cache toggle: the state after the flip (the API cannot read it otherwise)."""

    turned_on: bool = Field(alias="isTurnedOn")


class Cleared(ApiModel):
    success: bool = Field(alias="isSuccess")


class Promoted(ApiModel):
    target_app_id: str = Field(min_length=1)
    deployment_id: str = Field(min_length=1)


class V3Deployment(ApiModel):
    """Sevalla v3's deployment object (a rollback answers with the new one, unwrapped)."""

    id: str = Field(min_length=1)
    app_id: str = ""
    status: str = ""
