"""Whether a message reports what happens, spoken by nobody: an announcement or a piece of news.

« Le cours de yoga de ce soir est annulé », « le conseil municipal a inauguré la crèche »,
« concert vendredi au café associatif, venez nombreux ! », « the centre was opened by the
mayor »: a verb in a compound past or the passive (an auxiliary, then a participle) or an
imperative to a readership, and nobody asking — no first-person word, no question, no wish or
search, no difficulty said. Such a message is no request, whatever need words it carries
(« cours », « asso »); « l'association est à la recherche d'un local », « a desk is needed »
and « la SCOP est menacée de fermeture » still are. « Ma voisine a monté une asso » is spoken
by nobody too: a possessive before a word for another person is that person's story — their
dream as well, or a wish of theirs the writer laughs at (« mon frère a toujours rêvé d'ouvrir
un bar », « my son dreams of opening a shop », « ma sœur veut monter une scop lol »), unless the
writer asks something for them (« qui peut l'aider ? »); « ma copine veut créer une
coopérative » is still her plan, told for her. Their job or their association told with no
stage, plan, wish or negation said is their story too (« ma sœur bosse dans une scop », « l'asso
de mon père organise un loto », « my brother works for a co-op bank »).
"""

from __future__ import annotations

from itertools import pairwise

from bot.core.knowledge import RESCUE_STAGE
from bot.core.language import Token
from bot.core.negation import NEGATORS

AUXILIARIES = frozenset(
    "est sont a ont etait etaient sera seront fut is are was were has have had".split()
)
BETWEEN = frozenset("ete deja bien enfin hier been already just finally".split())
"""Words between the auxiliary and its participle (« a été annulé », « has just opened »)."""
PARTICIPLE_ENDINGS = ("é", "ée", "és", "ées")  # read on the accented word
FOLDED_PARTICIPLE_ENDINGS = ("ert", "erte", "erts", "ertes", "ed")  # « ouvert », « opened »
SHORT_PARTICIPLES = frozenset(
    "fait faite prevu prevue vendu vendue pris prise recu recue done made held won given".split()
)
IRREGULAR_ENDINGS = ("i", "is", "ise", "ises", "it", "ite", "u", "ue", "us", "ues")
"""Endings of the participles of verbs in -ir and -re (« a grandi », « a repris », « a perdu »),
read on a word the lemmatiser took back to such an infinitive."""
MIN_PARTICIPLE = 3  # letters: « né » is too short to tell from noise
IMPERATIVE_ENDING = "ez"  # « venez nombreux », « expliquez … » (lemma: the infinitive)
INFINITIVE_ENDINGS = ("er", "ir", "re")
ASKING = frozenset(
    "chercher rechercher besoin falloir aider aide vouloir souhaiter aimer pouvoir savoir "
    "conseiller need look seek search help want wish like advise".split()
)
"""Lemmas of a wish, a search or a need: somebody asks (« est à la recherche », « is needed »)."""
REQUESTING = frozenset(
    "chercher rechercher besoin falloir aider aide pouvoir savoir conseiller conseil need look "
    "seek search help advise".split()
)
"""The lemmas of ``ASKING`` that ask for something, not only wish it (« veut », « would like »:
the wish of whom the message tells)."""
DREAMING = frozenset("rever reve dream dreaming".split())
LAUGHING = frozenset("lol mdr mdrr ptdr haha hahaha hihi xd".split())
"""Words of a dream, of laughter: a wish told, not a plan under way (« il le fera jamais lol »)."""
RELATIVES = frozenset(
    "voisin voisine fils fille frere soeur pere mere mari epoux epouse copain copine ami amie "
    "cousin cousine oncle tante collegue neveu niece maman papa mamie papi parents femme "
    "compagnon compagne conjoint conjointe neighbour partner "
    "neighbor son daughter brother sister father mother husband wife friend uncle aunt "
    "colleague nephew mum mom dad grandma grandpa grandmother grandfather".split()
)
"""Words for another person (« ma voisine », « my son »): the possessive before them is no
speaker's; folded surfaces (the thesaurus reads « voisine » as « habitant »)."""
KIN_ADJECTIVES = frozenset("grand grande petit petite beau belle demi arriere".split())
"""Words between a possessive and a word for a relative (« ma grand-mère », « mon beau-frère »)."""
PLANS = frozenset("projet project idee idea".split())
"""A plan said (« mon fils, projet de food truck »): told for the person, maybe to ask."""
MAKING = frozenset("creer lancer ouvrir tester reprendre open".split())
"""Thesaurus heads of making something (« monter », « create » are « creer »; « start »,
« démarrer » are « lancer »): said in the infinitive, a plan asked about (« créer une SCOP »),
whatever else the message reports."""


