"""The dialogue engine: whole conversations by buttons and by text, corrections, odd input."""

from __future__ import annotations

import pytest
from dialogue_driver import NOW, Driver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.bundled import KB

from bot.core.catalogue import to_plain
from bot.core.dialogue.engine import Dialogue
from bot.core.dialogue.events import Command, Press, Start, Text, Unsupported
from bot.core.dialogue.state import DialogueState
from bot.core.greeting import only_thanks
from bot.core.knowledge import KnowledgeBase
from bot.core.links import valid_payload


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KB


def by_buttons(talk: Driver, commune: str = "Colomiers") -> None:
    talk.start("mijoteuse")
    talk.press("J'ai une idée")
    talk.press("Association")
    talk.press("Des locaux")
    talk.press("Un espace de coworking")
    talk.press("Valider")
    talk.type(commune)
    talk.press("Passer")


def to_commune(talk: Driver) -> None:
    """A SCOP idea that needs the cooperative status, up to the commune."""
    talk.start()
    for label in ("J'ai une idée", "SCOP", "Créer une coopérative", "Valider"):
        talk.press(label)


def test_welcome_says_what_is_stored_and_asks_the_stage(talk: Driver) -> None:
    talk.start()
    assert "Bonjour" in talk.text
    assert "/mesdonnees" in talk.text
    assert talk.current.step == "stage"
    assert [b.label for b in talk.buttons][:1] == ["J'ai une idée"]


def test_whole_conversation_by_buttons(talk: Driver) -> None:
    by_buttons(talk)
    state = talk.current
    assert state.step == "results" and state.completed
    assert (state.stage, state.legal_form, state.commune) == ("idea", "association", "31149")
    assert state.needs == ("premises", "coworking")
    assert state.source == "mijoteuse"
    assert state.recommended[0] == "la-mijoteuse"
    assert "La Mijoteuse" in talk.text and "05 61 15 23 11" in talk.text
    assert "Information de 2018" in talk.text
    assert "Pourquoi" in talk.text
    assert talk.button("👍")


def test_feedback_is_kept_once(talk: Driver) -> None:
    by_buttons(talk)
    turn = talk.press("👍")
    assert talk.current.feedback == "useful"
    assert "Merci" in talk.text
    assert not [b for b in talk.buttons if "👍" in b.label]
    edited, closing = turn.replies  # the answer shown in place, then one message
    assert edited.edit and "👍" in edited.text
    assert closing.text.startswith("Merci") and "nouvelle recherche" in closing.text
    assert any("Nouvelle recherche" in b.label for row in closing.buttons for b in row)


def test_more_results_then_nothing_left(talk: Driver) -> None:
    by_buttons(talk, commune="Toulouse")
    first = talk.current.recommended
    while any("Voir d'autres" in b.label for b in talk.buttons):
        talk.press("Voir d'autres")
    assert talk.current.recommended[: len(first)] == first
    assert len(talk.current.recommended) == talk.current.available


def test_needs_multi_select_toggles(talk: Driver) -> None:
    talk.start()
    talk.press("J'ai une idée")
    talk.press("Pas encore de statut")
    talk.press("Un financement")
    assert talk.replies[0].edit and "✓ Un financement" in [b.label for b in talk.buttons]
    talk.press("Un financement")
    assert talk.current.needs == ()
    talk.press("Valider")
    assert "au moins un besoin" in talk.text
    talk.press("Je ne sais pas")
    assert talk.current.needs == ("advice",) and talk.current.step == "commune"


def test_free_text_fills_answers_and_asks_only_what_is_missing(talk: Driver) -> None:
    talk.start()
    talk.type("je veux monter une scop de menuiserie à Ramonville")
    assert "Voici ce que j'ai compris" in talk.text
    assert "Ramonville-Saint-Agne" in talk.text
    assert talk.button("Corriger la commune")
    assert talk.current.step == "consent"
    talk.press("Non, merci")
    state = talk.current
    assert (state.legal_form, state.commune) == ("scop", "31446")
    assert state.free_text == "" and state.pending_text is None
    assert state.description_done  # the sentence was the description: not asked again
    assert state.step == "results"
    assert "legal_form=scop" in state.inferred


