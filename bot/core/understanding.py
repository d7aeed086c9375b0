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
- making a personal file (« créer un compte sur ton appli »: :func:`bot.core.projects.errands`)
  is an errand: no stage is read from it, and its words are not read;
- a need read alone that bears on things the base never speaks of, said by nobody speaking of
  themself (« quelles sont les infos du jour ? »), is no need
  (:func:`bot.core.projects.unfounded_need`);
- a stage read from a verb of making tells of a thing made already after « venir de » or
  « avoir » (« on vient de créer une SCOP »: launching, the SCOP is what they are), of a plan
  when no stage is said (« ouvrir un café associatif »: the idea stage), of a chore when it
  acts on a given thing the base never speaks of (« préparer le repas »: no stage);
- a verb of making whose object is jobs (« des projets qui créent des emplois », « créer un
  poste ») tells no stage: posts are opened in a structure (:func:`bot.core.projects.makes_jobs`);
- savers named in the plural (« des citoyens épargnants ») are others, whose money the person
  seeks: no savings of their own (:func:`bot.core.reading.choosing.savers_sought`);
- a need said for later (« plus tard on deviendra une SCIC ») gives way to one for now;
- a need said of somebody else's thing in words that only tell (« my brother got promoted at
  his bank »: :func:`bot.core.projects.tells_only`) is theirs, no need;
- ordinary life said in a project's words (« je lance une lessive », « mon projet tutoré est à
  rendre lundi », « un prêt pour changer de voiture »: :mod:`bot.core.everyday`), no legal
  form, structure, plan or trade said, says nothing about a project;
- words that only tell and ask nothing keep only the actors they are strongly near
  (« mon chien monte la garde » meets no one);
