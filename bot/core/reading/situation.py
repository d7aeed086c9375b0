"""What the words say of the person's own situation, not of the project's needs: who they are
(« je suis demandeur d'emploi »), what they have (« on a une salle »), where they work (« je
suis salariée dans une CAE »), a job they seek for themself, the staff the structure has."""

from __future__ import annotations

from bot.core.language import LANGS, Token
from bot.core.negation import WITHOUT
from bot.core.reading.words import DETERMINER_GROUP, PLAN_WORDS
from bot.core.vocabulary import Phrase

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
BARE_OF = frozenset({"de"})  # « salarié de SCOP »: a preposition, though a determiner too
SEARCHING = frozenset({"recherche", "looking"})  # « je suis à la recherche d'un local dans »
WORKERS = frozenset({"je", "j", "jsuis", "chuis", "i", "im"})  # one person, of themself
WORKING = frozenset({"etre", "be", "jsuis", "chuis", "im", "am", "m", "travailler", "benevole"})
VOLUNTEERING_AT = WORKPLACE_WORDS | {"au", "aux"}  # « bénévole aux Restos du cœur »
WORK_REACH = 5  # « je suis entrepreneure salariée dans une CAE », « I work for a charity »
COPULA = "etre"
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
COUNTS = frozenset(
    {"plusieurs", "several", "quelques", "deux", "trois", "quatre", "cinq", "six", "sept", "huit",
     "neuf", "dix", "douze", "vingt", "two", "three", "four", "five", "seven", "eight", "nine",
     "ten", "twelve", "twenty"}
)  # fmt: skip
HAVING = COUNTS | {"avoir", "nos", "ses", "leurs", "our", "its", "their", "de", "with", "avec"}
HIRING_VERBS = frozenset({"embaucher", "employer", "employ"})  # « recruter », « hire »…
HIRING = HIRING_VERBS | {"emploi"}  # « embaucher », « emploi », « hire »…
EMPLOYING = frozenset({"employer", "employ"})  # « on emploie 5 personnes », « employs five »
NOT_YET_EMPLOYING = frozenset(
    {"employer", "to", "will", "would", "could", "can", "pour", "de", "d"}
)  # « employer deux personnes », « to employ », « will employ »: a plan
STAFF_REACH = 3  # « on a 3 salariés », « une association de 20 salariés », « our 4 staff »


def said_of_oneself(words: list[Token], at: int) -> bool:
    """True when the words at ``at`` tell what the person is or has lost: after « je suis » /
    « I am » (« au », « currently »… between; « je suis conseillère », a phrase starting with
    the copula), or after « mon »/« my » following a verb of loss (« j'ai perdu mon emploi »,
    « I lost my job »)."""
    if at + 1 < len(words) and words[at].lemma == COPULA and said_of_oneself(words, at + 1):
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


def possessed(words: list[Token], at: int) -> bool:
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
            return not (word.negated or word.denied)  # « we don't have an office »: a lack
        if word.surface not in DETERMINER_GROUP and HAD_BETWEEN.isdisjoint(
            (word.surface, word.lemma)
        ):
            return False
    return False


def seeks_own_job(words: list[Token], at: int, phrase: Phrase) -> bool:
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


def workplace(words: list[Token], at: int) -> bool:
    """True when the words at ``at`` name where the person works or is (« je suis
    entrepreneure salariée dans une CAE », « je bosse chez une couveuse », « I work for a
    business cooperative »), not what they look for (« I am looking for funding », « je
    voudrais entrer dans une CAE »)."""
    said = _at_work(words, at, WORKPLACE_WORDS, WORKING)
    return bool(said) and not any(t.lemma in SEARCH_VERBS or t.lemma in SEARCHING for t in said)


def employer(words: list[Token], at: int) -> bool:
    """True when the structure at ``at`` is the person's employer and they speak of a plan of
    their own later (« je suis salariée d'une asso et je voudrais créer mon activité », « I'm
    an employee of a charity and want to launch… »); not « je suis salarié d'une asso qui
    ferme », where the employer is what they speak for."""
    said = _at_work(words, at, EMPLOYER_WORDS, WORKING - {COPULA, "be"})
    return bool(said) and any(t.lemma in PLAN_WORDS for t in words[at + 1 :])


