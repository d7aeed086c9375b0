"""Places named exactly by a phrase: a commune here (its name, first words or complement,
a neighbourhood), or a town elsewhere in France or abroad, and when each is believed."""

from __future__ import annotations

from bot.core.language import (
    Token,
    conjugated_only,
    known_word,
    stop_lemmas,
)
from bot.core.language_guess import unaccented_french
from bot.core.places.place import Place
from bot.core.places.words import DEPARTMENT_ARTICLES, FILLERS, MARKERS, ORIGIN_MARKERS
from bot.core.territory import OutsidePlace, Territory
from bot.core.text import fold

NOUN_ARTICLES = frozenset({"le", "la", "l", "les"})
QUANTITIES = frozenset(  # « combien de lux », « beaucoup de monde »: a noun counted, no place
    "combien beaucoup peu trop assez plein tant autant moins plus".split()
)
UNUSUAL_LENGTH = 6
FIRST_WORD_LENGTH = 5


def exact_place(
    territory: Territory,
    phrase: str,
    size: int,
    *,
    after: bool,
    capital: bool,
    department: str | None,
    opening: bool = False,
    settled: bool = False,
    english: bool = False,
) -> tuple[int, int, Place] | None:
    """A place named exactly by ``phrase``: (length, priority, place), or None.

    The longer name wins (« Muret-le-Château » over « Muret »), then the priority: a town
    elsewhere that is a main town or lies in the department the text names (4), an exact
    commune of Haute-Garonne (3), the unique commune whose name starts with these words (2:
    « Saint-Orens », « Castanet »; see :meth:`Territory.short_form`), another town elsewhere
    (1), a town elsewhere only because its name opens the message (0). A commune named by
    ordinary words (« Lux », « Le Plan ») must follow a place word or be capitalised, not only
    as the message's first word unless it is a town of 10,000 people (« Lourde journée… »,
    « Muret on cherche… »); a town
    elsewhere must follow a place word (capitalised, no ordinary word, or a main town: « a
    paris »), be a capitalised main town (« Agen : … ») or a capitalised name of several words
    (« Fos-sur-Mer »), be a long name that is no ordinary word (« montauban ici »; « Marie »
    is a first name first), or open the message as a name that is no ordinary word, a main
    town (« lyon, … ») or a town of 10,000 people of the region (« foix epicerie… »,
    « castres entreprise… »; not « grasse matinée », « orange ») or one that is no French
    word (« brest jveux… »), or follow « on est à » as a main or large town or a city
    abroad named by an ordinary word (« on est à Sens »); in a message in English
    (``english``), a village named by an English word too (« his partner », « iron ore »).
    A name said exactly that
    is a commune here too is the commune here (« Aucamville »), unless the text names the
    other's department (« aucamville (82) »). The name of villages of several departments far
    from here is no place unless the text names the department, nor a town outside the
    department the text names and means (see :func:`_other_place`).
    """
    elsewhere = territory.elsewhere
    outside = elsewhere.by_name(phrase, department) if department else None
    if outside is None:
        outside = elsewhere.by_name(phrase)
        outside = None if outside is not None and elsewhere.unsure(phrase, outside) else outside
    big = (
        elsewhere.by_first_word(phrase)  # « brive, on veut… », « à clermont »
        if size == 1 and not _a_word(phrase, size) and not _here(territory, phrase)
        else None
    )
    if big is not None and (outside is None or not (outside.main or outside.large)):
        outside = big if department in (None, big.department) else outside
    if outside is not None and _other_place(territory, phrase, outside, department):
        outside = None  # « Saint-Sébastien, en Espagne »: the Spanish town, no Creuse village
    plain = size == 1 and known_word(phrase, "fr")  # « à la rue » is no town called Rue
    exact = territory.by_name(phrase)
    named = not plain or conjugated_only(phrase)  # « limoges projet… »: no « tu limoges »
    accepted = outside is not None and (
        (after and (capital or named or outside.main))  # « vers castres »
        or _unusual(phrase)
        or (capital and (outside.main or size > 1))
        or outside.department == department
        or (settled and (outside.main or outside.large or outside.abroad))
    )
    opened = (  # « foix epicerie… », « castres entreprise… », not « our association… »
        outside is not None
        and not accepted
        and opening
        and (
            not (_a_word(phrase, size) or _article_and_words(phrase))
            or (outside.main and named)
            or (outside.large and (outside.in_region or named))  # « castres… », « brest… »
        )
    )
    if outside is not None and (accepted or opened):
        said = outside.department == department
        if accepted and (said or (outside.main and not exact)):
            return size, 4, Place(None, outside, phrase)
    else:
        outside = None
    capital_said = capital and not (opening and exact and not exact[0].large)  # « Lourde journée »
    worded = _ordinary(phrase) or (english and _english(phrase) and not any(c.large for c in exact))
    if exact and (after or capital_said or not worded):
        return size, 3, Place(exact[0], None, phrase)
    shortened = territory.short_form(phrase) if size > 1 or len(phrase) >= FIRST_WORD_LENGTH else []
    if len(shortened) == 1 and (
        after or capital or (size > 1 and not _ordinary(phrase)) or _unusual(phrase)
    ):
        return size, 2, Place(shortened[0], None, phrase)
    named_after = (
        territory.by_complement(phrase) if (after or capital) and outside is None else None
    )
    if named_after is not None and not _ordinary(phrase):
        return size, 2, Place(named_after, None, phrase)  # « à Luchon »
    if outside is not None and not shortened:
        return size, 0 if opened else 1, Place(None, outside, phrase)
    return None


