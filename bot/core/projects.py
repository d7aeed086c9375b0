"""Whether a message tells of somebody's own project by its activity alone, no need said.

Three shapes of sentence say a project without the word « projet »:

- a plan: somebody makes something — the verb's subject is the person (« je monte une ferme »,
  « on aimerait lancer un tiers-lieu », « we want to set up… ») or someone of theirs (« mon
  fils veut ouvrir un garage »), the verb one of making (the thesaurus heads of « créer » and
  « lancer », « ouvrir », a wished « faire ») and its object a new thing (« un », « mon »…),
  not an account or a file (« ouvrir un compte » is no project), and an activity: said with a
  place, of the social economy, or one the knowledge base speaks of (« une ferme », not « une
  bouteille » nor « un meuble »; a wished « faire » needs that activity as its object, a place
  is not enough: « je veux faire un food truck », not « … du sport à Muret », « … un tour en
  ville »);
- a label: two words naming an activity of the social and solidarity economy, no verb
  (« épicerie solidaire Saint-Gaudens », « solidarity grocery »), or three when that word
  names a kind, not a state (« atelier vélo participatif »; not « appartement partagé à
  louer »), or when two of them are things the thesaurus groups (« a repair café for the
  neighbourhood »);
- an activity of one's own, no verb: a few words, a first-person possessive right before a
  thing the thesaurus groups (« notre ressourcerie », « ma ferme bio », « mon food truck »;
  not « mon chien », « ma maison »);
- a possessive plan noun (« ma future boutique », « notre idée c'est … »);
- a service: the person wishes to do something for people around them (« on veut réparer des
  vélos pour les gens du quartier », « … for people on our street »: :func:`serves_the_public`);
- a trade: the person wishes to sell, deliver or produce goods in quantity (« je voudrais
  vendre du miel », « on veut livrer des paniers de légumes », « I want to sell cakes »), or
  goods of theirs where the message says a trade (a market, customers, a living: « vendre mes
  confitures sur les marchés »), to live from something of theirs (« vivre de mes photos »,
  « live off my art ») or to work for themselves (« bosser pour moi »); not a one-off
  (« vendre ma voiture », « livrer un colis »).

What somebody else runs (« l'épicerie solidaire est ouverte le mardi »), what was made long
ago (« a ouvert », « opened ») and an activity noun alone (« la boulangerie ») say no project;
nor does making a personal file (:func:`errands`: « créer un compte sur ton appli », « ouvrir
mon dossier »): those words say nothing of a project, not even a stage.

A need read alone that bears on things the base never speaks of, by nobody speaking of
themself, is no need (:func:`unfounded_need`: « quelles sont les infos du jour ? »).

Whatever its words, talk that asks for nothing is no request (:func:`idle_talk`): small talk
(a compliment, the bot, trying it: « Félicitations pour le bot ! », « just testing »), or a
question on things in general or their history in which the writer says nothing of their own
(« What do you think about cooperatives in general? », « Les coopératives, ça existe depuis
quand ? »); its words are the taxonomy's ``talk``; so is an opinion given on a kind of thing
in general (« les coopératives c'est nul »). Words that only tell (:func:`tells_only`: « mon
chien monte la garde ») are read by the caller as no request unless strongly near an actor's.
"""

from __future__ import annotations

from itertools import pairwise

from bot.core.greeting import GREETING_WORDS, THANKS_WORDS, small_talk
from bot.core.language import (
    LANGS,
    OWN_POSSESSIVES,
    PRESENT_ENDINGS,
    SUBJECTS,
    Lexicon,
    Token,
    known_word,
)
from bot.core.reading.situation import COUNTS, HIRING_VERBS, SEARCH_VERBS, SEARCHING
from bot.core.reading.terms import PEOPLE
from bot.core.reading.words import DETERMINER_GROUP, FIRST_PERSON, OTHERS_POSSESSIVES
from bot.core.taxonomy import Talk
from bot.core.vocabulary import Vocabulary

SMALL_TALK = "small-talk"  # the genre of talk that asks for nothing (see idle_talk)
GENERAL_QUESTION = "general-question"
OPINION = "opinion"  # « les coopératives c'est nul »: a judgement given, nothing asked
JUDGEMENTS = (("c", "est"), ("ce", "sont"), ("c", "etait"))  # « les SCOP c'est une belle idée »
DEFINITE = frozenset({"les", "le", "la", "l"})  # « les coopératives »: the kind in general
DEFINITE_ONE = frozenset({"le", "la", "l", "the"})  # « préparer le repas »: a given thing
OPINER_REACH = 2  # « je trouve que », « moi je pense »
GOING = frozenset({"aller", "going"})  # a wish only before a verb: « on va ouvrir », not « ça va »
STATEMENT_WORDS = SUBJECTS | frozenset(
    {"i", "we", "he", "she", "they", "est", "sont", "etait", "is", "are", "was", "were"}
)  # a subject or a copula: a sentence that tells

