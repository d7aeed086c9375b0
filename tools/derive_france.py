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
department a postal code belongs to.
"""

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.core.text import fold

HAUTE_GARONNE = "31"
CURRENT = "commune-actuelle"
MAIN_ENDINGS = ("000", "001")  # 81000 Albi; 75001, 69001, 13001: Paris, Lyon, Marseille
MAIN, LARGE = 1, 2
LARGE_POPULATION = 10_000  # a town people know by its name alone (« castres », « lourdes »)
ATTRIBUTION = (
    "@etalab/decoupage-administratif 6.0.0 (MIT License, Copyright (c) 2018-2019 Etalab), "
    "data/communes.json and data/departements.json; current communes only"
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
    out = {
        "attribution": ATTRIBUTION,
        "derived_by": "tools/derive_france.py",
        "departments": dict(sorted(departments.items())),
        "postal_prefixes": dict(sorted(prefixes.items())),
        "communes": towns,
    }
    json.dump(out, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
