"""Start-up and shut-down cost as a desktop client sees it, beside the MCP SDK's own floor.

    .venv/bin/python bench/startup.py [runs] [--validate] [--own] [--compare OTHER_CHECKOUT] [--check]

For each configuration it spawns `python -m kinsta_mcp ...` with pipes, writes the JSON-RPC
`initialize` request at once (as clients do) and times:

- spawn → initialize answered, and spawn → first `tools/list` answered;
- stdin closed (EOF) → process exited, which is what a client waits for when it quits;
- the child's peak RSS and CPU time (from wait4, per child; CPU time is steadier than wall time on
  a busy machine).

The floor is the SDK alone in the same venv: spawns of
`python -c "from mcp.server.mcpserver import MCPServer"`, timed to exit (what the issue quotes) and to
"import done" (a marker line printed after the import, so interpreter teardown is left out).

Configurations: `--sandbox` (in-process emulator), and a fake key with KINSTA_COMPANY_ID set against a
sandbox served here on 127.0.0.1 (the real-account path: no /validate needed before serving; the key
is only used by the background key check, which gets a 401 and warns on stderr: initialize and
tools/list do not call the API). With `--validate`, also the demo key with KINSTA_COMPANY_ID, and
*without* it, where the /validate pre-flight is on the critical path by design.

`--compare DIR` runs every configuration from another checkout too, interleaved (e.g. after
`git archive HEAD | tar -x -C /tmp/before`), for before/after figures on a noisy machine. `--own`
adds, per configuration, spawns that import the SDK first and time "SDK imported" → "initialize
answered": our own start-up work without the SDK import's noise. `--check` exits 1 when a goal is
missed.
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR_IMPORT = "from mcp.server.mcpserver import MCPServer"
GOAL_STARTUP = 0.15  # within 15 % of the floor
GOAL_EOF_MS = 50

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "0"}},
}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
LIST_TOOLS = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}


def _line(message: dict) -> bytes:
    return (json.dumps(message) + "\n").encode()


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KINSTA_", "SEVALLA_"))}
    env["PYTHONUNBUFFERED"] = "1"
    return env | extra


def _wait(proc: subprocess.Popen, timeout: float = 10.0) -> tuple[float, float, float]:
    """Reap the child; (seconds waited, peak RSS in MB, CPU seconds it used)."""
    started = time.perf_counter()
    deadline = started + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
            return time.perf_counter() - started, usage.ru_maxrss / 1024, cpu  # ru_maxrss: KB on Linux
        if time.perf_counter() > deadline:
            proc.kill()
            raise RuntimeError(f"pid {proc.pid} did not exit within {timeout} s")
        time.sleep(0.0005)


@dataclass
class Runs:
    ready: list[float] = field(default_factory=list)
    listed: list[float] = field(default_factory=list)
    eof_exit: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    own: list[float] = field(default_factory=list)


def floor_once(floor: Runs) -> None:
    """One spawn of the SDK import alone: spawn → import done (`ready`), spawn → exit (`listed`)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", f"{FLOOR_IMPORT}; print('ok', flush=True)"], stdout=subprocess.PIPE, env=_clean_env()
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    floor.ready.append(time.perf_counter() - started)
    _, peak, cpu = _wait(proc)
    floor.listed.append(time.perf_counter() - started)
    floor.rss.append(peak)
    floor.cpu.append(cpu)


# `--own`: the SDK is imported first and the moment it is done is written to stderr, then the server
# runs as `python -m kinsta_mcp` would; initialize answered minus that moment is our own start-up work,
# without the SDK import's noise (time.monotonic is the same clock in every process on Linux).
OWN_WRAPPER = (
    f"import sys, time, runpy; {FLOOR_IMPORT}; sys.stderr.write(f'@sdk {{time.monotonic()}}\\n'); "
    "sys.stderr.flush(); sys.argv = ['kinsta-mcp', *sys.argv[1:]]; "
    "runpy.run_module('kinsta_mcp', run_name='__main__', alter_sys=True)"
)


def serve_once(args: list[str], env: dict[str, str], runs: Runs, cwd: Path = ROOT, own: bool = False) -> None:
    command = [sys.executable, "-c", OWN_WRAPPER, *args] if own else [sys.executable, "-m", "kinsta_mcp", *args]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, env=env, cwd=cwd)
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(_line(INITIALIZE))
            proc.stdin.flush()
            answer = proc.stdout.readline()
            ready = time.perf_counter() - started
            answered = time.monotonic()
            if b'"result"' not in answer:
                raise RuntimeError(f"initialize failed: {answer[:200]!r}")
            proc.stdin.write(_line(INITIALIZED) + _line(LIST_TOOLS))
            proc.stdin.flush()
            answer = proc.stdout.readline()
            listed = time.perf_counter() - started
            if b'"tools"' not in answer:
                raise RuntimeError(f"tools/list failed: {answer[:200]!r}")
            proc.stdin.close()
            waited, peak, cpu = _wait(proc)
        except Exception:
            proc.kill()
            proc.wait()
            errors.seek(0)
            sys.stderr.write(errors.read().decode(errors="replace"))
            raise
        if own:
            errors.seek(0)
            marker = next(line for line in errors.read().decode().splitlines() if line.startswith("@sdk "))
            runs.own.append(answered - float(marker.split()[1]))
            return
    runs.ready.append(ready)
    runs.listed.append(listed)
    runs.eof_exit.append(waited)
    runs.rss.append(peak)
    runs.cpu.append(cpu)


