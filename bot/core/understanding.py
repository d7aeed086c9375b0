"""Free-text understanding: what one message says about the project and where the person is.

The message is read with the language toolchain (:mod:`bot.core.language`): its language, its
words as lemmas, the words a refusal or a denial bears on. From there:

- stage, legal form and needs come from the taxonomy's synonyms, matched on lemmas (or on
  words, or one word with a typo), longest first, each word used once — « coopérative
  d'activités et d'emploi » is a CAE, not a cooperative — and never inside a negation;
- a legal form named in a question (« c'est quoi une SCIC ? ») is not the person's own;
- the place comes from :mod:`bot.core.places` (a commune, or a town outside the department);
- the actors the message is closest to come from BM25 over the actors' descriptions, and the
  actors it names (« le DLA », « Maison de l'Initiative »);
- a web address is pasted, not said: its words are not read (« www.scopmidipyrenees.coop »
  alone asks nothing);
- a message that only greets (« Bonjour ! ») is marked so, for the dialogue to greet back;
- a message of a genre that is no request (a job advert, a complaint to a bank, a homework
  question: the taxonomy's ``genres``) says nothing about a project, unless the person speaks
  of a plan or a structure of their own (« je veux créer… », « notre SCIC… »); so does a
  message that reports news or an event, spoken by nobody and asking nothing
  (:mod:`bot.core.announcements`: « le cours de yoga de ce soir est annulé »).

Each inference keeps the words it came from, so the person can see and correct it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.core.announcements import reported, speaking
from bot.core.greeting import only_greets, only_thanks
from bot.core.knowledge import KnowledgeBase
from bot.core.language import (
    LANGS,
    OWN_POSSESSIVES,
    Token,
    detect_language,
    known_word,
    tokens,
)
from bot.core.places import find_place
from bot.core.projects import FIRST_PERSON, idle_talk, said_as_project
from bot.core.taxonomy import KINDS
from bot.core.territory import Commune, OutsidePlace
from bot.core.text import fold
from bot.core.vocabulary import TYPO_MIN_LENGTH, Cue, Phrase, Vocabulary, vocabulary

LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*", re.IGNORECASE)
"""A web address (« https://… », « www.… », « bit.ly/… »): pasted, not said; not read."""
TYPO_SCORE = 84.0
MAX_CHARS = 4000
MAX_WORDS = 200
SIMILAR_KEEP = 8
SIMILAR_MIN = 3.0
SIMILAR_MIN_TERMS = 2
SIMILAR_STRONG = 6.0
SIMILAR_SHARE = 0.4
COOP_FORMS = frozenset({"scop", "scic"})
COOP_NEED = "coop-status"
COOP_NAMES = frozenset({"cooperative", "scop", "scic", "coop", "co"})  # « co-op »: « co », « op »
MANY = frozenset({"des", "aux", "autres", "the", "other", "of"})  # « des associations »
NONE_OF = frozenset({"pas", "no", "aucun", "aucune", "ni"})  # « pas d'asso », « no company »
LIVED_STAGES = frozenset({"launching", "growing", "struggling"})
BECOMING = frozenset({"en", "into", "to"})
BECOMING_VERBS = frozenset(
    {"devenir", "become", "passer", "transformer", "turn", "convert", "switch", "creer",
     "lancer", "reprendre", "choisir", "choose", "statut", "status", "forme", "form"}
)  # fmt: skip
BECOMING_AS = BECOMING | {"as"}
BECOMING_AS_REACH = 3
BECOMING_REACH = 4  # « devenir peut-être une SCIC », « se transformer un jour en coopérative »
WEAK_STAGE_WORDS = frozenset(
    {"creer", "monter", "lancer", "demarrer", "commencer", "start", "preparer", "developper",
     "building"}  # « an office in a building »
)  # fmt: skip
PEOPLE = frozenset(
    {"gens", "personne", "public", "jeune", "famille", "femme", "homme", "enfant", "people"}
)
SELF_COPULAS = (("je", "suis"), ("i", "am"), ("i", "m"), ("jsuis",), ("chuis",), ("i", "was"))
SELF_LOSSES = frozenset({"perdre", "quitter", "lose", "lost", "quit", "leave", "left"})
SELF_POSSESSIVES = frozenset({"mon", "ma", "my"})
SELF_BETWEEN = frozenset(
    {"au", "en", "un", "une", "a", "an", "actuellement", "currently", "now", "still", "toujours",
     "encore", "long", "term", "depuis", "peu"}
)  # fmt: skip
SELF_REACH = 2  # « je suis au chômage », « I'm currently unemployed »
WORKPLACE_WORDS = frozenset({"dans", "chez", "at", "in", "for"})
EMPLOYER_WORDS = WORKPLACE_WORDS | {"d", "de", "of"}  # « salarié d'une asso », « employee of »
SEARCHING = frozenset({"recherche", "looking"})  # « je suis à la recherche d'un local dans »
WORKERS = frozenset({"je", "j", "jsuis", "chuis", "i", "im"})  # one person, of themself
WORKING = frozenset({"etre", "be", "jsuis", "chuis", "im", "am", "m", "travailler", "benevole"})
WORK_REACH = 5  # « je suis entrepreneure salariée dans une CAE », « I work for a charity »
COPULA = "etre"
HELD_NEEDS = frozenset({"premises", "coworking", "funding", "savings"})  # one can have them
HAVING_VERBS = frozenset({"avoir", "have", "disposer", "posseder"})
HAVERS = frozenset({"on", "il", "elle", "qui", "ca", "nous", "we"})  # « on a une salle »
HAD_BETWEEN = frozenset(
    {"deja", "already", "bien", "meme", "also", "aussi", "petit", "grand", "small", "big"}
)  # « on a déjà un », « on est une petite salle »
BEING = frozenset({"est", "sommes", "are"})  # « on est une salle », « we are a venue »
JOB_NEED = "employment"
SEARCH_VERBS = frozenset({"chercher", "rechercher", "look", "seek", "searching"})
SEARCHERS = (("je",), ("j",), ("i",), ("i", "m"), ("jsuis",))  # one person, for themself
SEARCH_FOR = frozenset({"for"})  # « I'm looking for a job »
STAFF = "salari"  # the lemma « salarié » and its forms (« salariées »; « staff » is one)
VOLUNTEER = "benevole"  # the thesaurus head of « bénévole », « volunteer » (« benevoles »: SMS)
NO_COUNT = frozenset({"0", "zero"})  # « 0 salarié », « zéro employé »: nobody employed
NOBODY = frozenset({"personne", "nobody"})  # « personne n'est salarié »
NOBODY_VERBS = frozenset({"ne", "n", "is", "gets", "get"})  # not « une personne salariée »
PAID = "paid"  # « nobody is paid »
ONLY_VOLUNTEERS = frozenset(
    "que seulement uniquement entierement 100 only all purely fully".split()
)
RUN_BY = frozenset({"run", "led", "only"})  # « volunteer-run », « volunteer-led »
IDENTITY = frozenset(
    "suis es est sommes etes sont am is are m".split()
)  # « je ne suis pas salarié »
STAFF_ALSO = frozenset({"worker"})  # « 3 workers »
HAVING = frozenset(
    {"avoir", "nos", "ses", "leurs", "our", "its", "their", "de", "with", "avec", "plusieurs",
     "several", "quelques", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
     "dix", "two", "three", "four", "five", "seven", "eight", "nine", "ten"}
)  # fmt: skip
HIRING = frozenset({"emploi", "employer", "employ"})  # the thesaurus head of « embaucher »…
STAFF_REACH = 3  # « on a 3 salariés », « une association de 20 salariés », « our 4 staff »
LIVING_STAGE = "growing"
PROJECT_WORDS = frozenset({"projet", "project"})  # a project said, even with nothing else
ANNOUNCEMENT = "announcement"  # the genre of a message that reports news (bot.core.announcements)
JOB_SOUGHT = "own-job"  # the taxonomy's genre of one's own job: a job sought for oneself is one
BOT_PRONOUNS = frozenset({"t", "te"})  # « qui t'a créé », « on t'a programmé »
AUXILIARIES = frozenset({"a", "as", "ont"})
PURPOSE = frozenset({"pour", "to"})  # « des gens pour monter … »: what they will do together
Found = dict[str, dict[str, tuple[str, int]]]  # kind → term → (the words, their position)
NAME_SPAN = range(-1, 0)  # marks the words of a structure's name: no phrase shares it
DETERMINERS = (
    frozenset({"le", "la", "l", "les", "un", "une", "1", "des", "de", "du", "d", "notre", "nos",
               "leur", "leurs", "mon", "ma", "mes", "son", "sa", "ses"}),  # « 1 local »: SMS
    frozenset({"the", "a", "an", "our", "their", "my"}),
)  # fmt: skip
IDENTITY_WORDS = frozenset(
    {"sommes", "est", "suis", "sont", "notre", "nos", "mon", "ma", "our", "my", "are", "am",
     "re", "m"}  # « I'm a… »
)  # fmt: skip
IDENTITY_REACH = 3  # « nous sommes une petite SCOP »
ANY_BUSINESS = frozenset(
    {"business", "company", "boite", "societe", "entreprise", "startup", "firm"}
)
PLANNED = frozenset({"projet", "project", "idee", "idea", "futur", "future", "creer", "lancer"})
SPEAKERS = FIRST_PERSON - OWN_POSSESSIVES  # « je », « on », « we »: not « notre » alone
PLAN_WORDS = frozenset({"creer", "lancer", "tester"})  # thesaurus heads: « monter », « try »…
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
CHANGES_OF_MIND = (
    ("finalement",), ("plutot",), ("en", "fait"), ("au", "final"), ("actually",), ("rather",),
    ("instead",), ("finally",), ("enfin", "non"), ("i", "mean"),
)  # fmt: skip
ADVERB_ENDING = "ment"
QUESTION_MARKERS = (
    ("c", "est", "quoi"),
    ("qu", "est", "ce"),
    ("what", "is"),
    ("what", "s"),
    ("what", "are"),
    ("difference",),
    ("veut", "dire"),
    ("definition",),
)
QUESTION_STARTS = {
    first: tuple(m for m in QUESTION_MARKERS if m[0] == first) for first, *_ in QUESTION_MARKERS
}  # first word → the markers it starts
DETERMINER_GROUP = {word: n for n, group in enumerate(DETERMINERS) for word in group}


@dataclass(frozen=True)
class Inference:
    """What one message said: each value with the words it came from."""

    stage: str | None = None
    legal_form: str | None = None
    needs: tuple[str, ...] = ()
    commune: Commune | None = None
    shared_postal: tuple[Commune, ...] = ()  # the communes of a postal code they share: ask which
    evidence: dict[str, str] = field(default_factory=dict)
    stage_is_sure: bool = False  # said as a stage (« rien n'existe »), not just a verb (« monter »)
    legal_form_is_sure: bool = False  # said as what the person is (« nous sommes une asso »)
    outside_area: OutsidePlace | None = None
    lang: str | None = None
    named: tuple[str, ...] = ()
    similar: tuple[tuple[str, float], ...] = ()
    terms: tuple[str, ...] = ()
    wording: dict[str, str] = field(default_factory=dict)
    greeting: bool = False  # the message only greets (« Bonjour ! », « hello »)
    thanks: bool = False  # the message only thanks (« merci beaucoup ! »)
    project: bool = False  # the message speaks of a project (« j'ai un projet »)
    without_staff: bool = False  # the structure employs nobody (« que des bénévoles »)
    genre: str | None = None  # the message is of a genre that is no request (« job-advert »)

    @property
    def about_project(self) -> bool:
        """True when the message says something about a project (a place alone, a greeting,
        « test » or a job advert do not)."""
        said = self.stage or self.legal_form or self.needs or self.named or self.similar
        return not self.greeting and self.genre is None and (bool(said) or self.project)

    @property
    def empty(self) -> bool:
        """True when nothing recognisable was said, not even a place."""
        return not (self.about_project or self.commune or self.outside_area)

    def items(self) -> list[str]:
        """The inferences as ``kind=value`` strings (for logs and JSON)."""
        found = [f"stage={self.stage}"] if self.stage else []
        found += [f"legal_form={self.legal_form}"] if self.legal_form else []
        found += [f"need={n}" for n in self.needs]
        found += [f"commune={self.commune.insee}"] if self.commune else []
        found += [f"outside={self.outside_area.department}"] if self.outside_area else []
        found += [f"named={a}" for a in self.named]
        return found


def _matches(words: list[Token], phrase: Phrase, at: int) -> bool:
    """True when ``phrase`` is said at ``at``: each word by its lemma or its form, or a
    determiner for another of its language (« baisse la subvention »)."""
    size = len(phrase.lemmas)
    if at + size > len(words):
        return False
    said = words[at : at + size]
    for t, lemma, surface in zip(said, phrase.lemmas, phrase.surfaces, strict=True):
        if t.lemma == lemma or t.surface == surface:
            continue
        group = DETERMINER_GROUP.get(t.surface)
        if group is None or group != DETERMINER_GROUP.get(surface):
            return False
    return True


@lru_cache(maxsize=8192)
def _typo_of(words: tuple[str, ...], word: str) -> str | None:
    found = process.extractOne(word, words, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE)
    return found[0] if found else None


def _terms(
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
    for phrase, at in sorted(candidates, key=lambda c: (vocab.rank[c[0]], c[1])):
        span = range(at, at + len(phrase.lemmas))
        if any(taken[i] not in (None, span) for i in span):
            continue  # part of a longer phrase already read (« coopérative d'activités »)
        if not phrase.negative and any(words[i].negated for i in span):
            continue
        if phrase.kind == "stages" and not phrase.negative and any(words[i].denied for i in span):
            continue  # « rien n'existe », « pas encore lancé »: not this stage
        if phrase.kind == "legal_forms" and not phrase.negative and _said_none(words, at):
            continue  # « pas d'asso, pas de statut »: not their form
        if phrase.kind == "legal_forms" and _employer(words, at):
            continue  # « salarié d'une asso, je veux créer mon activité »: not their form
        if phrase.kind == "legal_forms" and _others(words, span):
            continue  # « la coordination des associations »: whom they ask about
        searched = phrase.kind == "needs" and _seeks_own_job(words, at, phrase)
        own_job = searched or (phrase.kind == "needs" and _workplace(words, at))
        seeking = seeking or searched
        had = phrase.term in HELD_NEEDS and _possessed(words, at)
        if own_job or had or (phrase.kind == "needs" and _said_of_oneself(words, at)):
            for i in span:  # « je suis demandeur d'emploi »: who they are, « emploi » included
                taken[i] = span
            sought.update(span if own_job or had else ())
            continue
        for i in span:
            taken[i] = span
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


def _said_none(words: list[Token], at: int) -> bool:
    """True when a « none of » word comes just before ``at``, a determiner aside."""
    before = [t.surface for t in words[max(0, at - 2) : at]]
    if before and before[-1] in DETERMINER_GROUP:
        before.pop()
    return bool(before) and before[-1] in NONE_OF


def _others(words: list[Token], span: range) -> bool:
    """True when a legal form is said of others, in the plural after an article for many
    (« des associations », « aux associations », « the associations' network »; « les
    coopératives » may be the kind the person will found: « … créer la nôtre »)."""
    word = words[span.start]
    plural = len(span) == 1 and word.surface.endswith("s") and word.surface != word.lemma
    kind = word.lemma not in ANY_BUSINESS  # « vendre aux entreprises »: their customers
    return plural and kind and span.start > 0 and words[span.start - 1].surface in MANY


def _said_of_oneself(words: list[Token], at: int) -> bool:
    """True when the words at ``at`` tell what the person is or has lost: after « je suis » /
    « I am » (« au », « currently »… between; « je suis conseillère », a phrase starting with
    the copula), or after « mon »/« my » following a verb of loss (« j'ai perdu mon emploi »,
    « I lost my job »)."""
    if at + 1 < len(words) and words[at].lemma == COPULA and _said_of_oneself(words, at + 1):
        return True
    start = at
    while start > 0 and at - start < SELF_REACH and words[start - 1].surface in SELF_BETWEEN:
        start -= 1
    said = tuple(t.surface for t in words[max(0, start - 2) : start])
    if any(said[len(said) - len(copula) :] == copula for copula in SELF_COPULAS):
        return True
    if at == 0 or words[at - 1].surface not in SELF_POSSESSIVES:
        return False
    return any({t.lemma, t.surface} & SELF_LOSSES for t in words[max(0, at - 4) : at])


def _possessed(words: list[Token], at: int) -> bool:
    """True when the words at ``at`` are what the person has (« on a une salle de spectacle »,
    « we already have an office »), not what they lack (« on n'a pas de local ») or need
    (« on a besoin d'un local »)."""
    for before in range(at - 1, max(-1, at - 4), -1):
        word = words[before]
        if word.clause != words[at].clause:
            return False  # « AI. Un local » : a verb of another sentence has nothing
        subject = before > 0 and words[before - 1].surface in HAVERS
        has = word.lemma in HAVING_VERBS or (subject and word.surface == "a")  # not « à »
        being = subject and word.surface in BEING and before < at - 1  # « on est une salle »
        if has or being:
            return not word.negated
        if word.surface not in DETERMINER_GROUP and HAD_BETWEEN.isdisjoint(
            (word.surface, word.lemma)
        ):
            return False
    return False


def _seeks_own_job(words: list[Token], at: int, phrase: Phrase) -> bool:
    """True when one person looks for a job for themself (« je cherche un emploi », « I'm
    looking for a job »): a job sought is no project. « Je cherche à embaucher » (no
    determiner of the phrase's language before the need) is a need."""
    if phrase.term != JOB_NEED or at < 1:
        return False
    group = DETERMINER_GROUP.get(words[at - 1].surface)
    if group is None or group != LANGS.index(phrase.lang):
        return False
    verb = at - 2
    if verb >= 0 and words[verb].surface in SEARCH_FOR:
        verb -= 1
    if verb < 0 or not {words[verb].lemma, words[verb].surface} & (SEARCH_VERBS | SEARCHING):
        return False  # « je cherche », « je recherche » (read as the noun), « I'm looking »
    said = tuple(t.surface for t in words[max(0, verb - 2) : verb])
    return any(said[len(said) - len(who) :] == who for who in SEARCHERS)


def _workplace(words: list[Token], at: int) -> bool:
    """True when the words at ``at`` name where the person works or is (« je suis
    entrepreneure salariée dans une CAE », « je bosse chez une couveuse », « I work for a
    business cooperative »): a preposition of place just before them (a determiner aside),
    and the person speaking of themself just before that, not of what they look for (« I am
    looking for funding », « je voudrais entrer dans une CAE »)."""
    before = at - 1
    if before >= 0 and words[before].surface in DETERMINER_GROUP:
        before -= 1
    if before < 0 or words[before].surface not in WORKPLACE_WORDS:
        return False
    said = words[max(0, before - WORK_REACH) : before]
    being = any(t.lemma in WORKING or t.lemma.startswith(STAFF) for t in said)
    seeking = any(t.lemma in SEARCH_VERBS or t.lemma in SEARCHING for t in said)
    return being and not seeking and any(t.surface in WORKERS for t in said)


def _employer(words: list[Token], at: int) -> bool:
    """True when the structure at ``at`` is the person's employer and they speak of a plan of
    their own later (« je suis salariée d'une asso et je voudrais créer mon activité », « I'm
    an employee of a charity and want to launch… »); not « je suis salarié d'une asso qui
    ferme », where the employer is what they speak for."""
    before = at - 1
    if before >= 0 and words[before].surface in DETERMINER_GROUP and words[before].surface != "de":
        before -= 1
    if before < 1 or words[before].surface not in EMPLOYER_WORDS:
        return False
    said = words[max(0, before - WORK_REACH) : before]
    employed = any(t.lemma.startswith(STAFF) or t.lemma in WORKING - {COPULA, "be"} for t in said)
    planned = any(t.lemma in PLAN_WORDS for t in words[at + 1 :])
    return employed and planned and any(t.surface in WORKERS for t in said)


def _without_staff(words: list[Token]) -> bool:
    """True when the structure is said to employ nobody (« sans salarié », « on n'a aucun
    employé », « no staff ») or to be run by volunteers alone (« que des bénévoles », « 100 %
    bénévole », « volunteer-run », « 0 salarié »); not « je ne suis pas salarié » (who the
    person is)."""
    for at, token in enumerate(words):
        before = {w.surface for w in words[max(0, at - STAFF_REACH) : at]}
        staff = token.lemma.startswith(STAFF)
        if staff and token.denied and before.isdisjoint(IDENTITY):
            return True
        if staff and at > 0 and words[at - 1].surface in NO_COUNT:
            return True
        paid = staff or token.surface == PAID
        if paid and not before.isdisjoint(NOBODY) and not before.isdisjoint(NOBODY_VERBS):
            return True  # « personne n'est payé », « nobody is paid »
        after = words[at + 1].surface if at + 1 < len(words) else ""
        volunteer = token.lemma.startswith(VOLUNTEER)
        if volunteer and (not before.isdisjoint(ONLY_VOLUNTEERS) or after in RUN_BY):
            return True
    return False


def _staff_had(words: list[Token]) -> str | None:
    """The words telling that the structure already employs people (« on a 3 salariés »,
    « une association de 20 salariés », « our association has 4 staff »), not that it wants to
    (« embaucher 3 salariés »: those words are a need, already read)."""
    for at, token in enumerate(words):
        if not (token.lemma.startswith(STAFF) or token.lemma in STAFF_ALSO) or token.negated:
            continue
        before = words[max(0, at - STAFF_REACH) : at]
        if any(t.lemma in HIRING for t in before) or (before and before[-1].surface in NO_COUNT):
            continue
        if any(t.lemma in HAVING or t.surface in HAVING or t.surface.isdigit() for t in before):
            return " ".join(t.surface for t in (*before, token))
    return None


def _genre(words: list[Token], vocab: Vocabulary, lang: str | None) -> tuple[str, set[int]]:
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


def _spans(terms: dict[str, tuple[str, int]]) -> set[int]:
    """The positions of the words the ``terms`` were read from."""
    return {at + i for said, at in terms.values() for i in range(len(said.split()))}


def _says(cue: Cue, surfaces: tuple[str, ...], lemmas: tuple[str, ...]) -> bool:
    """True when the words from ``surfaces`` (and their ``lemmas``) are the cue's formula: word
    for word, or by lemma where the formula is written in base forms."""
    return len(surfaces) == len(cue.words) and all(
        said == word or (cue.inflected and lemma == word)
        for said, lemma, word in zip(surfaces, lemmas, cue.words, strict=True)
    )


def _own_plan(
    words: list[Token], found: Found, formulas: set[int], public: bool, asked: bool
) -> bool:
    """True when the person speaks of a plan or a structure of their own: a first-person word
    and a stage or a trial said (« je veux créer », « on va lancer », « try selling my
    stuff »), or a structure said as theirs or as what they become, outside the genres'
    ``formulas`` (« notre SCIC », « ma future recyclerie », « on est une asso », « se
    regrouper en coopérative »; not « my insurance company », « selling my co-op shares »), or,
    ``asked`` (a question), a need asked for their group (« … qui peut nous financer ? »).
    In a message to a ``public`` the first person must speak (« je », « on »): « notre
    association recrute », « venez à la fête de notre coopérative » are the sender's."""
    surfaces = {t.surface for t in words}
    if not speaking(words, FIRST_PERSON) or (public and SPEAKERS.isdisjoint(surfaces)):
        return False
    if found["stages"] or any(t.lemma in PLAN_WORDS for t in words):
        return True
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
    """True when the structure at ``at`` follows closely a first-person possessive, « on
    est » / « we are », or a word of becoming, none of them a genre's formula."""
    for i in range(max(0, at - OWN_REACH), at):
        surface = words[i].surface
        if i in formulas:
            continue  # « selling my », « my insurance company »: the genre's own words
        if surface in OWN_POSSESSIVES or (surface in BECOMING and i == at - 1):
            return True
        if (
            (surface in BEING_SAID or words[i].lemma in RUNNING)
            and i > 0
            and words[i - 1].surface in WE
        ):
            return True
    return _head_owned(words, at, formulas)


def _head_owned(words: list[Token], at: int, formulas: set[int]) -> bool:
    """True when the structure at ``at`` qualifies a noun of the person's, back to its
    determiner in the same clause (« notre salle de concert associative »); not « mon
    employeur, une association » (another determiner), nor a genre's formula."""
    for i in range(at - 1, max(-1, at - 1 - PHRASE_REACH), -1):
        word = words[i]
        if i in formulas or word.clause != words[at].clause:
            return False
        if word.surface in DETERMINER_GROUP and word.surface not in OF_WORDS:
            return word.surface in OWN_POSSESSIVES
    return False


def _said_as_stage(words: list[Token], said: str, at: int) -> bool:
    """True when a stage was said as such (« rien n'existe »), not read from a verb alone
    (« monter », « on monte »: a project long under way is « monté » too)."""
    word = said.rsplit("≈", maxsplit=1)[-1]
    return word not in WEAK_STAGE_WORDS and not (
        " " not in word and words[at].lemma in WEAK_STAGE_WORDS
    )


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
    (« qui t'a créé ? »: its maker, no project)."""
    before = words[max(0, at - 2) : at]
    if before and before[-1].surface in PURPOSE:
        return False
    if before and before[-1].surface in AUXILIARIES:
        before = before[:-1]
    if before and before[-1].surface in BOT_PRONOUNS:
        return True
    return any(t.lemma in PEOPLE for t in before)


def _is_question(words: list[Token]) -> bool:
    surfaces = tuple(t.surface for t in words)
    return any(
        surfaces[i : i + len(marker)] == marker
        for i, first in enumerate(surfaces)
        for marker in QUESTION_STARTS.get(first, ())
    )


def _said_after(words: list[Token], at: int, markers: tuple[tuple[str, ...], ...]) -> int:
    """Where the last of ``markers`` before ``at`` ends (-1: none)."""
    surfaces = [t.surface for t in words[:at]]
    ends = [
        i + len(marker)
        for marker in markers
        for i in range(len(surfaces) - len(marker) + 1)
        if tuple(surfaces[i : i + len(marker)]) == marker
    ]
    return max(ends, default=-1)


def _said_as_identity(words: list[Token], at: int) -> bool:
    """True when the words before ``at`` say the person is it (« nous sommes une », « notre »)."""
    return bool({t.surface for t in words[max(0, at - IDENTITY_REACH) : at]} & IDENTITY_WORDS)


def _form_is_sure(words: list[Token], said: str, at: int) -> bool:
    """Whether the legal form ``said`` at ``at`` is said as what the person is now (« nous
    sommes une SCOP », « notre asso », « je suis auto-entrepreneur », or the message opens
    with it: « Auto-entrepreneuse en céramique, … »), as sure as a pressed
    button; not of a plan (« mon projet d'association », « notre future SCIC »), nor a word
    for any business (« ma boîte », « my business »: an activity as much as a company)."""
    if said in ANY_BUSINESS:
        return False
    if at == 0:
        return True  # « Asso culturelle, 3 salariés… »: the person presents themself
    before = words[max(0, at - IDENTITY_REACH) : at]
    identity = [i for i, t in enumerate(before) if t.surface in IDENTITY_WORDS]
    return bool(identity) and not any(t.lemma in PLANNED for t in before[identity[-1] :])


def _needs_beyond_identity(
    words: list[Token], found: Found, legal_form: str | None, stage: str | None
) -> dict[str, tuple[str, int]]:
    """The needs said, less becoming the cooperative the person already is (« notre SCOP
    traverse une mauvaise passe », « notre SCIC a besoin de fonds propres ») when the words
    ask for something else or tell of a structure already living."""
    needs = found["needs"]
    coop = needs.get(COOP_NEED)
    if coop is None or legal_form is None:
        return needs
    if legal_form not in COOP_FORMS:
        return needs if _becoming(words, coop[1], found, legal_form) else _without(needs, COOP_NEED)
    form_at = found["legal_forms"][str(legal_form)][1]
    lived = stage in LIVED_STAGES or len(needs) > 1
    becoming = form_at > 0 and words[form_at - 1].surface in BECOMING  # « notre boîte en SCOP »
    if coop[1] == form_at and _said_as_identity(words, form_at) and lived and not becoming:
        return _without(needs, COOP_NEED)
    return needs


def _without(needs: dict[str, tuple[str, int]], need: str) -> dict[str, tuple[str, int]]:
    return {n: said for n, said in needs.items() if n != need}


def _becoming(words: list[Token], at: int, found: Found, legal_form: str) -> bool:
    """Whether a cooperative named by a person who says they are another form (« notre
    asso ») is one they would become or create (« passer en SCOP », « devenir une SCIC »,
    « turn into a co-op »), not the network they ask about (« l'union des SCOP », « les
    coopératives adhérentes », « the co-ops' federation »). Words that are no cooperative's
    name say the change itself (« reprise par les salariés »)."""
    form_at = found["legal_forms"][legal_form][1]
    named = {words[at].lemma, words[at].surface} & COOP_NAMES
    if not named or not _said_as_identity(words, form_at):
        return True
    close = words[max(0, at - BECOMING_AS_REACH) : at]  # « en SCOP », « as a worker co-op »
    before = words[max(0, at - BECOMING_REACH) : at]
    return any(t.surface in BECOMING_AS for t in close) or any(
        t.lemma in BECOMING_VERBS or t.surface in BECOMING_VERBS for t in before
    )


def _settled_needs(
    words: list[Token], needs: dict[str, tuple[str, int]]
) -> dict[str, tuple[str, int]]:
    """The needs said after the person changed their mind (« un financement, enfin non, un
    local », « at first a loan, actually we need advice »), when they said one there."""
    turn = _said_after(words, len(words), CHANGES_OF_MIND)
    after = {n: said for n, said in needs.items() if said[1] >= turn}
    return after if turn >= 0 and after and len(after) < len(needs) else needs


def _legal_form(
    words: list[Token], forms: dict[str, tuple[str, int]], needs: dict[str, tuple[str, int]]
) -> str | None:
    """The person's legal form: the one they say they are (« nous sommes une SCOP », « notre
    asso »), else the one they settled on (« une asso, mais finalement une SCOP »), else the
    first one said (« une SAS, pas une asso »), a present form before a cooperative they want
    to become."""
    if not forms:
        return None
    said = {f: at for f, (_, at) in forms.items()}
    identity = [f for f, at in said.items() if _said_as_identity(words, at)]
    if identity:
        return min(identity, key=said.__getitem__)
    settled = {f: _said_after(words, at, CHANGES_OF_MIND) for f, at in said.items()}
    latest = max(settled.values())
    if latest >= 0:
        return max((f for f in said if settled[f] == latest), key=said.__getitem__)
    present = [f for f in forms if f not in COOP_FORMS]
    if present and COOP_NEED in needs:
        said = {f: said[f] for f in present}
    return min(said, key=said.__getitem__)


def _named(words: list[Token], vocab: Vocabulary) -> tuple[tuple[str, ...], set[int]]:
    """The actors the words name, and the positions of their names' words. A one-word name
    that is an ordinary word must be capitalised (« le Périscope », not « un périscope »)."""
    surfaces = [t.surface for t in words]
    found: dict[str, None] = {}
    spans: set[int] = set()
    for i, surface in enumerate(surfaces):
        for size, names in vocab.names_by_first.get(surface, ()):
            ids = names.get(tuple(surfaces[i : i + size]), ())
            if ids and (size > 1 or words[i].capital or not known_word(surface, "fr")):
                found.update(dict.fromkeys(ids))
                spans.update(range(i, i + size) if size > 1 else ())
    return tuple(sorted(found, key=vocab.position.__getitem__)), spans


def _similar(terms: list[str], vocab: Vocabulary) -> tuple[tuple[str, float], ...]:
    """The actors closest to the words, best first, when close enough to mean something."""
    ranked = vocab.index.top(terms, SIMILAR_KEEP, SIMILAR_MIN * SIMILAR_SHARE)  # kept at most
    if not ranked or ranked[0][1] < SIMILAR_MIN:
        return ()
    if len(vocab.index.matched(terms, ranked[0][0])) < SIMILAR_MIN_TERMS and (
        ranked[0][1] < SIMILAR_STRONG
    ):
        return ()  # one ordinary word in common (« hier », « vraiment ») says nothing
    ranked = [(p, s) for p, s in ranked if s >= ranked[0][1] * SIMILAR_SHARE]
    return tuple((vocab.actor_ids[p], round(s, 4)) for p, s in ranked)


def understand(text: str, kb: KnowledgeBase, lang: str = "fr") -> Inference:
    """What ``text`` says (``lang`` is the conversation's language, used when unsure)."""
    return _understand(LINK.sub(" ", text[:MAX_CHARS]), kb, lang if lang in LANGS else "fr")


@lru_cache(maxsize=1024)
def _understand(text: str, kb: KnowledgeBase, lang: str) -> Inference:
    vocab = vocabulary(kb)
    detected = detect_language(text, kb.territory.name_words)
    words = tokens(text, detected or lang, vocab.lexicon)[:MAX_WORDS]
    named, name_spans = _named(words, vocab)
    place = find_place(words, kb.territory, skip=name_spans, lang=detected)
    place_words = set(place.evidence.split()) if place.evidence else set()
    found, sought, seeking = _terms(words, vocab, detected, name_spans)
    genre, formulas = _genre(words, vocab, detected)
    if formulas and formulas <= _spans(found["legal_forms"]):
        genre, formulas = "", set()  # « statuts déposés à la préfecture »: a form, no errand
    question = _is_question(words)
    asked = question or "?" in text
    if genre in kb.taxonomy.unasked and asked:
        genre = ""  # « merci, je vais les appeler. Et pour le local ? »: asked again
    if not genre and reported(words, FIRST_PERSON, asked, set(found["stages"])):
        genre = ANNOUNCEMENT
    if not genre and seeking:  # « je recherche un emploi dans une épicerie solidaire »
        genre = JOB_SOUGHT
    public = genre in kb.taxonomy.public
    anchored = bool(named or place.commune or place.outside)
    idle = "" if genre else idle_talk(words, kb.taxonomy.talk, vocab.stop, detected, anchored)
    if idle or (genre and not _own_plan(words, found, formulas, public, asked)):
        genre = genre or idle  # a job advert, « just testing »…: no project said
        where = {"commune" if place.commune else "outside_area": place.evidence}
        return Inference(
            commune=place.commune,
            shared_postal=place.shared,
            outside_area=place.outside,
            evidence=where if place.evidence else {},
            lang=detected,
            genre=genre,
        )
    stages = found["stages"]
    stage = max(stages, key=lambda s: len(stages[s][0].split("≈")[-1]), default=None)
    sure = stage is not None and _said_as_stage(words, *stages[stage])
    staff = None if stage not in (None, "building") or sure else _staff_had(words)
    if staff is not None:  # a structure with employees exists, whatever « préparer » says
        stages = {LIVING_STAGE: (staff, -1)}
        stage = LIVING_STAGE
    legal_form = None if question else _legal_form(words, found["legal_forms"], found["needs"])
    said_needs = _settled_needs(words, _needs_beyond_identity(words, found, legal_form, stage))
    needs = tuple(n for n in kb.taxonomy.needs if n in said_needs)
    if legal_form not in COOP_FORMS and COOP_NEED in found["needs"] and COOP_NEED not in needs:
        sought.add(found["needs"][COOP_NEED][1])  # « l'union des SCOP »: whom they ask about
    meaningful = [
        t
        for i, t in enumerate(words)
        if not t.negated
        and t.surface not in place_words
        and i not in name_spans
        and i not in sought
    ]
    content = vocab.content(meaningful)
    evidence: dict[str, str] = {}
    if stage:
        evidence["stage"] = stages[stage][0]
    if legal_form:
        evidence["legal_form"] = found["legal_forms"][legal_form][0]
    evidence.update({f"need:{n}": said_needs[n][0] for n in needs})
    if place.evidence:
        evidence["commune" if place.commune else "outside_area"] = place.evidence
    return Inference(
        stage=stage,
        legal_form=legal_form,
        needs=needs,
        commune=place.commune,
        shared_postal=place.shared,
        evidence=evidence,
        outside_area=place.outside,
        lang=detected,
        named=named,
        stage_is_sure=sure and staff is None,
        legal_form_is_sure=legal_form is not None
        and _form_is_sure(words, *found["legal_forms"][legal_form]),
        similar=_similar(content, vocab),
        terms=tuple(content),
        wording={t.lemma: t.text for t in reversed(meaningful)},
        greeting=only_greets(text),
        thanks=only_thanks(text),
        without_staff=_without_staff(words),
        project=not PROJECT_WORDS.isdisjoint(content)
        or said_as_project(words, content, vocab, bool(place.commune or place.outside)),
    )
