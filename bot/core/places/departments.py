"""Departments, regions and intercommunalities elsewhere named in a sentence (« dans le
Tarn », « du 09 », « en Bretagne », « au pays basque »)."""

from __future__ import annotations

from collections.abc import Iterator

from bot.core.language import Token, known_word
from bot.core.places.postal import POSTAL_LENGTH
from bot.core.places.words import (
    CODE_DIGITS,
    DEPARTMENT_ARTICLES,
    MAX_NAME_WORDS,
    ORIGIN_OF,
    accent_unlike,
    clause_bounds,
    dated,
    fills_clause,
    phrase_at,
)
from bot.core.territory import HAUTE_GARONNE, Territory

DEPARTMENT_MARKERS = frozenset(  # « au », « aux », « à », « from »: a country (« au Maroc »)
    {
        "a",  # « à Andorre », « à Malte »
        "dans",
        "ds",
        "en",
        "au",
        "aux",
        "du",
        "des",
        "in",
        "from",
        "departement",
        "dept",
        "dep",
        "dpt",
    }
)
NUMBER_MARKERS = frozenset({"du", "departement", "dept", "dep", "dpt"})  # « du 09 », « dans le 82 »
NUMBER_AFTER_ARTICLE = frozenset({"dans", "ds", "in"})
FEMININE = frozenset({"la", "l"})  # « de la », « de l' »: what « du » is to « le »
PAIRING = frozenset({"et", "and", "avec", "with"})  # « aude et moi »: a first name


def _after_marker(words: list[Token], at: int) -> tuple[bool, bool]:
    """Whether a department's name at ``at`` follows a place word (« dans le », « en »,
    « in the »), and whether a number there does (« du 09 », « dans le 82 », not « le 12 »)."""
    before = at - 1
    article = before >= 0 and words[before].surface in DEPARTMENT_ARTICLES
    marker = before - 1 if article else before
    if marker < 0:
        return False, False
    of_the = article and words[marker].surface == "de" and words[before].surface in FEMININE
    if words[marker].surface not in DEPARTMENT_MARKERS and not of_the:
        return False, False  # « de l'Aveyron », « de la Drôme » as « du Tarn »
    marker_word = words[marker].surface
    number = marker_word in NUMBER_AFTER_ARTICLE if article else marker_word in NUMBER_MARKERS
    return True, number


def department_named(words: list[Token], territory: Territory) -> str | None:
    """The department outside Haute-Garonne the words name: after a place word (« dans le
    Tarn », « en Aveyron », « on est dans le 81 »), as a name of several words anywhere
    (« Tarn-et-Garonne »), or capitalised alone in its clause (« Gers, asso… »). A name that
    is an ordinary word (« le Lot », « pas cher ») must be capitalised; one that is a commune's
    here is that commune (« Grenade »: not Grenada)."""
    names = territory.elsewhere.by_department_name
    first_words = territory.elsewhere.department_first_words
    clauses = clause_bounds(words)
    for at in range(len(words)):
        number = words[at].surface
        is_number = len(number) in CODE_DIGITS and number.isdigit()
        if not is_number and number not in first_words:
            continue  # no department's name starts with this word
        after, number_after = _after_marker(words, at)
        if is_number and _name_before(words, at, territory):
            number_after = True  # « aucamville 82 », « Mazères (09) »: the town's department
        if is_number and at > 0 and words[at - 1].surface == "le":
            number_after = number_after or fills_clause(words, clauses, at - 1, 2)  # « le 81, … »
        if is_number:
            known = number in territory.elsewhere.departments and not dated(words, at)
            if number_after and known and number != HAUTE_GARONNE:
                return number
            continue
        for size in range(min(MAX_NAME_WORDS, len(words) - at), 0, -1):
            phrase = phrase_at(words, at, size)
            code = names.get(phrase)
            if code is None or _town_named(words, at, size, code, territory):
                continue
            if territory.by_name(phrase):
                continue  # « à Grenade »: the commune here, not Grenada
            if _town_at(words, at, phrase, code, territory):
                continue  # « à Vienne »: the town of the Isère, not the Vienne
            if size == 1 and accent_unlike(words[at].text, territory.elsewhere.departments[code]):
                continue  # « en indé »: independent, not India
            ordinary = size == 1 and known_word(words[at].surface, "fr") and not code.isalpha()
            if size > 1 or (after and (words[at].capital or not ordinary)):  # « en espagne »
                return code
            if _town_of(words, at, code, territory):  # « Fronsac (Gironde) », « Montaut, Landes »
                return code
            if after and _inside_named(words, at, size):  # « dans le lot », « dans les landes »
                return code
            if fills_clause(words, clauses, at, size) and not ordinary:
                return code
            if _titled(words, clauses, at, size) or (at == 0 and _opens(words, size)):
                return code
    return None


def area_named(words: list[Token], territory: Territory) -> tuple[str, range] | None:
    """The code of the region (``R53``) or the department of the intercommunality elsewhere
    the words name after a place word (« en Bretagne », « au pays basque »), or capitalised
    alone in their clause with or without an article (« Le Pays basque : … »), with the
    positions of its name."""
    names = territory.elsewhere.by_area_name
    clauses = clause_bounds(words)
    for at, token in enumerate(words):
        if token.surface not in territory.elsewhere.area_first_words:
            continue
        after, _ = _after_marker(words, at)
        for size in range(min(MAX_NAME_WORDS, len(words) - at), 0, -1):
            code = names.get(phrase_at(words, at, size))
            if code is not None and (
                after or _titled(words, clauses, at, size) or fills_clause(words, clauses, at, size)
            ):
                return code, range(at, at + size)
    return None


