"""Places in a sentence: the commune of Haute-Garonne, or a town elsewhere in France.

Only place-like spans are read as places — the words after « à », « sur », « dans », « près
de », « in »…, a capitalised name alone in its clause (« Castres : … »), a postal code, or a
short message that is only a name — so that an ordinary word is never fuzzily turned into a
village. A name of several words (« Castanet-Tolosan », « Fos-sur-Mer ») or a name that is not
an ordinary French word (« Blagnac », « ramonville ») is recognised anywhere. A department is
named after a place word (« dans le Tarn », « du 09 »), or anywhere by a name of several words
(« Tarn-et-Garonne »). A town outside the department is recognised as such from the list of
French communes and never swapped for a look-alike village of Haute-Garonne; a person's first
name (« moi c'est Valentine ») is no village either.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from bot.core.greeting import GREETING_WORDS
from bot.core.language import Token, known_word
from bot.core.territory import ABBREVIATIONS, HAUTE_GARONNE, Commune, OutsidePlace, Territory
from bot.core.text import STOP_WORDS, fold

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
    }
)
FILLERS = frozenset(
    {"de", "du", "d", "la", "le", "l", "les", "cote", "commune", "ville", "secteur", "of", "the"}
)
MAX_NAME_WORDS = 5
LONGEST_NAME_WORDS = 8  # « Saint-Laurent-les-Bains-Laval-d'Aurelle »: read as no name here
SHORT_MESSAGE = 3
LONGER_WORDS = 3  # words after a name here read to find a misspelt longer name elsewhere
TYPO_MIN_LENGTH = 5
TYPO_SCORE = 86.0
POSTAL_LENGTH = 5
SPLIT_CODE_PARTS = 2  # « 31 000 »
SKIPPED = "\x00"
UNUSUAL_LENGTH = 6
FIRST_WORD_LENGTH = 5
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
DEPARTMENT_ARTICLES = frozenset({"le", "la", "l", "les", "the", "de", "d"})
NUMBER_MARKERS = frozenset({"du", "departement", "dept", "dep", "dpt"})  # « du 09 », « dans le 82 »
NUMBER_AFTER_ARTICLE = frozenset({"dans", "ds", "in"})
DEPARTMENT_DIGITS = 2
ORIGIN_MARKERS = frozenset({"de", "d"})
FROM_MARKERS = frozenset({"from"})
ARTICLE_IN = {"au": "le ", "aux": "les "}  # « au Plan »: at Le Plan; « aux Cammazes »
PAST_WORDS = frozenset(  # a place lived in before (« j'habitais à », « used to live in »)
    "habitais habitait habitions habitaient vivais vivait vivions vivaient grandi quitte quittons "
    "quittent used grew born".split()
)
PAST_REACH = 4  # words before a place where one of them is read (« j'ai grandi à »)
REFERENCE_WORDS = frozenset({"pres", "cote", "proche", "near", "around"})  # « près de Pau »
CORRECTIONS = frozenset(  # a later place replaces this one (« à Albi, enfin à Toulouse »)
    "mais enfin pardon plutot maintenant desormais finalement but now actually".split()
)
SETTLED_MARKERS = frozenset({"a", "au", "in", "at"})
BEING_WORDS = frozenset(  # « on est à », « jsuis a », « we're in » (« we re »), « living in »
    "est suis sommes sont jsuis habite habitons vis vit vivons am are re m live lives living "
    "based".split()
)
STREET_WORDS = frozenset(
    "rue avenue av boulevard bd allee allees chemin impasse quai route cours square street "
    "road".split()
)
DISTRICT_WORDS = frozenset("quartier quartiers neighbourhood neighborhood district".split())
WITHIN = frozenset({"a", "in"})  # « Saint-Cyprien à Toulouse »: a district of the next place
ORIGIN_OF = frozenset({"de", "d", "du", "des", "of"})
COMPANIONS = frozenset({("et", "moi"), ("and", "i"), ("and", "me")})  # « Florence et moi »
PAIRING = frozenset({"et", "and", "avec", "with"})  # « aude et moi »: a first name
PERSON_MARKERS = frozenset({"appelle", "appelons", "prenom", "prenoms"})  # « je m'appelle Marie »


@dataclass(frozen=True)
class Place:
    """Where the sentence says the person is: a commune, a town elsewhere, or nothing."""

    commune: Commune | None = None
    outside: OutsidePlace | None = None
    evidence: str = ""


def _starts(words: list[Token]) -> tuple[set[int], set[int]]:
    """Positions where a place name surely begins: after a place word (« de » before a
    capital: « je viens de Lourdes »), or a short message; and those of them that name a
    place beside the person's own (see :func:`_aside`)."""
    starts: set[int] = set()
    origins: set[int] = set()
    for i, token in enumerate(words):
        if token.surface in MARKERS:
            j = i + 1
            while j < len(words) and words[j].surface in FILLERS:
                j += 1
            starts.add(j)
            greeted = i > 0 and words[i - 1].surface in GREETING_WORDS  # « hi from Muret »
            if token.surface in FROM_MARKERS and not greeted:
                origins.add(j)
        elif (
            token.surface in ORIGIN_MARKERS
            and i + 1 < len(words)
            and (words[i + 1].capital or not known_word(words[i + 1].surface, "fr"))
        ):
            starts.add(i + 1)  # « je viens d'albi »: no ordinary word after « de »
            origins.add(i + 1)
    if len(words) <= SHORT_MESSAGE:
        starts.add(0)
    return starts, origins | _aside(words, starts)


