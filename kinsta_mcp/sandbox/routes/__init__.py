"""Route assembly: one module per API area, each exporting ``routes``.

To add an area, write ``routes/<area>.py`` with a ``routes`` list (paths
relative to /v2, written like the spec's templates); it is found by name, so
adding an area touches no shared file.
Order inside a module does not matter: :func:`all_routes` sorts literal
segments ahead of parameters so ``/sites/tools/...`` never lands in
``/sites/{site_id}/...``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

from starlette.routing import Route


def _areas() -> list[ModuleType]:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


AREAS: list[ModuleType] = _areas()

_CONVERTOR = re.compile(r"\{([^}:]+)(:[^}]*)?\}")


def template_of(route: Route) -> str:
    """OpenAPI form of a route path: ``{operation_id:str}`` → ``{operation_id}``."""
    return _CONVERTOR.sub(r"{\1}", route.path)


def _specificity(route: Route) -> list[int]:
    return [1 if segment.startswith("{") else 0 for segment in route.path.strip("/").split("/")]


def all_routes(kind: str = "routes") -> list[Route]:
    """Every area's routes of one kind: `routes` (Kinsta), `paas_routes` (Kinsta and Sevalla v2), `v3_routes`."""
    collected = [route for area in AREAS for route in getattr(area, kind, [])]
    return sorted(collected, key=_specificity)  # stable: keeps module order otherwise