def _inside_named(words: list[Token], at: int, size: int) -> bool:
    """True when a department named by an ordinary word follows « dans le », « in the »
    (« dans le lot », « dans les landes »), not as the start of a longer phrase (« dans le
    nord de Toulouse », « dans la somme de 500 euros »)."""
    inside = at >= 2 and words[at - 2].surface in NUMBER_AFTER_ARTICLE
    article = words[at - 1].surface in DEPARTMENT_ARTICLES
    end = at + size
    return inside and article and (end == len(words) or words[end].surface not in ORIGIN_OF)


def _titled(words: list[Token], clauses: dict[int, tuple[int, int]], at: int, size: int) -> bool:
    """True when a capitalised department's name and its article fill their clause
    (« Le Lot : asso… », « La Creuse, on… »)."""
    start = at - 1
    return (
        start >= 0
        and words[start].surface in DEPARTMENT_ARTICLES
        and words[at].capital
        and clauses[words[at].clause] == (start, at + size)
    )


def _opens(words: list[Token], size: int) -> bool:
    """True when the message opens with a department's name that is no French word and no
    one's first name before another (« mayotte projet d'asso », not « aude et moi… »)."""
    follows = words[size].surface if size < len(words) else ""
    return not (size == 1 and known_word(words[0].surface, "fr")) and follows not in PAIRING


def _town_named(words: list[Token], at: int, size: int, code: str, territory: Territory) -> bool:
    """True when the department's name at ``at`` is part of a town's elsewhere: the start of
    the name of a town of France or abroad that lies in another department (« Saint-Martin-
    des-Champs » names no Saint-Martin of the Antilles; « Andorre-la-Vieille », a name the
    base does not know, is in Andorra), or a name another department's number, postal code
    or name follows (« Sainte-Hélène (56) », « à Saint-Barthélemy, 56000 »: towns of the
    Morbihan; « Vienne en Isère »: the Isère's town; « en Isère (38) » is the Isère)."""
    elsewhere = territory.elsewhere
    longest = min(territory.place_first_words.get(phrase_at(words, at, 1), 0), len(words) - at)
    for end in range(at + size + 1, at + longest + 1):
        longer = phrase_at(words, at, end - at)
        if elsewhere.by_name(longer) is not None and elsewhere.by_name(longer, code) is None:
            return True
    number = words[at + size].surface if at + size < len(words) else ""
    placed = elsewhere.by_postal(number) if len(number) == POSTAL_LENGTH else None
    if placed is not None:  # « à Saint-Barthélemy, 56000 »: the Morbihan's
        return placed.department != code
    other = len(number) in CODE_DIGITS and number != code
    if other and number in elsewhere.departments:
        return True
    named = department_code_after(words, at + size, territory)  # « Vienne en Isère »
    if named is None or named == code:
        return False
    return elsewhere.by_name(phrase_at(words, at, size), named) is not None


def _town_at(words: list[Token], at: int, phrase: str, code: str, territory: Territory) -> bool:
    """True when a department's name right after « à » is that of a main or large town of
    another department: « à » says a town (« à Vienne »: in the Isère), « dans la », « en »
    a department (« en Vienne »)."""
    if at == 0 or words[at - 1].surface != "a" or not code.isdigit():
        return False
    town = territory.elsewhere.by_name(phrase)
    return town is not None and (town.main or town.large) and town.department != code


def _name_before(words: list[Token], at: int, territory: Territory) -> bool:
    """True when the words just before ``at`` are the whole name of a commune here or of a
    town elsewhere (« aucamville 82 », « Saint-Simon (46) »)."""
    return any(
        territory.by_name(name) or territory.elsewhere.by_name(name) is not None
        for name in _phrases_before(words, at)
    )


def _town_of(words: list[Token], at: int, code: str, territory: Territory) -> bool:
    """True when the words just before ``at`` are the whole name of a town of department
    ``code``: its name tells which of the homonyms is meant (« Montaut, Landes »), never a
    district (« Toulouse Nord »: no Toulouse in the Nord)."""
    return any(
        territory.elsewhere.by_name(name, code) is not None for name in _phrases_before(words, at)
    )


def _phrases_before(words: list[Token], at: int) -> Iterator[str]:
    """The phrases of one to :data:`MAX_NAME_WORDS` words that end just before ``at``."""
    for size in range(1, min(at, MAX_NAME_WORDS) + 1):
        yield phrase_at(words, at - size, size)


def department_after(words: list[Token], at: int, code: str, territory: Territory) -> bool:
    """True when the words at ``at``, right after a town's name, name the department ``code``
    (« Castelnau dans l'Aveyron », « Mons en Belgique »; not a number: « à Blagnac (18
    salariés) »): the town is there."""
    return department_code_after(words, at, territory) == code


def department_code_after(words: list[Token], at: int, territory: Territory) -> str | None:
    """The department (or country) the words at ``at`` name by its name, past « dans le »,
    « en », « (Isère) »…, the longest name first; None when they name none."""
    while at < len(words) and words[at].surface in DEPARTMENT_MARKERS | DEPARTMENT_ARTICLES:
        at += 1
    names = territory.elsewhere.by_department_name
    for size in range(min(MAX_NAME_WORDS, len(words) - at), 0, -1):
        code = names.get(phrase_at(words, at, size))
        if code is not None:
            return code
    return None
