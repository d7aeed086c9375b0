"""Free text: latency of a typed turn, start-up cost of the language toolchain, resident memory.

``run()`` prints, in this order:

1. the p50 and p99 latency of a free-text turn on the bundled base — what the dialogue does
   with a typed sentence: ``understand`` (a cache miss: every sentence is distinct) then
   ``recommend`` — over a few thousand generated French and English sentences, against a
   p99 target of 10 ms; beside it, as the in-run baseline, structured-only profiles (button
   answers, no text) timed interleaved with them, and the ratio of the two; then, without
   targets, the understanding and matching parts of a turn and the p99 of messages up to and
   over 40 words (about one in twenty-five messages is three sentences long);
2. the start-up cost, each step in a fresh interpreter (``benchmarks.startup_probe``, median
   of a few runs): loading the knowledge base alone (the baseline), importing simplemma and
   stopwordsiso, building the vocabulary on first use (which loads simplemma's French and
   English dictionaries), then the first free-text turn; time and resident memory (RSS) of
   each, with its ratio to the baseline;
3. the running bot's RSS in a fresh interpreter that holds the serving stack, after loading the
   base, building the vocabulary and running 1,000 free-text turns, against 150 MB.

The sentences are generated from fragments (stages, legal forms, needs, communes, paraphrases,
negations, questions, actor names, typos, missing accents, English), never read from the
evaluation cases.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from typing import NamedTuple

from benchmarks import number, report
from benchmarks.bench_matching import percentile
from bot.config import REPO_KNOWLEDGE
from bot.core.dialogue.steps.results import RESULT_LIMIT
from bot.core.knowledge import KnowledgeBase
from bot.core.loader import load_knowledge
from bot.core.matching import Profile, recommend
from bot.core.territory import Commune
from bot.core.text import fold
from bot.core.understanding import _understand, understand
from bot.core.vocabulary import vocabulary

SENTENCES = 3_000
WARMUP_SENTENCES = 200
SEED = 20240612
TURN_P99_TARGET_MS = 10.0
RSS_TARGET_MB = 150.0
RSS_TURNS = 1_000
STARTUP_RUNS = 5
RSS_RUNS = 3
TYPO_RATE = 0.06
UNACCENTED_RATE = 0.25
LOWERCASE_RATE = 0.3
LONG_RATE = 0.04
SHORT_RATE = 0.12
LONG_WORDS = 40

FR_PROJECTS = (
    "une épicerie solidaire",
    "une recyclerie",
    "une ressourcerie",
    "un café associatif",
    "un atelier vélo",
    "un jardin partagé",
    "une boulangerie bio",
    "un tiers-lieu culturel",
    "une friperie",
    "une conserverie de légumes invendus",
    "un garage solidaire",
    "une crèche parentale",
    "une ferme urbaine",
    "un festival de musique",
    "une cantine de quartier",
    "une librairie coopérative",
    "une agence de communication éthique",
    "un service d'aide à domicile",
    "une plateforme de covoiturage",
    "une entreprise de rénovation énergétique",
    "un atelier de couture",
    "une école de cirque",
    "un lieu de répit pour les aidants",
    "une brasserie artisanale",
    "une AMAP",
)
FR_STAGES = (
    "j'ai une idée de {p}",
    "je réfléchis à créer {p}",
    "nous voulons monter {p}",
    "on a envie de lancer {p}",
    "je souhaite démarrer {p}",
    "mon futur projet : {p}",
    "je prépare le business plan de {p}",
    "nous sommes en train de construire {p}",
    "on fait une étude de marché pour {p}",
    "notre projet de {p} est en cours de création",
    "je lance {p} le mois prochain",
    "nous venons d'ouvrir {p}",
    "on démarre l'activité de {p}",
    "nous avons nos premiers clients pour {p}",
    "{p} existe depuis cinq ans",
    "nous voulons développer {p}",
    "on aimerait embaucher pour {p}",
    "je veux reprendre {p} dont le gérant part à la retraite",
    "{p} est en difficulté",
    "on a perdu une subvention et {p} a du mal à payer les salaires",
    "gros problème de trésorerie pour {p}",
    "je gère {p}",
    "je travaille sur {p}",
)
FR_FORMS = (
    "en association",
    "sous forme d'association loi 1901",
    "en SCOP",
    "en SCIC",
    "on est une SARL",
    "je suis auto-entrepreneur",
    "je suis micro-entrepreneuse",
    "en micro-entreprise",
    "nous sommes une SAS",
    "on n'a pas encore de statut",
    "je ne sais pas quel statut choisir",
    "en coopérative",
    "c'est une association avec des bénévoles",
    "nous ne sommes pas une association",
    "une entreprise sociale agréée ESUS",
    "en collectif informel",
    "je suis indépendant",
)
FR_NEEDS = (
    "je cherche un financement",
    "nous avons besoin d'un local",
    "on cherche des locaux pas chers",
    "besoin de conseils",
    "je voudrais être accompagnée",
    "par où commencer ?",
    "on cherche un espace de coworking",
    "je voudrais tester mon activité sans créer d'entreprise",
    "on aimerait passer en SCOP",
    "je veux me former à la gestion",
    "nous voulons rencontrer d'autres structures du réseau",
    "comment répondre à un appel d'offres avec des clauses sociales",
    "recruter des personnes éloignées de l'emploi",
    "un prêt d'honneur ou une subvention",
    "on a besoin d'une garantie bancaire",
    "je ne cherche pas de financement, plutôt un local",
    "trouver un lieu pour s'installer",
    "de l'aide pour le plan de financement",
    "lever des fonds auprès de la finance solidaire",
    "une couveuse ou une CAE",
    "mutualiser des moyens avec d'autres associations",
    "je n'ai pas de local",
    "on voudrait se faire connaître et gagner en visibilité",
)
FR_PLACES = (
    "à {c}",
    "sur {c}",
    "près de {c}",
    "du côté de {c}",
    "basée à {c}",
    "on habite à {c}",
    "{z}",
    "à {c} ({z})",
    "dans le secteur de {c}",
)
FR_OUTSIDE = ("à Bordeaux", "à Albi", "près de Montauban", "à Paris", "à Tarbes", "sur Foix")
FR_OPENERS = ("Bonjour,", "Bonjour", "Salut,", "Bonsoir,", "Hello,", "Madame, Monsieur,", "")
FR_CLOSINGS = (
    "Merci !",
    "merci d'avance",
    "Vous pouvez m'aider ?",
    "Qui contacter ?",
    "Cordialement.",
    "",
)
FR_NAMED = (
    "on m'a parlé de la Maison de l'Initiative",
    "est-ce que l'URSCOP peut m'aider ?",
    "j'ai déjà vu la BGE",
    "le DLA peut-il nous accompagner ?",
    "une amie est passée par Etymon",
    "France Active ou Midi-Pyrénées Actives ?",
)
FR_QUESTIONS = (
    "c'est quoi une SCIC ?",
    "quelle différence entre SCOP et SCIC ?",
    "qu'est-ce que l'ESS exactement ?",
    "ça veut dire quoi CAE ?",
)
FR_SHORT = (
    "financement",
    "local asso",
    "SCOP",
    "coworking",
    "besoin d'aide",
    "créer une asso",
    "subvention",
    "formation gestion",
    "prêt",
    "tester mon activité",
)
EN_PROJECTS = (
    "a community grocery",
    "a repair café",
    "a bike workshop",
    "a shared garden",
    "an organic bakery",
    "a cultural third place",
    "a second-hand clothes shop",
    "an urban farm",
    "a music festival",
    "a home care service",
    "a zero-waste shop",
    "a coding school for refugees",
)
EN_STAGES = (
    "I have an idea for {p}",
    "we are thinking about starting {p}",
    "I want to start {p}",
    "we are setting up {p}",
    "I'm preparing the business plan for {p}",
    "we are launching {p} next month",
    "we just opened {p}",
    "our {p} has existed for years and we want to grow",
    "we would like to take over {p}",
    "{p} is struggling with cash flow",
    "we lost our grant and {p} is in trouble",
)
EN_FORMS = (
    "as a non-profit",
    "as a worker cooperative",
    "I'm self-employed",
    "we are a limited company",
    "no legal form yet",
    "it's an association with volunteers",
    "we are not a company",
    "as a social enterprise",
)
EN_NEEDS = (
    "we need funding",
    "looking for premises",
    "I need advice",
    "where to start?",
    "we are looking for a shared workspace",
    "I'd like to try out my business without setting up a company",
    "we want to convert to a cooperative",
    "training in management",
    "to meet other networks",
    "how to answer public tenders",
    "we want to hire long-term unemployed people",
    "a loan or a grant",
    "we don't need money, just a room",
)
EN_PLACES = ("in {c}", "near {c}", "based in {c}", "around {c}", "{z}", "we live in {c}")
EN_OUTSIDE = ("in Bordeaux", "in Paris", "near Albi", "in London")
EN_OPENERS = ("Hi,", "Hello", "Good morning,", "Hey", "")
EN_CLOSINGS = ("Thanks!", "Thank you.", "Who can help?", "Any ideas?", "")
EN_SHORT = ("funding", "premises", "coop", "coworking", "need advice", "grant", "training")


def _typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard: two letters swapped, one dropped or one doubled."""
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _unaccented(text: str) -> str:
    """As typed on a phone without accents (case kept)."""
    return "".join(fold(c) if c.isalpha() and not c.isascii() else c for c in text)


