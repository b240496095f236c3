"""Following long-running operations started by other tools (or by an earlier call)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from kinsta_mcp.call import Call
from kinsta_mcp.registry import tool
from kinsta_mcp.safety import Risk
from kinsta_mcp.tools.args import MaxWait
from kinsta_mcp.waiting import OperationOutcome

OperationId = Annotated[
    str,
    Field(min_length=1, max_length=300, description="operation_id from an earlier result"),
]


@tool("operations", Risk.READ, "Wait for an operation")
async def wait_for_operation(call: Call, operation_id: OperationId, max_wait_seconds: MaxWait = 50) -> OperationOutcome:
    """Check on, or keep waiting for, a Kinsta operation. Cancelling stops the wait, not the operation."""
    op = operation_id.strip()
    return await call.wait(op, action=f"Operation {op}", max_wait=max_wait_seconds)
