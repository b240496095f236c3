"""Sevalla v3 pipelines: stages in order, the preview stage's settings, and what a promotion started.

No v3 answer says which applications sit in which stage; the Kinsta-era v2 listing does not either.
"""

from __future__ import annotations

from pydantic import Field

from kinsta_mcp.models.base import ApiModel


class Stage(ApiModel):
    id: str
    display_name: str = ""
    type: str = ""  # standard, prod, or preview (the stage of preview apps)
    order: int = 0
    branch: str = ""
    auto_create_app: bool = False
    delete_stale_apps: bool = False
    stale_app_days: int = 0


class Pipeline(ApiModel):
    id: str
    display_name: str = ""
    type: str = ""  # trunk or branch
    stages: list[Stage] = Field(default_factory=list)

    @property
    def ordered(self) -> list[Stage]:
        return sorted(self.stages, key=lambda s: s.order)

    @property
    def preview(self) -> Stage | None:
        return next((s for s in self.stages if s.type == "preview"), None)

    @property
    def line(self) -> str:
        stages = " → ".join(s.display_name + (" (preview)" if s.type == "preview" else "") for s in self.ordered)
        return f"{self.display_name} [{self.type}]: {stages or 'no stages'} (id {self.id})"


class PipelinePage(ApiModel):
    data: list[Pipeline]
    total: int = 0


class Promotion(ApiModel):
    target_app_id: str
    deployment_id: str
