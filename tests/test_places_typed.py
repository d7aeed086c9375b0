"""Places as people write them (issue 8): a one-word name typed in two words, a large town's
name cut short after a place word (« sur colo »), a name of several words misspelt, SMS place
words (« grenade on a… », « jhabite »), a neighbourhood named or described, an address
(« Saint-Michel, Toulouse »), « entre » two communes here; a place denied (« I'm not in
Toulouse »), a noun counted or after an article (« combien de lux », « les ondes »), a name
said (« my name is Valentine ») and, in English, an English word (« his partner ») name no
commune."""

from __future__ import annotations

import pytest
from support.bundled import KB, place

from bot.core.understanding import understand


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("castel ginest projet de jardin partagé", ("31116", None)),  # Castelginest
        ("on est à tourne feuille et on veut une scop", ("31557", None)),  # Tournefeuille
        ("la tourne feuille de mon livre est déchirée", (None, None)),  # ordinary words
    ],
)
def test_a_one_word_name_typed_in_two(text: str, expected: tuple[str | None, str | None]) -> None:
    assert place(text) == expected


def test_a_split_name_keeps_four_letters_each_side() -> None:
    territory = KB.territory
    assert [c.insee for c in territory.by_name("castel ginest")] == ["31116"]
    assert territory.by_name("c astelginest") == []  # one letter is no part of a name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm not in Toulouse, I'm in Colomiers, and I need an office", ("31149", None)),
        ("je ne suis pas à Toulouse mais à Muret, on veut une scop", ("31395", None)),
        ("we don't live in Albi, we live in Balma and want a coop", ("31044", None)),
        ("je ne suis pas à Toulouse, on veut une scop", ("31555", None)),  # the only place
        ("We live in Toulouse? no, in Tarbes actually, we want a coop", (None, "65")),
    ],
)
def test_a_place_denied_is_not_the_persons(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("moi c sur colo, j'ai envie de monter un traiteur solidaire", ("31149", None)),
        ("on habite a blag et on veut une scop", ("31069", None)),  # no word: anywhere
        ("on est à tour de rôle pour créer une scop", (None, None)),  # a word going on
        ("ma fille est à la colo, on veut créer une asso", (None, None)),  # an article first
    ],
)
def test_a_large_towns_name_cut_short(text: str, expected: tuple[str | None, str | None]) -> None:
    assert place(text) == expected


def test_only_a_large_towns_name_is_cut_short() -> None:
    territory = KB.territory
    clipped = territory.clipped("colo")
    assert clipped is not None and clipped.insee == "31149"
    assert territory.clipped("col") is None  # three letters
    assert territory.clipped("cast") is None  # Castanet-Tolosan, Castelginest…
    assert territory.clipped("fenou") is None  # Fenouillet: no large town


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my friend and his partner want to start a cooperative", (None, None)),
        ("we mine iron ore and want to form a coop", (None, None)),
        ("I live in His and want to start a coop", ("31237", None)),  # after « in »
        ("we are a coop from toulouse looking for help", ("31555", None)),  # a large town
    ],
)
def test_an_english_word_names_no_village_in_english(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Saint-Michel, Toulouse : notre asso héberge des personnes à la rue", ("31555", None)),
        ("Blagnac, Toulouse : on veut une scop", ("31069", None)),  # two towns: the first
        ("Saint-Michel, on est une asso, on veut une scop", ("31505", None)),  # alone
    ],
)
def test_a_villages_name_before_a_large_towns_is_an_address(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("grenade on a une asso culturelle et on cherche un collectif", ("31232", None)),
        ("fronton jveux monter une scic viticole", ("31202", None)),
        ("jhabite castanet et jveux une scop", ("31113", None)),  # SMS « j'habite »
        ("bref on a une asso et on cherche un local", (None, None)),  # no place's name
        ("une grenade on en a mangé une hier", (None, None)),  # not the opening word
    ],
)
def test_sms_place_words(text: str, expected: tuple[str | None, str | None]) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ma lampe de bureau fait combien de lux ?", (None, None)),
        ("on est à Lux, combien de temps pour créer une scop ?", ("31310", None)),
    ],
)
def test_a_noun_counted_is_no_place(text: str, expected: tuple[str | None, str | None]) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quartier des minimes, projet de cantine", ("31555", None)),  # a known district
        ("je vis dans un quartier populaire de Toulouse", ("31555", None)),  # described
        ("Muret, quartier Saint-Jean, on veut une scop", ("31395", None)),  # unknown: no town
        ("une régie de quartier solidaire cherche un financement", (None, None)),
    ],
)
def test_a_neighbourhood_named_or_described(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My name is Valentine and I want to start a coop", (None, None)),
        ("my name is Valentine, I live in Muret", ("31395", None)),
    ],
)
def test_a_name_said_in_english_is_no_village(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sur les ondes de la radio on parle de nous", (None, None)),
        ("dans les vaux de la région", (None, None)),
        ("je vis à Ondes et on veut une scop", ("31403", None)),
        ("on est à l'union, on veut une scop", ("31561", None)),  # its article: its name
    ],
)
def test_an_ordinary_word_after_an_article_is_the_noun(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected


@pytest.mark.parametrize(
    ("text", "among"),
    [
        ("entre Balma et L'Union, on voudrait monter une épicerie", ["31044", "31561"]),
        ("entre grenade et fronton on a une asso", ["31232", "31202"]),
        ("between Blagnac and Colomiers we want a coop", ["31149", "31069"]),
        ("entre Toulouse et Auch on a un projet de scop", []),  # the border: neither
        ("on hésite entre asso et SCOP", []),
    ],
)
def test_between_two_communes_here_the_person_is_among_them(text: str, among: list[str]) -> None:
    found = understand(text, KB)
    assert found.commune is None and found.outside_area is None
    assert sorted(c.insee for c in found.shared_postal) == sorted(among)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on est a st gaudin, asso d'insertion", ("31483", None)),  # no Saint-Gaudent (86)
        ("je suis a villeneuve tolosanne", ("31588", None)),
        ("on est a bagnere de bigorre", (None, "65")),
        ("on est à la maison de quartier", (None, None)),  # ordinary words
    ],
)
def test_a_name_of_several_words_misspelt(
    text: str, expected: tuple[str | None, str | None]
) -> None:
    assert place(text) == expected