MAKING = frozenset(
    {"creer", "lancer", "ouvrir", "open", "set up", "build", "fonder", "plan", "reflechir"}
)  # « on réfléchit à une ressourcerie », « we're planning a bike workshop »
WISHED_MAKING = frozenset({"faire", "make", "do"})  # « on veut faire un food truck »
WISHING = frozenset(
    {"vouloir", "aimer", "souhaiter", "rever", "envisager", "penser", "esperer", "want", "like",
     "plan", "hope", "wish", "dream", "think", "voudrais", "aimerais", "aimerait", "aimerions",
     "souhaite", "souhaitons", "going", "project", "projeter", "compter", "aller", "jveux",
     "jvoudrais", "jaimerais", "jvx", "jveu", "verrais", "verrait", "verrions"}
)  # fmt: skip
# (WISHING: « je me verrais bien vendre de la soupe »: a wish in the conditional of « voir »)
VERB_ENDINGS = ("er", "ir")
PERSONS = frozenset(
    {"je", "j", "on", "nous", "i", "we", "moi", "jveux", "jvoudrais", "jaimerais", "jvx", "jveu"}
)  # the person, or their group (SMS « jveux », « jvx » too)
OTHERS = frozenset({"il", "elle", "ils", "elles", "tu", "qui", "vous", "they", "he", "she", "you"})
POSSESSIVES = OWN_POSSESSIVES | OTHERS_POSSESSIVES  # « mon », « leur »: the person's or theirs
NEW_THING = (
    frozenset({"un", "une", "des", "1", "a", "an", "dans", "into", "d"}) | POSSESSIVES
)  # « un », « mon », « leur »: a thing the verb makes, of the person's or of theirs
LINKS = frozenset({"a", "de", "about", "on", "of"})  # « réfléchir à une », « think about a »
COMPLEMENTS = frozenset({"de", "d", "of"})  # « une playlist de musique », « a list of songs »
BACK_OBJECTS = frozenset({"la", "le", "l", "les", "it", "them"})  # « ma boîte, je la crée »
THEM = frozenset({"it", "them"})  # « sell them »: said after the verb, in English
PLAN_NOUNS = frozenset(
    {"futur", "future", "futurs", "futures", "prochain", "prochaine", "idee", "idea", "reve",
     "dream", "next"}
)  # fmt: skip
# (PLAN_NOUNS: « ma future boutique », « notre idée c'est … », « c'est mon rêve »)
PERSONAL_THINGS = frozenset(
    {"compte", "account", "dossier", "file", "session", "profil", "profile", "livret", "porte",
     "door", "fenetre", "window", "abonnement", "subscription", "ticket", "reclamation",
     "claim", "litige", "mail", "email", "lien", "link", "colis", "parcel", "appli", "app",
     "playlist", "mot", "password", "whatsapp", "regime", "diet", "dé", "dés", "dice"}
)  # fmt: skip
# (PERSONAL_THINGS: a file, a door, one's playlist, password, chat group, diet or dice: made
# or opened for oneself; « dé » is read accented, its folded form is « de »)
VENTURES = frozenset({"appli", "app"})  # « créer une appli solidaire »: made, a venture maybe
PARTICIPLES = ("é", "és")  # read on the accented word
FEMININE_PARTICIPLES = ("ée", "ées")  # « lancée », not « crée »
FOLDED_PARTICIPLES = ("ert", "erte", "erts", "ertes", "ed")  # « ouvert », « opened »
AUXILIARY_FORMS = frozenset({"a", "ai", "as", "avons", "avez", "ont", "has", "have", "had", "ve"})
# (AUXILIARY_FORMS: « avoir »/« have » before a participle, « we've »; read on the accented word
# where « à » matters: « a repris », not « à reprendre »)
SUBJECT_REACH = 4  # « on aimerait bien lancer », « we would really like to open »
OBJECT_REACH = 3  # « lancer mon propre atelier », « open a small repair café »
ACTIVITY_REACH = 6  # « lancer une plateforme de covoiturage solidaire »
SOCIAL_ECONOMY = frozenset(
    {"solidaire", "association", "cooperative", "partage", "citoyen", "participatif", "collectif",
     "communautaire", "community", "share", "shared", "ess"}
)  # fmt: skip
PHRASE_LINKS = frozenset(
    {"a", "de", "d", "du", "des", "au", "aux", "pour", "pr", "en", "dans", "avec", "for", "of",
     "in", "with"}
)  # fmt: skip
# (PHRASE_LINKS: « une épicerie à la ferme », « a repair café for the neighbourhood »)
LABEL_MAX_TERMS = 2  # « épicerie solidaire », not « appartement partagé à louer »
VERBS = frozenset({"etre", "avoir", "be", "have", "is", "are", "was", "were", "est", "sont"})
TRADING = frozenset(
    {"vendre", "livrer", "produire", "fabriquer", "sell", "deliver", "produce"}
)  # « je veux vendre du miel »: wished with goods in quantity, a trade
GOODS = frozenset({"des", "du", "de", "d", "some"})  # « des paniers », « du miel », « de la soupe »
LIVING = frozenset({"vivre", "live", "live off"})  # « vivre de ma passion », « live off my art »
LIVING_LINKS = frozenset({"de", "d", "du", "des", "from", "off", "on"})
WORKING = frozenset({"travailler"})  # the thesaurus head of « bosser », « work »
FOR_ONESELF = frozenset({("pour", "moi"), ("for", "myself")})  # « bosser pour moi »
LIVELIHOOD = frozenset(
    {"travailler", "emploi", "metier", "job", "gagner", "gagne", "living", "living out"}
)  # « mon métier », « un boulot », « mon gagne-pain », « a job », « a living » (read as lemmas)
LIVELIHOOD_DETERMINERS = OWN_POSSESSIVES | frozenset({"un", "a"})
MODALS = frozenset({"pouvoir", "devoir", "could", "should", "can"})  # « je pourrais en faire »
PRONOUN_EN = "en"  # « en vivre », « en faire mon métier »: a thing of theirs said before
TURNING = frozenset({"faire", "make", "turn", "devenir", "become"})
BECOMING = frozenset({"devenir", "become"})  # « que mon potager devienne mon métier »
INTO = frozenset({"into"})  # « turn my hobby into a job »
TRADE_SIGNS = frozenset(
    {"marche", "market", "vivre", "living", "client", "customer", "revenu", "income"}
)  # « mes confitures sur les marchés », « en vivre »: one's goods sold as a trade
FOR_PEOPLE = frozenset({"pour", "pr", "for"})  # « réparer des vélos pour les gens du quartier »
PUBLIC_DETERMINERS = frozenset({"les", "des", "the", "le"})  # people in general, nobody's
PEOPLE_LINKS = frozenset(
    {"du", "de", "d", "des", "en", "dans", "qui", "of", "on", "in", "who", "around"}
)  # « les gens du quartier », « people on our street », « personnes en difficulté »
KIN_LINKS = frozenset({"du", "de", "d", "of"})  # « les enfants de ma sœur »: somebody's own
SERVICE_REACH = 8  # « on veut réparer des vélos pour les gens du quartier »
PROJECT_WORDS = frozenset({"projet", "project"})  # a project said, even with nothing else
POLITE = GREETING_WORDS | THANKS_WORDS  # « salut », « merci »: words of no thing
FRENCH_ONLY = frozenset({"on"})  # « on » is the person's group in French only (« opinion on »)
JOBS = frozenset({"emploi", "poste"})  # « créer des emplois », « un poste », « create jobs »
HIRING_BETWEEN = WISHING | frozenset(
    {"a", "re", "are", "will", "would", "d", "to", "about", "bien", "enfin", "devoir", "need",
     "chercher", "looking"}
)  # fmt: skip
# (HIRING_BETWEEN: « on va embaucher », « nous cherchons à recruter », « we're about to hire »)


