"""A message that only greets (« Bonjour », « salut ! », « hello », « test »), thanks
(« merci ! »), or makes small talk (« Félicitations pour le bot ! », « just testing »)."""

from __future__ import annotations

from collections.abc import Set

from bot.core.language import Token
from bot.core.text import words

GREETINGS_BY_LANGUAGE = {
    "fr": frozenset("bonjour bonsoir salut coucou bjr slt cc".split()),
    "en": frozenset("hello hi hey good morning evening afternoon".split()),
}
"""Folded greeting words that belong to one language."""

GREETING_WORDS = frozenset(
    "hola yo madame monsieur mesdames messieurs a tous toutes".split()
).union(*GREETINGS_BY_LANGUAGE.values())
"""Folded words of a greeting, with the forms of address that go with one."""

TRIAL_WORDS = frozenset("test tests testing essai essais allo 1 2 3".split())
"""Folded words people send to try the line (« test », « allô ? », « test 1 2 3 »): a greeting;
beside one of them any number tries the line too (« test 123 », « essai 42 »)."""


def only_greets(text: str) -> bool:
    """Whether every word of ``text`` belongs to a greeting or tries the line (at least one
    word)."""
    return _greets(words(text))


def _greets(said: list[str]) -> bool:
    trying = not TRIAL_WORDS.isdisjoint(said)
    return bool(said) and all(
        word in GREETING_WORDS or word in TRIAL_WORDS or (trying and word.isdigit())
        for word in said
    )


def greeting_language(text: str) -> str | None:
    """The language of a message that only greets, when its greeting words are of one
    language (« hello » → ``en``, « bonjour madame » → ``fr``; « hola », « test »: None)."""
    said = words(text)
    if not _greets(said):
        return None
    found = [lang for lang, greetings in GREETINGS_BY_LANGUAGE.items() if greetings & set(said)]
    return found[0] if len(found) == 1 else None


THANKS_WORDS = frozenset(
    "merci beaucoup bcp mille fois infiniment encore super top genial parfait nickel bien cool ok "
    "pour tout votre vos l les ces info infos informations renseignements aide reponse "
    "thanks thank you thx ty so much very a lot great perfect awesome for your the help "
    "info".split()
)
"""Folded words of thanks, with those that go with them (« super, merci beaucoup »)."""

THANKS_CORE = frozenset({"merci", "thanks", "thank", "thx", "ty"})
"""The words without which a message of those words does not thank."""


def only_thanks(text: str) -> bool:
    """Whether ``text`` only thanks: words of thanks, one of them a thanks itself."""
    said = words(text)
    return bool(THANKS_CORE.intersection(said)) and all(word in THANKS_WORDS for word in said)


def small_talk(said: list[Token], courtesy: Set[str], stop: Set[str]) -> bool:
    """Whether the words only pay a compliment, speak of the bot or try it: each one a
    ``courtesy`` word (by form or lemma), a greeting, a thanks or a ``stop`` lemma, one of them
    a courtesy, not a greeting or thanks alone (those have their own answers); or thanks whose
    other words are words of thanks by their lemma (« thanks, that helped a lot »)."""
    surfaces = [t.surface for t in said]
    if _greets(surfaces) or all(word in THANKS_WORDS for word in surfaces):
        return False
    polite = GREETING_WORDS | TRIAL_WORDS | THANKS_WORDS
    kept = [t for t in said if t.surface not in polite and t.lemma not in stop]
    if not THANKS_CORE.isdisjoint(surfaces) and all(t.lemma in THANKS_WORDS for t in kept):
        return True  # « thanks, that helped a lot »: thanks told in words of thanks
    return any(t.surface in courtesy or t.lemma in courtesy for t in said) and all(
        t.surface in courtesy or t.lemma in courtesy or t.surface.isdigit() for t in kept
    )