def _here(territory: Territory, phrase: str) -> bool:
    """True when ``phrase`` names a commune here, or the first words of one's name."""
    return bool(territory.by_name(phrase) or territory.short_form(phrase))


def _other_place(
    territory: Territory, phrase: str, town: OutsidePlace, department: str | None
) -> bool:
    """True when the text names a department ``town`` is not in and means it: ``phrase`` is
    that department's name (« à la Réunion »: the island, no village of the Lot-et-Garonne),
    or a country abroad named apart from ``phrase`` (« Grenade-sur-l'Adour » names no
    Grenada) while ``town`` is a French town that is no main town: the town of that name
    there is meant, which the world file may not know by its French name (« Saint-Sébastien,
    en Espagne »)."""
    if department is None or town.department == department:
        return False
    elsewhere = territory.elsewhere
    if elsewhere.by_department_name.get(phrase) == department:
        return True
    if not department.isalpha() or town.abroad or town.main:
        return False
    return f" {fold(elsewhere.departments.get(department, ''))} " not in f" {phrase} "


def elsewhere_only(
    words: list[Token], territory: Territory, start: int, size: int, phrase: str
) -> bool:
    """True when the words at ``start`` are, in one clause, the exact name of a town elsewhere
    that no commune here bears (« mérignac », « saint jean le vieux »), even one the text
    cannot place: no look-alike here is read in it. A village elsewhere named like the first
    words of a town here is that town (« Saint-Orens »: Saint-Orens-de-Gameville, not the
    Gers village of eighty people; « Montauban » is the main town of the Tarn-et-Garonne)."""
    if words[start].clause != words[start + size - 1].clause or territory.by_name(phrase):
        return False
    town = territory.elsewhere.by_name(phrase)
    if town is None:
        return False
    return town.main or town.large or not territory.known_by_first_words(phrase)


def of_someone(words: list[Token], start: int, phrase: str, place: Place) -> bool:
    """A city abroad named by an ordinary word after « de » (« l'asso de Charlotte », « de
    Victoria »): someone's name, not where the person is."""
    town = place.outside
    return (
        start > 0
        and words[start - 1].surface in ORIGIN_MARKERS
        and town is not None
        and town.abroad
        and not town.main
        and known_word(phrase, "fr")
    )


def counted(words: list[Token], start: int) -> bool:
    """True when the words at ``start`` follow a quantity and « de » (« combien de lux »,
    « trop de monde »): a noun counted, not where the person is."""
    return (
        start > 1
        and words[start - 1].surface in ORIGIN_MARKERS
        and words[start - 2].surface in QUANTITIES
    )


