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
    taken = names | named
    areas = {fold(name): code for code, name in regions.items()}
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
