"""Coordinators' commands: ``/stats``, ``/export``, ``/lien`` (allowlisted Telegram user ids).

A coordinator limited to a territory (``AIGUILLAGE_COORDINATORS=ID:territory``) sees only the
conversations of that territory; the others see all of them, or one territory they name
(``/stats 30j tarn``). Anyone else gets exactly the dialogue's answer to an unknown command:
nothing reveals that these commands exist. Coordinators' messages are in French, like the reports.
"""

from __future__ import annotations

import asyncio
import html
import io
import logging
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot, Update
from telegram.ext import ContextTypes

from bot.adapters.telegram.conversation import Conversation
from bot.adapters.telegram.runtime import Runtime
from bot.core.catalogue import bundled, to_plain
from bot.reports import Labels, Report, chart, csv_writer, render_text, stats_picture
from bot.reports.drawing import DrawingFailed
from bot.reports.phrases import phrase
from bot.reports.poster import deep_link, is_valid_source, poster_png, source_rule
from bot.storage.aggregates import Scope

log = logging.getLogger(__name__)

LANG = "fr"
STATS_PERIODS: dict[str, timedelta | None] = {
    "7j": timedelta(days=7),
    "30j": timedelta(days=30),
    "12m": timedelta(days=365),
}
EXPORT_PERIODS = {**STATS_PERIODS, "all": None}
DEFAULT_PERIOD = "30j"


@dataclass(frozen=True)
class Stats:
    """The ``/stats`` content: a plain-text summary, and its chart still being drawn when the
    summary is ready (the task gives None when it was not drawn)."""

    text: str
    chart_png: asyncio.Task[bytes | None]


def parse_period(
    args: Sequence[str] | None, choices: Mapping[str, timedelta | None]
) -> timedelta | None:
    """The period named by a command's arguments (None: no bound); ValueError if not a choice."""
    words = list(args or [DEFAULT_PERIOD])
    if len(words) != 1 or words[0].lower() not in choices:
        raise ValueError(words)
    return choices[words[0].lower()]


def parse_scope(
    args: Sequence[str] | None,
    choices: Mapping[str, timedelta | None],
    territories: Sequence[str],
    limited_to: str | None,
) -> tuple[timedelta | None, str | None]:
    """The period and territory a command's arguments name (a territory last); a coordinator
    ``limited_to`` a territory gets that one. ValueError for anything else."""
    words = list(args or [])
    named = words.pop().lower() if words and words[-1].lower() in territories else None
    if limited_to is not None and named not in (None, limited_to):
        raise ValueError(named)
    return parse_period(words, choices), limited_to or named


def stats_text(report: Report, territory: str | None, labels: Labels) -> str:
    """The ``/stats`` message: the territory's name when one is shown, then the summary."""
    lines = [f"Territoire\u00a0: {territory}"] if territory is not None else []
    lines.append(render_text(report.summary, LANG, labels, outcomes=report.outcomes))
    return "\n".join(lines)


async def _drawn(drawing: Awaitable[bytes]) -> bytes | None:
    """The chart, or None (logged) when the drawing process could not draw it."""
    try:
        return await drawing
    except DrawingFailed as error:
        log.warning("/stats chart not drawn: %s", error)
        return None


async def stats(runtime: Runtime, period: timedelta | None, territory: str | None = None) -> Stats:
    """The summary of the conversations started during the last ``period`` (None: all), of
    one ``territory`` when given, read through the service (the past days not counted yet
    counted first, a day each time the bot's lock is taken) and written in a thread; its
    chart then started in the drawing process, left to finish once the summary is sent (on a
    loaded machine, drawing it meanwhile would delay the summary as much). Nothing of it runs
    long on the event loop."""
    until = runtime.service.clock()
    scope = Scope(None if period is None else until - period, until, territory)
    report = await runtime.service.report(scope, runtime.lock)
    text = await asyncio.to_thread(stats_text, report, territory, runtime.labels)
    picture = stats_picture(report.summary, runtime.labels, LANG)
    return Stats(text, asyncio.create_task(_drawn(runtime.drawer.draw(chart.png, *picture))))


async def send_stats(bot: Bot, chat_id: int, content: Stats) -> None:
    """The summary as a message, then the chart as a photo once drawn, or the line saying it
    is missing."""
    await bot.send_message(chat_id, html.escape(content.text, quote=False))
    picture = await content.chart_png
    if picture is None:
        await bot.send_message(chat_id, html.escape(phrase("coordinator.chart_failed", LANG)))
        return
    await bot.send_photo(chat_id, picture, filename="aiguillage-stats.png")


class Coordinators:
    """The three coordinator commands; every call checks the allowlist first."""

    def __init__(self, runtime: Runtime, conversation: Conversation) -> None:
        self.runtime = runtime
        self.conversation = conversation
        if runtime.settings.coordinators:
            runtime.drawer.warm()

    async def _allowed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
        """The coordinator's chat id; for anyone else, the unknown-command answer and None."""
        user, chat = update.effective_user, update.effective_chat
        if user is not None and chat is not None and self.runtime.is_coordinator(user.id):
            return chat.id
        await self.conversation.command(update, context)
        return None

    async def _allowed_period(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        periods: dict[str, timedelta | None],
        usage: str,
    ) -> tuple[int, timedelta | None, str | None] | None:
        """The coordinator's chat, the period and the territory asked for (or the one the
        coordinator is limited to); None once answered otherwise."""
        chat_id = await self._allowed(update, context)
        if chat_id is None or update.effective_user is None:
            return None
        limited_to = self.runtime.coordinator_territory(update.effective_user.id)
        names = self.runtime.service.dialogue.kb.territory.names
        try:
            return chat_id, *parse_scope(context.args, periods, names, limited_to)
        except ValueError:
            await context.bot.send_message(chat_id, html.escape(usage))
            return None

    async def stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/stats [7j|30j|12m]``: summary and chart of the period."""
        usage = phrase("coordinator.stats_usage", LANG)
        allowed = await self._allowed_period(update, context, STATS_PERIODS, usage)
        if allowed is None:
            return
        chat_id, period, territory = allowed
        await send_stats(context.bot, chat_id, await stats(self.runtime, period, territory))

    async def export(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/export [7j|30j|12m|all]``: the pseudonymised demand log as a CSV file."""
        usage = phrase("coordinator.export_usage", LANG)
        allowed = await self._allowed_period(update, context, EXPORT_PERIODS, usage)
        if allowed is None:
            return
        chat_id, period, territory = allowed
        now = self.runtime.service.clock()
        scope = Scope(None if period is None else now - period, now, territory)
        out = io.StringIO()
        async with self.runtime.lock:
            count = await self.runtime.service.export(scope, csv_writer(out))
        await context.bot.send_document(
            chat_id,
            out.getvalue().encode("utf-8"),
            filename=f"aiguillage-export-{now.date().isoformat()}.csv",
            caption=to_plain(bundled().plural(LANG, "coordinator.export_caption", count)),
        )

    async def link(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/lien SOURCE``: the deep link counting that source, and its printable QR poster."""
        chat_id = await self._allowed(update, context)
        if chat_id is None:
            return
        args = context.args or []
        if len(args) != 1 or not is_valid_source(args[0]):
            usage = phrase("coordinator.link_usage", LANG, rule=source_rule(LANG))
            await context.bot.send_message(chat_id, html.escape(usage))
            return
        source = args[0]
        link = deep_link(context.bot.username, source)
        poster = await asyncio.to_thread(poster_png, link, source, LANG)
        await context.bot.send_message(chat_id, html.escape(link))
        await context.bot.send_photo(chat_id, poster, filename=f"affiche-{source}.png")
