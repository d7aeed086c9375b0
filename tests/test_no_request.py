"""Texts that are no request for the writer's own project get nothing, whatever need words
they carry; a request said with the same words is still answered."""

from __future__ import annotations

import pytest
from support.bundled import KB, assert_no_request, recommended

from bot.core.understanding import ANNOUNCEMENT, understand


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


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        ("Les coopératives c'est l'avenir, les actionnaires c'est fini", "opinion"),
        ("À mon avis les associations devraient toutes devenir des SCIC", "opinion"),
        ("Do you agree that co-ops are the future of retail?", "opinion"),
        ("Juste par curiosité, une SCIC peut-elle avoir des salariés ?", "opinion"),
        ("Le Périscope ne m'a jamais rappelé, inadmissible", "complaint"),
        ("I want to complain: the co-op never replied to my emails", "complaint"),
        ("Je vous déconseille cette association, une honte", "complaint"),
        ("Je cherche un poste d'animateur dans une association, CV disponible", "own-job"),
        ("I'm looking for a job in a social enterprise near Toulouse", "own-job"),
        ("je voudrais devenir bénévole dans une épicerie solidaire", "own-job"),
        ("Is it possible to volunteer at a food bank on Saturdays?", "own-job"),
        ("Communiqué de presse : la CRESS publie son panorama annuel de l'ESS", "news"),
        ("Dear friend, I have 5 million dollars for your charity", "spam"),
        ("Exposé sur les mutuelles, vous pouvez me résumer leur histoire ?", "schoolwork"),
    ],
)
def test_an_opinion_a_complaint_a_job_or_volunteering_search_gets_nothing(
    text: str, genre: str
) -> None:
    assert_no_request(text, genre)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            "Les coopératives c'est l'avenir : avec mes collègues on veut créer la nôtre, "
            "qui peut nous aider ?",
            "urscop",
        ),
        ("je suis en CDI et je voudrais tester mon activité de traiteur à côté", "coop-action"),
        ("Our volunteers run a food bank in Toulouse and we need a loan for a van", "mp-actives"),
        ("je suis bénévole dans une asso qui va devoir fermer faute de sous", "mp-actives"),
        ("Everyone knows it is hard, but we want to set up a worker co-op in Blagnac", "urscop"),
        (
            "C'est honteux, la banque refuse notre prêt pour l'épicerie, qui peut nous financer ?",
            "mp-actives",
        ),
        (
            "Ça ne sert à rien de râler : notre troupe de théâtre associative cherche des sous",
            "mp-actives",
        ),
    ],
)
def test_the_same_words_in_a_request_are_answered(text: str, wanted: str) -> None:
    assert wanted in recommended(text)


def test_seeking_jobs_for_others_is_no_job_search() -> None:
    assert understand("on cherche un emploi pour les jeunes du quartier", KB).genre is None


@pytest.mark.parametrize(
    "text",
    [
        "Ma tante a toujours rêvé d'ouvrir une librairie, elle en parle à chaque Noël",
        "My daughter dreams of running her own bakery one day",
        "mon cousin veut monter une scop de pâtissiers lol",
        "Mon beau-frère a travaillé vingt ans dans une SCOP de maçonnerie",
    ],
)
def test_a_relatives_dream_or_story_told_is_no_request(text: str) -> None:
    assert understand(text, KB).genre == ANNOUNCEMENT
    assert recommended(text) == []


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Ma tante rêve d'ouvrir une librairie associative à Blagnac, qui peut l'accompagner ?",
         "toulouse-metropole"),
        ("mon cousin veut monter une SCOP de menuiserie avec ses collègues", "urscop"),
    ],
)  # fmt: skip
def test_a_relatives_plan_or_a_request_for_them_is_answered(text: str, wanted: str) -> None:
    assert wanted in recommended(text)


