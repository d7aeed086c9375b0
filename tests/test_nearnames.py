"""The misspelt-name index finds exactly the names a word is one letter off, by look-ups."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from bot.core.reading.nearnames import NAME_MIN, near_names, one_letter_off

LETTERS = st.text(alphabet="abcdeo", min_size=3, max_size=8)


@settings(max_examples=300, deadline=None)
@given(names=st.lists(LETTERS, max_size=30, unique=True), word=LETTERS)
def test_the_index_finds_what_scanning_every_name_finds(names: list[str], word: str) -> None:
    scanned = {n for n in names if len(n) >= NAME_MIN and OSA.distance(word, n) == 1}
    assert set(one_letter_off(word, near_names(names))) == scanned


def test_each_kind_of_slip_is_found() -> None:
    index = near_names(["finansol", "periscope", "dla"])
    for word in ("finnansol", "finanol", "finamsol", "fniansol"):  # added, dropped, changed…
        assert one_letter_off(word, index) == ("finansol",)
    assert one_letter_off("finansol", index) == ()  # the name itself is no slip
    assert one_letter_off("dl", index) == ()  # too short a name to be guessed