def _commune(communes: Sequence[Commune], rng: random.Random) -> tuple[str, str]:
    """A commune named as people type it, and one of its postal codes; the big ones (first in
    ``communes``) more often."""
    commune = communes[min(int(rng.expovariate(1 / 25)), len(communes) - 1)]
    name = commune.name
    if rng.random() < 0.2:
        name = name.replace("-", " ")
    if rng.random() < 0.1 and name.startswith("Saint-"):
        name = "St-" + name[len("Saint-") :]
    return name, rng.choice(commune.postal_codes)


def _sentence(communes: Sequence[Commune], rng: random.Random) -> tuple[str, str]:
    """One message a person may type first, and the conversation's language."""
    english = rng.random() < 0.25
    lang = "en" if english else "fr"
    if english:
        projects, stages, forms, needs = EN_PROJECTS, EN_STAGES, EN_FORMS, EN_NEEDS
        places, outside, openers, closings = EN_PLACES, EN_OUTSIDE, EN_OPENERS, EN_CLOSINGS
        short, named, questions = EN_SHORT, (), ()
    else:
        projects, stages, forms, needs = FR_PROJECTS, FR_STAGES, FR_FORMS, FR_NEEDS
        places, outside, openers, closings = FR_PLACES, FR_OUTSIDE, FR_OPENERS, FR_CLOSINGS
        short, named, questions = FR_SHORT, FR_NAMED, FR_QUESTIONS
    name, postal = _commune(communes, rng)
    place = rng.choice(places).format(c=name, z=postal)
    if rng.random() < 0.05:
        place = rng.choice(outside)
    roll = rng.random()
    if roll < SHORT_RATE:  # « financement Toulouse », « SCOP 31400 »
        parts = [rng.choice(short)]
        if rng.random() < 0.7:
            parts.append(rng.choice((name, postal)))
        if rng.random() < 0.4:
            parts.append(rng.choice(short))
        text = " ".join(parts)
    else:
        count = 3 if roll < SHORT_RATE + LONG_RATE else 1
        sentences = [
            _clause(rng, projects, stages, forms, needs, place, named, questions)
            for _ in range(count)
        ]
        text = " ".join(filter(None, (rng.choice(openers), *sentences, rng.choice(closings))))
    if rng.random() < UNACCENTED_RATE:
        text = _unaccented(text)
    if rng.random() < LOWERCASE_RATE:
        text = text.lower()
    words = [_typo(w, rng) if rng.random() < TYPO_RATE else w for w in text.split(" ")]
    return " ".join(words), lang


