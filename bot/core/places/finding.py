"""The place the words of a sentence name: the person's own among those found (see
:mod:`bot.core.places`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from bot.core.language import Token
from bot.core.places.departments import area_named, department_after, department_named
from bot.core.places.epcis import epci_named
from bot.core.places.names import (
    articled_name,
    articled_noun,
    by_river,
    coded,
    counted,
    elsewhere_only,
    exact_place,
    noun_going_on,
    of_someone,
)
from bot.core.places.place import Place
from bot.core.places.postal import postal_place
from bot.core.places.spans import (
    article_starts,
    companions,
    english_opening,
    moved_to,
    name_starts,
    named_person,
    own_name,
    settled_starts,
    unplaced_words,
)
from bot.core.places.typos import (
    clipped_place,
    misspelt_elsewhere,
    misspelt_here,
    misspelt_long_name,
    misspelt_place,
)
from bot.core.places.words import (
    BETWEEN,
    MAX_NAME_WORDS,
    PAIRED,
    clause_bounds,
    fills_clause,
    phrase_at,
)
from bot.core.territory import ABBREVIATIONS, Commune, Territory
from bot.core.text import STOP_WORDS, fold

LONGEST_NAME_WORDS = 8  # « Saint-Laurent-les-Bains-Laval-d'Aurelle »: read as no name here
SKIPPED = "\x00"
ARTICLE_IN = {"au": "le ", "aux": "les "}  # « au Plan »: at Le Plan; « aux Cammazes »
CORRECTIONS = frozenset(  # a later place replaces this one (« à Albi, enfin à Toulouse »)
    "mais enfin pardon plutot maintenant desormais finalement non but now actually no".split()
)
WITHIN = frozenset({"a", "in"})  # « Saint-Cyprien à Toulouse »: a district of the next place


def find_place(
    words: list[Token],
    territory: Territory,
    skip: Collection[int] = frozenset(),
    lang: str | None = None,
) -> Place:
    """The place the words name (see :mod:`bot.core.places`), the communes of the EPCI they
    name when they name no commune (« in the Sicoval »), or an empty :class:`Place`; words at
    ``skip`` (a structure's name: « l'Union régionale ») are no place, nor, in a message in
    English (``lang``), an English word opening it (« Nice people here »)."""
    named = {i for i in range(len(words)) if named_person(words, i)}
    epci = epci_named(words, territory, skip)  # « dans le Sicoval »: its words name no commune
    skip = set(skip) | unplaced_words(words, territory) | companions(words) | named
    skip |= set(epci[1]) if epci else set()
    skip |= english_opening(words) if lang == "en" else set()
    words = [replace(t, surface=SKIPPED) if i in skip else t for i, t in enumerate(words)]
    area = area_named(words, territory)  # its words name no commune (« lavalette tude dronne »)
    if area is not None and len(area[1]) > 1:
        words = [replace(t, surface=SKIPPED) if i in area[1] else t for i, t in enumerate(words)]
    words = [replace(t, capital=False) if own_name(words, i) else t for i, t in enumerate(words)]
    starts, origins = name_starts(words)
    settled = settled_starts(words)
    articles = article_starts(words)
    clauses = clause_bounds(words)
    postal = postal_place(words, territory)
    coded_outside = postal.outside.department if postal and postal.outside else None
    department = department_named(words, territory) or (area[0] if area else None) or coded_outside
    candidates: list[tuple[int, int, int, Place]] = []  # (start, length, priority, place)
    first_words = territory.place_first_words
    elsewhere: set[int] = set()  # words of an exact name of a town elsewhere: no typo there
    covered: set[int] = set()  # words of such a name of several words: no commune here
    for start in range(len(words)):
        if words[start].joined:
            continue  # inside a hyphened name (« Andorre-la-Vieille » is no Vieille-Toulouse)
        article = ARTICLE_IN.get(words[start - 1].surface, "") if start else ""
        first = ABBREVIATIONS.get(words[start].surface, words[start].surface)
        longest = max(  # the most words of a name starting here (« aux Sables »: with « les »)
            first_words.get(first, 0), first_words.get(article.split()[0], 0) - 1 if article else 0
        )
        for size in range(min(LONGEST_NAME_WORDS, len(words) - start, longest), 0, -1):
            phrase = phrase_at(words, start, size)
            if size == 1 and (phrase in STOP_WORDS or phrase.isdigit()):
                continue
            inside = start in covered  # the start of a longer name elsewhere
            only_elsewhere = elsewhere_only(words, territory, start, size, phrase)
            if only_elsewhere:
                elsewhere.update(range(start, start + size))
                if size > 1:  # « saint jean le vieux », « les bordes »
                    covered.update(range(start, start + size))
            if size > MAX_NAME_WORDS and not only_elsewhere:
                continue  # « Saint-Martin-de-Bienfaite-la-Cressonnière »: read whole
            after = (
                start in starts
                or fills_clause(words, clauses, start, size)
                or coded(words, start + size, phrase, territory)
                or by_river(words, start + size, phrase, territory)
                or (start in articles and size > 1 and articled_name(territory, phrase))
            )
            capital = words[start].capital and words[start + size - 1].capital
            found = (
                exact_place(
                    territory,
                    article + phrase,
                    size,
                    after=after,
                    capital=capital,
                    department=department,
                )
                if article
                else None
            ) or exact_place(
                territory,
                phrase,
                size,
                after=after,
                capital=capital,
                department=department,
                opening=start == 0,
                settled=start in settled,
                english=lang == "en",
            )
            if found is not None and (
                of_someone(words, start, phrase, found[2])
                or counted(words, start)
                or articled_noun(words, start, phrase, found[2])
                or (found[2].commune is not None and start in covered)
                or inside
                or (
                    found[2].commune is not None
                    and noun_going_on(words, start + size, found[2].evidence)
                )
            ):
                found = None  # never a commune here nor a town for the start of a name elsewhere,
                # nor a noun counted (« combien de lux ») or after an article (« les ondes »),
                # nor a commune named by a noun the words go on with (« l'union régionale »)
            if found is not None:
                candidates.append((start, *found))
    moved = moved_to(words, {start for start, *_ in candidates})
    if moved is not None:  # « je quitte Bordeaux pour m'installer à Balma »: Bordeaux was
        origins = origins | {start for start, *_ in candidates if start < moved}
    astride, among = _astride(words, candidates)  # « entre Toulouse et Montauban »
    best = _persons_place(words, [c for c in candidates if c[0] not in astride], origins)
    if best is None and astride:
        return Place(shared=among)
    if best is not None:
        at, size, _, found_place = best
        there = found_place.outside.department if found_place.outside else None
        if (
            department is not None
            and department != there
            and department_after(words, at + size, department, territory)
        ):  # « Saint-Jean dans le Gers », « Valencia (Spain) »: a town there
            return Place(None, territory.elsewhere.department(department), found_place.evidence)
        if found_place.commune is None:
            return misspelt_here(words, territory, at, size) or found_place
        return misspelt_elsewhere(words, territory, at, size, found_place.commune) or found_place
    if postal is not None and not postal.shared:
        return postal
    if department is not None:
        place = territory.elsewhere.department(department)
        return Place(None, place, fold(place.name))
    if epci is not None:  # one of its communes, unsaid which: asked as a shared postal code's
        return postal or Place(shared=territory.epci_communes(epci[0]))
    return (
        misspelt_place(words, territory, starts, elsewhere)
        or misspelt_long_name(words, territory, starts, elsewhere)
        or clipped_place(words, territory)
        or postal
        or Place()
    )


def _fills(clauses: dict[int, tuple[int, int]], words: list[Token], start: int, size: int) -> bool:
    """True when the name at ``start`` is all its clause holds."""
    return clauses[words[start].clause] == (start, start + size)


def _astride(
    words: list[Token], candidates: list[tuple[int, int, int, Place]]
) -> tuple[set[int], tuple[Commune, ...]]:
    """The starts of two places said « entre A et B » (« between A and B »), either side of
    which the person may live, so neither is assumed: one a commune here and the other a town
    elsewhere (the border), or two communes here, which are then the communes the person is
    among (« entre Balma et L'Union »), the most populous first."""
    said: dict[int, Place] = {}
    for start, _, _, place in sorted(candidates, key=lambda c: (c[1], c[2])):
        said[start] = place  # the longest name at each start, the surest
    astride: set[int] = set()
    among: list[Commune] = []
    for i, token in enumerate(words):
        if token.surface not in BETWEEN or i + 1 not in said:
            continue
        first = i + 1
        second = next(
            (j + 1 for j in range(first, len(words) - 1) if words[j].surface in PAIRED), None
        )
        if second not in said:
            continue
        one, other = said[first].commune, said[second].commune
        if (one is None) != (other is None):
            astride |= {first, second}
        elif one is not None and other is not None and one != other:
            astride |= {first, second}
            among += [one, other]
    return astride, tuple(sorted(dict.fromkeys(among), key=lambda c: -c.population))


def _persons_place(
    words: list[Token], candidates: list[tuple[int, int, int, Place]], aside: set[int]
) -> tuple[int, int, int, Place] | None:
    """The place that is the person's among the names found: not one said beside it (an
    origin, a landmark, a client's) nor one a later name of the person's corrects (« à Albi,
    enfin à Toulouse », « à Muret, pardon à Saint-Lys », « in Lisbon but moving to Toulouse »;
    not « à Muret mais le client est à Auch ») nor one inside the next (« Saint-Cyprien in
    Toulouse »: a district), a village's name said alone before a large town's as an address
    is (« Saint-Michel, Toulouse : … »); then the longest name, then the surest (see
    :func:`exact_place`)."""
    corrections = [i for i, t in enumerate(words) if t.surface in CORRECTIONS]
    starts = {start for start, *_ in candidates}
    clauses = clause_bounds(words)
    filling = {  # the large towns here filling a clause (« Saint-Michel, Toulouse : … »)
        start
        for start, size, _, place in candidates
        if place.commune is not None and place.commune.large and _fills(clauses, words, start, size)
    }

    def key(candidate: tuple[int, int, int, Place]) -> tuple[bool, int, int]:
        start, size, priority, place = candidate
        corrected = any(start < c < later for c in corrections for later in starts - aside)
        inside = within(start + size) or addressed(start, size, place)
        return (start not in aside and not corrected and not inside, size, priority)

    def within(end: int) -> bool:  # « Saint-Cyprien in Toulouse », « Bagatelle à Toulouse »
        return end < len(words) and words[end].surface in WITHIN and end + 1 in starts - aside

    def addressed(start: int, size: int, place: Place) -> bool:  # « Saint-Michel, Toulouse »
        small = place.commune is not None and not place.commune.large
        return small and _fills(clauses, words, start, size) and start + size in filling - aside

    return max(candidates, key=key, default=None)
