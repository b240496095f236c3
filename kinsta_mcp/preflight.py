"""Before and around serving: the pre-flight `GET /validate` (only when the company is unknown), the
background key check (when it is known), and the garbage collector paused while start-up builds."""

from __future__ import annotations

import gc
import sys
from typing import Any

from kinsta_mcp.config import Settings
from kinsta_mcp.errors import ConfigError, KinstaError

PREFLIGHT_RETRY_SECONDS = 10.0  # at most this long retrying GET /validate before serving (then exit 2)
KEY_CHECK_DELAY = 0.5  # the background key check waits this long, so it never competes with the handshake

# Start-up creates some 150,000 objects (the SDK's and our pydantic models and schemas) and frees
# almost none, so the cyclic collector's ~250 passes over them are wasted: about a tenth of start-up.
# main() pauses it until the server is built. As the program it then freezes what start-up made (it
# lives as long as the process), or the first collection after resuming would walk all of it: ~65 ms
# landing on `initialize`. The price: start-up's own cyclic garbage is frozen too, ~3 MB of peak RSS.
_gc_paused = False
_gc_freeze = False


def pause_gc(*, freeze: bool = False) -> None:
    """`freeze`: as the program, keep what start-up made out of later collections (see above)."""
    global _gc_paused, _gc_freeze
    _gc_freeze = freeze
    if gc.isenabled():
        gc.disable()
        _gc_paused = True


def resume_gc() -> None:
    global _gc_paused
    if _gc_paused:
        if _gc_freeze:
            gc.freeze()
        gc.enable()
        _gc_paused = False


async def learn_company(settings: Settings, api: Any) -> Settings:
    """`GET /validate` before serving, because the company is not known: a rejected key, an answer
    without the company or no answer at all ends start-up with one line (ConfigError, exit 2)."""
    import anyio

    from kinsta_mcp.server import validate_key

    limit = settings.timeout + min(settings.retry_budget, PREFLIGHT_RETRY_SECONDS)
    try:
        with anyio.fail_after(limit):
            info = await validate_key(api)
    except ConfigError:
        raise
    except TimeoutError:
        raise ConfigError(
            f"Kinsta did not answer GET /validate within {limit:.0f} s, so the company is unknown: "
            "set KINSTA_COMPANY_ID, or check the network and start again."
        ) from None
    except KinstaError as failure:
        raise ConfigError(
            f"Could not learn the company ID from GET /validate: {failure.message} "
            "Set KINSTA_COMPANY_ID, or fix the cause and start again."
        ) from None
    print(
        f"kinsta-mcp: KINSTA_COMPANY_ID not set; using company {info.company} of key {info.name!r} "
        "(set KINSTA_COMPANY_ID to start without this check).",
        file=sys.stderr,
    )
    return settings.with_(company_id=info.company)


async def key_problem(api: Any) -> str:
    """Kinsta's one-line reason when it rejects the key; '' when it accepts it or cannot say."""
    from kinsta_mcp.errors import Unauthorized

    try:
        await api.get("/validate")
    except Unauthorized as failure:
        return failure.message
    except KinstaError as failure:
        print(f"kinsta-mcp: could not check the API key ({failure.message}); going on.", file=sys.stderr)
    return ""


async def warn_if_key_rejected(api: Any) -> None:
    """The background key check while serving with a known company: a line on stderr, nothing more
    (the server keeps running; each tool reports the same 401 to the model)."""
    import anyio

    await anyio.sleep(KEY_CHECK_DELAY)
    if problem := await key_problem(api):
        print(f"kinsta-mcp: {problem} Every tool will fail until the key is fixed.", file=sys.stderr)
