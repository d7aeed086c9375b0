"""Conditions never broken: an actor whose eligibility excludes the person is not shown, and
the person who asks for it gets why, with the actors that do take them (sentences of our own)."""

from __future__ import annotations

import itertools

import pytest
from support.bundled import KB
from support.matching_paths import through_both_paths

from benchmarks.kbgen import generated_base
from bot.config import REPO_KNOWLEDGE
from bot.core.knowledge import KnowledgeBase
from bot.core.matching import MatchResult, Profile, matched_needs, merge, recommend
from bot.core.matching.scoring import Ask, beside_barred, similarities
from bot.core.understanding import understand

TOP = 3


def ask(text: str, lang: str = "fr") -> MatchResult:
    """The recommendations for a first message."""
    return recommend(KB, Profile(text=text, lang=lang), TOP)


def shown(result: MatchResult) -> list[str]:
    """The ids of the actors shown."""
    return [r.actor.id for r in result.recommendations]


def excluded(result: MatchResult) -> dict[str, str]:
    """The actors left out, with the catalogue key of why."""
    return {e.actor.id: e.reason.key for e in result.excluded}


def test_a_network_asked_about_by_a_structure_it_does_not_serve_is_left_out() -> None:
    result = ask(
        "Would the federation of SCOPs and SCICs help our football club? "
        "We are a volunteer association",
        "en",
    )
    assert "urscop" not in shown(result)
    assert excluded(result)["urscop"] == "why_not.rule"
    assert shown(result), "the actors that do take an association are shown instead"


def test_a_change_of_structure_said_lifts_the_condition() -> None:
    result = ask(
        "Notre SARL de menuiserie, on voudrait la transformer pour que les salariés en "
        "deviennent propriétaires"
    )
    assert shown(result)[0] == "urscop"


def test_the_cooperatives_union_named_by_a_structure_keeping_its_form_lifts_nothing() -> None:
    result = ask(
        "Association sportive à Muret : on voudrait que l'union des SCOP nous conseille sur "
        "la paie, mais on reste une asso"
    )
    assert "urscop" not in shown(result)
    assert excluded(result)["urscop"] == "why_not.rule"


def test_a_wish_to_become_a_cooperative_still_lifts_the_unions_condition() -> None:
    result = ask("Notre association voudrait devenir une SCOP : l'union des SCOP peut nous aider ?")
    assert "urscop" in shown(result)


def test_no_structure_yet_excludes_the_actors_that_take_existing_structures_only() -> None:
    said = recommend(KB, Profile(legal_form="undecided", needs=("funding",), commune="31555"))
    left_out = excluded(said)
    assert left_out["caisse-des-depots"] == "why_not.legal_form"
    assert not {"caisse-des-depots", "finansol"} & set(shown(said))
    assert shown(said), "those that take a project with no structure are shown"


def test_no_structure_yet_read_from_the_words_excludes_too_with_the_actors_own_reason() -> None:
    result = ask(
        "We have no structure yet, but we'd like the regional ESS chamber to take us in", "en"
    )
    assert "cress-mp" not in shown(result)
    assert excluded(result)["cress-mp"] == "why_not.legal_form"
    assert excluded(result)["dla-31"] == "why_not.rule", "its own condition says more"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Notre épicerie n'existe que sur le papier : le DLA peut nous accompagner ?", "fr"),
        ("Rien n'a encore commencé pour notre garage solidaire, le DLA nous aiderait ?", "fr"),
        ("We haven't started yet: could the DLA coach our future repair shop?", "en"),
        ("On n'a encore rien créé, mais le DLA pourrait-il nous suivre ?", "fr"),
    ],
)
def test_a_project_not_started_yet_however_said_is_not_for_the_dla(text: str, lang: str) -> None:
    result = ask(text, lang)
    assert result.profile.stage == "idea", result.profile
    assert "dla-31" not in shown(result) and "dla-31" in excluded(result)


def test_the_index_excludes_as_scoring_every_actor_does(monkeypatch: pytest.MonkeyPatch) -> None:
    generated = generated_base(REPO_KNOWLEDGE, 600)
    actors = tuple(sorted(KB.actors + generated.actors, key=lambda a: a.file))
    kb = KnowledgeBase(actors, KB.taxonomy, KB.territory, KB.root, KB.thesaurus)
    compared = 0
    for needs, inferred in itertools.product(
        (("advice",), ("funding",), ("savings",), ("premises", "network")),
        (frozenset(), frozenset({"legal_form"})),
    ):
        profile = Profile(legal_form="undecided", needs=needs, commune="31446", inferred=inferred)
        compared += len(through_both_paths(kb, profile, monkeypatch).recommendations)
    assert compared > 20


def _asked(text: str, lang: str) -> Ask:
    """The request as :func:`recommend` first reads it, before any actor is set aside."""
    inference = understand(text, KB, lang)
    merged = merge(Profile(text=text, lang=lang), inference)
    needs = matched_needs(merged)
    return Ask(KB, merged, inference, needs, (), similarities(inference), None)


def test_a_named_actor_that_excludes_the_person_is_not_the_yardstick_of_the_others() -> None:
    text = "Our charity helps homeless people; we pay no staff. Could the DLA help and support us?"
    asked = _asked(text, "en")
    beside = beside_barred(asked)
    assert asked.inference.named == ("dla-31",) and "dla-31" in asked.similar
    assert "dla-31" not in beside.similar
    assert beside.similar["fnars-mp"] == 1.0 > asked.similar["fnars-mp"]
    assert shown(ask(text, "en"))[0] == "fnars-mp"


def test_a_named_actor_that_takes_the_person_stays_the_yardstick() -> None:
    text = "Notre association emploie trois salariés et va mal : le DLA peut-il nous aider ?"
    asked = _asked(text, "fr")
    assert beside_barred(asked) is asked


def test_an_excluded_actor_only_described_stays_the_yardstick_of_the_need_said() -> None:
    """« un investisseur solidaire » describes IéS (not for associations): it is what is asked."""
    text = "Notre association voudrait qu'un investisseur solidaire entre à son capital"
    asked = _asked(text, "fr")
    assert not asked.inference.named and asked.inference.similar[0][0] == "ies"
    assert beside_barred(asked).similar == asked.similar


def test_the_networks_that_take_the_person_stand_in_for_the_network_that_excludes_them() -> None:
    """URSCOP (a network) does not advise a choir: the associations' network is shown."""
    text = "Notre chorale (association) voudrait les conseils que l'URSCOP donne à ses adhérents"
    result = ask(text)
    assert "urscop" in excluded(result) and "cpca-mp" in shown(result)
    assert beside_barred(_asked(text, "fr")).kinds == {"tete-de-reseau"}
