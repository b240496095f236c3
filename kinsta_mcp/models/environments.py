"""What environment endpoints return besides the environment itself: redirect rules and the file tree."""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, Field

from kinsta_mcp.models.base import ApiModel


class RedirectRule(ApiModel):
    """One rule of `GET …/redirect-rules`; `domain` empty means every domain of the environment."""

    domain: str = ""
    from_path: str = Field("", validation_alias=AliasChoices("from_path", "from"))
    to: str = ""
    type: str = Field("", description="permanent (301) or redirect (302)")

    def line(self) -> str:
        return f"{self.domain or '(all domains)'} {self.from_path} → {self.to} ({self.type})"

    def body(self) -> dict[str, Any]:
        """The shape the POST endpoint takes: every required key present, no domain meaning null."""
        return {"domain": self.domain or None, "from": self.from_path, "to": self.to, "type": self.type}


def redirect_rules_from(body: Any) -> tuple[list[RedirectRule], int]:
    """`{"environment": {"container_info": {"redirect_rules": {rules, redirect_rules_count}}}}` → (rules, total)."""
    env = (body or {}).get("environment") or {}
    found = (env.get("container_info") or {}).get("redirect_rules") or {}
    rules = [RedirectRule.model_validate(r) for r in found.get("rules") or []]
    return rules, int(found.get("redirect_rules_count") or len(rules))


def file_paths_from(body: Any) -> list[str]:
    """`{"environment": {"file_list": [{name, path, children: [...]}]}}` → every path, depth first."""
    paths: list[str] = []

    def walk(nodes: Any) -> None:
        for node in nodes or []:
            if isinstance(node, dict):
                paths.append(str(node.get("path") or node.get("name") or ""))
                walk(node.get("children"))

    walk(((body or {}).get("environment") or {}).get("file_list"))
    return paths
