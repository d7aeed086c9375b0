"""The results: cards three at a time, « Plus », « Nouvelle recherche » and the feedback."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.core.catalogue import Markup
from bot.core.dialogue.callbacks import Callback, Code
from bot.core.dialogue.events import Button, Reply
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import Logged, Step
from bot.core.dialogue.steps.followup import offer
from bot.core.dialogue.steps.handoff import offers
from bot.core.dialogue.turn import Turn
from bot.core.matching import MatchResult, Profile, reception_points, recommend
from bot.core.presenting import (
    age_warning,
    intro,
    reception_lines,
    render_card,
    unmet_text,
)
from bot.core.records import Feedback
from bot.core.understanding import understand

PAGE = 3
RESULT_LIMIT = 12
MORE = "more"
NEW = "new"
UP = "up"
DOWN = "down"


class Results(Step):
    """What fits the answers, and what the person thinks of it."""

    name = "results"
    codes = (Code.RESULTS,)
    keys = (
        "results.no_more",
        "results.more_intro",
        "results.general",
        "results.question",
        "results.next",
        "results.next_new",
        "button.useful",
        "button.not_useful",
        "button.more",
        "button.new_search",
        "feedback.thanks_useful",
        "feedback.thanks_not_useful",
        "answered",
    )

    def given(self, state: DialogueState) -> bool:
        return state.completed

    def logged(self, state: DialogueState) -> Logged:
        feedback = Feedback(state.feedback) if state.feedback else None
        return {"recommended": state.recommended, "unmet_needs": state.unmet, "feedback": feedback}

    def ask(self, flow: Flow, state: DialogueState) -> list[Reply]:
        return [closing(flow, state)]

    def enter(self, flow: Flow, state: DialogueState, now: datetime, match_text: str) -> Turn:
        state = state.but(shown=0, recommended=())
        state, replies = show(flow, state, match(flow, state, match_text), now, first=True)
        replies[-1:-1] = offer(flow, state)
        return Turn(state, replies)

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        value = button.value
        if value == MORE:
            state, replies = show(flow, state, match(flow, state, ""), now, first=False)
            return Turn(state, replies)
        if value == NEW:
            return flow.start(state, None, now, state.lang, welcome=False)
        if value not in (UP, DOWN) or state.feedback is not None:
            return flow.stale(state)
        lang = state.lang
        useful = value == UP
        state = state.but(feedback="useful" if useful else "not_useful")
        answer = flow.cat.text(lang, "button.useful" if useful else "button.not_useful")
        question = flow.cat.text(lang, "results.question")
        edited = Reply(flow.cat.text(lang, "answered", question=question, answer=answer), edit=True)
        thanks = flow.cat.text(
            lang, "feedback.thanks_useful" if useful else "feedback.thanks_not_useful"
        )
        after = closing(flow, state)  # one message: the thanks above the closing buttons
        return Turn(state, [edited, replace(after, text=Markup(f"{thanks}\n\n{after.text}"))])

    def text(self, flow: Flow, state: DialogueState, text: str, now: datetime) -> Turn:
        """A sentence after the results: a new search from the same answers, changed by it."""
        inference = understand(text, flow.kb, state.lang)
        if inference.empty:
            return Turn(state, [flow.nothing_said(state, inference), closing(flow, state)])
        fresh = flow.start(state, None, now, state.lang, welcome=False)
        carried = fresh.state.but(
            stage=state.stage,
            legal_form=state.legal_form,
            needs=state.needs,
            needs_done=state.needs_done,
            commune=state.commune,
            outside=state.outside,
            commune_done=state.commune_done,
            description_done=True,
        )
        turn = flow.free_text(carried, text, now, description=False)
        turn.closed = fresh.closed
        return turn


def match(flow: Flow, state: DialogueState, text: str) -> MatchResult:
    """The recommendations for the answers (and ``text``, else the words kept)."""
    profile = Profile(
        stage=state.stage,
        legal_form=state.legal_form,
        needs=state.needs,
        commune=state.commune,
        text=text or state.free_text,
        lang=state.lang,
        outside=state.outside,
        inferred=frozenset(state.guessed),
    )
    return recommend(flow.kb, profile, limit=RESULT_LIMIT)


def show(
    flow: Flow, state: DialogueState, result: MatchResult, now: datetime, *, first: bool
) -> tuple[DialogueState, list[Reply]]:
    """The next page of cards (the first one with its introduction) and the closing buttons."""
    lang, cat = state.lang, flow.cat
    recs = result.recommendations
    if not first:
        ranked = {r.actor.id: r for r in recs}
        recs = tuple(ranked[i] for i in state.recommended if i in ranked) + tuple(
            r for r in recs if r.actor.id not in state.recommended
        )
    page = recs[state.shown : state.shown + PAGE]
    parts: list[Markup] = []
    if not page:
        parts.append(
            cat.text(lang, "results.no_more") if state.shown else intro(result, flow.kb, lang, cat)
        )
    else:
        parts.append(
            intro(result, flow.kb, lang, cat) if first else cat.text(lang, "results.more_intro")
        )
        parts += [
            render_card(r, state.shown + i, flow.kb, lang, now.date(), cat)
            for i, r in enumerate(page, 1)
        ]
    state = state.but(
        shown=state.shown + len(page),
        recommended=tuple(dict.fromkeys([*state.recommended, *(r.actor.id for r in page)])),
    )
    if first:
        state = state.but(available=len(recs), unmet=tuple(result.unmet_needs), completed=True)
        if result.unmet_needs:
            parts.append(_unmet(flow, state, result))
    warning = age_warning(page, lang, cat)
    if warning:
        parts.append(warning)
    return state, [Reply(Markup("\n\n".join(parts))), closing(flow, state)]


def _unmet(flow: Flow, state: DialogueState, result: MatchResult) -> Markup:
    """What nothing fits, and the reception places (with a contact) that can still orient,
    but those whose card is already shown."""
    lang = state.lang
    lines = [unmet_text(result, flow.kb, lang, flow.cat)]
    shown = set(state.recommended)
    places = [a for a in reception_points(flow.kb, state.commune) if a.id not in shown]
    found = reception_lines(places, lang, flow.cat)
    if found:
        lines += [flow.cat.text(lang, "results.general"), *found]
    return Markup("\n".join(lines))


def closing(flow: Flow, state: DialogueState) -> Reply:
    """« Was this useful? » (once), then « More » while cards are left, and « New search »."""
    lang, cat = state.lang, flow.cat
    rows: list[tuple[Button, ...]] = []
    if state.feedback is None:
        rows.append(
            (
                flow.button(state, cat.text(lang, "button.useful"), Code.RESULTS, UP),
                flow.button(state, cat.text(lang, "button.not_useful"), Code.RESULTS, DOWN),
            )
        )
    more = flow.button(state, cat.text(lang, "button.more"), Code.RESULTS, MORE)
    new = flow.button(state, cat.text(lang, "button.new_search"), Code.RESULTS, NEW)
    more_left = state.shown < state.available
    rows.append((more, new) if more_left else (new,))
    rows.extend(offers(flow, state))
    if state.feedback is None:
        key = "results.question"
    else:
        key = "results.next" if more_left else "results.next_new"
    return Reply(cat.text(lang, key), tuple(rows))
