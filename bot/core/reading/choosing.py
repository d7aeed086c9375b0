"""The person's stage, legal form and needs among those the words say: a form said as what they
are or settled on after a change of mind, not one named in a question; the needs they settled
on, less becoming the cooperative they already are."""

from __future__ import annotations

from bot.core.language import Token
from bot.core.projects import AUXILIARY_FORMS, NEW_THING, participle
from bot.core.reading.situation import SEARCH_VERBS, SEARCHING
from bot.core.reading.terms import said_of_others
from bot.core.reading.words import ANY_BUSINESS, BECOMING, FIRST_PERSON, Found

COOP_FORMS = frozenset({"scop", "scic"})
COOP_NEED = "coop-status"
ADVICE = "advice"
COOP_NAMES = frozenset({"cooperative", "scop", "scic", "coop", "co"})  # « co-op »: « co », « op »
LIVED_STAGES = frozenset({"launching", "growing", "struggling"})
BECOMING_VERBS = frozenset(
    {"devenir", "become", "passer", "transformer", "turn", "convert", "switch", "creer",
     "lancer", "reprendre", "choisir", "choose", "statut", "status", "forme", "form"}
)  # fmt: skip
BECOMING_AS = BECOMING | {"as"}
BECOMING_AS_REACH = 3
BECOMING_REACH = 4  # « devenir peut-être une SCIC », « se transformer un jour en coopérative »
PLANNED_STAGES = frozenset({"idea", "building"})
MADE_STAGE = "launching"  # « on vient de créer une SCOP »: made, just started
IDEA_WORDS = frozenset({"idee", "idea", "idees", "ideas"})
ADDRESSEE = frozenset({"tu", "t", "vous", "you"})  # « t'as une idée ? », « do you have an idea? »
ADDRESSEE_REACH = 4
ANY_ONE = frozenset({"any", "une", "des", "an", "some"})  # « any idea? », « une idée ? »
JUST = frozenset({"just", "juste"})  # « we just set up », « on a juste créé »
WEAK_STAGE_WORDS = frozenset(
    {"creer", "monter", "lancer", "demarrer", "commencer", "start", "preparer", "prepare",
     "developper", "building"}  # « an office in a building »
)  # fmt: skip
IDENTITY_WORDS = frozenset(
    {"sommes", "est", "suis", "sont", "notre", "nos", "mon", "ma", "our", "my", "are", "am",
     "re", "m"}  # « I'm a… »
)  # fmt: skip
IDENTITY_REACH = 3  # « nous sommes une petite SCOP »
DESCRIBED_REACH = 10  # « Notre AG vient d'élire un nouveau bureau, président et trésorière »
PLANNED = frozenset({"projet", "project", "idee", "idea", "futur", "future", "creer", "lancer"})
WANTED = PLANNED | SEARCH_VERBS | SEARCHING | {"vouloir", "want", "souhaiter", "aimer", "besoin"}
CHANGES_OF_MIND = (
    ("finalement",), ("plutot",), ("en", "fait"), ("au", "final"), ("actually",), ("rather",),
    ("instead",), ("finally",), ("enfin", "non"), ("i", "mean"),
)  # fmt: skip
SAVERS = ("epargnant", "investisseur", "actionnaire", "saver", "investor")  # who place savings
PLURAL = "s"
LATER = (
    ("plus", "tard"), ("un", "jour"), ("a", "terme"), ("a", "l", "avenir"), ("later",),
    ("one", "day"), ("someday",), ("eventually",), ("in", "the", "future"),
)  # fmt: skip
QUESTION_MARKERS = (
    ("c", "est", "quoi"),
    ("c", "quoi"),  # « c quoi », « c koi »: the same in a text message
    ("c", "koi"),
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


def said_as_stage(words: list[Token], said: str, at: int) -> bool:
    """True when a stage was said as such (« rien n'existe »), not read from a verb alone
    (« monter », « on monte »: a project long under way is « monté » too)."""
    word = said.rsplit("≈", maxsplit=1)[-1]
    return word not in WEAK_STAGE_WORDS and not (
        " " not in word and words[at].lemma in WEAK_STAGE_WORDS
    )


def made_already(words: list[Token], at: int) -> bool:
    """True when the verb of making at ``at`` tells of a new thing made already: after « venir
    de » (« on vient de créer une SCOP ») or « just » (« we just set up a co-op »), or as a
    participle after « avoir » (« on a créé une asso l'an dernier », « we have launched »)."""
    after = [t for t in words[at + 1 : at + 3] if t.clause == words[at].clause]
    if " " in words[at].lemma:
        after = after[1:]  # « set up a »: the particle is the verb's
    if not after or after[0].surface not in NEW_THING or after[0].text.lower() == "à":
        return False  # « j'ai commencé à faire des confitures »: begun, nothing made
    before = [t for t in words[max(0, at - 2) : at] if t.clause == words[at].clause]
    if before and before[-1].surface in JUST:
        return True
    if len(before) == 2 and before[1].surface in {"de", "d"} and before[0].lemma == "venir":
        return True
    return bool(before) and before[-1].surface in AUXILIARY_FORMS and participle(words[at])


def idea_asked(words: list[Token], at: int, asked: bool) -> bool:
    """True when the idea said at ``at`` is one asked of the addressee (« t'as une idée de
    cadeau pour ma mère ? »), or by nobody speaking of themself (« the dishwasher is leaking
    again, any idea why? »): no stage."""
    if not asked or at < 1 or words[at].surface not in IDEA_WORDS:
        return False
    if words[at - 1].surface not in ANY_ONE:
        return False
    before = {t.surface for t in words[max(0, at - ADDRESSEE_REACH) : at]}
    return not ADDRESSEE.isdisjoint(before) or FIRST_PERSON.isdisjoint(t.surface for t in words)


def is_question(words: list[Token]) -> bool:
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


def form_is_sure(words: list[Token], said: str, at: int) -> bool:
    """Whether the legal form ``said`` at ``at`` is said as what the person is now (« nous
    sommes une SCOP », « notre asso », « je suis auto-entrepreneur », or the message opens
    with it: « Auto-entrepreneuse en céramique, … »), or described in their own voice
    (« chez nous chaque salarié est associé », « notre troupe (association) »), as sure as a
    pressed button; not of a plan (« mon projet d'association », « notre future SCIC »), nor
    a word for any business (« ma boîte », « my business »: an activity as much as a
    company)."""
    if said in ANY_BUSINESS:
        return False
    if at == 0:
        return True  # « Asso culturelle, 3 salariés… »: the person presents themself
    before = words[max(0, at - IDENTITY_REACH) : at]
    identity = [i for i, t in enumerate(before) if t.surface in IDENTITY_WORDS]
    if identity:
        return not any(t.lemma in PLANNED for t in before[identity[-1] :])
    return (" " in said or _in_apposition(words, at)) and _described_as_own(words, at)


def _in_apposition(words: list[Token], at: int) -> bool:
    """Whether the form at ``at`` is all its clause says, just after another (« Notre troupe
    de théâtre (association) voudrait… », « Notre épicerie (SCIC) cherche… »): what that one
    is."""
    clause = [t for t in words if t.clause == words[at].clause]
    return at > 0 and len(clause) == 1 and words[at - 1].clause == words[at].clause - 1


def _described_as_own(words: list[Token], at: int) -> bool:
    """Whether a form told as what the structure is like (« chez nous chaque salarié est
    associé », « on vient d'élire un nouveau bureau ») or in brackets after it is told in the
    person's own voice just before, not of a plan or a search (« on aimerait qu'une personne
    ait une voix », « nous cherchons une coopérative de production »)."""
    before = words[max(0, at - DESCRIBED_REACH) : at]
    voice = [i for i, t in enumerate(before) if t.surface in FIRST_PERSON]
    return bool(voice) and not any(
        t.lemma in WANTED or t.surface in WANTED for t in before[voice[0] :]
    )


def needs_beyond_identity(
    words: list[Token],
    found: Found,
    legal_form: str | None,
    stage: str | None,
    stage_said: tuple[str, int] | None = None,
) -> dict[str, tuple[str, int]]:
    """The needs said, less becoming the cooperative the person already is (« notre SCOP
    traverse une mauvaise passe », « notre SCIC a besoin de fonds propres », « on vient de
    créer une SCOP ») when the words ask for something else or tell of a structure already
    living (``stage``, said by the words ``stage_said``), or the cooperatives of someone else
    (« l'URSCOP réserve son appui à ses coopératives adhérentes »)."""
    needs = found["needs"]
    coop = needs.get(COOP_NEED)
    if coop is not None and said_of_others(words, coop[1]):
        return _without(needs, COOP_NEED)
    if coop is None or legal_form is None:
        return needs
    if legal_form not in COOP_FORMS:
        return needs if _becoming(words, coop[1], found, legal_form) else _without(needs, COOP_NEED)
    form_at = found["legal_forms"][str(legal_form)][1]
    lived = stage in LIVED_STAGES or len(needs) > 1
    becoming = form_at > 0 and words[form_at - 1].surface in BECOMING  # « notre boîte en SCOP »
    founded = stage in LIVED_STAGES and _founded_as(stage_said, form_at)
    identity = _said_as_identity(words, form_at) or founded
    if coop[1] == form_at and identity and lived and not becoming:
        return _without(needs, COOP_NEED)
    return needs


def _founded_as(said: tuple[str, int] | None, form_at: int) -> bool:
    """True when the words of a living stage come just before the form (« on vient de créer
    une SCOP »): the form is what the person now is, not one to become."""
    if said is None or said[1] < 0:
        return False  # a stage read from the whole message (its staff) is said nowhere
    return 0 <= form_at - (said[1] + len(said[0].split())) < IDENTITY_REACH


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


def settled_needs(
    words: list[Token], needs: dict[str, tuple[str, int]]
) -> dict[str, tuple[str, int]]:
    """The needs said after the person changed their mind (« un financement, enfin non, un
    local », « at first a loan, actually we need advice »), when they said one there."""
    turn = _said_after(words, len(words), CHANGES_OF_MIND)
    after = {n: said for n, said in needs.items() if said[1] >= turn}
    return after if turn >= 0 and after and len(after) < len(needs) else needs


def present_needs(
    words: list[Token], needs: dict[str, tuple[str, int]]
) -> dict[str, tuple[str, int]]:
    """The needs less those said for later (« plus tard on deviendra une SCIC », « un jour »,
    « later we may become a co-op ») when another is said for now (« là on cherche un
    local »): what the person asks for today. Advice alone asked for now may bear on the
    later one (« un jour une SCIC, qui peut nous conseiller là-dessus ? »): both kept."""
    later = {n for n, (_, at) in needs.items() if _said_for_later(words, at)}
    if not set(needs) - later - {ADVICE}:
        return needs
    return {n: said for n, said in needs.items() if n not in later}


def savers_sought(words: list[Token], said: tuple[str, int]) -> bool:
    """True when the words of a need ``said`` name savers in the plural (« des citoyens
    épargnants », « investisseurs citoyens », « savers »): others, whose money the person
    seeks for their structure, not savings of their own to place."""
    text, at = said
    span = words[at : at + len(text.split())]
    return any(t.surface.startswith(SAVERS) and t.surface.endswith(PLURAL) for t in span)


def _said_for_later(words: list[Token], at: int) -> bool:
    """True when the clause of the word at ``at`` says a time to come (« plus tard »)."""
    clause = tuple(t.surface for t in words if t.clause == words[at].clause)
    return any(
        clause[i : i + len(marker)] == marker
        for marker in LATER
        for i in range(len(clause) - len(marker) + 1)
    )


def own_legal_form(
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