def _at_work(
    words: list[Token], at: int, prepositions: frozenset[str], working: frozenset[str]
) -> list[Token]:
    """The words in which the person speaks of themself at work (« je », « I » and a word of
    ``working`` or « salarié »), just before a preposition of ``prepositions`` that comes just
    before ``at``, a determiner aside (not « de » when it is one of them: « salarié de SCOP »);
    none when they do not."""
    before = at - 1
    skipped = DETERMINER_GROUP.keys() - (prepositions & BARE_OF)
    if before >= 0 and words[before].surface in skipped:
        before -= 1
    if before < 0 or words[before].surface not in prepositions:
        return []
    said = words[max(0, before - WORK_REACH) : before]
    at_work = any(t.lemma in working or t.lemma.startswith(STAFF) for t in said)
    return said if at_work and any(t.surface in WORKERS for t in said) else []


def volunteers_elsewhere(words: list[Token], at: int) -> bool:
    """True when the word at ``at`` says that one person volunteers somewhere (« je suis
    bénévole aux Restos du cœur », « I volunteer at the food bank »): the volunteers of a
    structure they give time to, not of one of their own (« nos bénévoles »)."""
    if not words[at].lemma.startswith(VOLUNTEER) or at + 1 >= len(words):
        return False
    before = {t.surface for t in words[max(0, at - WORK_REACH) : at]}
    return words[at + 1].surface in VOLUNTEERING_AT and not before.isdisjoint(WORKERS)


def without_staff(words: list[Token]) -> bool:
    """True when the structure is said to employ nobody (« sans salarié », « on n'a aucun
    employé », « no staff ») or to be run by volunteers alone (« que des bénévoles », « 100 %
    bénévole », « volunteer-run », « 0 salarié »); not « je ne suis pas salarié » (who the
    person is)."""
    for at, token in enumerate(words):
        before = {w.surface for w in words[max(0, at - STAFF_REACH) : at]}
        staff = token.lemma.startswith(STAFF)
        if staff and token.denied and before.isdisjoint(IDENTITY):
            return True
        if staff and at > 0 and words[at - 1].surface in NO_COUNT | WITHOUT:
            return True  # « 0 salarié », « sans salarié », « without staff »
        paid = staff or token.surface == PAID
        if paid and not before.isdisjoint(NOBODY) and not before.isdisjoint(NOBODY_VERBS):
            return True  # « personne n'est payé », « nobody is paid »
        after = words[at + 1].surface if at + 1 < len(words) else ""
        volunteer = token.lemma.startswith(VOLUNTEER)
        if volunteer and (not before.isdisjoint(ONLY_VOLUNTEERS) or after in RUN_BY):
            return True
    return False


def staff_had(words: list[Token]) -> str | None:
    """The words telling that the structure already employs people (« on a 3 salariés »,
    « une association de 20 salariés », « our association has 4 staff »), not that it wants to
    (« embaucher 3 salariés »: those words are a need, already read), nor that it has none
    (« pas de salarié », « pas encore de salariés »)."""
    for at, token in enumerate(words):
        if employs(words, at):
            return " ".join(t.surface for t in words[at : at + 2])
        staff = token.lemma.startswith(STAFF) or token.lemma in STAFF_ALSO
        if not staff or token.negated or token.denied:
            continue
        before = words[max(0, at - STAFF_REACH) : at]
        if any(t.lemma in HIRING for t in before) or (before and before[-1].surface in NO_COUNT):
            continue
        if any(t.lemma in HAVING or t.surface in HAVING or t.surface.isdigit() for t in before):
            return " ".join(t.surface for t in (*before, token))
    return None


def employs(words: list[Token], at: int) -> bool:
    """True when the verb at ``at`` says the structure employs a number of people now (« notre
    asso emploie cinq personnes », « our charity employs seven people »), not that it will
    (« employer deux personnes », « we want to employ two »)."""
    token = words[at]
    if token.lemma not in EMPLOYING or token.negated or token.denied or at + 1 >= len(words):
        return False
    before = words[at - 1].surface if at > 0 else ""
    if token.surface in NOT_YET_EMPLOYING or before in NOT_YET_EMPLOYING:
        return False
    count = words[at + 1].surface
    return count.isdigit() or count in COUNTS
