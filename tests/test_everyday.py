"""Ordinary life said in a project's words gets nothing (:mod:`bot.core.everyday`); a venture
said with the same words is still answered."""

from __future__ import annotations

import pytest
from support.bundled import KB, assert_no_request, recommended

from bot.core.understanding import EVERYDAY, understand


@pytest.mark.parametrize(
    "text",
    [
        "je lance une lessive de draps avant le dîner",  # a making verb, a chore
        "je monte une armoire dans la cuisine samedi, qui a un tournevis ?",  # no plan either
        "qui pourrait me prêter une tondeuse ce week-end ?",  # only a thing done to it
        "besoin d'aide pour réparer ma voiture",  # a need, a thing of one's own
        "on cherche un crédit pour acheter une voiture d'occasion",
        "il me faut une salle pour le mariage de ma cousine",  # a relative: no venture
        "mon projet tutoré d'anglais est à rendre vendredi",  # « projet » at school
        "notre projet d'anniversaire surprise pour papa avance bien",
        "can you help me carry my wardrobe upstairs?",
        "I'm looking for a loan to buy a car",  # « car »: no French clause word here
        "notre projet vacances avance, on part deux mois en Espagne",  # « mois »: no venture's
    ],
)
def test_ordinary_life_in_a_project_s_words_gets_nothing(text: str) -> None:
    assert_no_request(text, EVERYDAY)


@pytest.mark.parametrize(
    "text",
    [
        "mon projet de fin d'études c'est une épicerie solidaire que je veux ouvrir",
        "notre association cherche un prêt pour acheter une voiture de livraison",
        "je voudrais que mon livret serve à l'économie solidaire",
        "je voudrais que mon livret A serve à financer l'ESS",  # « ess »: the field's own name
        "une cagnotte pour notre café coopératif",
        "on veut ouvrir une cuisine partagée pour le quartier",  # an everyday thing, a venture
        "besoin d'un local pour notre recyclerie",
        "projet de garage solidaire pour les familles du quartier",
        "we need a loan for the van of our social enterprise",
        "je cherche un financement pour ma ferme et ma voiture",  # the farm is no everyday thing
        "on a besoin d'argent pour acheter un four pour la boulangerie",  # the oven serves it
        "un prêt pour acheter la machine de notre atelier de couture",  # a thing of a venture's
        "j'aimerais transformer ma cuisine en laboratoire pour vendre des plats",  # a trade
    ],
)
def test_a_venture_said_beside_everyday_words_is_answered(text: str) -> None:
    assert understand(text, KB).genre != EVERYDAY
    assert recommended(text), text


def test_a_bare_need_bears_on_no_everyday_thing() -> None:
    assert recommended("je cherche un prêt")  # no thing said: maybe for a project