def idle_talk(
    words: list[Token],
    talk: Talk,
    stop: frozenset[str],
    lang: str | None,
    anchored: bool,
    asked: bool,
) -> str:
    """The kind of talk that asks for nothing the words are (:data:`SMALL_TALK`,
    :data:`OPINION`, :data:`GENERAL_QUESTION`; "" for a message that may ask; the caller asks
    it of no message that tells of a trade the person wishes to take up, :func:`trades`): small
    talk; an opinion given, nothing ``asked`` (no question, no need, no structure named:
    :func:`_opinion`); or, the writer saying nothing
    of their own and no place nor structure (``anchored``: « in general, who funds co-ops in
    Muret? » asks there), the opinion of the addressee asked (« vous en pensez quoi », « what
    do you think ») or a subject taken in general (« in general »)."""
    if small_talk(words, talk.courtesy, stop):
        return SMALL_TALK
    if not asked and _opinion(words, talk, stop):
        return OPINION
    voice = FIRST_PERSON if lang == "fr" else FIRST_PERSON - FRENCH_ONLY
    surfaces = [t.surface for t in words]
    if anchored or not voice.isdisjoint(surfaces):
        return ""
    opinion = any(t.lemma in talk.opinion or t.surface in talk.opinion for t in words)
    asked = opinion and not talk.addressee.isdisjoint(surfaces)
    said = f" {' '.join(surfaces)} "
    return GENERAL_QUESTION if asked or any(f" {w} " in said for w in talk.general) else ""


