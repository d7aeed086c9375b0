"""Speed of the knowledge base and of matching: load time, then latency over random profiles.

``run()`` prints, one line each: the median load time of the bundled base, then the p50 and
p99 latency of ``recommend`` over random profiles (half structured answers, half short free
texts with typos) on the bundled base and on a generated base of 5,000 actors. The first
call on a base also builds matching's index; each p50 line carries its p99 line's ceiling.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks import report
from bot.config import REPO_KNOWLEDGE
from bot.core.knowledge import STRENGTHS, Actor, KnowledgeBase
from bot.core.loader import load_knowledge
from bot.core.matching import Profile, recommend
from bot.core.territory import WIDE_AREAS

KNOWLEDGE = REPO_KNOWLEDGE
LOAD_RUNS = 7
PROFILES = 10_000
GENERATED_ACTORS = 5_000
LIMIT = 10
SEED = 20240531
LOAD_TARGET_MS = 300.0
BUNDLED_P99_TARGET_MS = 1.0
GENERATED_P99_TARGET_MS = 25.0
FILLERS = (
    "bonjour",
    "nous voulons",
    "je cherche",
    "pour notre projet",
    "we need",
    "looking for",
    "merci",
    "boulangerie",
    "épicerie solidaire",
    "recyclerie",
    "jardin partagé",
    "atelier vélo",
    "café associatif",
)
SECTORS = (
    "culture",
    "recyclage",
    "alimentation",
    "numérique",
    "mobilité",
    "habitat",
    "tourisme",
    "agriculture",
    "santé",
    "éducation",
    "sport",
    "artisanat",
    "énergie",
    "textile",
    "bâtiment",
    "jeunesse",
)


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 6:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def profiles(kb: KnowledgeBase, count: int, seed: int = SEED) -> list[Profile]:
    """``count`` reproducible profiles: half structured answers, half short free texts."""
    rng = random.Random(seed)
    tax = kb.taxonomy
    stages, forms, needs = list(tax.stages), list(tax.legal_forms), list(tax.needs)
    communes = list(kb.territory.communes.values())
    terms = [t for kind in ("stages", "legal_forms", "needs") for t in tax.kind(kind).values()]
    found: list[Profile] = []
    for _ in range(count):
        if rng.random() < 0.5:
            found.append(
                Profile(
                    stage=rng.choice([None, *stages]),
                    legal_form=rng.choice([None, *forms]),
                    needs=tuple(rng.sample(needs, rng.randint(0, 3))),
                    commune=rng.choice([None, *(c.insee for c in communes)]),
                )
            )
            continue
        parts = [rng.choice(FILLERS)]
        for term in rng.sample(terms, rng.randint(1, 3)):
            parts.append(rng.choice(term.synonyms))
        if rng.random() < 0.7:
            commune = rng.choice(communes)
            parts.append(rng.choice((commune.name, commune.postal_codes[0])))
        if rng.random() < 0.3:
            parts.append(rng.choice(SECTORS))
        rng.shuffle(parts)
        text = " ".join(_typo(p, rng) if rng.random() < 0.15 else p for p in parts)
        found.append(Profile(text=text, lang=rng.choice(("fr", "en"))))
    return found


def generated_base(kb: KnowledgeBase, count: int, seed: int = SEED) -> KnowledgeBase:
    """``count`` random actors on ``kb``'s real taxonomy and territory."""
    rng = random.Random(seed)
    tax = kb.taxonomy
    stages, forms, needs = list(tax.stages), list(tax.legal_forms), list(tax.needs)
    insee = list(kb.territory.communes)
    epcis = sorted(kb.territory.epcis)
    vocabulary = [*SECTORS, *(k for a in kb.actors for k in a.keywords)]
    actors = []
    for n in range(count):
        roll = rng.random()
        communes: frozenset[str] = frozenset()
        areas: frozenset[str] = frozenset()
        if roll < 0.35:
            communes = frozenset(rng.sample(insee, rng.randint(1, 3)))
        elif roll < 0.6:
            areas = frozenset(rng.sample(epcis, rng.randint(1, 2)))
        else:
            areas = frozenset([rng.choice(WIDE_AREAS)])
        actors.append(
            Actor(
                id=f"actor-{n:05d}",
                name=f"Actor {n}",
                kind="accompagnement",
                summary={"fr": "Acteur généré."},
                offers=({"fr": "Offre générée."},),
                stages=frozenset(rng.sample(stages, rng.randint(1, len(stages)))),
                legal_forms=frozenset(rng.sample(forms, rng.randint(1, len(forms)))),
                needs={
                    need: rng.choice(list(STRENGTHS.values()))
                    for need in rng.sample(needs, rng.randint(1, 4))
                },
                communes=communes,
                areas=areas,
                source=("generated.txt",),
                info_date=rng.randint(2010, 2024),
                keywords=tuple(rng.sample(vocabulary, rng.randint(0, 6))),
            )
        )
    return KnowledgeBase(tuple(actors), tax, kb.territory, kb.root)


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """The value at ``fraction`` (0..1) of ``sorted_values`` (nearest rank)."""
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def latencies_ms(kb: KnowledgeBase, cases: Sequence[Profile], limit: int = LIMIT) -> list[float]:
    """Sorted wall-clock latencies of ``recommend`` for each profile, in milliseconds."""
    clock = time.perf_counter_ns
    found = []
    for profile in cases:
        start = clock()
        recommend(kb, profile, limit)
        found.append((clock() - start) / 1e6)
    return sorted(found)


def load_ms(root: Path = KNOWLEDGE, runs: int = LOAD_RUNS) -> float:
    """Median wall-clock time of ``load_knowledge(root)``, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        load_knowledge(root)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run() -> None:
    """Print the load time, then matching latency on the bundled and on a generated base."""
    report("matching.kb_load_median", load_ms(), "ms", LOAD_TARGET_MS, higher_is_better=False)
    kb = load_knowledge(KNOWLEDGE)
    for name, base, seed, target in (
        ("matching.bundled", kb, SEED, BUNDLED_P99_TARGET_MS),
        (
            f"matching.{GENERATED_ACTORS}_actors",
            generated_base(kb, GENERATED_ACTORS),
            SEED + 1,
            GENERATED_P99_TARGET_MS,
        ),
    ):
        times = latencies_ms(base, profiles(kb, PROFILES, seed))
        for label, fraction in (("p50", 0.5), ("p99", 0.99)):
            report(
                f"{name}_{label}", percentile(times, fraction), "ms", target, higher_is_better=False
            )


if __name__ == "__main__":
    run()
