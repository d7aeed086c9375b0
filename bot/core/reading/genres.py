"""The genre of a message that is no request (a job advert, a complaint to a bank: the
taxonomy's ``genres``), and whether the person still speaks of a plan or a structure of their
own in it (« je veux créer… », « notre SCIC… »)."""

from __future__ import annotations

from bot.core.announcements import speaking
from bot.core.language import OWN_POSSESSIVES, Token, known_word
from bot.core.projects import hires
from bot.core.reading.words import BECOMING, DETERMINER_GROUP, FIRST_PERSON, PLAN_WORDS, Found
from bot.core.vocabulary import Cue, Vocabulary

SPEAKERS = FIRST_PERSON - OWN_POSSESSIVES  # « je », « on », « we »: not « notre » alone
OF_WORDS = frozenset({"de", "d", "du", "des", "of"})  # « salle de concert »: inside the phrase
PHRASE_REACH = 5  # « notre salle de concert associative »: back to the noun's determiner
OWN_REACH = 2  # « notre SCIC », « notre petite asso »; not « mon employeur, une association »
BEING_SAID = frozenset({"est", "sommes", "are", "re"})  # « on est une asso », « we're a co-op »
RUNNING = frozenset({"run", "manage", "gerer", "diriger", "animer"})  # « we run a charity »
FOR_US_BEFORE = frozenset({"nous"})  # « qui peut nous financer ? »; « me financer mon permis » is
FOR_US_AFTER = frozenset({"us"})  # one person's own expense (the personal-finance genre)
WE = frozenset({"on", "nous", "we"})  # a collective: « I'm self-employed » is no structure said
OWN_THINGS = frozenset(
    {"projet", "project", "entreprise", "association", "cooperative", "structure", "activite",
     "activity", "idee", "idea", "futur", "future"}
)  # fmt: skip


def find_genre(words: list[Token], vocab: Vocabulary, lang: str | None) -> tuple[str, set[int]]:
    """The genre of message that is no request the words are of (the first one said; "" for
    none) and the positions of its formulas' words. A one-word formula of another language
    than the sentence's counts unless it is a word of the sentence's language (« resume » is
    a French « résumé »)."""
    surfaces = tuple(t.surface for t in words)
    lemmas = tuple(t.lemma for t in words)
    genres: list[str] = []
    said: set[int] = set()
    for at, surface in enumerate(surfaces):
        keys = dict.fromkeys((surface, lemmas[at]))  # « envoyez »: the cues of « envoyer » too
        for cue in (c for key in keys for c in vocab.cues_by_first.get(key, ())):
            span = slice(at, at + len(cue.words))
            alien = (
                len(cue.words) == 1 and lang not in (None, cue.lang) and known_word(surface, lang)
            )
            if not alien and _says(cue, surfaces[span], lemmas[span]):
                genres.append(cue.genre)
                said.update(range(span.start, span.stop))
    return (genres[0] if genres else ""), said


def _says(cue: Cue, surfaces: tuple[str, ...], lemmas: tuple[str, ...]) -> bool:
    """True when the words from ``surfaces`` (and their ``lemmas``) are the cue's formula: word
    for word, or by lemma where the formula is written in base forms."""
    return len(surfaces) == len(cue.words) and all(
        said == word or (cue.inflected and lemma == word)
        for said, lemma, word in zip(surfaces, lemmas, cue.words, strict=True)
    )


def own_plan(
    words: list[Token],
    found: Found,
    formulas: set[int],
    public: bool,
    asked: bool,
    lang: str | None = None,
) -> bool:
    """True when the person speaks of a plan or a structure of their own: a first-person word
    and a stage or a trial said (« je veux créer », « on va lancer », « try selling my
    stuff »), or a structure said as theirs or as what they become, outside the genres'
    ``formulas`` (« notre SCIC », « ma future recyclerie », « on est une asso », « se
    regrouper en coopérative »; not « my insurance company », « selling my co-op shares »), or,
    ``asked`` (a question), a need asked for their group (« … qui peut nous financer ? »), or,
    outside a message to a public, the person hiring (« on va embaucher … »; ``lang``: the
    message's language).
    In a message to a ``public`` the first person must speak (« je », « on »): « notre
    association recrute », « venez à la fête de notre coopérative » are the sender's."""
    surfaces = {t.surface for t in words}
    if not speaking(words, FIRST_PERSON) or (public and SPEAKERS.isdisjoint(surfaces)):
        return False
    if found["stages"] or any(t.lemma in PLAN_WORDS for t in words):
        return True
    if not public and hires(words, lang):
        return True  # « on va embaucher notre première salariée »: an employer, not a job
    needs_at = [at for _, at in found["needs"].values() if at not in formulas]
    if asked and any(_for_us(words, at) for at in needs_at):
        return True
    structures = {at for _, at in found["legal_forms"].values()}
    structures.update(i for i, t in enumerate(words) if t.lemma in OWN_THINGS)
    return any(_owned(words, at, formulas) for at in structures - formulas)


def _for_us(words: list[Token], at: int) -> bool:
    """True when the need said at ``at`` is asked for the person's group (« qui peut nous
    financer ? », « can you fund us »): its object pronoun just before or after it."""
    before = words[at - 1].surface if at > 0 else ""
    after = words[at + 1].surface if at + 1 < len(words) else ""
    return before in FOR_US_BEFORE or after in FOR_US_AFTER


def _owned(words: list[Token], at: int, formulas: set[int]) -> bool:
    """True when the structure at ``at`` is the person's, none of the words telling it a genre's
    ``formulas`` (« selling my », « my insurance company »): closely after a first-person
    possessive, « on est » / « we are », « we run » or a word of becoming (« notre SCIC », « se
    regrouper en coopérative »), or qualifying a noun their possessive determines, back to that
    determiner in the same clause (« notre salle de concert associative »; not « mon employeur,
    une association »: another determiner)."""
    for i in range(max(0, at - OWN_REACH), at):
        if i in formulas:
            continue
        surface = words[i].surface
        we_are = (surface in BEING_SAID or words[i].lemma in RUNNING) and i > 0
        if we_are and words[i - 1].surface in WE:
            return True
        if surface in OWN_POSSESSIVES or (surface in BECOMING and i == at - 1):
            return True
    for i in range(at - 1, max(-1, at - 1 - PHRASE_REACH), -1):
        word = words[i]
        if i in formulas or word.clause != words[at].clause:
            return False
        if word.surface in DETERMINER_GROUP and word.surface not in OF_WORDS:
            return word.surface in OWN_POSSESSIVES
    return False