def _opinion(words: list[Token], talk: Talk, stop: frozenset[str]) -> bool:
    """True when the words judge a kind of thing in general (« les coopératives c'est nul »,
    « je trouve que les SCOP c'est une belle idée »): « c'est » after a definite noun, the
    writer present only as the one who thinks so (a wish of theirs is a voice of theirs),
    nothing of theirs, nothing made."""
    surfaces = [t.surface for t in words]
    judged = any(
        tuple(surfaces[at : at + 2]) in JUDGEMENTS
        and at > 1
        and surfaces[at - 2] in DEFINITE
        and words[at - 1].lemma not in stop
        for at in range(len(words) - 1)
    )
    if not judged or not OWN_POSSESSIVES.isdisjoint(surfaces):
        return False
    if any(t.lemma in MAKING for t in words):
        return False  # « les scop c'est bien, comment en créer une »
    return all(
        _opines(words[at + 1 : at + 1 + OPINER_REACH], talk)
        for at, t in enumerate(words)
        if t.surface in FIRST_PERSON
    )


def _opines(after: list[Token], talk: Talk) -> bool:
    return any(t.lemma in talk.opinion or t.surface in talk.opinion for t in after)


def tells_only(words: list[Token], asked: bool) -> bool:
    """True when the words tell of something and ask for nothing: a sentence with a subject,
    a possessive or a copula (« mon chien monte la garde », « le plan de table est un
    casse-tête », « je n'arrive plus à aider mon fils »), no question ``asked``, no wish, no
    search; not a few keywords (« market garden to employ people out of work »)."""
    if asked or any(_going_to(words, at) for at in range(len(words))):
        return False  # « on va ouvrir… »: a plan, not « ça va »
    said = {t.surface for t in words} | {t.lemma for t in words}
    if not said.isdisjoint((WISHING - GOING) | SEARCH_VERBS | SEARCHING):
        return False
    return not said.isdisjoint(STATEMENT_WORDS | POSSESSIVES)


def _going_to(words: list[Token], at: int) -> bool:
    """« aller » or « going » followed by a verb (« on va ouvrir », « going to open »)."""
    if words[at].lemma not in GOING or at + 1 >= len(words):
        return False
    if words[at + 1].surface == "to":
        return True  # « going to open »
    after = words[at + 1 : at + 3]
    return any(t.surface.endswith(VERB_ENDINGS) and len(t.surface) > 3 for t in after)


def unfounded_need(words: list[Token], said: set[int], vocab: Vocabulary) -> bool:
    """True when the need read alone from the words at ``said`` bears on something else: the
    message's other words name things the knowledge base never speaks of, none of them a new
    thing (« un », « une », « a »), and nobody speaks of themself (« quelles sont les infos du
    jour ? », « help with the dishes »; not « besoin d'infos », « qqn pr m'aider svp »: a bare
    request, nor « des conseils pour une savonnerie », « j'ai besoin de conseils pour ma
    savonnerie »)."""
    if not FIRST_PERSON.isdisjoint(t.surface for t in words):
        return False
    kept = [
        at
        for at, t in enumerate(words)
        if at not in said and not t.negated and t.surface not in POLITE and vocab.content([t])
    ]  # « salut c'est pour un crowdfunding solidaire »: a greeting bears on nothing
    if any(at > 0 and words[at - 1].surface in NEW_THING for at in kept):
        return False  # « des conseils pour une savonnerie »: a new thing, theirs maybe
    others = [words[at] for at in kept]
    real = any(
        known_word(w, lang) for t in others for w in (t.text.lower(), t.surface) for lang in LANGS
    )
    return real and not any(
        t.lemma in vocab.index.postings or t.lemma in vocab.thesaurus_heads for t in others
    )


