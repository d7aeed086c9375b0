"""Names typed approximately: the commune a misspelt word surely names, or the town
elsewhere it means rather than a look-alike here."""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.core.language import Token, known_word, stop_lemmas
from bot.core.places.place import Place
from bot.core.places.words import FILLERS, MARKERS, PAIRED, phrase_at
from bot.core.territory import Commune, OutsidePlace, Territory
from bot.core.text import fold

TYPO_MIN_LENGTH = 5
LONGER_WORDS = 3  # words after a name here read to find a misspelt longer name elsewhere
TYPO_SCORE = 86.0
SPELT_NAME_WORDS = 4  # the most words of a name of several words read misspelt


def misspelt_commune(territory: Territory, word: str) -> Commune | None:
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


def closer_elsewhere(word: str, town: OutsidePlace, commune: Commune) -> bool:
    """True when a misspelt ``word`` means the main ``town`` elsewhere rather than the
    ``commune`` here: it is closer to it, or as close and the commune is no large town while
    the other is (« colomier »: Colomiers, not Colombier in the Haute-Saône; « montaubant »:
    Montauban, not Montauban-de-Luchon)."""
    there = fuzz.ratio(word, fold(town.name))
    here = fuzz.ratio(word, fold(commune.name))
    return there > here or (there == here and (town.large or not commune.large))


def misspelt_elsewhere(
    words: list[Token], territory: Territory, start: int, size: int, commune: Commune | None
) -> Place | None:
    """The town elsewhere that the name of a ``commune`` here and the words after it, or
    before it, misspelt, name (« saint jean de verge »: Saint-Jean-de-Verges, not
    Saint-Jean; « villefranche de rouergu »: not Villefranche-de-Lauragais; « saint jean u
    falga »: Saint-Jean-du-Falga, not Falga), if any."""
    if commune is None:
        return None
    here = fold(commune.name)
    spans = [(start, end) for end in _ends(words, territory, start, start + size)]
    spans += [(begin, start + size) for begin in _begins(words, territory, start)]
    for begin, end in spans:
        phrase = phrase_at(words, begin, end - begin)
        town = territory.elsewhere.longer_name_like(phrase)
        if town is not None and fuzz.ratio(phrase, fold(town.name)) > fuzz.ratio(phrase, here):
            return Place(None, town, phrase)
    return None


def _ends(words: list[Token], territory: Territory, start: int, end: int) -> list[int]:
    """The ends of up to :data:`LONGER_WORDS` words after a name, in its clause, no grammar
    word among them (« I live in Saint-Laurent and… »: no Saint-Laurent-Nouan), none ending
    on « et » (« Barbazan et moi » is no Barbazan-Debat; « prunet et belpui » may be)."""
    ends = []
    for at in range(end, min(end + LONGER_WORDS, len(words))):
        if words[at].clause != words[start].clause or territory.grammar_word(words[at].surface):
            break
        if words[at].surface not in PAIRED:
            ends.append(at + 1)
    return ends


def _begins(words: list[Token], territory: Territory, start: int) -> list[int]:
    """The starts of up to :data:`LONGER_WORDS` words before a name, in its clause, no
    grammar word nor place word among them (« un local sur Saint-Sauveur »: no
    Luz-Saint-Sauveur), none beginning on an article, « de » or « et » (« asso de Vernet »:
    no « de vernet » like Le Vernet; « saint jea du falga » may be)."""
    begins = []
    for at in range(start - 1, max(start - 1 - LONGER_WORDS, -1), -1):
        word = words[at]
        if (
            word.clause != words[start].clause
            or territory.grammar_word(word.surface)
            or word.surface in MARKERS
        ):
            break
        if word.surface not in FILLERS | PAIRED:
            begins.append(at)
    return begins


