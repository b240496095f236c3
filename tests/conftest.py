import socket

import anyio
import pytest
import uvicorn

from kinsta_mcp.sandbox import SandboxState, create_app


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def sandbox():
    """A seeded sandbox served by uvicorn on 127.0.0.1; yields (base_url, state)."""
    state = SandboxState()
    state.operation_seconds = 0.2
    app = create_app(state)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    async with anyio.create_task_group() as tg:
        tg.start_soon(server.serve)
        while not server.started:
            await anyio.sleep(0.01)
        yield f"http://127.0.0.1:{port}/v2", state
        server.should_exit = True
