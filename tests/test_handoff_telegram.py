"""Hand-off end to end: the real PTB bot on the fake Bot API, a real SQLite file, a real SMTP
server on 127.0.0.1 (aiosmtpd), and a fixture knowledge base where one structure takes
hand-offs (``tests/fixtures/handoff-kb``: fictional, example.org addresses)."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import BotUnderTest, RecordingBotApi, running_bot, settings_for, texts
from smtp_server import HOST, free_port, mail_server

from bot.config import REPO_KNOWLEDGE, Settings
from bot.core.loader import load_knowledge
from bot.core.understanding import understand
from bot.handoff.desk import HandoffDesk
from bot.handoff.smtp import parse_smtp_url
from bot.service import Who
from bot.storage.handoffs import Handoff, Status

USER = 424242
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "handoff-kb"
SENDER = "Aiguillage <bot@example.org>"
EMAIL = "marie.durand@example.net"
NEED = "Je voudrais un rendez-vous pour parler de mon café associatif."
OFFER = "Être mis·e en relation : Accueil Fictif ESS"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture actors and source with the bundled taxonomy, communes and thesaurus."""
    root = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(FIXTURE, root)
    for name in ("taxonomy.yaml", "communes.json", "thesaurus.yaml"):
        shutil.copy(REPO_KNOWLEDGE / name, root / name)
    understand("je cherche un conseil", load_knowledge(root), "fr")  # the dictionaries, once
    return root


def with_mail(api: RecordingBotApi, tmp_path: Path, kb: Path, url: str | None) -> Settings:
    settings = settings_for(api, tmp_path)
    smtp = parse_smtp_url(url) if url else None
    return dataclasses.replace(settings, kb_path=kb, smtp=smtp, smtp_from=SENDER if url else None)


def desk(bot: BotUnderTest) -> HandoffDesk:
    assert bot.service.handoffs is not None
    return bot.service.handoffs


async def results(bot: BotUnderTest) -> list[str]:
    await bot.say(USER, "/start")
    await bot.tap(USER, "J'ai une idée")
    await bot.tap(USER, "Association")
    await bot.tap(USER, "Être conseillé")
    await bot.tap(USER, "Valider")
    await bot.say(USER, "Toulouse")
    return texts(await bot.tap(USER, "Passer"))


async def ask_for_handoff(bot: BotUnderTest) -> list[str]:
    """From the results to the preview; the texts of the preview turn."""
    calls = await bot.tap(USER, OFFER)
    assert "Être mis·e en relation avec Accueil Fictif ESS" in texts(calls)[-1]
    calls = await bot.tap(USER, "Oui, continuer")
    assert "Comment la structure peut-elle vous joindre" in texts(calls)[-1]
    calls = await bot.say(USER, "mon adresse c'est par ici")
    assert "Je n'ai pas reconnu" in texts(calls)[0], "typed and checked"
    calls = await bot.say(USER, EMAIL)
    assert "de quoi avez-vous besoin" in texts(calls)[-1]
    return texts(await bot.say(USER, NEED))


async def run_drain(bot: BotUnderTest) -> None:
    """One pass of the hand-off job, as the job queue runs it."""
    (job,) = bot.app.job_queue.get_jobs_by_name("handoffs")  # type: ignore[union-attr]
    await job.run(bot.app)


async def test_without_a_mail_server_no_button(
    api: RecordingBotApi, tmp_path: Path, kb: Path
) -> None:
    async with running_bot(api, with_mail(api, tmp_path, kb, None)) as bot:
        shown = await results(bot)
        assert any("Accueil Fictif ESS" in t for t in shown)
        with pytest.raises(AssertionError):
            bot.button(USER, "Être mis·e en relation")
        assert bot.service.handoffs is None


