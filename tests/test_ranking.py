"""Who comes first when several structures fit: the ranking rules of issue 8 §4, one by one."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from support.bundled import KB
from support.matching_paths import through_both_paths

from benchmarks.kbgen import generated_base
from bot.config import REPO_KNOWLEDGE
from bot.core.knowledge import KnowledgeBase
from bot.core.matching import Profile, Reason, recommend
from bot.core.matching.levels import likely_communes, probably_elsewhere, said_elsewhere
from bot.core.presenting import reason_text
from bot.core.understanding import understand

BALMA, LUNION, COLOMIERS, RAMONVILLE = "31044", "31561", "31149", "31446"
MURET, REVEL, TOULOUSE = "31395", "31451", "31555"  # no DLA in our sources there


def first(profile: Profile) -> str:
    """The id of the first recommendation."""
    return recommend(KB, profile, limit=3).recommendations[0].actor.id


def test_the_reception_desk_comes_first_for_advice_with_no_stage_and_no_structure_said() -> None:
    asked = Profile(needs=("advice",), commune=BALMA)
    assert first(asked) == "toulouse-metropole"


def test_a_structure_said_with_no_stage_is_running_and_gets_no_first_advice_desk() -> None:
    running = Profile(needs=("advice",), legal_form="association", commune=LUNION)
    result = recommend(KB, running, limit=3)
    assert all(
        "reason.reception" not in {r.key for r in rec.reasons} for rec in result.recommendations
    )


def test_words_that_describe_another_structure_keep_the_desk_from_coming_first() -> None:
    text = (
        "Avec des voisins et le bailleur on voudrait entretenir nous-mêmes les pelouses et les "
        "halls de la cité en faisant travailler des habitants. On est à Cugnaux"
    )
    assert first(Profile(text=text)) == "cnlrq"


def test_a_structure_named_in_a_reception_desks_commune_comes_before_the_desk() -> None:
    result = recommend(KB, Profile(text="le mouvement des entrepreneurs sociaux, à Balma"), limit=3)
    assert result.recommendations[0].actor.id == "mouves"
    assert all(
        "reason.reception" not in {r.key for r in rec.reasons} for rec in result.recommendations
    )


def test_the_reception_desk_comes_first_for_a_need_no_specialist_takes_at_that_stage() -> None:
    idea = Profile(stage="idea", needs=("funding",), commune=BALMA)
    assert first(idea) == "toulouse-metropole"  # the financers take projects under way
    assert first(replace(idea, commune=RAMONVILLE)) == "periscope"


def test_a_specialist_that_takes_the_stage_still_comes_before_the_reception_desk() -> None:
    launching = Profile(stage="launching", needs=("funding",), commune=BALMA)
    assert first(launching) in {"mp-actives", "ies"}
    coop = Profile(stage="idea", needs=("coop-status",), commune=BALMA)
    assert first(coop) == "urscop"


def test_a_guessed_stage_does_not_put_the_specialist_of_a_need_said_behind_a_generalist() -> None:
    guessed = Profile(
        stage="idea", legal_form="scop", needs=("funding",), inferred=frozenset({"stage"})
    )
    assert first(guessed) in {"mp-actives", "ies"}  # « un financement pour ma SCOP qui démarre »
    said = recommend(KB, replace(guessed, inferred=frozenset()), limit=3)
    assert {"mp-actives", "ies"}.isdisjoint(r.actor.id for r in said.recommendations)


def test_the_communes_own_reception_desk_comes_before_its_epcis() -> None:
    early = Profile(stage="idea", needs=("advice",), commune=COLOMIERS, text="jardin partagé")
    assert first(early) == "la-mijoteuse"


def test_of_two_equivalent_actors_the_one_in_the_persons_commune_comes_first() -> None:
    result = recommend(KB, Profile(needs=("test-activity",), commune=RAMONVILLE), limit=3)
    top = result.recommendations[0]
    assert top.actor.id == "coop-action" and RAMONVILLE in top.actor.located_in
    assert Reason("reason.located", (("commune", RAMONVILLE),)) in top.reasons
    assert "Ramonville" in reason_text(top.reasons[-1], KB, "fr")


def test_a_single_commune_service_is_not_counted_twice_for_its_own_commune() -> None:
    result = recommend(KB, Profile(needs=("coworking",), commune=COLOMIERS), limit=3)
    mijoteuse = next(r for r in result.recommendations if r.actor.id == "la-mijoteuse")
    assert "reason.located" not in {r.key for r in mijoteuse.reasons}


def test_a_structure_in_difficulty_gets_the_local_consolidation_desk_first() -> None:
    said = Profile(stage="struggling", legal_form="association", needs=("funding",), commune=BALMA)
    dla = KB.actor("dla-31")
    assert dla is not None and dla.rescues
    assert first(said) == "dla-31"
    guessed = replace(said, inferred=frozenset({"stage"}))
    assert "dla-31" not in [r.actor.id for r in recommend(KB, guessed).recommendations[:1]]
    elsewhere = replace(said, commune="31395")  # Muret: no DLA in our sources
    assert "dla-31" not in [r.actor.id for r in recommend(KB, elsewhere).recommendations]


def test_where_no_local_desk_consolidates_the_financer_of_that_stage_comes_first() -> None:
    said = Profile(stage="struggling", legal_form="association", commune=MURET)  # no DLA
    assert first(said) == "mp-actives"
    text = Profile(text="Notre association de Revel est en difficulté, on a deux salariés")
    assert recommend(KB, text).profile.commune == REVEL
    assert first(text) == "mp-actives"
    assert first(replace(said, needs=("employment",))) != "mp-actives", "not what it does"
    assert first(replace(said, inferred=frozenset({"stage"}))) != "mp-actives", "guessed"
    assert first(replace(said, commune=None)) != "mp-actives", "a DLA may cover them"


def test_for_work_only_national_actors_do_the_one_whose_core_work_it_is_comes_first() -> None:
    savings = Profile(needs=("savings",), commune=RAMONVILLE)  # IéS is there, on the side
    assert first(savings) == "finansol"
    text = Profile(text="À Ramonville, où placer mes économies pour qu'elles soient solidaires ?")
    assert recommend(KB, text).profile.needs == ("savings",)
    assert first(text) == "finansol"
    named = Profile(text="IéS peut-elle faire fructifier mon épargne à Ramonville ?")
    assert first(named) == "ies", "the structure named, not the desk"


def test_the_communes_own_desk_comes_first_for_its_core_work_whatever_the_stage() -> None:
    office = Profile(stage="launching", legal_form="association", needs=("premises",))
    assert first(replace(office, commune=COLOMIERS)) == "la-mijoteuse"
    rescue = Profile(stage="struggling", legal_form="scop", commune=COLOMIERS)
    assert first(rescue) == "dla-31", "a structure in difficulty: the DLA before the desk"


def test_the_index_picks_located_actors_as_scoring_every_actor_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bundled actors (reception points, conditions, communes) among 600 generated ones:
    through the coverage index or scoring every relevant actor, the same picks."""
    generated = generated_base(REPO_KNOWLEDGE, 600)
    actors = tuple(sorted(KB.actors + generated.actors, key=lambda a: a.file))
    kb = KnowledgeBase(actors, KB.taxonomy, KB.territory, KB.root, KB.thesaurus)
    compared = 0
    for commune, need, stage in itertools.product(
        (RAMONVILLE, COLOMIERS, "31254", "31555", None),
        ("advice", "test-activity", "premises", "funding", "network"),
        (None, "idea", "launching", "struggling"),
    ):
        profile = Profile(stage=stage, needs=(need,), commune=commune)
        every = through_both_paths(kb, profile, monkeypatch)
        compared += len(every.recommendations)
    assert compared > 500


