"""A message that only says « yes » or « no » (« oui », « ok », « non merci », « nope »), thanks
aside (« ok merci »)."""

from __future__ import annotations

from bot.core.greeting import only_thanks
from bot.core.text import fold

YES_PHRASES = frozenset(
    {
        # French, folded
        "oui",
        "ouais",
        "ok",
        "okay",
        "d accord",
        "dac",
        "oui merci",
        "oui bien sur",
        "bien sur",
        "pas de souci",
        "pas de probleme",
        "oui vous pouvez",
        # English
        "yes",
        "yeah",
        "yep",
        "sure",
        "of course",
        "yes please",
        "yes you can",
    }
)
"""Folded messages that mean « yes » and nothing else."""

NO_PHRASES = frozenset(
    {
        # French, folded
        "non",
        "non merci",
        "nan",
        "pas question",
        "surtout pas",
        "je prefere pas",
        "je prefere que non",
        # English
        "no",
        "no thanks",
        "no thank you",
        "nope",
        "rather not",
        "i d rather not",
    }
)
"""Folded messages that mean « no » and nothing else."""


def says_yes_or_no(text: str) -> bool | None:
    """True for a typed « yes », False for a « no », None for anything else; thanks before or
    after the answer change nothing (« ok merci », « merci, oui », « yes thanks »)."""
    said = fold(text).split()
    answers = [" ".join(said)]
    for cut in range(1, len(said)):
        head, tail = " ".join(said[:cut]), " ".join(said[cut:])
        answers += [head] if only_thanks(tail) else []
        answers += [tail] if only_thanks(head) else []
    for answer in answers:
        if answer in YES_PHRASES:
            return True
        if answer in NO_PHRASES:
            return False
    return None
