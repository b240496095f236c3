"""company_report's answers that come from company-wide lists: versions (the site listing, no request of its
own), plugin/theme updates (the company inventories, or each environment's lists on a server limited to some
sites) and everything of one client (sites by label, Sevalla objects by name)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kinsta_mcp import paas_refs
from kinsta_mcp.api import plugins as ep
from kinsta_mcp.models.reports import Row
from kinsta_mcp.models.sites import Environment, Site
from kinsta_mcp.planner import Planner
from kinsta_mcp.tools.report_parts import Work, fan_out, row, where

PAGE = 100  # inventory items per request
MAX_PAGES = 20
KINDS = {"plugins": "plugin", "themes": "theme"}
SEVALLA_KINDS = (paas_refs.APPLICATION, paas_refs.DATABASE, paas_refs.STATIC_SITE)


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", text)) or (10_000,)  # unknown versions last


def versions(sites: Sequence[Site], limit: int) -> tuple[list[Row], list[str]]:
    """Rows from the listing (it carries both versions), oldest PHP first, and the grouped text."""
    rows = [
        row(s, e, note=f"PHP {e.php_version or 'unknown'}, WordPress {e.wordpress_version or 'unknown'}")
        for s in sites
        for e in s.environments
    ]
    by_php: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # PHP → site → envs
    by_wp: dict[str, int] = defaultdict(int)
    for s in sites:
        for e in s.environments:
            by_php[e.php_version or "unknown"][s.label].append(e.name)
            by_wp[e.wordpress_version or "unknown"] += 1
    lines = []
    for php in sorted(by_php, key=_version_key):
        named = [f"{site} ({', '.join(envs)})" for site, envs in by_php[php].items()]
        more = f" … {len(named) - limit} more sites" if len(named) > limit else ""
        count = sum(len(envs) for envs in by_php[php].values())
        lines.append(f"PHP {php}: {count} — {'; '.join(named[:limit])}{more}")
    lines.append("WordPress: " + "; ".join(f"{v} on {by_wp[v]}" for v in sorted(by_wp, key=_version_key)))
    rows.sort(key=lambda r: _version_key(r.note.split(",")[0]))
    return rows, lines


@dataclass
class Pending:
    """What one environment needs: updates ("akismet 5.3.3→5.3.5") and vulnerable slugs, per kind."""

    updates: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    vulnerable: list[str] = field(default_factory=list)

    def to_row(self, site: Site, env: Environment) -> Row:
        count = sum(len(v) for v in self.updates.values())
        parts = [f"VULNERABLE {', '.join(sorted(set(self.vulnerable)))}"] if self.vulnerable else []
        parts += [f"{kind}: {', '.join(sorted(names))}" for kind, names in self.updates.items() if names]
        return row(site, env, count, "; ".join(parts) or "up to date")


async def updates(plan: Planner, sites: Sequence[Site]) -> tuple[list[Row], list[str], str]:
    if plan.settings.allowed_sites:
        pending, missing = await _per_environment(plan, sites)
        basis = "each environment's lists; VULNERABLE = the installed version has a known vulnerability"
    else:
        pending, missing = await _from_inventory(plan, sites)
        basis = "the company inventories; VULNERABLE = even the latest release has a known vulnerability"
    rows = [
        pending.get((s.id, e.id), Pending()).to_row(s, e)
        for s in sites
        for e in s.environments
        if (s.id, e.id) in pending or not any(m.startswith(f"{where(s, e)}:") for m in missing)
    ]
    rows.sort(key=lambda r: (not r.note.startswith("VULNERABLE"), -r.value))
    return rows, missing, f"Plugin and theme updates per environment, from {basis}; value = updates available"


async def _per_environment(plan: Planner, sites: Sequence[Site]) -> tuple[dict[tuple[str, str], Pending], list[str]]:
    """Four reads per environment of the allowed sites only: nothing is asked about the other sites."""

    def fetch(site: Site, env: Environment) -> Work:
        async def run() -> Pending:
            found = Pending()
            for kind in KINDS:
                for r in await plan.api.get(ep.LISTS[kind], env_id=env.id):
                    if r.update == "available" and r.update_version:
                        found.updates[kind].append(f"{r.name or r.title} {r.version}→{r.update_version}")
                vulnerable = await plan.api.get(ep.VULNERABLE[kind], query={"column": "vulnerable"}, env_id=env.id)
                found.vulnerable += [r.name or r.title for r in vulnerable]
            return found

        return Work(where(site, env), run)

    targets = [(s, e) for s in sites for e in s.environments]
    results, missing = await fan_out(plan, [fetch(s, e) for s, e in targets])
    return {(s.id, e.id): p for (s, e), p in zip(targets, results, strict=True) if p is not None}, missing


async def _from_inventory(plan: Planner, sites: Sequence[Site]) -> tuple[dict[tuple[str, str], Pending], list[str]]:
    """The inventories name each environment by its site's and its own display name: matched to the listing
    here; a row whose display name two sites share cannot be placed and is reported as missing."""

    def fetch(kind: str) -> Work:
        async def run() -> list[dict[str, Any]]:
            items: list[dict[str, Any]] = []
            for page in range(MAX_PAGES):
                query = {"limit": PAGE, "offset": page * PAGE}
                reply = await plan.api.call(ep.INVENTORIES[kind], query=query, company_id=plan.company_id)
                # The validated model drops each item's `environments`: they are read from the body it passed.
                raw = (((reply.body or {}).get("company") or {}).get(kind) or {}).get("items") or []
                items += [i for i in raw if isinstance(i, dict)]
                if len(raw) < PAGE or len(items) >= reply.value.total:
                    break
            return items

        return Work(f"company {kind} inventory", run)

    results, missing = await fan_out(plan, [fetch(kind) for kind in KINDS])
    everyone = await plan.deps.directory.everywhere()
    named: dict[str, list[Site]] = defaultdict(list)
    for s in everyone:
        named[(s.display_name or s.name).strip().lower()].append(s)
    chosen = {s.id for s in sites}
    pending: dict[tuple[str, str], Pending] = {}
    unplaced: set[str] = set()
    for kind, items in zip(KINDS, results, strict=True):
        singular = KINDS[kind]
        for item in items or []:
            slug, latest = str(item.get("name") or item.get("title") or ""), str(item.get("latest_version") or "")
            for env_row in item.get("environments") or []:
                site_name = str(env_row.get("site_display_name") or "").strip().lower()
                candidates = named.get(site_name, [])
                if len(candidates) != 1:
                    unplaced.add(site_name)
                    continue
                site = candidates[0]
                env = site.environment_named(str(env_row.get("display_name") or ""))
                if site.id not in chosen or env is None:
                    continue  # another label's site, or an environment the listing does not know yet
                found = pending.setdefault((site.id, env.id), Pending())
                if env_row.get(f"{singular}_update") == "available":
                    found.updates[kind].append(f"{slug} {env_row.get(f'{singular}_version') or '?'}→{latest}")
                if item.get("is_latest_version_vulnerable"):
                    found.vulnerable.append(slug)
    if unplaced:
        missing.append(
            f"{len(unplaced)} site name(s) in the inventory match no single site (shared or unknown display "
            "names); list_plugins with site= shows those sites"
        )
    return pending, missing


def _matches(item: dict[str, Any], label: str) -> bool:
    wanted = label.strip().lower()
    return wanted in str(item.get("name", "")).lower() or wanted in str(item.get("display_name", "")).lower()


async def client(plan: Planner, sites: Sequence[Site], label: str) -> tuple[list[Row], list[str], str]:
    rows = [
        row(s, e, note=f"PHP {e.php_version or '?'}, WordPress {e.wordpress_version or '?'}, {e.primary_domain}")
        for s in sites
        for e in s.environments
    ]
    measure = f"Everything of {label!r}: sites with that site label"
    if not plan.api.on_sevalla:
        return rows, [], measure + " (no Sevalla key: applications, databases and static sites not looked up)"

    def fetch(kind: paas_refs.Kind) -> Work:
        async def run() -> list[Row]:
            return [
                Row(
                    site=paas_refs.label(i),
                    environment=kind.noun,
                    note=" ".join(str(i.get(k) or "") for k in ("type", "version", "status")).strip(),
                )
                for i in await plan.every(kind)
                if _matches(i, label)
            ]

        return Work(f"Sevalla {kind.noun}s", run)

    results, missing = await fan_out(plan, [fetch(kind) for kind in SEVALLA_KINDS])
    rows += [r for found in results if found for r in found]
    measure += ", and Sevalla applications, databases and static sites whose name or display name contains it"
    return rows, missing, measure + " (any case)"
