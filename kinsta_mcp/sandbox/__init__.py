"""Stateful emulator of the Kinsta REST API v2 (under /v2) and the Sevalla API (/sevalla/v2, /sevalla/v3).

    state = SandboxState()                      # seeded demo company
    app = create_app(state, api_key=DEMO_API_KEY, sevalla_api_key=DEMO_SEVALLA_KEY)

Used by the test-suite (in-process under uvicorn) and by ``kinsta-mcp --sandbox``.
"""

from .app import create_app
from .seed import DEMO_API_KEY, DEMO_COMPANY_ID, DEMO_SEVALLA_KEY
from .state import CREATION_ROUTES, Fault, Operation, RecordedRequest, SandboxState

__all__ = [
    "CREATION_ROUTES",
    "DEMO_API_KEY",
    "DEMO_COMPANY_ID",
    "DEMO_SEVALLA_KEY",
    "Fault",
    "Operation",
    "RecordedRequest",
    "SandboxState",
    "create_app",
]