async def test_hand_off_end_to_end(api: RecordingBotApi, tmp_path: Path, kb: Path) -> None:
    with mail_server() as (server, url):
        async with running_bot(api, with_mail(api, tmp_path, kb, url)) as bot:
            await results(bot)
            labels = [
                b["text"]
                for m in api.bot_messages(USER)
                for row in m.get("reply_markup", {}).get("inline_keyboard", [])
                for b in row
            ]
            assert [lab for lab in labels if "relation" in lab] == [f"📨 {OFFER}"], (
                "only the structure whose record accepts hand-offs"
            )
            (preview,) = await ask_for_handoff(bot)
            assert "Voici le message que j'enverrai à Accueil Fictif ESS" in preview
            assert "accueil@example.org" in preview and EMAIL in preview and NEED in preview
            states = bot.rows("SELECT state FROM dialogue_state")
            assert states and EMAIL not in states[0][0] and "café" not in states[0][0], (
                "the reach and the words stay in memory only"
            )
            shown = texts(await bot.tap(USER, "Envoyer"))  # the notice may come in between
            assert any("Copie de votre demande" in t and NEED in t for t in shown)
            assert any("j'envoie votre demande à Accueil Fictif ESS" in t for t in shown)
            (received,) = server.wait(1)
            await api.wait_for(lambda _: any("bien partie" in t for t in api.sent_texts(USER)))
            mydata = texts(await bot.say(USER, "/mesdonnees"))[0]
            assert (
                "Vos mises en relation (1)" in mydata and "Accueil Fictif ESS — envoyée" in mydata
            )
            logged = bot.rows("SELECT actor, status FROM handoffs")
            queue = bot.rows("SELECT COUNT(*) FROM handoff_queue")
            await bot.say(USER, "/oubli")
            await bot.tap(USER, "Oui, tout effacer")
            assert bot.rows("SELECT COUNT(*) FROM handoffs") == [(0,)], "/oubli erases hand-offs"
    assert received["To"] == "accueil@example.org" and received["Reply-To"] == EMAIL
    mail = received.get_content()
    assert (
        NEED in mail
        and "Étape du projet : J'ai une idée" in mail
        and "Statut : Association" in mail
    )
    assert "Commune : Toulouse" in mail and "Pourquoi Aiguillage" in mail
    for line in mail.strip().splitlines():
        assert line in preview.replace("&#x27;", "'").replace("&quot;", '"') or not line
    assert logged == [("accueil-fictif", "delivered")] and queue == [(0,)]
    assert str(USER).encode() not in (tmp_path / "aiguillage.sqlite3").read_bytes()


async def test_5xx_the_person_gets_the_contacts(
    api: RecordingBotApi, tmp_path: Path, kb: Path
) -> None:
    with mail_server() as (server, url):
        server.script = ["550 5.1.1 Mailbox unknown"]
        async with running_bot(api, with_mail(api, tmp_path, kb, url)) as bot:
            await results(bot)
            await ask_for_handoff(bot)
            await bot.tap(USER, "Envoyer")
            told = await api.wait_for(
                lambda _: any("pas réussi à transmettre" in t for t in api.sent_texts(USER))
            )
            assert told
            (notice,) = [t for t in api.sent_texts(USER) if "pas réussi" in t]
            assert "contact@example.org" in notice, "the published contact instead"
            assert bot.rows("SELECT status FROM handoffs") == [("refused",)]
    assert server.messages == []


@pytest.fixture
async def mail_down(api: RecordingBotApi, tmp_path: Path, kb: Path) -> AsyncIterator[BotUnderTest]:
    """The bot, its mail server unreachable, at the results (the offer shown)."""
    settings = with_mail(api, tmp_path, kb, f"smtp://{HOST}:{free_port()}")
    async with running_bot(api, settings) as bot:
        await results(bot)
        yield bot


async def test_server_down_for_a_day_given_up_and_told(
    api: RecordingBotApi, mail_down: BotUnderTest
) -> None:
    bot = mail_down
    await ask_for_handoff(bot)
    await bot.tap(USER, "Envoyer")
    queue = desk(bot).queue
    await run_drain(bot)
    ((status, attempts),) = bot.rows(
        "SELECT status, attempts FROM handoffs JOIN handoff_queue USING (id)"
    )
    assert status == "queued" and attempts >= 1, "the server is down: kept, retried later"
    later = datetime.now(UTC) + timedelta(days=1, minutes=1)
    queue.clock = lambda: later
    await run_drain(bot)
    (notice,) = [t for t in api.sent_texts(USER) if "pas réussi" in t]
    assert "contact@example.org" in notice
    assert bot.rows("SELECT status FROM handoffs") == [("given_up",)]
    assert bot.rows("SELECT COUNT(*) FROM handoff_queue") == [(0,)]