def test_free_text_kept_redacted_with_consent(talk: Driver) -> None:
    talk.start()
    talk.type("coopérative à Blagnac, appelez-moi au 06 12 34 56 78 ou a@b.fr")
    talk.press("Oui, vous pouvez")
    assert talk.current.consent is True
    assert "06 12" not in talk.current.free_text and "a@b.fr" not in talk.current.free_text
    assert "Blagnac" in talk.current.free_text


def test_consent_typed_yes_or_no_answers_it_like_its_buttons(talk: Driver) -> None:
    talk.start()
    talk.type("coopérative de menuisiers à Blagnac")
    talk.type("Oui !")
    assert talk.current.consent is True and "Blagnac" in talk.current.free_text
    assert talk.current.step == "stage"  # the question the sentence left unanswered
    other = Driver(talk.dialogue)
    other.start()
    other.type("je veux monter une scop à Ramonville")
    other.type("non merci")
    assert other.current.consent is False and other.current.free_text == ""
    assert other.current.step == "results"


def test_a_second_sentence_at_the_consent_question_changes_the_answers_and_waits_too(
    talk: Driver,
) -> None:
    talk.start()
    talk.type("une épicerie solidaire à Muret, on est en association")
    assert talk.current.legal_form == "association" and talk.current.step == "consent"
    talk.type("finalement je préfère une SCOP")
    assert "Statut : SCOP" in talk.text and "Pouvons-nous garder" in talk.text
    assert talk.current.legal_form == "scop" and talk.current.step == "consent"
    talk.press("Oui, vous pouvez")
    kept = talk.current.free_text
    assert "épicerie" in kept and "SCOP" in kept and talk.current.commune == "31395"


def test_correction_buttons_reopen_the_question(talk: Driver) -> None:
    talk.start()
    talk.type("je veux monter une scop à Ramonville et il me faut un financement")
    fix = talk.button("Corriger la commune").data
    talk.press("Non, merci")
    talk.send(Press(fix))
    assert talk.current.step == "commune"
    talk.type("Labège")
    assert talk.current.commune == "31254"
    assert talk.current.step == "results"  # the sentence was the description
    talk.send(Press(fix))
    assert talk.current.step == "commune"
    talk.type("Colomiers")
    assert talk.current.step == "results" and talk.current.commune == "31149"


def test_back_returns_to_the_previous_question(talk: Driver) -> None:
    talk.start()
    talk.press("J'ai une idée")
    talk.press("Retour")
    assert talk.current.step == "stage"
    talk.press("Je démarre")
    assert talk.current.stage == "launching" and talk.current.step == "legal_form"


def test_ambiguous_commune_offers_choices(talk: Driver) -> None:
    to_commune(talk)
    talk.type("Portet")
    assert "Vouliez-vous dire" in talk.text
    talk.press("Portet-sur-Garonne")
    assert talk.current.commune == "31433" and talk.current.step == "description"


def test_a_shared_postal_code_in_the_sentence_offers_its_communes(talk: Driver) -> None:
    talk.start()
    talk.type("je veux monter une scop de menuiserie, je suis au 31320")
    talk.press("Non, merci")
    assert talk.current.step == "commune" and talk.current.commune is None
    assert "Vouliez-vous dire" in talk.text
    talk.press("Auzeville-Tolosane")
    assert talk.current.commune == "31035" and talk.current.step == "results"


def test_a_shared_postal_code_does_not_unsettle_a_commune_given(talk: Driver) -> None:
    talk.start()
    talk.type("je veux monter une scop de menuiserie à Ramonville")
    talk.type("au fait c'est le 31320")
    assert talk.current.commune == "31446" and not talk.current.candidates


def test_unknown_commune_and_outside(talk: Driver) -> None:
    to_commune(talk)
    talk.type("Xyzzyville")
    assert "Je ne trouve pas" in talk.text and talk.current.step == "commune"
    talk.press("Hors Haute-Garonne")
    talk.press("Passer")
    assert talk.current.commune is None and talk.current.completed
    assert "urscop" in talk.current.recommended


def test_unmet_need_is_said_honestly_with_general_reception(talk: Driver) -> None:
    talk.start()
    talk.press("Je démarre")
    talk.press("Association")
    talk.press("Marchés publics")
    talk.press("Valider")
    talk.type("Agassac")
    talk.press("Passer")
    assert talk.current.unmet == ("public-procurement",)
    assert "je ne connais pas de structure" in talk.text


