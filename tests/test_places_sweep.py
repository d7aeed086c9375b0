"""A sweep of the towns of France: a town outside Haute-Garonne, said the ways people say
where they are, is answered as outside in its own department and never as a commune here;
a commune here, said the same ways, is that commune and never outside.

The towns are drawn with a fixed seed from the full list of French communes
(``communes-france.json``) and from ``communes.json``, 400 in all. Drawn outside: towns whose
name no commune here bears nor starts (« Saint-Orens », « Rouffiac »: the communes here
called so), no city abroad either; the name borne by one town of France, or by several
(« Beauregard »), which only a department or a postal code tells apart. Neither list holds a
town's own postal codes outside: « à X, NNNNN » gives the first code of the department's
postal prefixes, which tells the department as the town's own code would.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from dialogue_driver import Driver
from support.bundled import KB

from bot.config import REPO_KNOWLEDGE
from bot.core.catalogue import Catalogue
from bot.core.dialogue.engine import Dialogue
from bot.core.language import known_word
from bot.core.matching import Profile, recommend
from bot.core.text import fold

SEED = 20261203
ONLY_ONES, HOMONYMS, HERE_TOWNS = 180, 100, 120
ARTICLES = frozenset({"l", "la", "le", "les"})
SHOWN = 25  # misreadings listed when the sweep fails


@dataclass(frozen=True)
class Town:
    name: str
    department: str
    postal: str
    insee: str | None = None  # a commune here


def _lower_case(town: Town) -> str:
    return f"je vis a {fold(town.name)} et je veux creer une asso"


SAID: tuple[Callable[[Town], str], ...] = (  # the name alone: which town is not told
    lambda t: f"je suis à {t.name}",
    lambda t: f"j'habite {t.name}",
    lambda t: f"on cherche un local sur {t.name} pour notre asso",
    lambda t: f"I live in {t.name} and want to start a cooperative",
    lambda t: f"Bonjour, nous sommes basés à {t.name}, on monte une SCOP",
    _lower_case,
)
TOLD: tuple[Callable[[Town], str], ...] = (  # with its department or postal code
    lambda t: f"{t.name} ({t.department})",
    lambda t: f"à {t.name}, {t.postal}",
)


def _france() -> dict[str, Any]:
    return json.loads((REPO_KNOWLEDGE / "communes-france.json").read_text(encoding="utf-8"))


def _outside_towns() -> tuple[list[Town], list[Town]]:
    """The towns drawn outside: (names borne once in France, names borne several times)."""
    data = _france()
    world = json.loads((REPO_KNOWLEDGE / "places-world.json").read_text(encoding="utf-8"))
    abroad = {key for *_, key in world["cities"]}
    first_codes: dict[str, str] = {}
    for prefix, department in sorted(data["postal_prefixes"].items()):
        first_codes.setdefault(department, prefix + "00")
    bearers: dict[str, int] = {}
    for *_, key in data["communes"]:
        bearers[key] = bearers.get(key, 0) + 1
    here = KB.territory
    drawn: tuple[list[Town], list[Town]] = ([], [])
    for name, department, _, key in data["communes"]:
        if (
            department in first_codes
            and key not in abroad
            and not here.by_name(key)
            and not here.by_first_word(key)
            and not here.known_by_first_words(key)
            and "(" not in name  # « Bors (Canton de Tude-et-Lavalette) »
        ):
            drawn[bearers[key] > 1].append(Town(name, department, first_codes[department]))
    draw = random.Random(SEED)
    return draw.sample(drawn[0], ONLY_ONES), draw.sample(drawn[1], HOMONYMS)


def _here_towns() -> list[Town]:
    data = json.loads((REPO_KNOWLEDGE / "communes.json").read_text(encoding="utf-8"))
    towns = [Town(c["name"], "31", c["postal_codes"][0], c["insee"]) for c in data["communes"]]
    return random.Random(SEED).sample(towns, HERE_TOWNS)


ONLY_ONES_DRAWN, HOMONYMS_DRAWN = _outside_towns()
HERE_DRAWN = _here_towns()


def _read(text: str) -> tuple[str | None, str | None]:
    """(commune here, department outside) the matcher reads in ``text``."""
    result = recommend(KB, Profile(text=text), 3)
    outside = result.outside_area
    return result.profile.commune, outside.department if outside else None


def _ordinary(name: str) -> bool:
    """A name of ordinary French words only (« La Souterraine », « Moyen »)."""
    return all(w in ARTICLES or known_word(w, "fr") for w in fold(name).split())


def _misread(towns: list[Town], templates: tuple[Callable[[Town], str], ...]) -> Iterator[str]:
    """Each town said in each template, as it was misread. In lower case, a name outside of
    ordinary words only may be no place (« je vis a la souterraine »: « à la rue », « à la
    montagne » are no towns either), never a commune here."""
    for town, template in itertools.product(towns, templates):
        want = (town.insee, None) if town.insee else (None, town.department)
        text = template(town)
        got = _read(text)
        unread = template is _lower_case and not town.insee and _ordinary(town.name)
        if got != want and not (unread and got == (None, None)):
            yield f"{text!r}: {got} ≠ {want}"


def _swapped(towns: list[Town], templates: tuple[Callable[[Town], str], ...]) -> Iterator[str]:
    """Each town whose name others bear too, said without its department: never a commune
    here, whichever of them is read."""
    for town, template in itertools.product(towns, templates):
        text = template(town)
        commune, _ = _read(text)
        if commune is not None:
            yield f"{text!r}: {commune} here"


def _failed(misread: list[str]) -> str:
    return f"{len(misread)} misread:\n" + "\n".join(misread[:SHOWN])


def test_towns_outside_are_answered_in_their_department() -> None:
    misread = list(_misread(ONLY_ONES_DRAWN, SAID + TOLD))
    assert not misread, _failed(misread)


def test_homonyms_outside_by_their_department_or_postal_code() -> None:
    misread = [*_misread(HOMONYMS_DRAWN, TOLD), *_swapped(HOMONYMS_DRAWN, SAID)]
    assert not misread, _failed(misread)


def test_communes_here_are_found_never_outside() -> None:
    misread = list(_misread(HERE_DRAWN, SAID + TOLD))
    assert not misread, _failed(misread)


def test_each_name_typed_at_the_commune_question() -> None:
    """The name alone, as the answer to « Dans quelle commune ? » (read by the commune
    step: a name outside, then a commune, then the sentence)."""
    counter = itertools.count(1)
    dialogue = Dialogue(KB, Catalogue.load(), new_id=lambda: f"conv-{next(counter)}")
    misread = []
    for town in [*ONLY_ONES_DRAWN, *HERE_DRAWN]:
        talk = Driver(dialogue)
        talk.start()
        for label in ("J'ai une idée", "SCOP", "Créer une coopérative", "Valider"):
            talk.press(label)
        talk.type(town.name)
        state = talk.current
        got = (state.commune, state.outside) if state.commune_done else None
        want = (town.insee, None) if town.insee else (None, town.department)
        if got != want:
            misread.append(f"{town.name!r}: {got} ≠ {want}")
    assert not misread, _failed(misread)