def project_said(words: list[Token], terms: list[str]) -> bool:
    """True when the message's content ``terms`` say a project (« j'ai un projet », « HELP
    projet ESS »), even with nothing else; not a given one nobody of the message's holds
    (« le projet de loi sur les retraites passe mardi »): the project after a definite
    article, the writer saying nothing of themself."""
    if PROJECT_WORDS.isdisjoint(terms):
        return False
    if not FIRST_PERSON.isdisjoint(t.surface for t in words):
        return True
    return any(
        t.lemma in PROJECT_WORDS and (at == 0 or words[at - 1].surface not in DEFINITE_ONE)
        for at, t in enumerate(words)
    )


def said_as_project(
    words: list[Token], terms: list[str], vocab: Vocabulary, placed: bool, errand: set[int]
) -> bool:
    """True when the words tell of a project by what it does (see the module's doc; a trade
    the person wishes to take up, :func:`trades`, is read by the caller); ``terms`` are the
    message's content lemmas, places and names left out; ``placed``: the message names a
    place (« j'ouvre une friperie à Muret »); ``errand``: the positions of :func:`errands`,
    whose verbs make no project (« je lance un dé pour savoir qui commence »)."""
    if plan_at(words, vocab, placed, errand) >= 0 or _label(words, terms, vocab):
        return True
    if _own_activity(words, terms, vocab) or serves_the_public(words):
        return True
    return any(a.surface in OWN_POSSESSIVES and b.surface in PLAN_NOUNS for a, b in pairwise(words))


def serves_the_public(words: list[Token]) -> bool:
    """True when the person wishes to do something for people around them, said as a public
    (« on veut réparer des vélos pour les gens du quartier », « me and two neighbours want to
    fix bikes for people on our street »): a wish of the person's, then in its clause « pour »
    and a word of people in general with its complement of where or who; not « un cadeau pour
    les enfants », « pour les enfants de ma sœur », nor « il veut … »."""
    for at, token in enumerate(words):
        if token.denied or not _wished([token]):
            continue
        before = _before(words, at)
        if not (_persons(before) or any(t.lemma in PERSONS for t in before)):
            continue
        after = [t for t in words[at + 1 : at + 1 + SERVICE_REACH] if t.clause == token.clause]
        if any(_for_the_public(after, i) for i in range(len(after))):
            return True
    return False


def _for_the_public(words: list[Token], at: int) -> bool:
    """« pour les gens du quartier » at ``at``: people in general, with where or who they are."""
    said = words[at : at + 5]
    if said[0].surface not in FOR_PEOPLE or said[0].negated or len(said) < 3:
        return False
    rest = said[2:] if said[1].surface in PUBLIC_DETERMINERS else said[1:]
    if len(rest) < 2 or rest[0].lemma not in PEOPLE or rest[1].surface not in PEOPLE_LINKS:
        return False
    kin = rest[1].surface in KIN_LINKS and len(rest) > 2 and rest[2].surface in POSSESSIVES
    return not kin


def plan_at(words: list[Token], vocab: Vocabulary, placed: bool, errand: set[int]) -> int:
    """The position of the first verb of a plan of the person's (« ouvrir un café associatif »,
    « on aimerait lancer un tiers-lieu »: see the module's doc), -1 for none; the verbs of
    ``errand`` make no plan."""
    plans = (at for at in range(len(words)) if at not in errand and _plan(words, at, vocab, placed))
    return next(plans, -1)


def hires(words: list[Token], lang: str | None) -> bool:
    """True when the person or their group hires (« on va embaucher », « nous recrutons »,
    « we're about to hire »): the person just before a hiring verb, or before words of wish or
    tense only; not « on m'a recrutée », « I got hired » (hired themself: other words between).
    They speak as an employer; ``lang`` is the message's (« on » is French only)."""
    persons = PERSONS if lang != "en" else PERSONS - FRENCH_ONLY
    for at, verb in enumerate(words):
        if verb.lemma not in HIRING_VERBS or verb.negated or verb.denied:
            continue
        before = _before(words, at)
        while before and (
            before[-1].lemma in HIRING_BETWEEN or before[-1].surface in HIRING_BETWEEN
        ):
            before.pop()
        if before and before[-1].surface in persons:
            return True
    return False


