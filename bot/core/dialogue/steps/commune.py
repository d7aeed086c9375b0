"""« Dans quelle commune ? » — typed, with « did you mean » buttons, or « outside »."""

from __future__ import annotations

from datetime import datetime

from bot.core.catalogue import Markup, escape
from bot.core.dialogue.callbacks import Callback, Code
from bot.core.dialogue.events import Reply
from bot.core.dialogue.flow import Flow
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.base import Logged, Rows, Step
from bot.core.dialogue.turn import Turn
from bot.core.matching import OUTSIDE_UNKNOWN
from bot.core.presenting import commune_name
from bot.core.territory import Commune as KnownCommune
from bot.core.territory import OutsidePlace
from bot.core.text import fold
from bot.core.understanding import Inference, understand

OUTSIDE = "out"
RETRY = "retry"
CANDIDATES_SHOWN = 5
SENTENCE_WORDS = 3


class Commune(Step):
    """Where the project is."""

    name = "commune"
    question = True
    codes = (Code.COMMUNE,)
    fix_key = "button.fix.commune"
    switches_language = False  # « Saint-Jean » is a place, not a sentence in some language
    keys = (
        "ask.commune",
        "button.outside",
        "button.none_of_these",
        "commune.outside",
        "commune.department",
        "commune.did_you_mean",
        "commune.not_found",
        "understood.commune",
        "understood.outside",
        "button.fix.commune",
    )

    def answered(self, state: DialogueState) -> bool:
        return state.commune_done

    def given(self, state: DialogueState) -> bool:
        return bool(state.commune)

    def logged(self, state: DialogueState) -> Logged:
        return {"commune": state.commune}

    def prompt(self, flow: Flow, state: DialogueState) -> tuple[Markup, Rows]:
        outside = flow.button(
            state,
            flow.cat.text(
                state.lang, "button.outside", covered=flow.kb.territory.covered(state.lang)
            ),
            Code.COMMUNE,
            OUTSIDE,
        )
        return flow.cat.text(state.lang, "ask.commune"), ((outside,),)

    def ask(self, flow: Flow, state: DialogueState) -> list[Reply]:
        return [self._did_you_mean(flow, state) if state.candidates else flow.question(state)]

    def press(self, flow: Flow, state: DialogueState, button: Callback, now: datetime) -> Turn:
        value = button.value
        if value == OUTSIDE:
            return self._unknown(flow, state, now)
        if value == RETRY:
            state = state.but(candidates=())
            return Turn(state, [flow.reask(state)])
        if value not in state.candidates or not flow.kb.territory.get(value):
            return flow.stale(state)
        state = _settled(state, value, None)
        return flow.answered(state, escape(commune_name(flow.kb, value)), now)

    def unsure(self, flow: Flow, state: DialogueState, now: datetime) -> Turn | None:
        """As the « Hors … / je ne sais pas » button."""
        return self._unknown(flow, state, now, pressed=False)

    def _unknown(
        self, flow: Flow, state: DialogueState, now: datetime, *, pressed: bool = True
    ) -> Turn:
        """No commune of the territories covered: outside them, or not known yet."""
        covered = flow.kb.territory.covered(state.lang)
        answer = flow.cat.text(state.lang, "commune.outside", covered=covered)
        return flow.answered(_settled(state, None, OUTSIDE_UNKNOWN), answer, now, pressed=pressed)

    def text(self, flow: Flow, state: DialogueState, text: str, now: datetime) -> Turn:
        """A name or postal code; else a place said in words (« à Lyon », « dans le Gers »),
        taken as the answer; else a sentence about the project; else « did you mean »."""
        territory = flow.kb.territory
        elsewhere = territory.outside_town(text)
        if elsewhere is not None:  # « Albi »: never swapped for a look-alike village
            return self._outside(flow, state, elsewhere, now)
        found = territory.lookup(text)
        if found.commune is not None:
            return self._inside(flow, state, found.commune, now)
        inference = understand(text, flow.kb, state.lang)
        if inference.about_project and len(text.split()) >= SENTENCE_WORDS:
            return flow.free_text(state, text, now, description=False)
        if inference.commune is not None and not (
            found.candidates and fold(inference.evidence["commune"]) == fold(text)
        ):  # « vers Muret »; a name alone that several communes start with is asked
            return self._inside(flow, state, inference.commune, now)
        if inference.outside_area is not None:  # never a look-alike village offered instead
            return self._outside(flow, state, inference.outside_area, now)
        if found.candidates:
            state = state.but(candidates=tuple(c.insee for c in found.candidates))
            return Turn(state, [self._did_you_mean(flow, state)])
        return Turn(state, [flow.say(state, "commune.not_found", text=text[:80]), *flow.ask(state)])

    def _inside(
        self, flow: Flow, state: DialogueState, commune: KnownCommune, now: datetime
    ) -> Turn:
        state = _settled(state, commune.insee, None)
        return flow.answered(state, escape(commune.name), now, pressed=False)

    def _outside(
        self, flow: Flow, state: DialogueState, place: OutsidePlace, now: datetime
    ) -> Turn:
        answer = flow.cat.text(
            state.lang,
            "commune.department",
            place=place_label(place),
            covered=flow.kb.territory.covered(state.lang),
        )
        return flow.answered(_settled(state, None, place.department), answer, now, pressed=False)

    def _did_you_mean(self, flow: Flow, state: DialogueState) -> Reply:
        lang = state.lang
        rows = [
            (flow.button(state, commune_name(flow.kb, c), Code.COMMUNE, c),)
            for c in state.candidates[:CANDIDATES_SHOWN]
        ]
        rows.append(
            (flow.button(state, flow.cat.text(lang, "button.none_of_these"), Code.COMMUNE, RETRY),)
        )
        rows.append(
            (
                flow.button(
                    state,
                    flow.cat.text(lang, "button.outside", covered=flow.kb.territory.covered(lang)),
                    Code.COMMUNE,
                    OUTSIDE,
                ),
            )
        )
        return Reply(flow.cat.text(lang, "commune.did_you_mean"), tuple(rows))

    def recap(self, flow: Flow, state: DialogueState) -> str | None:
        """The commune, the department outside the territories covered, or « Hors … »."""
        if not state.commune_done:
            return None
        commune = flow.kb.territory.get(state.commune)
        if commune is not None:
            return commune.name
        place = flow.kb.territory.elsewhere.department(state.outside or OUTSIDE_UNKNOWN)
        covered = flow.kb.territory.covered(state.lang)
        if place.name:
            return flow.cat.text(
                state.lang, "commune.department", place=place.name, covered=covered
            )
        return flow.cat.text(state.lang, "commune.outside", covered=covered)

    def understood(self, flow: Flow, state: DialogueState, inference: Inference) -> Markup | None:
        if inference.commune:
            return flow.cat.text(state.lang, "understood.commune", value=inference.commune.name)
        place = inference.outside_area
        if place is None:
            return None
        return flow.cat.text(
            state.lang,
            "understood.outside",
            place=place_label(place),
            covered=flow.kb.territory.covered(state.lang),
        )

    def absorb(self, state: DialogueState, inference: Inference) -> DialogueState:
        if inference.commune:
            return _settled(state, inference.commune.insee, None)
        if inference.outside_area:
            return _settled(state, None, inference.outside_area.department)
        if inference.shared_postal and not state.commune_done:  # « 31320 »: which of them
            return state.but(candidates=tuple(c.insee for c in inference.shared_postal))
        return state


def _settled(state: DialogueState, commune: str | None, outside: str | None) -> DialogueState:
    """The question answered: a commune here (INSEE), or the department elsewhere."""
    return state.but(commune=commune, outside=outside, candidates=(), commune_done=True)


def place_label(place: OutsidePlace) -> str:
    """« Milan (Italie) »; the name alone when it is the department's (« Gers », « Paris »)."""
    if fold(place.name) == fold(place.department_name):
        return place.name
    return f"{place.name} ({place.department_name})"
