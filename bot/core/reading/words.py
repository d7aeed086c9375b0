"""The word sets more than one reading rule uses, and what the terms found are kept as."""

from __future__ import annotations

DETERMINERS = (
    frozenset({"le", "la", "l", "les", "un", "une", "1", "des", "de", "du", "d", "notre", "nos",
               "leur", "leurs", "mon", "ma", "mes", "son", "sa", "ses"}),  # « 1 local »: SMS
    frozenset({"the", "a", "an", "our", "their", "my"}),
)  # fmt: skip
DETERMINER_GROUP = {word: n for n, group in enumerate(DETERMINERS) for word in group}
ANY_BUSINESS = frozenset(
    {"business", "company", "boite", "societe", "entreprise", "startup", "firm"}
)
BECOMING = frozenset({"en", "into", "to"})
PLAN_WORDS = frozenset({"creer", "lancer", "tester"})  # thesaurus heads: « monter », « try »…
FIRST_PERSON = frozenset(
    "je j jsuis jveux jvx jvoudrais moi me m mon ma mes on nous notre nos i im my we us our".split()
)  # the writer's own voice, or their group's
OTHERS_POSSESSIVES = frozenset(
    {"son", "sa", "ses", "leur", "leurs", "his", "her", "its", "their"}
)  # someone else's: « ses coopératives adhérentes », « their co-op »
Found = dict[str, dict[str, tuple[str, int]]]  # kind → term → (the words, their position)