def reported(
    words: list[Token], first_person: frozenset[str], question: bool, stages: set[str]
) -> bool:
    """True when ``words`` report an event or a state, spoken by nobody and asking nothing
    (see the module's doc); ``stages`` are the stages the words say."""
    if question or RESCUE_STAGE in stages:
        return False
    if speaking(words, first_person):
        return False
    if _told_of_another(words, first_person) and _said(words, DREAMING | LAUGHING):
        return not _said(words, REQUESTING)  # « mon frère rêve d'ouvrir un bar »: nobody asks
    if _said(words, ASKING):
        return False
    if any(t.lemma in MAKING and _infinitive(t) for t in words):
        return False
    if _told_of_another(words, first_person) and not (stages or _said(words, PLANS)):
        return not _negative(words)  # « ma sœur bosse dans une scop »: another's life
    return any(_compound(a, b) for a, b in _auxiliary_pairs(words)) or any(
        _imperative(t) and (at == 0 or words[at - 1].surface != "vous")
        for at, t in enumerate(words)
    )


def speaking(words: list[Token], first_person: frozenset[str]) -> bool:
    """True when ``words`` have a word of ``first_person`` that is the speaker's (not « ma »
    in « ma voisine »: a possessive before a word for another person)."""
    return any(
        t.surface in first_person and not _before_another(words, at) for at, t in enumerate(words)
    )


def _told_of_another(words: list[Token], first_person: frozenset[str]) -> bool:
    """True when a possessive of ``first_person`` comes before a word for another person."""
    return any(
        t.surface in first_person and _before_another(words, at) for at, t in enumerate(words)
    )


def _before_another(words: list[Token], at: int) -> bool:
    """True when a word for another person follows ``at`` (past a word of kinship: « ma
    grand-mère »)."""
    after = [t.surface for t in words[at + 1 : at + 3]]
    if after and after[0] in KIN_ADJECTIVES:
        after = after[1:]
    return bool(after) and after[0] in RELATIVES


def _negative(words: list[Token]) -> bool:
    """True when a negation is said (« ne peut plus payer », « can no longer pay »): maybe a
    trouble the stages miss, told to ask for help."""
    return any(t.denied or t.surface in NEGATORS for t in words)


def _said(words: list[Token], lemmas: frozenset[str]) -> bool:
    """True when a word of ``words`` has one of ``lemmas`` as its lemma or its form."""
    return any(t.lemma in lemmas or t.surface in lemmas for t in words)


def _auxiliary_pairs(words: list[Token]) -> list[tuple[Token, Token]]:
    """Each auxiliary with the word that may be its participle (past one word of ``BETWEEN``)."""
    pairs = []
    for at, (aux, after) in enumerate(pairwise(words)):
        if aux.surface not in AUXILIARIES or aux.text.lower() == "à":
            continue  # « à côté », not « a ouvert »
        pairs.append((aux, after))
        if after.surface in BETWEEN and at + 2 < len(words):
            pairs.append((aux, words[at + 2]))
    return pairs


def _compound(aux: Token, word: Token) -> bool:
    """True when ``word``, after the auxiliary ``aux`` in the same clause, is a participle."""
    if aux.clause != word.clause or aux.negated or len(word.surface) < MIN_PARTICIPLE:
        return False  # « a/é » typed by chance is no participle
    text = word.text.lower()
    return (
        text.endswith(PARTICIPLE_ENDINGS)
        or (len(word.surface) > 4 and word.surface.endswith(FOLDED_PARTICIPLE_ENDINGS))
        or word.surface in SHORT_PARTICIPLES
        or _irregular_participle(word)
    )


def _irregular_participle(token: Token) -> bool:
    """True for a participle of a verb in -ir or -re (« grandi », « repris », « perdu »)."""
    surface, lemma = token.surface, token.lemma
    return (
        lemma != surface
        and lemma.endswith(INFINITIVE_ENDINGS[1:])
        and surface.endswith(IRREGULAR_ENDINGS)
    )


def _infinitive(token: Token) -> bool:
    """True for a verb in the infinitive (« monter », « open »), not « a ouvert », « opened »."""
    return token.surface.endswith(INFINITIVE_ENDINGS) or token.surface == token.lemma


def _imperative(token: Token) -> bool:
    """True for a verb of the second person plural read as an infinitive (« venez »; after
    « vous », the verb is no imperative: « vous avez leur contact »)."""
    surface, lemma = token.surface, token.lemma
    return (
        surface.endswith(IMPERATIVE_ENDING)
        and lemma != surface
        and lemma.endswith(INFINITIVE_ENDINGS)
    )
