"""Environment variables of Sevalla applications, static sites and the company (global: every application
inherits them unless it has its own with the same key). Only the v3 API has them.

A model names a variable by its KEY; the ids the API wants are looked up here. Three tools, one risk
class each: `env_vars` lists (values masked unless revealed), `set_env_vars` adds variables (a key that
already has this value is left as it is), `overwrite_or_delete_env_vars` replaces values or deletes
variables. Replacing a value loses the old one (often the only copy of a secret), so it is destructive
and asks first, like deleting; it cannot sit in the write tool, whose annotations promise additive changes.

Values are secrets: they appear in no text, preview, outcome or error, only in the request bodies and,
once the user agreed, in a revealed listing. A change takes effect on the next deployment: the outcome
names the tool that deploys, and nothing is redeployed here.
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import Field

from kinsta_mcp.api import env_vars as ep
from kinsta_mcp.api.endpoint import Endpoint
from kinsta_mcp.api.facade import Api, ReadApi
from kinsta_mcp.errors import InvalidInput, KinstaError
from kinsta_mcp.gate import Change, Risk
from kinsta_mcp.jobs import ChangeOutcome, done
from kinsta_mcp.models.base import ApiModel, Output
from kinsta_mcp.paas_refs import APPLICATION, STATIC_SITE, label
from kinsta_mcp.planner import Planner
from kinsta_mcp.registry import tool
from kinsta_mcp.text import MASK, mask
from kinsta_mcp.tools.args import Reveal

Target = Literal["application", "static_site", "global"]
Name = Annotated[str, Field(description="The app or static site; empty for global")]
MAX_KEY, MAX_VALUE = 255, 32_768  # the spec's limits

ENDPOINTS = {
    "application": (ep.APP_ENV_VARS, ep.CREATE_APP_ENV_VAR, ep.UPDATE_APP_ENV_VAR, ep.DELETE_APP_ENV_VAR),
    "static_site": (ep.STATIC_ENV_VARS, ep.CREATE_STATIC_ENV_VAR, ep.UPDATE_STATIC_ENV_VAR, ep.DELETE_STATIC_ENV_VAR),
    "global": (ep.GLOBAL_ENV_VARS, ep.CREATE_GLOBAL_ENV_VAR, ep.UPDATE_GLOBAL_ENV_VAR, ep.DELETE_GLOBAL_ENV_VAR),
}
INHERITED = {
    "application": "Global variables (target global) apply too, unless a key here overrides them.",
    "global": "Every application inherits these unless it has its own variable with the same key.",
}
REDEPLOY = {
    "application": "deploy_application",
    "static_site": 'manage_static_site action="deploy"',
    "global": "deploy_application for each application that should use it now",
}


@dataclass(frozen=True)
class Scope:
    """Whose variables: the words for messages, the path parameters and the four endpoints."""

    target: str
    of: str  # "application Portfolio App (portfolio-app)"
    owner: dict[str, str] = field(default_factory=dict)

    @property
    def endpoints(self) -> tuple[Endpoint, Endpoint, Endpoint, Endpoint]:
        return ENDPOINTS[self.target]

    def item(self, var_id: str) -> dict[str, str]:
        return {"id": var_id} if self.target == "global" else {**self.owner, "env_var_id": var_id}


class Var(ApiModel):
    key: str = ""
    value: str = ""  # masked unless revealed
    applies: str = ""  # build/runtime, or production/preview and a branch


class EnvVars(Output):
    of: str = ""
    variables: list[Var] = Field(default_factory=list)
    target: str = ""  # application, static_site or global: whose variables, and what else applies

    def summary(self) -> str:
        head = f"{len(self.variables)} environment variables of {self.of}"
        return "\n".join([head + ":"] + [f"- {v.key} = {v.value} [{v.applies}]" for v in self.variables])

    def next_step(self) -> str:
        return INHERITED.get(self.target, "")


class EnvChange(ChangeOutcome):
    redeploy: str = ""  # what makes the change take effect; empty when nothing changed

    def next_step(self) -> str:
        if self.state == "done" and self.redeploy:
            return (
                "A redeploy is needed for this to take effect (until then the old values are in use); it was not "
                f"redeployed. If the user wants it now: {self.redeploy}."
            )
        return super().next_step()


async def _scope(plan: Planner, target: str, name: str) -> Scope:
    plan.api.need_v3("Environment variables")
    if target == "global":
        if name.strip():
            raise InvalidInput("Global variables belong to the company: leave name empty, or pick another target.")
        return Scope(target, "the company (global: every application)")
    kind = APPLICATION if target == "application" else STATIC_SITE
    item = await plan.resource(kind, name)
    return Scope(target, f"{kind.noun} {label(item)}", {"id": item["id"]})


async def _all(api: ReadApi, scope: Scope) -> list[ep.EnvVar]:
    found: list[ep.EnvVar] = []
    while len(found) < 10_000:  # the most the API pages through
        page: ep.EnvVarPage = await api.get(
            scope.endpoints[0], query={"limit": ep.PAGE, "offset": len(found)}, **scope.owner
        )
        found += page.data
        if not page.data or len(found) >= page.total:
            break
    return found


def _by_key(variables: list[ep.EnvVar]) -> dict[str, list[ep.EnvVar]]:
    """Static sites may have one key several times, once per branch: each is changed alike."""
    out: dict[str, list[ep.EnvVar]] = {}
    for var in variables:
        out.setdefault(var.key, []).append(var)
    return out


def _applies(var: ep.EnvVar, target: str) -> str:
    # A null flag counts as on: the spec's default for build/runtime is true; it gives none for
    # production/preview, taken to be alike.
    if target == "static_site":
        words = [w for w, on in (("production", var.is_production), ("preview", var.is_preview)) if on is not False]
        words.append(f"branch {var.branch}" if var.branch else "every branch")
    else:
        words = [w for w, on in (("build", var.is_buildtime), ("runtime", var.is_runtime)) if on is not False]
    return ", ".join(words) or "nowhere"


@tool("env_vars", Risk.READ, "Environment variables", secret=True)
async def env_vars(plan: Planner, target: Target, name: Name = "", reveal: Reveal = False) -> EnvVars:
    """Environment variables of an app, a static site or the company (global): where each applies, values masked."""
    scope = await _scope(plan, target, name)
    revealed = await plan.reveal(reveal, f"the values of the environment variables of {scope.of}")
    rows = [
        Var(key=v.key, value=v.value if revealed else mask(v.value) or "(empty)", applies=_applies(v, target))
        for v in await _all(plan.api, scope)
    ]
    return EnvVars(of=scope.of, variables=rows, target=target)


def _checked(values: dict[str, str]) -> dict[str, str]:
    """Keys as given (they are case-sensitive); a bad value is described, never quoted."""
    out: dict[str, str] = {}
    for key, value in values.items():
        if not 0 < len(key.strip()) <= MAX_KEY or key != key.strip() or any(c.isspace() or c == "=" for c in key):
            raise InvalidInput(f"{key[:40]!r} is not a variable name (1-{MAX_KEY} characters, no spaces or '=').")
        if len(value) > MAX_VALUE:
            raise InvalidInput(f"The value of {key} is longer than {MAX_VALUE} characters. Nothing was sent.")
        out[key] = value
    return out


@dataclass
class Step:
    verb: str  # add, overwrite, delete
    key: str
    endpoint: Endpoint
    params: dict[str, Any]
    body: dict[str, str] | None = None


def _scrub(text: str, secrets: list[str]) -> str:
    """An API error may quote what it was sent: no value leaves in one."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def _runner(
    what: str, steps: list[Step], unchanged: list[str], redeploy: str
) -> Callable[[Api], Awaitable[ChangeOutcome]]:
    secrets = [step.body["value"] for step in steps if step.body]

    async def run(api: Api) -> ChangeOutcome:
        finished: list[str] = []
        for n, step in enumerate(steps):
            try:
                await api.call(step.endpoint, body=step.body, **step.params)
            except KinstaError as failure:
                rest = ", ".join(f"{s.verb} {s.key}" for s in steps[n + 1 :]) or "nothing"
                failure.message = _scrub(
                    f"{failure.message} Failed at: {step.verb} {step.key}. Done before it: "
                    f"{', '.join(finished) or 'nothing'}; not sent: {rest}."
                    + (f" What was done takes effect on the next deployment ({redeploy})." if finished else ""),
                    secrets,
                )
                raise
            finished.append(f"{step.verb} {step.key}")
        if unchanged:
            finished.append(f"unchanged (same value): {', '.join(unchanged)}")
        return done(what, "; ".join(finished))

    return run