def _aside(words: list[Token], starts: set[int]) -> set[int]:
    """The starts of places said beside the person's own: one they lived in (« j'habitais à
    Nantes », « I used to live in Lyon », « on a grandi à Bordeaux ») and a landmark (« près
    de Toulouse », « à côté de Pau », « near Toulouse »). Each still names the place when no
    other does."""
    surfaces = [t.surface for t in words]
    aside: set[int] = set()
    for start in starts:
        before = surfaces[max(0, start - PAST_REACH) : start]
        if not PAST_WORDS.isdisjoint(before) or not REFERENCE_WORDS.isdisjoint(before[-3:]):
            aside.add(start)
    return aside


def _settled(words: list[Token]) -> set[int]:
    """Positions right after « on est à », « je suis à », « we are in », or « à » opening the
    message: where the person is, so that a town whose name is an ordinary word is read there
    (« on est à Sens », « à milan on lance… ») if it is a main or large town, or a city
    abroad."""
    return {
        i + 1
        for i, token in enumerate(words)
        if token.surface in SETTLED_MARKERS and (i == 0 or words[i - 1].surface in BEING_WORDS)
    }


def _phrase(words: list[Token], start: int, size: int) -> str:
    return " ".join(ABBREVIATIONS.get(t.surface, t.surface) for t in words[start : start + size])


def _codes(words: list[Token]) -> list[tuple[str, bool]]:
    """The five-digit codes of the words, and whether each was typed in two parts
    (« 31 000 », see :func:`_split_code`)."""
    found = []
    for i, token in enumerate(words):
        code = token.surface
        joined = len(code) == DEPARTMENT_DIGITS and i + 1 < len(words)
        if joined and not _split_code(words, i):
            continue
        if joined:
            code += words[i + 1].surface
        if len(code) == POSTAL_LENGTH and code.isdigit():
            found.append((code, joined))
    return found


def _split_code(words: list[Token], at: int) -> bool:
    """True when the number at ``at`` and the next one are a postal code typed in two parts:
    after a place word (« cp », « code postal », « à »), or alone in their clause at the
    start (« 31 000, jveux monter… »); else an amount (« il nous faut 31 000 euros »)."""
    if at > 0:
        return words[at - 1].surface in MARKERS | {"postal"}
    after = at + SPLIT_CODE_PARTS
    return after == len(words) or words[after].clause != words[at].clause


def _postal(words: list[Token], territory: Territory) -> Place | None:
    """The place of the first postal code; one typed in two parts only here (« 31 000 »:
    « 12 000 euros » is an amount)."""
    for code, joined in _codes(words):
        communes = territory.by_postal(code)
        if len(communes) == 1:  # a code shared by several communes: the person is asked
            return Place(communes[0], None, code)
        if communes:
            return None
        outside = None if joined else territory.elsewhere.by_postal(code)
        if outside is not None:
            return Place(None, outside, code)
    return None


