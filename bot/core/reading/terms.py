"""The taxonomy's terms (stages, legal forms, needs) the words say: synonyms matched on lemmas
or words, longest first, each word used once, never inside a negation; a misspelt one-word
synonym too."""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.core.language import Token, known_word
from bot.core.negation import IDENTITY_VERBS
from bot.core.reading.situation import (
    IDENTITY,
    employer,
    possessed,
    said_of_oneself,
    seeks_own_job,
    volunteers_elsewhere,
    workplace,
)
from bot.core.reading.words import ANY_BUSINESS, DETERMINER_GROUP, OTHERS_POSSESSIVES, Found
from bot.core.taxonomy import KINDS
from bot.core.text import fold
from bot.core.vocabulary import TYPO_MIN_LENGTH, Phrase, Vocabulary

TYPO_SCORE = 84.0
NONE_OF = frozenset({"pas", "no", "aucun", "aucune", "ni"})  # « pas d'asso », « no company »
MANY = frozenset({"des", "aux", "autres", "the", "other", "of"})  # « des associations »
QUANTITIES = frozenset(
    {
        "plein",
        "beaucoup",
        "tas",
        "nombre",
        "plusieurs",
        "nombreuses",
        "nombreux",
        "lots",
        "many",
        "several",
        "various",
    }
)  # « plein d'associations », « plusieurs coopératives », « lots of co-ops »: others
OF = frozenset({"d", "de", "of"})
IDENTITY_REACH = 3  # « nous sommes une fédération d'associations »: what they are
HELD_NEEDS = frozenset(
    {"premises", "coworking", "funding", "savings", "advice"}
)  # one can have them (« j'ai un rendez-vous chez le dentiste »: advice one has)
PEOPLE = frozenset(
    {"gens", "personne", "public", "jeune", "famille", "femme", "homme", "enfant", "people"}
)
BOT_PRONOUNS = frozenset({"t", "te"})  # « qui t'a créé », « on t'a programmé »
AUXILIARIES = frozenset({"a", "as", "ont"})
PURPOSE = frozenset({"pour", "to"})  # « des gens pour monter … »: what they will do together
NAME_SPAN = range(-1, 0)  # marks the words of a structure's name: no phrase shares it
ADVERB_ENDING = "ment"
CONTACTING = frozenset({"appeler", "contacter", "joindre", "ecrire", "call", "contact", "phone"})
THE = frozenset({"le", "la", "l", "the"})  # « appeler la coopérative »: one the person knows
THING_NEEDS = frozenset({"premises", "coworking", "test-activity"})  # said by a thing's name
THING_LINKS = frozenset(
    {"à"}
)  # « couveuse à œufs », « local à vélos » (« salle de sport »: a gym to find)
INFINITIVES = ("er", "ir", "re", "oir")
AT_SOMEONES = frozenset({"chez"})  # « rendez-vous chez un dentiste »: at their place
QUALIFIERS = frozenset({"collectif"})  # a form that is a French adjective after a noun too
READY = frozenset({"pret"})  # « prêt »: a loan, or « ready » said of something (« sont prêts »)
DEGREE = frozenset(
    {"presque", "quasi", "fin", "tout", "deja", "enfin", "bientot", "pas", "encore", "vraiment"}
)  # « nos statuts sont presque prêts », « on est fin prêts »


def _matches(words: list[Token], phrase: Phrase, at: int) -> bool:
    """True when ``phrase`` is said at ``at``: each word by its lemma or its form (not the
    form of a verb read with its particle: « my car broke down » is not « broke »), or a
    determiner for another of its language (« baisse la subvention »)."""
    size = len(phrase.lemmas)
    if at + size > len(words):
        return False
    said = words[at : at + size]
    for t, lemma, surface in zip(said, phrase.lemmas, phrase.surfaces, strict=True):
        if t.lemma == lemma or (t.surface == surface and " " not in t.lemma):
            continue  # a verb read with its particle is not its bare form (« broke down »)
        group = DETERMINER_GROUP.get(t.surface)
        if group is None or group != DETERMINER_GROUP.get(surface):
            return False
    return True