def _change(plan: Planner, scope: Scope, steps: list[Step], unchanged: list[str], preview: str = "") -> Change:
    if steps:
        verbs: dict[str, list[str]] = {}
        for step in steps:
            keys = verbs.setdefault(step.verb, [])
            keys += [step.key] if step.key not in keys else []
        what = f"Environment variables of {scope.of}: " + "; ".join(f"{v} {', '.join(k)}" for v, k in verbs.items())
    else:
        what = f"Environment variables of {scope.of}: nothing to change"
    return plan.change(
        what,
        _runner(what, steps, unchanged, REDEPLOY[scope.target]),
        preview=f"{what}.\n{preview}" if preview and steps else "",
        risk=None if steps else Risk.READ,  # nothing is sent: nothing to confirm
        redeploy=REDEPLOY[scope.target] if steps else "",
    )


@tool("env_vars", Risk.WRITE, "Set environment variables", outcome=EnvChange)
async def set_env_vars(plan: Planner, target: Target, values: dict[str, str], name: Name = "") -> Change:
    """Add environment variables {KEY: value}; a KEY set to another value is refused: overwrite_or_delete_env_vars."""
    wanted = _checked(values)
    if not wanted:
        raise InvalidInput('values needs at least one {"KEY": "value"}.')
    scope = await _scope(plan, target, name)
    current = _by_key(await _all(plan.api, scope))
    differ = [k for k in wanted if any(v.value != wanted[k] for v in current.get(k, []))]
    if differ:
        raise InvalidInput(
            f"{', '.join(differ)} already set on {scope.of} to another value. overwrite_or_delete_env_vars "
            "replaces a value (the user confirms it). Nothing was sent."
        )
    create = scope.endpoints[1]
    steps = [Step("add", k, create, scope.owner, {"key": k, "value": v}) for k, v in wanted.items() if k not in current]
    return _change(plan, scope, steps, [k for k in wanted if k in current])


