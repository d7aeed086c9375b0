"""An intercommunality named by its name (« dans le Sicoval », « sur la Métropole »): the
person is in one of its communes, unsaid which, and the actors serving it come first; a
postal code several communes share, none of them with an adviser, is answered as one of them
(the networks stand in)."""

from __future__ import annotations

import pytest
from dialogue_driver import Driver
from support.bundled import KB

from bot.core.matching import Profile, recommend
from bot.core.understanding import understand

SICOVAL, METROPOLE = "sicoval", "toulouse-metropole"
SAID = [
    ("Is there an incubator in the Sicoval where I can test my business?", SICOVAL),
    ("on cherche un local sur le Sicoval", SICOVAL),
    ("je cherche une couveuse dans le Sicoval", SICOVAL),
    ("une asso du territoire du Sicoval cherche un local", SICOVAL),
    ("I live in Toulouse Métropole and want to start a co-op", METROPOLE),
    ("on est sur la Métropole, on cherche un local", METROPOLE),
]
NOT_SAID = [  # a commune said is the place; an EPCI's name inside a commune's is no EPCI
    ("j'habite à Labège dans le Sicoval, on cherche un local", "31254"),
    ("rieux volvestre asso d aide a domicile cherche federation", "31455"),
]


@pytest.mark.parametrize(("text", "epci"), SAID)
def test_an_epci_said_gives_its_communes(text: str, epci: str) -> None:
    inference = understand(text, KB)
    assert inference.commune is None and inference.outside_area is None
    assert inference.shared_postal == KB.territory.epci_communes(epci)


@pytest.mark.parametrize(("text", "insee"), NOT_SAID)
def test_a_commune_said_is_read_instead(text: str, insee: str) -> None:
    inference = understand(text, KB)
    assert inference.commune is not None and inference.commune.insee == insee
    assert not inference.shared_postal


def test_epcis_by_name_and_kind() -> None:
    names = KB.territory.epci_by_name
    assert names["sicoval"] == names["ca du sicoval"] == SICOVAL
    assert names["metropole"] == names["toulouse metropole"] == METROPOLE  # the one métropole
    communes = KB.territory.epci_communes(SICOVAL)
    assert communes[0].name == "Castanet-Tolosan"  # the most populous first
    assert all(c.epci == SICOVAL for c in communes)


def _scores(text: str) -> dict[str, float]:
    return {r.actor.id: r.score for r in recommend(KB, Profile(text=text), 3).recommendations}


def test_the_sicoval_said_favours_its_actors() -> None:
    said = _scores("je cherche un local pour mon entreprise dans le Sicoval")
    unsaid = _scores("je cherche un local pour mon entreprise")
    assert said["periscope"] > unsaid["periscope"]  # of the Sicoval: no longer elsewhere
    assert "semidias" in unsaid and "semidias" not in said  # of Toulouse Métropole only


def _answer(text: str) -> tuple[list[str], set[str]]:
    result = recommend(KB, Profile(text=text), 3)
    picks = result.recommendations
    return [r.actor.id for r in picks], {reason.key for r in picks for reason in r.reasons}


def test_a_shared_postal_code_without_adviser_is_answered_as_its_communes() -> None:
    coded, reasons = _answer("31800 épicerie sociale en projet")  # Saint-Gaudens and 20 more
    named, _ = _answer("Saint-Gaudens épicerie sociale en projet")
    assert coded == named and "reason.no_adviser_here" in reasons
    sicoval, reasons = _answer("31320 projet de ressourcerie")  # the Sicoval's advisers
    assert sicoval[0] == "periscope" and "reason.no_adviser_here" not in reasons


def test_the_dialogue_asks_which_of_its_communes(talk: Driver) -> None:
    talk.start()
    talk.type("je veux monter une scop de menuiserie dans le Sicoval")
    talk.press("Non, merci")
    assert talk.current.step == "commune" and talk.current.commune is None
    assert "Vouliez-vous dire" in talk.text
    talk.press("Labège")
    assert talk.current.commune == "31254"
