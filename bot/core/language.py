"""The language toolchain: words, lemmas (simplemma), the sentence's language, negation scope.

Every word is folded (lower case, no accents) after lemmatisation, so « salariées », « salariés »
and « salaries » meet on one lemma. A :class:`Lexicon` built from the knowledge base's own
(accented) texts maps each folded surface form to its lemma first, so that a person who types
without accents finds the same lemma as the base; simplemma answers the other words.

Negation matters only where it reverses what the person asks: a refused wish (« je ne cherche
pas de financement », « no need for »), a denied identity (« nous ne sommes pas une
association ») or a step not yet taken (« pas encore lancé »). A lack (« je n'ai pas de local »)
is a need, not a negation, and is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import combinations, product

import simplemma
import stopwordsiso

from bot.core.text import STOP_WORDS, fold

LANGS = ("fr", "en")
_TOKEN = re.compile(r"[^\W_]+|[.,;:!?()\n—–]", re.UNICODE)
CLAUSE_BREAKS = frozenset(".,;:!?()\n—–")  # a dash too: « not interested in grants — our »
CLAUSE_WORDS = frozenset({"mais", "but", "car", "because", "sinon", "donc", "so"})
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
OWN_POSSESSIVES = frozenset({"mon", "ma", "mes", "notre", "nos", "my", "our"})
"""The person's possessives (« notre SCIC », « mon fils veut ouvrir un garage »)."""
NOT_YET = frozenset({"encore", "yet"})
FRONTED = frozenset({"jamais", "rien", "aucun", "aucune"})
"""Negators that may come before their « ne » (« jamais de la vie je ne monterai une asso »)."""
NE = frozenset({"ne", "n"})
LACK_VERBS = frozenset({"avoir", "have", "disposer", "posseder", "trouver", "find"})
INABILITY_VERBS = frozenset(
    {"arriver", "parvenir", "reussir", "pouvoir", "savoir", "can", "manage", "afford", "know"}
)
"""« on n'arrive plus à payer », « we can't pay our staff »: what they cannot do is a trouble."""
DETECT_MIN_SCORE = 0.5
LOW_MEMORY = True  # simplemma reads its dictionaries in place: 6 MB, not 44 (README)
VOWELS = frozenset("aeiouy")
ACCENTED = {"e": "éèê", "a": "àâ", "i": "îï", "o": "ô", "u": "ùû", "c": "ç"}
ACCENTS_RESTORED = 2
WHOLLY = 0.8  # simplemma's share of words known in one language, against one function word
CONTENT_WORDS = frozenset(
    {"home", "old", "young", "new", "small", "big", "place", "group", "member", "room", "area",
     "problem", "open", "world", "house", "own", "help", "information"}
)  # fmt: skip
PARTICLES = frozenset({"up", "over", "out", "off", "back", "down", "after"})
OBJECT_PRONOUNS = frozenset({"it", "them", "us", "me", "him", "her", "this", "that", "one"})
WITHOUT = frozenset({"sans", "without"})
PRONOUNS = frozenset({"me", "m", "se", "s", "te", "t", "le", "la", "l", "les", "en", "y"})
VERB_ENDINGS = ("er", "ir", "re", "oir", "ing")
VERB_MIN_LENGTH = 3
ARTICLES = frozenset({"un", "une", "a", "an"})
PRESENT_ENDINGS = ("ent", "es", "e", "ons", "ez")  # « on bosse », « ils galèrent »
INFINITIVE = "er"
SUBJECTS = frozenset({"je", "j", "on", "il", "elle", "ils", "elles", "nous", "tu", "qui"})
VERB_FORMS = {  # common forms simplemma may read otherwise (« sommes » → « somme »)
    **dict.fromkeys(("suis", "es", "est", "sommes", "etes", "sont", "am", "is", "are"), "etre"),
    **dict.fromkeys(("ai", "as", "avons", "avez", "ont", "have", "has"), "avoir"),
    **dict.fromkeys(
        ("veux", "jveux", "veut", "voulons", "voulez", "veulent", "voudrais"), "vouloir"
    ),
    **dict.fromkeys(("cherche", "cherches", "cherchons", "cherchez", "cherchent"), "chercher"),
    **dict.fromkeys(("compte", "comptons", "comptez", "comptent"), "compter"),
}


@dataclass(frozen=True)
class Token:
    """One word of a message: folded form, lemma (its thesaurus head), place and negation."""

    surface: str
    lemma: str
    text: str
    capital: bool
    clause: int
    negated: bool = False
    denied: bool = False
    joined: bool = (
        False  # hyphened to the word before (« Andorre-la-Vieille »: « la », « vieille »)
    )


