"""Free-text understanding: what one sentence says about stage, legal form, needs and commune."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import REPO_KNOWLEDGE
from bot.core.knowledge import KnowledgeBase
from bot.core.loader import load_knowledge
from bot.core.territory import Territory
from bot.core.understanding import Inference, understand


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(REPO_KNOWLEDGE)


def said(kb: KnowledgeBase, text: str) -> Inference:
    return understand(text, kb)


def test_the_bakery_taken_over_as_a_cooperative(kb: KnowledgeBase) -> None:
    found = said(
        kb,
        "nous voulons reprendre notre boulangerie en coopérative à Blagnac "
        "et il nous faut un financement",
    )
    assert found.legal_form == "scop"
    assert set(found.needs) == {"coop-status", "funding"}
    assert found.commune is not None and (found.commune.insee, found.commune.name) == (
        "31069",
        "Blagnac",
    )
    assert found.stage == "growing" and found.evidence["stage"] == "reprendre"
    assert found.items() == [
        "stage=growing",
        "legal_form=scop",
        "need=funding",
        "need=coop-status",
        "commune=31069",
    ]


def test_typos_in_need_and_commune(kb: KnowledgeBase) -> None:
    found = said(kb, "cowroking a toulouze")
    assert found.needs == ("coworking",)
    assert found.commune is not None and found.commune.name == "Toulouse"
    assert found.evidence == {
        "need:coworking": "cowroking≈coworking",
        "commune": "toulouze≈Toulouse",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are a non-profit in Toulouse looking for funding",
         {"legal_form=association", "need=funding", "commune=31555"}),
        ("I want to start a worker cooperative and need an office in Colomiers",
         {"stage=idea", "legal_form=scop", "need=premises", "need=coop-status", "commune=31149"}),
        ("I need a loan for my social enterprise in Balma",
         {"legal_form=company", "need=funding", "commune=31044"}),
        ("our association is struggling with cash flow",
         {"legal_form=association", "stage=struggling"}),
        ("we are looking for a place in Colomiers for our association",
         {"legal_form=association", "need=premises", "commune=31149"}),
        ("is there an incubator for social projects in Toulouse?",
         {"need=premises", "commune=31555"}),
        ("our charity is doing badly", {"legal_form=association", "stage=struggling"}),
    ],
)  # fmt: skip
def test_english_sentences(kb: KnowledgeBase, text: str, expected: set[str]) -> None:
    assert expected <= set(said(kb, text).items())


@pytest.mark.parametrize(
    ("accented", "plain"),
    [
        (
            "Je cherche un local à Labège pour mon association",
            "je cherche un local a labege pour mon association",
        ),
        (
            "coopérative d'activités à Ramonville-Saint-Agne",
            "COOPERATIVE D ACTIVITES A RAMONVILLE SAINT AGNE",
        ),
        (
            "notre épicerie est en difficulté à Castanet-Tolosan",
            "notre epicerie est en difficulte a castanet tolosan",
        ),
    ],
)
def test_missing_accents_and_case_change_nothing(
    kb: KnowledgeBase, accented: str, plain: str
) -> None:
    assert said(kb, accented).items() == said(kb, plain).items()
    assert said(kb, accented).commune is not None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("financemnt pour ma cooperative", "need=funding"),
        ("je cherche un espace de cowroking", "need=coworking"),
        ("mon assocation", "legal_form=association"),
        ("un projet a Tournefeulle", "commune=31557"),
        ("installé à Colomeirs", "commune=31149"),
    ],
)
def test_typos(kb: KnowledgeBase, text: str, expected: str) -> None:
    assert expected in said(kb, text).items()


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("notre association est en difficulté", "struggling"),
        ("our association is struggling", "struggling"),
        ("nous avons besoin d'un local", None),
        ("notre entreprise cherche des financements", None),
        ("notre association existe depuis 2010", "growing"),
        ("on a une idée de projet de création", "idea"),
        ("on aide des jeunes en difficulté", None),
        ("je cherche des gens pour monter une cantine", "idea"),
        ("looking for people to start a food co-op", "idea"),
        ("qui peut m'aider à écrire mes statuts d'association ?", "building"),
        ("who can help us draft our bylaws?", "building"),
        ("qui pourrait relire nos statuts ?", "building"),
        ("is there someone to review our bylaws?", "building"),
        ("on n'a encore rien créé, juste l'envie", "idea"),
        ("qui finance les projets qui créent des emplois ?", None),
        ("notre asso voudrait créer trois postes", None),
        ("we want to create jobs for young people", None),
        ("je veux créer une entreprise qui crée des emplois", "idea"),
    ],
)
def test_the_stage_comes_from_what_is_said_not_from_we_or_our(
    kb: KnowledgeBase, text: str, stage: str | None
) -> None:
    assert said(kb, text).stage == stage


@pytest.mark.parametrize(
    ("text", "insee"),
    [
        ("un local vers 31770", "31149"),  # Colomiers
        ("coworking 31170", "31557"),  # Tournefeuille
        ("mon asso est à 31520", "31446"),  # Ramonville-Saint-Agne
        ("31000", "31555"),  # Toulouse
    ],
)
def test_postal_codes(kb: KnowledgeBase, text: str, insee: str) -> None:
    found = said(kb, text)
    assert found.commune is not None and found.commune.insee == insee


@pytest.mark.parametrize(
    "text",
    [
        "slt jcherche 1 local pr mon asso a tlse",
        "tlse",
        "projet a st orens",
        "notre compagnie toulousaine cherche un lieu de répétition",
    ],
)
def test_names_as_people_type_them(kb: KnowledgeBase, text: str) -> None:
    found = said(kb, text)
    assert found.commune is not None and found.commune.insee in {"31555", "31506"}


def test_a_postal_code_shared_by_several_communes_names_none(kb: KnowledgeBase) -> None:
    assert len([c for c in kb.territory.communes.values() if "31320" in c.postal_codes]) > 1
    assert said(kb, "coworking 31320").commune is None
    shared = said(kb, "coworking 31320").shared_postal
    assert {c.insee for c in shared} == {
        c.insee for c in kb.territory.communes.values() if "31320" in c.postal_codes
    }
    assert not said(kb, "coworking à Castanet 31320").shared_postal  # the name says which


@pytest.mark.parametrize(
    "text",
    [
        "projet à Saint-Orens",
        "une association de saint orens",
        "j'habite à St Orens",
        "Saint-Orens-de-Gameville",
    ],
)
def test_saint_orens_by_its_first_words(kb: KnowledgeBase, text: str) -> None:
    found = said(kb, text)
    assert found.commune is not None and found.commune.name == "Saint-Orens-de-Gameville"


def test_an_ambiguous_first_word_names_no_commune(kb: KnowledgeBase) -> None:
    assert said(kb, "un projet à Pointis").commune is None  # two villages Pointis-…


def test_a_short_form_names_the_town_people_call_so(kb: KnowledgeBase) -> None:
    found = said(kb, "un projet à Portet")  # Portet-sur-Garonne, not Portet-d'Aspet
    assert found.commune is not None and found.commune.name == "Portet-sur-Garonne"


@pytest.mark.parametrize(("text", "department"), [("à Gaillac", "81"), ("à Mirepoix", "09")])
def test_a_village_short_form_that_is_a_town_elsewhere_is_that_town(
    kb: KnowledgeBase, text: str, department: str
) -> None:
    found = said(kb, f"une épicerie solidaire {text}")  # not Gaillac-Toulza, Mirepoix-sur-Tarn
    assert found.commune is None
    assert found.outside_area is not None and found.outside_area.department == department


@pytest.mark.parametrize(
    "text",
    ["", "   ", "bonjour", "lorem ipsum dolor sit amet", "?!…", "😀😀", "a", "merci beaucoup"],
)
def test_nothing_recognisable_is_empty(kb: KnowledgeBase, text: str) -> None:
    found = said(kb, text)
    assert found.empty and found.items() == [] and found.evidence == {}


def test_each_inference_carries_the_words_it_came_from(kb: KnowledgeBase) -> None:
    found = said(kb, "je veux créer une SCIC à Ramonville, il me faut des bureaux")
    assert found.evidence == {
        "stage": "creer",
        "legal_form": "scic",
        "need:premises": "bureaux",
        "need:coop-status": "scic",
        "commune": "ramonville",
    }


ANY_TEXT = st.text(max_size=300) | st.builds(
    lambda chunk, times: (chunk * times)[:20_000],
    st.text(min_size=1, max_size=40),
    st.integers(min_value=1, max_value=20_000),
)


@settings(max_examples=200, deadline=None)
@given(text=ANY_TEXT)
def test_never_raises_and_is_deterministic(kb: KnowledgeBase, text: str) -> None:
    first = said(kb, text)
    assert said(kb, text) == first
    assert first.commune is None or first.commune.insee in kb.territory.communes
    assert set(first.needs) <= set(kb.taxonomy.needs)
    assert first.stage is None or first.stage in kb.taxonomy.stages
    assert first.legal_form is None or first.legal_form in kb.taxonomy.legal_forms
    assert first.empty == (first.items() == [] and not first.similar and not first.project)


SAYINGS = ["créer une scop", "un local", "financement", "cowroking", "emploi", "Muret"]


@settings(max_examples=80, deadline=None)
@given(
    sayings=st.lists(st.sampled_from(SAYINGS), max_size=4),
    noise=st.text(max_size=40),
    before=st.booleans(),
)
def test_more_words_never_lose_a_need(
    kb: KnowledgeBase, sayings: list[str], noise: str, before: bool
) -> None:
    text = " ".join(sayings)
    noisy = f"{noise} . {text}" if before else f"{text} . {noise}"
    assert set(said(kb, text).needs) <= set(said(kb, noisy).needs)


class EveryKey(Territory):
    """The commune lookup scoring every name: the reference for the pruned fuzzy search."""

    def _plausible(self, word: str) -> list[str]:
        return self._key_list


@pytest.fixture(scope="module")
def reference(kb: KnowledgeBase) -> Territory:
    return EveryKey(kb.territory.communes.values(), kb.territory.elsewhere)


NAMES = sorted({c.name for c in load_knowledge(REPO_KNOWLEDGE).territory.communes.values()})


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(NAMES),
    edits=st.lists(st.tuples(st.integers(0, 40), st.sampled_from("abcdeilnorstuz -'")), max_size=3),
    cut=st.integers(3, 40),
)
def test_misspelt_communes_are_looked_up_as_if_every_name_were_scored(
    kb: KnowledgeBase, reference: Territory, name: str, edits: list[tuple[int, str]], cut: int
) -> None:
    typed = name[:cut]
    for position, letter in edits:
        typed = typed[:position] + letter + typed[position + 1 :]
    assert kb.territory.lookup(typed) == reference.lookup(typed)


def test_a_typed_village_short_form_of_a_town_nearby_is_asked(kb: KnowledgeBase) -> None:
    found = kb.territory.lookup("Gaillac")  # Gaillac (Tarn) or Gaillac-Toulza: the person picks
    assert found.commune is None and [c.name for c in found.candidates] == ["Gaillac-Toulza"]
    assert kb.territory.lookup("Castanet").commune is not None


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Nous sommes une SCOP et on voudrait rejoindre la coordination des associations", "scop"),
        ("Au départ on voulait faire une asso, mais finalement on part sur une SCOP", "scop"),
        ("on pensait creer une sas mais en fait plutot une scic", "scic"),
        ("notre asso voudrait se transformer en scop", "association"),
        ("une SAS, pas une asso", "company"),
    ],
)
def test_the_legal_form_is_the_one_the_person_is_or_settled_on(
    kb: KnowledgeBase, text: str, form: str
) -> None:
    assert understand(text, kb).legal_form == form


def test_determiners_do_not_matter_inside_a_synonym(kb: KnowledgeBase) -> None:
    found = understand("la mairie a baissé la subvention et on va devoir licencier", kb)
    assert found.stage == "struggling"


def test_an_adverb_is_no_misspelt_synonym(kb: KnowledgeBase) -> None:
    found = understand("finalement on part sur une SCOP", kb)
    assert "funding" not in found.needs, found.evidence


def test_a_verb_after_its_subject_meets_its_thesaurus_group(kb: KnowledgeBase) -> None:
    found = understand("on voudrait racheter l'imprimerie où on bosse avant qu'elle coule", kb)
    assert {"reprendre", "travailler", "difficulte"} <= set(found.terms), found.terms
    assert understand("je monte une épicerie solidaire", kb).stage_is_sure is False


@pytest.mark.parametrize(
    "text",
    [
        "Une idée pas encore mûre : un magasin de producteurs",
        "mon idée n'est pas encore mûre mais je cherche des investisseurs",
    ],
)
def test_a_not_yet_ripe_idea_is_still_an_idea(kb: KnowledgeBase, text: str) -> None:
    found = understand(text, kb)
    assert (found.stage, found.stage_is_sure) == ("idea", True)


def test_a_not_yet_opened_by_ne_still_denies_what_comes_before(kb: KnowledgeBase) -> None:
    assert understand("rien n'existe encore, on part d'une envie", kb).stage == "idea"
    assert understand("le projet ne démarre pas encore", kb).stage != "launching"


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("Notre SCOP de Blagnac traverse une mauvaise passe", set()),
        ("notre SCIC a besoin de fonds propres pour se développer", {"funding"}),
        ("nous voulons reprendre notre boulangerie en coopérative", {"coop-status"}),
        ("on veut créer notre SCOP", {"coop-status"}),
    ],
)
def test_a_cooperative_one_already_is_is_not_one_to_create(
    kb: KnowledgeBase, text: str, needs: set[str]
) -> None:
    assert set(said(kb, text).needs) == needs


@pytest.mark.parametrize(
    ("text", "funding"),
    [
        ("nos statuts d'association sont presque prêts", False),
        ("on est fin prêts à ouvrir la recyclerie", False),
        ("on cherche un prêt pour la recyclerie", True),
        ("la banque refuse notre prêt, le dossier est prêt pourtant", True),
    ],
)
def test_ready_is_no_loan(kb: KnowledgeBase, text: str, funding: bool) -> None:
    assert ("funding" in said(kb, text).needs) is funding


@pytest.mark.parametrize(
    "text", ["qqn pr m'aider svp", "i need help with my project", "besoin d'infos", "help me"]
)
def test_help_asked_in_a_few_words_is_a_request_for_advice(kb: KnowledgeBase, text: str) -> None:
    assert said(kb, text).needs == ("advice",)


@pytest.mark.parametrize("text", ["j'ai un projet", "I have a project"])
def test_a_project_said_alone_is_about_a_project(kb: KnowledgeBase, text: str) -> None:
    found = said(kb, text)
    assert found.about_project and not found.needs


def test_a_greeting_with_nothing_else_is_not_about_a_project(kb: KnowledgeBase) -> None:
    assert not said(kb, "bonjour").about_project


def test_an_office_in_a_building_is_not_a_stage_said_as_such(kb: KnowledgeBase) -> None:
    found = said(kb, "we need a small office in a building for new businesses")
    assert "premises" in found.needs and not found.stage_is_sure


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("pas d'asso, pas de statut, juste une idée de jardin", "undecided"),
        ("ni SCOP ni SCIC, juste une idée", None),
        ("formatrice indépendante sans avoir à créer ma propre entreprise", "sole-trader"),
    ],
)
def test_a_form_said_as_none_is_not_the_persons(
    kb: KnowledgeBase, text: str, form: str | None
) -> None:
    assert said(kb, text).legal_form == form


@pytest.mark.parametrize(
    ("text", "stage"),
    [("I'd like to open a repair café", "idea"), ("j'aimerais ouvrir une épicerie", "idea")],
)
def test_a_wish_to_open_is_the_idea_stage(kb: KnowledgeBase, text: str, stage: str) -> None:
    assert said(kb, text).stage == stage


@pytest.mark.parametrize(
    ("text", "premises"),
    [
        ("projet d'alimentation locale à Balma", False),
        ("besoin dun local", True),
        ("on cherche des locaux à Blagnac", True),
    ],
)
def test_a_local_thing_is_not_premises(kb: KnowledgeBase, text: str, premises: bool) -> None:
    assert ("premises" in said(kb, text).needs) is premises


@pytest.mark.parametrize(
    "text",
    [
        "Our non-profit employs five people; income keeps falling",
        "notre asso emploie sept personnes. Nous sommes dans le rouge",
    ],
)
def test_a_difficulty_said_after_the_people_employed_in_another_clause_is_read(
    kb: KnowledgeBase, text: str
) -> None:
    assert said(kb, text).stage == "struggling"


@pytest.mark.parametrize(
    "text",
    ["the association I volunteer for is going broke", "notre asso est en faillite"],
)
def test_going_broke_is_difficulty(kb: KnowledgeBase, text: str) -> None:
    assert said(kb, text).stage == "struggling"


@pytest.mark.parametrize(
    "text",
    [
        "je suis au chômage et je veux créer mon entreprise",
        "I'm currently unemployed, I want to start a catering business",
        "I lost my job and want to start my own business",
        "j'ai perdu mon emploi et je veux créer mon activité",
        "je suis demandeur d'emploi, je veux créer ma boîte",
        "I'm a job seeker and I'd like to become a gardener",
    ],
)
def test_what_the_person_is_or_has_lost_is_not_a_need(kb: KnowledgeBase, text: str) -> None:
    inference = understand(text, kb)
    assert "employment" not in inference.needs and inference.stage != "growing", inference


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("we want to hire jobseekers", "employment"),
        ("nous voulons embaucher des personnes au chômage", "employment"),
        ("I am looking for funding", "funding"),
        ("je suis à la recherche d'un local", "premises"),
        ("I want to keep a salary and not create a company", "test-activity"),
    ],
)
def test_what_the_person_asks_for_themselves_stays_a_need(
    kb: KnowledgeBase, text: str, need: str
) -> None:
    assert need in understand(text, kb).needs


@pytest.mark.parametrize(
    "text",
    [
        "je cherche un emploi de cariste, vous avez des offres ?",
        "I'm looking for a job in Toulouse",
    ],
)
def test_a_job_sought_for_oneself_is_no_project(kb: KnowledgeBase, text: str) -> None:
    said = understand(text, kb)
    assert not said.about_project and "emploi" not in said.terms, said


@pytest.mark.parametrize(
    "text",
    ["je cherche à embaucher deux personnes au chômage", "on cherche un emploi pour les jeunes"],
)
def test_jobs_sought_for_others_stay_a_need(kb: KnowledgeBase, text: str) -> None:
    assert "employment" in understand(text, kb).needs


@pytest.mark.parametrize(
    ("text", "actor"),
    [("la CRESS ça sert à quoi", "cress-mp"), ("COORACE", "coorace-mp"), ("l'URÉI", "urei-mp")],
)
def test_an_acronym_said_without_its_region(kb: KnowledgeBase, text: str, actor: str) -> None:
    assert understand(text, kb).named == (actor,)


def test_a_name_said_in_another_language_names_it_and_is_no_need(kb: KnowledgeBase) -> None:
    """« the regional co-op union » is URSCOP's name in English (``names``), not a wish to
    become a co-op."""
    said = understand("Could the regional co-op union advise our association?", kb)
    assert said.named == ("urscop",)
    assert "coop-status" not in said.needs


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("finnansol c'est quoi ?", "finansol"),
        ("la cres organise quoi ?", "cress-mp"),
        ("c koi le couac ?", "couac"),
    ],
)
def test_a_misspelt_or_lowercase_name_asked_about(kb: KnowledgeBase, text: str, actor: str) -> None:
    assert understand(text, kb).named == (actor,)


@pytest.mark.parametrize(
    "text", ["il y a eu un couac à la réunion", "je mange du cresson", "les idées folles"]
)
def test_ordinary_words_name_no_one(kb: KnowledgeBase, text: str) -> None:
    assert understand(text, kb).named == ()


@pytest.mark.parametrize(
    "text",
    [
        "on est une association de 20 salariés et on prépare la suite",
        "notre asso a deux salariées à Blagnac",
        "our association has 4 staff",
    ],
)
def test_a_structure_with_staff_already_exists(kb: KnowledgeBase, text: str) -> None:
    said = understand(text, kb)
    assert said.stage == "growing" and not said.stage_is_sure, said


@pytest.mark.parametrize(
    ("text", "employment"),
    [
        ("notre association va embaucher son premier salarié", False),
        ("we want to hire our first employee", False),
        ("une entreprise qui embaucherait des jeunes sans qualification", True),
        ("une boîte qui embauche des gens qui sortent de prison", True),
    ],
)
def test_hiring_is_the_employment_need_only_for_people_far_from_work(
    kb: KnowledgeBase, text: str, employment: bool
) -> None:
    assert ("employment" in understand(text, kb).needs) is employment


@pytest.mark.parametrize(
    "text", ["je veux embaucher 3 salariés dans ma future asso", "we want to hire two staff"]
)
def test_staff_to_be_hired_says_no_stage(kb: KnowledgeBase, text: str) -> None:
    assert understand(text, kb).stage is None


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("on voulait un local, enfin non, surtout un financement", ("funding",)),
        ("a loan... actually no, we need someone to guide us", ("advice",)),
        ("en fait on cherche un local et un financement", ("funding", "premises")),
    ],
)
def test_a_need_taken_back_is_dropped(kb: KnowledgeBase, text: str, needs: tuple[str]) -> None:
    assert understand(text, kb).needs == needs


def test_a_legal_form_taken_back(kb: KnowledgeBase) -> None:
    assert understand("une asso, enfin non une entreprise classique", kb).legal_form == "company"


@pytest.mark.parametrize(
    ("text", "premises"),
    [
        ("on a une salle de spectacle et on cherche d'autres lieux", False),
        ("we already have an office but need money", False),
        ("on a besoin d'un local", True),
        ("on n'a pas de local", True),
        ("on est une petite salle de concert associative", False),
    ],
)
def test_a_place_one_has_is_no_need(kb: KnowledgeBase, text: str, premises: bool) -> None:
    assert ("premises" in understand(text, kb).needs) is premises


def test_money_one_has_is_no_need(kb: KnowledgeBase) -> None:
    said = understand("je ne cherche pas d'argent, j'ai mes économies, aidez-moi", kb)
    assert said.needs == ("advice",) and "argent" not in said.terms


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("j'ai un rendez-vous chez le dentiste", False),  # an appointment one has
        ("on a déjà un accompagnement, il nous faut un local", False),
        ("j'aimerais un rendez-vous pour parler de mon projet", True),
        ("on n'a pas de conseiller, qui peut nous guider ?", True),
        ("je veux prendre rendez-vous chez un dentiste", False),  # at a trade the base ignores
        ("je voudrais un rendez-vous chez un conseiller pour mon projet", True),
        ("rdv chez le DLA svp", True),
        ("on veut faire une régie de quartier chez nous, des conseils ?", True),
    ],
)
def test_advice_one_has_is_no_need(kb: KnowledgeBase, text: str, advice: bool) -> None:
    assert ("advice" in understand(text, kb).needs) is advice


def test_a_councillor_asks_for_no_advice(kb: KnowledgeBase) -> None:
    assert "advice" not in understand("je suis conseillère municipale à Cugnaux", kb).needs


def test_a_shared_garden_asks_for_no_shares(kb: KnowledgeBase) -> None:
    assert "funding" not in understand("we want to make a shared garden", kb).needs


def test_the_bot_s_maker_is_no_project(kb: KnowledgeBase) -> None:
    assert not understand("qui t'a créé ?", kb).about_project
    assert understand("tu peux m'aider à créer ma boîte ?", kb).stage == "idea"


def test_an_amount_in_euros_asks_for_money(kb: KnowledgeBase) -> None:
    said = understand("on a besoin de 31 000 euros pour lancer notre épicerie", kb)
    assert "funding" in said.needs and said.commune is None


@pytest.mark.parametrize(
    "text", ["je sais pas quoi faire pour mon idée", "I don't know what to do with my idea"]
)
def test_not_knowing_what_to_do_is_no_refusal_of_the_idea(kb: KnowledgeBase, text: str) -> None:
    said = understand(text, kb)
    assert said.stage == "idea" and not said.empty


@pytest.mark.parametrize(
    ("text", "legal_form"),
    [
        ("Je suis salariée d'une asso et je voudrais créer mon activité de traiteur", None),
        ("je suis salarié de l'association, j'aimerais lancer ma propre activité", None),
        ("I'm an employee of a charity and I want to launch my own catering business", "company"),
        ("je suis salariée d'une asso qui va fermer, on ne peut plus payer", "association"),
        ("nous sommes une asso et on veut créer un café", "association"),
    ],
)
def test_the_persons_employer_is_not_their_structure(
    kb: KnowledgeBase, text: str, legal_form: str | None
) -> None:
    assert said(kb, text).legal_form == legal_form


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("nous sommes huit salariés associés dans une menuiserie de Balma", "scop"),
        ("on est 5 salaries-associes et le gerant part", "scop"),
        ("Our bakery is employee-owned and we need a new oven", "scop"),
        ("my mates and I want to open a brewery where we all own an equal share", "scop"),
        ("on reprend le garage à trois, à parts égales", "scop"),
        ("notre club de judo est déclaré en préfecture depuis 2015", "association"),
        ("on a mis nos statuts en préfecture en mai, on cherche des bénévoles", "association"),
        ("on les dépose en préfecture la semaine prochaine", "association"),
        ("je suis en micro depuis deux ans, je fais du jardinage", "sole-trader"),
    ],
)
def test_a_legal_form_said_by_what_it_implies(kb: KnowledgeBase, text: str, form: str) -> None:
    assert said(kb, text).legal_form == form


def test_statutes_filed_at_the_prefecture_are_no_errand_there(kb: KnowledgeBase) -> None:
    filed = said(kb, "Nos statuts sont déposés à la préfecture, on cherche des partenaires")
    assert filed.genre is None and filed.legal_form == "association" and filed.about_project
    to_file = said(kb, "Qui peut relire nos statuts avant qu'on les dépose en préfecture ?")
    assert to_file.genre is None and to_file.legal_form == "association"
    assert to_file.stage == "building" and to_file.about_project
    errand = said(kb, "je dois passer à la préfecture pour mon passeport")
    assert errand.genre == "public-service" and not errand.about_project


@pytest.mark.parametrize(
    ("text", "becoming"),
    [
        ("notre asso voudrait se transformer en SCIC", True),
        ("notre association deviendra peut-être une SCOP l'an prochain", True),
        ("my colleagues and I want to buy out our firm as a co-op", True),
        ("nous sommes une association, on nous a parlé de la fédération des SCOP", False),
        ("we are a charity; is the co-ops' network able to advise us?", False),
    ],
)
def test_a_cooperative_is_a_wish_only_when_said_as_what_one_becomes(
    kb: KnowledgeBase, text: str, becoming: bool
) -> None:
    assert ("coop-status" in said(kb, text).needs) is becoming, text


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("On veut monter une SCOP, la coordination des associations peut-elle aider ?", "scop"),
        ("We plan a worker co-op; is the associations' network for us?", "scop"),
        ("je donne des cours de couture aux associations du quartier", None),
    ],
)
def test_a_legal_form_said_of_many_others_is_not_the_persons(
    kb: KnowledgeBase, text: str, form: str | None
) -> None:
    assert said(kb, text).legal_form == form


@pytest.mark.parametrize(
    "text",
    [
        "notre café associatif n'a pas encore démarré, il nous faut un local",
        "la ressourcerie n'est pas encore lancée, on cherche des sous",
        "Our repair shop is not open yet and we need a space",
    ],
)
def test_not_started_yet_is_the_idea_stage_said_as_such(kb: KnowledgeBase, text: str) -> None:
    found = understand(text, kb)
    assert (found.stage, found.stage_is_sure) == ("idea", True), text


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("notre épicerie solidaire fonctionne depuis 2016 à Muret", "growing"),
        ("la recyclerie tourne depuis six ans, on voudrait un conseil", "growing"),
        ("We've been trading for eight years as a bakery", "growing"),
        ("notre asso est au bord du dépôt de bilan", "struggling"),
    ],
)
def test_a_structure_running_for_years_or_near_bankruptcy(
    kb: KnowledgeBase, text: str, stage: str
) -> None:
    assert said(kb, text).stage == stage, text


@pytest.mark.parametrize(
    "text",
    [
        "notre épicerie vrac : l'ouverture est prévue au printemps, il nous manque du matériel",
        "The café is due to open in March and we still need a loan",
    ],
)
def test_an_opening_ahead_is_a_project_being_built(kb: KnowledgeBase, text: str) -> None:
    assert said(kb, text).stage == "building", text


def test_what_a_structure_does_not_do_is_no_need(kb: KnowledgeBase) -> None:
    found = said(kb, "Notre SAS de 5 salariés ne fait pas d'insertion, on cherche un conseil")
    assert "employment" not in found.needs and "advice" in found.needs


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("c pas une asso c une scop de menuisiers, on cherche des conseils", "scop"),
        ("ce n'est pas une association c'est une SCIC qu'on monte", "scic"),
    ],
)
def test_a_form_said_after_a_denied_one_is_the_persons(
    kb: KnowledgeBase, text: str, form: str
) -> None:
    assert said(kb, text).legal_form == form, text


@pytest.mark.parametrize(
    "text",
    [
        "Notre SCIC existe depuis 2015, on voudrait ouvrir notre capital aux habitants",
        "Our co-op would like to open up our capital to local people",
    ],
)
def test_opening_ones_capital_is_funding_not_a_new_opening(kb: KnowledgeBase, text: str) -> None:
    found = said(kb, text)
    assert "funding" in found.needs and found.stage != "idea", text


@pytest.mark.parametrize(
    "text",
    [
        "qui peut nous aider à monter le plan de financement de notre projet ?",
        "we need help with the financing plan of our shop",
    ],
)
def test_a_financing_plan_asks_for_funding(kb: KnowledgeBase, text: str) -> None:
    assert "funding" in understand(text, kb).needs


def test_a_business_idea_where_nothing_exists_yet_is_the_idea_stage(kb: KnowledgeBase) -> None:
    said = understand("I have a business idea but nothing exists yet", kb)
    assert said.stage == "idea" and said.legal_form != "company", said


def test_a_stage_said_as_such_beats_a_verb_alone(kb: KnowledgeBase) -> None:
    found = understand("notre SCIC existe depuis 2019 mais nos fonds propres fondent", kb)
    assert (found.stage, found.needs) == ("growing", ("funding",))


def test_the_cooperative_they_will_call_is_not_theirs(kb: KnowledgeBase) -> None:
    found = understand("Merci, je vais appeler la coopérative. Qui prête aux assos ?", kb)
    assert (found.legal_form, found.needs) == (None, ("funding",)), found


@pytest.mark.parametrize(
    "text",
    [
        "On vient de créer une SCOP et on cherche un prêt pour les machines",
        "on a créé notre SCOP et on cherche un prêt pour les machines",
        "we just set up a co-op and need a loan for the machines",
    ],
)
def test_a_cooperative_just_created_is_what_they_are(kb: KnowledgeBase, text: str) -> None:
    found = understand(text, kb)
    assert (found.stage, found.legal_form) == ("launching", "scop"), found
    assert found.needs == ("funding",), found


def test_an_action_begun_is_no_structure_made(kb: KnowledgeBase) -> None:
    found = understand("j'ai commencé à faire des confitures, je voudrais en vivre", kb)
    assert found.stage != "launching", found


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("restauration collective", None),
        ("un potager collectif dans le quartier", None),
        ("on cherche un collectif de lieux culturels", "other"),
        ("we run a music festival collective", "other"),
    ],
)
def test_collective_after_a_french_noun_qualifies_it(
    kb: KnowledgeBase, text: str, form: str | None
) -> None:
    assert understand(text, kb).legal_form == form


@pytest.mark.parametrize(
    "text", ["ouvrir un café associatif", "slt jvx faire une asso de foot pr les jeunes"]
)
def test_a_plan_said_by_its_verb_alone_is_the_idea_stage(kb: KnowledgeBase, text: str) -> None:
    found = understand(text, kb)
    assert (found.stage, found.stage_is_sure, found.project) == ("idea", False, True), found


def test_a_plan_under_way_said_in_the_present_is_no_idea(kb: KnowledgeBase) -> None:
    found = understand("on lance notre scop de coursiers le mois prochain", kb)
    assert found.stage != "idea", found


@pytest.mark.parametrize(
    ("text", "now", "later_kept"),
    [
        ("asso, plus tard on deviendra une SCIC, là on cherche un local", "premises", False),
        ("notre asso cherche un financement, un jour on passera en scop", "funding", False),
        ("we need an office; later we may become a co-op", "premises", False),
        ("plus tard on deviendra une SCIC", "coop-status", True),  # the only need said
        ("notre asso deviendra une scic un jour, qui peut nous conseiller ?", "advice", True),
    ],
)
def test_a_need_said_for_later_gives_way_to_one_for_now(
    kb: KnowledgeBase, text: str, now: str, later_kept: bool
) -> None:
    needs = understand(text, kb).needs
    assert now in needs and ("coop-status" in needs) is later_kept, needs


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("ma couveuse à œufs ne chauffe plus", None),
        ("la pépinière à rosiers du village", None),
        ("une salle de sport associative", "premises"),
        ("on cherche une salle de réunion pour notre asso", "premises"),
        ("on cherche une salle des fêtes pour notre asso", "premises"),
        ("je cherche un bureau à louer pour mon activité", "premises"),
        ("une couveuse d'entreprises pour tester mon activité", "test-activity"),
    ],
)
def test_a_thing_made_another_by_its_complement_is_no_need(
    kb: KnowledgeBase, text: str, need: str | None
) -> None:
    needs = understand(text, kb).needs
    assert (need in needs) if need else not ({"premises", "test-activity"} & set(needs)), needs


def test_growing_something_is_no_chore(kb: KnowledgeBase) -> None:
    assert understand("je développe la vente de mes confitures", kb).stage == "growing"


@pytest.mark.parametrize(
    "text", ["I want to turn my hobby into a job", "je pourrais en faire un emploi ?"]
)
def test_a_living_made_of_ones_own_thing_is_no_need_of_employment(
    kb: KnowledgeBase, text: str
) -> None:
    found = understand(text, kb)
    assert found.project
    assert "employment" not in found.needs


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("on cherche un endroit pour se réunir avec les bénévoles", "premises"),
        ("il nous faut une salle de réunion une fois par mois", "premises"),
        ("we need a meeting room for our volunteers", "premises"),
        ("je cherche un endroit pour travailler au calme", "coworking"),
    ],
)
def test_a_place_to_meet_or_to_work_in_is_a_need(kb: KnowledgeBase, text: str, need: str) -> None:
    assert need in understand(text, kb).needs


@pytest.mark.parametrize(
    ("text", "savings"),
    [
        ("notre asso voudrait que des citoyens épargnants financent le projet", False),
        ("notre SAS cherche des investisseurs citoyens pour son capital", False),
        ("je suis épargnante et je veux placer mon argent utilement", True),
        ("je voudrais devenir investisseur citoyen", True),
    ],
)
def test_savers_sought_are_others_not_ones_own_savings(
    kb: KnowledgeBase, text: str, savings: bool
) -> None:
    assert ("savings" in understand(text, kb).needs) is savings


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Nous sommes une SAS d'insertion", "company"),
        ("notre SARL d'insertion cherche des fonds", "company"),
        ("je cherche une coopérative d'activités et d'emploi", None),
    ],
)
def test_a_form_named_inside_a_need_read_by_its_lemma_is_still_said(
    kb: KnowledgeBase, text: str, form: str | None
) -> None:
    found = understand(text, kb)
    assert found.legal_form == form
    assert ("employment" if form else "test-activity") in found.needs
