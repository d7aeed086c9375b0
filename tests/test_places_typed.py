"""Communes typed as people type them: a one-word name typed in two words."""

from __future__ import annotations

import pytest
from support.bundled import KB, place


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("castel ginest projet de jardin partagé", ("31116", None)),  # Castelginest
        ("on est à tourne feuille et on veut une scop", ("31557", None)),  # Tournefeuille
        ("la tourne feuille de mon livre est déchirée", (None, None)),  # ordinary words
    ],
)
def test_a_one_word_name_typed_in_two(text: str, expected: tuple[str | None, str | None]) -> None:
    assert place(text) == expected


def test_a_split_name_keeps_four_letters_each_side() -> None:
    territory = KB.territory
    assert [c.insee for c in territory.by_name("castel ginest")] == ["31116"]
    assert territory.by_name("c astelginest") == []  # one letter is no part of a name