def makes_jobs(words: list[Token], at: int) -> bool:
    """True when the verb at ``at`` makes jobs (« des projets qui créent des emplois », « créer
    trois postes », « create jobs »): posts opened in a structure, no stage of one."""
    after = words[at + 1 : at + 1 + OBJECT_REACH]
    said = [t for t in after if t.clause == words[at].clause and t.surface not in DETERMINER_GROUP]
    if said and (said[0].surface.isdigit() or said[0].surface in COUNTS):
        said = said[1:]  # « créer 3 postes »
    return bool(said) and said[0].lemma in JOBS


def done_to_a_thing(words: list[Token], at: int, vocab: Vocabulary) -> bool:
    """True when the verb at ``at`` acts on a given thing the base never speaks of (« il faut
    encore préparer le repas », « lancer la machine »): a chore, no stage of a project."""
    after = [t for t in words[at + 1 : at + 3] if t.clause == words[at].clause]
    if len(after) < 2 or after[0].surface not in DEFINITE_ONE:
        return False
    return not _activity(after[1:], vocab)


def wished_at(words: list[Token], at: int) -> bool:
    """True when the verb at ``at`` is wished (« on voudrait ouvrir ») or opens the message
    (« ouvrir un café associatif »): a plan not begun, unlike « on lance … le mois prochain »."""
    return at == 0 or _wished(_before(words, at))


def errands(words: list[Token], lexicon: Lexicon) -> set[int]:
    """The positions of each verb of making whose object is a personal file (« créer un
    compte sur ton appli », « open an account »), and of its words up to the last such file:
    an errand, read as nothing about a project."""
    found: set[int] = set()
    for at, verb in enumerate(words):
        if not (_making(verb, lexicon) or verb.lemma in WISHED_MAKING):
            continue
        reach = range(at + 1, min(len(words), at + 2 + OBJECT_REACH))
        files = [
            i
            for i in reach
            if words[i].clause == verb.clause
            and _personal(words[i])
            and words[i].surface not in VENTURES
        ]
        if files:
            end = files[-1] + 1
            if end + 1 < len(words) and words[end].surface in COMPLEMENTS:
                end += 2  # « une playlist de musique »: the file's complement is its own
            found.update(range(at, end))
    return found


def _personal(token: Token) -> bool:
    return not PERSONAL_THINGS.isdisjoint((token.surface, token.lemma, token.text.lower()))


def _making(token: Token, lexicon: Lexicon) -> bool:
    """A verb of making, by its lemma or, when the lemmatiser missed it, by its present form
    (« je monte » → « monter » → « créer »)."""
    if token.lemma in MAKING:
        return True
    for ending in PRESENT_ENDINGS:
        stem = token.surface[: -len(ending)]
        if not token.surface.endswith(ending) or len(stem) <= 2:
            continue
        if any(lexicon.lemma(stem + end, "fr") in MAKING for end in VERB_ENDINGS):
            return True
    return False


def _plan(words: list[Token], at: int, vocab: Vocabulary, placed: bool) -> bool:
    """True when the word at ``at`` makes something new, said by the person or theirs, and
    that thing is an activity: somewhere, of the social economy, or one the knowledge base
    speaks of (« une ferme », not « une bouteille », « une étagère »)."""
    verb = words[at]
    if verb.negated or verb.denied or participle(verb):
        return False
    wished = verb.lemma in WISHED_MAKING
    if not (_making(verb, vocab.lexicon) or wished):
        return False
    reach = OBJECT_REACH if wished else ACTIVITY_REACH  # « faire » says its object only
    said = [t for t in words[at + 1 : at + 1 + reach] if t.clause == verb.clause]
    back = at > 0 and words[at - 1].surface in BACK_OBJECTS  # « ma boîte, je la crée »
    activity = _activity(words[:at] if back else said, vocab)
    if not (activity or (placed and not wished)):  # « faire du sport à Muret » is no plan
        return False
    before = _before(words, at)
    if wished and not _wished(before):
        return False
    if at == 0:  # « ouvrir une épicerie à Muret », « opening a repair café »: the writer's
        return _new_thing(words, at, verb.clause)
    return _persons(before) and (back or _new_thing(words, at, verb.clause))


