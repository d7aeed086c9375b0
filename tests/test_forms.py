"""The person's legal form read from what their structure is like (members who are employees,
a general assembly and a bureau, no structure yet), and forms said of someone else's structure
not read as theirs."""

from __future__ import annotations

import pytest
from support import bundled

from bot.core.knowledge import KnowledgeBase
from bot.core.understanding import Inference, understand


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return bundled.KB


def read(kb: KnowledgeBase, text: str) -> Inference:
    return understand(text, kb)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Dans notre atelier tous les salariés sont associés, on cherche un prêt", "scop"),
        ("Chez nous c'est un associé une voix, on voudrait un local à Muret", "scop"),
        ("In our print shop every one of us owns a share; we need a bigger room", "scop"),
        ("Notre assemblée générale a voté l'achat d'un camion, il faut le financer", "association"),
        ("Notre trésorière s'en va et on cherche une formation en compta", "association"),
        ("Our treasurer is stepping down and we need help with the accounts", "association"),
        ("Je n'ai pas encore de structure juridique, je veux ouvrir une épicerie", "undecided"),
        ("We have no legal entity yet and want to open a repair café", "undecided"),
    ],
)
def test_a_form_described_in_ones_own_voice_is_read_as_sure(
    kb: KnowledgeBase, text: str, form: str
) -> None:
    found = read(kb, text)
    assert (found.legal_form, found.legal_form_is_sure) == (form, True)


def test_a_described_form_of_a_plan_is_not_sure(kb: KnowledgeBase) -> None:
    found = read(kb, "On voudrait créer une structure où une personne une voix, à Colomiers")
    assert found.legal_form == "scop" and not found.legal_form_is_sure


def test_a_form_sought_in_several_words_is_not_sure(kb: KnowledgeBase) -> None:
    found = read(kb, "Nous cherchons une coopérative de production pour fabriquer nos meubles")
    assert not found.legal_form_is_sure


def test_a_named_form_wins_over_a_president_said_of_it(kb: KnowledgeBase) -> None:
    found = read(kb, "Notre présidente a fondé notre SAS il y a deux ans, on cherche des fonds")
    assert found.legal_form == "company"


def test_a_president_alone_says_no_form(kb: KnowledgeBase) -> None:
    assert read(kb, "Notre président veut ouvrir une deuxième boutique à Balma").legal_form is None


def test_the_bureau_of_an_association_is_no_office_needed(kb: KnowledgeBase) -> None:
    found = read(kb, "On a élu un nouveau bureau hier soir et on veut organiser un festival")
    assert found.legal_form == "association" and "premises" not in found.needs


def test_an_office_sought_is_still_premises(kb: KnowledgeBase) -> None:
    found = read(kb, "Je cherche un bureau à louer pour mon activité de graphiste")
    assert "premises" in found.needs and found.legal_form != "association"


@pytest.mark.parametrize(
    "text",
    [
        "I volunteer at the food bank and would like to start my own bakery",
        "Je suis bénévole aux Restos du cœur et je veux lancer ma boutique de vélos",
    ],
)
def test_volunteering_elsewhere_is_no_structure_of_ones_own(kb: KnowledgeBase, text: str) -> None:
    assert read(kb, text).legal_form is None


def test_ones_own_volunteers_still_say_an_association(kb: KnowledgeBase) -> None:
    found = read(kb, "Nos bénévoles sont formidables, on cherche un local à Tournefeuille")
    assert (found.legal_form, found.legal_form_is_sure) == ("association", True)


@pytest.mark.parametrize(
    "text",
    [
        "Notre compagnie de danse voudrait l'aide que la fédération réserve à ses coopératives",
        "Our dance company would like the support the union gives its cooperatives",
    ],
)
def test_the_cooperatives_of_another_are_not_the_persons(kb: KnowledgeBase, text: str) -> None:
    found = read(kb, text)
    assert found.legal_form != "scop" and "coop-status" not in found.needs


def test_a_cooperative_of_ones_own_plan_is_still_wanted(kb: KnowledgeBase) -> None:
    found = read(kb, "Notre asso voudrait devenir une coopérative l'an prochain")
    assert "coop-status" in found.needs


def test_a_form_in_brackets_after_ones_own_structure_is_sure(kb: KnowledgeBase) -> None:
    found = read(kb, "Notre chorale de quartier (association) aimerait un local pour répéter")
    assert (found.legal_form, found.legal_form_is_sure) == ("association", True)


def test_a_form_in_brackets_of_a_partner_sought_is_not_sure(kb: KnowledgeBase) -> None:
    found = read(kb, "Nous cherchons un partenaire (association) pour nos ateliers de cuisine")
    assert not found.legal_form_is_sure