async def asked_before(bot: BotUnderTest, count: int) -> None:
    """``count`` more hand-offs asked by ``USER`` in the last 24 hours, already delivered."""
    store = desk(bot).queue.store
    user = bot.service.pseudonym(Who(USER))
    for _ in range(count):
        handoff_id = f"old{len(bot.rows('SELECT id FROM handoffs'))}"
        handoff = Handoff(
            handoff_id, user, "c", "accueil-fictif", datetime.now(UTC), Status.DELIVERED
        )
        await store.add(handoff, "00", "fr", "x")
        await store.finish(handoff_id, Status.DELIVERED, handoff.created_at)
        await store.told(handoff_id)


async def test_three_a_day_said_before_anything_is_typed(mail_down: BotUnderTest) -> None:
    bot = mail_down
    await asked_before(bot, 3)
    calls = await bot.tap(USER, OFFER)
    (said,) = texts(calls)
    assert "déjà demandé 3 mises en relation" in said and "contact@example.org" in said
    assert "joindre" not in said, "not asked how to be reached: nothing typed in vain"
    assert all("message_id" not in call.params for call in calls), "the results stay as they were"
    assert bot.button(USER, OFFER), "and their buttons still work"
    assert len(bot.rows("SELECT id FROM handoffs")) == 3


async def test_the_limit_reached_while_writing_is_checked_again_at_send(
    mail_down: BotUnderTest,
) -> None:
    bot = mail_down
    await asked_before(bot, 2)
    await ask_for_handoff(bot)
    await asked_before(bot, 1)  # the third, from another conversation, meanwhile
    (refused, *_) = texts(await bot.tap(USER, "Envoyer"))
    assert "déjà demandé 3 mises en relation" in refused and "contact@example.org" in refused
    assert len(bot.rows("SELECT id FROM handoffs")) == 3, "nothing queued past the limit"


async def test_my_data_says_what_is_sent_to_whom_and_lists_hand_offs(
    mail_down: BotUnderTest,
) -> None:
    bot = mail_down
    (said, *_) = texts(await bot.say(USER, "/mesdonnees"))
    assert "à la structure choisie, et à elle seule" in said and "votre e-mail ou téléphone" in said
    assert "Vos mises en relation" not in said, "none yet"
    await asked_before(bot, 1)
    (said, *_) = texts(await bot.say(USER, "/mesdonnees"))
    assert "Vos mises en relation (1)" in said and "Accueil Fictif ESS — envoyée" in said
    await bot.say(USER, "/oubli")
    await bot.tap(USER, "Oui, tout effacer")
    (said, *_) = texts(await bot.say(USER, "/mesdonnees"))
    assert "Vos mises en relation" not in said, "erased"


async def test_cancel_and_a_blocked_bot(api: RecordingBotApi, tmp_path: Path, kb: Path) -> None:
    with mail_server() as (server, url):
        async with running_bot(api, with_mail(api, tmp_path, kb, url)) as bot:
            await results(bot)
            await bot.tap(USER, OFFER)
            calls = await bot.tap(USER, "Annuler")
            assert "je n'envoie rien" in texts(calls)[0]
            assert bot.button(USER, OFFER), "offered again after a cancel"
            await ask_for_handoff(bot)
            desk(bot).queue.wake = lambda: None  # drained below, once the fault is set
            await bot.tap(USER, "Envoyer")
            api.fail_next("sendMessage", 403, description="Forbidden: bot was blocked by the user")
            await run_drain(bot)
            server.wait(1)
            assert bot.rows("SELECT status FROM handoffs") == [("delivered",)]
            assert bot.rows("SELECT COUNT(*) FROM handoff_queue") == [(0,)], "blocked: not retried"