def done_by_others(words: list[Token], at: int, vocab: Vocabulary) -> bool:
    """True when the verb at ``at`` tells of a thing somebody else did (« mon beau-frère a
    repris le bar-tabac », « my sister started a book club »): a past — a participle, or a
    word after « avoir » — whose subject is somebody of theirs or another (« il »), not the
    person (« on a repris », « I started ») nor a thing of theirs (« notre asso a été créée »,
    « ma boîte a été lancée »: a possessive before a thing the base speaks of)."""
    verb = words[at]
    before = _before(words, at)
    auxiliary = bool(before) and before[-1].text.lower() in AUXILIARY_FORMS
    if not (auxiliary or participle(verb)):
        return False
    for i in range(len(before) - 1, -1, -1):
        word = before[i]
        if word.surface in PERSONS:
            return False
        if word.surface in OTHERS:
            return True
        if word.surface in OWN_POSSESSIVES:
            return not _activity(before[i + 1 : i + 2], vocab)
    return False


def trades(words: list[Token], stop: frozenset[str], asked: bool = False) -> bool:
    """True when the words tell of a trade or a work the person wishes to take up, or a thing
    of theirs they wish (or ask, ``asked``) to live from (:func:`livelihoods`)."""
    return any(_trade(words, at, stop) for at in range(len(words))) or bool(
        livelihoods(words, asked)
    )


def livelihoods(words: list[Token], asked: bool) -> set[int]:
    """The positions of the living the person wishes (or asks, ``asked``, or may: « je
    pourrais ») to make of a thing of theirs: « j'aimerais en vivre », « en faire mon métier »,
    « make a living out of it », « turn my hobby into a job », « que mon potager devienne mon
    métier ? »; not « faire mon boulot », « I started a new job »: no thing of theirs made one.
    That job is their own living, no job they would give (no need of employment)."""
    found = (_livelihood(words, at, asked) for at in range(len(words)))
    return {at for at in found if at >= 0}


def _livelihood(words: list[Token], at: int, asked: bool) -> int:
    """Where the verb at ``at`` says the living of :func:`livelihoods` (the verb itself for
    « en vivre », the noun for « mon métier »), -1 for none."""
    verb = words[at]
    if verb.negated or verb.denied or participle(verb) or verb.lemma not in LIVING | TURNING:
        return -1
    before = _before(words, at)
    may = asked or _wished(before) or any(t.lemma in MODALS for t in before)
    if not may or not _persons(before):
        return -1
    pronoun = bool(before) and before[-1].surface == PRONOUN_EN
    if verb.lemma in LIVING:
        return at if pronoun else -1  # « en vivre »; « vivre de ma passion » is a trade
    reach = range(at + 1, min(len(words), at + 3 + OBJECT_REACH))
    said = [i for i in reach if words[i].clause == verb.clause]
    if verb.lemma == "turn":
        into = [n for n, i in enumerate(said) if words[i].surface in INTO]
        said = said[into[0] + 1 :] if into else []
    elif verb.lemma == "faire" and not pronoun:
        return -1  # « faire mon boulot »: a work done, no thing of theirs made a living
    elif verb.lemma in BECOMING and OWN_POSSESSIVES.isdisjoint(t.surface for t in before):
        return -1  # « je deviens salarié »
    nouns = (
        b
        for a, b in pairwise(said[:3])
        if words[a].surface in LIVELIHOOD_DETERMINERS
        and not LIVELIHOOD.isdisjoint((words[b].lemma, words[b].surface))
    )
    return next(nouns, -1)


def _trade(words: list[Token], at: int, stop: frozenset[str]) -> bool:
    """True when the word at ``at`` is a trade or a work the person wishes to take up:
    selling, delivering or producing goods in quantity, or goods of theirs in a message that
    says a trade; living from something of theirs; working for themselves (see the module's
    doc)."""
    verb = words[at]
    trading = verb.lemma in TRADING
    if verb.negated or verb.denied or not (trading or verb.lemma in LIVING | WORKING):
        return False
    before = _before(words, at)
    if not (_wished(before) and _persons(before)):
        return False
    said = [t for t in words[at + 1 : at + 1 + OBJECT_REACH] if t.clause == verb.clause]
    back = before[-1].surface in BACK_OBJECTS or (bool(said) and said[0].surface in THEM)
    if trading and back:  # « je fais des gâteaux, j'aimerais les vendre », « … sell them »
        return _goods_said(words[: at - 1], stop)
    if not said or any(_personal(t) for t in said):
        return False  # « livrer des colis »: an errand
    first, second = said[0], (said[1].surface if len(said) > 1 else "")
    if verb.lemma in WORKING:
        return (first.surface, second) in FOR_ONESELF
    if not trading:  # living from: « de ma passion », « off my art », « (ma fille) … de ses »
        return first.surface in LIVING_LINKS and second in POSSESSIVES
    if first.surface in GOODS or first.lemma not in stop:  # « du miel », « cakes »
        return True
    return first.surface in OWN_POSSESSIVES and any(t.lemma in TRADE_SIGNS for t in words)