@lru_cache(maxsize=8192)
def _typo_of(words: tuple[str, ...], word: str) -> str | None:
    """The one of ``words`` that ``word`` misspells (:data:`TYPO_SCORE` close at least), if any."""
    found = process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
    return found[0] if found else None


def find_terms(
    words: list[Token], vocab: Vocabulary, lang: str | None, names: set[int]
) -> tuple[Found, set[int], bool]:
    """Taxonomy terms found, by kind: term → the words it came from; the positions of a
    job the person seeks for themself or of what they already have (words that say nothing
    of what the project needs); and whether they seek a job for themself.

    One-word synonyms of the sentence's language only (« office » is not a French
    « bureau »), of both when the language is unsure; a stage said of people (« des gens en
    difficulté ») is not the project's stage; the words of a structure's name (« l'union
    régionale des SCOP ») say whom the person asks about, not what they need."""
    candidates = {
        (phrase, at)
        for at, token in enumerate(words)
        for key in (token.lemma, token.surface)
        for phrase in vocab.phrases_by_first.get(key, ())
        if (lang is None or phrase.lang == lang or len(phrase.lemmas) > 1)
        and _matches(words, phrase, at)
        and not (phrase.kind == "stages" and _about_people(words, at))
    }
    taken: list[range | None] = [NAME_SPAN if i in names else None for i in range(len(words))]
    found: Found = {kind: {} for kind in KINDS}
    sought: set[int] = set()
    seeking = False
    needs_read: dict[range, Phrase] = {}  # the spans read as needs, with their phrase
    for phrase, at in sorted(candidates, key=lambda c: (vocab.rank[c[0]], c[1])):
        span = range(at, at + len(phrase.lemmas))
        inside = {r for i in span if (r := taken[i]) is not None and r != span}
        if inside and not _named_form(words, phrase, at, {r: needs_read.get(r) for r in inside}):
            continue  # part of a longer phrase already read (« coopérative d'activités »)
        if not phrase.negative and any(words[i].negated for i in span):
            continue
        if phrase.kind == "stages" and not phrase.negative and any(words[i].denied for i in span):
            continue  # « rien n'existe », « pas encore lancé »: not this stage
        if phrase.kind == "legal_forms" and not phrase.negative and _said_none(words, at):
            continue  # « pas d'asso, pas de statut »: not their form
        if phrase.kind == "legal_forms" and (
            employer(words, at) or volunteers_elsewhere(words, at)
        ):
            continue  # « salarié d'une asso, je veux créer mon activité », « I volunteer at… »
        if phrase.kind == "legal_forms" and _others(words, span):
            continue  # « la coordination des associations »: whom they ask about
        if phrase.kind == "legal_forms" and lang == "fr" and _qualifies(words, at, vocab.stop):
            continue  # « restauration collective »: a kind of catering, not a collective
        if phrase.kind == "needs" and _ready(words, at):
            continue  # « nos statuts sont presque prêts »: ready, no loan
        searched = phrase.kind == "needs" and seeks_own_job(words, at, phrase)
        own_job = searched or (phrase.kind == "needs" and workplace(words, at))
        seeking = seeking or searched
        had = phrase.term in HELD_NEEDS and possessed(words, at)
        had = had or (phrase.kind == "needs" and _elsewhere(words, span, vocab, names))
        if phrase.term in THING_NEEDS and len(span) == 1 and _another_thing(words, at, vocab):
            continue  # « la salle de bain », « ma couveuse à œufs »: not the need's thing
        if own_job or had or (phrase.kind == "needs" and said_of_oneself(words, at)):
            for i in span:  # « je suis demandeur d'emploi »: who they are, « emploi » included
                taken[i] = span
            sought.update(span if own_job or had else ())
            continue
        if inside:  # « SAS d'insertion »: the form said within the need
            found[phrase.kind].setdefault(phrase.term, (words[at].surface, at))
            continue
        for i in span:
            taken[i] = span
        if phrase.kind == "needs":
            needs_read[span] = phrase
        words_said = " ".join(words[i].surface for i in span)
        found[phrase.kind].setdefault(phrase.term, (words_said, at))
    typo_words = tuple(w for lg, w in vocab.typo_words if lang is None or lg == lang)
    for i, token in enumerate(words):
        word = token.surface
        if taken[i] or token.negated or len(word) < TYPO_MIN_LENGTH:
            continue
        if _real_word(token) or token.lemma in vocab.thesaurus_heads:
            continue  # a real word (« réemploi », « finalement »), not a misspelt synonym
        close = _typo_of(typo_words, word)
        if close is not None:
            phrase = next(p for (_, w), p in vocab.typo_words.items() if w == close)
            if not (phrase.kind == "stages" and (_about_people(words, i) or token.denied)):
                found[phrase.kind].setdefault(phrase.term, (f"{word}≈{close}", i))
    return found, sought, seeking