class Lexicon:
    """Folded surface form → folded lemma, learnt from the knowledge base's accented texts;
    then lemma → the head of its thesaurus group (« boîte » → « entreprise »)."""

    def __init__(
        self, texts: Iterable[tuple[str, str]], thesaurus: Mapping[str, str] | None = None
    ) -> None:
        self.thesaurus = dict(thesaurus or {})
        self.heads = frozenset(self.thesaurus.values())
        self.forms: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
        for lang, text in texts:
            forms = self.forms[lang if lang in LANGS else "fr"]
            for word in _TOKEN.findall(text):
                if word not in CLAUSE_BREAKS:
                    forms.setdefault(fold(word), _lemma(word.lower(), lang))

    def lemma(self, word: str, lang: str) -> str:
        """The folded lemma of ``word`` (the base's own form first), or rather the head of its
        thesaurus group (by its form, then its lemma)."""
        folded = fold(word)
        if folded in self.thesaurus:
            return self.thesaurus[folded]
        known = self.forms[lang].get(folded)
        if known is None and not known_word(word.lower(), lang):
            for other in LANGS:  # a word of the base in the other language (« activités »)
                known = known or self.forms[other].get(folded)
        lemma = known if known is not None else _lemma(word.lower(), lang)
        return self.thesaurus.get(lemma, lemma)

    def verb_group(self, word: str, lang: str) -> str | None:
        """The thesaurus head of the verb a present form after a subject belongs to, when
        neither the base nor the lemmatiser knows the form (« on bosse » → « bosser »)."""
        folded = fold(word)
        if any(folded in forms for forms in self.forms.values()):
            return None
        if _lemma(word.lower(), lang) != folded or folded in self.thesaurus:
            return None
        for ending in PRESENT_ENDINGS:
            if folded.endswith(ending) and len(folded) > len(ending) + 2:
                head = self.thesaurus.get(folded[: -len(ending)] + INFINITIVE)
                if head is not None:
                    return head
        return None


@lru_cache(maxsize=65536)
def _lemma(word: str, lang: str) -> str:
    if not word.strip():
        return ""
    return fold(simplemma.lemmatize(word, lang=lang, low_memory=LOW_MEMORY)) or fold(word)


@lru_cache(maxsize=65536)
def word_lemmas(word: str) -> frozenset[str]:
    """The folded word and its French and English lemmas, before any thesaurus (« travaillais »
    → « travailler », « moving » → « move »): one lemma covers the forms of a word."""
    lower = word.lower()
    return frozenset({fold(word), *(_lemma(lower, lang) for lang in LANGS)})


@lru_cache(maxsize=4)
def stop_lemmas(lang: str) -> frozenset[str]:
    """The stop words of ``lang`` (stopwords-iso, and ours) and their lemmas, folded.

    Lemmas too, since simplemma turns « je » into « moi » and « mes » into « son ». The
    English list, twice the French one, also holds words that say what a request is about
    (« home help », « old people », « a room »): those are kept as meaning."""
    words = STOP_WORDS | {fold(w) for w in stopwordsiso.stopwords(lang)}
    return frozenset(words | {_lemma(word, lang) for word in words}) - CONTENT_WORDS


@lru_cache(maxsize=65536)
def known_word(word: str, lang: str) -> bool:
    """True when ``word`` is an ordinary word of ``lang`` (so not surely a place name)."""
    return bool(word) and bool(simplemma.is_known(word, lang=lang, low_memory=LOW_MEMORY))


@lru_cache(maxsize=65536)
def unaccented_french(word: str) -> bool:
    """True when ``word``, typed without accents, is a French word once up to two of its
    letters take their accent (« idee » idée, « velos » vélos, « creer » créer); not an
    English function word (« the » is no « thé »)."""
    if not word.isascii() or known_word(word, "fr") or word in _function_words()["en"]:
        return False
    spots = [i for i, letter in enumerate(word) if letter in ACCENTED]
    for count in range(1, ACCENTS_RESTORED + 1):
        for chosen in combinations(spots, count):
            for letters in product(*(ACCENTED[word[i]] for i in chosen)):
                spelt = list(word)
                for i, letter in zip(chosen, letters, strict=True):
                    spelt[i] = letter
                if known_word("".join(spelt), "fr"):
                    return True
    return False


def conjugated_only(word: str) -> bool:
    """True when the French ``word`` is known only as a form of a verb other than its
    infinitive (« limoges »: limoger, « rodez », « vienne »), a form no message opens with."""
    lemma = _lemma(word, "fr")
    return known_word(word, "fr") and lemma != word and lemma.endswith(VERB_ENDINGS)


@lru_cache(maxsize=1)
def _function_words() -> dict[str, frozenset[str]]:
    """The stop words that belong to one language only (« pour », « je » / « the », « my »).

    stopwords-iso's lists share words (« je », « un » are in the English one too), and the
    English one also holds abbreviations and country codes (« cc », « st », « pr »): a word
    of one language must be in its dictionary and not in the other's, and a word needs a
    vowel (an abbreviation belongs to no language)."""
    french = {fold(w) for w in stopwordsiso.stopwords("fr")}
    english = {fold(w) for w in stopwordsiso.stopwords("en")}

    def only(word: str, lang: str, other: str) -> bool:
        return known_word(word, lang) and not known_word(word, other) and bool(VOWELS & set(word))

    return {
        "fr": frozenset(w for w in french if w not in english or only(w, "fr", "en")),
        "en": frozenset(w for w in english - french if only(w, "en", "fr")),
    }


