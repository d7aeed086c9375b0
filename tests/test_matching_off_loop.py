"""On a large base a dialogue turn (and its matching) runs in a worker thread, not on the
event loop; on the bundled base it stays on the loop (no thread hop per update)."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from support.bundled import KB

from bot.core.catalogue import Catalogue
from bot.core.dialogue.engine import Dialogue
from bot.core.dialogue.events import Event, Start, Text
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.turn import Turn
from bot.service import OFF_LOOP_FROM, OrientationService, Who
from bot.storage import Storage


class _Watched(Dialogue):
    """The real dialogue, noting the thread each turn ran in."""

    threads: list[threading.Thread]

    def handle(
        self, state: DialogueState | None, event: Event, now: datetime, lang_hint: str = "fr"
    ) -> Turn:
        self.threads.append(threading.current_thread())
        return super().handle(state, event, now, lang_hint)


def _large() -> Dialogue:
    copies = [
        replace(KB.actors[n % len(KB.actors)], id=f"zz-{n:05d}")
        for n in range(OFF_LOOP_FROM - len(KB.actors))
    ]
    return _Watched(replace(KB, actors=(*KB.actors, *copies)), Catalogue.load())


async def _turns(dialogue: _Watched, path: Path) -> list[str]:
    dialogue.threads = []
    storage = await Storage.open(path)
    try:
        service = OrientationService(dialogue, storage, b"k" * 32, 365)
        who = Who(user_id=7, language_code="fr")
        await service.handle(who, Start())
        replies = await service.handle(who, Text("une recyclerie en association à Muret"))
    finally:
        await storage.close()
    assert replies
    return [thread.name for thread in dialogue.threads]


async def test_a_large_base_runs_turns_off_the_event_loop(tmp_path: Path) -> None:
    names = await _turns(_large(), tmp_path / "large.sqlite3")
    assert len(names) == 2
    assert threading.main_thread().name not in names


async def test_the_bundled_base_runs_turns_on_the_event_loop(tmp_path: Path) -> None:
    names = await _turns(_Watched(KB, Catalogue.load()), tmp_path / "small.sqlite3")
    assert names == [threading.main_thread().name] * 2
