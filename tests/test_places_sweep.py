"""A sweep of the towns of France: a town outside Haute-Garonne, said the ways people say
where they are, is answered as outside in its own department and never as a commune here;
a commune here, said the same ways, is that commune and never outside.

The towns are drawn with a fixed seed from the full list of French communes
(``communes-france.json``) and from ``communes.json``. Drawn outside: the towns whose name
is borne by no other town of France, no commune here, no city abroad, and does not start
the name of a town here known by its first words (« Saint-Orens » means
Saint-Orens-de-Gameville, see :meth:`Territory.known_by_first_words`). Neither list holds a
town's own postal codes outside: « à X, NNNNN » gives the first code of the department's
postal prefixes, which tells the department as the town's own code would.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.config import REPO_KNOWLEDGE
from bot.core.language import known_word
from bot.core.loader import load_knowledge
from bot.core.matching import Profile, recommend
from bot.core.text import fold

KB = load_knowledge(REPO_KNOWLEDGE)
SEED = 20261203
OUTSIDE_TOWNS = 280
HERE_TOWNS = 120
SHOWN = 25  # misreadings listed when the sweep fails


@dataclass(frozen=True)
class Town:
    name: str
    department: str
    postal: str
    insee: str | None = None  # a commune here


TEMPLATES: tuple[Callable[[Town], str], ...] = (
    lambda t: f"je suis à {t.name}",
    lambda t: f"j'habite {t.name}",
    lambda t: f"on cherche un local sur {t.name} pour notre asso",
    lambda t: f"{t.name} ({t.department})",
    lambda t: f"à {t.name}, {t.postal}",
    lambda t: f"I live in {t.name} and want to start a cooperative",
    lambda t: f"Bonjour, nous sommes basés à {t.name}, on monte une SCOP",
)
ARTICLES = frozenset({"l", "la", "le", "les"})


def _lower_case(town: Town) -> str:
    return f"je vis a {fold(town.name)} et je veux creer une asso"


def _outside_towns() -> list[Town]:
    data = json.loads((REPO_KNOWLEDGE / "communes-france.json").read_text(encoding="utf-8"))
    world = json.loads((REPO_KNOWLEDGE / "places-world.json").read_text(encoding="utf-8"))
    abroad = {key for *_, key in world["cities"]}
    first_codes: dict[str, str] = {}
    for prefix, department in sorted(data["postal_prefixes"].items()):
        first_codes.setdefault(department, prefix + "00")
    bearers: dict[str, int] = {}
    for *_, key in data["communes"]:
        bearers[key] = bearers.get(key, 0) + 1
    here = KB.territory
    towns = [
        Town(name, department, first_codes[department])
        for name, department, _, key in data["communes"]
        if department in first_codes
        and bearers[key] == 1
        and key not in abroad
        and not here.by_name(key)
        and not here.known_by_first_words(key)
        and "(" not in name  # « Bors (Canton de Tude-et-Lavalette) »
    ]
    return random.Random(SEED).sample(towns, OUTSIDE_TOWNS)


def _here_towns() -> list[Town]:
    data = json.loads((REPO_KNOWLEDGE / "communes.json").read_text(encoding="utf-8"))
    towns = [Town(c["name"], "31", c["postal_codes"][0], c["insee"]) for c in data["communes"]]
    return random.Random(SEED).sample(towns, HERE_TOWNS)


def _read(text: str) -> tuple[str | None, str | None]:
    """(commune here, department outside) the matcher reads in ``text``."""
    result = recommend(KB, Profile(text=text), 3)
    outside = result.outside_area
    return result.profile.commune, outside.department if outside else None


def _ordinary(name: str) -> bool:
    """A name of ordinary French words only (« La Souterraine », « Moyen »)."""
    return all(w in ARTICLES or known_word(w, "fr") for w in fold(name).split())


def _misread(towns: list[Town]) -> Iterator[str]:
    """Each town said in every template, as it was misread. In lower case, a name outside of
    ordinary words only may be no place (« je vis a la souterraine »: « à la rue », « à la
    montagne » are no towns either), never a commune here."""
    for town in towns:
        want = (town.insee, None) if town.insee else (None, town.department)
        for template in (*TEMPLATES, _lower_case):
            text = template(town)
            got = _read(text)
            unread = template is _lower_case and not town.insee and _ordinary(town.name)
            if got != want and not (unread and got == (None, None)):
                yield f"{text!r}: {got} ≠ {want}"


def test_towns_outside_are_answered_in_their_department() -> None:
    misread = list(_misread(_outside_towns()))
    assert not misread, f"{len(misread)} misread:\n" + "\n".join(misread[:SHOWN])


def test_communes_here_are_found_never_outside() -> None:
    misread = list(_misread(_here_towns()))
    assert not misread, f"{len(misread)} misread:\n" + "\n".join(misread[:SHOWN])
