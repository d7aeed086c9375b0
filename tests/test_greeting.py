"""A message that only greets is marked so by the understanding; in a request it is words."""

from __future__ import annotations

import pytest
from support.bundled import KB

from bot.core.greeting import greeting_language
from bot.core.understanding import understand


@pytest.mark.parametrize("text", ["Bonjour !", "salut", "bonsoir à tous", "Hello", "good morning"])
def test_a_greeting_alone_is_marked_and_says_nothing_of_a_project(text: str) -> None:
    found = understand(text, KB)
    assert found.greeting and found.empty


@pytest.mark.parametrize("text", ["bonjour, je veux créer une SCOP", "lol", "merci beaucoup"])
def test_anything_else_is_no_greeting(text: str) -> None:
    assert not understand(text, KB).greeting


@pytest.mark.parametrize("text", ["test", "Test 1 2 3", "allô ?", "essai"])
def test_trying_the_line_is_a_greeting_and_gets_nothing(text: str) -> None:
    found = understand(text, KB)
    assert found.greeting and not found.about_project


@pytest.mark.parametrize(
    ("text", "lang"),
    [("hello", "en"), ("Hi!", "en"), ("bonjour madame", "fr"), ("slt", "fr"),
     ("hola", None), ("test", None), ("hello bonjour", None), ("hello, I want a loan", None)],
)  # fmt: skip
def test_a_greeting_alone_has_the_language_of_its_words(text: str, lang: str | None) -> None:
    assert greeting_language(text) == lang
