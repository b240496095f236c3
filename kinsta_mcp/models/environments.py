"""What environment endpoints return besides the environment itself: redirect rules, the file tree, login
links and the answers the 2026 additions leave undocumented (docs/api-notes.md#2026-additions)."""

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


class RedirectRules(ApiModel):
    """`environment.container_info.redirect_rules`: one page of rules and how many match in all. The rules
    are kept as Kinsta sent them: an update or deletion sends them back unchanged."""

    rules: list[dict[str, Any]]
    count: int = Field(validation_alias=AliasChoices("redirect_rules_count", "count"))

    @property
    def parsed(self) -> list[RedirectRule]:
        return [RedirectRule.model_validate(r) for r in self.rules]


class FileNode(ApiModel):
    """One entry of `environment.file_list`, with its children."""

    name: str = ""
    path: str = ""
    children: list[FileNode] = Field(default_factory=list)

    def paths(self) -> list[str]:
        """This entry's path and every path below it, depth first."""
        return [self.path or self.name] + [p for child in self.children for p in child.paths()]


class MaybeAccepted(ApiModel):
    """An answer that is a started operation or a plain message (the docs do not say which)."""

    operation_id: str = ""
    message: str = ""


class PmaToken(ApiModel):
    """`POST …/pma-login-token`."""

    url: str
    expires_at: float = 0


class WpAdminExists(ApiModel):
    has_wp_admin_user: bool


class WpAdminCreated(ApiModel):
    create_wp_admin_user: bool


class LoginLink(ApiModel):
    """`POST …/wpa-login-url`: the key is undocumented, `login_link` or `url`."""

    login_link: str = Field(validation_alias=AliasChoices("login_link", "url"))