def articled_noun(words: list[Token], start: int, phrase: str, place: Place) -> bool:
    """True when ``phrase``, a commune's name of ordinary words and no article, follows an
    article (« sur les ondes », « à la touille », « dans les vaux »): the noun, for no one
    puts an article before that name (« à Ondes »)."""
    return (
        place.commune is not None
        and start > 0
        and words[start - 1].surface in NOUN_ARTICLES
        and _ordinary(phrase)
    )


def noun_going_on(words: list[Token], end: int, phrase: str) -> bool:
    """True when ``phrase``, a commune's name made of an article and ordinary words, is the
    noun those words make, the next word of its clause going on with it: an ordinary French
    word, no function word, place word nor verb (« l'union régionale », « sur le plan
    financier »). Before a pronoun, a conjunction, a verb, a number or a break it stays the
    commune (« à L'Union je… », « à l'Union et… », « le maire de L'Union aimerait… »,
    « L'Union 31240 », « habitante de l'Union, … »)."""
    if end >= len(words) or words[end].clause != words[end - 1].clause:
        return False
    after = words[end]
    return (
        _article_and_words(phrase)
        and after.surface.isalpha()
        and after.surface not in MARKERS
        and after.surface not in stop_lemmas("fr")
        and not conjugated_only(after.text.lower())
        and (known_word(after.text.lower(), "fr") or unaccented_french(after.surface))
    )


def articled_name(territory: Territory, phrase: str) -> bool:
    """True when ``phrase``, after a place word and opening with its article, is a name: a
    commune's here (« à l'union »), or one not made of ordinary words only (« a la
    rochelle »; « à la montagne », « sur la table » are no towns of the Loire-Atlantique
    or the Savoie)."""
    return bool(territory.by_name(phrase)) or not _ordinary(phrase)


def _ordinary(phrase: str) -> bool:
    """Every word of the name is an ordinary French word or an article (« le plan »)."""
    return all(w in FILLERS or known_word(w, "fr") for w in phrase.split())


def _english(phrase: str) -> bool:
    """Every word of the name is an English word (« his », « ore »)."""
    return all(known_word(w, "en") for w in phrase.split())


def _article_and_words(phrase: str) -> bool:
    """An article and ordinary words (« la chambre régionale… », « les halles… »: a noun
    opening the message, not La Chambre in Savoie)."""
    first, *rest = phrase.split()
    return first in DEPARTMENT_ARTICLES and bool(rest) and _ordinary(phrase)


def _unusual(phrase: str) -> bool:
    """A long word of neither language (in a name of several words: one such word)."""
    words = phrase.split()
    least = UNUSUAL_LENGTH if len(words) == 1 else UNUSUAL_LENGTH - 2
    return any(
        len(word) >= least and not known_word(word, "fr") and not known_word(word, "en")
        for word in words
    )


def _a_word(phrase: str, size: int) -> bool:
    """True when ``phrase`` is one ordinary word of either language (« our », « orange »)."""
    return size == 1 and (known_word(phrase, "fr") or known_word(phrase, "en"))


def coded(words: list[Token], at: int, phrase: str, territory: Territory) -> bool:
    """True when the word at ``at`` is a postal code of the commune ``phrase`` names (« st
    jean 31240, … »): the name is a place, whatever words it is made of."""
    code = words[at].surface if at < len(words) else ""
    return any(code in c.postal_codes for c in territory.by_name(phrase))


def by_river(words: list[Token], at: int, phrase: str, territory: Territory) -> bool:
    """True when the words at ``at`` are « sur » and a river communes here are named after,
    and ``phrase`` a commune here (« Grenade sur Garonne »): the commune, said with its river,
    whatever words it is made of."""
    return (
        at + 1 < len(words)
        and words[at].surface == "sur"
        and words[at + 1].surface in territory.rivers
        and bool(territory.by_name(phrase))
    )