class LocalSandbox:
    """The sandbox on real HTTP at 127.0.0.1, served from a thread of this process."""

    def __enter__(self) -> str:
        import uvicorn

        from kinsta_mcp.sandbox import SandboxState, create_app

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        config = uvicorn.Config(
            create_app(SandboxState()), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return f"http://127.0.0.1:{port}/v2"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(5)


def _ms(values: list[float]) -> str:
    median, low, high = (1000 * f(values) for f in (statistics.median, min, max))
    return f"median {median:6.0f} ms (min {low:.0f}, max {high:.0f})"


def main(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        print((__doc__ or "").strip())
        return 0
    with_validate = "--validate" in argv
    with_own = "--own" in argv
    compare = Path(argv[argv.index("--compare") + 1]).resolve() if "--compare" in argv else None
    numbers = [a for i, a in enumerate(argv) if a.isdigit() and (i == 0 or argv[i - 1] != "--compare")]
    runs = int(numbers[0]) if numbers else 7

    from kinsta_mcp.sandbox import DEMO_API_KEY, DEMO_COMPANY_ID

    floor = Runs()
    with LocalSandbox() as base_url:
        configs = {
            "--sandbox": (["--sandbox"], _clean_env()),
            "fake key + KINSTA_COMPANY_ID, local sandbox": (
                [],
                _clean_env(
                    KINSTA_API_KEY="fake-key-for-bench", KINSTA_COMPANY_ID=DEMO_COMPANY_ID, KINSTA_API_BASE_URL=base_url
                ),
            ),
        }
        if with_validate:
            configs["demo key + KINSTA_COMPANY_ID, local sandbox"] = (
                [],
                _clean_env(
                    KINSTA_API_KEY=DEMO_API_KEY, KINSTA_COMPANY_ID=DEMO_COMPANY_ID, KINSTA_API_BASE_URL=base_url
                ),
            )
            configs["demo key, no KINSTA_COMPANY_ID (/validate first)"] = (
                [],
                _clean_env(KINSTA_API_KEY=DEMO_API_KEY, KINSTA_API_BASE_URL=base_url),
            )
        where = {name: ROOT for name in configs}
        if compare is not None:  # the same configurations served from another checkout (say, the last commit)
            for name in list(configs):
                configs[f"{name} [{compare}]"] = configs[name]
                where[f"{name} [{compare}]"] = compare
        results = {name: Runs() for name in configs}
        broken: dict[str, str] = {}
        # Rounds of the floor and every configuration in a shuffled order, so a noisy machine (other
        # processes, CPU frequency) weighs on all of them alike.
        shuffle = random.Random(1)
        for _ in range(runs):
            order = ["floor", *configs]
            shuffle.shuffle(order)
            for name in order:
                if name == "floor":
                    floor_once(floor)
                    continue
                args, env = configs[name]
                if name in broken:
                    continue
                try:
                    serve_once(args, env, results[name], where[name])
                    if with_own:
                        serve_once(args, env, results[name], where[name], own=True)
                except RuntimeError as problem:
                    broken[name] = str(problem)

    base_exit = statistics.median(floor.listed)
    base_import = statistics.median(floor.ready)
    print(f"python {sys.version.split()[0]}, {runs} runs each (interleaved), {os.cpu_count()} CPUs")
    print(f'SDK floor `python -c "{FLOOR_IMPORT}"`:')
    print(f"  spawn → exit           {_ms(floor.listed)}")
    print(f"  spawn → import done    {_ms(floor.ready)}")
    print(f"  CPU time (user+sys)    {_ms(floor.cpu)}")
    print(f"  peak RSS               {statistics.median(floor.rss):.0f} MB")
    failed = bool(broken)
    for name, result in results.items():
        if name in broken:
            print(f"kinsta-mcp {name}: FAILED: {broken[name]}")
            continue
        ready = statistics.median(result.ready)
        over = ready / base_exit - 1
        eof = 1000 * statistics.median(result.eof_exit)
        print(f"kinsta-mcp {name}:")
        print(f"  spawn → initialized    {_ms(result.ready)}")
        print(
            f"      vs floor to exit {over:+.0%} (goal ≤ {GOAL_STARTUP:+.0%}); vs floor to import done "
            f"{ready / base_import - 1:+.0%}, i.e. {1000 * (ready - base_import):.0f} ms of our own"
        )
        if result.own:
            print(f"  SDK imported → initialized (--own)  {_ms(result.own)}")
        print(f"  spawn → tools listed   {_ms(result.listed)}")
        print(f"  stdin EOF → exit       {_ms(result.eof_exit)}  (goal ≤ {GOAL_EOF_MS} ms)")
        print(f"  CPU time (user+sys)    {_ms(result.cpu)}  (spawn to exit, tools/list included)")
        print(f"  peak RSS               {statistics.median(result.rss):.0f} MB")
        failed |= over > GOAL_STARTUP or eof > GOAL_EOF_MS
    return 1 if failed and "--check" in argv else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