def test_the_reception_place_already_shown_as_a_card_is_not_listed_again(talk: Driver) -> None:
    talk.start()
    talk.press("Je construis le projet")
    talk.press("Association")
    for need in ("Un financement", "Des locaux", "Marchés publics", "Valider"):
        talk.press(need)
    talk.type("Balma")
    talk.press("Passer")
    assert "toulouse-metropole" in talk.current.recommended and talk.current.unmet
    assert talk.text.count("alexandra.veland@toulouse-metropole.fr") == 1


def test_a_need_that_opens_later_says_who_and_from_when(talk: Driver) -> None:
    """Funding at the idea stage: the solidarity financers start once the project is built;
    the person is told so, and they are not recommended now (their stage list excludes it)."""
    talk.start()
    talk.press("J'ai une idée")
    talk.press("Association")
    talk.press("Financement")
    talk.press("Valider")
    talk.type("Muret")
    talk.press("Passer")
    assert talk.current.unmet == ("funding",)
    assert "mp-actives" not in talk.current.recommended
    assert "Midi-Pyrénées Actives accompagnent les projets à partir de l'étape" in talk.text
    assert "« Je construis le projet »" in talk.text
    assert "Pour « Un financement », je ne connais pas" not in talk.text


def test_restart_closes_the_conversation(talk: Driver) -> None:
    talk.start()
    talk.press("J'ai une idée")
    first = talk.current.conversation_id
    talk.send(Command("recommencer"))
    assert talk.current.conversation_id != first and talk.current.step == "stage"
    assert [s.conversation_id for s in talk.closed] == [first]


def test_new_search_after_results_keeps_source_and_language(talk: Driver) -> None:
    by_buttons(talk)
    talk.press("Nouvelle recherche")
    assert talk.current.source == "mijoteuse" and talk.current.step == "stage"
    assert talk.closed[-1].completed


def test_language_switch(talk: Driver) -> None:
    talk.start()
    talk.send(Command("langue"))
    talk.press("English")
    assert talk.current.lang == "en" and "Where does your project stand" in talk.text
    talk.press("I have an idea")
    assert "legal form" in talk.text


@pytest.mark.parametrize(
    "event",
    [Unsupported("sticker"), Unsupported("voice"), Command("inconnue"), Press("0|zz|1"), Text("")],
)
def test_odd_input_at_every_step_gets_the_question_again(dialogue: Dialogue, event: object) -> None:
    steps = ["J'ai une idée", "Association", "Des locaux", "Valider", None]
    talk = Driver(dialogue)
    talk.start()
    for step in steps:
        before = talk.current.step
        talk.send(event)  # type: ignore[arg-type]
        assert talk.current.step == before
        assert talk.buttons or before == "commune"
        if step:
            talk.press(step)


def test_stale_and_forged_buttons_are_refused(talk: Driver) -> None:
    talk.start()
    old = talk.button("J'ai une idée").data
    talk.press("J'ai une idée")
    for data in (old, "garbage", "x" * 200, f"{talk.current.seq}|s|idea", "1|f|queen"):
        talk.send(Press(data))
        assert "plus actif" in talk.text
        assert talk.current.step == "legal_form"


def test_long_message_is_bounded(talk: Driver) -> None:
    talk.start()
    talk.type("coworking à Toulouse " * 200)
    assert "très long" in talk.text
    assert talk.current.needs == ("coworking",)


def test_text_before_start_starts_a_conversation(talk: Driver) -> None:
    talk.type("je cherche un coworking à Colomiers")
    assert "Bonjour" in talk.text and "Voici ce que j'ai compris" in talk.text


def test_nothing_understood_gets_help_not_random_actors(talk: Driver) -> None:
    talk.start()
    talk.type("blablabla")
    assert "Je n'ai pas bien compris" in talk.text
    assert talk.current.step == "stage" and not talk.current.recommended


@pytest.mark.parametrize("greeting", ["bonjour", "Salut !", "bonjour à tous", "slt"])
def test_a_greeting_is_greeted_back_with_the_question_again(talk: Driver, greeting: str) -> None:
    talk.start()
    talk.type(greeting)
    assert "Bonjour ! 😊 Pour commencer" in talk.text and "pas bien compris" not in talk.text
    assert talk.current.step == "stage" and talk.current.consent is None
    talk.type("bonjour, je cherche un coworking")
    assert "Voici ce que j'ai compris" in talk.text, "a greeting inside a request is just words"