def _named_form(
    words: list[Token], phrase: Phrase, at: int, around: dict[range, Phrase | None]
) -> bool:
    """True when ``phrase`` is a legal form said by its own one-word name (« SAS ») inside a
    need phrase (``around``) that read that word by its lemma alone: « une SAS d'insertion »
    is an « entreprise d'insertion » and still says the person's form; « coopérative
    d'activités » names its own word, a CAE, no cooperative."""
    word = words[at].surface
    if phrase.kind != "legal_forms" or len(phrase.surfaces) != 1 or word != phrase.surfaces[0]:
        return False
    return all(
        need is not None and need.surfaces[at - span.start] != word for span, need in around.items()
    )


def _qualifies(words: list[Token], at: int, stop: frozenset[str]) -> bool:
    """True when the one-word form at ``at`` is an adjective of the noun just before it
    (« restauration collective », « potager collectif »; not « un collectif »)."""
    before = words[at - 1] if at > 0 else None
    return (
        words[at].lemma in QUALIFIERS
        and before is not None
        and before.clause == words[at].clause
        and before.lemma not in stop
    )


def _ready(words: list[Token], at: int) -> bool:
    """True when the word at ``at`` is « prêt » said as « ready », after « être » (a word of
    degree aside: « nos statuts sont presque prêts », « on est fin prêts »), not a loan (« un
    prêt », « on cherche un prêt »)."""
    if words[at].lemma not in READY:
        return False
    before = at - 1
    while before >= 0 and words[before].surface in DEGREE:
        before -= 1
    return before >= 0 and words[before].lemma in IDENTITY_VERBS


def _elsewhere(words: list[Token], span: range, vocab: Vocabulary, names: set[int]) -> bool:
    """True when the need at ``span`` is sought at a trade the base never speaks of
    (« prendre rendez-vous chez un dentiste », « des conseils chez le coiffeur »), not at a
    structure (« rendez-vous chez le DLA ») nor one it knows (« chez un conseiller »), nor at
    home (« une régie de quartier chez nous »)."""
    after = list(range(span.stop, min(len(words), span.stop + 3)))
    if not after or words[after[0]].surface not in AT_SOMEONES:
        return False
    rest = [i for i in after[1:] if words[i].surface not in DETERMINER_GROUP][:1]
    return bool(rest) and not (
        rest[0] in names
        or words[rest[0]].lemma in vocab.stop  # « chez nous », « chez moi »: at home
        or words[rest[0]].lemma in vocab.index.postings
        or words[rest[0]].lemma in vocab.thesaurus_heads
    )


def _another_thing(words: list[Token], at: int, vocab: Vocabulary) -> bool:
    """True when the one-word need at ``at`` is made another thing by its complement after
    « à », a word the base never speaks of (« couveuse à œufs », « pépinière à rosiers »; not a
    verb: « bureau à louer »; « salle de sport » may be a gym the person looks for)."""
    after = words[at + 1 : at + 3]
    if (
        len(after) < 2
        or after[0].text.lower() not in THING_LINKS
        or after[0].clause != words[at].clause
    ):
        return False
    thing = after[1]
    return not (
        thing.surface.endswith(INFINITIVES)  # « un bureau à louer »: what it is for
        or thing.lemma in vocab.stop
        or thing.lemma in vocab.index.postings
        or thing.lemma in vocab.thesaurus_heads
        or not known_word(thing.surface, "fr")
    )


