"""The erasure screen's « Oui » on the real storage: the PTB bot on a real SQLite file, the fake
Bot API. A forged « Oui », or the « Oui » of an earlier question, erases nothing; the current
one erases everything, once."""

from __future__ import annotations

from pathlib import Path

from conftest import RecordingBotApi, running_bot, settings_for, texts

USER = 515_151
TABLES = ("conversations", "dialogue_state")


async def test_an_old_or_forged_yes_erases_nothing_in_the_database(
    api: RecordingBotApi, tmp_path: Path
) -> None:
    async with running_bot(api, settings_for(api, tmp_path), in_process=True) as bot:

        def counts() -> list[int]:
            return [bot.rows(f"SELECT COUNT(*) FROM {table}")[0][0] for table in TABLES]

        await bot.say(USER, "/start accueil")
        await bot.tap(USER, "J'ai une idée")
        await bot.say(USER, "/oubli")
        old_yes, _ = bot.button(USER, "Oui, tout effacer")
        await bot.say(USER, "/oubli")
        yes, message = bot.button(USER, "Oui, tout effacer")
        step, *rest = yes.split("|")
        assert old_yes != yes and rest == ["o", "y"]
        for forged in (old_yes, "o|y", f"{int(step) + 1}|o|y", f"{step}|o|x", "*|o|y"):
            calls = await bot.press(USER, forged, message)
            assert "n'est plus actif" in texts(calls)[0], forged
            assert counts() == [1, 1], f"{forged}: nothing erased"
        calls = await bot.press(USER, yes, message)
        assert "C'est fait" in texts(calls)[0]
        assert counts() == [0, 0], "the current « Oui » erases"

        await bot.say(USER, "/start accueil")
        await bot.tap(USER, "J'ai une idée")
        calls = await bot.press(USER, yes, message)
        assert "C'est fait" not in " ".join(texts(calls)), "a « Oui » works once"
        assert counts() == [1, 1]
