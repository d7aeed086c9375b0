"""Place grammar: departments by name or number, a name alone in its clause, long names
elsewhere, big cities, people's first names — and ordinary words that stay no place."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.bundled import KB, place

from bot.config import REPO_KNOWLEDGE
from bot.core.matching import Profile, recommend
from bot.core.understanding import understand


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("on est ds le 82, petite asso", "82"),
        ("je suis du 09 et je veux tester mon activité", "09"),
        ("département 81, asso culturelle", "81"),
        ("hello, we're in the Tarn and run a theatre company", "81"),
        ("dans les Hautes-Pyrénées : projet de recyclerie", "65"),
        ("Tarn-et-Garonne, mutuelle de santé", "82"),
        ("dans l'Aude, une SCIC d'énergie", "11"),
        ("Je suis dans le Lot", "46"),
        ("Gers, asso employeuse", "32"),
        ("Notre association du Gers a quatre salariés", "32"),
    ],
)
def test_departments_by_name_or_number(text: str, department: str) -> None:
    assert place(text) == (None, department)


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("Lourdes. L'hôtel où on travaille va fermer", "65"),
        ("Castres : foyer d'hébergement", "81"),
        ("Rodez : notre régie de quartier", "12"),
        ("Fos-sur-Mer : asso d'insertion", "13"),
        ("Lège-Cap-Ferret, on cherche un local", "33"),
        ("on est a paris dans le 20e", "75"),
        ("cc je suis a marseille", "13"),
        ("J'habite à Tours", "37"),
    ],
)
def test_towns_elsewhere_alone_in_their_clause_long_or_big(text: str, department: str) -> None:
    assert place(text) == (None, department)


@pytest.mark.parametrize(
    ("text", "insee"),
    [
        ("Je suis en Haute-Garonne, à Villemur-sur-Tarn", "31584"),
        ("Mirepoix-sur-Tarn : asso d'insertion", "31346"),
        ("avec la mairie de ramonville", "31446"),
        ("J'habite Lherm, près de Muret", "31299"),
        ("Bonjour, moi c'est Valentine ! Une recyclerie à Saint-Jean", "31488"),
        ("on est dans le 31 à Blagnac", "31069"),
        ("On prépare le plan de financement, à Baziège", "31048"),
    ],
)
def test_communes_here_named_like_places_elsewhere(text: str, insee: str) -> None:
    assert place(text) == (insee, None)


@pytest.mark.parametrize(
    "text",
    [
        "rendez-vous le 12 mars à la mairie",
        "je suis dans le lot de tête",
        "dans la manche de ma veste",
        "un local pas cher",
        "Somme toute, on veut un local",
        "on fait des tours de magie",
        "des chaussures lourdes",
        "j'ai mangé une orange",
        "Bonjour, moi c'est Valentine",
        "je m'appelle Valentine",
        "Merci. Bonne journée",
        "Never got an answer from anyone about my coop",
        "never heard back, we want to start a charity",
    ],
)
def test_ordinary_words_and_first_names_are_no_place(text: str) -> None:
    assert place(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Je vis à Bruxelles et je voudrais créer une coopérative", "BE"),
        ("En Belgique on a une asso d'insertion", "BE"),
        ("Mon projet est au Maroc : une coopérative de femmes", "MA"),
        ("je suis a Barcelone et je cherche un financement", "ES"),
        ("Londres : une entreprise sociale de livraison à vélo", "GB"),
        ("I live in Brussels and want to start a social enterprise", "BE"),
        ("We live in Andorra and want to set up a cooperative", "AD"),
        ("aux États-Unis, une fondation", "US"),
        ("I'm in Montreal, is there any help for a coop?", "CA"),  # not the Aude's village
        ("Je suis à Milan et je voudrais créer une coopérative", "IT"),  # a word (a kite) too
        ("Porto : on lance une asso de recyclage", "PT"),
        ("on habite Rabat, projet de coopérative", "MA"),
        ("étudiante à Liège avec un projet d'épicerie", "BE"),
        ("We run a social enterprise in New York", "US"),  # New York City, not York
        ("Mon frère est au Caire et veut monter une association", "EG"),  # not the village (04)
        ("je vis en Écosse et je voudrais créer une entreprise sociale", "GB"),
        ("au Pays de Galles, une coopérative de laine", "GB"),
        ("we're a charity in Wales", "GB"),
        ("à Andorre-la-Vieille, projet de coopérative", "AD"),  # no Vieille-Toulouse
        ("je vis à Malte et je veux créer une asso", "MT"),
    ],
)
def test_places_abroad_by_city_or_country(text: str, country: str) -> None:
    assert place(text) == (None, country)


@pytest.mark.parametrize(
    "text",
    [
        "une ferme pédagogique dans la tête depuis un moment",  # Tete, a city of Mozambique
        "je suis mobile sur tout le département",
    ],
)
def test_a_foreign_city_named_by_a_french_word_is_no_place(text: str) -> None:
    assert place(text) == (None, None)


def test_where_the_person_comes_from_yields_to_where_they_are() -> None:
    assert place("I just moved to Toulouse from Manchester") == ("31555", None)
    assert place("I just moved here from Manchester") == (None, "GB")


@pytest.mark.parametrize(
    "text",
    [
        "je bois du porto le soir",  # a city's name only capitalised after a place word
        "l'asso de Charlotte cherche des bénévoles",  # « de » before a first name
        "une ferme pédagogique en liège",
    ],
)
def test_a_foreign_city_named_like_a_word_needs_a_capital_and_a_place_word(text: str) -> None:
    assert place(text) == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nice work on this bot, we'd like to open a repair café in Colomiers", ("31149", None)),
        ("Mars bars aside, my friends and I want to start a food co-op", (None, None)),
        ("Gap between two jobs: I'd like to test my catering business", (None, None)),
        ("Nice : notre association cherche un local", (None, "06")),
        ("Nice, we're a small charity looking for a loan", (None, "06")),
    ],
)
def test_an_english_word_opening_an_english_message_is_no_town(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


def test_a_name_opening_the_message_and_an_article_held_by_aux() -> None:
    assert place("castanet : des conseils pour ma micro entreprise") == ("31113", None)
    assert place("rennes, je cherche un accompagnement") == (None, "35")  # a main town
    assert place("porto, on lance une asso") == (None, None)  # a word: capitalised only
    assert place("Je vis aux Sables-d'Olonne, on monte une régie") == (None, "85")


def test_villages_of_several_far_departments_need_the_department() -> None:
    assert place("J'habite à Saint-Clément et je veux monter une asso") == (None, None)
    assert place("à Saint-Cyprien dans les Pyrénées-Orientales, une asso") == (None, "66")
    assert place("On habite à Lavaur, projet d'insertion") == (None, "81")  # the one nearby


def test_a_national_network_far_away_only_for_its_own_work() -> None:
    for text, expected in (
        ("Je vis aux Sables-d'Olonne et on monte une régie de quartier", ["cnlrq"]),
        ("Marseille : notre association cherche des financements", []),
        ("Le Mans : une entreprise d'insertion qui cherche du réseau", []),
    ):
        found = recommend(KB, Profile(text=text), 3)
        assert found.outside_area is not None and not found.outside_area.in_region, text
        assert [r.actor.id for r in found.recommendations] == expected, text


def test_nothing_is_recommended_abroad_not_even_a_national_network() -> None:
    for text in (
        "À Madrid, on veut monter une régie de quartier",
        "À Lille, on veut monter une régie de quartier",
    ):
        found = recommend(KB, Profile(text=text), 3)
        assert found.outside_area is not None
        national = {"cnlrq"} & {r.actor.id for r in found.recommendations}
        assert bool(national) == (not found.outside_area.abroad), text


@pytest.mark.parametrize(
    ("text", "insee"),
    [
        ("Je suis à Luchon, on a un projet de gîte", "31042"),  # Bagnères-de-Luchon
        ("Luchon : asso de randonnée", "31042"),
        ("on habite au Plan, petit village", "31425"),  # « au » holds Le Plan's article
    ],
)
def test_a_usual_name_and_an_article_held_by_au(text: str, insee: str) -> None:
    assert place(text) == (insee, None)


def test_a_name_shared_by_many_communes_of_the_same_size_names_none() -> None:
    assert place("dans le Comminges on veut une scop") == (None, None)
    assert place("je suis au chômage") == (None, None)


def test_no_big_city_abroad_maps_to_a_commune_here() -> None:
    """The foreign cities of the world file (one in five of those called by their own name),
    named after « à », are abroad, never a village here or elsewhere in France."""
    world = json.loads((REPO_KNOWLEDGE / "places-world.json").read_text(encoding="utf-8"))
    swapped = []
    for name, country, main, _ in world["cities"][::5]:
        if main:
            found = understand(f"je vis à {name} et je veux créer une coopérative", KB)
            if found.commune is not None or found.outside_area is None:
                swapped.append(name)
            elif found.outside_area.department != country:
                swapped.append(f"{name}: {found.outside_area.department}≠{country}")
    assert not swapped, swapped[:20]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("castres entreprise d insertion en creation", (None, "81")),  # a word, 10,000 people
        ("lourdes. asso qui heberge des gens a la rue", (None, "65")),
        ("foix epicerie solidaire en asso on cherche des sous", (None, "09")),  # no word
        ("bordeaux je cherche un local pas cher", (None, "33")),
        ("st girons based, we want to turn our bakery into a coop", (None, "09")),
        ("our association needs money", (None, None)),  # Our, a village of the Jura
        ("colomier jai une idee de friperie solidaire", ("31149", None)),  # not Colombier (70)
    ],
)
def test_a_town_opening_the_message_in_lower_case(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


def test_a_department_code_after_the_name_says_which_town() -> None:
    assert place("aucamville (82) : asso d insertion") == (None, "82")
    assert place("mazeres 09, jardins d insertion en asso") == (None, "09")
    assert place("aucamville, asso d aide aux devoirs") == ("31022", None)  # the one here


@pytest.mark.parametrize(
    ("text", "insee"),
    [
        ("j'habite à Aucamville", "31022"),  # also in the Tarn-et-Garonne
        ("auterive, on voudrait une scop de paysagistes", "31033"),  # also in the Gers
        ("st orens : idee de ressourcerie", "31506"),  # Saint-Orens (32): eighty people
        ("Portet, on voudrait reprendre la boulangerie en scop", "31433"),  # Portet (64)
    ],
)
def test_a_name_here_stays_here_without_a_department(text: str, insee: str) -> None:
    assert place(text) == (insee, None)


@pytest.mark.parametrize(
    "text",
    [
        "j'habite à Mérignac",  # three departments, none named: not Marignac
        "j habite a merignac",
        "j habite a les bordes",  # not Bordes-de-Rivière
        "j'habite à Saint-Jean-le-Vieux",  # not Saint-Jean
        "j habite a la noe poulain",  # not Noé
        "j'habite à Saint-Laurent-les-Bains-Laval-d'Aurelle",  # seven words
    ],
)
def test_an_exact_name_elsewhere_is_never_a_look_alike_here(text: str) -> None:
    assert place(text)[0] is None


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("j habite a saint jean de verge et je veux une asso", "09"),  # not Saint-Jean
        ("villefranche de rouergu, asso d insertion", "12"),  # not Villefranche-de-Lauragais
        ("on est a villeneuve sur lott", "47"),  # not Villeneuve-Tolosane
        ("j habite a martigue", "13"),  # Martigues, not Artigue
    ],
)
def test_a_misspelt_town_elsewhere_is_no_name_here(text: str, department: str) -> None:
    assert place(text) == (None, department)


def test_where_the_person_comes_from_in_lower_case() -> None:
    assert place("je viens d albi et je voudrais monter une scop") == (None, "81")
    assert place("je suis de lyon mais je m installe a toulouse") == ("31555", None)
    assert place("je vis en espagne pres de la frontiere") == (None, "ES")  # a word too


def test_postal_codes_in_two_parts() -> None:
    assert place("31 000, jveux monter ma boite dans l ess") == ("31555", None)
    assert place("asso de 12 000 membres") == (None, None)  # an amount, not the Aveyron
    assert place("31140 asso de soutien scolaire") == (None, None)  # shared: the person is asked
    assert place("code postal 31 200, je veux créer une scop") == ("31555", None)
    assert place("on a besoin de 31 000 euros pour lancer notre épicerie") == (None, None)
    assert place("il nous faut 31 200 € pour le local") == (None, None)  # amounts, not Toulouse


def _elsewhere_spellings() -> list[str]:
    """Every town outside Haute-Garonne that no commune here is named, nor starts with, in
    its own spelling and as people type it (lower case, no accent, no hyphen); but the six
    whose official name adds a canton in brackets (« Bors (Canton de Tude-et-Lavalette) »
    says Lavalette, a commune here)."""
    data = json.loads((REPO_KNOWLEDGE / "communes-france.json").read_text(encoding="utf-8"))
    here = KB.territory
    kept = [
        (name, key)
        for name, _, _, key in data["communes"]
        if not here.by_name(key) and not here.by_first_word(key) and "(" not in name
    ]
    return [spelling for name, key in kept for spelling in (name, key)]


@settings(max_examples=400, deadline=None)
@given(
    town=st.sampled_from(_elsewhere_spellings()),
    pattern=st.sampled_from(
        [
            "j'habite à {}",
            "{} on cherche un local pour notre asso",
            "projet de scop pres de {}",
            "we live in {} and run a charity",
            "on est a {}, enfin a côté",
            "rue de {}",
            "{}",
            "{} projet de scop",
            "je travaille à {} et je veux créer une asso",
            "{} sur garonne on veut une scop",
        ]
    ),
)
def test_no_town_of_france_outside_maps_inside_the_department(town: str, pattern: str) -> None:
    assert understand(pattern.format(town), KB).commune is None