def _clause(
    rng: random.Random,
    projects: Sequence[str],
    stages: Sequence[str],
    forms: Sequence[str],
    needs: Sequence[str],
    place: str,
    named: Sequence[str],
    questions: Sequence[str],
) -> str:
    """A sentence of a few fragments: stage and project, then some of form, place and needs."""
    parts = [rng.choice(stages).format(p=rng.choice(projects))]
    if rng.random() < 0.5:
        parts.append(rng.choice(forms))
    if rng.random() < 0.7:
        parts.append(place)
    parts += rng.sample(needs, rng.choice((1, 1, 1, 2, 2, 3)))
    if named and rng.random() < 0.08:
        parts.append(rng.choice(named))
    if questions and rng.random() < 0.05:
        parts.append(rng.choice(questions))
    head, *tail = parts
    rng.shuffle(tail)
    joiners = (", ", " et ", " ; ", ". ", " — ") if questions else (", ", " and ", ". ", " - ")
    text = head
    for part in tail:
        text += rng.choice(joiners) + part
    return text[0].upper() + text[1:] + rng.choice((".", "", " !", "..."))


def sentences(kb: KnowledgeBase, count: int, seed: int = SEED) -> list[tuple[str, str]]:
    """``count`` distinct reproducible (message, conversation language) pairs."""
    rng = random.Random(seed)
    communes = sorted(kb.territory.communes.values(), key=lambda c: (-c.population, c.insee))
    found: dict[str, str] = {}
    attempts = 0
    while len(found) < count:
        attempts += 1
        if attempts > count * 20:
            raise RuntimeError(f"only {len(found)} distinct sentences after {attempts} attempts")
        text, lang = _sentence(communes, rng)
        found.setdefault(text, lang)
    return list(found.items())


