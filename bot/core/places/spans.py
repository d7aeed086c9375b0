"""Where a place name begins in a sentence (after « à », « sur », « in »…, a short message),
where one said beside the person's own does (an origin, a landmark), and the words that
name no place (a street, a neighbourhood the base does not know, a person)."""

from __future__ import annotations

from bot.core.greeting import GREETING_WORDS
from bot.core.language import Token, known_word, word_lemmas
from bot.core.negation import DO_CONTRACTED, NEGATORS, RESTATING
from bot.core.places.words import (
    BETWEEN,
    DEPARTMENT_ARTICLES,
    FILLERS,
    MARKERS,
    MAX_NAME_WORDS,
    ORIGIN_MARKERS,
    ORIGIN_OF,
    PAIRED,
    phrase_at,
)
from bot.core.territory import Territory

SHORT_MESSAGE = 3
TOPIC_SUBJECTS = RESTATING | {"je", "j", "on", "nous"}  # « grenade on a une asso », « jveux »
POSTPOSED_MARKERS = frozenset({"based"})  # « London based »: the place before the word
FROM_MARKERS = frozenset({"from"})
SINCE_MARKERS = frozenset({"depuis"})  # « arrivée à Toulouse depuis Marseille »: an origin
PAST_WORDS = frozenset(  # a place lived in before (« j'habitais à », « used to live in »)
    "habitais habitait habitions habitaient vivais vivait vivions vivaient grandi quitte quittons "
    "quittent used grew born".split()
)
OTHERS_LEMMAS = frozenset(  # a place of work, a client's, a head office (« le client est à
    # Auch », « je travaille à Albi », « notre siège est à Montauban »), by their lemmas
    # (language.word_lemmas: « travaillons », « clientes », « working »); « bosse », « bossons »
    # as forms, simplemma reading them as other words (a hump, « bosson »)
    "travailler bosser bosse bossons boulot taf work job client siege fournisseur".split()
)
MOVE_LEMMAS = frozenset(  # « je m'installe à », « je reviens à », « moving to »
    {"installer", "revenir", "demenager", "emmenager", "move", "relocate"}
)
PAST_REACH = 4  # words before a place where one of them is read (« j'ai grandi à »)
REFERENCE_WORDS = frozenset({"pres", "cote", "proche", "near", "around"})  # « près de Pau »
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
COMPANIONS = frozenset({("et", "moi"), ("and", "i"), ("and", "me")})  # « Florence et moi »
OWN_NAME_SAID = frozenset({("c", "est"), ("name", "is")})  # « moi c'est Marie », « my name is »
PERSON_MARKERS = frozenset({"appelle", "appelons", "prenom", "prenoms"})  # « je m'appelle Marie »


def name_starts(words: list[Token]) -> tuple[set[int], set[int]]:
    """Positions where a place name surely begins: after a place word (« de » before a
    capital: « je viens de Lourdes »), the two sides of « entre … et … », a neighbourhood's
    word (« quartier des minimes »), or a short message (past its article: « aux
    minimes ») or a word opening it before the person's subject (« grenade on a… »); and
    those of them that name a place beside the person's own (see :func:`_aside`)."""
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
            token.surface in ORIGIN_MARKERS | SINCE_MARKERS
            and i + 1 < len(words)
            and (words[i + 1].capital or not known_word(words[i + 1].surface, "fr"))
        ):
            starts.add(i + 1)  # « je viens d'albi », « depuis Lyon »: no ordinary word after
            origins.add(i + 1)
        elif token.surface in POSTPOSED_MARKERS and i > 0:
            starts.add(i - 1)  # « London based, … »
        elif token.surface in BETWEEN and i + 1 < len(words):
            starts.add(i + 1)  # « entre grenade et fronton »: two names, « et » between
            reach = words[i + 2 : i + 2 + MAX_NAME_WORDS]
            starts.update(j + 1 for j, t in enumerate(reach, i + 2) if t.surface in PAIRED)
        elif token.surface in DISTRICT_WORDS:  # « quartier des Minimes »: its name after it
            j = i + 1
            while j < len(words) and words[j].surface in FILLERS | ORIGIN_OF:
                j += 1
            starts.add(j)
    if len(words) <= SHORT_MESSAGE or _topic(words):
        starts.add(0)
        starts.add(next((j for j, t in enumerate(words) if t.surface not in FILLERS), 0))
    return starts, origins | _aside(words, starts)


def _topic(words: list[Token]) -> bool:
    """True when the message opens with one word before the person's subject in its clause
    (« grenade on a une asso », « fronton jveux… »): the word says where, as a name alone
    in its clause would."""
    return len(words) > 1 and words[1].surface in TOPIC_SUBJECTS and words[1].clause == 0


def article_starts(words: list[Token]) -> set[int]:
    """Positions of an article right after a place word (« je vis a l union », « à la
    rochelle »): a name may begin there, its article its first word."""
    return {
        i + 1
        for i, token in enumerate(words[:-1])
        if token.surface in MARKERS and words[i + 1].surface in DEPARTMENT_ARTICLES
    }


def _aside(words: list[Token], starts: set[int]) -> set[int]:
    """The starts of places said beside the person's own: one they lived in (« j'habitais à
    Nantes », « I used to live in Lyon », « on a grandi à Bordeaux »), one denied (« je ne
    suis pas à Toulouse », « I'm not in Toulouse », « we don't live in Albi »), a landmark
    (« près de Toulouse », « à côté de Pau », « near Toulouse ») and someone else's or their
    work's (« le client est à Auch », « je travaille à Albi »). Each still names the place
    when no other does."""
    aside: set[int] = set()
    for start in starts:
        window = words[max(0, start - PAST_REACH) : start]
        before = [t.surface for t in window]
        if (
            not PAST_WORDS.isdisjoint(before)
            or any(_denies(t) for t in window if t.clause == window[-1].clause)
            or any(not OTHERS_LEMMAS.isdisjoint(word_lemmas(t.text)) for t in window)
            or not REFERENCE_WORDS.isdisjoint(before[-3:])
        ):
            aside.add(start)
    return aside