def _typo(territory: Territory, word: str) -> Commune | None:
    """The commune a misspelt word surely names (its first word is close), if any."""
    found = territory.lookup(word)
    candidates = [found.commune] if found.commune is not None else list(found.candidates)
    scored = sorted(
        ((fuzz.ratio(word, fold(c.name).split()[0]), c.name, c) for c in candidates),
        key=lambda item: (-item[0], item[1]),
    )
    if not scored or scored[0][0] < TYPO_SCORE:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # two communes as close: the person is asked
    return scored[0][2]


def _person(words: list[Token], at: int) -> bool:
    """True when the word at ``at`` is the person's own name (« je m'appelle Valentine »,
    « moi c'est Valentine »): its capital says nothing of a place."""
    before = [t.surface for t in words[max(0, at - 2) : at]]
    return bool(before) and (before[-1] in PERSON_MARKERS or before == ["c", "est"])


def _companions(words: list[Token]) -> set[int]:
    """The position of a name opening its clause and said with the person (« Florence et
    moi », « Bonjour, Marie and I »; not « I live in Labège and I… »): someone, not a place."""
    return {
        i
        for i in range(len(words) - 2)
        if (words[i + 1].surface, words[i + 2].surface) in COMPANIONS
        and (i == 0 or words[i - 1].clause != words[i].clause)
    }


def _clauses(words: list[Token]) -> dict[int, tuple[int, int]]:
    """Each clause's first word and the position after its last (« Lourdes. » is one)."""
    bounds: dict[int, tuple[int, int]] = {}
    for i, token in enumerate(words):
        first, _ = bounds.get(token.clause, (i, i))
        bounds[token.clause] = (first, i + 1)
    return bounds


def _alone(words: list[Token], clauses: dict[int, tuple[int, int]], start: int, size: int) -> bool:
    """A name that fills its clause, capitalised (« Castres : foyer… », « Gers, asso… ») or
    opening the message (« castanet : … », « rennes, … »; an ordinary word must still be a
    main town there: see :func:`_named`)."""
    if clauses[words[start].clause] != (start, start + size):
        return False
    return words[start].capital or start == 0


def _after_marker(words: list[Token], at: int) -> tuple[bool, bool]:
    """Whether a department's name at ``at`` follows a place word (« dans le », « en »,
    « in the »), and whether a number there does (« du 09 », « dans le 82 », not « le 12 »)."""
    before = at - 1
    article = before >= 0 and words[before].surface in DEPARTMENT_ARTICLES
    marker = before - 1 if article else before
    if marker < 0 or words[marker].surface not in DEPARTMENT_MARKERS:
        return False, False
    marker_word = words[marker].surface
    number = marker_word in NUMBER_AFTER_ARTICLE if article else marker_word in NUMBER_MARKERS
    return True, number


def _department(words: list[Token], territory: Territory) -> str | None:
    """The department outside Haute-Garonne the words name: after a place word (« dans le
    Tarn », « en Aveyron », « on est dans le 81 »), as a name of several words anywhere
    (« Tarn-et-Garonne »), or capitalised alone in its clause (« Gers, asso… »). A name that
    is an ordinary word (« le Lot », « pas cher ») must be capitalised."""
    names = territory.elsewhere.by_department_name
    first_words = territory.elsewhere.department_first_words
    clauses = _clauses(words)
    for at in range(len(words)):
        number = words[at].surface
        is_number = len(number) == DEPARTMENT_DIGITS and number.isdigit()
        if not is_number and number not in first_words:
            continue  # no department's name starts with this word
        after, number_after = _after_marker(words, at)
        if is_number and _name_before(words, at, territory):
            number_after = True  # « aucamville 82 », « Mazères (09) »: the town's department
        if is_number and at > 0 and words[at - 1].surface == "le":
            number_after = number_after or _alone(words, clauses, at - 1, 2)  # « le 81, … »
        if is_number:
            known = number in territory.elsewhere.departments
            if number_after and known and number != HAUTE_GARONNE:
                return number
            continue
        for size in range(min(MAX_NAME_WORDS, len(words) - at), 0, -1):
            code = names.get(_phrase(words, at, size))
            if code is None:
                continue
            ordinary = size == 1 and known_word(words[at].surface, "fr") and not code.isalpha()
            if size > 1 or (after and (words[at].capital or not ordinary)):  # « en espagne »
                return code
            if after and _inside_named(words, at, size):  # « dans le lot », « dans les landes »
                return code
            if _alone(words, clauses, at, size) and not ordinary:
                return code
            if _titled(words, clauses, at, size) or (at == 0 and _opens(words, size)):
                return code
    return None


