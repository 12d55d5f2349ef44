"""The code's own checks, run by the test command: lint, format, types, layering."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The domain packages strictly (disallow_untyped_defs, see pyproject); the rest as written.
TYPED = ["console/identity", "console/queue", "console/booking", "console/stats",
         "console/protocol", "console/settings.py", "console/clock.py", "console/store",
         "console/hub", "console/calls", "console/client", "console/views"]  # fmt: skip


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    exe = BIN / cmd[0]
    if not exe.exists():
        exe = Path(shutil.which(cmd[0]) or cmd[0])
    return subprocess.run([str(exe), *cmd[1:]], cwd=ROOT, capture_output=True, text=True,
                          check=False)  # fmt: skip


@pytest.mark.parametrize(
    "cmd",
    [
        ("ruff", "check", "."),
        ("ruff", "format", "--check", "."),
        ("lint-imports",),
        ("mypy", *TYPED),
    ],
    ids=["ruff", "ruff-format", "import-linter", "mypy"],
)
def test_tool_is_clean(cmd: tuple[str, ...]) -> None:
    result = run(*cmd)
    assert result.returncode == 0, result.stdout + result.stderr
