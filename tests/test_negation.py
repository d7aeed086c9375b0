"""The negation scope's module: marks tokens on its own, below the language toolchain.

The scope's behaviour on messages is tested through ``tokens`` in ``tests/test_language.py``."""

from __future__ import annotations

import subprocess
import sys

from bot.core.language import Token
from bot.core.negation import mark_negations


def test_the_negation_module_loads_without_the_language_toolchain() -> None:
    code = "import sys, bot.core.negation; print('bot.core.language' in sys.modules)"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "False"


def test_marks_a_refused_wish_on_tokens_made_by_hand() -> None:
    words = [Token(s, s, s, False, 0) for s in ("je", "ne", "veux", "pas", "de", "pret")]
    marked = mark_negations(words)
    assert [t.surface for t in marked if t.negated] == ["de", "pret"]
    assert [t.surface for t in marked if t.denied] == ["ne", "veux", "de", "pret"]