def _denies(token: Token) -> bool:
    """True for a negation (« pas », « not », « don't »): in the place's clause, the place is
    not the person's (« no, in Tarbes »: a correction, in a clause of its own, is)."""
    return token.surface in NEGATORS | DO_CONTRACTED


def moved_to(words: list[Token], starts: set[int]) -> int | None:
    """The first of ``starts`` a move leads to (« je quitte Bordeaux pour m'installer à
    Balma », « après 10 ans à Lyon je reviens à Muret », « moving to Toulouse »): a move
    word shortly before it, and no « de », « from » right before it (« déménagé de Toulouse à
    Rodez »: Toulouse is left). The places said before it are the person's past."""
    return min(
        (
            start
            for start in starts
            if start > 0
            and words[start - 1].surface not in ORIGIN_MARKERS | FROM_MARKERS
            and any(
                not MOVE_LEMMAS.isdisjoint(word_lemmas(t.text))
                for t in words[max(0, start - PAST_REACH) : start]
            )
        ),
        default=None,
    )


def settled_starts(words: list[Token]) -> set[int]:
    """Positions right after « on est à », « je suis à », « we are in », or « à » opening the
    message: where the person is, so that a town whose name is an ordinary word is read there
    (« on est à Sens », « à milan on lance… ») if it is a main or large town, or a city
    abroad."""
    return {
        i + 1
        for i, token in enumerate(words)
        if token.surface in SETTLED_MARKERS and (i == 0 or words[i - 1].surface in BEING_WORDS)
    }


def own_name(words: list[Token], at: int) -> bool:
    """True when the word at ``at`` may be the person's own name (« moi c'est Valentine »,
    « my name is Valentine »): its capital says nothing of a place."""
    before = tuple(t.surface for t in words[max(0, at - 2) : at])
    return before in OWN_NAME_SAID or named_person(words, at)


def named_person(words: list[Token], at: int) -> bool:
    """True when the word at ``at`` surely is someone's name (« je m'appelle Noé », « mon
    prénom c'est… » aside): no place, whatever commune bears it."""
    return at > 0 and words[at - 1].surface in PERSON_MARKERS


def english_opening(words: list[Token]) -> set[int]:
    """The position of a capitalised English word opening the message before another English
    word of its clause, in lower case (« Nice people here », « Gap year done »): the capital of
    a sentence's start, not Nice or Gap; a town's name before a break, a name or « based »
    (« Nice : asso… », « Pech David », « London based ») still is one."""
    if len(words) < 2 or words[1].clause != words[0].clause:
        return set()
    if not words[0].capital or words[1].capital or words[1].surface in POSTPOSED_MARKERS:
        return set()  # « London based »: a place
    first, second = words[0].surface, words[1].surface
    english = known_word(first, "en") and not known_word(first, "fr")
    return {0} if english and known_word(second, "en") else set()


def companions(words: list[Token]) -> set[int]:
    """The position of a name opening its clause and said with the person (« Florence et
    moi », « Bonjour, Marie and I »; not « I live in Labège and I… »): someone, not a place."""
    return {
        i
        for i in range(len(words) - 2)
        if (words[i + 1].surface, words[i + 2].surface) in COMPANIONS
        and (i == 0 or words[i - 1].clause != words[i].clause)
    }


def unplaced_words(words: list[Token], territory: Territory) -> set[int]:
    """The words of a street's name (« rue de Metz », « avenue de Lyon », « route de
    Revel ») or of a neighbourhood's the base does not know (« Muret, quartier Saint-Jean »;
    not « quartier de la Reynerie », nor the noun in « régie de quartier », nor a
    neighbourhood described: « un quartier populaire de Toulouse »): no town, up to the end
    of the clause or a place word (« rue de Metz à Toulouse »)."""
    named: set[int] = set()
    for i, token in enumerate(words):
        district = token.surface in DISTRICT_WORDS and (i == 0 or words[i - 1].surface != "de")
        if not (
            token.surface in STREET_WORDS
            or (
                district
                and not _district(words, i + 1, territory)
                and _named(words, i + 1, territory)
            )
        ):
            continue
        for j in range(i + 1, min(i + 1 + MAX_NAME_WORDS, len(words))):
            if words[j].clause != token.clause or words[j].surface in MARKERS:
                break
            named.add(j)
    return named


def _named(words: list[Token], at: int, territory: Territory) -> bool:
    """True when the word at ``at`` may begin a name: capitalised, a word of the names here
    (« quartier saint jean »), or no ordinary French word; « quartier populaire » describes
    one."""
    if at >= len(words):
        return False
    word = words[at]
    return (
        word.capital or word.surface in territory.name_words or not known_word(word.surface, "fr")
    )


def _district(words: list[Token], at: int, territory: Territory) -> bool:
    """True when a neighbourhood the base knows is named at ``at``, its article or « de la »
    before it or not (« quartier Les Arènes », « quartier de la Reynerie »)."""
    starts = [at]
    while at < len(words) and words[at].surface in FILLERS | ORIGIN_OF:
        at += 1
        starts.append(at)
    return any(
        territory.district(phrase_at(words, start, size))
        for start in starts
        for size in range(1, min(MAX_NAME_WORDS, len(words) - start) + 1)
    )
