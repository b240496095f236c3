"""Every command line the README gives an MCP client is a form scripts/install_forms.py knows, and each
form is exercised: the venv one here (a real client starts it from another directory and completes a
handshake), the uv ones in .ci/run (they need uv and the package index, and take seconds each)."""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.anyio
ROOT = Path(__file__).resolve().parents[1]


def load_forms() -> ModuleType:
    spec = importlib.util.spec_from_file_location("install_forms", ROOT / "scripts" / "install_forms.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


forms = load_forms()


def readme_commands(readme: str) -> list[list[str]]:
    """The command lines in the README's client configurations: `"command"` + `"args"` in JSON blocks,
    and what follows `--` in `claude mcp add` lines."""
    found = []
    for block in re.findall(r"```json\n(.*?)```", readme, re.S):
        if '"command"' not in block:
            continue
        config = json.loads(block)
        for servers in (config.get("mcpServers", {}), config.get("servers", {})):
            found += [[s["command"], *s.get("args", [])] for s in servers.values() if "command" in s]
    for line in re.findall(r"^claude mcp add .*$", readme, re.M):
        words = shlex.split(line)
        found.append(words[words.index("--") + 1 :])
    return found


def without_options(argv: list[str]) -> list[str]:
    """A client line may add server options (`--read-only`, `--toolsets x`) after the form's words."""
    return next((argv[: len(f)] for f in forms.FORMS.values() if argv[: len(f)] == f), argv)


def test_every_readme_command_is_a_known_form():
    commands = readme_commands((ROOT / "README.md").read_text())
    assert commands, "no client configuration found in the README"
    known = list(forms.FORMS.values())
    for argv in commands:
        assert without_options(argv) in known, f"README runs {argv}: add it to scripts/install_forms.py FORMS"
    used = {name for name, form in forms.FORMS.items() if form in map(without_options, commands)}
    assert {"venv", "uvx-checkout"} <= used, "the README must say how to run from a checkout before a release"


def test_ci_runs_every_form_pytest_does_not():
    ci = (ROOT / ".ci" / "run").read_text()
    line = next(x for x in ci.splitlines() if "scripts/install_forms.py" in x and not x.lstrip().startswith("#"))
    assert set(forms.UV_FORMS) <= set(line.split()) and set(forms.FORMS) == {"venv", *forms.UV_FORMS}
    assert "scripts/build_mcpb.py --pack --try" in ci


async def test_venv_form_serves_mcp_from_anywhere():
    (program,) = forms.command("venv")
    if not Path(program).exists():  # tests run from another environment: its own program is the same form
        program = str(Path(sys.executable).with_name("kinsta-mcp"))
    summary = await forms.handshake([program], timeout=60)
    assert "server kinsta" in summary


async def test_a_broken_form_fails_the_handshake():
    with pytest.raises(Exception):  # noqa: B017 (the SDK's error comes wrapped in task-group exception groups)
        await forms.handshake([sys.executable, "-c", "import sys; sys.exit(3)"], timeout=30)


@pytest.mark.parametrize("script", sorted(p.name for p in (ROOT / "bench").glob("*.py")))
def test_every_bench_script_runs_from_the_readme_venv(script):
    """The README runs bench scripts with the venv's python: each must start there (its --help) with only the
    runtime and test dependencies installed."""
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip()
