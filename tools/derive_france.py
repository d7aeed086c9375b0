"""Derive knowledge/communes-france.json (the towns outside Haute-Garonne) from the French list.

Usage: python tools/derive_france.py SOURCE.json > knowledge/communes-france.json
The source is @etalab/decoupage-administratif (MIT, Etalab); its attribution is kept. Each
commune outside department 31 is kept as [name, department, flags, key], ``flags`` adding 1 for
a main town, one with a postal code ending in 000 (prefectures and large towns: Albi 81000,
Montauban 82000) or 001 (Paris, Lyon and Marseille, by their first arrondissement), and 2 for a
town of at least 10,000 people (the source's ``population``: Castres, Lourdes, Mérignac), and
``key`` its
folded name (as ``bot.core.text.fold`` makes it, so loading is quick); postal codes are
reduced to their three-digit prefix → department, enough to say which department a postal code
belongs to.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.core.text import fold

HAUTE_GARONNE = "31"
MAIN_ENDINGS = ("000", "001")  # 81000 Albi; 75001, 69001, 13001: Paris, Lyon, Marseille
MAIN, LARGE = 1, 2
LARGE_POPULATION = 10_000  # a town people know by its name alone (« castres », « lourdes »)


def main(path: str) -> None:
    with open(path, encoding="utf-8") as source:
        data = json.load(source)
    departments: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    communes = []
    for c in data["communes"]:
        departments[c["department"]] = c["department_name"]
        for code in c["postal_codes"]:
            prefixes.setdefault(code[:3], c["department"])
        if c["department"] != HAUTE_GARONNE:
            main = any(code.endswith(MAIN_ENDINGS) for code in c["postal_codes"])
            large = c.get("population", 0) >= LARGE_POPULATION
            flags = MAIN * main + LARGE * large
            communes.append([c["name"], c["department"], flags, fold(c["name"])])
    out = {
        "attribution": data["source"],
        "derived_by": "tools/derive_france.py",
        "departments": dict(sorted(departments.items())),
        "postal_prefixes": dict(sorted(prefixes.items())),
        "communes": communes,
    }
    json.dump(out, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
