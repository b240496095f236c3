"""What find_endpoint and call_endpoint return."""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from kinsta_mcp.jobs import ChangeOutcome
from kinsta_mcp.models.base import ApiModel, Output


class FoundEndpoint(ApiModel):
    id: str
    call: str
    summary: str = ""
    risk: str
    params: list[str] = Field(default_factory=list)
    body: list[str] = Field(default_factory=list)
    note: str = ""


class Found(Output):
    endpoints: list[FoundEndpoint]

    def summary(self) -> str:
        if not self.endpoints:
            return "No endpoint matches those words. Try other words (e.g. the thing, then what to do with it)."
        lines = []
        for e in self.endpoints:
            line = f"{e.id}  {e.call}  [{e.risk}] {e.summary}"
            if e.params:
                line += f"; params: {', '.join(e.params)}"
            if e.body:
                line += f"; body: {', '.join(e.body)}"
            lines.append(line + (f" — {e.note}" if e.note else ""))
        return "\n".join(lines)

    def next_step(self) -> str:
        return "Call one with call_endpoint(endpoint=<id>, params={…}, body={…}); * marks what is required."


class EndpointResult(ChangeOutcome):
    endpoint: str = ""
    status: int = 0
    data: Any = None
    masked: list[str] = Field(default_factory=list)
    cut: str = ""
    next_offset: int = -1

    def summary(self) -> str:
        head = ChangeOutcome.summary(self) if self.jobs else f"{self.action} → HTTP {self.status}"
        text = json.dumps(self.data, ensure_ascii=False, separators=(",", ":")) if self.data is not None else ""
        return head + (f"\n{text}" if text else "") + (f"\n[{self.cut}]" if self.cut else "")

    def next_step(self) -> str:
        steps = [ChangeOutcome.next_step(self)]
        if self.next_offset >= 0:
            steps.append(f"More: call again with offset={self.next_offset}.")
        if self.masked:
            steps.append(f"{len(self.masked)} secret value(s) masked; reveal=true shows them once the user agrees.")
        return " ".join(s for s in steps if s)
