"""Matching on the bundled base: realistic situations from the seeds, and its invariants."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.knowledge import KnowledgeBase
from bot.core.loader import load_knowledge
from bot.core.matching import Profile, recommend

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
TOULOUSE, COLOMIERS, BLAGNAC, RAMONVILLE, LABEGE, AGASSAC = (
    "31555",
    "31149",
    "31069",
    "31446",
    "31254",
    "31001",
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE)


# (situation, profile, actors that must all be in the top 3)
SITUATIONS: list[tuple[str, Profile, set[str]]] = [
    ("coworking in Colomiers", Profile(needs=("coworking",), commune=COLOMIERS), {"la-mijoteuse"}),
    (
        "premises for a launching association in Colomiers",
        Profile("launching", "association", ("premises",), COLOMIERS),
        {"la-mijoteuse", "semidias"},
    ),
    ("a SCOP from an idea", Profile("idea", "scop", ("coop-status",), TOULOUSE), {"urscop"}),
    (
        "funding a launching SCOP",
        Profile("launching", "scop", ("funding",), TOULOUSE),
        {"ies", "mp-actives"},
    ),
    (
        "testing an activity without a company in Toulouse",
        Profile("idea", "undecided", ("test-activity",), TOULOUSE),
        {"maison-initiative", "coop-action"},
    ),
    (
        "testing an activity in Ramonville",
        Profile("idea", "undecided", ("test-activity",), RAMONVILLE),
        {"etymon", "coop-action", "maison-initiative"},
    ),
    (
        "an association in difficulty",
        Profile("struggling", "association", ("advice",), TOULOUSE),
        {"dla-31"},
    ),
    (
        "an insertion company project",
        Profile("building", "company", ("employment",), TOULOUSE),
        {"urei-mp"},
    ),
    (
        "a network for a cultural association",
        Profile("growing", "association", ("network",), TOULOUSE, "association culturelle"),
        {"couac", "cpca-mp"},
    ),
    (
        "a network for an association",
        Profile("growing", "association", ("network",), TOULOUSE),
        {"cpca-mp"},
    ),
    (
        "public procurement in Blagnac",
        Profile("growing", "association", ("public-procurement",), BLAGNAC),
        {"toulouse-metropole"},
    ),
    (
        "a place and a network near Ramonville",
        Profile("building", "association", ("network", "premises"), RAMONVILLE),
        {"periscope"},
    ),
    (
        "funding a growing SCIC",
        Profile("growing", "scic", ("funding",), TOULOUSE),
        {"ies", "mp-actives"},
    ),
    (
        "premises for a sole trader in Toulouse",
        Profile("launching", "sole-trader", ("premises",), TOULOUSE),
        {"semidias"},
    ),
    (
        "funding an association being built",
        Profile("building", "association", ("funding",), TOULOUSE),
        {"mp-actives"},
    ),
    (
        "an association becoming a cooperative",
        Profile("growing", "association", ("coop-status",), TOULOUSE),
        {"urscop"},
    ),
    (
        "social entrepreneurs' network",
        Profile("launching", "company", ("network",), TOULOUSE, "entrepreneur social"),
        {"mouves"},
    ),
    (
        "training in Colomiers",
        Profile("idea", needs=("training",), commune=COLOMIERS),
        {"la-mijoteuse"},
    ),
    (
        "advice for an idea in Labège",
        Profile("idea", "undecided", ("advice",), LABEGE),
        {"arcec", "bge-sud-ouest"},
    ),
    (
        "the bakery taken over as a cooperative (text)",
        Profile(
            text="nous voulons reprendre notre boulangerie en coopérative à Blagnac et il nous "
            "faut un financement"
        ),
        {"urscop", "ies"},
    ),
    ("coworking with typos (text)", Profile(text="cowroking a toulouze"), {"la-serre"}),
    (
        "an insertion company (text)",
        Profile(text="je veux créer une entreprise d'insertion à Toulouse"),
        {"urei-mp"},
    ),
    (
        "a neighbourhood régie (text)",
        Profile(text="régie de quartier emploi insertion Toulouse"),
        {"cnlrq"},
    ),
    (
        "an association in difficulty (text)",
        Profile(
            text="notre association est en difficulté financière à Toulouse, nous avons besoin "
            "d'un accompagnement"
        ),
        {"dla-31"},
    ),
    (
        "a worker co-op in English (text)",
        Profile(text="I want to start a worker cooperative in Toulouse and need a loan"),
        {"urscop"},
    ),
    (
        "testing an activity in Colomiers (text)",
        Profile(text="tester mon activité sans créer d'entreprise à Colomiers"),
        {"maison-initiative", "coop-action"},
    ),
]


@pytest.mark.parametrize(
    ("situation", "profile", "expected"), SITUATIONS, ids=[s[0] for s in SITUATIONS]
)
def test_situation_gets_the_right_actors_in_the_top_3(
    kb: KnowledgeBase, situation: str, profile: Profile, expected: set[str]
) -> None:
    top = [r.actor.id for r in recommend(kb, profile).recommendations[:3]]
    assert expected <= set(top), f"{situation}: top 3 is {top}"


def test_there_are_at_least_25_situations() -> None:
    assert len(SITUATIONS) >= 25


def test_local_service_comes_before_a_regional_network(kb: KnowledgeBase) -> None:
    result = recommend(kb, Profile(needs=("coworking",), commune=COLOMIERS))
    assert result.recommendations[0].actor.id == "la-mijoteuse"
    assert result.recommendations[0].territory_level == 0


def test_two_needs_are_both_covered_in_the_top_3(kb: KnowledgeBase) -> None:
    result = recommend(kb, Profile("launching", "company", ("funding", "premises"), TOULOUSE))
    covered = {n for r in result.recommendations[:3] for n in r.needs_covered}
    assert covered == {"funding", "premises"}


def test_unmet_needs_outside_the_metropole(kb: KnowledgeBase) -> None:
    result = recommend(kb, Profile("growing", "association", ("public-procurement",), AGASSAC))
    assert result.unmet_needs == ("public-procurement",)
    assert all(r.relaxed for r in result.recommendations)


def test_a_commune_only_service_appears_elsewhere_only_flagged_when_nothing_fits(
    kb: KnowledgeBase,
) -> None:
    toulouse = recommend(kb, Profile(needs=("coworking",), commune=TOULOUSE))
    assert "la-mijoteuse" not in [r.actor.id for r in toulouse.recommendations]
    far = recommend(kb, Profile(needs=("coworking",), commune=AGASSAC))
    assert far.unmet_needs == ("coworking",)
    assert far.recommendations and all(r.relaxed for r in far.recommendations)


def test_every_recommendation_explains_itself(kb: KnowledgeBase) -> None:
    result = recommend(kb, Profile("idea", "scop", ("coop-status", "funding"), TOULOUSE))
    for rec in result.recommendations:
        assert rec.reasons and rec.needs_covered
        assert rec.actor.source and rec.actor.info_date >= 2011


def test_text_that_says_nothing_gives_nothing(kb: KnowledgeBase) -> None:
    result = recommend(kb, Profile(text="bonjour, comment ça va ?"))
    assert not result.understood and result.recommendations == ()


PROFILES = st.builds(
    Profile,
    stage=st.sampled_from([None, "idea", "building", "launching", "growing", "struggling"]),
    legal_form=st.sampled_from([None, "undecided", "association", "scop", "scic", "company"]),
    needs=st.lists(
        st.sampled_from(
            [
                "advice",
                "funding",
                "premises",
                "coworking",
                "test-activity",
                "coop-status",
                "training",
                "network",
                "public-procurement",
                "employment",
            ]
        ),
        max_size=4,
        unique=True,
    ).map(tuple),
    commune=st.sampled_from([None, TOULOUSE, COLOMIERS, RAMONVILLE, AGASSAC, "31395"]),
    text=st.text(max_size=200),
)


@settings(max_examples=150, deadline=None)
@given(profile=PROFILES)
def test_matching_is_deterministic_and_never_raises(kb: KnowledgeBase, profile: Profile) -> None:
    first = recommend(kb, profile)
    assert recommend(kb, profile) == first
    ids = [r.actor.id for r in first.recommendations]
    assert len(ids) == len(set(ids))
    assert set(first.unmet_needs) <= set(first.profile.needs)


@settings(max_examples=150, deadline=None)
@given(profile=PROFILES)
def test_territory_rule(kb: KnowledgeBase, profile: Profile) -> None:
    """An actor outside the person's area appears only flagged, and only for an unmet need."""
    result = recommend(kb, profile)
    for rec in result.recommendations:
        if rec.territory_level is None:
            assert rec.relaxed
            assert set(rec.needs_covered) & set(result.unmet_needs or result.profile.needs)
