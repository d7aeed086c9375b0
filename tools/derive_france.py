"""Derive knowledge/communes-france.json (the towns outside Haute-Garonne) from the French list.

Usage: python tools/derive_france.py DATA_DIR > knowledge/communes-france.json
``DATA_DIR`` is the ``data/`` folder of the npm package @etalab/decoupage-administratif (MIT,
Etalab: ``npm pack @etalab/decoupage-administratif@6.0.0``, then untar); its attribution is
kept. Each current commune outside department 31 is kept as [name, department, flags, key],
``flags`` adding 1 for a main town — its department's prefecture (``chefLieu``: Albi, Privas),
or the most populous commune of a postal code ending in 000 (Montauban 82000; not Gourdon, a
village of 85 people that shares Privas's 07000) or 001 (Paris, Lyon and Marseille, by their
first arrondissement) — and 2 for a town of at least 10,000 people (Castres, Lourdes,
Mérignac), and ``key`` its folded name (as ``bot.core.text.fold`` makes it, so loading is
quick); postal codes are reduced to their three-digit prefix → department, enough to say which
department a postal code belongs to. ``regions`` names the regions without Haute-Garonne by a
code of their own (``R53``: Bretagne), and ``areas`` gives, by folded name, the code of each of
those regions (but those named as a department: Guadeloupe) and the department of each
intercommunality outside Haute-Garonne whose communes all lie in one department, named without
its kind and article (« CA du Pays Basque »: ``pays basque`` → 64), unless the name is a
department's or a commune's, or only ordinary French words (« CC du Sud », « CC de la Forêt »).
The regions as they were before 2016 (``FORMER_REGIONS``, loi n° 2015-29: « en Aquitaine »,
« en Languedoc-Roussillon ») are regions too, by their INSEE code of then (``R72``), but those
still named so and the one holding Haute-Garonne (Midi-Pyrénées, whose regional networks the
base has); ``REGION_NAMES`` adds the names people give some regions (« région parisienne »,
« Brittany »).
"""

import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.core.language import known_word
from bot.core.text import fold

HAUTE_GARONNE = "31"
CURRENT = "commune-actuelle"
MAIN_ENDINGS = ("000", "001")  # 81000 Albi; 75001, 69001, 13001: Paris, Lyon, Marseille
MAIN, LARGE = 1, 2
EPCI_KINDS = re.compile(r"^(CA|CC|CU|Métropole)( Agglo)? (du |de la |de l'|des |d'|de )?")
REGION_CODE = "R{}"
ARTICLES = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "et"})
LARGE_POPULATION = 10_000  # a town people know by its name alone (« castres », « lourdes »)
FORMER_REGIONS = {  # the 22 regions of 1982–2015 (INSEE codes) and their departments
    "Alsace": ("42", ("67", "68")),
    "Aquitaine": ("72", ("24", "33", "40", "47", "64")),
    "Auvergne": ("83", ("03", "15", "43", "63")),
    "Basse-Normandie": ("25", ("14", "50", "61")),
    "Bourgogne": ("26", ("21", "58", "71", "89")),
    "Bretagne": ("53", ("22", "29", "35", "56")),
    "Champagne-Ardenne": ("21", ("08", "10", "51", "52")),
    "Corse": ("94", ("2A", "2B")),
    "Franche-Comté": ("43", ("25", "39", "70", "90")),
    "Haute-Normandie": ("23", ("27", "76")),
    "Île-de-France": ("11", ("75", "77", "78", "91", "92", "93", "94", "95")),
    "Languedoc-Roussillon": ("91", ("11", "30", "34", "48", "66")),
    "Limousin": ("74", ("19", "23", "87")),
    "Lorraine": ("41", ("54", "55", "57", "88")),
    "Midi-Pyrénées": ("73", ("09", "12", "31", "32", "46", "65", "81", "82")),
    "Nord-Pas-de-Calais": ("31", ("59", "62")),
    "Pays de la Loire": ("52", ("44", "49", "53", "72", "85")),
    "Picardie": ("22", ("02", "60", "80")),
    "Poitou-Charentes": ("54", ("16", "17", "79", "86")),
    "Provence-Alpes-Côte d'Azur": ("93", ("04", "05", "06", "13", "83", "84")),
    "Rhône-Alpes": ("82", ("01", "07", "26", "38", "42", "69", "73", "74")),
}  # and « Centre » (24), left out: « au centre » is no region
REGION_NAMES = {  # other names of regions in use, to their code here
    "région parisienne": "R11",
    "Paris region": "R11",
    "Brittany": "R53",
    "Normandy": "R28",
    "Burgundy": "R26",
    "Corsica": "R94",
}
ATTRIBUTION = (
    "@etalab/decoupage-administratif 6.0.0 (MIT License, Copyright (c) 2018-2019 Etalab), "
    "data/communes.json, data/departements.json, data/regions.json and data/epci.json; "
    "current communes only"
)


