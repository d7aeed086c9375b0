"""A message that only says « I don't know » (« je sais pas », « jsp », « not sure »)."""

from __future__ import annotations

from bot.core.text import fold

UNSURE_PHRASES = frozenset(
    {
        # French, folded: « je ne sais pas », its spoken and SMS forms
        "je ne sais pas",
        "je sais pas",
        "sais pas",
        "jsais pas",
        "jsp",
        "nsp",
        "je ne sais pas trop",
        "je sais pas trop",
        "je ne sais pas encore",
        "je sais pas encore",
        "aucune idee",
        "j en sais rien",
        "je n en sais rien",
        "pas sur",
        "pas sure",
        "je ne suis pas sur",
        "je ne suis pas sure",
        "pas encore decide",
        # English
        "i don t know",
        "i dont know",
        "don t know",
        "dont know",
        "i don t know yet",
        "i dont know yet",
        "idk",
        "dunno",
        "no idea",
        "not sure",
        "i m not sure",
        "im not sure",
        "not sure yet",
    }
)
"""Folded messages that mean « I don't know » and nothing else."""


def says_unsure(text: str) -> bool:
    """Whether ``text`` (punctuation and case aside) only says « I don't know »."""
    return fold(text) in UNSURE_PHRASES