def misspelt_here(words: list[Token], territory: Territory, start: int, size: int) -> Place | None:
    """The commune here whose name a misspelt word before a town elsewhere begins (« ramonvile
    saint agne »: Ramonville-Saint-Agne, not Saint-Agne in the Dordogne), if any."""
    before = start - 1
    if before < 0 or words[before].clause != words[start].clause:
        return None
    word = words[before].surface
    if len(word) < TYPO_MIN_LENGTH or _ordinary(word):
        return None
    commune = misspelt_commune(territory, word)
    phrase = phrase_at(words, before, size + 1)
    if commune is None or fuzz.ratio(phrase, fold(commune.name)) < TYPO_SCORE:
        return None
    return Place(commune, None, f"{phrase}≈{commune.name}")


def misspelt_place(
    words: list[Token], territory: Territory, starts: set[int], elsewhere: set[int]
) -> Place | None:
    """The place a misspelt word names where a name may begin (``starts``, the first word, a
    capitalised one) but in the exact name of a town elsewhere (``elsewhere``): a long word of
    no language, read as the main town elsewhere it is closest to (« Montaubant ») or the
    commune here it surely names (« Colomier »)."""
    for start in sorted(starts | {0} | {i for i, t in enumerate(words) if t.capital}):
        if start < len(words) and start not in elsewhere:
            word = words[start].surface
            if len(word) >= TYPO_MIN_LENGTH and not _ordinary(word):
                commune = misspelt_commune(territory, word)
                town = territory.elsewhere.main_town_like(word)
                if town is not None and (commune is None or closer_elsewhere(word, town, commune)):
                    return Place(None, town, f"{word}≈{town.name}")  # « Montaubant »
                if commune is not None:
                    return misspelt_elsewhere(words, territory, start, 1, commune) or Place(
                        commune, None, f"{word}≈{commune.name}"
                    )
    return None


def misspelt_long_name(
    words: list[Token], territory: Territory, starts: set[int], elsewhere: set[int]
) -> Place | None:
    """The commune here or the town elsewhere, whichever is closer, whose name of several
    words the words where a name may begin (``starts``, but in an exact name of a town
    elsewhere: ``elsewhere``) misspell, one of them no ordinary word (« à saint gaudin »:
    Saint-Gaudens, no Saint-Gaudent in the Vienne, see :func:`closer_elsewhere`; « à bagnere
    de bigorre »: Bagnères-de-Bigorre)."""
    for start in sorted(starts - elsewhere):
        for size in range(min(SPELT_NAME_WORDS, len(words) - start), 1, -1):
            said = words[start : start + size]
            if said[-1].clause != said[0].clause or any(
                territory.grammar_word(t.surface) for t in said
            ):
                continue
            if all(len(t.surface) < TYPO_MIN_LENGTH or _ordinary(t.surface) for t in said):
                continue
            phrase = phrase_at(words, start, size)
            here = territory.longer_name_like(phrase, TYPO_SCORE)
            there = territory.elsewhere.longer_name_like(phrase)
            if here is not None and (there is None or not closer_elsewhere(phrase, there, here)):
                return Place(here, None, f"{phrase}≈{here.name}")
            if there is not None:
                return Place(None, there, f"{phrase}≈{there.name}")
    return None


def clipped_place(words: list[Token], territory: Territory) -> Place | None:
    """The large town here whose name a word right after a place word cuts short (« sur
    colo », « à blag »; see :meth:`Territory.clipped`); an ordinary word only at the end of
    its clause (« à tour de rôle » is no Tournefeuille)."""
    for at in range(1, len(words)):
        word, going_on = words[at].surface, at + 1 < len(words)
        if words[at - 1].surface not in MARKERS or not word.isalpha():
            continue
        commune = territory.clipped(word)
        ends = not going_on or words[at + 1].clause != words[at].clause
        if commune is not None and (ends or not _ordinary(word)):
            return Place(commune, None, f"{word}≈{commune.name}")
    return None


def _ordinary(word: str) -> bool:
    """True for a word of French or an English stop word (« never » is no misspelt Nevers;
    « castanet » is an English word too, and a commune here)."""
    return known_word(word, "fr") or word in stop_lemmas("en")