def _unknown(keys: list[str], current: dict[str, Any], scope: Scope, hint: str) -> InvalidInput:
    close = {c for k in keys for c in difflib.get_close_matches(k, list(current), n=2, cutoff=0.6)}
    mean = f" Did you mean {', '.join(sorted(close))}?" if close else ""
    return InvalidInput(
        f"{scope.of} has no variable {', '.join(keys)}.{mean} Its keys: {', '.join(current) or 'none'}. {hint}"
        "Nothing was sent."
    )


@tool("env_vars", Risk.DESTRUCTIVE, "Overwrite or delete environment variables", outcome=EnvChange)
async def overwrite_or_delete_env_vars(
    plan: Planner,
    target: Target,
    name: Name = "",
    values: dict[str, str] = {},  # noqa: B006
    delete: list[str] = [],  # noqa: B006
) -> Change:
    """Replace values of existing environment variables {KEY: value} or delete some (keys). Asks first."""
    wanted, gone = _checked(values), list(dict.fromkeys(k.strip() for k in delete if k.strip()))
    if not wanted and not gone:
        raise InvalidInput('Say what to change: values {"KEY": "new value"} and/or delete ["KEY"].')
    if both := sorted(set(wanted) & set(gone)):
        raise InvalidInput(f"{', '.join(both)}: in values and in delete; pick one. Nothing was sent.")
    scope = await _scope(plan, target, name)
    current = _by_key(await _all(plan.api, scope))
    if missing := [k for k in wanted if k not in current]:
        raise _unknown(missing, current, scope, "set_env_vars adds new variables. ")
    if missing := [k for k in gone if k not in current]:
        raise _unknown(missing, current, scope, "")
    _, _, update, remove = scope.endpoints
    steps = [
        Step("overwrite", k, update, scope.item(v.id), {"value": value})
        for k, value in wanted.items()
        for v in current[k]
        if v.value != value
    ] + [Step("delete", k, remove, scope.item(v.id)) for k in gone for v in current[k]]
    lines = []
    for key in dict.fromkeys(s.key for s in steps):
        several = current[key] if len(current[key]) > 1 else []
        where = f" ({len(several)} variables: {'; '.join(_applies(v, scope.target) for v in several)})"
        verb = "overwrite" if key in wanted else "delete"
        lines.append(f"- {verb} {key}{where if several else ''}: the current value is lost")
    preview = "\n".join(lines) + (
        f"\nValues are not shown. Until redeployed ({REDEPLOY[scope.target]}), the old values stay in use. "
        "This cannot be undone."
    )
    return _change(plan, scope, steps, [k for k in wanted if k not in {s.key for s in steps}], preview)
