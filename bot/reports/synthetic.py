"""Synthetic conversations, clearly labelled, to demonstrate and benchmark the reports.

Every record has ``synthetic=True`` and ``demo-`` id, user and source. Distributions are
plausible guesses, not measurements; communes are weighted by population, Toulouse Métropole
counting three times more.
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Generic, TypeVar

from bot.core.records import ConversationRecord, Feedback, Outcome
from bot.core.taxonomy import load_taxonomy
from bot.core.territory import DEFAULT_TERRITORY, Territory

T = TypeVar("T")

NEED_WEIGHTS = {
    "advice": 30,
    "funding": 24,
    "premises": 10,
    "coworking": 7,
    "test-activity": 8,
    "coop-status": 5,
    "training": 6,
    "network": 6,
    "public-procurement": 2,
    "employment": 6,
}
STAGE_WEIGHTS = {"idea": 35, "building": 28, "launching": 15, "growing": 15, "struggling": 7}
FORM_WEIGHTS = {
    "undecided": 35,
    "association": 30,
    "scop": 6,
    "scic": 5,
    "sole-trader": 10,
    "company": 10,
    "other": 4,
}
SOURCE_WEIGHTS = {
    "demo-direct": 45,
    "demo-affiche-mijoteuse": 18,
    "demo-site-cress": 15,
    "demo-flyer-marche": 12,
    "demo-salon-ess": 10,
}
OUTCOME_WEIGHTS = {
    Outcome.COMPLETED: 62,
    Outcome.ABANDONED: 23,
    Outcome.RESTARTED: 8,
    Outcome.IN_PROGRESS: 7,
}
NEED_COUNT_WEIGHTS = {1: 55, 2: 32, 3: 13}
METROPOLE_FACTOR = 3
DAYS = 365


class _Draw(Generic[T]):
    """Weighted draws, cumulative weights computed once."""

    def __init__(self, weights: Mapping[T, float]) -> None:
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.total)]


@dataclass(frozen=True)
class DemoWorld:
    """The ids synthetic conversations draw from, with their weights."""

    needs: Mapping[str, float]
    stages: Mapping[str, float]
    legal_forms: Mapping[str, float]
    communes: Mapping[str, float]
    actors: Sequence[str]


def load_demo_world(kb_path: Path) -> DemoWorld:
    """Ids from the knowledge folder: taxonomy terms, communes (with population), actor files."""
    taxonomy = load_taxonomy(kb_path / "taxonomy.yaml")
    Territory.load(kb_path / "communes.json")  # checked: TerritoryError names the problem
    data = json.loads((kb_path / "communes.json").read_text(encoding="utf-8"))
    communes = {
        str(c["insee"]): max(int(c.get("population") or 0), 1)
        * (METROPOLE_FACTOR if c.get("epci") == "toulouse-metropole" else 1)
        for c in data["communes"]
    }
    return DemoWorld(
        needs={n: NEED_WEIGHTS.get(n, 1) for n in taxonomy.needs},
        stages={s: STAGE_WEIGHTS.get(s, 1) for s in taxonomy.stages},
        legal_forms={f: FORM_WEIGHTS.get(f, 1) for f in taxonomy.legal_forms},
        communes=communes,
        actors=sorted(p.stem for p in (kb_path / "actors").glob("*.yaml")),
    )


def synthetic_conversations(
    world: DemoWorld, count: int, seed: int, now: datetime
) -> list[ConversationRecord]:
    """``count`` conversations started over the year before ``now``; the same for one seed."""
    return list(generate_conversations(world, count, seed, now))


def person(rng: random.Random, users: list[str]) -> str:
    """Who starts a conversation: one in ten times someone of ``users``, else a new person
    (added to them)."""
    if users and rng.random() < 0.1:
        return rng.choice(users)
    user = f"demo-{rng.getrandbits(64):016x}"
    users.append(user)
    return user


def started_at(rng: random.Random, now: datetime) -> datetime:
    """When a conversation starts: in the year before ``now``, more often lately."""
    return now - timedelta(days=DAYS * rng.random() ** 1.15)


def generate_conversations(
    world: DemoWorld, count: int, seed: int, now: datetime
) -> Iterator[ConversationRecord]:
    """:func:`synthetic_conversations` one at a time, for more than memory holds."""
    rng = random.Random(seed)
    need, stage, form = _Draw(world.needs), _Draw(world.stages), _Draw(world.legal_forms)
    commune, source = _Draw(world.communes), _Draw(SOURCE_WEIGHTS)
    outcome, need_count = _Draw(OUTCOME_WEIGHTS), _Draw(NEED_COUNT_WEIGHTS)
    users: list[str] = []
    for index in range(count):
        user = person(rng, users)
        started = started_at(rng, now)
        needs = tuple(dict.fromkeys(need(rng) for _ in range(need_count(rng))))
        ended_as = outcome(rng)
        ended_at = None
        if ended_as is not Outcome.IN_PROGRESS:
            ended_at = started + timedelta(seconds=rng.randint(40, 1500))
        recommended: tuple[str, ...] = ()
        unmet: tuple[str, ...] = ()
        feedback = None
        if ended_as is Outcome.COMPLETED:
            if world.actors:
                recommended = tuple(rng.sample(world.actors, min(len(world.actors), 3)))
            if rng.random() < 0.12:
                unmet = (rng.choice(needs),)
            if rng.random() < 0.55:
                feedback = Feedback.USEFUL if rng.random() < 0.78 else Feedback.NOT_USEFUL
        yield ConversationRecord(
            id=f"demo-{seed}-{index:07d}",
            user=user,
            started_at=started,
            updated_at=ended_at or started + timedelta(seconds=rng.randint(5, 300)),
            source=source(rng),
            lang="fr" if rng.random() < 0.92 else "en",
            outcome=ended_as,
            ended_at=ended_at,
            stage=stage(rng) if rng.random() < 0.92 else None,
            legal_form=form(rng) if rng.random() < 0.88 else None,
            needs=needs,
            commune=(place := commune(rng) if rng.random() < 0.9 else None),
            territory=DEFAULT_TERRITORY if place else None,
            recommended=recommended,
            unmet_needs=unmet,
            feedback=feedback,
            synthetic=True,
        )
