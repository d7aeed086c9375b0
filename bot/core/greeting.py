"""A message that only greets (« Bonjour », « salut ! », « hello ») and says nothing else."""

from __future__ import annotations

from bot.core.text import words

GREETING_WORDS = frozenset(
    "bonjour bonsoir salut coucou bjr slt cc hello hi hey hola yo "
    "good morning evening afternoon madame monsieur mesdames messieurs a tous toutes".split()
)
"""Folded words of a greeting, with the forms of address that go with one."""


def only_greets(text: str) -> bool:
    """Whether every word of ``text`` belongs to a greeting (at least one word)."""
    said = words(text)
    return bool(said) and all(word in GREETING_WORDS for word in said)
