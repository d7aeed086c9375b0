"""Derive knowledge/communes.json from the official Haute-Garonne commune list.

Usage: python tools/derive_communes.py SOURCE.json > knowledge/communes.json
The source is @etalab/decoupage-administratif (MIT, Etalab); its attribution is kept.
"""

import json
import re
import sys
import unicodedata

AREA_SLUGS = {"Toulouse Métropole": "toulouse-metropole", "CA du Sicoval": "sicoval"}


def slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def main(path: str) -> None:
    with open(path, encoding="utf-8") as source:
        data = json.load(source)
    communes = [
        {
            "insee": c["insee"],
            "name": c["name"],
            "postal_codes": c["postal_codes"],
            "epci": AREA_SLUGS.get(c["epci_name"], slug(c["epci_name"])),
            "epci_name": c["epci_name"],
            "population": c.get("population"),
        }
        for c in data["communes"]
    ]
    out = {
        "attribution": data["source"],
        "derived_by": "tools/derive_communes.py",
        "departement": data["departement"],
        "region": data["region"],
        "communes": communes,
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
