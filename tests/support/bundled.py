"""The bundled knowledge base, loaded once for every test that reads it, and what it answers."""

from __future__ import annotations

import itertools

from bot.config import REPO_KNOWLEDGE
from bot.core.catalogue import Catalogue
from bot.core.dialogue.engine import Dialogue
from bot.core.loader import load_knowledge
from bot.core.matching import Profile, recommend
from bot.core.understanding import understand

KB = load_knowledge(REPO_KNOWLEDGE)


def recommended(text: str) -> list[str]:
    """The ids of the (at most three) actors recommended for ``text`` said alone."""
    return [r.actor.id for r in recommend(KB, Profile(text=text), 3).recommendations]


def place(text: str) -> tuple[str | None, str | None]:
    """(INSEE code of the commune here, department of the place elsewhere) the text names."""
    found = understand(text, KB)
    return (
        found.commune.insee if found.commune else None,
        found.outside_area.department if found.outside_area else None,
    )


def assert_no_request(text: str, genre: str) -> None:
    """``text`` is read as a message of ``genre``, about no project, and gets nothing."""
    found = understand(text, KB)
    assert found.genre == genre and not found.about_project, (text, found.genre)
    assert recommended(text) == [], text


def numbered_dialogue() -> Dialogue:
    """A dialogue on the bundled base whose conversations are ``c1``, ``c2``…"""
    counter = itertools.count(1)
    return Dialogue(KB, Catalogue.load(), new_id=lambda: f"c{next(counter)}")
