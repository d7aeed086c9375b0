"""The real ``aiguillage`` command in its own process, as an administrator would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
SETTINGS = ("AIGUILLAGE_", "TELEGRAM_")
"""The prefixes of the environment variables a test's command never inherits."""
LOCALE = ("LC_", "LANG")
"""The locale variables, left out too where the language under test must be the default."""


def aiguillage(
    *args: str,
    env: dict[str, str] | None = None,
    stdin: str = "",
    without: tuple[str, ...] = SETTINGS,
) -> subprocess.CompletedProcess[str]:
    """``aiguillage ARGS``: the environment without ``without`` variables, plus ``env``; 60 s
    at most."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(without)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=base | (env or {}),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        check=False,
    )