def _said_none(words: list[Token], at: int) -> bool:
    """True when a « none of » word comes just before ``at``, a determiner aside."""
    before = [t.surface for t in words[max(0, at - 2) : at]]
    if before and before[-1] in DETERMINER_GROUP:
        before.pop()
    return bool(before) and before[-1] in NONE_OF


def said_of_others(words: list[Token], at: int) -> bool:
    """True when the words at ``at`` follow a possessive of someone else (« l'URSCOP réserve son
    appui à ses coopératives adhérentes », « their co-op ») or are the one the person will
    contact (« je vais appeler la coopérative »): not the person's own."""
    if at > 0 and words[at - 1].surface in OTHERS_POSSESSIVES:
        return True
    return at > 1 and words[at - 1].surface in THE and words[at - 2].lemma in CONTACTING


def _others(words: list[Token], span: range) -> bool:
    """True when a legal form is said of others: after a possessive of theirs (« ses
    coopératives adhérentes »), or in the plural after an article for many (« des
    associations », « aux associations », « plein d'associations », « the associations'
    network »; « les coopératives » may be the kind the person will found: « … créer la nôtre »)."""
    if said_of_others(words, span.start):
        return True
    word = words[span.start]
    plural = len(span) == 1 and word.surface.endswith("s") and word.surface != word.lemma
    kind = word.lemma not in ANY_BUSINESS  # « vendre aux entreprises »: their customers
    before = [t.surface for t in words[max(0, span.start - 2) : span.start]]
    many = bool(before) and before[-1] in MANY | QUANTITIES
    grouped = len(before) == 2 and before[1] in OF and _group_of_others(words, span.start - 2)
    return plural and kind and (many or grouped)


def _group_of_others(words: list[Token], at: int) -> bool:
    """True when the word at ``at``, before « de », counts or gathers others (« plein
    d'associations », « une coordination d'associations »), not what the person is (« nous
    sommes une fédération d'associations »)."""
    if words[at].surface in QUANTITIES:
        return True
    said = words[max(0, at - IDENTITY_REACH) : at]
    being = any(t.lemma in IDENTITY_VERBS or t.surface in IDENTITY for t in said)
    return words[at].lemma.isalpha() and not being


def _real_word(token: Token) -> bool:
    """A word of either language, or an adverb made of one (« finalement », « financièrement »:
    the lemmatiser knows few adverbs)."""
    word = token.surface
    if known_word(word, "fr") or known_word(word, "en"):
        return True
    if not word.endswith(ADVERB_ENDING):
        return False
    stem = token.text.lower()[: -len(ADVERB_ENDING)]
    return known_word(stem, "fr") or known_word(fold(stem), "fr")


def _about_people(words: list[Token], at: int) -> bool:
    """True when the words at ``at`` follow a word for people (« des personnes en … »), not
    as their purpose (« je cherche des gens pour monter une cantine »), or are done to the bot
    (« qui t'a créé ? »: its maker, no project); a word of another clause is none of them
    (« emploie cinq personnes ; les recettes baissent »)."""
    before = [t for t in words[max(0, at - 2) : at] if t.clause == words[at].clause]
    if before and before[-1].surface in PURPOSE:
        return False
    if before and before[-1].surface in AUXILIARIES:
        before = before[:-1]
    if before and before[-1].surface in BOT_PRONOUNS:
        return True
    return any(t.lemma in PEOPLE for t in before)


def term_positions(terms: dict[str, tuple[str, int]]) -> set[int]:
    """The positions of the words the ``terms`` were read from."""
    return {at + i for said, at in terms.values() for i in range(len(said.split()))}
