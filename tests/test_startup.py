"""Start-up and shut-down of `kinsta-mcp` as a process: bad options and keys end with one line and
exit 2, a known company keeps GET /validate off the start-up path, EOF and Ctrl-C end it at once.

Everything stays on 127.0.0.1: `--sandbox` runs the emulator in the server's own process, and the
/validate answers are a small stub served from a thread here.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kinsta_mcp import cli
from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID, DEMO_SEVALLA_KEY

ROOT = Path(__file__).resolve().parents[1]
KEY = "fake-key-31415"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "test", "version": "0"}},
}


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINSTA_", "SEVALLA_"))}
    return env | extra


def run(*args: str, timeout: float = 60, **env: str) -> tuple[int, str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "kinsta_mcp", *args],
        env=clean_env(**env),
        cwd=ROOT,
        check=False,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return result.returncode, result.stdout, result.stderr


def one_clear_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


class Server:
    """`python -m kinsta_mcp ...` serving stdio, driven line by line."""

    def __init__(self, *args: str, **env: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kinsta_mcp", *args],
            env=clean_env(**env),
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._buffers = {"out": b"", "err": b""}

    def send(self, message: dict) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(message) + "\n").encode())
        self.proc.stdin.flush()

    def _read(self, which: str, want: bytes, timeout: float) -> bytes:
        stream = self.proc.stdout if which == "out" else self.proc.stderr
        assert stream is not None
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_READ)
            while want not in self._buffers[which]:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    break
                chunk = os.read(stream.fileno(), 65536)
                if not chunk:
                    break
                self._buffers[which] += chunk
        return self._buffers[which]

    def answer(self, timeout: float = 30) -> dict:
        data = self._read("out", b"\n", timeout)
        line, _, self._buffers["out"] = data.partition(b"\n")
        assert line, f"no answer on stdout; stderr: {self.stderr(0.5)!r}"
        return json.loads(line)

    def stderr(self, timeout: float, until: str = "\x00") -> str:
        return self._read("err", until.encode(), timeout).decode()

    def initialize(self) -> dict:
        self.send(INITIALIZE)
        answer = self.answer()
        assert "result" in answer, answer
        return answer

    def exit_time(self, timeout: float = 10) -> float:
        started = time.monotonic()
        self.proc.wait(timeout)
        return time.monotonic() - started

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(*args: str, **env: str) -> Server:
        server = Server(*args, **env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


class Stub:
    """An API stand-in on 127.0.0.1: `answers[path] = (status, content_type, body)`; a path in `hold`
    is answered only once `release` is set. Records the paths asked for."""

    def __init__(self) -> None:
        self.answers: dict[str, tuple[int, str, bytes]] = {}
        self.hold: set[str] = set()
        self.release = threading.Event()
        self.asked: list[str] = []
        self.arrived = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                stub.asked.append(self.path)
                stub.arrived.set()
                if self.path in stub.hold:
                    stub.release.wait(30)
                status, kind, body = stub.answers.get(self.path, (404, "application/json", b'{"message":"nope"}'))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v2"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    yield server
    server.close()


def json_answer(body: object, status: int = 200) -> tuple[int, str, bytes]:
    return status, "application/json", json.dumps(body).encode()


# ----- options -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, env, names",
    [
        (["--sandbox", "--log-level", "loud"], {}, "--log-level"),
        (["--sandbox"], {"KINSTA_LOG_LEVEL": "chatty"}, "KINSTA_LOG_LEVEL"),
        (["--port", "0"], {}, "--port"),
        (["--port", "eighty"], {}, "--port"),
        (["--transport", "ftp"], {}, "--transport"),
        (["--bogus"], {}, "--bogus"),
        (["call"], {}, "tool"),
        (["--sandbox", "call", "list_sites", "--nope"], {}, "--nope"),
        (["--sandbox", "--timeout", "soon"], {}, "--timeout"),
        (["--sandbox", "--toolsets", "sites,nope"], {}, "nope"),
        (["--sandbox", "--max-wait", "-1"], {}, "--max-wait"),
    ],
)
def test_a_bad_option_is_one_line_and_exit_2(args, env, names):
    code, out, err = run(*args, **env)
    assert code == 2 and out == ""
    line = one_clear_line(err)
    assert line.startswith("kinsta-mcp") and names in line


def test_main_called_with_argv_returns_its_code():
    assert cli.main(["--sandbox", "--log-level", "loud"]) == 2


def test_the_sandbox_identity_repeated_in_the_cli_matches_the_sandbox():
    assert (cli.SANDBOX_COMPANY_ID, cli.SANDBOX_API_KEY, cli.SANDBOX_SEVALLA_KEY) == (
        DEMO_COMPANY_ID,
        DEMO_API_KEY,
        DEMO_SEVALLA_KEY,
    )


# ----- the key and GET /validate -------------------------------------------------------------


def test_missing_key_is_one_line_and_exit_2():
    code, out, err = run()
    assert code == 2 and out == "" and "KINSTA_API_KEY" in one_clear_line(err)


def test_rejected_key_without_company_is_one_line_and_exit_2(stub):
    stub.answers["/v2/validate"] = json_answer({"message": "Unauthenticated."}, 401)
    code, out, err = run(KINSTA_API_KEY=KEY, KINSTA_API_BASE_URL=stub.base_url)
    assert code == 2 and out == ""
    line = one_clear_line(err)
    assert "401" in line and "KINSTA_API_KEY" in line and KEY not in line
    assert stub.asked == ["/v2/validate"]


@pytest.mark.parametrize(
    "answer, says",
    [
        (json_answer({}), "without the key's company"),
        (json_answer({"name": "k", "status": "active"}), "without the key's company"),
        (json_answer([{"company": "c"}]), "a JSON list"),
        (json_answer("company"), "a JSON str"),
        (json_answer(None), "nothing"),
        (json_answer({"company": {"id": "c"}}), "unexpected shape"),
        ((200, "text/html", b"<html>maintenance</html>"), "not JSON"),
        ((200, "application/json", b"{not json"), "not JSON"),
    ],
)
def test_an_unexpected_validate_answer_is_one_line_and_exit_2(stub, answer, says):
    stub.answers["/v2/validate"] = answer
    code, out, err = run(KINSTA_API_KEY=KEY, KINSTA_API_BASE_URL=stub.base_url, KINSTA_RETRY_BUDGET="1")
    assert code == 2 and out == ""
    line = one_clear_line(err)
    assert "GET /validate" in line and says in line and "KINSTA_COMPANY_ID" in line and KEY not in line


def test_a_known_company_serves_without_waiting_for_validate(serve, stub):
    stub.answers["/v2/validate"] = json_answer({"name": "k", "company": DEMO_COMPANY_ID})
    stub.hold.add("/v2/validate")  # /validate does not answer until the end of the test
    server = serve(KINSTA_API_KEY=KEY, KINSTA_COMPANY_ID=DEMO_COMPANY_ID, KINSTA_API_BASE_URL=stub.base_url)
    server.initialize()
    assert not stub.release.is_set()
    # The key is still checked, in the background, with the client the server uses.
    assert stub.arrived.wait(10) and stub.asked == ["/v2/validate"]
    server.proc.stdin.close()  # EOF while that check is still waiting for its answer
    assert server.exit_time() < 2
    assert server.proc.returncode == 0


def test_a_known_company_with_a_rejected_key_warns_once_and_keeps_serving(serve, stub):
    stub.answers["/v2/validate"] = json_answer({"message": "Unauthenticated."}, 401)
    server = serve(KINSTA_API_KEY=KEY, KINSTA_COMPANY_ID=DEMO_COMPANY_ID, KINSTA_API_BASE_URL=stub.base_url)
    server.initialize()
    err = server.stderr(10, until="\n")
    line = one_clear_line(err)
    assert "401" in line and "Every tool will fail" in line and KEY not in line
    server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    server.send({"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
    assert server.answer()["result"]["tools"]
    server.proc.stdin.close()
    server.exit_time()
    assert server.proc.returncode == 0


def test_an_unknown_company_is_learnt_with_one_validate(serve, stub):
    stub.answers["/v2/validate"] = json_answer({"name": "ops key", "company": DEMO_COMPANY_ID})
    server = serve(KINSTA_API_KEY=KEY, KINSTA_API_BASE_URL=stub.base_url)
    server.initialize()
    assert DEMO_COMPANY_ID in server.stderr(5, until=DEMO_COMPANY_ID)
    server.proc.stdin.close()
    server.exit_time()
    assert server.proc.returncode == 0 and stub.asked == ["/v2/validate"]  # the lifespan did not ask again


# ----- stopping ----------------------------------------------------------------------------


def test_stdin_eof_ends_the_server_at_once(serve):
    server = serve("--sandbox")
    server.initialize()
    server.proc.stdin.close()
    waited = server.exit_time()
    assert server.proc.returncode == 0
    assert waited < 0.2  # goal 50 ms (bench/startup.py); a normal interpreter exit took 0.25-0.4 s


def test_ctrl_c_stops_the_stdio_server_at_once(serve):
    server = serve("--sandbox")
    server.initialize()  # serving: a worker thread is blocked reading stdin
    server.proc.send_signal(signal.SIGINT)
    assert server.exit_time(timeout=5) < 2
    assert server.proc.returncode == 130
    assert "Traceback" not in server.stderr(0.5)


def test_ctrl_c_during_a_tool_call_stops_it_too(serve):
    server = serve("--sandbox")
    server.initialize()
    server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
    server.send(
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "restart_php", "arguments": {"site": "client-bakery"}},
        }
    )
    time.sleep(0.5)  # the sandbox's operation takes about two seconds
    server.proc.send_signal(signal.SIGINT)
    assert server.exit_time(timeout=5) < 2
    assert server.proc.returncode == 130
