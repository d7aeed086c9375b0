"""A request is the writer's own project or situation said with an activity, a trade or a need;
small talk (a compliment, the bot, trying it) and general questions (a subject's history too)
ask for nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from support.bundled import KB, recommended

from bot.config import REPO_KNOWLEDGE
from bot.core.projects import GENERAL_QUESTION, SMALL_TALK
from bot.core.taxonomy import Talk, TaxonomyError, load_taxonomy
from bot.core.understanding import ANNOUNCEMENT, understand

REQUESTS = [
    "je veux faire un food truck bio",  # a wished « faire » of any activity
    "on veut faire une recyclerie dans le quartier",
    "je veux faire un atelier de réparation de vélos",
    "je veux faire une ressourcerie à Colomiers",
    "on voudrait faire un jardin partagé dans notre quartier",
    "je souhaite faire une crèche associative",
    "on aimerait faire une épicerie solidaire à Muret",
    "j'aimerais ouvrir un café associatif",
    "nous voulons monter une coopérative de boulangers",
    "je compte lancer une ferme maraîchère bio",
    "je veux créer un restaurant d'insertion",
    "mon projet : une friperie solidaire à Toulouse",
    "je voudrais tester mon activité de couture",  # « tester » with an activity of one's own
    "aidez-moi à financer ma ressourcerie",  # an imperative request
    "conseillez-nous pour transformer notre association en SCIC",
    "Félicitations pour le bot ! Sinon je cherche un local pour mon asso",  # a compliment first
    "Félicitations ! je cherche un local pour mon asso",
    "Bravo pour votre travail ! On cherche un financement pour notre tiers-lieu",
    "Super bot. J'ai besoin d'aide pour créer mon entreprise",
    "Merci pour le bot, je veux ouvrir une boulangerie en SCOP",
    "je teste votre outil pour mon épicerie solidaire",  # the bot said, and a project
    "Vous pensez qu'on peut avoir une subvention pour notre asso ?",  # an opinion, of their own
    "I want to do a food truck",
    "we would like to do a community kitchen",
    "we'd like to make a shared garden in our neighbourhood",
    "I'd like to open a community café",
    "we want to set up a repair café in Toulouse",
    "I'm planning to open an organic bakery",
    "I want to launch a bike repair workshop",
    "I want to test my business idea before registering a company",
    "help me find funding for my social enterprise",
    "Nice bot! My sister and I want to start a cooperative grocery",
    "Great work! We need premises for our association",
    "congratulations on the bot, I need a loan for my cooperative",
    "What do you think, can you help me fund my repair café?",
    "In general, who funds social enterprises in Toulouse?",  # a general word, a place asked
    "je voudrais vendre du miel",  # a wished trade: goods in quantity
    "on aimerait produire du fromage de chèvre",
    "je veux vendre des vêtements de seconde main",
    "nous voulons livrer des repas aux personnes âgées de Muret",
    "j'aimerais vendre mes bijoux au marché",  # goods of one's own, a trade said
    "I'd like to sell cakes",
    "we want to deliver organic bread by bike",
    "I want to sell my pottery at the market",
    "j'aimerais vivre de ma peinture",  # a living from something of one's own
    "I'd like to live off my photographs",
    "ma fille aimerait vivre de ses dessins",  # someone of theirs
    "je fais des bijoux et j'aimerais en vivre",  # « en vivre »: a thing of theirs said before
    "je pourrais en faire mon métier ?",  # a livelihood made of it, asked
    "ma passion c'est la menuiserie, j'aimerais en faire mon gagne-pain",
    "comment faire pour que mon potager devienne mon métier ?",
    "I want to turn my hobby into a job",
    "could I make a living out of it?",
    "je voudrais bosser pour moi comme couturière",  # working for oneself
    "I'd like to work for myself",  # « work » is no compliment here
    "Depuis quand les SCOP existent à Toulouse ?",  # a place asked: not history alone
    "j'ai inventé un jeu de société et je veux créer ma boîte",  # history words, one's own
]

SMALL_TALK_SAID = [
    "je teste juste le bot",
    "c'est un test",
    "je fais un essai",
    "Félicitations pour le bot !",
    "Bravo, super travail, continuez comme ça",
    "ton bot marche bien",
    "est-ce que ce bot fonctionne ?",
    "salut, c'est juste pour voir si ça marche",
    "merci, très sympa ce robot",
    "I'm just testing this bot",
    "just testing",
    "congrats on the bot, well done",
    "is this thing working?",
    "I'm trying out your chatbot",
    "thanks, that helped a lot",  # thanks in words of thanks by their lemma
]

GENERAL_QUESTIONS = [
    "qu'est-ce que vous pensez des coopératives ?",
    "vous en pensez quoi de l'ESS ?",
    "tu penses quoi des associations ?",
    "les coopératives en général, c'est bien ?",
    "Vous pensez qu'une asso peut avoir une subvention ?",
    "What do you think about cooperatives in general?",
    "do you think cooperatives are a good idea?",
    "what's your opinion on social enterprises?",  # « on » is no « on » in English
    "Depuis quand les associations existent ?",  # a subject's history
    "Qui a inventé les mutuelles ?",
    "D'où vient l'économie sociale et solidaire ?",
    "When were the first cooperatives created?",
    "Since when do co-ops exist?",
    "C'est quand que les SCIC ont été inventées ?",
    "Who set up the first co-op?",
]


@pytest.mark.parametrize("text", REQUESTS)
def test_ones_own_project_or_need_is_a_request_and_gets_recommendations(text: str) -> None:
    assert understand(text, KB).about_project
    assert recommended(text)


@pytest.mark.parametrize("text", SMALL_TALK_SAID)
def test_small_talk_is_no_request_and_gets_nothing(text: str) -> None:
    inference = understand(text, KB)  # « Bravo, … continuez » reads as news first
    assert inference.genre in (SMALL_TALK, ANNOUNCEMENT) and not inference.about_project
    assert recommended(text) == []


@pytest.mark.parametrize("text", GENERAL_QUESTIONS)
def test_a_general_question_without_a_project_of_ones_own_gets_nothing(text: str) -> None:
    inference = understand(text, KB)
    assert inference.genre == GENERAL_QUESTION and not inference.about_project
    assert recommended(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "je veux faire du sport à Muret",  # a place is no activity for « faire »
        "je veux faire un tour en ville",  # nor a word the base has far from the verb
        "je veux faire un gâteau",
        "I want to make a cake",
        "on veut faire un barbecue samedi",
    ],
)
def test_a_wished_faire_of_no_activity_is_no_project(text: str) -> None:
    assert not understand(text, KB).project
    assert recommended(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "je veux vendre ma voiture",  # one thing of one's own, no trade said
        "je voudrais livrer un colis",
        "je voudrais livrer des colis à ma tante",  # an errand
        "je veux vendre mes meubles avant de déménager",
        "je veux manger une pizza",  # no verb of trade
        "on veut faire la fête",
        "il veut vendre du pain",  # somebody else's
        "je ne veux pas vendre des gâteaux",
        "I want to sell my car",
        "we'd like to deliver a parcel",
        "je voudrais vivre à la campagne",  # a life, not a living
        "je veux vivre de manière plus simple",
        "il veut vivre de ses dessins",  # somebody else's
        "I want to live in a bigger flat",
        "il aimerait en vivre",  # somebody else's
        "je ne veux pas en faire mon métier",
        "j'ai fait mon boulot",
    ],
)
def test_a_one_off_sale_an_errand_or_a_wish_of_no_trade_is_no_project(text: str) -> None:
    assert not understand(text, KB).about_project
    assert recommended(text) == []


@pytest.mark.parametrize(
    ("text", "greeting", "thanks"),
    [("bonjour", True, False), ("test", True, False), ("merci super", False, True)],
)
def test_a_greeting_or_thanks_alone_keeps_its_own_answer(
    text: str, greeting: bool, thanks: bool
) -> None:
    inference = understand(text, KB)
    assert (inference.greeting, inference.thanks, inference.genre) == (greeting, thanks, None)


def _taxonomy_file(tmp_path: Path, talk: object) -> Path:
    data = yaml.safe_load((REPO_KNOWLEDGE / "taxonomy.yaml").read_text(encoding="utf-8"))
    if talk is None:
        del data["talk"]
    else:
        data["talk"] = talk
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_talk_words_are_read_folded_from_the_taxonomy(tmp_path: Path) -> None:
    talk = {
        "courtesy": {"fr": ["Félicitations"], "en": ["Kudos"]},
        "general": {"en": ["in general"]},
    }
    read = load_taxonomy(_taxonomy_file(tmp_path, talk)).talk
    assert read == Talk(
        courtesy=frozenset({"felicitations", "kudos"}), general=frozenset({"in general"})
    )
    assert load_taxonomy(_taxonomy_file(tmp_path, None)).talk == Talk()


def test_malformed_talk_words_are_refused_with_their_field(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError) as refused:
        load_taxonomy(_taxonomy_file(tmp_path, {"opinion": {"fr": "penser"}}))
    assert refused.value.field == "talk.opinion"


@pytest.mark.parametrize(
    "text",
    [
        "jfais des gateaux jaimerais les vendre",  # « les »: the goods said before
        "I make some candles and I'd like to sell them",
    ],
)
def test_goods_said_then_wished_sold_are_a_trade(text: str) -> None:
    assert understand(text, KB).project
    assert recommended(text)


@pytest.mark.parametrize(
    "text",
    [
        "j'ai une voiture, je voudrais la vendre",  # one thing: no goods in quantity
        "il fait des gâteaux, il aimerait les vendre",  # somebody else's
        "I have a car and I'd like to sell it",
    ],
)
def test_one_thing_or_another_s_goods_sold_back_are_no_trade(text: str) -> None:
    assert not understand(text, KB).about_project
    assert recommended(text) == []