@pytest.mark.parametrize(
    "text",
    [
        "Je recherche un emploi dans une épicerie solidaire à Toulouse",
        "je cherche un job dans une ressourcerie près de Blagnac",
        "I'm looking for a job at a cooperative bakery",
        "Au chômage, je cherche un travail dans le social",
    ],
)
def test_a_job_sought_for_oneself_is_no_request(text: str) -> None:
    assert understand(text, KB).genre == "own-job"
    assert recommended(text) == []


def test_a_job_sought_beside_a_plan_of_ones_own_is_answered() -> None:
    text = "je cherche un emploi mais j'aimerais plutôt créer ma boîte en coopérative"
    assert recommended(text)


@pytest.mark.parametrize(
    ("text", "genre"),
    [
        ("Est-il vrai que les SCOP ne paient pas d'impôt sur les sociétés ?", "opinion"),
        ("Is it true that Ben & Jerry's is a social enterprise?", "opinion"),
        ("J'ai lu quelque part que la Camif est devenue une entreprise à mission", "opinion"),
        ("Je fais mes courses à l'épicerie coopérative du quartier, les prix sont corrects",
         "consumer"),
        ("Where I shop the staff own the store, so is that a co-op?", "consumer"),
    ],
)  # fmt: skip
def test_hearsay_and_a_customers_remark_get_nothing(text: str, genre: str) -> None:
    found = understand(text, KB)
    assert found.genre == genre and recommended(text) == []


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Est-il vrai que les SCOP paient moins d'impôts ? on veut transformer notre SARL en SCOP",
         "urscop"),
        ("je voudrais ouvrir une épicerie coopérative où les habitants feraient leurs courses",
         "coop-action"),
    ],
)  # fmt: skip
def test_hearsay_or_shopping_words_in_a_plan_are_answered(text: str, wanted: str) -> None:
    assert wanted in recommended(text)


@pytest.mark.parametrize(
    "text",
    [
        "Association de 3 salariés en difficulté, un CDI à financer",
        "Asso de quartier à Toulouse, on voudrait accueillir un service civique, il faut des sous",
    ],
)
def test_a_contract_word_in_a_structures_request_is_no_job_search(text: str) -> None:
    assert understand(text, KB).genre is None
    assert recommended(text)


@pytest.mark.parametrize(
    "text",
    [
        "Cher ami, notre association cherche un local à Toulouse pour ses ateliers",
        "Dear friend, our charity in Toulouse needs a loan to buy a van",
    ],
)
def test_a_letters_greeting_is_no_spam(text: str) -> None:
    assert recommended(text)


def test_abbreviations_and_fractions_are_no_web_address() -> None:
    found = understand("on est une S.A.R.L/SCOP notée 4.5/5, on cherche un prêt", KB)
    assert found.legal_form is not None and "funding" in found.needs


@pytest.mark.parametrize(
    "text",
    [
        "mon frère est comptable dans une SCIC de transport depuis 2019",
        "La coopérative de ma compagne vend du pain bio au marché le samedi",
        "My dad chairs a housing association in Muret",
        "l'association de ma voisine organise un vide-grenier le mois prochain",
    ],
)
def test_a_relatives_job_or_association_told_is_no_request(text: str) -> None:
    assert understand(text, KB).genre == ANNOUNCEMENT
    assert recommended(text) == []


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("mon frère est comptable dans une SCIC et voudrait en créer une pour le vélo", "urscop"),
        ("My dad's association in Toulouse can no longer pay its three employees", "dla-31"),
        ("ma compagne, projet de traiteur solidaire testé en coopérative", "coop-action"),
    ],
)
def test_a_relatives_wish_trouble_or_project_is_answered(text: str, wanted: str) -> None:
    assert wanted in recommended(text)


