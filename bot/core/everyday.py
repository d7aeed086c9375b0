"""Whether a message speaks of ordinary life in a project's words, not of a venture.

« je lance une lessive », « mon projet tutoré est à rendre lundi », « combien je peux mettre
sur mon livret A ? », « un prêt pour changer de voiture », « help me move my sofa »: each word
read as a stage, a need or « projet » bears on an everyday thing — a thing of the taxonomy's
``everyday`` talk (the home and its chores, a car, a family event, school or work, one's
bank) or a personal file (:data:`bot.core.projects.PERSONAL_THINGS`), said in its clause right
after it — and no other word of the message is a venture's: of the social economy, one the
thesaurus groups or a word of an actor's keywords (« que mon livret serve à l'ESS », « mon
projet de fin d'études c'est une épicerie solidaire que je veux ouvrir », « un financement pour
ma ferme et ma voiture »), unless it leads to one of those words in its clause (« un crédit
pour financer notre mariage »). A word whose object is an everyday thing (« lancer une
lessive », « me prêter une perceuse ») is one such word, and a verb of making among them makes
no plan. The caller asks it only of a message that says no legal form, no structure's name, no
plan and no trade.
"""

from __future__ import annotations

from functools import lru_cache

from bot.core.announcements import RELATIVES
from bot.core.knowledge import KnowledgeBase
from bot.core.language import Token, tokens
from bot.core.projects import (
    DEFINITE_ONE,
    NEW_THING,
    PERSONAL_THINGS,
    POSSESSIVES,
    SOCIAL_ECONOMY,
    TRADING,
)
from bot.core.vocabulary import vocabulary

FOR = frozenset({"pour", "pr", "for"})
OF = frozenset({"de", "d", "of"})
DETERMINERS = NEW_THING | DEFINITE_ONE | frozenset({"ce", "cet", "cette", "this", "that"})
BEARING_REACH = 6  # « le projet d'agrandissement de la cuisine », « un prêt pour changer d'auto »


def everyday_life(words: list[Token], said: set[int], kb: KnowledgeBase) -> bool:
    """True when each word at ``said`` (a stage, a need, « projet », a word done to an
    everyday thing) bears on an everyday thing and no other word is a venture's, unless it
    leads to one of them (:func:`_leads`)."""
    things = _things(words, kb)
    if not said or not all(_bears(words, at, things) for at in said):
        return False
    ventures = _venture_words(kb)
    return not any(
        at not in said | things
        and not t.negated
        and (t.lemma in SOCIAL_ECONOMY or (t.lemma in ventures and not _leads(words, at, said)))
        for at, t in enumerate(words)
    )


def _leads(words: list[Token], at: int, said: set[int]) -> bool:
    """True when the word at ``at`` leads to a word at ``said`` that follows it in its clause:
    one phrase with it (« un crédit pour financer notre mariage », « created a cagnotte »)."""
    return _bears(words, at, said - {at})


def done_to_everyday_things(words: list[Token], kb: KnowledgeBase) -> set[int]:
    """The positions of the content words whose object, right after its determiner, is an
    everyday thing (« je lance une lessive », « me prêter une perceuse », « open this jar »):
    a chore, no plan."""
    things = _things(words, kb)
    stop = vocabulary(kb).stop
    return {
        at
        for at in range(len(words) - 2)
        if words[at].lemma not in stop
        and words[at + 1].surface in DETERMINERS
        and at + 2 in things
        and words[at + 2].clause == words[at].clause
    }


def _things(words: list[Token], kb: KnowledgeBase) -> set[int]:
    """The positions of the everyday things among the words, but for one said to serve
    something else (« un four pour la boulangerie », not « une salle pour le mariage »)."""
    everyday = kb.taxonomy.talk.everyday | PERSONAL_THINGS
    found = {
        at
        for at, t in enumerate(words)
        if not everyday.isdisjoint((t.surface, t.lemma, t.text.lower()))
    }
    return {at for at in found if not _serves(words, at, found, vocabulary(kb).stop)}


def _serves(words: list[Token], at: int, things: set[int], stop: frozenset[str]) -> bool:
    """True when « pour » (or « de » and a possessive) follows the thing at ``at`` and the
    first word it says, past its determiner, is no everyday thing nor a relative (« un four
    pour la boulangerie », « la machine de notre atelier »; not « l'anniversaire de ma
    fille »)."""
    if at + 2 >= len(words):
        return False
    link, then = words[at + 1].surface, words[at + 2].surface
    if not (link in FOR or (link in OF and then in POSSESSIVES)):
        return False
    end = at + 3 if then in DETERMINERS else at + 2
    said = [i for i in range(at + 2, min(len(words), end + 1)) if words[i].lemma not in stop]
    return bool(said) and said[0] not in things and words[said[0]].surface not in RELATIVES


def _bears(words: list[Token], at: int, things: set[int]) -> bool:
    """True when an everyday thing is the word at ``at`` or follows it in its clause."""
    reach = range(at, min(len(words), at + 1 + BEARING_REACH))
    return any(i in things and words[i].clause == words[at].clause for i in reach)


@lru_cache(maxsize=4)
def _venture_words(kb: KnowledgeBase) -> frozenset[str]:
    """The lemmas the thesaurus groups, those of the actors' one-word keywords (« ess »,
    « scop »; not each word of « mois de l'ess ») and the verbs of a trade (« vendre des
    plats »)."""
    vocab = vocabulary(kb)
    single = (k for a in kb.actors for k in a.keywords if len(k.split()) == 1)
    keywords = tokens(" ".join(single), "fr", vocab.lexicon)
    return vocab.thesaurus_heads | frozenset(vocab.content(keywords)) | TRADING