def test_a_cooperative_asking_advice_gets_its_own_network_first() -> None:
    """URSCOP « appuie et conseille les coopératives adhérentes » (003, 2012): before the DLA."""
    text = "Notre SCOP de menuiserie a six associés, on voudrait des conseils pour le vote en AG"
    assert first(Profile(text=text)) == "urscop"
    told = Profile(needs=("advice",), legal_form="scic", commune=BALMA)
    assert first(told) == "urscop"


def test_a_cooperative_in_difficulty_gets_the_consolidation_desk_before_its_network() -> None:
    struggling = Profile(needs=("advice",), legal_form="scop", stage="struggling", commune=BALMA)
    assert first(struggling) == "dla-31"


def test_a_cooperative_asking_what_its_network_does_not_do_gets_no_network_desk() -> None:
    joining = Profile(needs=("network",), legal_form="scop", commune=BALMA)
    assert first(joining) != "urscop"


def test_a_cooperative_asking_only_for_money_gets_a_funder_before_its_network() -> None:
    """The word « SCOP » counts once, as the form's bonus: the union of the SCOP « appuie et
    conseille les coopératives adhérentes » (003, 2012), funding is not its work, so a SCOP
    that asks for money gets a financer first."""
    for text in (
        "il nous faut de l'argent pour lancer notre SCOP de boulangerie à Muret",
        "on cherche des sous pour lancer notre scop à Muret",
    ):
        assert first(Profile(text=text)) in {"ies", "mp-actives"}, text


def test_with_no_commune_the_sicoval_desk_comes_after_a_network_of_the_whole_region() -> None:
    """Le Périscope serves the Sicoval only (its areas); with no commune said the person most
    likely lives in or comes through Toulouse, which it does not serve."""
    asked = Profile(needs=("network",), legal_form="sole-trader")
    assert first(asked) == "adepes"
    assert first(replace(asked, commune=RAMONVILLE)) == "periscope"


