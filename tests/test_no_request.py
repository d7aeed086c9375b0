"""Texts that are no request for the writer's own project get nothing, whatever need words
they carry; a request said with the same words is still answered."""

from __future__ import annotations

import pytest

from bot.config import REPO_KNOWLEDGE
from bot.core.loader import load_knowledge
from bot.core.matching import Profile, recommend
from bot.core.understanding import understand

KB = load_knowledge(REPO_KNOWLEDGE)


def recommended(text: str) -> list[str]:
    return [r.actor.id for r in recommend(KB, Profile(text=text), 3).recommendations]


@pytest.mark.parametrize(
    "text",
    [
        "https://www.ouest-france.fr/economie/les-cooperatives-ouvrieres-en-hausse-1234.html",
        "www.lafabrique-solidaire.org",
        "bit.ly/epargne-solidaire-2026",
    ],
)
def test_a_web_address_alone_is_not_read(text: str) -> None:
    assert understand(text, KB).empty
    assert recommended(text) == []


def test_a_request_beside_a_web_address_is_answered() -> None:
    text = "sur www.exemple.coop j'ai lu qu'on pouvait passer notre SAS en SCOP, qui accompagne ?"
    assert "urscop" in recommended(text)


@pytest.mark.parametrize("text", ["test 123", "essai 42", "Test 1 2 3 4"])
def test_a_number_beside_a_trial_word_tries_the_line(text: str) -> None:
    found = understand(text, KB)
    assert found.greeting and not found.about_project
    assert recommended(text) == []


def test_a_number_alone_is_no_trial() -> None:
    assert not understand("31000", KB).greeting


@pytest.mark.parametrize(
    "text",
    [
        "L'épicerie coopérative du quartier a repris la boulangerie d'en face",
        "La compagnie de théâtre a grandi très vite depuis 2019",
    ],
)
def test_a_story_told_in_a_participle_of_ir_or_re_is_news(text: str) -> None:
    found = understand(text, KB)
    assert found.genre == "announcement" and recommended(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "association culturelle qui a perdu sa subvention, 3 salariés",
        "Notre asso a perdu sa subvention et on ne sait plus comment payer les salaires",
    ],
)
def test_a_loss_said_of_ones_structure_is_still_a_request(text: str) -> None:
    assert recommended(text)
