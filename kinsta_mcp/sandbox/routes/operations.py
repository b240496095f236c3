"""GET /operations/{operation_id}: status of an async operation.

Ids contain a colon (``cache:clear-<uuid>``); Starlette's default ``str``
convertor matches one path segment, colon included, and the path arrives
percent-decoded, so ``cache%3Aclear-…`` lands here too.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ._common import error_response, get_state


async def get_operation(request: Request) -> JSONResponse:
    state = get_state(request)
    op = state.operations.get(request.path_params["operation_id"])
    now = state.clock()
    # Apply what has finished by `now` before answering, so "done" always means "already changed".
    state.advance()
    # Real Kinsta answers 404 for a fresh id during its first seconds.
    if op is None or not op.is_visible(now):
        return error_response(404, "Operation not found")
    if not op.is_done(now):
        return JSONResponse({"status": 202, "message": "Operation in progress", "data": None}, status_code=202)
    if op.fail_message is not None:
        return error_response(500, op.fail_message)
    return JSONResponse({"status": 200, "message": "Successfully finished request", "data": None})


routes = [
    Route("/operations/{operation_id}", get_operation, methods=["GET"]),
]
