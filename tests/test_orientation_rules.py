"""Ranking rules a reception agent would sign (issue 8 §4), on the bundled base."""

from __future__ import annotations

from support.bundled import KB

from bot.core.matching import Profile, recommend


def ids(profile: Profile) -> list[str]:
    return [r.actor.id for r in recommend(KB, profile, 3).recommendations]


def test_the_local_desk_comes_first_for_general_advice_at_the_idea_stage() -> None:
    text = "Je suis de Balma et j'aimerais créer une activité solidaire, par où commencer ?"
    assert ids(Profile(text=text))[0] == "toulouse-metropole"
    answered = Profile(stage="building", needs=("advice",), commune="31254")  # Labège
    assert ids(answered)[0] == "periscope"


def test_a_precise_need_or_a_named_structure_keeps_its_own_order() -> None:
    funding = Profile(stage="idea", needs=("advice", "funding"), commune="31044")
    assert "toulouse-metropole" in ids(funding)
    named = Profile(text="Je suis de Balma et je cherche l'URSCOP pour créer une coopérative")
    assert ids(named)[0] == "urscop"


def test_a_saver_meets_the_label_of_every_solidarity_savings_product_first() -> None:
    """Finansol labels every solidarity savings product; IéS's is one of them (003, 2012)."""
    for text in ("Je voudrais placer mon épargne dans l'ESS", "How can I invest my savings?"):
        found = ids(Profile(text=text))
        assert found[0] == "finansol" and "ies" in found
    saver = Profile(needs=("savings",))
    assert ids(saver)[:2] == ["finansol", "ies"]


def test_a_national_network_is_seen_from_elsewhere_for_the_need_only_it_serves() -> None:
    """Savings are Finansol's core work and no nearer actor's: a saver in Lyon or Rodez still
    meets it; a national network whose core work regional ones share (the CNLRQ's insertion)
    stays for what the words describe as its own."""
    for text in (
        "J'habite Lyon et je cherche où placer mon épargne solidaire",
        "I live in Rodez, where can I put my savings to work for solidarity?",
    ):
        assert ids(Profile(text=text))[0] == "finansol"
    assert "cnlrq" not in ids(Profile(text="À Rennes notre asso d'insertion démarre, qui aide ?"))


def test_a_project_seeking_investors_is_no_saver() -> None:
    text = "Notre SCIC cherche un investisseur solidaire pour renforcer ses fonds propres"
    assert "savings" not in recommend(KB, Profile(text=text)).profile.needs
    assert ids(Profile(text=text))[0] in {"ies", "mp-actives"}
    had = "Je ne cherche pas d'argent, j'ai mes économies, je veux être accompagnée"
    assert "savings" not in recommend(KB, Profile(text=had)).profile.needs


def test_a_struggling_association_outside_the_dla_area_is_offered_the_regional_financer() -> None:
    saint_gaudens = Profile(stage="struggling", legal_form="association", commune="31483")
    assert "mp-actives" in ids(saint_gaudens) and "dla-31" not in ids(saint_gaudens)
    toulouse = Profile(stage="struggling", legal_form="association", commune="31555")
    assert ids(toulouse)[0] == "dla-31"


def test_a_network_serves_its_members_as_their_specialist() -> None:
    """URSCOP advises its member cooperatives (003, 2012); a SCOP in difficulty finds it."""
    scop = Profile(stage="struggling", legal_form="scop", needs=("advice",), commune="31555")
    assert ids(scop)[0] == "dla-31" and "urscop" in ids(scop)
    urscop = KB.actor("urscop")
    assert urscop is not None and urscop.members == {"scop", "scic"}
    association = Profile(stage="struggling", legal_form="association", commune="31555")
    assert "urscop" not in ids(association)


def test_where_the_person_works_is_no_need_of_theirs() -> None:
    """The CAE someone works in is not the need of one who now wants their own company."""
    for text in (
        "Je suis entrepreneure salariée dans une CAE et je veux créer ma propre société",
        "I am an employee-entrepreneur in a CAE and want to set up my own company",
    ):
        assert "test-activity" not in recommend(KB, Profile(text=text)).profile.needs
    wants = "Je voudrais entrer dans une coopérative d'activités et d'emploi pour tester mon idée"
    assert "test-activity" in recommend(KB, Profile(text=wants)).profile.needs
    premises = "je suis à la recherche d'un local dans une pépinière"
    assert "premises" in recommend(KB, Profile(text=premises)).profile.needs


def test_a_named_structure_keeps_its_conditions() -> None:
    """Naming URSCOP does not make an association in difficulty one of its members (003,
    2012: « appuie et conseille les coopératives adhérentes »); a company that wants to
    become a cooperative is what URSCOP takes on."""
    asked = recommend(KB, Profile(text="on est une asso en difficulté, l'URSCOP peut nous aider ?"))
    assert "urscop" not in [r.actor.id for r in asked.recommendations]
    assert "urscop" in {e.actor.id for e in asked.excluded}
    heard = (
        "Notre association de jardiniers a entendu parler de l'union des SCOP, pour des conseils"
    )
    assert "urscop" not in ids(Profile(text=heard))
    becoming = "notre SARL voudrait devenir une SCOP, l'URSCOP peut nous aider ?"
    assert recommend(KB, Profile(text=becoming)).recommendations[0].actor.id == "urscop"


