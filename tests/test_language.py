"""The language toolchain and places: negation scope, language, place spans, towns elsewhere."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.bundled import KB

from bot.config import REPO_KNOWLEDGE
from bot.core.language import Lexicon, stop_lemmas, tokens
from bot.core.language_guess import detect_language, unaccented_french
from bot.core.matching import Profile, recommend
from bot.core.text import fold
from bot.core.understanding import understand

LEXICON = Lexicon(())


def negated(text: str) -> list[str]:
    return [t.surface for t in tokens(text, "fr", LEXICON) if t.negated]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("je ne cherche pas de financement mais un local", ["de", "financement"]),
        ("je veux pas un bureau à moi", ["un", "bureau", "a", "moi"]),
        ("nous ne sommes pas une association", ["une", "association"]),
        ("sans créer d'entreprise", ["creer", "d", "entreprise"]),
        ("we don't need a loan, we need advice", ["need", "a", "loan"]),
        ("ni SCOP ni SCIC", ["scop", "ni", "scic"]),
    ],
)
def test_a_refusal_or_a_denial_is_negated_up_to_the_clause(text: str, words: list[str]) -> None:
    assert negated(text) == words


@pytest.mark.parametrize(
    "text",
    [
        "je n'ai pas de local",
        "on n'a plus d'argent",
        "sans local ni bureau",
        "we have no office",
        "we don't have an office",
    ],
)
def test_a_lack_is_a_need_not_a_negation(text: str) -> None:
    assert not [w for w in negated(text) if w in {"local", "argent", "bureau", "office"}]


@pytest.mark.parametrize(
    ("text", "need", "present"),
    [
        ("je ne cherche pas de financement, juste des conseils", "funding", False),
        ("je ne cherche pas de financement, juste des conseils", "advice", True),
        ("je n'ai pas de local pour mon association", "premises", True),
        ("I don't want a loan, I need an office", "funding", False),
        ("I don't want a loan, I need an office", "premises", True),
    ],
)
def test_needs_follow_the_negation(text: str, need: str, present: bool) -> None:
    assert (need in understand(text, KB).needs) is present


@pytest.mark.parametrize(
    "text",
    [
        "on n'arrive plus à payer nos salariés",
        "notre asso ne parvient plus à payer la salariée",
        "our association can't pay its staff anymore",
        "we can no longer pay our staff",
    ],
)
def test_what_they_cannot_do_is_their_trouble_not_a_denial(text: str) -> None:
    assert not negated(text)
    assert understand(text, KB).stage == "struggling"


def test_a_denied_legal_form_is_not_the_persons() -> None:
    found = understand("on n'est pas une association : on est une SCOP à Colomiers", KB)
    assert found.legal_form == "scop"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("we want to start a worker cooperative in Toulouse", "en"),
        ("financemnt pour ma cooperative", "fr"),
        ("asso a toulouse", None),
        ("je cherche un local à Blagnac", "fr"),
        ("Toulouse", None),
        ("jcherche 1 local a st gaudens pr mon asso", "fr"),  # « st », « pr »: not English
        ("31520 — projet de café associatif, on part de zéro, des conseils ?", "fr"),
        ("J'habite Balma et j'ai un projet de crèche, je pars de zéro", "fr"),  # accented
        ("Saint-Orens, projet de cantine bio associative, on part de zéro", "fr"),
        ("t'as vu le TFC ce week end", "fr"),
        ("we r a small charity in st gaudens need money", "en"),
    ],
)
def test_language_of_the_sentence(text: str, lang: str | None) -> None:
    assert detect_language(text, KB.territory.name_words) == lang


@pytest.mark.parametrize(
    ("text", "insee"),
    [
        ("un local à Blagnac", "31069"),
        ("je suis à Castanet", "31113"),
        ("projet a toulous", "31555"),
        ("coworking 31520", "31446"),
        ("Saint-Orens", "31506"),
        ("j'ai un jardin partagé et une alimentation locale", None),
        ("ta gueule", None),
        ("on est à la rue", None),
    ],
)
def test_places_come_only_from_place_like_spans(text: str, insee: str | None) -> None:
    found = understand(text, KB)
    assert (found.commune.insee if found.commune else None) == insee
    if insee is None:
        assert found.outside_area is None


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("une SCOP à Albi", "81"),
        ("montauban ici, on veut racheter l'imprimerie", "82"),
        ("je monte une SCOP à Castanet, dans le Tarn", "81"),
        ("Muret-le-Château, en Aveyron : notre asso", "12"),
        ("I live in Grenade-sur-l'Adour", "40"),
        ("j'habite dans le Gers", "32"),
        ("mon code postal est 81000", "81"),
        ("on est dans le 81 avec une asso", "81"),
        ("je viens de Lourdes et je veux créer une SCOP", "65"),
        ("je suis à Montaubant", "82"),
        ("asso a Carcasonne", "11"),
    ],
)
def test_towns_outside_are_recognised_with_their_department(text: str, department: str) -> None:
    found = understand(text, KB)
    assert found.commune is None
    assert found.outside_area is not None and found.outside_area.department == department


def _towns_elsewhere() -> list[str]:
    """Towns outside Haute-Garonne whose name no commune here shares, nor starts with."""
    data = json.loads((REPO_KNOWLEDGE / "communes-france.json").read_text(encoding="utf-8"))
    territory = KB.territory
    return sorted(
        name
        for name, _, flags, _ in data["communes"]
        if flags & 1  # a main town (tools/derive_france.py)
        and not territory.by_name(fold(name))
        and not territory.by_first_word(fold(name))
    )


@settings(max_examples=300, deadline=None)
@given(town=st.sampled_from(_towns_elsewhere()), pattern=st.sampled_from(["à {}", "j'habite à {}",
       "un projet sur {}", "I live in {}", "{} : on cherche un local"]))  # fmt: skip
def test_no_town_outside_maps_inside_the_department(town: str, pattern: str) -> None:
    found = understand(pattern.format(town), KB)
    assert found.commune is None
    assert found.outside_area is not None and found.outside_area.department != "31"


OFF_TOPIC_WORDS = [
    "bonjour", "salut", "merci", "ça va", "hello", "thanks", "quel temps", "il pleut", "le match",
    "le TFC", "Stade Toulousain", "hier soir", "t'es nul", "connard", "va te faire voir", "lol",
    "mdr", "ok", "super", "une recette de crêpes", "ma voiture", "mon chat", "what's your name",
    "who are you", "haha", "?", "!!!", "bof", "je m'ennuie", "quelle heure est-il", "la plage",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(OFF_TOPIC_WORDS), min_size=1, max_size=5), noise=st.text(
       alphabet=st.characters(categories=["Nd", "P", "Zs", "So"]), max_size=12))  # fmt: skip
def test_text_about_no_project_never_yields_a_recommendation(words: list[str], noise: str) -> None:
    result = recommend(KB, Profile(text=" ".join(words) + noise))
    assert result.recommendations == ()


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("the staff want to take it over", "take over"),
        ("we want to set up a co-op", "set up"),
        ("who could help us set one up", "set up"),
    ],
)
def test_an_english_verb_and_its_particle_are_one_lemma(text: str, lemma: str) -> None:
    assert lemma in [t.lemma for t in tokens(text, "en", LEXICON)]


def test_a_thesaurus_verb_keeps_its_head_before_a_particle() -> None:
    lexicon = Lexicon((), {"buy": "reprendre"})
    assert [t.lemma for t in tokens("they buy it out", "en", lexicon)][1] == "reprendre"


def test_french_words_are_never_joined_to_a_particle() -> None:
    assert "monter up" not in [t.lemma for t in tokens("monter up", "fr", LEXICON)]


def test_english_stop_words_keep_the_words_a_request_is_about() -> None:
    stop = stop_lemmas("en")
    assert {"the", "of", "would"} <= stop
    assert not {"home", "old", "help", "room"} & stop


@pytest.mark.parametrize(
    "text", ["cc jai 1 projet dasso", "cc jveu cree 1 asso pr les jeunes du quartier"]
)
def test_an_abbreviation_is_no_english_word(text: str) -> None:
    assert detect_language(text, KB.territory.name_words) != "en"  # « cc »: no vowel


def test_french_typed_without_accents_is_told_from_english() -> None:
    assert unaccented_french("idee") and unaccented_french("velos") and unaccented_french("creer")
    assert not unaccented_french("the")  # an English function word, no « thé »
    assert not unaccented_french("want")
    assert detect_language("recette de la pate a crepes svp") == "fr"
    assert detect_language("st etienne creation cooperative d activite") != "en"
    assert detect_language("cooperative creation help") == "en"
    assert detect_language("we need a loan for our cafe") == "en"


def test_a_stop_word_of_both_languages_tells_nothing() -> None:
    assert detect_language("non") is None  # simplemma knows it in English only
    assert detect_language("non merci") == "fr"
    assert detect_language("je") == "fr"  # French's alone


def test_a_function_word_alone_of_both_languages_in_use_tells_nothing() -> None:
    assert detect_language("ok") is None  # said in French too: the conversation's language
    assert detect_language("ok merci") == "fr"
    assert detect_language("thanks") == "en"  # simplemma knows it in English only


def test_an_elided_word_is_french_but_in_a_name() -> None:
    assert detect_language("c koi l'ess") == "fr"
    assert detect_language("we're in L'Union and we'd like a coop", KB.territory.name_words) == "en"
    assert detect_language("I'd like to start a coop, it's my dream") == "en"


def test_one_sms_word_does_not_make_french_english() -> None:
    assert detect_language("cc je veux monter un truc solidaire") == "fr"
    assert detect_language("hello my asso") == "en"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("pas question de devenir une coopérative", ["question", "de", "devenir", "une"]),
        ("je ne compte pas créer d'entreprise", ["creer", "d", "entreprise"]),
        ("je ne vais pas créer d'association", ["creer", "d", "association"]),
    ],
)
def test_a_plan_refused_is_negated(text: str, words: list[str]) -> None:
    assert negated(text)[: len(words)] == words


@pytest.mark.parametrize(
    "text",
    [
        "ce n'est pas qu'on ne veut pas devenir une SCOP",
        "je voudrais qu'on me suive pas à pas pour créer mon entreprise",
        "pas à pas, on a monté notre SCIC",
    ],
)
def test_a_negated_negation_and_a_step_by_step_negate_nothing(text: str) -> None:
    assert not [t for t in tokens(text, "fr", LEXICON) if t.negated or t.denied]


def test_a_cooperative_refused_is_not_the_need_to_become_one() -> None:
    found = understand("pas question de devenir une coopérative, on est une asso", KB)
    assert "coop-status" not in found.needs and found.legal_form == "association"


@pytest.mark.parametrize(
    "text",
    [
        "pas de salarie on est juste 2 a vouloir faire une asso",
        "pas encore de salariés pour notre asso qui démarre",
    ],
)
def test_no_staff_is_not_a_structure_with_staff(text: str) -> None:
    assert understand(text, KB).stage != "growing"


@pytest.mark.parametrize(
    ("text", "growing"),
    [
        ("notre asso emploie cinq personnes", True),
        ("our charity employs seven people", True),
        ("on veut employer deux personnes dans notre future asso", False),
        ("we want to employ two people", False),
    ],
)
def test_employing_people_now_is_a_structure_with_staff(text: str, growing: bool) -> None:
    assert (understand(text, KB).stage == "growing") is growing


def test_the_forms_of_many_others_are_not_the_persons() -> None:
    found = understand("on travaille avec plein d'associations du quartier", KB)
    assert found.legal_form != "association"


def test_a_negator_put_first_bears_through_its_ne() -> None:
    text = "jamais de la vie je ne monterai une association, trop de réunions"
    words = [t.surface for t in tokens(text, "fr", LEXICON) if t.denied]
    assert "association" in words and "reunions" not in words
    assert understand("jamais de la vie je ne monterai une association", KB).legal_form is None


def test_a_dash_ends_the_negation() -> None:
    text = "not interested in grants — our association would rather borrow"
    words = [t.surface for t in tokens(text, "en", LEXICON) if t.negated]
    assert "grants" in words and "association" not in words


@pytest.mark.parametrize(
    ("text", "association"),
    [
        ("nous voudrions qu'une coordination d'associations nous représente", False),
        ("nous sommes une fédération d'associations sportives", True),
    ],
)
def test_a_group_of_others_is_not_the_persons_form(text: str, association: bool) -> None:
    assert (understand(text, KB).legal_form == "association") is association


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("je n'ai pas besoin de financement", ["besoin", "de", "financement"]),
        ("nous n'avons jamais voulu devenir une SCOP", ["voulu", "devenir", "une", "scop"]),
        ("on n'est pas une asso on est une scop", ["une", "asso"]),
        ("je ne veux pas de prêt je veux des conseils", ["de", "pret"]),
        ("jveux pa de pret jveux des conseils", ["de", "pret"]),
        ("chui pas une asso chui auto entrepreneur", ["une", "asso"]),
        ("je ne veux pas qu'on me prête", ["qu", "on", "me", "prete"]),
    ],
)
def test_a_refusal_after_its_auxiliary_ends_where_the_person_speaks_again(
    text: str, words: list[str]
) -> None:
    assert negated(text) == words


@pytest.mark.parametrize(
    "text",
    [
        "on cherche pas seulement un local mais aussi un financement",
        "on ne cherche pas que de l'argent",
        "we need not only a loan but also advice",
    ],
)
def test_a_not_only_refuses_nothing(text: str) -> None:
    lang = "en" if text.startswith("we") else "fr"
    assert not [t for t in tokens(text, lang, LEXICON) if t.negated]


@pytest.mark.parametrize(
    "text",
    [
        "I have no intention of becoming a cooperative, my association needs advice",
        "on n'a aucune intention de devenir une scop, notre asso cherche des conseils",
    ],
)
def test_no_intention_of_becoming_a_cooperative(text: str) -> None:
    assert "coop-status" not in understand(text, KB).needs


@pytest.mark.parametrize(
    "text", ["association sans salarié, on voudrait être accompagnés", "a charity without staff"]
)
def test_without_staff_is_a_structure_employing_nobody(text: str) -> None:
    assert understand(text, KB).without_staff


def test_an_office_one_does_not_have_is_needed() -> None:
    assert "premises" in understand("we don't have an office for our association", KB).needs


def test_a_pa_after_its_determiner_is_a_noun() -> None:
    assert not [t for t in tokens("my PA needs an office", "en", LEXICON) if t.negated or t.denied]
