"""The command lines the README gives MCP clients, and a check that each one serves MCP.

`python scripts/install_forms.py FORM...` starts each form's exact command line (plus `--sandbox`) the
way a desktop client does: from an unrelated directory, with only the few variables the MCP SDK passes
on (and the machine's TLS and proxy settings, which uv needs), then completes an MCP handshake
(initialize, tools/list, one tool call) and checks that the server reports this checkout's version.
tests/test_install_forms.py runs `venv` and checks that every command in the README is one of these
forms; .ci/run runs the uv ones, which need uv and the package index.

In the README, /path/to/kinsta-mcp stands for the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = "/path/to/kinsta-mcp"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
WHEEL = f"{PLACEHOLDER}/dist/kinsta_mcp-{VERSION}-py3-none-any.whl"  # what `python -m build` writes

FORMS: dict[str, list[str]] = {
    # The program in the checkout's virtual environment (README quick start, step 1).
    "venv": [f"{PLACEHOLDER}/.venv/bin/kinsta-mcp"],
    # uv builds the checkout into a cached environment; pyproject's [tool.uv] cache-keys rebuild it on change.
    "uvx-checkout": ["uvx", "--from", PLACEHOLDER, "kinsta-mcp"],
    # A wheel built with `python -m build` (or downloaded from a release).
    "uvx-wheel": ["uvx", "--from", WHEEL, "kinsta-mcp"],
    # The published form. Rehearsed before a release: UV_FIND_LINKS offers uv the wheel in dist/ as if it
    # were on PyPI, so the exact command line, its entry point and its dependencies are exercised.
    "uvx-published": ["uvx", "kinsta-mcp"],
}
UV_FORMS = ("uvx-checkout", "uvx-wheel", "uvx-published")


def command(form: str, root: Path = ROOT) -> list[str]:
    return [part.replace(PLACEHOLDER, str(root)) for part in FORMS[form]]


# The SDK passes a server only PATH, HOME and a few more; a desktop client starts it within the user's
# session, where the machine's TLS trust and proxy settings apply. uv needs them to reach the index here.
NETWORK = ("SSL_CERT_FILE", "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


def environment(form: str) -> dict[str, str]:
    """What the form is started with, besides the SDK's default variables."""
    env = {k: v for k, v in os.environ.items() if k.upper() in NETWORK or k.startswith("UV_")}
    if form == "uvx-published":
        env["UV_FIND_LINKS"] = str(ROOT / "dist")
    return env


def shown(form: str) -> str:
    extra = "UV_FIND_LINKS=dist " if form == "uvx-published" else ""
    return extra + " ".join(command(form))


async def handshake(argv: list[str], env: Mapping[str, str] | None = None, timeout: float = 180) -> str:
    """Serve `argv --sandbox` over stdio and use it; a one-line summary, or an exception saying what failed.

    The timeout covers a first `uvx` run, which downloads and builds before the server starts."""
    import anyio
    from mcp import Client, StdioServerParameters
    from mcp.client.stdio import stdio_client

    from kinsta_mcp.sandbox import DEMO_COMPANY_ID

    params = StdioServerParameters(command=argv[0], args=[*argv[1:], "--sandbox"], env=dict(env or {}))
    with tempfile.TemporaryDirectory() as elsewhere, tempfile.TemporaryFile("w+") as errlog:
        params.cwd = elsewhere
        try:
            with anyio.fail_after(timeout):
                async with Client(stdio_client(params, errlog=errlog)) as client:
                    tools = (await client.list_tools()).tools
                    sites = await client.call_tool("list_sites", {})
                    info = client.server_info
        except BaseException:
            errlog.seek(0)
            print(f"install_forms: {' '.join(argv)} failed; its stderr:\n{errlog.read()[-4000:]}", file=sys.stderr)
            raise
    company = (sites.structured_content or {}).get("company_id")
    if sites.is_error or company != DEMO_COMPANY_ID:
        raise AssertionError(f"{argv}: list_sites answered {sites.content!r}")
    if info.version != VERSION:
        raise AssertionError(f"{argv}: served version {info.version}, this checkout is {VERSION} (a stale build?)")
    return f"{len(tools)} tools, server {info.name} {info.version}"


def forget_cached_builds() -> None:
    """uv caches what it built by name and version: drop kinsta-mcp's builds (not its dependencies) so the
    forms run this tree's code, not an earlier build of the same version."""
    subprocess.run(["uv", "cache", "clean", "kinsta-mcp"], check=True, capture_output=True)


def main(forms: list[str]) -> int:
    import anyio

    unknown = [f for f in forms if f not in FORMS]
    if unknown or not forms:
        print(f"usage: python scripts/install_forms.py FORM... (forms: {', '.join(FORMS)})", file=sys.stderr)
        return 2
    if any(f in UV_FORMS for f in forms):
        forget_cached_builds()
    for form in forms:
        argv, started = command(form), time.monotonic()
        summary = anyio.run(handshake, argv, environment(form))
        print(f"install form {form}: `{shown(form)}` served MCP ({summary}) in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:]))