def _area(words: list[Token], territory: Territory) -> tuple[str, range] | None:
    """The code of the region (``R53``) or the department of the intercommunality elsewhere
    the words name after a place word (« en Bretagne », « au pays basque »), or capitalised
    alone in their clause with or without an article (« Le Pays basque : … »), with the
    positions of its name."""
    names = territory.elsewhere.by_area_name
    clauses = _clauses(words)
    for at, token in enumerate(words):
        if token.surface not in territory.elsewhere.area_first_words:
            continue
        after, _ = _after_marker(words, at)
        for size in range(min(MAX_NAME_WORDS, len(words) - at), 0, -1):
            code = names.get(_phrase(words, at, size))
            if code is not None and (
                after or _titled(words, clauses, at, size) or _alone(words, clauses, at, size)
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


def _street_names(words: list[Token], territory: Territory) -> set[int]:
    """The words of a street's name (« rue de Metz », « avenue de Lyon », « route de
    Revel ») or of a neighbourhood's the base does not know (« Muret, quartier Saint-Jean »;
    not « quartier de la Reynerie », nor the noun in « régie de quartier »): no town, up to
    the end of the clause or a place word (« rue de Metz à Toulouse »)."""
    named: set[int] = set()
    for i, token in enumerate(words):
        district = token.surface in DISTRICT_WORDS and (i == 0 or words[i - 1].surface != "de")
        if not (
            token.surface in STREET_WORDS or (district and not _district(words, i + 1, territory))
        ):
            continue
        for j in range(i + 1, min(i + 1 + MAX_NAME_WORDS, len(words))):
            if words[j].clause != token.clause or words[j].surface in MARKERS:
                break
            named.add(j)
    return named


def _district(words: list[Token], at: int, territory: Territory) -> bool:
    """True when a neighbourhood the base knows is named at ``at``, its article or « de la »
    before it or not (« quartier Les Arènes », « quartier de la Reynerie »)."""
    starts = [at]
    while at < len(words) and words[at].surface in FILLERS | ORIGIN_OF:
        at += 1
        starts.append(at)
    return any(
        territory.district(_phrase(words, start, size))
        for start in starts
        for size in range(1, min(MAX_NAME_WORDS, len(words) - start) + 1)
    )


def find_place(
    words: list[Token], territory: Territory, skip: Collection[int] = frozenset()
) -> Place:
    """The place the words name (see the module docstring), or an empty :class:`Place`;
    words at ``skip`` (a structure's name: « l'Union régionale ») are no place."""
    skip = set(skip) | _street_names(words, territory) | _companions(words)
    words = [replace(t, surface=SKIPPED) if i in skip else t for i, t in enumerate(words)]
    area = _area(words, territory)  # its words name no commune (« lavalette tude dronne »)
    if area is not None and len(area[1]) > 1:
        words = [replace(t, surface=SKIPPED) if i in area[1] else t for i, t in enumerate(words)]
    words = [replace(t, capital=False) if _person(words, i) else t for i, t in enumerate(words)]
    starts, origins = _starts(words)
    settled = _settled(words)
    clauses = _clauses(words)
    department = _department(words, territory) or (area[0] if area else None)
    candidates: list[tuple[int, int, int, Place]] = []  # (start, length, priority, place)
    first_words = territory.place_first_words
    elsewhere: set[int] = set()  # words of an exact name of a town elsewhere: no typo here
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
            phrase = _phrase(words, start, size)
            if size == 1 and (phrase in STOP_WORDS or phrase.isdigit()):
                continue
            if _elsewhere_only(words, territory, start, size, phrase):
                elsewhere.update(range(start, start + size))
                if size > 1:  # « saint jean le vieux », « les bordes »
                    covered.update(range(start, start + size))
            if size > MAX_NAME_WORDS:
                continue
            after = (
                start in starts
                or _alone(words, clauses, start, size)
                or _coded(words, start + size, phrase, territory)
            )
            capital = words[start].capital and words[start + size - 1].capital
            found = (
                _named(
                    territory,
                    article + phrase,
                    size,
                    after=after,
                    capital=capital,
                    department=department,
                )
                if article
                else None
            ) or _named(
                territory,
                phrase,
                size,
                after=after,
                capital=capital,
                department=department,
                opening=start == 0,
                settled=start in settled,
            )
            if found is not None and (
                _of_someone(words, start, phrase, found[2])
                or (found[2].commune is not None and start in covered)
            ):
                found = None  # never a commune here for the start of a name elsewhere
            if found is not None:
                candidates.append((start, *found))
    best = _persons_place(words, candidates, origins)
    if best is not None:
        at, size, _, found_place = best
        return _misspelt_elsewhere(words, territory, at, size, found_place.commune) or found_place
    postal = _postal(words, territory)
    if postal is not None:
        return postal
    if department is not None:
        place = territory.elsewhere.department(department)
        return Place(None, place, fold(place.name))
    for start in sorted(starts | {0} | {i for i, t in enumerate(words) if t.capital}):
        if start < len(words) and start not in elsewhere:
            word = words[start].surface
            if len(word) >= TYPO_MIN_LENGTH and not known_word(word, "fr"):
                commune = _typo(territory, word)
                town = territory.elsewhere.main_town_like(word)
                if town is not None and (commune is None or _closer(word, town, commune)):
                    return Place(None, town, f"{word}≈{town.name}")  # « Montaubant »
                if commune is not None:
                    return _misspelt_elsewhere(words, territory, start, 1, commune) or Place(
                        commune, None, f"{word}≈{commune.name}"
                    )
    return Place()


def _persons_place(
    words: list[Token], candidates: list[tuple[int, int, int, Place]], aside: set[int]
) -> tuple[int, int, int, Place] | None:
    """The place that is the person's among the names found: not one said beside it (an
    origin, a landmark) nor one a later name corrects (« à Albi, enfin à Toulouse », « à
    Muret, pardon à Saint-Lys », « in Lisbon but moving to Toulouse ») nor one inside the
    next (« Saint-Cyprien in Toulouse »: a district); then the longest name, then the surest
    (see :func:`_named`)."""
    corrections = [i for i, t in enumerate(words) if t.surface in CORRECTIONS]
    starts = {start for start, *_ in candidates}

    def key(candidate: tuple[int, int, int, Place]) -> tuple[bool, int, int]:
        start, size, priority, _ = candidate
        corrected = any(start < c < later for c in corrections for later in starts)
        return (start not in aside and not corrected and not within(start + size), size, priority)

    def within(end: int) -> bool:  # « Saint-Cyprien in Toulouse », « Bagatelle à Toulouse »
        return end < len(words) and words[end].surface in WITHIN and end + 1 in starts - aside

    return max(candidates, key=key, default=None)


def _misspelt_elsewhere(
    words: list[Token], territory: Territory, start: int, size: int, commune: Commune | None
) -> Place | None:
    """The town elsewhere that the name of a ``commune`` here and the words after it,
    misspelt, name (« saint jean de verge »: Saint-Jean-de-Verges, not Saint-Jean;
    « villefranche de rouergu »: not Villefranche-de-Lauragais), if any."""
    if commune is None:
        return None
    here = fold(commune.name)
    for end in range(start + size + 1, min(start + size + LONGER_WORDS, len(words)) + 1):
        if words[end - 1].clause != words[start].clause:
            break
        phrase = _phrase(words, start, end - start)
        town = territory.elsewhere.longer_name_like(phrase)
        if town is not None and fuzz.ratio(phrase, fold(town.name)) > fuzz.ratio(phrase, here):
            return Place(None, town, phrase)
    return None


def _elsewhere_only(
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


def _closer(word: str, town: OutsidePlace, commune: Commune) -> bool:
    """True when a misspelt ``word`` means the main ``town`` elsewhere rather than the
    ``commune`` here: it is closer to it, or as close and the commune is no large town while
    the other is (« colomier »: Colomiers, not Colombier in the Haute-Saône; « montaubant »:
    Montauban, not Montauban-de-Luchon)."""
    there = fuzz.ratio(word, fold(town.name))
    here = fuzz.ratio(word, fold(commune.name))
    return there > here or (there == here and (town.large or not commune.large))


def _of_someone(words: list[Token], start: int, phrase: str, place: Place) -> bool:
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


def _ordinary(phrase: str) -> bool:
    """Every word of the name is an ordinary French word or an article (« le plan »)."""
    return all(w in FILLERS or known_word(w, "fr") for w in phrase.split())


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


def _named(
    territory: Territory,
    phrase: str,
    size: int,
    *,
    after: bool,
    capital: bool,
    department: str | None,
    opening: bool = False,
    settled: bool = False,
) -> tuple[int, int, Place] | None:
    """A place named exactly by ``phrase``: (length, priority, place), or None.

    The longer name wins (« Muret-le-Château » over « Muret »), then the priority: a town
    elsewhere that is a main town or lies in the department the text names (4), an exact
    commune of Haute-Garonne (3), the unique commune whose name starts with these words (2:
    « Saint-Orens », « Castanet »; see :meth:`Territory.short_form`), another town elsewhere
    (1), a town elsewhere only because its name opens the message (0). A commune named by
    ordinary words (« Lux », « Le Plan ») must follow a place word or be capitalised; a town
    elsewhere must follow a place word (capitalised, no ordinary word, or a main town: « a
    paris »), be a capitalised main town (« Agen : … ») or a capitalised name of several words
    (« Fos-sur-Mer »), be a long name that is no ordinary word (« montauban ici »; « Marie »
    is a first name first), or open the message as a name that is no ordinary word, a main
    town (« lyon, … ») or a town of 10,000 people of the region (« foix epicerie… »,
    « castres entreprise… »; not « grasse matinée », « orange ») or one that is no French
    word (« brest jveux… »), or follow « on est à » as a main or large town or a city
    abroad named by an ordinary word (« on est à Sens »). A name said exactly that
    is a commune here too is the commune here (« Aucamville »), unless the text names the
    other's department (« aucamville (82) »). The name of villages of several departments far
    from here is no place unless the text names the department.
    """
    elsewhere = territory.elsewhere
    outside = elsewhere.by_name(phrase, department) if department else None
    if outside is None:
        outside = elsewhere.by_name(phrase)
        outside = None if outside is not None and elsewhere.unsure(phrase, outside) else outside
    plain = size == 1 and known_word(phrase, "fr")  # « à la rue » is no town called Rue
    exact = territory.by_name(phrase)
    accepted = outside is not None and (
        (after and (capital or not plain or outside.main))
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
            or (outside.main and not plain)
            or (outside.large and (outside.in_region or not plain))  # « castres… », « brest… »
        )
    )
    if outside is not None and (accepted or opened):
        said = outside.department == department
        if accepted and (said or (outside.main and not exact)):
            return size, 4, Place(None, outside, phrase)
    else:
        outside = None
    if exact and (after or capital or not _ordinary(phrase)):
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


def _a_word(phrase: str, size: int) -> bool:
    """True when ``phrase`` is one ordinary word of either language (« our », « orange »)."""
    return size == 1 and (known_word(phrase, "fr") or known_word(phrase, "en"))


def _name_before(words: list[Token], at: int, territory: Territory) -> bool:
    """True when the words just before ``at`` are the whole name of a commune here or of a
    town elsewhere (« aucamville 82 », « Saint-Simon (46) »)."""
    return any(
        territory.by_name(name) or territory.elsewhere.by_name(name) is not None
        for name in (
            _phrase(words, at - size, size) for size in range(1, min(at, MAX_NAME_WORDS) + 1)
        )
    )


def _coded(words: list[Token], at: int, phrase: str, territory: Territory) -> bool:
    """True when the word at ``at`` is a postal code of the commune ``phrase`` names (« st
    jean 31240, … »): the name is a place, whatever words it is made of."""
    code = words[at].surface if at < len(words) else ""
    return any(code in c.postal_codes for c in territory.by_name(phrase))
