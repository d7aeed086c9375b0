"""Places once misread: a Toulouse neighbourhood, a town abroad named like a French village,
towns outside the department the reader missed or swapped, said in a sentence and typed at
the commune question."""

from __future__ import annotations

import pytest
from dialogue_driver import Driver
from support.bundled import KB

from bot.core.dialogue.engine import Dialogue
from bot.core.matching import Profile, recommend

TOULOUSE, L_UNION, SAINT_LAURENT = "31555", "31561", "31494"
MISREAD = [  # (text, commune here, department outside)
    ("je suis aux pradettes", TOULOUSE, None),
    ("Saint-Sébastien, en Espagne", None, "ES"),
    ("j'habite à Saint-Sébastien, en Espagne, et on a un projet de scop", None, "ES"),
    ("je suis à vernon", None, "27"),
    ("j'habite vernon", None, "27"),
    ("je vis à Pékin", None, "CN"),
    ("jsuis a pekin pour le boulot", None, "CN"),
    ("je suis à Francfort", None, "DE"),
    ("I live in Frankfurt", None, "DE"),
    ("Saint-Sulpice-la-Pointe (Tarn)", None, "81"),
    ("cahor 46", None, "46"),
    ("narbonne", None, "11"),
    ("je suis à narbonne", None, "11"),
    ("Nancy", None, "54"),
    ("Paris 11e", None, "75"),
    ("75011", None, "75"),
]
FOUND_BY_THE_SWEEP = [  # misread on main by tests/test_places_sweep.py
    ("à Maurepas, 80000", None, "80"),  # not the Yvelines' Maurepas
    ("à Verdun, 55000", None, "55"),  # not the Ariège's
    ("Saint-Louis (974)", None, "974"),
    ("Saint-Martin-des-Champs (89)", None, "89"),  # no Saint-Martin of the Antilles
    ("Sainte-Hélène (56)", None, "56"),  # no Saint Helena
    ("à Saint-Barthélemy, 56000", None, "56"),  # no Saint-Barthélemy of the Antilles
    ("je suis à Saint-Martin-de-Bienfaite-la-Cressonnière", None, "14"),
    ("I live in Saint-Laurent and want to start a cooperative", SAINT_LAURENT, None),
    ("je vis a l union et je veux creer une asso", L_UNION, None),
]
NEAR_MISSES = [  # the rules behind those fixes, where they must not reach
    ("je suis à la Réunion et je veux monter une asso", None, "974"),  # no village of the 47
    ("I live in Grenade-sur-l'Adour and I'd like a co-op", None, "40"),  # names no Grenada
    ("je suis à Saint-Cyprien", TOULOUSE, None),  # a district here, not the town of the 66
    ("Revel, en Isère (38) : notre asso a 2 salariés", None, "38"),  # its own number
    ("à Andorre-la-Vieille, projet de coopérative", None, "AD"),  # a name the base lacks
    ("je suis à St-Martin-des-Champs", None, None),  # six departments; never the Antilles
    ("on est a la montagne cet été", None, None),  # no town of the Loire-Atlantique
    ("une saucisse de francfort", None, None),
    ("je me lance en indé comme graphiste", None, None),  # independent, no India
    ("je suis en inde pour un an et je veux monter une asso", None, "IN"),
    ("on monte une asso en ariège", None, "09"),  # an accent the name has
]
AS_NOUNS = [  # a commune named by an article and a noun, read as that noun when words go on
    ("notre scop, adhérente à l'union régionale, a un conflit entre associés", None, None),
    ("sur le plan financier notre asso a besoin de conseil", None, None),
    ("au plan national notre asso cherche un financement", None, None),
    ("je vis à l'Union et je veux créer une asso", L_UNION, None),
    ("habitante de l'Union, je veux créer une asso", L_UNION, None),
    ("L'Union 31240, projet d'asso", L_UNION, None),
    ("le maire de L'Union aimerait soutenir les entreprises solidaires", L_UNION, None),
    ("j'habite au Plan et je veux créer une asso", "31425", None),
]


def _read(text: str) -> tuple[str | None, str | None]:
    result = recommend(KB, Profile(text=text), 3)
    outside = result.outside_area
    return result.profile.commune, outside.department if outside else None


@pytest.mark.parametrize(
    ("text", "commune", "department"), MISREAD + FOUND_BY_THE_SWEEP + NEAR_MISSES + AS_NOUNS
)
def test_a_sentence_names_the_place(text: str, commune: str | None, department: str | None) -> None:
    assert _read(text) == (commune, department)


@pytest.mark.parametrize(("text", "commune", "department"), MISREAD)
def test_typed_at_the_commune_question(
    dialogue: Dialogue, text: str, commune: str | None, department: str | None
) -> None:
    talk = Driver(dialogue)
    talk.start()
    for label in ("J'ai une idée", "SCOP", "Créer une coopérative", "Valider"):
        talk.press(label)
    talk.type(text)
    state = talk.current
    assert state.commune_done and (state.commune, state.outside) == (commune, department)


def test_a_sentence_is_never_fuzzily_a_commune_name() -> None:
    here = KB.territory
    assert here.lookup("je suis à narbonne") == here.lookup("narbonne 11")
    assert here.lookup("je suis à narbonne").commune is None
    assert not here.lookup("je suis à narbonne").candidates  # not Arbon nor Carbonne
    castanet = here.lookup("castanet tolossan").commune  # a name alone, misspelt
    assert castanet is not None and castanet.name == "Castanet-Tolosan"
