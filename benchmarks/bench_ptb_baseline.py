"""The peer: the same conversation written as python-telegram-bot's documentation teaches it.

A ``ConversationHandler`` (one state per question, ``persistent=True``), the same inline
keyboards (stage, legal form, needs toggled then « Valider », a typed commune, « Passer », the
results with 👍/👎) and ``PicklePersistence`` with its defaults: the state lives in memory and
is written to the pickle every 60 seconds, so a crash loses up to a minute of it. The commune
lookup, matching and cards are Aiguillage's own core, so both bots do the same work per answer.
Updates go through the application's update queue, fetcher and default update processor, as
a running PTB bot receives them (``bench_bot`` sets Aiguillage beside it).
"""

from __future__ import annotations

import asyncio
import time
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    PicklePersistence,
    filters,
)
from telegram.warnings import PTBUserWarning

from benchmarks.ptb_harness import LocalBotRequest, local_builder
from bot.core.catalogue import Catalogue
from bot.core.knowledge import KnowledgeBase
from bot.core.matching import Profile, recommend
from bot.core.presenting import label, render_card

STAGE, LEGAL_FORM, NEEDS, COMMUNE, DESCRIPTION, RESULTS = range(6)
SHOWN = 3
PeerApp = Application[Any, Any, Any, Any, Any, Any]
Context = ContextTypes.DEFAULT_TYPE


def _keyboard(kb: KnowledgeBase, kind: str, prefix: str, chosen: tuple[str, ...] = ()) -> Any:
    rows = [
        [
            InlineKeyboardButton(
                ("✓ " if term in chosen else "") + label(kb, kind, term, "fr"),
                callback_data=f"{prefix}{term}",
            )
        ]
        for term in kb.taxonomy.kind(kind)
    ]
    return rows


class Peer:
    """The handlers of the idiomatic bot, over one knowledge base."""

    def __init__(self, kb: KnowledgeBase, cat: Catalogue) -> None:
        self.kb = kb
        self.cat = cat

    async def start(self, update: Update, context: Context) -> int:
        assert update.message is not None and context.user_data is not None
        context.user_data.clear()
        markup = InlineKeyboardMarkup(_keyboard(self.kb, "stages", "s:"))
        await update.message.reply_text("Où en est votre projet ?", reply_markup=markup)
        return STAGE

    async def stage(self, update: Update, context: Context) -> int:
        query = update.callback_query
        assert query is not None and query.data is not None and context.user_data is not None
        await query.answer()
        context.user_data["stage"] = query.data[2:]
        markup = InlineKeyboardMarkup(_keyboard(self.kb, "legal_forms", "f:"))
        await query.edit_message_text(
            "Quel est le statut de votre structure ?", reply_markup=markup
        )
        return LEGAL_FORM

    async def legal_form(self, update: Update, context: Context) -> int:
        query = update.callback_query
        assert query is not None and query.data is not None and context.user_data is not None
        await query.answer()
        context.user_data["legal_form"] = query.data[2:]
        context.user_data["needs"] = ()
        await self._ask_needs(query, ())
        return NEEDS

    async def _ask_needs(self, query: Any, chosen: tuple[str, ...]) -> None:
        rows = _keyboard(self.kb, "needs", "n:", chosen)
        rows.append([InlineKeyboardButton("Valider", callback_data="nv:ok")])
        await query.edit_message_text(
            "De quoi avez-vous besoin ?", reply_markup=InlineKeyboardMarkup(rows)
        )

    async def need(self, update: Update, context: Context) -> int:
        query = update.callback_query
        assert query is not None and query.data is not None and context.user_data is not None
        await query.answer()
        need = query.data[2:]
        needs: tuple[str, ...] = context.user_data["needs"]
        needs = tuple(n for n in needs if n != need) if need in needs else (*needs, need)
        context.user_data["needs"] = needs
        await self._ask_needs(query, needs)
        return NEEDS

    async def needs_done(self, update: Update, context: Context) -> int:
        query = update.callback_query
        assert query is not None
        await query.answer()
        outside = InlineKeyboardButton("Hors Haute-Garonne", callback_data="c:outside")
        await query.edit_message_text(
            "Dans quelle commune ?", reply_markup=InlineKeyboardMarkup([[outside]])
        )
        return COMMUNE

    async def commune(self, update: Update, context: Context) -> int:
        assert update.message is not None and update.message.text is not None
        assert context.user_data is not None
        found = self.kb.territory.lookup(update.message.text).commune
        if found is None:
            await update.message.reply_text("Je ne connais pas cette commune.")
            return COMMUNE
        context.user_data["commune"] = found.insee
        skip = InlineKeyboardButton("Passer", callback_data="d:skip")
        await update.message.reply_text(
            "Décrivez votre projet en une phrase.", reply_markup=InlineKeyboardMarkup([[skip]])
        )
        return DESCRIPTION

    async def skip(self, update: Update, context: Context) -> int:
        query = update.callback_query
        assert query is not None and query.message is not None and context.user_data is not None
        await query.answer()
        data = context.user_data
        profile = Profile(data["stage"], data["legal_form"], data["needs"], data["commune"])
        found = recommend(self.kb, profile).recommendations[:SHOWN]
        data["recommended"] = [r.actor.id for r in found]
        today = date.today()
        cards = [render_card(r, n, self.kb, "fr", today, self.cat) for n, r in enumerate(found, 1)]
        await query.edit_message_text("\n\n".join(cards))
        buttons = [
            InlineKeyboardButton("👍", callback_data="r:up"),
            InlineKeyboardButton("👎", callback_data="r:down"),
        ]
        await context.bot.send_message(
            query.message.chat.id,
            "Cette orientation vous aide-t-elle ?",
            reply_markup=InlineKeyboardMarkup([buttons]),
        )
        return RESULTS

    async def feedback(self, update: Update, context: Context) -> int:
        query = update.callback_query
        assert query is not None and query.data is not None and context.user_data is not None
        await query.answer()
        context.user_data["feedback"] = query.data[2:]
        await query.edit_message_text("Merci !")
        return ConversationHandler.END


