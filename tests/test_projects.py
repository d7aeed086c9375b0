"""A project said by its activity alone gets an answer; an activity somebody else runs does not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.bundled import KB

from bot.core.language import tokens
from bot.core.matching import Profile, recommend
from bot.core.projects import hires
from bot.core.reading.words import FIRST_PERSON
from bot.core.understanding import understand
from bot.core.vocabulary import vocabulary
from tests.test_language import OFF_TOPIC_WORDS


@pytest.mark.parametrize(
    "text",
    [
        "je monte une ferme en permaculture vers Cazères",  # a verb the lemmatiser misses
        "on ouvre une recyclerie a carbonne avec des copains",
        "Nous voulons créer une AMAP à Rieumes",
        "on aimerait lancer un tiers-lieu dans l'ancienne gare",
        "Nous lançons une plateforme de covoiturage solidaire",
        "on réfléchit à une ressourcerie pour le canton",
        "ma boîte de nettoyage, je la crée cette année",  # the object said before
        "on veut faire un habitat partagé",  # a wished « faire » of a social activity
        "mon fils veut ouvrir un garage solidaire",  # a project of theirs
        "Castanet-Tolosan : ma future boutique de vrac",
        "notre idée c'est un magasin de producteurs",
        "épicerie solidaire Saint-Gaudens",  # a label: no verb, a social-economy activity
        "solidarity grocery in Saint-Gaudens",
        "I'm starting a permaculture farm near Cazères",
        "My wife and I want to open an organic bakery in Ramonville",  # somewhere
        "ouvrir une épicerie à Muret",  # the writer's, said as a headline
        "notre ressourcerie",  # theirs: a possessive before a thing the thesaurus groups
        "ma ferme bio",
        "atelier vélo participatif",  # a label of three words, its social word a kind
        "a repair café for the neighbourhood",  # two things the thesaurus groups, one phrase
        "une épicerie à la ferme",
    ],
)
def test_a_project_said_by_its_activity_is_a_project(text: str) -> None:
    assert understand(text, KB).project
    assert recommend(KB, Profile(text=text)).recommendations


@pytest.mark.parametrize(
    "text",
    [
        "L'épicerie solidaire de Saint-Gaudens est ouverte du mardi au samedi",  # not theirs
        "ils ouvrent une épicerie en face de chez moi",  # somebody else's plan
        "la boulangerie a ouvert en 2010",  # made long ago
        "on a créé un groupe WhatsApp",  # made already, not a new project
        "je ne veux pas créer une entreprise",  # denied
        "je veux faire une tarte aux pommes",  # a wished « faire » of no social activity
        "je voudrais créer un compte sur votre site",  # a personal file
        "je vais ouvrir une bouteille de vin",  # no activity: not somewhere, not one of the base
        "on monte un meuble ce week-end",
        "nous ouvrons une enquête",
        "we're planning a trip",
        "la boulangerie",  # an activity noun alone
        "Farm eggs for sale, 3 euros a dozen",
        "Our bakery is closed for the holidays until Monday",
        "ma maison",  # theirs, but nothing the thesaurus groups
        "appartement partagé à louer",  # its social word a state: a participle
        "le bureau de la mairie",  # a given one
        "une épicerie la ferme",  # two things listed, no phrase
        "Bravo pour votre travail, vous faites vivre l'économie solidaire !",  # a sentence
    ],
)
def test_an_activity_that_is_not_a_plan_of_theirs_is_no_project(text: str) -> None:
    assert not understand(text, KB).project


ACTIVITY_NOUNS = [
    "la boulangerie", "une épicerie", "la ferme", "le café", "une crèche", "le garage",
    "un atelier", "la menuiserie", "des légumes", "le restaurant", "la librairie",
    "the bakery", "a farm", "the shop", "a café", "the garden", "a nursery", "le magasin bio",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(ACTIVITY_NOUNS + OFF_TOPIC_WORDS), min_size=1, max_size=4),
       noise=st.text(alphabet=st.characters(categories=["Nd", "P", "Zs"]), max_size=8))  # fmt: skip
def test_activity_nouns_and_chatter_never_yield_a_recommendation(
    words: list[str], noise: str
) -> None:
    assert recommend(KB, Profile(text=" ".join(words) + noise)).recommendations == ()


@pytest.mark.parametrize(
    "text",
    [
        "quelles sont les infos du jour ?",
        "des infos sur la météo de demain",
        "help with the dishes",
    ],
)
def test_a_need_about_things_the_base_never_speaks_of_is_no_need(text: str) -> None:
    assert understand(text, KB).needs == ()
    assert recommend(KB, Profile(text=text)).recommendations == ()


NEED_WORDS = ["des infos", "les infos", "de l'aide", "des conseils", "info", "help", "advice"]
ORDINARY_THINGS = [
    "du jour", "sur la météo", "pour la vaisselle", "le bus de demain", "la télé", "du foot",
    "the dishes", "the weather", "tonight's game", "my homework",
]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(need=st.sampled_from(NEED_WORDS),
       things=st.lists(st.sampled_from(ORDINARY_THINGS), min_size=1, max_size=2))  # fmt: skip
def test_a_need_word_about_ordinary_things_never_yields_a_recommendation(
    need: str, things: list[str]
) -> None:
    assert recommend(KB, Profile(text=" ".join([need, *things]))).recommendations == ()


@pytest.mark.parametrize(
    "text",
    [
        "besoin d'infos", "des infos svp", "qqn pr m'aider svp", "need help",
        "salut c'est pour un crowdfunding solidaire",  # a greeting bears on nothing
        "des conseils pour une épicerie solidaire",
        "aide pour un garage solidaire",  # help asked for something
        "help with a community garden",
        "des conseils pour une savonnerie artisanale",  # a new thing: theirs maybe
        "help with a bakery",
    ],
)  # fmt: skip
def test_a_bare_need_or_one_about_the_base_is_still_a_need(text: str) -> None:
    assert understand(text, KB).needs
    assert recommend(KB, Profile(text=text)).recommendations


@pytest.mark.parametrize(
    "text",
    [
        "Je souhaite créer une ludothèque qui se déplacerait de village en village",  # theirs
        "créer une marque de vêtements",  # a headline of the writer's
        "je veux créer",  # a plan not said yet
        "mon mari veut monter un gîte à la campagne",  # a relative's plan, told for them
    ],
)
def test_a_making_verb_of_the_writer_is_still_a_stage(text: str) -> None:
    assert understand(text, KB).stage == "idea"
    assert recommend(KB, Profile(text=text)).recommendations


@pytest.mark.parametrize(
    "text", ["je veux entreprendre", "je veux être mon propre patron", "entreprendre autrement"]
)
def test_wishing_to_be_ones_own_boss_is_an_idea(text: str) -> None:
    assert understand(text, KB).stage == "idea"
    assert recommend(KB, Profile(text=text)).recommendations


ERRANDS = [
    "je veux créer un compte", "créer mon profil sur l'appli", "on voudrait ouvrir un dossier",
    "I want to open an account", "comment je crée mon compte", "open a new profile",
    "je lance un dé", "créer une playlist de musique", "comment créer un mot de passe",
    "I'm starting a new diet",
]  # fmt: skip


@pytest.mark.parametrize("text", ["je veux créer un compte sur ton appli", *ERRANDS])
def test_making_a_personal_file_says_no_stage_and_no_project(text: str) -> None:
    inference = understand(text, KB)
    assert inference.stage is None
    assert not inference.about_project


@pytest.mark.parametrize(
    "text", ["je veux créer une appli solidaire", "je veux créer une appli pour les sans-abri"]
)
def test_an_app_made_is_no_errand(text: str) -> None:
    assert understand(text, KB).stage == "idea"
    assert recommend(KB, Profile(text=text)).recommendations


def test_a_plan_beside_a_personal_file_is_still_read() -> None:
    inference = understand("je veux créer un compte et on voudrait ouvrir une ressourcerie", KB)
    assert inference.stage == "idea"
    assert inference.project


@settings(max_examples=200, deadline=None)
@given(errand=st.sampled_from(ERRANDS),
       words=st.lists(st.sampled_from(OFF_TOPIC_WORDS), max_size=3))  # fmt: skip
def test_a_personal_file_amid_chatter_never_yields_a_recommendation(
    errand: str, words: list[str]
) -> None:
    assert recommend(KB, Profile(text=" ".join([errand, *words]))).recommendations == ()


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("cagnotte en ligne pour mon projet", {"ies", "mp-actives", "finansol"}),
        ("salut c'est pour un crowdfunding solidaire", {"ies", "mp-actives", "finansol"}),
        (
            "Je suis artisan menuisier à Revel, je veux transmettre mon atelier à mes apprentis",
            {"urscop"},
        ),
    ],
)
def test_funding_and_passing_on_said_in_other_words(text: str, first: set[str]) -> None:
    result = recommend(KB, Profile(text=text))
    assert result.recommendations[0].actor.id in first


def test_an_inheritance_or_an_apprentice_alone_is_no_passing_on() -> None:
    for text in ("la succession de mon grand-père", "mon apprenti est malade"):
        assert not recommend(KB, Profile(text=text)).recommendations


def _first_and_reasons(text: str) -> tuple[str, set[str]]:
    first = recommend(KB, Profile(text=text)).recommendations[0]
    return first.actor.id, {r.key for r in first.reasons}


@pytest.mark.parametrize(
    "text",
    [
        "épicerie solidaire Saint-Gaudens",
        "accompagnement à la création d'entreprise à Saint-Gaudens",
        "I'm starting a permaculture farm near Cazères",
        "je monte une ferme en permaculture près d'Auch",  # a town elsewhere in the region
        "Je voudrais créer une micro-crèche à Fronton",  # words closest to a CAE of Toulouse
        "How do I get started with a social enterprise in Luchon?",
    ],
)
def test_where_no_adviser_covers_the_person_the_networks_stand_in_and_say_why(text: str) -> None:
    result = recommend(KB, Profile(text=text))
    first = result.recommendations[0]
    assert first.actor.id in {"adepes", "mouves"}  # the solidarity economy, social entrepreneurs
    assert "reason.no_adviser_here" in {r.key for r in first.reasons}
    assert {r.actor.id for r in result.recommendations[:3]}.isdisjoint({"urei-mp", "urscop"})


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("épicerie solidaire à Toulouse", "toulouse-metropole"),  # a local reception desk
        ("J'ouvre une friperie solidaire à Colomiers", "la-mijoteuse"),
        ("Une épicerie solidaire à Muret : il nous faut un prêt", "mp-actives"),  # a need said
        ("je pars à la retraite, mes salariés voudraient garder mon garage à Fonsorbes", "urscop"),
    ],
)
def test_the_networks_do_not_stand_in_where_an_adviser_a_need_or_the_words_decide(
    text: str, first: str
) -> None:
    actor, reasons = _first_and_reasons(text)
    assert actor == first
    assert "reason.no_adviser_here" not in reasons


def test_an_association_far_from_advisers_gets_the_associations_network() -> None:
    actor, reasons = _first_and_reasons("asso de chant choral à Bouloc, on se sent un peu seuls")
    assert actor == "cpca-mp"
    assert "reason.no_adviser_here" in reasons


def test_an_association_said_as_ones_project_is_at_its_start() -> None:
    actor, reasons = _first_and_reasons("projet de café associatif à Blagnac, par où commencer ?")
    assert (actor, "reason.reception" in reasons) == ("toulouse-metropole", True)
    running = "notre association existe depuis dix ans à Blagnac, on a besoin de conseils"
    assert _first_and_reasons(running)[0] != "toulouse-metropole"


OPINIONS = [
    "les coopératives c'est nul", "je trouve que les SCOP c'est une belle idée",
    "franchement les associations c'est super", "je pense que l'ESS c'est l'avenir",
]  # fmt: skip


ASKING = ("?", "what", "who", "quel")
IMPERSONAL_CHATTER = [
    w
    for w in OFF_TOPIC_WORDS
    if FIRST_PERSON.isdisjoint(w.lower().replace("'", " ").split())
    and not any(q in w.lower() for q in ASKING)
]  # « ma voiture », « what's your name »: of the writer, or asked: a request may follow


@settings(max_examples=150, deadline=None)
@given(opinion=st.sampled_from(OPINIONS),
       words=st.lists(st.sampled_from(IMPERSONAL_CHATTER), max_size=3))  # fmt: skip
def test_an_opinion_given_amid_chatter_never_yields_a_recommendation(
    opinion: str, words: list[str]
) -> None:
    text = " ".join([opinion, *words])
    assert recommend(KB, Profile(text=text)).recommendations == ()


@pytest.mark.parametrize(
    "text",
    [
        "les scop c'est bien, j'aimerais en créer une",
        "les banques c'est nul, il me faut un prêt pour mon asso",
        "les coopératives c'est bien ? on voudrait devenir une scop",
        "les assos c'est galère pour trouver des sous",
        "les banques c'est nul pour les assos, faut un prêt solidaire",
    ],
)
def test_an_opinion_beside_a_plan_or_a_need_is_still_a_request(text: str) -> None:
    assert recommend(KB, Profile(text=text)).recommendations


def test_a_verb_read_with_its_particle_is_not_its_bare_form() -> None:
    assert not recommend(KB, Profile(text="my car broke down on the motorway")).recommendations
    assert understand("our non profit is broke", KB).stage == "struggling"


CHORES = ["il faut encore préparer le repas", "je vais lancer la machine", "on prépare le goûter"]


@settings(max_examples=150, deadline=None)
@given(chore=st.sampled_from(CHORES),
       words=st.lists(st.sampled_from(IMPERSONAL_CHATTER), max_size=3))  # fmt: skip
def test_a_chore_amid_chatter_never_yields_a_recommendation(chore: str, words: list[str]) -> None:
    assert recommend(KB, Profile(text=" ".join([chore, *words]))).recommendations == ()


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("on prépare le lancement de notre scop", "launching"),
        ("je prépare le business plan de ma ressourcerie", "building"),
        ("on prépare notre dossier pour ouvrir une épicerie solidaire", "building"),
    ],
)
def test_a_stage_of_the_project_is_no_chore(text: str, stage: str) -> None:
    assert understand(text, KB).stage == stage


TOLD = [
    "mon chien monte la garde devant la porte", "Mon mari a repeint la cuisine ce week-end",
    "je n'arrive plus à aider mon fils pour ses devoirs de maths",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(told=st.sampled_from(TOLD),
       words=st.lists(st.sampled_from(IMPERSONAL_CHATTER), max_size=3))  # fmt: skip
def test_a_story_that_asks_nothing_never_yields_a_recommendation(
    told: str, words: list[str]
) -> None:
    assert recommend(KB, Profile(text=" ".join([told, *words]))).recommendations == ()


@pytest.mark.parametrize(
    "text",
    [
        "Je me verrais bien vendre de la soupe maison dans un petit camion sur les marchés",
        "market garden to employ people out of work for a long time",
        "avec les habitants on voudrait s'occuper nous-mêmes de l'entretien du quartier",
        "mon chien est malade, qui peut aider notre refuge associatif ?",
        "on est trois habitants, l'entretien de la cité est une catastrophe",  # strongly near
    ],
)
def test_words_near_an_actor_s_that_ask_or_wish_are_a_request(text: str) -> None:
    assert recommend(KB, Profile(text=text)).recommendations


@pytest.mark.parametrize(
    "text",
    [
        "mon beau-frère a repris le bar-tabac du village",  # somebody of theirs did it
        "my sister started a book club with her friends",
        "il a lancé sa scop",
        "the dishwasher is leaking again, any idea why?",  # an idea asked, nobody's own
        "t'as une idée de cadeau pour ma mère ?",  # an idea asked of the addressee
    ],
)
def test_a_thing_done_by_others_or_an_idea_asked_is_no_stage(text: str) -> None:
    assert understand(text, KB).stage is None
    assert recommend(KB, Profile(text=text)).recommendations == ()


@pytest.mark.parametrize(
    "text",
    [
        "on a repris le bar-tabac du village",  # the person did it
        "ma fille a repris la boulangerie du village et cherche un financement",  # asked
        "j'ai une idée de ressourcerie",
        "j'ai une idée de tiers-lieu, vous pouvez m'aider ?",
    ],
)
def test_a_thing_done_by_the_person_or_asked_for_keeps_its_stage(text: str) -> None:
    assert understand(text, KB).stage is not None


@pytest.mark.parametrize(
    ("text", "needs"),
    [
        ("my brother just got promoted at his bank, we're so proud", ()),  # his, only told
        ("leur asso cherche un local", ("premises",)),  # sought: a need still
        ("ma fille a besoin de sous pour son asso", ("funding",)),
    ],
)
def test_a_need_of_somebody_elses_thing_only_told_is_no_need(
    text: str, needs: tuple[str, ...]
) -> None:
    assert understand(text, KB).needs == needs


@pytest.mark.parametrize(
    "text",
    [
        "on est 3 voisins, on veut réparer des vélos pour les gens du quartier",
        "me and two neighbours want to fix bikes for people on our street",
        "nous voudrions cuisiner pour les personnes en difficulté",
    ],
)
def test_a_wish_to_serve_people_around_is_a_project(text: str) -> None:
    assert understand(text, KB).project
    assert recommend(KB, Profile(text=text)).recommendations


@pytest.mark.parametrize(
    "text",
    [
        "je veux acheter un cadeau pour les enfants",  # no people said by where or who
        "je voudrais faire un gâteau pour les enfants de ma sœur",  # somebody's own
        "il veut réparer des vélos pour les gens du quartier",  # somebody else's wish
        "on ne veut pas réparer des vélos pour les gens du quartier",
    ],
)
def test_a_thing_for_somebody_s_own_or_wished_by_others_is_no_public_served(text: str) -> None:
    assert not understand(text, KB).project
    assert not recommend(KB, Profile(text=text)).recommendations


@pytest.mark.parametrize(
    "text",
    [
        "Bonjour, j'ai un projet",
        "HELP projet ESS",
        "the project of my daughter",
        "des projets plein la tête",
    ],
)
def test_a_project_word_of_somebody_s_is_a_project(text: str) -> None:
    assert understand(text, KB).project


@pytest.mark.parametrize(
    "text",
    [
        "le projet de loi sur les retraites passe à l'Assemblée mardi",  # given, nobody's
        "the project was cancelled by the council",
    ],
)
def test_a_given_project_nobody_holds_is_no_project(text: str) -> None:
    assert not understand(text, KB).project
    assert not recommend(KB, Profile(text=text)).recommendations


@pytest.mark.parametrize(
    ("text", "lang", "hiring"),
    [
        ("on va embaucher notre première salariée", "fr", True),
        ("nous cherchons à recruter un animateur", "fr", True),
        ("we're about to hire our first employee", "en", True),
        ("on m'a recrutée il y a un mois", "fr", False),
        ("j'ai été embauchée en CDI", "fr", False),
        ("I got hired last week", "en", False),
        ("a thesis on hiring", "en", False),
        ("merci je les appelle recrute", "fr", False),
    ],
)
def test_the_person_hiring_speaks_as_an_employer(text: str, lang: str, hiring: bool) -> None:
    assert hires(tokens(text, lang, vocabulary(KB).lexicon), lang) is hiring
