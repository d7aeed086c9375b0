"""The scope of negations: the words a negation bears on, marked on a message's tokens.

Negation matters only where it reverses what the person asks: a refused wish (« je ne cherche
pas de financement », « no need for »), a denied identity (« nous ne sommes pas une
association ») or a step not yet taken (« pas encore lancé »). A lack (« je n'ai pas de local »)
is a need, not a negation, and is left alone. :func:`bot.core.language.tokens` marks every
message's tokens with :func:`mark_negations`; this module reads the tokens' words only, so it
imports :class:`~bot.core.language.Token` for its types alone.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.language import Token

NEGATORS = frozenset({"pas", "jamais", "aucun", "aucune", "rien", "ni", "not", "never", "no"})
SMS_NEGATOR = "pa"  # « jveux pa de prêt »; not a noun after its determiner (« my PA », « un pa »)
NOUN_DETERMINERS = frozenset({"a", "an", "the", "my", "our", "un", "le", "mon", "notre"})
NEGATOR_AFTER_NE = frozenset({"plus"})
DO_CONTRACTED = frozenset({"don", "doesn", "didn"})
ENGLISH_CONTRACTED = frozenset({"don", "doesn", "didn", "isn", "aren", "wasn", "can", "won"})
NEGATION_REACH = 6
VERB_BEFORE = 2  # « rien n'existe », « ne fonctionne pas »: the negated verb comes before
REFUSAL_VERBS = frozenset(
    {
        "vouloir",
        "chercher",
        "rechercher",
        "souhaiter",
        "besoin",
        "interesser",
        "demander",
        "envie",
        "want",
        "need",
        "look",
        "seek",
        "interest",
        "ask",
        "question",  # « pas question de devenir une coopérative »
        "intention",  # « aucune intention de », « no intention of becoming a co-op »
        "compter",  # « je ne compte pas embaucher », « on ne prévoit pas de », « not planning to »
        "prevoir",
        "envisager",
        "plan",
        "intend",
        "creer",  # « je ne créerai pas d'association », « we won't become a co-op »
        "devenir",
        "create",
        "become",
    }
)
IDENTITY_VERBS = frozenset({"etre", "be"})
STEP_BY_STEP = ["pas", "a", "pas"]  # « on me suive pas à pas »: no negation
RESTATING = frozenset({"chui", "jsuis", "jveux", "jcherche", "jai"})  # SMS: « chui », « jveux »
RESTATING_SUBJECTS = frozenset({"je", "j", "on", "nous", "we", "i"})
SUBORDINATING = frozenset({"que", "qu", "that", "si", "if", "pour", "to"})
NOT_ONLY = frozenset({"seulement", "uniquement", "juste", "only", "just", "simply", "merely"})
"""« pas seulement un local », « not only a loan »: more is asked, nothing refused."""
PARTITIVES = frozenset({"de", "d", "du", "des", "l", "le", "la", "les", "un", "une"})
NOT_THAT = frozenset({"que", "qu", "that"})  # « ce n'est pas qu'on ne veut pas »: we do
RESTATED = frozenset({"c", "mais", "but"})  # « pas une asso c'est une SCIC »: a new claim
ACTIVITY_VERBS = frozenset({"faire", "do"})  # « on ne fait pas d'insertion »: not their work
NOT_YET = frozenset({"encore", "yet"})
FRONTED = frozenset({"jamais", "rien", "aucun", "aucune"})
"""Negators that may come before their « ne » (« jamais de la vie je ne monterai une asso »)."""
NE = frozenset({"ne", "n"})
LACK_VERBS = frozenset({"avoir", "have", "disposer", "posseder", "trouver", "find"})
INABILITY_VERBS = frozenset(
    {"arriver", "parvenir", "reussir", "pouvoir", "savoir", "can", "manage", "afford", "know"}
)
"""« on n'arrive plus à payer », « we can't pay our staff »: what they cannot do is a trouble."""
WITHOUT = frozenset({"sans", "without"})
PRONOUNS = frozenset({"me", "m", "se", "s", "te", "t", "le", "la", "l", "les", "en", "y"})
VERB_ENDINGS = ("er", "ir", "re", "oir", "ing")  # infinitive, gerund (language.py reads it too)
VERB_MIN_LENGTH = 3
ARTICLES = frozenset({"un", "une", "a", "an"})
VERB_FORMS = {  # common forms simplemma may read otherwise (« sommes » → « somme »)
    **dict.fromkeys(("suis", "es", "est", "sommes", "etes", "sont", "am", "is", "are"), "etre"),
    **dict.fromkeys(("ai", "as", "avons", "avez", "ont", "have", "has"), "avoir"),
    **dict.fromkeys(
        ("veux", "jveux", "veut", "voulons", "voulez", "veulent", "voudrais"), "vouloir"
    ),
    **dict.fromkeys(("cherche", "cherches", "cherchons", "cherchez", "cherchent"), "chercher"),
    **dict.fromkeys(("compte", "comptons", "comptez", "comptent"), "compter"),
}


def _verb_form(token: Token) -> bool:
    """An infinitive or a gerund (« monter », « setting »), as far as endings tell."""
    return token.surface.endswith(VERB_ENDINGS) and len(token.surface) > VERB_MIN_LENGTH


def _negation_verb(words: list[Token], at: int) -> str:
    """The lemma the negator at ``at`` bears on: the verb before it, or after it in English."""
    if words[at].surface in WITHOUT:
        return "sans"
    before = [t for t in words[max(0, at - 3) : at] if t.clause == words[at].clause]
    after = words[at + 1 : at + 3]
    if after and after[0].surface in NOT_YET:
        return "encore"
    if after and after[0].lemma in REFUSAL_VERBS:
        return after[0].lemma  # « je n'ai pas besoin de », « nous n'avons jamais voulu »
    auxiliary = at > 0 and words[at - 1].surface in DO_CONTRACTED  # « we don't have »: « have »
    for token in [*after, *reversed(before)] if auxiliary else [*reversed(before), *after]:
        verb = VERB_FORMS.get(token.surface, token.lemma)
        if verb in REFUSAL_VERBS | IDENTITY_VERBS | ACTIVITY_VERBS | LACK_VERBS | INABILITY_VERBS:
            return verb
    if after and after[0].surface in ARTICLES:
        return "etre"  # « (pas une asso !) »: a denied identity
    return ""


def _step_by_step(words: list[Token], at: int) -> bool:
    """True when the « pas » at ``at`` is one of « pas à pas » (a step, not a negation)."""
    surfaces = [t.surface for t in words]
    return STEP_BY_STEP in (surfaces[at : at + 3], surfaces[max(0, at - 2) : at + 1])


def _not_only(words: list[Token], at: int) -> bool:
    """True when the negator at ``at`` opens a « not only » (« pas seulement un local », « pas
    que de l'argent », « not just money »; not « pas que mon asso devienne une SCOP »)."""
    after = [t.surface for t in words[at + 1 : at + 3]]
    if after and after[0] in NOT_ONLY:
        return True
    return len(after) == 2 and after[0] in ("que", "qu") and after[1] in PARTITIVES


def _is_negator(words: list[Token], at: int) -> bool:
    word = words[at].surface
    if (word == "pas" and _step_by_step(words, at)) or _not_only(words, at):
        return False
    if word in NEGATORS:
        return True
    if word == SMS_NEGATOR:
        return at > 0 and words[at - 1].surface not in NOUN_DETERMINERS
    if word in WITHOUT:  # « sans créer », « without setting up »; « sans local » is a lack
        following = [t for t in words[at + 1 : at + 3] if t.surface not in PRONOUNS]
        return bool(following) and _verb_form(following[0])
    before = {t.surface for t in words[max(0, at - 3) : at]}
    if word in NEGATOR_AFTER_NE:
        return bool(before & NE)
    return word == "t" and at > 0 and words[at - 1].surface in ENGLISH_CONTRACTED


def _scope_start(words: list[Token], at: int) -> int:
    """Where the negation at ``at`` starts bearing: the verb before it (« rien n'existe »,
    « ça marche pas »), but not before a « pas encore » that no « ne » opens (« une idée pas
    encore mûre »: the idea is there, only not ripe)."""
    start = max(0, at - VERB_BEFORE)
    opened = any(t.surface in NE for t in words[start:at])
    not_yet = at + 1 < len(words) and words[at + 1].surface in NOT_YET
    return at if not_yet and not opened else start


def _fronted_ne(words: list[Token], at: int) -> int:
    """The « ne » a negator put first bears through (« jamais de la vie je ne monterai une
    asso », « rien ne marche »), else the negator itself."""
    if words[at].surface not in FRONTED:
        return at
    reach = range(at + 1, min(len(words), at + 1 + NEGATION_REACH))
    return next(
        (i for i in reach if words[i].surface in NE and words[i].clause == words[at].clause), at
    )


def _restated(words: list[Token], at: int) -> bool:
    """True when a new claim starts at ``at``: « c'est », « mais », or the person speaking
    again in a clause of their own (« on n'est pas une asso on est une SCOP », « je veux pas de
    prêt je veux des conseils », « chui pas une asso chui auto-entrepreneur »; not « je ne
    veux pas qu'on me prête »)."""
    word = words[at].surface
    if word in RESTATED or word in RESTATING:
        return True
    before = words[at - 1].surface if at > 0 else ""
    return word in RESTATING_SUBJECTS and before not in SUBORDINATING


def _double_negations(words: list[Token]) -> set[int]:
    """The negators of a « not that … not » (« ce n'est pas qu'on ne veut pas devenir une
    SCOP »): each cancels the other."""
    cancelled: set[int] = set()
    for at in range(len(words) - 1):
        if words[at + 1].surface not in NOT_THAT or not _is_negator(words, at):
            continue
        reach = range(at + 2, min(len(words), at + 2 + NEGATION_REACH))
        second = next(
            (i for i in reach if words[i].clause == words[at].clause and _is_negator(words, i)),
            None,
        )
        if second is not None:
            cancelled.update((at, second))
    return cancelled


def mark_negations(words: list[Token]) -> list[Token]:
    """Mark the words a refusal, a denied identity or a « not yet » bears on (``negated``),
    and every word under any negation, the negated verb included (``denied``: « rien
    n'existe » says no stage). « ni » goes on as the negation before it in the clause did
    (« sans local ni bureau » is a lack); alone, it denies (« ni SCOP ni SCIC »). A new claim
    ends it (« pas une asso, c'est une SCIC », « not a charity but a co-op »); a negation of a
    negation says yes (« ce n'est pas qu'on ne veut pas », « it's not that we don't want »)."""
    negated = [False] * len(words)
    denied = [False] * len(words)
    kinds: dict[int, str] = {}  # clause → the last negation's verb ("" when a lack)
    cancelled = _double_negations(words)
    for at in range(len(words)):
        clause = words[at].clause
        bearing = at  # where the negated verb is looked for and the reach counted from
        if at in cancelled:
            continue
        if words[at].surface == "ni":
            verb = kinds.get(clause, "etre")
        elif words[at].surface in WITHOUT and not _is_negator(words, at):
            kinds[clause] = ""  # « sans local »: a lack
            continue
        elif _is_negator(words, at):
            bearing = _fronted_ne(words, at)
            verb = _negation_verb(words, bearing)
            kinds[clause] = "" if verb in LACK_VERBS else verb
            if verb in INABILITY_VERBS:
                continue  # neither refused nor denied: said of what goes wrong
        else:
            continue
        end = min(len(words), bearing + 1 + NEGATION_REACH)
        end = next((i for i in range(max(at + 2, bearing + 1), end) if _restated(words, i)), end)
        scope = [
            i for i in range(_scope_start(words, at), end) if i != at and words[i].clause == clause
        ]
        for i in scope:
            denied[i] = True
        if verb in LACK_VERBS or not verb:
            continue  # « je n'ai pas de local »: a lack is a need
        for i in scope:
            negated[i] = negated[i] or i > at
    return [
        replace(t, negated=n, denied=d) if n or d else t
        for t, n, d in zip(words, negated, denied, strict=True)
    ]
