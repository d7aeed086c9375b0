"""``python -m benchmarks.startup_probe startup|rss``: one fresh interpreter's start-up figures.

Run by ``bench_free_text``, each time in a new process so that nothing is loaded beforehand.
Prints one JSON line: per step, its wall-clock time (``ms``), the resident memory it added
(``mb``) and the process's resident memory after it (``rss``), in MB.

- ``startup``: load the bundled base alone (nothing of the language toolchain is imported by
  then), import simplemma and stopwordsiso, import the understanding modules, build the
  vocabulary on first use, rebuild it with simplemma's dictionaries already in memory, then
  the first free-text turn.
- ``rss``: import the serving stack (what ``aiguillage serve`` holds), load the base, build the
  vocabulary, run 1,000 free-text turns with distinct sentences.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections.abc import Callable
from typing import Any

import psutil

PROCESS = psutil.Process()
FIRST_TURN = (
    "Bonjour, je veux créer une épicerie solidaire en association à Colomiers "
    "et je cherche un financement"
)
SERVING_STACK = ("bot.app", "bot.adapters.telegram.application", "bot.cli")


def _rss_mb() -> float:
    return float(PROCESS.memory_info().rss) / 2**20


def _step(figures: dict[str, dict[str, float]], name: str, work: Callable[[], Any]) -> Any:
    before = _rss_mb()
    start = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - start
    after = _rss_mb()
    figures[name] = {"ms": elapsed * 1000, "mb": after - before, "rss": after}
    return result


def _load() -> Any:
    from bot.config import REPO_KNOWLEDGE
    from bot.core.loader import load_knowledge

    return load_knowledge(REPO_KNOWLEDGE)


def startup() -> dict[str, dict[str, float]]:
    """The start-up steps, in the order the running bot meets them."""
    figures: dict[str, dict[str, float]] = {}
    kb = _step(figures, "kb_load", _load)
    loaded = sorted({"simplemma", "stopwordsiso", "bot.core.language"} & set(sys.modules))
    if loaded:
        raise RuntimeError(f"loading the base alone already imported {', '.join(loaded)}")
    _step(
        figures,
        "import_toolchain",
        lambda: [importlib.import_module(m) for m in ("simplemma", "stopwordsiso")],
    )
    _step(figures, "import_modules", lambda: importlib.import_module("bot.core.matching"))
    from bot.core import language, vocabulary
    from bot.core.matching import Profile, recommend
    from bot.core.understanding import understand

    _step(figures, "vocabulary", lambda: vocabulary.vocabulary(kb))

    def rebuild() -> object:
        vocabulary._CACHE.clear()
        language._lemma.cache_clear()
        language.stop_lemmas.cache_clear()
        return vocabulary.vocabulary(kb)

    _step(figures, "vocabulary_rebuild", rebuild)

    def first_turn() -> object:
        understand(FIRST_TURN, kb, "fr")
        return recommend(kb, Profile(text=FIRST_TURN), 12)

    _step(figures, "first_turn", first_turn)
    return figures


def rss(turns: int = 1_000) -> dict[str, dict[str, float]]:
    """Resident memory of a serving process after the base, the vocabulary and ``turns``."""
    figures: dict[str, dict[str, float]] = {}
    _step(figures, "import_serving", lambda: [importlib.import_module(m) for m in SERVING_STACK])
    from benchmarks.bench_free_text import free_text_turn, sentences
    from bot.core.vocabulary import vocabulary

    kb = _step(figures, "kb_load", _load)
    _step(figures, "vocabulary", lambda: vocabulary(kb))
    texts = sentences(kb, turns)

    def converse() -> None:
        for text, lang in texts:
            free_text_turn(kb, text, lang)

    _step(figures, "after_turns", converse)
    return figures


def main(argv: list[str]) -> int:
    """Print the figures of the mode in ``argv`` as one JSON line."""
    modes = {"startup": startup, "rss": rss}
    if len(argv) != 1 or argv[0] not in modes:
        print(f"usage: python -m benchmarks.startup_probe {'|'.join(modes)}", file=sys.stderr)
        return 2
    print(json.dumps(modes[argv[0]]()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