def test_deep_link_payload_rules() -> None:
    assert valid_payload("mijoteuse") == "mijoteuse"
    assert valid_payload("accueil_colomiers-2") == "accueil_colomiers-2"
    assert valid_payload("<script>") is None
    assert valid_payload("a" * 65) is None
    assert valid_payload("") is None


def test_state_round_trips_through_json(talk: Driver) -> None:
    by_buttons(talk)
    state = talk.current
    assert DialogueState.from_json(state.to_json()) == state


def test_english_conversation(dialogue: Dialogue) -> None:
    turn = dialogue.handle(None, Start(), NOW, lang_hint="en")
    assert "Hello" in to_plain(turn.replies[0].text)


EVENTS = st.one_of(
    st.builds(Text, st.text(max_size=300)),
    st.builds(Text, st.sampled_from(["Toulouse", "31770", "scop", "coworking", "1", "/", "é" * 5])),
    st.builds(Press, st.text(max_size=80)),
    st.builds(Command, st.sampled_from(["aide", "recommencer", "langue", "xyz", "start"])),
    st.builds(Unsupported, st.sampled_from(["sticker", "photo", "voice"])),
    st.builds(Start, st.one_of(st.none(), st.text(max_size=70))),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(events=st.lists(EVENTS, max_size=12), presses=st.lists(st.integers(0, 30), max_size=12))
def test_any_sequence_never_raises_and_leaves_a_way_forward(
    dialogue: Dialogue, events: list[object], presses: list[int]
) -> None:
    talk = Driver(dialogue)
    talk.start()
    for event, press in zip(events, presses + [0] * len(events), strict=False):
        talk.send(event)  # type: ignore[arg-type]
        assert talk.replies, "every input gets a reply"
        assert talk.buttons or talk.current.step == "commune", "a way forward"
        if talk.buttons:
            talk.send(Press(talk.buttons[press % len(talk.buttons)].data))
            assert talk.replies
        for button in talk.buttons:
            assert len(button.data.encode()) <= 64


def test_user_text_is_escaped_in_replies(talk: Driver) -> None:
    to_commune(talk)
    talk.type("<b>Xyz</b> & <a href='x'>")
    raw = "\n".join(r.text for r in talk.replies)
    assert "&lt;b&gt;Xyz&lt;/b&gt; &amp; &lt;a href='x'&gt;" in raw
    assert "<a href" not in raw


def test_a_sentence_after_the_results_redoes_the_search_with_it(talk: Driver) -> None:
    by_buttons(talk)
    first = talk.current.conversation_id
    talk.type("Toulouse")
    talk.press("Non, merci")
    state = talk.current
    assert state.conversation_id != first and talk.closed[-1].conversation_id == first
    assert (state.stage, state.legal_form, state.commune) == ("idea", "association", "31555")
    assert state.step == "results" and "la-mijoteuse" not in state.recommended


def test_dont_know_keeps_the_needs_already_ticked(talk: Driver) -> None:
    talk.start()
    talk.press("J'ai une idée")
    talk.press("Association")
    talk.press("Un financement")
    talk.press("Je ne sais pas")
    assert talk.current.needs == ("funding", "advice") and talk.current.step == "commune"


def test_a_later_sentence_changes_an_earlier_answer(talk: Driver) -> None:
    talk.start()
    talk.press("J'ai une idée")
    talk.press("Association")
    talk.type("finalement je préfère une SCOP")
    assert talk.current.legal_form == "scop"
    assert "SCOP" in talk.text and talk.button("Corriger le statut")


def test_an_english_sentence_switches_to_english_and_back(talk: Driver) -> None:
    talk.start()
    talk.type("we want to start a worker cooperative in Toulouse")
    assert talk.current.lang == "en"
    assert "Here is what I understood" in talk.text or "I understood" in talk.text
    talk.send(Command("langue"))
    talk.press("Français")
    assert talk.current.lang == "fr"


@pytest.mark.parametrize(
    ("typed", "lang"), [("hello", "en"), ("Good morning!", "en"), ("salut", "fr"), ("test", "fr")]
)
def test_a_greeting_alone_is_answered_in_its_language(talk: Driver, typed: str, lang: str) -> None:
    talk.start()
    talk.type(typed)
    assert talk.current.lang == lang and talk.current.step == "stage"
    assert ("Where does your project stand?" in talk.text) == (lang == "en")
    talk.type("Bonjour madame")
    assert talk.current.lang == "fr"


@pytest.mark.parametrize(("typed", "lang"), [("aide", "fr"), ("Aide", "fr"), ("help", "en")])
def test_help_typed_alone_is_the_help_command_not_a_need(
    talk: Driver, typed: str, lang: str
) -> None:
    talk.start()
    talk.type(typed)
    assert talk.current.needs == () and talk.current.lang == lang
    assert "/recommencer" in talk.text or "/restart" in talk.text
    assert talk.current.step == "stage"


def test_a_town_outside_is_never_a_look_alike_village(talk: Driver) -> None:
    to_commune(talk)
    talk.type("Albi")
    assert "Tarn" in talk.text and "Albiac" not in talk.text
    talk.press("Passer")
    state = talk.current
    assert state.commune is None and state.outside == "81"
    assert "n'en fait pas partie" in talk.text
    assert "la-mijoteuse" not in state.recommended and "urscop" in state.recommended


@pytest.mark.parametrize(
    ("typed", "department", "shown"),
    [("à Lyon", "69", "Rhône"), ("en Italie", "IT", "Italie"), ("dans le Gers", "32", "Gers")],
)
def test_a_place_said_in_words_at_the_commune_question_is_its_answer(
    talk: Driver, typed: str, department: str, shown: str
) -> None:
    to_commune(talk)
    talk.type(typed)
    state = talk.current
    assert (state.commune, state.outside, state.step) == (None, department, "description")
    assert f"{shown}, hors Haute-Garonne" in talk.text
    assert "Vouliez-vous dire" not in talk.text and "Pouvons-nous garder" not in talk.text


def test_a_town_named_like_its_department_is_said_once(talk: Driver) -> None:
    talk.start()
    talk.type("une scop à Paris")
    assert "Commune : Paris, hors Haute-Garonne" in talk.text
    talk.start()
    talk.type("une scop à Milan")
    assert "Commune : Milan (Italie), hors Haute-Garonne" in talk.text


def test_a_card_says_where_the_structure_is_without_repeating_its_short_name(
    talk: Driver,
) -> None:
    talk.start()
    talk.type(
        "j'ai une idée, pas encore de statut : je voudrais tester mon activité sans créer "
        "d'entreprise à Ramonville"
    )
    talk.press("Non, merci")
    cards = talk.text
    assert "Coop'Action" in cards and "Ramonville-Saint-Agne" in cards
    assert "(DLA) de l'agglomération toulousaine (DLA)" not in cards


def test_nothing_here_and_something_elsewhere_never_contradict(talk: Driver) -> None:
    talk.start()
    talk.press("Je démarre")
    talk.press("Association")
    talk.press("Un espace de coworking")
    talk.press("Valider")
    talk.type("Muret")
    talk.press("Passer")
    text = talk.text
    assert "je ne connais pas de structure" in text
    assert "c'est son cœur de métier" not in text.split("Pour « Un espace de coworking »")[0] or (
        "hors de votre secteur" in text
    )
    assert "hors de votre secteur" in text


@pytest.mark.parametrize("thanks", ["merci beaucoup !", "Merci pour votre aide", "thanks a lot"])
def test_thanks_get_a_welcome_not_a_misunderstanding(talk: Driver, thanks: str) -> None:
    talk.start()
    talk.type("je cherche un local pour mon asso à Tournefeuille")
    talk.press("Non, merci")
    talk.press("Je construis le projet")
    assert talk.current.step == "results"
    talk.type(thanks)
    assert {"Avec plaisir ! 🌱", "You're welcome! 🌱"} & {r.text for r in talk.replies}
    assert "pas bien compris" not in talk.text and talk.current.step == "results"


def test_thanks_beside_a_request_is_the_request() -> None:
    assert only_thanks("merci !") and not only_thanks("merci, je cherche un local à Balma")
    assert not only_thanks("super")  # no thanks said
