"""The commune tables of the territories and the areas a support structure can cover.

Areas, from narrowest to widest: a commune, its EPCI (e.g. ``toulouse-metropole``,
``sicoval``), the whole territory (its name: ``haute-garonne``), ``region``, ``national``.
A base holds the default territory (Haute-Garonne) and possibly others
(:mod:`bot.core.territories`); :class:`Territory` may hold the communes of several.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

from babel.lists import format_list
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from bot.core.commune import (
    ABBREVIATIONS,
    DEFAULT_TERRITORY,
    HAUTE_GARONNE,
    MIDI_PYRENEES,
    NATIONAL_AREA,
    REGION_AREA,
    UNKNOWN_DEPARTMENT,
    Commune,
    TerritoryError,
)
from bot.core.diagnostics import say
from bot.core.elsewhere import Elsewhere, OutsidePlace
from bot.core.placefiles import (
    DISTRICTS_FILE,
    commune_problem,
    department_label,
    districts_of,
    element_lines,
    read_place_file,
    unique_keys,
)
from bot.core.text import STOP_WORDS, fold

__all__ = [  # the names the rest of the code reads here, wherever they are defined
    "ABBREVIATIONS",
    "DEFAULT_TERRITORY",
    "DISTRICTS_FILE",
    "HAUTE_GARONNE",
    "MIDI_PYRENEES",
    "NATIONAL_AREA",
    "REGION_AREA",
    "UNKNOWN_DEPARTMENT",
    "Commune",
    "CommuneLookup",
    "Covering",
    "Elsewhere",
    "OutsidePlace",
    "Territory",
    "TerritoryError",
]

FUZZY_CUTOFF = 80.0
SURE_SCORE = 85.0
SURE_GAP = 5.0
COMPLEMENT_LEAD = 3  # « Luchon »: Bagnères-de-Luchon, four times Montauban-de-Luchon
SPLIT_PART = 4  # the fewest letters of each part of a one-word name typed in two words
CLIPPED_LENGTH = 4  # the fewest letters of a large town's name cut short (« colo »)
SHORT_FORM_POPULATION = 3000  # « Castanet », « Plaisance »: towns known by their first word
EPCI_KINDS = frozenset({"ca", "cc", "cu"})  # « CA du Sicoval »: agglomeration, communes, urban
EPCI_KIND_WORDS = frozenset({"metropole"})  # « la Métropole »: the one EPCI here of that kind
EPCI_ARTICLES = frozenset({"du", "des", "de", "d", "le", "la", "les", "l"})


class Covering(Protocol):
    """What :meth:`Territory.covering_level` reads of an actor."""

    @property
    def communes(self) -> frozenset[str]: ...
    @property
    def areas(self) -> frozenset[str]: ...
    @property
    def territory(self) -> str: ...


@dataclass(frozen=True)
class CommuneLookup:
    """The answer to a typed commune: one sure match, or candidates to choose from."""

    commune: Commune | None
    candidates: tuple[Commune, ...] = ()


class Territory:
    """Communes by INSEE code, with lookup by name (fuzzy) or postal code.

    ``regions``: the departments that ``region`` means for the actors of each territory held
    (by default, Haute-Garonne in the former Midi-Pyrénées); ``districts``: the names of the
    neighbourhoods of a commune by its INSEE code (« Le Mirail »: Toulouse), read as its name.
    """

    def __init__(
        self,
        communes: Iterable[Commune],
        elsewhere: Elsewhere | None = None,
        regions: Mapping[str, frozenset[str]] | None = None,
        labels: Mapping[str, Mapping[str, str]] | None = None,
        districts: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.communes = {c.insee: c for c in communes}
        self.districts = {
            insee: tuple(names)
            for insee, names in (districts or {}).items()
            if insee in self.communes
        }
        self._by_district: dict[str, list[Commune]] = {}
        for insee, names in self.districts.items():
            for name in names:
                self._by_district.setdefault(fold(name), []).append(self.communes[insee])
        self.elsewhere = elsewhere if elsewhere is not None else Elsewhere((), {}, {})
        self.regions = dict(regions) if regions is not None else {DEFAULT_TERRITORY: MIDI_PYRENEES}
        self.labels = {name: dict((labels or {}).get(name, {})) for name in self.regions}
        self.epcis = frozenset(c.epci for c in self.communes.values())
        self.epcis_of: dict[str, frozenset[str]] = {}
        for commune in self.communes.values():
            self.epcis_of[commune.territory] = self.epcis_of.get(commune.territory, frozenset()) | {
                commune.epci
            }
        self._by_name: dict[str, list[Commune]] = {}
        self._by_postal: dict[str, list[Commune]] = {}
        for commune in self.communes.values():
            self._by_name.setdefault(fold(commune.name), []).append(commune)
            for code in commune.postal_codes:
                self._by_postal.setdefault(code, []).append(commune)
        self._names = list(self._by_name)
        self._glued = {  # « lunion », « lisle en dodon »: the elided article typed glued
            "l" + name[2:]: named
            for name, named in self._by_name.items()
            if name.startswith("l ") and "l" + name[2:] not in self._by_name
        }
        self._split = {  # « castel ginest », « tourne feuille »: a one-word name typed in two
            f"{name[:cut]} {name[cut:]}": named
            for name, named in self._by_name.items()
            if " " not in name
            for cut in range(SPLIT_PART, len(name) - SPLIT_PART + 1)
            if f"{name[:cut]} {name[cut:]}" not in self._by_name
        }
        # the words of the names here and their abbreviations (« st »): of no one language
        words = {w for name in self._by_name for w in name.split()}
        self.name_words = frozenset(words | ABBREVIATIONS.keys())
        self._by_complement: dict[str, list[Commune]] = {}
        for name, named in self._by_name.items():
            head, found, complement = name.rpartition(" de ")
            if found and head and complement not in self._by_name:
                self._by_complement.setdefault(complement, []).extend(named)
        # the rivers communes here are named after (« Portet-sur-Garonne »: garonne)
        self.rivers = frozenset(n.rpartition(" sur ")[2] for n in self._by_name if " sur " in n)
        self.place_first_words: dict[str, int] = {}
        """First word of a place name (here, elsewhere, or after « de ») → the most words of
        a name it starts: no longer run of words can name a place."""
        named_here = [*self._by_name, *self._glued, *self._split, *self._by_district]
        for name in [*named_here, *self.elsewhere.names, *self._by_complement]:
            said = name.split()
            longest = self.place_first_words.get(said[0], 0)
            self.place_first_words[said[0]] = max(longest, len(said))
        self._keys: dict[str, list[Commune]] = {k: list(v) for k, v in self._by_name.items()}
        for name, named in self._by_name.items():
            first = name.split()[0]
            if first != name and len(first) >= 5 and first not in self._by_name:
                self._keys.setdefault(first, []).extend(named)
        self._key_list = list(self._keys)
        letters = ["".join(sorted(key)) for key in self._key_list]
        shortest = [len(" ".join(sorted(set(key.split())))) for key in self._key_list]

        def group(indexes: list[int]) -> tuple[list[int], list[str]]:
            return indexes, [letters[i] for i in indexes]

        self._by_shortest = {
            size: group([i for i, s in enumerate(shortest) if s == size]) for size in set(shortest)
        }
        self._at_least = {
            size: group([i for i, s in enumerate(shortest) if s >= size])
            for size in range(1, max(shortest) + 1)
        }
        self._by_prefix: dict[str, list[Commune]] = {}
        self._by_first_words: dict[str, list[Commune]] = {}
        for name, named in self._by_name.items():
            parts = name.split()
            for size in range(1, len(parts)):
                prefix = " ".join(parts[:size])
                self._by_first_words.setdefault(prefix, []).extend(named)
                if size >= 2:
                    self._by_prefix.setdefault(prefix, []).extend(named)

    @cached_property
    def main_commune(self) -> Commune | None:
        """The default territory's most populous commune (Toulouse), where most people who name
        no commune live or come through."""
        there = [c for c in self.communes.values() if c.territory == DEFAULT_TERRITORY]
        return max(there, key=lambda c: (c.population, c.insee), default=None)

    @cached_property
    def epci_by_name(self) -> dict[str, str]:
        """The EPCIs here by their folded names: whole (« ca du sicoval », « toulouse
        metropole »), without their kind and its article (« sicoval », « volvestre »), and by
        a kind word in the name of only one of them (« metropole »)."""
        names: dict[str, str] = {}
        kinds: dict[str, set[str]] = {}
        for commune in self.communes.values():
            whole = fold(commune.epci_name).split()
            if not whole:
                continue
            rest = whole[1:] if whole[0] in EPCI_KINDS else whole
            while rest and rest[0] in EPCI_ARTICLES:
                rest = rest[1:]
            for name in (whole, rest):
                if name:
                    names[" ".join(name)] = commune.epci
            for word in EPCI_KIND_WORDS.intersection(whole):
                kinds.setdefault(word, set()).add(commune.epci)
        names.update({word: min(one) for word, one in kinds.items() if len(one) == 1})
        return names

    @cached_property
    def epci_first_words(self) -> frozenset[str]:
        """The first words of :attr:`epci_by_name`: where a name can begin."""
        return frozenset(name.split()[0] for name in self.epci_by_name)

    def epci_communes(self, epci: str) -> tuple[Commune, ...]:
        """The communes of an EPCI here, the most populous first."""
        found = [c for c in self.communes.values() if c.epci == epci]
        return tuple(sorted(found, key=lambda c: (-c.population, c.name)))

    @classmethod
    def load(
        cls,
        path: Path,
        elsewhere: Elsewhere | None = None,
        name: str = DEFAULT_TERRITORY,
        region: frozenset[str] = MIDI_PYRENEES,
        label: Mapping[str, str] | None = None,
    ) -> Territory:
        """Read ``communes.json`` (see knowledge/) as territory ``name`` whose regional actors
        cover ``region``, with the towns ``elsewhere``; :class:`TerritoryError` naming the
        field and line of the first problem. Its ``label`` (``{fr, en}``) defaults to the
        file's ``departement`` without its code (« 31 Haute-Garonne »: Haute-Garonne)."""
        text = read_place_file(path)
        try:
            data = json.loads(text, object_pairs_hook=unique_keys)
        except json.JSONDecodeError as error:
            raise TerritoryError(
                say("communes.json_syntax", error=error.msg), error.lineno, "(json)"
            ) from None
        except (RecursionError, ValueError) as error:
            raise TerritoryError(say("communes.json_refused", error=error), 1, "(json)") from None
        communes = data.get("communes") if isinstance(data, dict) else None
        if not isinstance(communes, list) or not communes:
            raise TerritoryError(say("communes.no_list"), 1, "communes")
        seen: set[str] = set()
        for index, entry in enumerate(communes):
            problem = commune_problem(entry)
            if problem is None and entry["insee"] in seen:
                problem = ("insee", say("communes.duplicate_insee", code=entry["insee"]))
            if problem is not None:
                field, message = problem
                lines = element_lines(text)
                line = lines[index] if index < len(lines) else 1
                raise TerritoryError(message, line, f"communes[{index}].{field}")
            seen.add(entry["insee"])
        return cls(
            (
                Commune(
                    c["insee"],
                    c["name"],
                    tuple(c["postal_codes"]),
                    c["epci"],
                    c.get("epci_name", ""),
                    c["population"] if isinstance(c.get("population"), int) else 0,
                    name,
                )
                for c in communes
            ),
            elsewhere,
            {name: region},
            {name: label or department_label(data.get("departement"), name)},
            districts_of(path.with_name(DISTRICTS_FILE), seen),
        )

    @classmethod
    def union(cls, parts: Iterable[Territory], elsewhere: Elsewhere | None) -> Territory:
        """One territory holding the communes of every part; the towns ``elsewhere`` lose
        those communes, so that « Albi » is a commune here once a territory holds it."""
        held = list(parts)
        communes = [c for part in held for c in part.communes.values()]
        if elsewhere is not None:
            elsewhere = elsewhere.without(communes)
        return cls(
            communes,
            elsewhere,
            {k: v for part in held for k, v in part.regions.items()},
            {k: v for part in held for k, v in part.labels.items()},
            {k: v for part in held for k, v in part.districts.items()},
        )

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the territories held, the default first."""
        return tuple(self.regions)

    def covered(self, lang: str) -> str:
        """The territories held, as a person reads them (« Haute-Garonne et Tarn »)."""
        labels = [label.get(lang) or label.get("fr") or name for name, label in self.labels.items()]
        return format_list(labels, locale=lang) if labels else ""

    def territory_of(self, insee: str | None) -> str | None:
        """The name of the territory of that commune (None: unknown or elsewhere)."""
        commune = self.get(insee)
        return commune.territory if commune is not None else None

    def in_region(self, territory: str, department: str) -> bool:
        """True when ``department`` lies in the region of ``territory``'s regional actors (and
        when the department is not known: they may still help)."""
        return department in self.regions.get(territory, ()) or department == UNKNOWN_DEPARTMENT

    def by_postal(self, code: str) -> list[Commune]:
        """Communes with that postal code, the most populous first."""
        return sorted(self._by_postal.get(code, []), key=lambda c: (-c.population, c.name))

    @property
    def areas(self) -> frozenset[str]:
        """Every area name an actor may cover: an EPCI, a whole territory, region, national."""
        return self.epcis | frozenset(self.regions) | {REGION_AREA, NATIONAL_AREA}

    def get(self, insee: str | None) -> Commune | None:
        """The commune with that INSEE code, if any."""
        return self.communes.get(insee) if insee else None

    def by_name(self, folded: str) -> list[Commune]:
        """Communes whose folded name is exactly ``folded`` (its elided article glued or not:
        « lunion », « l union »; a name of one word typed in two: « castel ginest »), or that
        of one of their neighbourhoods (« le mirail »)."""
        return (
            self._by_name.get(folded)
            or self._glued.get(folded)
            or self._split.get(folded)
            or self.district(folded)
        )

    def district(self, folded: str) -> list[Commune]:
        """The communes one of whose neighbourhoods is called ``folded`` (« reynerie »)."""
        return self._by_district.get(folded, [])

    def outside_town(self, query: str) -> OutsidePlace | None:
        """The town outside Haute-Garonne that ``query`` names, when no commune here is meant:
        « Albi », « Montauban » (a main town beats Montauban-de-Luchon), not « Castanet »."""
        folded = " ".join(ABBREVIATIONS.get(w, w) for w in fold(query).split())
        place = self.elsewhere.by_name(folded)
        if place is None or self._by_name.get(folded):
            return None
        return place if place.main or not self._by_first_words.get(folded) else None

    def short_form(self, folded: str) -> list[Commune]:
        """The communes here that the first words ``folded`` of their name may mean.

        People call a town by its first word (« Castanet », « Portet »): when some of the
        communes so named have at least ``SHORT_FORM_POPULATION`` inhabitants, only those
        are meant. A village's short form that is the full name of a town nearby or of a main
        or large town elsewhere means that town (« Gaillac » is in the Tarn, not Gaillac-Toulza;
        « Clermont », Clermont-Ferrand, not Clermont-le-Fort): then none is meant here.
        """
        named = self._called(folded)
        towns = [c for c in named if c.population >= SHORT_FORM_POPULATION]
        if towns:
            return towns
        return [] if self._town_elsewhere(folded) else named

    def _town_elsewhere(self, folded: str) -> bool:
        """True when ``folded`` names a town nearby (« Gaillac ») or, as one word, a main or
        large town elsewhere, by its name or its first word (« Frontignan », « Clermont »;
        not « Saint-Paul », a name of towns all over France and of villages here)."""
        one_word = " " not in folded
        return self.elsewhere.nearby(folded) is not None or (
            one_word and self.elsewhere.big_town(folded)
        )

    def known_by_first_words(self, folded: str) -> bool:
        """True when a town here of ``SHORT_FORM_POPULATION`` people or more is called by the
        first words ``folded`` of its name (« saint orens », « portet »)."""
        return any(c.population >= SHORT_FORM_POPULATION for c in self._called(folded))

    def _called(self, folded: str) -> list[Commune]:
        """The communes whose name starts with the words ``folded`` (those of two words or
        more first: « saint orens »)."""
        return self._by_prefix.get(folded) or self._by_first_words.get(folded, [])

    def clipped(self, folded: str) -> Commune | None:
        """The large town (:attr:`Commune.large`) whose name the word ``folded`` cuts short
        (« colo »: Colomiers, « blag »: Blagnac), no other commune's name starting so."""
        if len(folded) < CLIPPED_LENGTH or " " in folded or folded in self._by_name:
            return None
        named = [c for name, cs in self._by_name.items() if name.startswith(folded) for c in cs]
        return named[0] if len(named) == 1 and named[0].large else None

    def longer_name_like(self, phrase: str, score: float) -> Commune | None:
        """The commune here whose name of as many words (two or more), its first or last
        word the same, a misspelt ``phrase`` names by ``score`` or more (« saint gaudin »:
        Saint-Gaudens); None when two are as close."""
        parts = phrase.split()
        if len(parts) < 2:
            return None
        names = [
            name
            for name in self._by_name
            if len(name.split()) == len(parts)
            and (name.split()[0] == parts[0] or name.split()[-1] == parts[-1])
        ]
        scored = sorted(((fuzz.ratio(phrase, n), n) for n in names), reverse=True)
        if not scored or scored[0][0] < score or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            return None
        named = self._by_name[scored[0][1]]
        return named[0] if len(named) == 1 else None

    def by_complement(self, folded: str) -> Commune | None:
        """The town that gives its name to the communes « … de ``folded`` » and is called by it
        (« Luchon »: Bagnères-de-Luchon): the most populous of them, when it has at least
        ``COMPLEMENT_LEAD`` times the people of each other one."""
        named = sorted(self._by_complement.get(folded, ()), key=lambda c: -c.population)
        if not named or self.elsewhere.by_name(folded) is not None:
            return None
        if len(named) > 1 and named[0].population < COMPLEMENT_LEAD * named[1].population:
            return None
        return named[0]

    def by_first_word(self, folded: str) -> list[Commune]:
        """Communes whose name starts with the word ``folded`` (« castanet »)."""
        return self._by_first_words.get(folded, [])

    def lookup(self, query: str, *, prefer_insee: bool = False) -> CommuneLookup:
        """Find what the person typed: postal code, INSEE code, exact name (or a neighbourhood's:
        « Le Mirail »), prefix or fuzzy name.

        Five digits are read as a postal code first (people type those), as an INSEE code
        first with ``prefer_insee`` (the command line's ``--commune``). A name is read fuzzily
        only alone: words with a number or a :meth:`grammar_word` are a sentence, whose place
        :func:`~bot.core.places.find_place` finds (« je suis à narbonne »: Narbonne, not Arbon).
        """
        text = query.strip()
        if text.isdigit() and len(text) == 5:
            by_postal = sorted(self._by_postal.get(text, []), key=lambda c: c.name)
            by_insee = [self.communes[text]] if text in self.communes else []
            return _one_or_many(by_insee or by_postal if prefer_insee else by_postal or by_insee)
        folded = " ".join(ABBREVIATIONS.get(w, w) for w in fold(text).split())
        if not folded:
            return CommuneLookup(None)
        shortened = self._by_first_words.get(folded, [])
        if shortened and folded not in self._by_name and not self.short_form(folded):
            return CommuneLookup(None, tuple(shortened))  # « Gaillac »: asked, never assumed
        exact = self._keys.get(folded) or self.district(folded)  # « Le Mirail »: never fuzzy
        if exact:
            return _one_or_many(exact)
        prefixed = self._by_first_words.get(folded, [])
        if prefixed:
            return _one_or_many(sorted(prefixed, key=lambda c: (len(c.name), c.name)))
        sentence = any(w.isdigit() or self.grammar_word(w) for w in folded.split())
        return CommuneLookup(None) if sentence else self._fuzzy(folded)  # « à narbonne »: no Arbon

    def grammar_word(self, folded: str) -> bool:
        """True for a grammar word that no name here holds (« je », « and »; not « de »): a
        sentence's, never part of a name typed approximately."""
        return folded in STOP_WORDS and folded not in self.name_words

    def _plausible(self, word: str) -> list[str]:
        """The keys that may score :data:`FUZZY_CUTOFF` against one ``word``, in key order.

        For a one-word query, every part of ``WRatio`` is a ratio or a partial ratio between
        the word and the key, its sorted tokens or its sorted distinct tokens (or 100 when the
        word is one of them), so it is at most ``2m / (min(len(word), s) + m)``: ``m`` letters
        in common, ``s`` the length of the key's shortest form. ``m`` is the Indel LCS of the
        sorted letters, which rapidfuzz computes for all keys of one ``s`` in one call.
        """
        letters = "".join(sorted(word))
        bound = FUZZY_CUTOFF - 1  # a margin against rounding: pruning stays exact
        groups = [(len(word), self._at_least.get(len(word), ([], [])))]
        groups += [(s, g) for s, g in self._by_shortest.items() if s < len(word)]
        kept: list[int] = []
        for size, (indexes, sorted_letters) in groups:
            common = math.ceil(bound * size / (200 - bound))
            found = process.extract(
                letters,
                sorted_letters,
                scorer=Indel.similarity,
                score_cutoff=2 * common,
                limit=None,
            )
            kept += [indexes[i] for _, _, i in found]
        return [self._key_list[i] for i in sorted(kept)]

    def _fuzzy(self, folded: str) -> CommuneLookup:
        keys = self._key_list if " " in folded else self._plausible(folded)
        scored = process.extract(
            folded, keys, scorer=fuzz.WRatio, limit=8, score_cutoff=FUZZY_CUTOFF
        )
        ranked: list[tuple[Commune, float]] = []
        for key, score, _ in scored:
            for commune in self._keys[key]:
                if all(commune != seen for seen, _ in ranked):
                    ranked.append((commune, score))
        if not ranked:
            return CommuneLookup(None)
        best, best_score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best_score >= SURE_SCORE and best_score - runner_up >= SURE_GAP:
            return CommuneLookup(best, tuple(c for c, _ in ranked[1:5]))
        return CommuneLookup(None, tuple(c for c, _ in ranked[:5]))

    def covering_level(self, insee: str | None, actor: Covering) -> int | None:
        """How narrowly an actor's territory covers ``insee``: 0 commune … 4 national, None if not.

        A commune, an EPCI or a whole territory counts only in the actor's own territory; a
        regional actor covers the communes of its region. With no commune (unknown or
        elsewhere), only regional and national coverage counts.
        """
        areas = actor.areas
        commune = self.get(insee)
        if commune is not None:
            if commune.territory == actor.territory:
                if commune.insee in actor.communes:
                    return 0
                if commune.epci in areas:
                    return 1
                if actor.territory in areas:
                    return 2
            if REGION_AREA in areas and self.in_region(actor.territory, commune.department):
                return 3
        elif REGION_AREA in areas:
            return 3
        return 4 if NATIONAL_AREA in areas else None


def _one_or_many(found: list[Commune]) -> CommuneLookup:
    if len(found) == 1:
        return CommuneLookup(found[0])
    return CommuneLookup(None, tuple(found))