def structured(kb: KnowledgeBase, count: int, seed: int = SEED) -> list[Profile]:
    """``count`` reproducible button-only profiles (stage, legal form, needs, commune)."""
    rng = random.Random(seed)
    tax = kb.taxonomy
    stages, forms, needs = list(tax.stages), list(tax.legal_forms), list(tax.needs)
    communes = sorted(kb.territory.communes)
    return [
        Profile(
            stage=rng.choice([None, *stages]),
            legal_form=rng.choice([None, *forms]),
            needs=tuple(rng.sample(needs, rng.randint(0, 3))),
            commune=rng.choice([None, *communes]),
            lang=rng.choice(("fr", "fr", "fr", "en")),
        )
        for _ in range(count)
    ]


def free_text_turn(kb: KnowledgeBase, text: str, lang: str) -> None:
    """What the dialogue does with a typed sentence: understand it, then match (the second
    reading of the text inside ``recommend`` is a cache hit, as in the bot)."""
    understand(text, kb, lang)
    recommend(kb, Profile(text=text, lang=lang), RESULT_LIMIT)


class TurnTimes(NamedTuple):
    """One free-text turn: milliseconds understanding, then matching; the message's words."""

    understand_ms: float
    match_ms: float
    words: int

    @property
    def total_ms(self) -> float:
        """The whole turn."""
        return self.understand_ms + self.match_ms


def turn_latencies_ms(
    kb: KnowledgeBase, texts: Sequence[tuple[str, str]], profiles: Sequence[Profile], seed: int
) -> tuple[list[TurnTimes], list[float]]:
    """Free-text turns (as :func:`free_text_turn`, timed in two parts) and sorted latencies (ms)
    of structured-only matching, timed interleaved in a random order so that both see the same
    machine noise."""
    jobs: list[tuple[str, str] | Profile] = [*texts, *profiles]
    random.Random(seed).shuffle(jobs)
    clock = time.perf_counter_ns
    turns: list[TurnTimes] = []
    structured_times: list[float] = []
    for job in jobs:
        if isinstance(job, Profile):
            start = clock()
            recommend(kb, job, RESULT_LIMIT)
            structured_times.append((clock() - start) / 1e6)
        else:
            text, lang = job
            start = clock()
            understand(text, kb, lang)
            middle = clock()
            recommend(kb, Profile(text=text, lang=lang), RESULT_LIMIT)
            end = clock()
            turns.append(TurnTimes((middle - start) / 1e6, (end - middle) / 1e6, len(text.split())))
    return turns, sorted(structured_times)


def _line(name: str, value: float, unit: str, note: str = "") -> None:
    """A figure without a target (a baseline, a ratio, a breakdown), in :func:`report`'s
    columns."""
    print(f"{name:<36} {number(value):>12} {unit:<12} {note}".rstrip())