- a message that only greets (« Bonjour ! ») is marked so, for the dialogue to greet back;
- a message of a genre that is no request (a job advert, a complaint to a bank, a homework
  question: the taxonomy's ``genres``) says nothing about a project, unless the person speaks
  of a plan or a structure of their own (« je veux créer… », « notre SCIC… ») or a trade or a
  work of their own they wish to take up (« bosser pour moi, avec une fiche de paie »), or hires
  (« on va embaucher notre première salariée » beside « fiche de paie »); so does a
  message that reports news or an event, spoken by nobody and asking nothing
  (:mod:`bot.core.announcements`: « le cours de yoga de ce soir est annulé »).

Each inference keeps the words it came from, so the person can see and correct it. The rules
themselves live in :mod:`bot.core.reading`; this module puts them together.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from functools import lru_cache

from bot.core.announcements import reported
from bot.core.everyday import done_to_everyday_things, everyday_life
from bot.core.greeting import only_greets, only_thanks
from bot.core.knowledge import KnowledgeBase
from bot.core.language import LANGS, Token, tokens
from bot.core.language_guess import detect_language
from bot.core.places import Place, find_place
from bot.core.projects import (
    PROJECT_WORDS,
    done_by_others,
    done_to_a_thing,
    errands,
    idle_talk,
    livelihoods,
    makes_jobs,
    plan_at,
    project_said,
    said_as_project,
    tells_only,
    trades,
    unfounded_need,
    wished_at,
)
from bot.core.reading.actors import named_actors, similar_actors, strongly_similar
from bot.core.reading.choosing import (
    COOP_FORMS,
    COOP_NEED,
    MADE_STAGE,
    PLANNED_STAGES,
    form_is_sure,
    idea_asked,
    is_question,
    made_already,
    needs_beyond_identity,
    own_legal_form,
    present_needs,
    said_as_stage,
    savers_sought,
    settled_needs,
)
from bot.core.reading.genres import find_genre, own_plan
from bot.core.reading.situation import staff_had, without_staff
from bot.core.reading.terms import find_terms, said_of_others, term_positions
from bot.core.reading.words import FIRST_PERSON
from bot.core.territory import Commune, OutsidePlace
from bot.core.vocabulary import Vocabulary, vocabulary

LINK = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*", re.IGNORECASE)
"""A web address (« https://… », « www.… », « bit.ly/… »): pasted, not said; not read."""
MAX_CHARS = 4000
MAX_WORDS = 200
LIVING_STAGE = "growing"
PLAN_STAGE = "idea"  # a plan said by its verb alone (« ouvrir un café associatif »)
ANNOUNCEMENT = "announcement"  # the genre of a message that reports news (bot.core.announcements)
EVERYDAY = "everyday"  # a message of ordinary life in a project's words (bot.core.everyday)
JOB_SOUGHT = "own-job"  # the taxonomy's genre of one's own job: a job sought for oneself is one


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


def _chore(words: list[Token], said: tuple[str, int], vocab: Vocabulary) -> bool:
    """True when a stage of a plan read from a verb alone acts on a given thing the base never
    speaks of (« préparer le repas »; « je développe la vente » still grows)."""
    return not said_as_stage(words, *said) and done_to_a_thing(words, said[1], vocab)


def _no_request(place: Place, lang: str | None, genre: str) -> Inference:
    """What a message of a ``genre`` that is no request said: its place only."""
    where = {"commune" if place.commune else "outside_area": place.evidence}
    return Inference(
        commune=place.commune,
        shared_postal=place.shared,
        outside_area=place.outside,
        evidence=where if place.evidence else {},
        lang=lang,
        genre=genre,
    )


def understand(text: str, kb: KnowledgeBase, lang: str = "fr") -> Inference:
    """What ``text`` says (``lang`` is the conversation's language, used when unsure)."""
    return _understand(
        LINK.sub(" ", text[:MAX_CHARS]), weakref.ref(kb), lang if lang in LANGS else "fr"
    )


@lru_cache(maxsize=1024)
def _understand(text: str, base: weakref.ref[KnowledgeBase], lang: str) -> Inference:
    """What :func:`understand` says, cached by text and base: the base held weakly, so that
    the cache does not keep a base let go of alive (a reference equals another to the same
    living base)."""
    kb = base()
    assert kb is not None  # the caller holds it
    vocab = vocabulary(kb)
    detected = detect_language(text, kb.territory.name_words)
    words = tokens(text, detected or lang, vocab.lexicon)[:MAX_WORDS]
    named, name_spans = named_actors(words, vocab)
    place = find_place(words, kb.territory, skip=name_spans, lang=detected)
    place_words = set(place.evidence.split()) if place.evidence else set()
    found, sought, seeking = find_terms(words, vocab, detected, name_spans)
    genre, formulas = find_genre(words, vocab, detected)
    if formulas and formulas <= term_positions(found["legal_forms"]):
        genre, formulas = "", set()  # « statuts déposés à la préfecture »: a form, no errand
    question = is_question(words)
    asked = question or "?" in text
    if genre in kb.taxonomy.unasked and asked:
        genre = ""  # « merci, je vais les appeler. Et pour le local ? »: asked again
    unplaced = [w for w in words if w.surface not in place_words]  # « rodez »: no « -ez »
    if not genre and reported(unplaced, FIRST_PERSON, asked, set(found["stages"])):
        genre = ANNOUNCEMENT
    if not genre and seeking:  # « je recherche un emploi dans une épicerie solidaire »
        genre = JOB_SOUGHT
    public = genre in kb.taxonomy.public
    anchored = bool(named or place.commune or place.outside)
    living = livelihoods(words, asked)  # « turn my hobby into a job »: their living, no need
    trade = trades(words, vocab.stop, asked)  # « I'd like to work for myself »: their own, whatever
    talk = kb.taxonomy.talk
    needed = term_positions(found["needs"]) - term_positions(found["legal_forms"])
    asks = asked or bool(named or needed)  # « les assos c'est galère pour trouver des sous »
    idle = "" if genre or trade else idle_talk(words, talk, vocab.stop, detected, anchored, asks)
    # « bosser pour moi … avec une fiche de paie »: their own, whatever the genre
    if idle or (genre and not (trade or own_plan(words, found, formulas, public, asked, detected))):
        return _no_request(place, detected, genre or idle)  # a job advert, « just testing »…
    errand = errands(words, vocab.lexicon)  # « créer un compte »: no stage, no project words
    sought |= errand
    stages = {
        s: said
        for s, said in found["stages"].items()
        if errand.isdisjoint(term_positions({s: said}))
        and not (s in PLANNED_STAGES | {MADE_STAGE} and _chore(words, said, vocab))
        and not (s in PLANNED_STAGES and makes_jobs(words, said[1]))
        and not idea_asked(words, said[1], asked)
        and (asks or not done_by_others(words, said[1], vocab))
    }
    stage = max(  # a stage said as such before one read from a verb alone (« fondent »)
        stages,
        key=lambda s: (said_as_stage(words, *stages[s]), len(stages[s][0].split("≈")[-1])),
        default=None,
    )
    sure = stage is not None and said_as_stage(words, *stages[stage])
    if stage in PLANNED_STAGES and made_already(words, stages[stage][1]):
        stages = {MADE_STAGE: stages[stage]}  # « on vient de créer une SCOP »: made, started
        stage = MADE_STAGE
    staff = None if stage not in (None, "building") or sure else staff_had(words)
    if staff is not None:  # a structure with employees exists, whatever « préparer » says
        stages = {LIVING_STAGE: (staff, -1)}
        stage = LIVING_STAGE
    placed = bool(place.commune or place.outside)
    chored = done_to_everyday_things(words, kb)  # « je lance une lessive »: a chore, no plan
    chores = errand | chored
    planned = plan_at(words, vocab, placed, chores)
    if stage is None and planned >= 0 and wished_at(words, planned):  # « ouvrir un café asso »
        stages = {PLAN_STAGE: (words[planned].surface, planned)}
        stage = PLAN_STAGE
    legal_form = None if question else own_legal_form(words, found["legal_forms"], found["needs"])
    stage_said = stages[stage] if stage else None
    beyond = needs_beyond_identity(words, found, legal_form, stage, stage_said)
    said_needs = present_needs(words, settled_needs(words, beyond))
    theirs = tells_only(words, asked)  # « … at his bank, we're so proud »: a need of theirs told
    needs = tuple(
        n
        for n in kb.taxonomy.needs
        if n in said_needs
        and said_needs[n][1] not in living
        and not (theirs and said_of_others(words, said_needs[n][1]))
        and not (n in kb.taxonomy.personal and savers_sought(words, said_needs[n]))
    )
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
    similar = similar_actors(content, vocab)
    venture = trade or planned >= 0 or said_as_project(words, content, vocab, placed, chores)
    project = venture or project_said(words, content)
    need_at = term_positions({n: said_needs[n] for n in needs})
    if not (venture or legal_form or named or staff is not None):
        said = need_at | chored | {at for at, t in enumerate(words) if t.lemma in PROJECT_WORDS}
        said |= {stages[stage][1]} if stage else set()
        if everyday_life(words, said, kb):
            return _no_request(place, detected, EVERYDAY)  # « je lance une lessive »
    if not (stage or legal_form or needs or named or project) and tells_only(words, asked):
        similar = strongly_similar(similar)  # « mon chien monte la garde »: nothing asked
    if not (stage or legal_form or named or similar or project) and unfounded_need(
        words, need_at, vocab
    ):
        needs = ()  # « quelles sont les infos du jour ? »: a need word about nothing of the base
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
        and form_is_sure(words, *found["legal_forms"][legal_form]),
        similar=similar,
        terms=tuple(content),
        wording={t.lemma: t.text for t in reversed(meaningful)},
        greeting=only_greets(text),
        thanks=only_thanks(text),
        without_staff=without_staff(words),
        project=project,
    )
