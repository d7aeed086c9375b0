"""A commune of a territory of the base, the departments and areas every place rule
names (Haute-Garonne, the former Midi-Pyrénées), and the error of an unusable commune file."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TERRITORY = "haute-garonne"
REGION_AREA = "region"  # the area of an actor that serves the whole region (its departments)
NATIONAL_AREA = "national"  # the area of an actor that serves all of France
ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "tlse": "toulouse",
    "toulousain": "toulouse",
    "toulousaine": "toulouse",
    "toulousains": "toulouse",
    "toulousaines": "toulouse",
}  # as people type them; the people of Toulouse name their city
HAUTE_GARONNE = "31"
UNKNOWN_DEPARTMENT = "?"
MIDI_PYRENEES = frozenset({"09", "12", "31", "32", "46", "65", "81", "82"})
LARGE_POPULATION = 10_000  # a town known by its name alone, as the large towns elsewhere


class TerritoryError(ValueError):
    """``communes.json`` is unusable; ``field`` and ``line`` say where."""

    def __init__(self, message: str, line: int = 1, field: str = "communes") -> None:
        super().__init__(message)
        self.line = line
        self.field = field


@dataclass(frozen=True)
class Commune:
    """A commune of one territory (``territory``: its name)."""

    insee: str
    name: str
    postal_codes: tuple[str, ...]
    epci: str
    epci_name: str
    population: int = 0
    territory: str = DEFAULT_TERRITORY

    @property
    def large(self) -> bool:
        """True for a town of ``LARGE_POPULATION`` people or more (Colomiers, Muret)."""
        return self.population >= LARGE_POPULATION

    @property
    def department(self) -> str:
        """The department code, from the INSEE code (``31``, ``2A``, ``974``)."""
        return self.insee[:3] if self.insee.startswith("97") else self.insee[:2]
