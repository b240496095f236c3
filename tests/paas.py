"""Helpers for the application, database and static-site tests, which run on both routes: Kinsta's
base without a Sevalla key, and the Sevalla base with one (the `base` and `paas_settings` fixtures)."""

from __future__ import annotations

from kinsta_mcp.sandbox.paas_seed import paas

PAAS_TOOLSETS = ("default", "applications", "app_metrics", "databases", "static_sites")
V2_BASE = {"kinsta": "kinsta", "sevalla": "sevalla_v2"}  # the `base` fixture → the sandbox base that answers


def app_named(state, name):
    return next(a for a in paas(state)["apps"] if a["name"] == name)


def db_named(state, name):
    return next(d for d in paas(state)["databases"] if d["name"] == name)


def site_named(state, name):
    return next(s for s in paas(state)["static_sites"] if s["name"] == name)


def sent(state, method, path=None):
    """Requests of one method (and path) our client sent, in order."""
    return [r for r in state.requests if r.method == method and (path is None or r.path == path)]


def mutations(state):
    return [r for r in state.requests if r.method != "GET"]