def _main_towns(communes: list[dict[str, Any]], prefectures: set[str]) -> set[str]:
    """The INSEE codes of the prefectures and of the most populous commune of each postal code
    ending in 000 or 001."""
    biggest: dict[str, dict[str, Any]] = {}
    for c in communes:
        for code in c.get("codesPostaux", []):
            if code.endswith(MAIN_ENDINGS):
                known = biggest.get(code)
                if known is None or c.get("population", 0) > known.get("population", 0):
                    biggest[code] = c
    return prefectures | {c["code"] for c in biggest.values()}


def _areas(
    data: Path, departments: dict[str, str], names: set[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """The regions without Haute-Garonne by code, and the folded names of those regions and
    of the intercommunalities of one department elsewhere → their code."""
    departements = json.loads((data / "departements.json").read_text(encoding="utf-8"))
    region_of = {d["code"]: d["region"] for d in departements}
    named = {fold(name) for name in departments.values()}
    regions = {
        REGION_CODE.format(r["code"]): r["nom"]
        for r in json.loads((data / "regions.json").read_text(encoding="utf-8"))
        if r["code"] != region_of[HAUTE_GARONNE] and fold(r["nom"]) not in named
    }
    for name, (code, members) in FORMER_REGIONS.items():
        if HAUTE_GARONNE not in members and fold(name) not in {fold(n) for n in regions.values()}:
            regions[REGION_CODE.format(code)] = name
    taken = names | named
    areas = {fold(name): code for code, name in regions.items()}
    areas |= {fold(name): code for name, code in REGION_NAMES.items()}
    for epci in json.loads((data / "epci.json").read_text(encoding="utf-8")):
        spread = {
            m["code"][:3] if m["code"].startswith("97") else m["code"][:2] for m in epci["membres"]
        }
        key = fold(EPCI_KINDS.sub("", epci["nom"]))
        ordinary = all(known_word(w, "fr") for w in key.split() if w not in ARTICLES)
        if len(spread) == 1 and HAUTE_GARONNE not in spread and key not in taken and not ordinary:
            areas.setdefault(key, spread.pop())
    return regions, dict(sorted(areas.items()))


def main(folder: str) -> None:
    data = Path(folder)
    communes = [
        c
        for c in json.loads((data / "communes.json").read_text(encoding="utf-8"))
        if c["type"] == CURRENT
    ]
    departements = json.loads((data / "departements.json").read_text(encoding="utf-8"))
    departments = {d["code"]: d["nom"] for d in departements}
    main_towns = _main_towns(communes, {d["chefLieu"] for d in departements})
    prefixes: dict[str, str] = {}
    towns = []
    for c in communes:
        for code in c.get("codesPostaux", []):
            prefixes.setdefault(code[:3], c["departement"])
        if c["departement"] != HAUTE_GARONNE:
            large = c.get("population", 0) >= LARGE_POPULATION
            flags = MAIN * (c["code"] in main_towns) + LARGE * large
            towns.append([c["nom"], c["departement"], flags, fold(c["nom"])])
    regions, areas = _areas(data, departments, {fold(c["nom"]) for c in communes})
    out = {
        "attribution": ATTRIBUTION,
        "derived_by": "tools/derive_france.py",
        "departments": dict(sorted(departments.items())),
        "regions": regions,
        "areas": areas,
        "postal_prefixes": dict(sorted(prefixes.items())),
        "communes": towns,
    }
    json.dump(out, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
