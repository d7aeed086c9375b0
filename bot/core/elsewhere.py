"""The places outside Haute-Garonne: the towns of France by folded name, departments,
regions and intercommunalities by name and by postal code, and the countries and large
cities abroad."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rapidfuzz import fuzz, process

from bot.core.commune import (
    DEFAULT_TERRITORY,
    HAUTE_GARONNE,
    MIDI_PYRENEES,
    UNKNOWN_DEPARTMENT,
    Commune,
)
from bot.core.placefiles import checked_town_file
from bot.core.text import fold

WORLD_FILE = "places-world.json"  # beside communes-france.json (tools/derive_world.py)
MAIN_TOWN_TYPO_SCORE = 88.0
NAME_WORDS = 2  # a misspelt name of two words or more is read by its first or last words
LONG_NAME_WORDS = 3  # « saint jean de verge »: names read by their first two words
SHORT_NAME_LENGTH = 4  # « brive », « issy »: a town called by its first word
MAIN_FLAG, LARGE_FLAG = 1, 2  # a main town (postal code 81000); a town of 10,000 people or more


@dataclass(frozen=True)
class OutsidePlace:
    """A town (or postal code, or department) outside Haute-Garonne, with its department."""

    name: str
    department: str
    department_name: str
    main: bool = False  # a prefecture or large town (a postal code ending in 000)
    large: bool = False  # a town of 10,000 people or more (« castres », « lourdes »)
    territory: str | None = None  # a department a territory of the base holds communes of

    @property
    def in_region(self) -> bool:
        """True in the former Midi-Pyrénées region, which the regional networks cover (and
        when the department is not known: they may still help)."""
        return self.department in MIDI_PYRENEES or self.department == UNKNOWN_DEPARTMENT

    @property
    def abroad(self) -> bool:
        """True outside France: ``department`` is then a country code (``BE``, ``MA``), which
        no national actor (a French network) covers."""
        return self.department.isalpha()


class Elsewhere:
    """The towns of France outside Haute-Garonne by folded name; departments by name and by
    postal code. With the world file, the countries abroad are departments too (their code:
    ``BE``; « en Belgique », « in Spain ») and their large cities towns (« à Londres »)."""

    def __init__(
        self,
        communes: Iterable[tuple[str, str, int, str]],
        departments: dict[str, str],
        postal_prefixes: dict[str, str],
        held: Mapping[str, str] | None = None,
        aliases: Mapping[str, str] | None = None,
        areas: Mapping[str, str] | None = None,
    ) -> None:
        self.departments = departments
        self.by_area_name = dict(areas or {})  # regions and intercommunalities: « pays basque »
        self.area_first_words = frozenset(n.split()[0] for n in self.by_area_name)
        self.postal_prefixes = postal_prefixes
        self.held = dict(held or {})  # department → the other territory holding its communes
        self.aliases = dict(aliases or {})  # more folded names of departments: « spain » → ES
        self.by_department_name = {
            fold(name): code for code, name in departments.items() if code != HAUTE_GARONNE
        } | self.aliases
        self.department_first_words = frozenset(n.split()[0] for n in self.by_department_name)
        self._by_name: dict[str, list[tuple[str, str, int]]] = {}
        self._main_names: dict[int, list[str]] = {}  # by length, built on first use
        for name, department, flags, key in communes:  # one string per name and code, not
            town = (sys.intern(name), sys.intern(department), flags)  # one per line of the file
            self._by_name.setdefault(key, []).append(town)
        for key in [k for k in self._by_name if k.startswith("l ")]:  # « lisle jourdain »:
            self._by_name.setdefault("l" + key[2:], self._by_name[key])  # the article glued

    def without(self, communes: Iterable[Commune]) -> Elsewhere:
        """These towns but those ``communes`` (same folded name and department); a department
        whose communes another territory holds is marked as held by it (« dans le Tarn »)."""
        communes = list(communes)
        taken = {(fold(c.name), c.department) for c in communes}
        kept = (
            (name, department, flags, key)
            for key, towns in self._by_name.items()
            for name, department, flags in towns
            if (key, department) not in taken
        )
        held = self.held | {
            c.department: c.territory for c in communes if c.territory != DEFAULT_TERRITORY
        }
        return Elsewhere(
            kept, self.departments, self.postal_prefixes, held, self.aliases, self.by_area_name
        )

    def _place(self, town: tuple[str, str, int]) -> OutsidePlace:
        name, department, flags = town
        return OutsidePlace(
            name,
            department,
            self.departments.get(department, department),
            bool(flags & MAIN_FLAG),
            bool(flags & LARGE_FLAG),
        )

    @classmethod
    def load(cls, path: Path) -> Elsewhere:
        """Read ``communes-france.json`` (derived by ``tools/derive_france.py``) and, when it
        lies beside it, the world file (``tools/derive_world.py``); :class:`TerritoryError`
        naming the field of the first problem."""
        data = checked_town_file(
            path, ("communes", "departments", "postal_prefixes"), ("regions", "areas")
        )
        world = path.with_name(WORLD_FILE)
        abroad = (
            checked_town_file(world, ("cities", "countries", "country_names"))
            if world.exists()
            else {}
        )
        towns = [*data["communes"], *abroad.get("cities", ())]
        return cls(
            ((n, d, int(m), k) for n, d, m, k in towns),
            {str(k): v for k, v in data["departments"].items()}
            | data.get("regions", {})
            | abroad.get("countries", {}),
            {str(k): v for k, v in data["postal_prefixes"].items()},
            aliases=abroad.get("country_names"),
            areas=data.get("areas"),
        )

    @property
    def names(self) -> Iterable[str]:
        """Every folded town name."""
        return self._by_name.keys()

    def by_name(self, folded: str, department: str | None = None) -> OutsidePlace | None:
        """The town outside Haute-Garonne with that folded name (in ``department`` if given;
        among homonyms, the main town first, then the nearest region, then a large town)."""
        homonyms = [self._place(town) for town in self._by_name.get(folded, ())]
        if department is not None:
            return next((p for p in homonyms if p.department == department), None)
        return min(homonyms, key=lambda p: (not p.main, not p.in_region, not p.large), default=None)

    def unsure(self, folded: str, place: OutsidePlace) -> bool:
        """True when ``place`` (found by :meth:`by_name` for ``folded``) names villages of several
        departments, none a main town, a town of 10,000 people nor in the region
        (« Saint-Cyprien »: also a district of Toulouse): which one is meant cannot be told
        without the department; « Vernon » is the town of the Eure, not the two villages."""
        if place.main or place.in_region or place.large:
            return False  # the best of its homonyms is one of those
        towns = self._by_name.get(folded, ())
        return any(department != place.department for _, department, _ in towns)

    def nearby(self, folded: str) -> OutsidePlace | None:
        """The town of that name when every town so named lies in the region (« Gaillac »,
        « Mirepoix »; not « Saint-Paul », a name of towns all over France)."""
        homonyms = [self._place(town) for town in self._by_name.get(folded, ())]
        return self.by_name(folded) if homonyms and all(p.in_region for p in homonyms) else None

    def main_town_like(self, word: str) -> OutsidePlace | None:
        """The main or large town outside (a prefecture, a town of 10,000 people) a misspelt
        word surely names. Only names of a length that can score
        :data:`MAIN_TOWN_TYPO_SCORE` are read."""
        if not self._main_names:
            for key, towns in self._by_name.items():
                if any(flags & (MAIN_FLAG | LARGE_FLAG) for *_, flags in towns):
                    self._main_names.setdefault(len(key), []).append(key)
        score = MAIN_TOWN_TYPO_SCORE
        shortest = math.floor(len(word) * score / (200 - score))
        longest = math.ceil(len(word) * (200 - score) / score)
        names = sorted(
            k for size in range(shortest, longest + 1) for k in self._main_names.get(size, ())
        )
        found = process.extractOne(word, names, scorer=fuzz.ratio, score_cutoff=score)
        return self.by_name(found[0]) if found else None

    def longer_name_like(self, phrase: str) -> OutsidePlace | None:
        """The town outside, of any size, whose name of two words or more a misspelt
        ``phrase`` of as many words surely names, its first words (two of a longer name) or
        its last one the same (« saint jean de verge »: Saint-Jean-de-Verges, a village of
        the Ariège; « bagnere de bigorre »: Bagnères-de-Bigorre; « castelnau durba »:
        Castelnau-Durban)."""
        parts = phrase.split()
        if len(parts) < NAME_WORDS:
            return None
        openings, lasts = self._long_names
        names = sorted({*openings.get(_opening(parts), ()), *lasts.get(parts[-1], ())})
        found = process.extractOne(
            phrase, names, scorer=fuzz.ratio, score_cutoff=MAIN_TOWN_TYPO_SCORE
        )
        return self.by_name(found[0]) if found else None

    @cached_property
    def _long_names(self) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
        """The names of two words or more by their first words (see :func:`_opening`) and by
        their last word, built on first use."""
        openings: dict[str, list[str]] = {}
        lasts: dict[str, list[str]] = {}
        for key in self._by_name:
            parts = key.split()
            if len(parts) >= NAME_WORDS:
                openings.setdefault(_opening(parts), []).append(key)
                lasts.setdefault(parts[-1], []).append(key)
        return (
            {k: tuple(v) for k, v in openings.items()},
            {k: tuple(v) for k, v in lasts.items()},
        )

    @cached_property
    def _short_names(self) -> dict[str, tuple[str, str, int] | None]:
        """The first word of each main or large town's longer name, with that town (None when
        several such towns start with it), built on first use."""
        short: dict[str, tuple[str, str, int] | None] = {}
        for key, towns in self._by_name.items():
            first, *rest = key.split()
            if not rest or len(first) < SHORT_NAME_LENGTH:
                continue
            for one in towns:
                if one[2] & (MAIN_FLAG | LARGE_FLAG):
                    short[first] = None if first in short else one
        return short

    def by_first_word(self, folded: str) -> OutsidePlace | None:
        """The main or large town outside called by the first word ``folded`` of its name
        (« Brive »: Brive-la-Gaillarde; « Clermont »: Clermont-Ferrand, not the villages called
        Clermont), when no main or large town bears that name and no other starts with it
        (« Aix »: Aix-en-Provence and Aix-les-Bains)."""
        town = self._short_names.get(folded)
        return None if town is None or self._big_named(folded) else self._place(town)

    def _big_named(self, folded: str) -> bool:
        return any(flags & (MAIN_FLAG | LARGE_FLAG) for *_, flags in self._by_name.get(folded, ()))

    def big_town(self, folded: str) -> bool:
        """True when a main or large town is called ``folded``, by its name (« Frontignan »,
        Clermont in the Oise) or its first word (« Clermont »: Clermont-Ferrand)."""
        return self._big_named(folded) or self.by_first_word(folded) is not None

    def department(self, code: str) -> OutsidePlace:
        """A department outside Haute-Garonne as a place (``?``: outside, department unknown),
        with the territory of the base that holds communes of it, if any."""
        name = self.departments.get(code, "")
        return OutsidePlace(name, code, name, territory=self.held.get(code))

    def by_postal(self, code: str) -> OutsidePlace | None:
        """The department of a postal code outside Haute-Garonne, if the code exists."""
        department = self.postal_prefixes.get(code[:3])
        if department is None or department == HAUTE_GARONNE:
            return None
        return OutsidePlace(code, department, self.departments.get(department, department))


def _opening(parts: list[str]) -> str:
    """The first words a misspelt name keeps: two of a long name (« saint jean »), else one."""
    return " ".join(parts[: 2 if len(parts) >= LONG_NAME_WORDS else 1])
