"""« Être mis·e en relation » — the person's request e-mailed to a structure that takes it.

Four screens after the results, reached from a card's button: confirm; how to be reached
(typed and checked); what they need in one or two sentences; the exact message, with
« Envoyer ». The e-mail address or phone and the words are held in memory only
(:data:`~bot.core.dialogue.state.MEMORY_ONLY`); « Envoyer » hands the
:class:`~bot.handoff.mail.Request` to the service in ``Turn.handoff``, which queues it.
The buttons show only when the service sends hand-offs (``Flow.handoffs``) and for the
structures whose record accepts them (``handoff: {email, since}``).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from bot.core.catalogue import Markup
from bot.core.dialogue.callbacks import NO, YES, Callback, Code
from bot.core.dialogue.events import Button, Reply
from bot.core.dialogue.flow import RESULTS, Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import ButtonsOnly, Rows, Step
from bot.core.dialogue.turn import Turn
from bot.core.knowledge import Actor
from bot.core.presenting import commune_name
from bot.handoff.mail import Request, body, subject
from bot.handoff.reach import read_reach
from bot.handoff.summary import answer_lines, reason_lines

OFFER = "a"
"""Offer buttons carry ``a<index>``: the position of the structure among those shown."""
CANCEL = NO
SEND = "send"
EDIT = "edit"
NEED_LIMIT = 400
"""One or two sentences."""
CONFIRM = "handoff_confirm"
REACH = "handoff_reach"
NEED = "handoff_need"
PREVIEW = "handoff_preview"


def offers(flow: Flow, state: DialogueState) -> Rows:
    """One « Être mis·e en relation » button per structure shown that takes hand-offs."""
    if not flow.handoffs:
        return ()
    rows: list[tuple[Button, ...]] = []
    for index, actor_id in enumerate(state.recommended):
        actor = flow.kb.actor(actor_id)
        if actor is not None and actor.handoff is not None and actor_id not in state.handed:
            name = actor.acronym or actor.name
            text = flow.cat.text(state.lang, "button.put_in_touch", name=name)
            rows.append((flow.button(state, text, Code.HANDOFF, f"{OFFER}{index}"),))
    return tuple(rows)


def _offered(flow: Flow, state: DialogueState, value: str) -> Actor | None:
    """The structure an offer button names, if it may still be offered."""
    index = value.removeprefix(OFFER)
    if not flow.handoffs or not index.isdigit() or int(index) >= len(state.recommended):
        return None
    actor = flow.kb.actor(state.recommended[int(index)])
    if actor is None or actor.handoff is None or actor.id in state.handed:
        return None
    return actor


def _actor(flow: Flow, state: DialogueState) -> Actor | None:
    actor = flow.kb.actor(state.handoff_actor or "")
    return actor if actor is not None and actor.handoff is not None else None


def _cancel_button(flow: Flow, state: DialogueState, code: Code) -> Button:
    return flow.button(state, flow.cat.text(state.lang, "button.handoff_cancel"), code, CANCEL)


def _back_to_results(flow: Flow, state: DialogueState, **changes: object) -> DialogueState:
    return flow.move(
        state, RESULTS, push=False, handoff_actor=None, handoff_reach=None, handoff_need=None,
        **changes,
    )  # fmt: skip


def cancel(flow: Flow, state: DialogueState) -> Turn:
    """Nothing sent: back to the results' buttons."""
    state = _back_to_results(flow, state)
    return Turn(
        state, [Reply(flow.cat.text(state.lang, "handoff.cancelled"), edit=True), *flow.ask(state)]
    )


def request(flow: Flow, state: DialogueState, handoff_id: str = "") -> Request | None:
    """The message the answers so far make (None while something is missing)."""
    from bot.core.dialogue.steps.results import match  # results shows this step's offers

    actor = _actor(flow, state)
    reach = read_reach(state.handoff_reach or "")
    if actor is None or actor.handoff is None or reach is None or not state.handoff_need:
        return None
    found = (r for r in match(flow, state, "").recommendations if r.actor.id == actor.id)
    recommendation = next(found, None)
    place = commune_name(flow.kb, state.commune) if state.commune else None
    return Request(
        handoff_id=handoff_id,
        actor_id=actor.id,
        actor_name=actor.name,
        to=actor.handoff.email,
        reach=reach,
        need=state.handoff_need,
        answers=answer_lines(flow.kb, flow.cat, state.stage, state.legal_form, state.needs, place),
        reasons=reason_lines(recommendation, flow.kb, flow.cat) if recommendation else (),
    )


