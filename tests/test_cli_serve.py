"""`kinsta-mcp` serving, as a person runs it: Ctrl-C typed at a terminal, the HTTP banner and its URL,
Ctrl-C with clients still connected, one-line errors for bad serving options, --version."""

from __future__ import annotations

import argparse
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from kinsta_mcp import __version__
from kinsta_mcp.config import Settings
from kinsta_mcp.http_serve import Http, banner, default_url, prepare
from kinsta_mcp.secret import Secret
from tests.conftest import free_port
from tests.test_startup import INITIALIZE, clean_env, one_clear_line, run

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "serve-test-token-4b1"


def read_until(fd: int, marker: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.05)[0]:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal closed: the process is gone
                break
            if not chunk:
                break
            seen += chunk
    return seen


def test_ctrl_c_typed_at_a_terminal_stops_the_stdio_server_at_once():
    """^C through a real terminal (the line discipline sends SIGINT to the foreground group) while the
    server waits for its next line on stdin."""
    import json

    pid, terminal = pty.fork()
    if pid == 0:  # the child: a session led by the server, with the pty as its terminal
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "kinsta_mcp", "--sandbox"], clean_env())
    try:
        assert b"Ctrl-C to stop" in read_until(terminal, b"Ctrl-C to stop", 30)
        os.write(terminal, json.dumps(INITIALIZE).encode() + b"\n")
        assert b'"serverInfo"' in read_until(terminal, b'"serverInfo"', 30)
        os.write(terminal, b"\x03")
        started = time.monotonic()
        while not (done := os.waitpid(pid, os.WNOHANG))[0] and time.monotonic() - started < 5:
            time.sleep(0.01)
        assert done[0] == pid, "still running 5 s after Ctrl-C"
        pid = 0  # reaped
        assert time.monotonic() - started < 1
        assert os.waitstatus_to_exitcode(done[1]) == 130
        assert b"Traceback" not in read_until(terminal, b"\x00", 0.3)
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(terminal)


@pytest.mark.anyio
async def test_http_banner_names_the_url_and_ctrl_c_stops_with_clients_connected():
    port = free_port()
    url = f"http://127.0.0.1:{port}/mcp"
    server = subprocess.Popen(
        [sys.executable, "-m", "kinsta_mcp", "--http", "--sandbox", "--port", str(port)],
        env=clean_env(KINSTA_MCP_HTTP_TOKEN=TOKEN),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert server.stderr is not None and server.stdout is not None
        said = read_until(server.stderr.fileno(), b"\n", 30).decode()
        line = one_clear_line(said)  # uvicorn's own start-up lines are not shown at the default log level
        assert f"at {url}." in line and "sandbox" in line and "Authorization: Bearer" in line
        assert TOKEN not in line
        http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
        async with http, Client(streamable_http_client(url, http_client=http), mode="legacy") as client:
            assert len((await client.list_tools()).tools) > 10
            # A client still connected, with its event stream open, when the user presses Ctrl-C.
            server.send_signal(signal.SIGINT)
            started = time.monotonic()
            code = await anyio.to_thread.run_sync(server.wait, 10)
        assert time.monotonic() - started < 4 and code == 130
        rest = read_until(server.stderr.fileno(), b"\x00", 0.3).decode()
        assert "Traceback" not in rest and server.stdout.read() == b""
    finally:
        if server.poll() is None:
            server.kill()
        server.wait()
        for stream in (server.stdout, server.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.parametrize(
    "args, env, names",
    [
        (["--http-session-idle", "soon"], {}, "--http-session-idle"),
        (["--http-session-idle", "0"], {}, "--http-session-idle"),
        (["--http-session-idle", "nan"], {}, "--http-session-idle"),
        (["--http-max-sessions", "2.5"], {}, "--http-max-sessions"),
        ([], {"KINSTA_MCP_HTTP_MAX_SESSIONS": "-3"}, "KINSTA_MCP_HTTP_MAX_SESSIONS"),
        ([], {"KINSTA_MCP_HTTP_SESSION_IDLE": "inf"}, "KINSTA_MCP_HTTP_SESSION_IDLE"),
        (["--public-url", "ftp://mcp.example.com/mcp"], {}, "--public-url"),
        (["--public-url", "mcp.example.com"], {}, "--public-url"),
        (["--public-url", "https://me:hunter2@mcp.example.com/mcp"], {}, "--public-url"),
        (["--public-url", "ftp://me:hunter2@mcp.example.com/mcp"], {}, "--public-url"),
        ([], {"KINSTA_MCP_PUBLIC_URL": "https://mcp.example.com/mcp?key=hunter2"}, "KINSTA_MCP_PUBLIC_URL"),
        (["--port", "65536"], {}, "--port"),
        (["--log-level", "loud"], {}, "--log-level"),
        (["--host", "0.0.0.0"], {}, "KINSTA_MCP_HTTP_TOKEN"),
    ],
)
def test_a_bad_serving_option_is_one_line_and_exit_2(args, env, names):
    code, out, err = run("--http", "--sandbox", *args, **env)
    assert code == 2 and out == ""
    line = one_clear_line(err)
    assert line.startswith("kinsta-mcp") and names in line and "hunter2" not in line


def test_version_is_printed_and_documented():
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"kinsta-mcp {__version__}"
    code, out, _ = run("--help")
    assert code == 0
    for documented in (
        "--version",
        "--http ",
        "--public-url",
        "KINSTA_MCP_PUBLIC_URL",
        "--http-session-idle",
        "KINSTA_MCP_HTTP_SESSION_IDLE",
        "--http-max-sessions",
        "KINSTA_MCP_HTTP_MAX_SESSIONS",
    ):
        assert documented in out, documented


def options(**given: object) -> argparse.Namespace:
    values: dict[str, object] = {"transport": "http", "host": "127.0.0.1", "port": free_port(), "public_url": None}
    values |= {"http_session_idle": None, "http_max_sessions": None, **given}
    return argparse.Namespace(**values)


def test_the_url_clients_are_given():
    settings = Settings(http_token=Secret(TOKEN))
    http = prepare(options(), settings, environ={})
    assert http is not None and http.url == f"http://127.0.0.1:{http.port}/mcp"
    assert (http.idle, http.max_sessions) == (600, 200)
    behind = prepare(
        options(http_max_sessions="50"), settings, environ={"KINSTA_MCP_PUBLIC_URL": "https://m.example.com/"}
    )
    assert behind is not None and behind.url == "https://m.example.com/mcp" and behind.max_sessions == 50
    assert "at https://m.example.com/mcp." in banner(behind, sandbox=False)
    assert prepare(options(transport="stdio"), settings, environ={}) is None
    # Listening everywhere, the URL names this machine, never the wildcard; IPv6 goes in brackets.
    for wildcard in ("0.0.0.0", "::"):
        assert "0.0.0.0" not in default_url(wildcard, 8000) and "[::]" not in default_url(wildcard, 8000)
        shown = banner(Http(wildcard, 8000, default_url(wildcard, 8000), 600, 200, Secret(TOKEN)), sandbox=False)
        assert "every address, port 8000" in shown and "0.0.0.0" not in shown
    assert default_url("::1", 8000) == "http://[::1]:8000/mcp"