def _goods_said(words: list[Token], stop: frozenset[str]) -> bool:
    """True when the words say goods in quantity (« des gâteaux », « candles »: a partitive or
    plural determiner before a content word), no personal file among them: what « les » (or
    « them ») of a trade wished stands for."""
    return any(
        a.surface in GOODS and b.lemma not in stop and not _personal(b) for a, b in pairwise(words)
    )


def _before(words: list[Token], at: int) -> list[Token]:
    """The words just before the verb at ``at``, in its clause: where its subject is said."""
    clause = words[at].clause
    return [t for t in words[max(0, at - SUBJECT_REACH) : at] if t.clause == clause]


def _wished(before: list[Token]) -> bool:
    return any(t.lemma in WISHING or t.surface in WISHING for t in before)


def _persons(before: list[Token]) -> bool:
    """True when the nearest subject before the verb is the person or theirs."""
    for t in reversed(before):
        if t.surface in OTHERS:
            return False
        if t.surface in PERSONS or t.surface in OWN_POSSESSIVES:
            return True
    return False


def _social(words: list[Token]) -> bool:
    return any(t.lemma in SOCIAL_ECONOMY for t in words)


def _activity(words: list[Token], vocab: Vocabulary) -> bool:
    """Whether the words name an activity the base speaks of, or one of the social economy."""
    return _social(words) or any(
        t.lemma in vocab.index.postings or t.lemma in vocab.thesaurus_heads
        for t in words
        if t.lemma not in vocab.stop
    )


def participle(token: Token) -> bool:
    """A past participle (« ouvert », « créée », « lancé », « opened »): made already; « crée »
    is a present (« cré » is no word)."""
    word = token.text.lower()
    if word.endswith(PARTICIPLES) or token.surface.endswith(FOLDED_PARTICIPLES):
        return True
    bare = word.rstrip("s")[:-1]
    return word.endswith(FEMININE_PARTICIPLES) and bare.endswith("é") and known_word(bare, "fr")


def _new_thing(words: list[Token], at: int, clause: int) -> bool:
    """True when the verb's object is a new thing of the person's, not a personal file."""
    after = [t for t in words[at + 1 : at + 2 + OBJECT_REACH] if t.clause == clause]
    if len(after) > 1 and after[0].surface in LINKS and after[1].surface in NEW_THING:
        after = after[1:]  # « réfléchir à une … »
    if not after or after[0].surface not in NEW_THING:
        return False
    return not any(_personal(t) for t in after)


def _label(words: list[Token], terms: list[str], vocab: Vocabulary) -> bool:
    """True when a few words, no verb, name an activity of the social economy (a social word
    among two terms, or among three when it is no participle) or two things the thesaurus
    groups among three, not a given one."""
    if not 1 < len(terms) <= LABEL_MAX_TERMS + 1 or not _phrase(words):
        return False
    social = [t for t in words if t.lemma in SOCIAL_ECONOMY]
    if social and (len(terms) <= LABEL_MAX_TERMS or not any(participle(t) for t in social)):
        return True
    given = words[0].surface in DEFINITE  # « le bureau de la mairie »: a given one
    return not given and len(set(terms) & vocab.thesaurus_heads) >= LABEL_MAX_TERMS


def _own_activity(words: list[Token], terms: list[str], vocab: Vocabulary) -> bool:
    """True when a few words, no verb, are a first-person possessive right before a thing the
    thesaurus groups (« notre ressourcerie », « ma ferme bio »)."""
    if not terms or len(terms) > LABEL_MAX_TERMS or not _phrase(words):
        return False
    return any(
        a.surface in OWN_POSSESSIVES and b.lemma in vocab.thesaurus_heads
        for a, b in pairwise(words)
    )


def _phrase(words: list[Token]) -> bool:
    """True when the words are one noun phrase, no sentence: no verb of being or having, no
    subject (« vous faites vivre l'économie solidaire »), no determiner but the first or one
    after a link (« a repair café for the neighbourhood »; not « une épicerie la ferme »: two
    things listed)."""
    said = STATEMENT_WORDS | OTHERS | VERBS
    if any(t.lemma in VERBS or t.surface in said for t in words):
        return False
    return all(
        b.surface not in DETERMINER_GROUP or not PHRASE_LINKS.isdisjoint((a.surface, b.surface))
        for a, b in pairwise(words)
    )
