"""The words that say where a place is named in a sentence, and how the words of a name
are read (a phrase, the bounds of a clause, a name filling its clause)."""

from __future__ import annotations

from bot.core.language import Token
from bot.core.territory import ABBREVIATIONS
from bot.core.text import fold

MARKERS = frozenset(
    {
        "a",
        "au",
        "sur",
        "dans",
        "vers",
        "pres",
        "habite",
        "habitons",
        "habitent",
        "vis",
        "base",
        "basee",
        "bases",
        "basees",
        "installe",
        "installee",
        "installes",
        "in",
        "near",
        "at",
        "from",
        "around",
        "live",
        "based",
        "cp",
        "ds",  # SMS « dans »
        "jhabite",  # SMS « j'habite »
    }
)
FILLERS = frozenset(  # between a place word and the name (« vis aux Minimes », « côté de »)
    "de du d la le l les au aux cote commune ville secteur of the".split()
)
MAX_NAME_WORDS = 5
DEPARTMENT_ARTICLES = frozenset({"le", "la", "l", "les", "the", "de", "d"})
DEPARTMENT_DIGITS = 2
CODE_DIGITS = frozenset({DEPARTMENT_DIGITS, 3})  # a department's number: « 09 », « 974 »
MONTHS = frozenset(  # « le 12 mars », « du 24 déc. »: a day, not a department (folded, fr + en,
    # wide and abbreviated, as Babel's CLDR data gives them: loading that data costs 6 MB)
    "janvier janv fevrier fevr mars avril avr mai juin juillet juil aout septembre sept octobre"
    " oct novembre nov decembre dec january jan february feb march mar april apr may june jun"
    " july jul august aug september sep october november december".split()
)
DAY_RANGE = frozenset({"au", "to"})  # « du 12 au 15 »
ORIGIN_MARKERS = frozenset({"de", "d"})
BETWEEN = frozenset({"entre", "between"})  # « entre Toulouse et Montauban »: two names
PAIRED = frozenset({"et", "and"})  # « entre Toulouse et Montauban », « Barbazan et moi »
ORIGIN_OF = frozenset({"de", "d", "du", "des", "of"})


def phrase_at(words: list[Token], start: int, size: int) -> str:
    return " ".join(ABBREVIATIONS.get(t.surface, t.surface) for t in words[start : start + size])


def clause_bounds(words: list[Token]) -> dict[int, tuple[int, int]]:
    """Each clause's first word and the position after its last (« Lourdes. » is one)."""
    bounds: dict[int, tuple[int, int]] = {}
    for i, token in enumerate(words):
        first, _ = bounds.get(token.clause, (i, i))
        bounds[token.clause] = (first, i + 1)
    return bounds


def fills_clause(
    words: list[Token], clauses: dict[int, tuple[int, int]], start: int, size: int
) -> bool:
    """A name that fills its clause, capitalised (« Castres : foyer… », « Gers, asso… ») or
    opening the message (« castanet : … », « rennes, … »; an ordinary word must still be a
    main town there: see :func:`exact_place`)."""
    if clauses[words[start].clause] != (start, start + size):
        return False
    return words[start].capital or start == 0


def dated(words: list[Token], at: int) -> bool:
    """True when the number at ``at`` is a day: a month follows (« le 12 mars ») or a range
    (« du 12 au 15 »)."""
    after = [t.surface for t in words[at + 1 : at + 3]]
    return bool(after) and (
        after[0] in MONTHS or (len(after) == 2 and after[0] in DAY_RANGE and after[1].isdigit())
    )


def accent_unlike(typed: str, name: str) -> bool:
    """True when ``typed`` bears an accent where ``name``, the same letters, has a plain one:
    another word (« en indé », independent, is not « en Inde »; « Séte » may be « Sète »)."""
    typed, name = typed.lower(), name.lower()
    return len(typed) == len(name) and any(
        t.isalpha() and t != fold(t) and n == fold(n) for t, n in zip(typed, name, strict=True)
    )