class HandoffConfirm(ButtonsOnly):
    """« Voulez-vous que j'envoie votre demande à … ? » — from a card's offer button."""

    name = CONFIRM
    codes = (Code.HANDOFF,)
    anywhere = True  # the offer buttons are pressed from the results
    keys = (
        "handoff.ask_confirm",
        "button.put_in_touch",
        "button.handoff_yes",
        "button.handoff_cancel",
        "handoff.cancelled",
        "answer_buttons_first",
    )

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        actor = _actor(flow, state)
        name = actor.name if actor else ""
        rows = flow.yes_no(state, Code.HANDOFF, "button.handoff_yes", "button.handoff_cancel")
        return flow.cat.text(state.lang, "handoff.ask_confirm", name=name), rows

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        if button.value.startswith(OFFER):
            actor = _offered(flow, state, button.value)
            if actor is None or state.step != RESULTS:
                return flow.stale(state)
            state = flow.move(state, self.name, push=False, handoff_actor=actor.id)
            return Turn(state, flow.ask(state))
        if state.step != self.name or _actor(flow, state) is None:
            return flow.stale(state)
        if button.value == CANCEL:
            return cancel(flow, state)
        if button.value != YES:
            return flow.stale(state)
        state = flow.move(state, REACH, push=False)
        return Turn(state, [flow.reask(state)])


class Typed(Step):
    """A hand-off question answered by typing, with « Annuler »."""

    asked: ClassVar[str]
    """The catalogue key of the question."""

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        row = (_cancel_button(flow, state, self.codes[0]),)
        return flow.cat.text(state.lang, self.asked), (row,)

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        return cancel(flow, state) if button.value == CANCEL else flow.stale(state)


class HandoffReach(Typed):
    """« Comment la structure peut-elle vous joindre ? » — an e-mail address or a phone."""

    name = REACH
    codes = (Code.HANDOFF_REACH,)
    switches_language = False  # an address is no sentence
    asked = "handoff.ask_reach"
    keys = ("handoff.ask_reach", "handoff.bad_reach", "button.handoff_cancel")

    def text(self, flow: Flow, state: DialogueState, text: str, now: datetime) -> Turn:
        reach = read_reach(text)
        if reach is None:
            return Turn(state, [flow.say(state, "handoff.bad_reach"), *flow.ask(state)])
        state = flow.move(state, NEED, push=False, handoff_reach=reach.value)
        return Turn(state, flow.ask(state))


class HandoffNeed(Typed):
    """« En une ou deux phrases, de quoi avez-vous besoin ? »"""

    name = NEED
    codes = (Code.HANDOFF_NEED,)
    asked = "handoff.ask_need"
    keys = ("handoff.ask_need", "handoff.need_too_long", "button.handoff_cancel")

    def text(self, flow: Flow, state: DialogueState, text: str, now: datetime) -> Turn:
        if len(text) > NEED_LIMIT:
            note = flow.say(state, "handoff.need_too_long", limit=NEED_LIMIT)
            return Turn(state, [note, *flow.ask(state)])
        if state.handoff_reach is None:  # held in memory: lost if the bot restarted meanwhile
            state = flow.move(state, REACH, push=False)
            return Turn(state, [flow.say(state, "handoff.lost"), *flow.ask(state)])
        state = flow.move(state, PREVIEW, push=False, handoff_need=" ".join(text.split()))
        return Turn(state, flow.ask(state))


class HandoffPreview(ButtonsOnly):
    """The exact message, then « Envoyer », « Modifier » or « Annuler »."""

    name = PREVIEW
    codes = (Code.HANDOFF_PREVIEW,)
    keys = (
        "handoff.preview",
        "handoff.copy",
        "handoff.queued",
        "handoff.lost",
        "button.handoff_send",
        "button.handoff_edit",
        "button.handoff_cancel",
        "answer_buttons_first",
    )

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        lang, cat = state.lang, flow.cat
        edit = flow.button(state, cat.text(lang, "button.handoff_edit"), Code.HANDOFF_PREVIEW, EDIT)
        cancel_button = _cancel_button(flow, state, Code.HANDOFF_PREVIEW)
        shown = request(flow, state)
        if shown is None:
            return cat.text(lang, "handoff.lost"), ((edit, cancel_button),)
        send = flow.button(state, cat.text(lang, "button.handoff_send"), Code.HANDOFF_PREVIEW, SEND)
        return _message(flow, state, shown, "handoff.preview"), ((send,), (edit, cancel_button))

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        if button.value == CANCEL:
            return cancel(flow, state)
        if button.value == EDIT:
            state = flow.move(state, REACH, push=False, handoff_reach=None, handoff_need=None)
            return Turn(state, [flow.reask(state)])
        sent = request(flow, state, flow.new_id())
        if button.value != SEND or sent is None:
            return flow.stale(state)
        copy = Reply(_message(flow, state, sent, "handoff.copy"), edit=True)
        actor = _actor(flow, state)
        assert actor is not None
        state = _back_to_results(flow, state, handed=(*state.handed, actor.id))
        queued = flow.say(state, "handoff.queued", name=actor.name)
        return Turn(state, [copy, queued, *flow.ask(state)], handoff=sent)


def _message(flow: Flow, state: DialogueState, sent: Request, key: str) -> Markup:
    """The preview or the copy: the e-mail word for word."""
    return flow.cat.text(
        state.lang, key, name=sent.actor_name, email=sent.to, subject=subject(sent, flow.cat),
        body=body(sent, flow.cat),
    )  # fmt: skip