def build_peer(
    kb: KnowledgeBase, cat: Catalogue, pickle: Path, request: LocalBotRequest
) -> PeerApp:
    """The peer application, answered in-process by ``request``."""
    peer = Peer(kb, cat)

    def press(callback: Callable[..., Any], pattern: str) -> CallbackQueryHandler[Any, Any]:
        return CallbackQueryHandler(callback, pattern=pattern)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)  # per_message=False with buttons
        conversation = ConversationHandler(
            entry_points=[CommandHandler("start", peer.start)],
            states={
                STAGE: [press(peer.stage, r"^s:")],
                LEGAL_FORM: [press(peer.legal_form, r"^f:")],
                NEEDS: [press(peer.need, r"^n:"), press(peer.needs_done, r"^nv:")],
                COMMUNE: [MessageHandler(filters.TEXT & ~filters.COMMAND, peer.commune)],
                DESCRIPTION: [press(peer.skip, r"^d:")],
                RESULTS: [press(peer.feedback, r"^r:")],
            },
            fallbacks=[CommandHandler("start", peer.start)],
            name="orientation",
            persistent=True,
        )
    app = local_builder(request).persistence(PicklePersistence(pickle)).build()
    app.add_handler(conversation)
    return app


async def feed(app: PeerApp, steps: list[list[Update]]) -> float:
    """Seconds to handle every step's updates, each step put in the update queue then awaited
    (everyone answers, then everyone presses the next button)."""
    elapsed = 0.0
    for updates in steps:
        started = time.perf_counter()
        for update in updates:
            await app.update_queue.put(update)
        await asyncio.wait_for(app.update_queue.join(), timeout=600)
        elapsed += time.perf_counter() - started
    return elapsed


def run() -> None:
    """The peer alone; its ratio to Aiguillage is printed by ``bench_bot``."""
    from benchmarks.bench_bot import peer_rate

    print(f"{'ptb_peer.conversation_updates':<36} {peer_rate():>12,.0f} updates/s")