def _probe(mode: str) -> dict[str, dict[str, float]]:
    """Run ``benchmarks.startup_probe`` in a fresh interpreter; its figures."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.startup_probe", mode],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, dict[str, float]] = json.loads(done.stdout.splitlines()[-1])
    return figures


def run_latency() -> None:
    """Free-text turn latency on the bundled base, beside structured-only profiles."""
    kb = load_knowledge(REPO_KNOWLEDGE)
    vocabulary(kb)  # its one-off build is measured by run_startup
    for text, lang in sentences(kb, WARMUP_SENTENCES, SEED - 1):
        free_text_turn(kb, text, lang)
    texts = sentences(kb, SENTENCES, SEED)
    warm = {t for t, _ in sentences(kb, WARMUP_SENTENCES, SEED - 1)}
    texts = [(t, lang) for t, lang in texts if t not in warm]
    _understand.cache_clear()
    turns, structured_ms = turn_latencies_ms(kb, texts, structured(kb, len(texts)), SEED)
    info = _understand.cache_info()
    if info.misses != len(texts):
        raise RuntimeError(f"understand ran {info.misses} times for {len(texts)} turns")
    english = sum(1 for _, lang in texts if lang == "en")
    print(f"({len(texts)} distinct sentences, {english} in English; as many structured profiles)")
    text_ms = sorted(t.total_ms for t in turns)
    for label, fraction in (("p50", 0.5), ("p99", 0.99)):
        turn, baseline = percentile(text_ms, fraction), percentile(structured_ms, fraction)
        report(f"free_text.turn_{label}", turn, "ms", TURN_P99_TARGET_MS, higher_is_better=False)
        _line(f"free_text.structured_{label}", baseline, "ms", "baseline (no text)")
        _line(f"free_text.turn_{label}_ratio", turn / baseline, "x", "free-text / structured")
    _line("free_text.turn_max", text_ms[-1], "ms")
    for part, values in (
        ("understand", [t.understand_ms for t in turns]),
        ("matching", [t.match_ms for t in turns]),
    ):
        values.sort()
        for label, fraction in (("p50", 0.5), ("p99", 0.99)):
            _line(f"free_text.{part}_{label}", percentile(values, fraction), "ms", "part of turn")
    for label, keep in (
        (f"upto_{LONG_WORDS}_words", lambda t: t.words <= LONG_WORDS),
        (f"over_{LONG_WORDS}_words", lambda t: t.words > LONG_WORDS),
    ):
        band = sorted(t.total_ms for t in turns if keep(t))
        if band:
            _line(f"free_text.turn_p99_{label}", percentile(band, 0.99), "ms", f"{len(band)} turns")


def run_startup() -> None:
    """Start-up cost of the toolchain and of the vocabulary, beside loading the base alone."""
    runs = [_probe("startup") for _ in range(STARTUP_RUNS)]

    def median(step: str, key: str) -> float:
        return statistics.median(run[step][key] for run in runs)

    base_ms, base_mb = median("kb_load", "ms"), median("kb_load", "mb")
    print(f"(median of {STARTUP_RUNS} fresh interpreters; RSS added by each step)")
    _line("startup.kb_load", base_ms, "ms", "baseline")
    _line("startup.kb_load_rss", base_mb, "MB", "baseline")
    for step, label in (
        ("import_toolchain", "import simplemma + stopwordsiso"),
        ("import_modules", "import bot.core.matching & co"),
        ("vocabulary", "first vocabulary(kb), dictionaries included"),
        ("vocabulary_rebuild", "rebuild with dictionaries in memory"),
        ("first_turn", "first free-text turn after it"),
    ):
        ms, mb = median(step, "ms"), median(step, "mb")
        _line(f"startup.{step}", ms, "ms", f"x{ms / base_ms:.2f} of kb_load; {label}")
        if step != "vocabulary_rebuild":
            _line(f"startup.{step}_rss", mb, "MB", f"x{mb / base_mb:.2f} of kb_load")
    total_ms = sum(median(s, "ms") for s in ("import_toolchain", "vocabulary", "first_turn"))
    _line("startup.toolchain_total", total_ms, "ms", f"x{total_ms / base_ms:.2f} of kb_load")


def run_rss() -> None:
    """The serving process's RSS after the base, the vocabulary and 1,000 free-text turns."""
    runs = [_probe("rss") for _ in range(RSS_RUNS)]
    worst = max(runs, key=lambda r: r["after_turns"]["rss"])
    print(f"(fresh interpreter with the serving stack imported; worst of {RSS_RUNS} runs)")
    base = worst["kb_load"]["rss"]
    _line("rss.after_kb_load", base, "MB", "baseline (serving stack + base)")
    vocab = worst["vocabulary"]["rss"]
    _line("rss.after_vocabulary", vocab, "MB", f"x{vocab / base:.2f} of baseline")
    after = worst["after_turns"]["rss"]
    report(f"rss.after_{RSS_TURNS}_turns", after, "MB", RSS_TARGET_MB, higher_is_better=False)
    _line(f"rss.after_{RSS_TURNS}_turns_ratio", after / base, "x", "of baseline")


def run() -> None:
    """Print the latency, start-up and memory figures."""
    run_latency()
    run_startup()
    run_rss()


if __name__ == "__main__":
    run()
