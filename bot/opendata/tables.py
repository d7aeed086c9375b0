"""The tables that translate between data·inclusion's vocabulary and ours.

:data:`THEMATIQUES` is the one table from data·inclusion thematiques to our needs and stages;
a thematique absent from it is unmapped (reported by the import, never guessed).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.territory import MIDI_PYRENEES


@dataclass(frozen=True)
class Theme:
    """What one data·inclusion thematique says in our terms: needs (need → strength) and the
    stages it serves (empty: every stage)."""

    needs: dict[str, str]
    stages: tuple[str, ...] = ()


THEMATIQUES: dict[str, Theme] = {
    "creer-une-entreprise--definir-son-projet-de-creation-dentreprise": Theme(
        {"advice": "primary"}, ("idea",)
    ),
    "creer-une-entreprise--structurer-son-projet-de-creation-dentreprise": Theme(
        {"advice": "primary"}, ("building", "launching")
    ),
    "creer-une-entreprise--developper-son-entreprise": Theme({"advice": "primary"}, ("growing",)),
}

EPCI_CODES: dict[str, str] = {
    "200034023": "cc-tarn-agout",
    "200034957": "cc-du-frontonnais",
    "200066819": "cc-du-volvestre",
    "200068641": "ca-le-muretain-agglo",
    "200068807": "cc-du-bassin-auterivain-haut-garonnais",
    "200068815": "cc-coeur-de-garonne",
    "200071298": "cc-des-terres-du-lauragais",
    "200071314": "cc-des-hauts-tolosans",
    "200072635": "cc-pyrenees-haut-garonnaises",
    "200072643": "cc-coeur-et-coteaux-du-comminges",
    "200073146": "cc-cagire-garonne-salat",
    "243100518": "toulouse-metropole",
    "243100567": "cc-aux-sources-du-canal-du-midi",
    "243100633": "sicoval",
    "243100732": "cc-des-coteaux-du-girou",
    "243100773": "cc-val-aigo",
    "243100781": "cc-le-grand-ouest-toulousain",
    "243100815": "cc-des-coteaux-bellevue",
}
"""SIREN code → our EPCI slug (``communes.json``), for every EPCI with a commune in
Haute-Garonne: from ``data/epci.json`` of @etalab/decoupage-administratif 6.0.0 (MIT License,
Copyright (c) 2018-2019 Etalab), slugs made as ``tools/derive_communes.py`` makes them."""

NATIONAL_CODES = ("france", "99100")
HAUTE_GARONNE_CODE = "31"
REGION_CODES = tuple(sorted(MIDI_PYRENEES))
"""Our ``region`` area is the former Midi-Pyrénées: the zone lists its departments."""

MODES: dict[str, str] = {
    "envoyer-un-courriel": "envoyer un courriel",
    "se-presenter": "se présenter sur place",
    "telephoner": "téléphoner",
    "utiliser-lien-mobilisation": "utiliser le lien du service",
}
"""How a service is reached (``modes_mobilisation``), as said in a record's conditions."""

DEFAULT_KIND = "accompagnement"
"""Our kind for a structure whose extract says none (data·inclusion has no such field)."""
