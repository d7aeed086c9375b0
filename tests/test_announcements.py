"""A message that reports news or an event, spoken by nobody and asking nothing, gets no
recommendation whatever need words it carries; a request said in the third person, a question
and a structure in difficulty still do."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.bundled import KB, recommended

from bot.core.understanding import ANNOUNCEMENT, understand


@pytest.mark.parametrize(
    "text",
    [
        "L'atelier couture de l'association est annulé cette semaine.",
        "Le conseil municipal a inauguré hier la nouvelle ressourcerie de Muret.",
        "La formation aux premiers secours a été reportée à lundi.",
        "Le local de la maison de quartier est fermé pendant les vacances.",
        "Portes ouvertes au jardin partagé samedi, venez nombreux !",
        "Inscrivez vos enfants au centre de loisirs associatif avant le 10.",
        "The repair café was closed by the council last week.",
    ],
)
def test_news_and_announcements_get_nothing(text: str) -> None:
    assert understand(text, KB).genre in {ANNOUNCEMENT, *KB.taxonomy.public}  # « venez nombreux »
    assert recommended(text) == []


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("L'association est à la recherche d'un local à Blagnac", {"semidias", "la-mijoteuse"}),
        ("La SCOP est menacée de fermeture", {"urscop", "dla-31"}),
        ("Vous avez le contact de Coop'Action à Ramonville ?", {"coop-action"}),
        ("Le financement de notre épicerie a été refusé par la banque", {"mp-actives", "ies"}),
        ("Un local est-il disponible pour une asso à Toulouse ?", {"semidias", "la-serre"}),
        ("A shared desk is needed in Toulouse for my translation business", {"la-serre"}),
        ("créer une SCOP à Toulouse. La réunion d'hier a été annulée", {"urscop"}),
    ],
)
def test_requests_in_the_same_shapes_are_answered(text: str, wanted: set[str]) -> None:
    assert understand(text, KB).genre != ANNOUNCEMENT
    assert wanted & set(recommended(text))


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["cours de yoga", "atelier vélo", "concert", "marché bio", "vide-grenier"]),
    st.sampled_from(["est annulé", "a été reporté", "est ouvert à tous", "est terminé"]),
    st.sampled_from(["", " ce soir", " samedi à Muret", " à la salle des fêtes de Balma"]),
)
def test_any_such_report_gets_nothing(thing: str, happened: str, when: str) -> None:
    text = f"Le {thing} {happened}{when}."
    assert recommended(text) == []


@pytest.mark.parametrize(
    ("text", "reported_"),
    [
        ("Mon cousin a lancé sa coopérative de vélos l'an dernier, ça marche bien", True),
        ("Ma sœur a créé une association de théâtre, elle est ravie", True),
        ("Ma sœur a créé une association et cherche un local à Toulouse", False),
        ("Ma voisine et moi avons monté un projet, qui peut nous aider ?", False),
    ],
)
def test_another_persons_story_is_spoken_by_nobody(text: str, reported_: bool) -> None:
    assert (understand(text, KB).genre == ANNOUNCEMENT) is reported_
    assert (recommended(text) == []) is reported_