@pytest.mark.parametrize(
    "text",
    [
        "Combien d'emplois dans les coopératives d'Occitanie ?",
        "il y a combien d'assos employeuses en Haute-Garonne ?",
        "What percentage of French workers are employed by charities?",
        "Les régies de quartier ne servent à rien, c'est du saupoudrage",
        "Co-ops are useless, everybody knows the market decides",
    ],
)
def test_a_statistic_or_a_verdict_on_structures_gets_nothing(text: str) -> None:
    found = understand(text, KB)
    assert found.genre == "opinion" and recommended(text) == []


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Il y a combien de SCOP en France ? on voudrait transformer notre SARL en SCOP", "urscop"),
        ("Everyone knows banks won't lend to us: our charity needs a loan for a van", "mp-actives"),
    ],
)
def test_a_statistic_or_a_verdict_beside_a_plan_is_answered(text: str, wanted: str) -> None:
    assert wanted in recommended(text)


@pytest.mark.parametrize(
    "text",
    [
        "une devinette : quelle asso n'a jamais de réunion ? 😂",
        "c'est l'histoire d'une SCOP qui voulait un patron...",
        "Quand j'étais petite ma mère m'emmenait à la coopérative du village",
        "Knock knock! Who's there? The social economy",
        "Saw a documentary about worker co-ops in Spain last night, amazing",
    ],
)
def test_a_joke_a_memory_or_a_programme_is_small_talk(text: str) -> None:
    found = understand(text, KB)
    assert found.genre == "small-talk" and recommended(text) == []


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Quand j'étais jeune j'ai connu les régies de quartier, avec des voisins on veut en "
         "créer une dans notre cité", "cnlrq"),
        ("Watched a documentary on co-ops: my colleagues and I want to buy out our company "
         "as a cooperative", "urscop"),
    ],
)  # fmt: skip
def test_a_memory_or_a_programme_before_a_plan_is_answered(text: str, wanted: str) -> None:
    assert wanted in recommended(text)


@pytest.mark.parametrize(
    "text",
    [
        "I was invited to the ESS fair at the town hall, might go",
        "Got invited to a social enterprise's open day next Sunday in Blagnac",
    ],
)
def test_an_invitation_received_gets_nothing(text: str) -> None:
    assert understand(text, KB).genre == "public-notice" and recommended(text) == []


def test_an_invitation_received_beside_a_plan_is_answered() -> None:
    text = "I was invited to a co-op's open day and now we want to start our own cooperative"
    assert "urscop" in recommended(text)


@pytest.mark.parametrize(
    "text",
    [
        "Merci beaucoup, je vais les contacter demain matin",
        "merci je les appelle cet après-midi, bonne journée",
        "Thank you, I'll get in touch with the cooperative next week",
    ],
)
def test_thanks_with_a_plan_to_call_gets_nothing(text: str) -> None:
    assert understand(text, KB).genre == "follow-up" and recommended(text) == []


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("Merci, je vais les appeler. Et pour financer les travaux du local, qui prête ?",
         "mp-actives"),
        ("Thanks, I'll call them. What about a loan for the solidarity grocery we run?",
         "mp-actives"),
    ],
)  # fmt: skip
def test_thanks_with_a_plan_to_call_and_a_question_is_answered(text: str, wanted: str) -> None:
    assert understand(text, KB).genre is None
    assert wanted in recommended(text)


@pytest.mark.parametrize(
    "text",
    [
        "Au repas de famille on a parlé des mutuelles et des assurances toute la soirée",
        "Une SCIC peut-elle verser des dividendes ? C'est une question en général",
        "We talked about worker co-ops at the pub, fascinating stuff",
        "My local bakery is a co-op now and I love it",
    ],
)
def test_talk_had_a_general_question_or_a_liking_is_curiosity(text: str) -> None:
    found = understand(text, KB)
    assert found.genre == "opinion" and recommended(text) == []


def test_talk_had_before_a_plan_is_answered() -> None:
    text = "On a parlé des SCIC avec des amis et on veut en créer une pour la cantine du village"
    assert "urscop" in recommended(text)


def test_a_complaint_about_a_households_loan_asks_nothing() -> None:
    assert recommended("c'est honteux, la banque refuse de nous financer la voiture") == []
