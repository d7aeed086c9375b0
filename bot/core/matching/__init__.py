"""Matching: from a project holder's profile to a few ranked, explained recommendations.

Pure and deterministic. An actor is *eligible* when its territory covers the person, its
stages and legal forms include theirs and no ``not_for`` rule excludes them; an excluded actor
is never recommended (it is reported in ``excluded`` with the reason). Among the eligible, the
score adds the needs it covers (primary counts more), how close the person's words are to the
actor's own descriptions (BM25 over lemmas), a strong bonus when the person names it, the
general reception point of their commune for first advice (by less, with no commune said,
that of where they most likely are; and, for a structure in difficulty, the local one whose
work is consolidating them, else the financer of that stage; for advice to a structure of a
form said, the network of that form's members), the
kind of an actor asked for that excludes the person (never the yardstick of the words when
named), the narrowness of its territory, being in their commune, its fit with the stage and
legal form (less an actor for employers when no staff is said, or one barring some forms
when none is said), and a published contact.
Results are picked greedily so that several needs get covered rather than one need thrice.

The modules, each importing only modules before it:
``profile`` (what the person said, the needs matched) → ``results`` (recommendations, reasons,
exclusions) → ``levels`` (territory levels) → ``scoring`` (eligibility, base score) →
``picking`` (greedy picks) → ``floor`` (what a pick must gain); ``desks`` (what comes first,
after ``scoring``) → ``preselect`` (the coverage index on a large base); ``networks`` (where
nobody advises, after ``scoring``) → ``recommending`` (:func:`recommend`, the steps in order).
"""

from bot.core.matching.desks import reception_points
from bot.core.matching.levels import LOCAL_LEVEL, covers
from bot.core.matching.profile import (
    DEFAULT_NEED,
    NO_FORM_YET,
    OUTSIDE_UNKNOWN,
    Profile,
    matched_needs,
    merge,
)
from bot.core.matching.recommending import recommend
from bot.core.matching.results import Excluded, MatchResult, Reason, Recommendation

__all__ = [
    "DEFAULT_NEED",
    "LOCAL_LEVEL",
    "NO_FORM_YET",
    "OUTSIDE_UNKNOWN",
    "Excluded",
    "MatchResult",
    "Profile",
    "Reason",
    "Recommendation",
    "covers",
    "matched_needs",
    "merge",
    "reception_points",
    "recommend",
]
