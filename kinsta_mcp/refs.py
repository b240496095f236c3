"""Turning what a person says ("shop", "example.com", "staging") into Kinsta ids.

A model should need one call, not three: every tool that takes a site or environment accepts
an ID, a machine name, a display name, a domain or a URL, and resolves it here from one listing
(`GET /sites?include_environments=true`, which carries every environment and domain). The
listing is kept for a short while so a burst of calls costs one request, and refreshed once
before saying a reference matches nothing (the site may have just been created).
"""

from __future__ import annotations

import difflib
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio

from kinsta_mcp.errors import InvalidInput, OutOfScope
from kinsta_mcp.models.sites import Environment, Site

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
LISTING_TTL = 30.0


@dataclass(frozen=True)
class Target:
    site: Site
    env: Environment

    @property
    def label(self) -> str:
        return f"{self.site.label} › {self.env.name}"


def _host(ref: str) -> str:
    """'https://www.Example.com/shop?x' → 'www.example.com'; plain names pass through lowered."""
    text = ref.strip().lower()
    if "://" in text:
        text = urlsplit(text).hostname or text
    elif "/" in text:
        text = text.split("/", 1)[0]
    return text.rstrip(".")


class Directory:
    """The company's sites, cached briefly and shared by every call of the process."""

    def __init__(self, api: Any, company_id: str, *, allowed: tuple[str, ...] = ()) -> None:
        self._api = api
        self.company_id = company_id
        self._allowed = {a.strip().lower() for a in allowed if a.strip()}
        self._sites: list[Site] | None = None
        self._fetched = 0.0
        self._lock = anyio.Lock()

    def invalidate(self) -> None:
        self._sites = None

    def in_scope(self, site: Site) -> bool:
        return not self._allowed or bool({site.id.lower(), site.name.lower()} & self._allowed)

    async def sites(self, *, fresh: bool = False) -> list[Site]:
        """The sites this server may touch (all of them without KINSTA_ALLOWED_SITES)."""
        return [s for s in await self._all(fresh=fresh) if self.in_scope(s)]

    async def _all(self, *, fresh: bool = False) -> list[Site]:
        async with self._lock:  # concurrent calls share one request
            stale = time.monotonic() - self._fetched > LISTING_TTL
            if fresh or stale or self._sites is None:
                from kinsta_mcp.api.common import SITES

                self._sites = list(
                    await self._api.get(SITES, query={"company": self.company_id, "include_environments": True})
                )
                self._fetched = time.monotonic()
            return self._sites

    async def everywhere(self) -> list[Site]:
        """Every site of the company, in scope or not, for checks such as "is this domain taken": callers
        must not name a site outside the scope."""
        return await self._all()

    async def site(self, ref: str) -> Site:
        return (await self._locate(ref))[0]

    async def target(self, site: str, environment: str) -> Target:
        """An environment from an environment ID alone, or a site reference plus an environment name.

        With no environment name, a site given by domain means that domain's environment, and
        anything else means live.
        """
        site, environment = site.strip(), environment.strip()
        if UUID.match(environment):
            for fresh in (False, True):
                for s in await self._all(fresh=fresh):
                    for env in s.environments:
                        if env.id.lower() == environment.lower():
                            self._check_scope(s)
                            if site and (await self._locate(site))[0].id != s.id:
                                raise InvalidInput(
                                    f"Environment {environment} belongs to site {s.label}, not to {site!r}. "
                                    "Pass only the environment ID, or the right site."
                                )
                            return Target(s, env)
            raise InvalidInput(
                f"No environment has the ID {environment}. list_sites with site=<the site> shows its environments."
            )
        if not site:
            raise InvalidInput(
                "Say which site: pass `site` (ID, name, display name or domain) and optionally `environment` "
                "(live, staging, ...), or pass the environment ID as `environment`."
            )
        found, domain_env = await self._locate(site)
        chosen: Environment | None
        if not environment:
            chosen = domain_env or found.environment_named("live") or next(iter(found.environments), None)
        else:
            chosen = found.environment_named(environment)
        if chosen is None:
            names = ", ".join(e.name for e in found.environments) or "none"
            raise InvalidInput(
                f"Site {found.label} has no environment {environment or 'live'!r}. Its environments: {names}."
            )
        return Target(found, chosen)

    async def _locate(self, ref: str) -> tuple[Site, Environment | None]:
        """The site a reference names, and the environment when it was named by a domain."""
        if not ref.strip():
            raise InvalidInput("The site reference is empty: pass a site ID, name, display name or domain.")
        for fresh in (False, True):
            sites = await self._all(fresh=fresh)
            hit = _match(sites, ref, [s for s in sites if self.in_scope(s)])
            if hit is not None:
                self._check_scope(hit[0])
                return hit
        raise InvalidInput(_no_match([s for s in sites if self.in_scope(s)], ref))

    def _check_scope(self, site: Site) -> None:
        if not self.in_scope(site):
            raise OutOfScope(
                "That site is outside the sites this server may touch (KINSTA_ALLOWED_SITES). Nothing was done. "
                "Ask the person who runs this server to add it if it should be managed here."
            )


def _match(sites: list[Site], ref: str, scoped: list[Site]) -> tuple[Site, Environment | None] | None:
    text = ref.strip()
    low = text.lower()
    for s in sites:
        if s.id.lower() == low or s.name.lower() == low:
            return s, None
    named = [s for s in sites if s.display_name.strip().lower() == low]
    if len(named) > 1:
        raise InvalidInput(
            f"{len(named)} sites are called {text!r}: "
            + ", ".join(f"{s.name} (id {s.id})" for s in named)
            + ". Use the machine name or ID instead."
        )
    if named:
        return named[0], None
    host = _host(text)
    hit = _domain(sites, host)
    if hit is not None:
        return hit
    # A unique part of a name ("shop" for "Acme Shop"); several list the candidates instead of guessing.
    partial = [s for s in scoped if low in s.name.lower() or low in s.display_name.lower()]
    if len(partial) > 1:
        raise InvalidInput(
            f"{len(partial)} sites match {text!r}: "
            + ", ".join(f"{s.label} (id {s.id})" for s in partial[:10])
            + ". Use the machine name, ID or domain instead."
        )
    if partial:
        return partial[0], None
    return None


def _domain(sites: list[Site], host: str) -> tuple[Site, Environment | None] | None:
    variants = [host, host.removeprefix("www."), f"www.{host}"]
    for candidate in variants:
        for s in sites:
            for env in s.environments:
                if candidate in (d.lower() for d in env.domains) or candidate == env.primary_domain.lower():
                    return s, env
    return None


def _no_match(sites: list[Site], ref: str) -> str:
    names = [s.name for s in sites] + [s.display_name for s in sites if s.display_name]
    return no_match(
        "site",
        ref,
        names,
        "by ID, name, display name or domain",
        f"The company has {len(sites)} sites; list_sites shows them.",
    )


def no_match(noun: str, ref: str, names: list[str], how: str, where: str) -> str:
    """What every resolver says when nothing matches: how it matched, the closest names, where to look."""
    close = difflib.get_close_matches(ref.strip(), names, n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"No {noun} matches {ref!r} ({how}).{hint} {where}"
