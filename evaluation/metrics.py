"""Scoring the matcher on evaluation cases: top-1, top-3, no-answer, out-of-area, language."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.core.knowledge import KnowledgeBase
from bot.core.matching import Profile, recommend
from evaluation.corpus import Case

TOP = 3
CONVERSATION_LANG = "fr"  # a conversation starts in French; unsure text keeps it


@dataclass(frozen=True)
class Outcome:
    """What the bot answered to one case."""

    case: Case
    top: tuple[str, ...]
    commune: str | None
    outside: str | None
    lang: str

    @property
    def answered(self) -> bool:
        """True when at least one structure was recommended."""
        return bool(self.top)

    @property
    def top3(self) -> bool:
        """An acceptable actor is in the top 3 (or nothing, when nothing is wanted)."""
        if self.case.wants_nothing:
            return not self.top
        return bool(self.case.expect.intersection(self.top))

    @property
    def top1(self) -> bool:
        """The first result is an acceptable first one (or nothing, when nothing is wanted)."""
        if self.case.wants_nothing:
            return not self.top
        return bool(self.top) and self.top[0] in (self.case.first or self.case.expect)

    @property
    def violations(self) -> tuple[str, ...]:
        """Actors shown though excluded (``never``), or first though ``not_first``."""
        found = [f"never:{a}" for a in self.top if a in self.case.never]
        if self.top and self.top[0] in self.case.not_first:
            found.append(f"not_first:{self.top[0]}")
        return tuple(found)

    @property
    def place_ok(self) -> bool:
        """The commune or the outside-area department is the expected one."""
        if self.case.outside_area is not None:
            return self.outside == self.case.outside_area and self.commune is None
        return self.case.commune is None or self.commune == self.case.commune

    @property
    def ok(self) -> bool:
        """Every check of the case passes."""
        return self.top3 and self.top1 and not self.violations and self.place_ok


def run_case(kb: KnowledgeBase, case: Case) -> Outcome:
    """Send the case's text, as a first message, to the matcher."""
    result = recommend(kb, Profile(text=case.text), TOP)
    outside = result.inference.outside_area
    return Outcome(
        case,
        tuple(r.actor.id for r in result.recommendations[:TOP]),
        result.profile.commune,
        outside.department if outside else None,
        result.inference.lang or CONVERSATION_LANG,
    )


def _rate(outcomes: Iterable[Outcome], test: Callable[[Outcome], bool]) -> tuple[int, int]:
    chosen = list(outcomes)
    return sum(1 for o in chosen if test(o)), len(chosen)


@dataclass(frozen=True)
class Scores:
    """The figures ``make eval`` prints for one split."""

    outcomes: tuple[Outcome, ...]

    def real(self) -> list[Outcome]:
        """The cases that are project requests."""
        return [o for o in self.outcomes if not o.case.wants_nothing]

    def figures(self) -> dict[str, tuple[int, int]]:
        """Each headline figure as (passed, out of)."""
        real = self.real()
        silent = [o for o in self.outcomes if not o.answered]
        return {
            "top-3": _rate(real, lambda o: o.top3),
            "top-1": _rate(real, lambda o: o.top1),
            "no-answer precision": _rate(silent, lambda o: o.case.wants_nothing),
            "no-answer recall": _rate(
                (o for o in self.outcomes if o.case.wants_nothing), lambda o: not o.answered
            ),
            "real request answered": _rate(real, lambda o: o.answered),
            "out-of-area handled": _rate(
                (o for o in self.outcomes if o.case.outside_area), lambda o: o.place_ok
            ),
            "out-of-area never swapped": _rate(
                (o for o in self.outcomes if o.case.outside_area), lambda o: o.commune is None
            ),
            "commune read": _rate(
                (o for o in self.outcomes if o.case.commune), lambda o: o.place_ok
            ),
            "language": _rate(self.outcomes, lambda o: o.lang == o.case.lang),
            "no exclusion broken": _rate(self.outcomes, lambda o: not o.violations),
        }

    def by(
        self,
        key: Callable[[Outcome], Iterable[str]],
        test: Callable[[Outcome], bool] = lambda o: o.top3,
        *,
        real: bool = False,
    ) -> dict[str, tuple[int, int]]:
        """The rate of ``test`` (top-3 unless told) grouped by ``key`` (a category, the
        expected actors, the language…), over the real requests only when ``real``."""
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in self.real() if real else self.outcomes:
            for name in key(outcome):
                groups[name].append(outcome)
        return {name: _rate(group, test) for name, group in sorted(groups.items())}

    def misses(self) -> list[Outcome]:
        """The cases where any check fails."""
        return [o for o in self.outcomes if not o.ok]


def score(kb: KnowledgeBase, cases: Iterable[Case]) -> Scores:
    """Run every case."""
    return Scores(tuple(run_case(kb, case) for case in cases))