def test_a_structure_that_employs_nobody_is_not_sent_to_the_dla() -> None:
    """The DLA helps structures professionalise their paid staff (003, 2012); an association
    of volunteers alone is not for it, one with employees in difficulty finds it first."""
    for text in (
        "petite asso de quartier sans aucun salarié, que des bénévoles, en difficulté à Toulouse",
        "notre asso 100 % bénévole est en difficulté à Toulouse",
        "We're a volunteer-run charity in Toulouse in financial trouble",
        "club de foot a blagnac, 0 salarie, que des benevoles, on a un trou dans les comptes",
        "Notre chorale (zéro salarié) à Toulouse n'arrive plus à payer la salle",
        "Dans notre asso de Toulouse personne n'est payé et les caisses sont vides",
        "Our choir in Toulouse is in financial trouble and nobody is paid",
    ):
        result = recommend(KB, Profile(text=text))
        assert result.inference.without_staff, text
        assert "dla-31" not in [r.actor.id for r in result.recommendations], text
        assert "dla-31" in {e.actor.id for e in result.excluded}, text
    for text in (
        "notre asso de 3 salariés est en difficulté à Toulouse",
        "je ne suis pas salarié, mais notre asso de 4 salariés est en difficulté à Toulouse",
        "notre asso emploie une personne salariée et elle est en difficulté à Toulouse",
    ):
        result = recommend(KB, Profile(text=text))
        assert not result.inference.without_staff, text
        assert result.recommendations[0].actor.id == "dla-31", text


def test_being_employed_by_a_cooperative_while_building_ones_activity_is_a_cae() -> None:
    """The CAE: « tester, lancer puis développer son activité au sein de la coopérative »,
    with the status of a salaried employee (knowledge/actors/coop-action.yaml, 2015)."""
    cae = {"coop-action", "maison-initiative"}
    for text in (
        "je voudrais devenir salarié d'une coopérative le temps de lancer mes cours de yoga",
        "Is there a co-op to employ me while I start my translation business?",
    ):
        assert ids(Profile(text=text))[0] in cae
    for text in (
        "nous sommes salariés d'une coopérative et voulons la reprendre",
        "I am an employee of a co-op that wants to hire",
    ):
        assert "test-activity" not in recommend(KB, Profile(text=text), 3).profile.needs


def test_a_legal_form_said_as_what_one_is_keeps_out_the_actors_that_do_not_take_it() -> None:
    """Midi-Pyrénées Actives, IéS and the Caisse des dépôts finance structures, not sole
    traders (their legal forms, 003, 2012); a form only mentioned, or a word for any business,
    lowers the score instead."""
    text = (
        "Je suis auto-entrepreneuse en broderie à Toulouse, il me faudrait un prêt pour une machine"
    )
    result = recommend(KB, Profile(text=text))
    assert result.inference.legal_form_is_sure
    shown = {r.actor.id for r in result.recommendations}
    assert shown.isdisjoint({"mp-actives", "ies", "caisse-des-depots"}), shown
    assert {"mp-actives", "ies"} <= {e.actor.id for e in result.excluded}
    opening = "Auto-entrepreneuse en céramique à Balma : qui prête pour un four ?"
    assert recommend(KB, Profile(text=opening)).inference.legal_form_is_sure
    english = recommend(
        KB, Profile(text="I'm a freelance illustrator in Toulouse, can IéS invest?")
    )
    assert english.inference.legal_form == "sole-trader" and english.inference.legal_form_is_sure
    assert "ies" not in {r.actor.id for r in english.recommendations}
    for text in (
        "mon projet d'association de quartier cherche des conseils",
        "je veux tester ma boîte de traiteur avant de la créer",
        "I'd like to try my cleaning business while keeping a payslip",
    ):
        assert not recommend(KB, Profile(text=text)).inference.legal_form_is_sure, text


def test_when_every_actor_for_the_need_excludes_the_person_they_are_advised_instead() -> None:
    """A couveuse or a CAE tests the activity of someone without a structure (their legal
    forms); a cooperative running for twenty years is advised by those that take it, and
    the need stays unmet."""
    text = "Notre SCOP existe depuis vingt ans à Balma : une couveuse peut-elle tester notre idée ?"
    result = recommend(KB, Profile(text=text), 3)
    shown = [r.actor.id for r in result.recommendations]
    assert shown and not {"etymon", "coop-action", "maison-initiative"} & set(shown), shown
    assert "test-activity" in result.unmet_needs
    assert "etymon" in {e.actor.id for e in result.excluded}
    idea = (
        "J'ai seulement une idée de garage solidaire à Labège, rien n'existe encore. "
        "Un investisseur solidaire peut-il entrer au capital ?"
    )
    result = recommend(KB, Profile(text=idea), 3)
    assert result.recommendations[0].actor.id == "periscope"  # the Sicoval's reception
    assert not any(r.relaxed for r in result.recommendations)
    out = [e.actor.id for e in result.excluded]
    assert {"ies", "mp-actives"} <= set(out) and len(out) == len(set(out))


def test_a_saver_s_business_form_excludes_no_savings_label() -> None:
    """Finansol labels the solidarity savings products (003, 2012): a sole trader placing
    their savings is a saver like any other, while a loan for their business still is not
    for the financers of structures."""
    assert KB.taxonomy.personal == {"savings"}
    text = (
        "Je suis auto-entrepreneuse à Montauban et je voudrais placer mes économies solidairement"
    )
    assert ids(Profile(text=text))[:1] == ["finansol"]
    loan = "Je suis auto-entrepreneuse à Toulouse et je cherche un prêt pour ma camionnette"
    assert "mp-actives" in {e.actor.id for e in recommend(KB, Profile(text=loan)).excluded}