@lru_cache(maxsize=1)
def _shared_stop_words() -> frozenset[str]:
    """The stop words of both stopwords-iso lists (« non », « on », « a »), folded."""
    french = {fold(w) for w in stopwordsiso.stopwords("fr")}
    return frozenset(french & {fold(w) for w in stopwordsiso.stopwords("en")})


def detect_language(text: str, names: frozenset[str] = frozenset()) -> str | None:
    """``fr`` or ``en`` when the text is clearly written in it; None when unsure.

    Function words that belong to one language decide first (« financemnt pour ma
    cooperative » is French), a lone one not against words all of the other language (« cc je
    veux monter un truc »); simplemma's share of known words decides otherwise, the stop
    words of both languages left out (« non », « on »), French typed without accents counted
    (« idee »). Words of ``names`` (place names: « Toulouse » is also an English word) are
    left out."""
    kept = [w.lower() for w in _TOKEN.findall(text) if w.isalpha() and fold(w) not in names]
    if not kept:
        return None
    function = _function_words()
    counts = {
        lang: sum(1 for w in kept if fold(w) in function[lang] and (lang == "fr" or w.isascii()))
        for lang in LANGS
    }  # « de zéro »: an accent is French
    counted = max(LANGS, key=counts.__getitem__)
    if counts["fr"] != counts["en"] and max(counts.values()) > 1:
        return counted
    shared = _shared_stop_words()  # « non », « on », « a »: of both lists, they tell nothing
    told = [w for w in kept if fold(w) not in shared]
    scores = (
        dict(simplemma.langdetect(" ".join(told), lang=LANGS, low_memory=LOW_MEMORY))
        if told
        else {}
    )
    french, english = scores.get("fr", 0.0), scores.get("en", 0.0)
    if english > french:  # French typed without accents is no English (« idee », « velos »)
        french += sum(1 for w in told if unaccented_french(w)) / len(told)
        scores["fr"] = french
    if counts["fr"] != counts["en"] and not (  # « cc je veux monter… »: one SMS word
        scores.get(counted, 0.0) == 0.0 and max(french, english) >= WHOLLY
    ):
        return counted
    if english > french and english >= DETECT_MIN_SCORE:
        return "en"
    if french > english and french >= DETECT_MIN_SCORE:
        return "fr"
    return None


def tokens(text: str, lang: str, lexicon: Lexicon) -> list[Token]:
    """The words of ``text`` with lemmas, clause numbers and negation marks."""
    matches = list(_TOKEN.finditer(text))
    raw = [m.group() for m in matches]
    shouting = sum(1 for w in raw if w.isupper() and len(w) > 1) > len(raw) / 2
    found: list[Token] = []
    clause = 0
    for match, word in zip(matches, raw, strict=True):
        if word in CLAUSE_BREAKS:
            clause += 1
            continue
        folded = fold(word)
        if not folded:
            continue  # a letter folding leaves nothing of (« Ð »)
        if folded in CLAUSE_WORDS:
            clause += 1
        capital = word[:1].isupper() and not shouting
        lemma = lexicon.lemma(word, lang)
        if found and found[-1].surface in SUBJECTS and found[-1].clause == clause:
            lemma = lexicon.verb_group(word, lang) or lemma
        joined = match.start() > 0 and text[match.start() - 1] == "-"
        found.append(Token(folded, lemma, word, capital, clause, joined=joined))
    return _mark_negations(_phrasal_verbs(found, lexicon) if lang == "en" else found)


def _phrasal_verbs(words: list[Token], lexicon: Lexicon) -> list[Token]:
    """An English verb and its particle read as one lemma (« take it over » → « take over »),
    since the verb alone is a stop word or means something else (« take », « set », « run »);
    a verb already in the thesaurus keeps its head (« buy out » is « reprendre »)."""
    for at, particle in enumerate(words):
        if particle.surface not in PARTICLES or at == 0:
            continue
        verb_at = at - 2 if at > 1 and words[at - 1].surface in OBJECT_PRONOUNS else at - 1
        verb = words[verb_at]
        if (
            verb.clause == particle.clause
            and verb.lemma not in lexicon.heads
            and verb.lemma.isalpha()
        ):
            words[verb_at] = replace(verb, lemma=f"{verb.lemma} {particle.surface}")
    return words


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
        return bool(before & {"ne", "n"})
    return word == "t" and at > 0 and words[at - 1].surface in ENGLISH_CONTRACTED


def _scope_start(words: list[Token], at: int) -> int:
    """Where the negation at ``at`` starts bearing: the verb before it (« rien n'existe »,
    « ça marche pas »), but not before a « pas encore » that no « ne » opens (« une idée pas
    encore mûre »: the idea is there, only not ripe)."""
    start = max(0, at - VERB_BEFORE)
    opened = any(t.surface in ("ne", "n") for t in words[start:at])
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


def _mark_negations(words: list[Token]) -> list[Token]:
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