def test_an_actor_of_part_of_the_territory_is_probably_elsewhere_only_with_no_commune() -> None:
    sicoval, both = KB.actor("periscope"), KB.actor("coop-action")
    assert sicoval is not None and both is not None
    nowhere = likely_communes(KB, None, None, ())
    assert nowhere == (TOULOUSE,)
    assert probably_elsewhere(KB, sicoval, nowhere)
    assert not probably_elsewhere(KB, both, nowhere)  # Toulouse Métropole and the Sicoval
    assert likely_communes(KB, RAMONVILLE, None, ()) == ()
    assert not probably_elsewhere(KB, sicoval, (BALMA, RAMONVILLE))  # a postal code shared
    assert probably_elsewhere(KB, sicoval, (BALMA, LUNION))


def test_an_actor_serving_none_of_the_communes_said_does_not_cover_the_person() -> None:
    """An EPCI named with no commune (« dans Toulouse Métropole ») or a shared postal code
    says where the person is, not a guess: an actor of the Sicoval only (Le Périscope) does
    not cover them, as for a commune said; with nothing said it is only likely elsewhere."""
    sicoval = KB.actor("periscope")
    assert sicoval is not None
    metropole = understand("je cherche un local dans Toulouse Métropole", KB)
    assert said_elsewhere(KB, sicoval, None, metropole)
    assert not said_elsewhere(KB, sicoval, None, understand("je cherche un local", KB))
    assert not said_elsewhere(KB, sicoval, None, understand("je cherche un local 31320", KB))
    found = recommend(KB, Profile(text="je cherche un local dans Toulouse Métropole"))
    assert "periscope" not in {r.actor.id for r in found.recommendations}
    named = recommend(KB, Profile(text="le Périscope peut-il m'aider, je suis sur la Métropole"))
    assert "periscope" in {r.actor.id for r in named.recommendations}  # asked for by name


def test_a_project_with_no_stage_puts_the_actors_of_running_structures_after() -> None:
    """« un projet de… » with no stage: the DLA, which supports structures already operating
    (its stages, after 003, 2012), after Toulouse Métropole's mission, which takes ideas."""
    found = recommend(KB, Profile(text="un projet de ressourcerie"), limit=10).recommendations
    ids = [r.actor.id for r in found]
    assert ids.index("toulouse-metropole") < ids.index("dla-31"), ids


def test_far_from_here_a_national_network_only_for_words_that_describe_it_well() -> None:
    """« une asso de quartier » in Lyon shares two words with the régies de quartier (the
    CNLRQ's network: residents, landlords and the city run the neighbourhood, 003, 2012) and
    describes none; a régie that says so gets its national network."""
    neighbours = Profile(text="Lyon : une asso de quartier cherche des fonds")
    assert recommend(KB, neighbours).recommendations == ()
    regie = "À Lyon, nous sommes une régie de quartier et cherchons notre réseau national"
    assert first(Profile(text=regie)) == "cnlrq"


def test_neighbours_say_who_joins_the_project_not_a_regie_de_quartier() -> None:
    """« avec des voisins » is who starts the project; the régies de quartier are the
    neighbourhood's « habitants » running its upkeep with the landlords and the city (003,
    2012): the desk comes first, the CNLRQ is not shown."""
    text = "avec des voisins on veut monter une ludothèque associative à Balma"
    found = recommend(KB, Profile(text=text), limit=3).recommendations
    assert found[0].actor.id == "toulouse-metropole"
    assert "cnlrq" not in {r.actor.id for r in found}


def test_where_nobody_advises_the_networks_shown_fit_the_project() -> None:
    """At Muret (no adviser in our sources), the networks stand in; those whose core work is
    also employment (CNLRQ, COORACE, FNARS) fit no « asso de jardinage », the general ones do."""
    text = "une asso de jardinage avec des copains à Muret, par où commencer ?"
    shown = {r.actor.id for r in recommend(KB, Profile(text=text), limit=3).recommendations}
    assert shown and not shown & {"cnlrq", "coorace-mp", "fnars-mp"}, shown
    assert "cpca-mp" in shown


def test_mainstream_business_is_the_conventional_economy_social_entrepreneurs_meet() -> None:
    text = "As a social entrepreneur I'd like to team up with mainstream companies"
    assert first(Profile(text=text, lang="en")) == "mouves"


def test_a_multi_stakeholder_cooperative_to_create_asks_the_cooperatives_union() -> None:
    text = "We plan to create a multi-stakeholder cooperative with local farmers"
    assert first(Profile(text=text, lang="en")) == "urscop"


def test_with_no_form_said_a_tie_goes_to_the_financer_that_takes_any_form() -> None:
    """IéS bars associations, Midi-Pyrénées Actives none: with no form said the latter comes
    first; a company said gives IéS its form bonus back."""
    assert first(Profile(needs=("funding",))) == "mp-actives"
    assert first(Profile(needs=("funding",), legal_form="company")) == "ies"


def test_a_manager_leaving_is_the_boss_leaving() -> None:
    """« gérant » is read as « patron » (thesaurus): the staff keeping the company their
    manager leaves meet URSCOP (« accompagne à la création de nouvelles coopératives », 003)."""
    text = "la gérante part à la retraite et nous voulons garder l'atelier entre nous"
    assert first(Profile(text=text)) == "urscop"
