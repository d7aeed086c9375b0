"""The dialogue engine: one pure function from (state, event) to (new state, replies).

Flow (README, « Le dialogue »): stage → legal form → needs (multi-select) → commune →
optional description → results with feedback. Free text at any step is understood and
fills what it can; only the missing questions are then asked. Every unexpected input gets a
short reply and the current question again, so there is never a dead end.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import ClassVar

from bot.core.catalogue import Catalogue, Markup, escape, to_plain
from bot.core.dialogue.events import Button, Command, Event, Press, Reply, Start, Text, Unsupported
from bot.core.dialogue.state import QUESTION_STEPS, DialogueState, Step
from bot.core.knowledge import KnowledgeBase
from bot.core.matching import (
    DEFAULT_NEED,
    OUTSIDE_UNKNOWN,
    MatchResult,
    Profile,
    reception_points,
    recommend,
)
from bot.core.presenting import (
    age_warning,
    commune_name,
    intro,
    label,
    reception_lines,
    render_card,
)
from bot.core.text import fold
from bot.core.understanding import Inference, understand
from bot.privacy import redact

PAYLOAD_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_TEXT = 1000
PAGE = 3
ANY_SEQ = "*"  # « Corriger » buttons stay valid for the whole conversation
RESULT_LIMIT = 12
FREE_TEXT_LIMIT = 500
GENERAL_NEEDS = (DEFAULT_NEED,)
HELP_WORDS = frozenset({"aide", "help", "a l aide"})
SWITCH_MIN_WORDS = 3


@dataclass
class Turn:
    """The outcome of one event: the new state, what to say, conversations that ended."""

    state: DialogueState
    replies: list[Reply] = field(default_factory=list)
    closed: list[DialogueState] = field(default_factory=list)


def valid_payload(payload: str | None) -> str | None:
    """The deep-link payload if it follows Telegram's rules, else None (never trusted)."""
    return payload if payload and PAYLOAD_RE.fullmatch(payload) else None


class Dialogue:
    """The conversation rules, shared by every transport (Telegram, terminal)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        catalogue: Catalogue,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.kb = kb
        self.cat = catalogue
        self.new_id = new_id

    # ----- entry point -------------------------------------------------------------------
    def handle(
        self, state: DialogueState | None, event: Event, now: datetime, lang_hint: str = "fr"
    ) -> Turn:
        """Apply ``event`` to ``state`` (None: no conversation yet)."""
        if isinstance(event, Start):
            return self._start(state, valid_payload(event.payload), now, lang_hint, welcome=True)
        if state is None:
            turn = self._start(None, None, now, lang_hint, welcome=True)
            if isinstance(event, Text) and event.text.strip():
                follow = self.handle(turn.state, event, now, lang_hint)
                return Turn(follow.state, turn.replies[:-1] + follow.replies, turn.closed)
            return turn
        state = replace(state, needs=list(state.needs), back=list(state.back))
        if isinstance(event, Command):
            return self._command(state, event, now)
        if isinstance(event, Press):
            return self._press(state, event.data, now)
        if isinstance(event, Unsupported):
            return Turn(state, [self._say(state, "unsupported"), *self._ask(state)])
        return self._text(state, event.text, now)

    # ----- conversation life ---------------------------------------------------------------
    def _start(
        self,
        previous: DialogueState | None,
        source: str | None,
        now: datetime,
        lang_hint: str,
        *,
        welcome: bool,
    ) -> Turn:
        lang = previous.lang if previous else lang_hint
        state = DialogueState(
            conversation_id=self.new_id(),
            started_at=now.isoformat(),
            lang=lang,
            source=source if source is not None or previous is None else previous.source,
            consent=previous.consent if previous else None,
            seq=(previous.seq + 1) if previous else 0,
        )
        closed = [previous] if previous is not None and _has_answers(previous) else []
        hello = Markup(
            self.cat.text(lang, "welcome") + "\n\n" + self.cat.text(lang, "privacy_line")
        )
        replies = [Reply(hello)] if welcome else []
        return Turn(state, [*replies, *self._ask(state)], closed)

    def _command(self, state: DialogueState, command: Command, now: datetime) -> Turn:
        if command.name in {"aide", "help"}:
            return Turn(state, [self._say(state, "help"), *self._ask(state)])
        if command.name in {"recommencer", "restart"}:
            turn = self._start(state, None, now, state.lang, welcome=False)
            turn.replies.insert(0, self._say(turn.state, "restart"))
            return turn
        if command.name in {"langue", "language"}:
            if state.step != Step.LANGUAGE:
                state.resume = state.step
            state.step = Step.LANGUAGE
            return Turn(state, self._ask(state))
        return Turn(state, [self._say(state, "unknown_command"), *self._ask(state)])

    # ----- buttons -------------------------------------------------------------------------
    def _press(self, state: DialogueState, data: str, now: datetime) -> Turn:
        parts = data.split("|")
        if len(parts) not in (2, 3) or parts[0] not in (str(state.seq), ANY_SEQ):
            return self._stale(state)
        code, value = parts[1], parts[2] if len(parts) == 3 else ""
        handler = self._buttons.get(code)
        if handler is None or (parts[0] == ANY_SEQ and code != "x"):
            return self._stale(state)
        return handler(self, state, value, now)

    def _stale(self, state: DialogueState) -> Turn:
        return Turn(state, [self._say(state, "stale_button"), *self._ask(state)])

    def _on_stage(self, state: DialogueState, value: str, now: datetime) -> Turn:
        if state.step != Step.STAGE or value not in self.kb.taxonomy.stages:
            return self._stale(state)
        state.stage = value
        state.guessed = [g for g in state.guessed if g != "stage"]
        return self._answered(state, label(self.kb, "stages", value, state.lang), now)

    def _on_legal_form(self, state: DialogueState, value: str, now: datetime) -> Turn:
        if state.step != Step.LEGAL_FORM or value not in self.kb.taxonomy.legal_forms:
            return self._stale(state)
        state.legal_form = value
        state.guessed = [g for g in state.guessed if g != "legal_form"]
        return self._answered(state, label(self.kb, "legal_forms", value, state.lang), now)

    def _on_need(self, state: DialogueState, value: str, now: datetime) -> Turn:
        if state.step != Step.NEEDS or value not in self.kb.taxonomy.needs:
            return self._stale(state)
        if value in state.needs:
            state.needs.remove(value)
        else:
            state.needs.append(value)
        question = self._question(state)
        return Turn(state, [replace(question, edit=True)])

    def _on_needs_done(self, state: DialogueState, value: str, now: datetime) -> Turn:
        if state.step != Step.NEEDS:
            return self._stale(state)
        if value == "x":
            state.needs = list(dict.fromkeys([*state.needs, *GENERAL_NEEDS]))
        if not state.needs:
            return Turn(state, [self._say(state, "needs.none_selected"), *self._ask(state)])
        state.needs_done = True
        return self._answered(state, self._needs_label(state), now)

    def _on_commune(self, state: DialogueState, value: str, now: datetime) -> Turn:
        if state.step != Step.COMMUNE:
            return self._stale(state)
        if value == "out":
            state.commune = None
            state.outside = OUTSIDE_UNKNOWN
            answer = self.cat.text(state.lang, "commune.outside")
        elif value == "retry":
            state.candidates = []
            return Turn(state, [self._reask(state)])
        elif value in state.candidates and self.kb.territory.get(value):
            state.commune = value
            state.outside = None
            answer = escape(commune_name(self.kb, value))
        else:
            return self._stale(state)
        state.candidates = []
        state.commune_done = True
        return self._answered(state, answer, now)

    def _on_skip(self, state: DialogueState, value: str, now: datetime) -> Turn:
        if state.step != Step.DESCRIPTION:
            return self._stale(state)
        state.description_done = True
        return self._answered(state, self.cat.text(state.lang, "button.skip"), now)

    def _on_back(self, state: DialogueState, value: str, now: datetime) -> Turn:
        if not state.back:
            return Turn(state, self._ask(state))
        state.step = Step(state.back.pop())
        state.candidates = []
        state.seq += 1
        return Turn(state, self._ask(state))

    def _on_fix(self, state: DialogueState, value: str, now: datetime) -> Turn:
        fixes = {"stage": Step.STAGE, "legal_form": Step.LEGAL_FORM, "needs": Step.NEEDS}
        fixes["commune"] = Step.COMMUNE
        if value not in fixes or state.step == Step.LANGUAGE:
            return self._stale(state)
        if state.step == Step.CONSENT:  # correcting first: the text is not kept, asked again later
            state.pending_text = None
            state.resume = None
        if state.step in QUESTION_STEPS and state.step != fixes[value]:
            state.back.append(state.step)
        state.step = fixes[value]
        state.seq += 1
        return Turn(state, self._ask(state))

    def _on_consent(self, state: DialogueState, value: str, now: datetime) -> Turn:
        if state.step != Step.CONSENT or value not in ("y", "n"):
            return self._stale(state)
        state.consent = value == "y"
        text = state.pending_text or ""
        state.pending_text = None
        answer = self.cat.text(
            state.lang, "button.consent_yes" if state.consent else "button.consent_no"
        )
        if state.consent and text:
            state.free_text = (state.free_text + " " + text).strip()[:FREE_TEXT_LIMIT]
        state.step = Step(state.resume or Step.STAGE)
        state.resume = None
        asked = self.cat.text(state.lang, "ask.consent")
        done = self.cat.text(state.lang, "answered", question=asked, answer=answer)
        echo = Reply(done, edit=True)
        thanks = self._say(state, "consent.yes" if state.consent else "consent.no")
        turn = self._answered(state, answer, now, pressed=False, match_text=text)
        turn.replies[:0] = [echo, thanks]
        return turn

    def _on_results(self, state: DialogueState, value: str, now: datetime) -> Turn:
        if state.step != Step.RESULTS:
            return self._stale(state)
        if value == "more":
            return Turn(state, self._show_results(state, self._match(state, ""), now, first=False))
        if value == "new":
            return self._start(state, None, now, state.lang, welcome=False)
        if value in ("up", "down") and state.feedback is None:
            state.feedback = "useful" if value == "up" else "not_useful"
            key = "feedback.thanks_useful" if value == "up" else "feedback.thanks_not_useful"
            question = self.cat.text(state.lang, "results.question")
            button = "button.useful" if value == "up" else "button.not_useful"
            answer = self.cat.text(state.lang, button)
            edited = Reply(
                self.cat.text(state.lang, "answered", question=question, answer=answer), edit=True
            )
            return Turn(state, [edited, self._say(state, key), self._closing(state)])
        return self._stale(state)

    def _on_language(self, state: DialogueState, value: str, now: datetime) -> Turn:
        if value not in ("fr", "en"):
            return self._stale(state)
        state.lang = value
        if state.step == Step.LANGUAGE:
            state.step = Step(state.resume or Step.STAGE)
            state.resume = None
        state.seq += 1
        return Turn(state, [self._say(state, "lang.set"), *self._ask(state)])

    _buttons: ClassVar[dict[str, Callable[[Dialogue, DialogueState, str, datetime], Turn]]] = {
        "s": _on_stage,
        "f": _on_legal_form,
        "n": _on_need,
        "nv": _on_needs_done,
        "c": _on_commune,
        "d": _on_skip,
        "b": _on_back,
        "x": _on_fix,
        "k": _on_consent,
        "r": _on_results,
        "l": _on_language,
    }

    # ----- typed text ----------------------------------------------------------------------
    def _text(self, state: DialogueState, raw: str, now: datetime) -> Turn:
        notes = [self._say(state, "too_long")] if len(raw) > MAX_TEXT else []
        text = raw[:MAX_TEXT].strip()
        if not text:
            return Turn(state, [*notes, *self._ask(state)])
        if fold(text) in HELP_WORDS:  # « aide » typed alone asks for /aide, not for advice
            if fold(text) == "help":
                state.lang = "en"
            return self._command(state, Command("aide"), now)
        sentence = len(fold(text).split()) >= SWITCH_MIN_WORDS and state.step != Step.COMMUNE
        written = understand(text, self.kb, state.lang).lang if sentence else None
        if written is not None and written != state.lang:
            state.lang = written  # answer in the language the person writes in
            notes.append(self._say(state, "lang.switched"))
        if state.step == Step.COMMUNE:
            turn = self._typed_commune(state, text, now)
        elif state.step == Step.DESCRIPTION:
            turn = self._free_text(state, text, now, description=True)
        elif state.step == Step.RESULTS:
            inference = understand(text, self.kb, state.lang)
            if inference.empty:
                turn = Turn(state, [self._say(state, "understood.nothing"), self._closing(state)])
            else:  # a new search from the same answers, changed by what was just written
                fresh = self._start(state, None, now, state.lang, welcome=False)
                carried = replace(
                    fresh.state,
                    stage=state.stage,
                    legal_form=state.legal_form,
                    needs=list(state.needs),
                    needs_done=state.needs_done,
                    commune=state.commune,
                    outside=state.outside,
                    commune_done=state.commune_done,
                    description_done=True,
                )
                turn = self._free_text(carried, text, now, description=False)
                turn.closed = fresh.closed
        elif state.step in (Step.CONSENT, Step.LANGUAGE):
            turn = Turn(state, [self._say(state, "answer_buttons_first"), *self._ask(state)])
        else:
            turn = self._free_text(state, text, now, description=False)
        turn.replies[:0] = notes
        return turn

    def _typed_commune(self, state: DialogueState, text: str, now: datetime) -> Turn:
        elsewhere = self.kb.territory.outside_town(text)
        if elsewhere is not None:  # « Albi »: never swapped for a look-alike village
            state.commune = None
            state.outside = elsewhere.department
            state.commune_done = True
            state.candidates = []
            answer = self.cat.text(
                state.lang,
                "commune.elsewhere",
                name=elsewhere.name,
                department=elsewhere.department_name,
            )
            return self._answered(state, answer, now, pressed=False)
        found = self.kb.territory.lookup(text)
        if found.commune is not None:
            state.commune = found.commune.insee
            state.outside = None
            state.commune_done = True
            state.candidates = []
            return self._answered(state, escape(found.commune.name), now, pressed=False)
        if len(text.split()) >= 3:
            inference = understand(text, self.kb, state.lang)
            if not inference.empty:
                return self._free_text(state, text, now, description=False)
        if found.candidates:
            state.candidates = [c.insee for c in found.candidates]
            return Turn(state, [self._did_you_mean(state)])
        return Turn(
            state, [self._say(state, "commune.not_found", text=text[:80]), *self._ask(state)]
        )

    def _free_text(
        self, state: DialogueState, text: str, now: datetime, *, description: bool
    ) -> Turn:
        inference = understand(text, self.kb, state.lang)
        if description or inference.about_project:
            state.description_done = True  # the sentence is the description: not asked again
        if not description and inference.empty:
            return Turn(state, [self._say(state, "understood.nothing"), *self._ask(state)])
        self._apply(state, inference)
        replies = [self._summary(state, inference)] if _says_answers(inference) else []
        if state.consent is None:
            state.pending_text = redact(text, FREE_TEXT_LIMIT)
            state.resume = self._next_step(state)
            if state.step in QUESTION_STEPS and state.resume != state.step:
                state.back.append(state.step)
            state.step = Step.CONSENT
            state.seq += 1
            return Turn(state, [*replies, *self._ask(state)])
        if state.consent:
            state.free_text = (state.free_text + " " + redact(text, FREE_TEXT_LIMIT)).strip()
            state.free_text = state.free_text[:FREE_TEXT_LIMIT]
        turn = self._advance(state, now, match_text=text)
        turn.replies[:0] = replies
        return turn

    def _apply(self, state: DialogueState, inference: Inference) -> None:
        """What the latest sentence says replaces the earlier answers (« finalement … »)."""
        guessed = set(state.guessed)  # read from a verb, not said: weighs, does not exclude
        if inference.stage:
            state.stage = inference.stage
            if inference.stage_is_sure:
                guessed.discard("stage")
            else:
                guessed.add("stage")
        if inference.legal_form:
            state.legal_form = inference.legal_form
            guessed.add("legal_form")
        state.guessed = sorted(guessed)
        if inference.needs:
            state.needs = list(dict.fromkeys([*state.needs, *inference.needs]))
            state.needs_done = True
        if inference.commune:
            state.commune = inference.commune.insee
            state.outside = None
            state.commune_done = True
        elif inference.outside_area:
            state.commune = None
            state.outside = inference.outside_area.department
            state.commune_done = True
        state.inferred = list(dict.fromkeys([*state.inferred, *inference.items()]))

    # ----- moving on -----------------------------------------------------------------------
    def _answered(
        self,
        state: DialogueState,
        answer: str,
        now: datetime,
        *,
        pressed: bool = True,
        match_text: str = "",
    ) -> Turn:
        """Move on after an answer. A pressed button's message becomes the next question, under
        a recap of the answers so far (one message that follows the person along); before the
        results it shows the last question and its answer instead."""
        asked = self._question(state).text
        turn = self._advance(state, now, match_text=match_text)
        if not pressed:
            return turn
        following = turn.replies[0] if turn.replies else None
        if state.step in QUESTION_STEPS and following is not None and following.buttons:
            turn.replies[0] = replace(following, edit=True)
        else:
            done = self.cat.text(state.lang, "answered", question=asked, answer=answer)
            turn.replies.insert(0, Reply(done, edit=True))
        return turn

    def _recap(self, state: DialogueState) -> Markup | None:
        """The answers given so far, on one line (None before the first one)."""
        lang, kb = state.lang, self.kb
        answers = [label(kb, "stages", state.stage, lang)] if state.stage else []
        answers += [label(kb, "legal_forms", state.legal_form, lang)] if state.legal_form else []
        answers += [self._needs_label(state)] if state.needs_done and state.needs else []
        if state.commune_done:
            answers.append(self._place_answer(state))
        return self.cat.text(lang, "recap", answers=" · ".join(answers)) if answers else None

    def _place_answer(self, state: DialogueState) -> str:
        """The commune, the department outside Haute-Garonne, or « Hors Haute-Garonne »."""
        commune = self.kb.territory.get(state.commune)
        if commune is not None:
            return commune.name
        place = self.kb.territory.elsewhere.department(state.outside or OUTSIDE_UNKNOWN)
        if place.name:
            return self.cat.text(state.lang, "commune.department", department=place.name)
        return self.cat.text(state.lang, "commune.outside")

    def _next_step(self, state: DialogueState) -> Step:
        if state.stage is None:
            return Step.STAGE
        if state.legal_form is None:
            return Step.LEGAL_FORM
        if not state.needs_done:
            return Step.NEEDS
        if not state.commune_done:
            return Step.COMMUNE
        if not state.description_done:
            return Step.DESCRIPTION
        return Step.RESULTS

    def _advance(self, state: DialogueState, now: datetime, *, match_text: str = "") -> Turn:
        """Go to the first unanswered question, or to the results."""
        following = self._next_step(state)
        if state.step in QUESTION_STEPS and following != state.step:
            state.back.append(state.step)
        state.step = following
        state.seq += 1
        if following == Step.RESULTS:
            state.shown = 0
            state.recommended = []
            result = self._match(state, match_text)
            return Turn(state, self._show_results(state, result, now, first=True))
        return Turn(state, self._ask(state))

    def _match(self, state: DialogueState, text: str) -> MatchResult:
        profile = Profile(
            stage=state.stage,
            legal_form=state.legal_form,
            needs=tuple(state.needs),
            commune=state.commune,
            text=text or state.free_text,
            lang=state.lang,
            outside=state.outside,
            inferred=frozenset(state.guessed),
        )
        return recommend(self.kb, profile, limit=RESULT_LIMIT)

    def _show_results(
        self, state: DialogueState, result: MatchResult, now: datetime, *, first: bool
    ) -> list[Reply]:
        lang = state.lang
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
                self.cat.text(lang, "results.no_more")
                if state.shown
                else intro(result, lang, self.cat)
            )
        else:
            parts.append(
                intro(result, lang, self.cat)
                if first
                else self.cat.text(lang, "results.more_intro")
            )
            parts += [
                render_card(r, state.shown + i, self.kb, lang, now.date(), self.cat)
                for i, r in enumerate(page, 1)
            ]
        if first:
            state.available = len(recs)
            state.unmet = list(result.unmet_needs)
            state.completed = True
            if result.unmet_needs:
                parts.append(self._unmet(state, result))
        state.shown += len(page)
        state.recommended = list(dict.fromkeys([*state.recommended, *(r.actor.id for r in page)]))
        warning = age_warning(page, lang, self.cat)
        if warning:
            parts.append(warning)
        replies = [Reply(Markup("\n\n".join(parts)))]
        replies.append(self._closing(state))
        return replies

    def _unmet(self, state: DialogueState, result: MatchResult) -> Markup:
        """What nothing fits, and the reception places (with a contact) that can still orient."""
        lang = state.lang
        needs = ", ".join(label(self.kb, "needs", n, lang) for n in result.unmet_needs)
        lines = [self.cat.text(lang, "results.unmet", needs=needs)]
        shown = set(state.recommended)
        places = [a for a in reception_points(self.kb, state.commune) if a.id not in shown]
        found = reception_lines(places, lang, self.cat)
        if found:
            lines += [self.cat.text(lang, "results.general"), *found]
        return Markup("\n".join(lines))

    # ----- rendering questions ---------------------------------------------------------------
    def _say(self, state: DialogueState, key: str, **values: object) -> Reply:
        return Reply(self.cat.text(state.lang, key, **values))

    def _button(
        self, state: DialogueState, label_text: str, code: str, value: str = "", *, seq: str = ""
    ) -> Button:
        seq = seq or str(state.seq)
        data = f"{seq}|{code}|{value}" if value else f"{seq}|{code}"
        return Button(to_plain(label_text), data)

    def _back_row(self, state: DialogueState) -> tuple[Button, ...]:
        return (
            (self._button(state, self.cat.text(state.lang, "button.back"), "b"),)
            if state.back
            else ()
        )

    def _question(self, state: DialogueState) -> Reply:
        lang, cat, kb = state.lang, self.cat, self.kb
        rows: list[tuple[Button, ...]] = []
        text = cat.text(lang, f"ask.{state.step.value}") if state.step in _ASKED else Markup("")
        if state.step == Step.STAGE:
            rows = [
                (self._button(state, t.label(lang), "s", t.id),)
                for t in kb.taxonomy.stages.values()
            ]
        elif state.step == Step.LEGAL_FORM:
            buttons = [
                self._button(state, t.label(lang), "f", t.id)
                for t in kb.taxonomy.legal_forms.values()
            ]
            rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
        elif state.step == Step.NEEDS:
            buttons = [
                self._button(
                    state, ("✓ " if t.id in state.needs else "") + t.label(lang), "n", t.id
                )
                for t in kb.taxonomy.needs.values()
            ]
            rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
            rows.append(
                (
                    self._button(state, cat.text(lang, "button.dont_know"), "nv", "x"),
                    self._button(state, cat.text(lang, "button.validate"), "nv", "ok"),
                )
            )
            if state.needs:
                text = Markup(
                    text + "\n" + cat.text(lang, "needs.selected", needs=self._needs_label(state))
                )
        elif state.step == Step.COMMUNE:
            rows = [(self._button(state, cat.text(lang, "button.outside"), "c", "out"),)]
        elif state.step == Step.DESCRIPTION:
            rows = [(self._button(state, cat.text(lang, "button.skip"), "d", "skip"),)]
        elif state.step == Step.CONSENT:
            rows = [
                (
                    self._button(state, cat.text(lang, "button.consent_yes"), "k", "y"),
                    self._button(state, cat.text(lang, "button.consent_no"), "k", "n"),
                )
            ]
        elif state.step == Step.LANGUAGE:
            text = cat.text(lang, "lang.ask")
            rows = [
                (
                    self._button(state, cat.text(lang, "button.lang.fr"), "l", "fr"),
                    self._button(state, cat.text(lang, "button.lang.en"), "l", "en"),
                )
            ]
        if state.step in QUESTION_STEPS and self._back_row(state):
            rows.append(self._back_row(state))
        recap = self._recap(state) if state.step in QUESTION_STEPS else None
        return Reply(Markup(f"{recap}\n\n{text}") if recap else text, tuple(rows))

    def ask(self, state: DialogueState) -> list[Reply]:
        """The current question again (or the results' buttons)."""
        return self._ask(state)

    def _ask(self, state: DialogueState) -> list[Reply]:
        if state.step == Step.RESULTS:
            return [self._closing(state)]
        if state.step == Step.COMMUNE and state.candidates:
            return [self._did_you_mean(state)]
        return [self._question(state)]

    def _reask(self, state: DialogueState) -> Reply:
        return replace(self._question(state), edit=True)

    def _did_you_mean(self, state: DialogueState) -> Reply:
        lang = state.lang
        rows = [
            (self._button(state, commune_name(self.kb, c), "c", c),) for c in state.candidates[:5]
        ]
        rows.append(
            (self._button(state, self.cat.text(lang, "button.none_of_these"), "c", "retry"),)
        )
        rows.append((self._button(state, self.cat.text(lang, "button.outside"), "c", "out"),))
        return Reply(self.cat.text(lang, "commune.did_you_mean"), tuple(rows))

    def _closing(self, state: DialogueState) -> Reply:
        lang = state.lang
        rows: list[tuple[Button, ...]] = []
        if state.feedback is None:
            rows.append(
                (
                    self._button(state, self.cat.text(lang, "button.useful"), "r", "up"),
                    self._button(state, self.cat.text(lang, "button.not_useful"), "r", "down"),
                )
            )
        more = self._button(state, self.cat.text(lang, "button.more"), "r", "more")
        new = self._button(state, self.cat.text(lang, "button.new_search"), "r", "new")
        more_left = state.shown < state.available
        rows.append((more, new) if more_left else (new,))
        if state.feedback is None:
            key = "results.question"
        else:
            key = "results.next" if more_left else "results.next_new"
        return Reply(self.cat.text(lang, key), tuple(rows))

    def _summary(self, state: DialogueState, inference: Inference) -> Reply:
        lang, kb, cat = state.lang, self.kb, self.cat
        lines = [cat.text(lang, "understood.title")]
        fixes: list[Button] = []
        if inference.stage:
            lines.append(
                cat.text(lang, "understood.stage", value=label(kb, "stages", inference.stage, lang))
            )
            fixes.append(
                self._button(state, cat.text(lang, "button.fix.stage"), "x", "stage", seq=ANY_SEQ)
            )
        if inference.legal_form:
            value = label(kb, "legal_forms", inference.legal_form, lang)
            lines.append(cat.text(lang, "understood.legal_form", value=value))
            fixes.append(
                self._button(
                    state, cat.text(lang, "button.fix.legal_form"), "x", "legal_form", seq=ANY_SEQ
                )
            )
        if inference.needs:
            lines.append(cat.text(lang, "understood.needs", value=self._needs_label(state)))
            fixes.append(
                self._button(state, cat.text(lang, "button.fix.needs"), "x", "needs", seq=ANY_SEQ)
            )
        if inference.commune or inference.outside_area:
            lines.append(_place_line(cat, lang, inference))
            fixes.append(
                self._button(
                    state, cat.text(lang, "button.fix.commune"), "x", "commune", seq=ANY_SEQ
                )
            )
        rows = tuple(tuple(fixes[i : i + 2]) for i in range(0, len(fixes), 2))
        return Reply(Markup("\n".join(lines)), rows)

    def _needs_label(self, state: DialogueState) -> str:
        return ", ".join(label(self.kb, "needs", n, state.lang) for n in state.needs)


_ASKED = (Step.STAGE, Step.LEGAL_FORM, Step.NEEDS, Step.COMMUNE, Step.DESCRIPTION, Step.CONSENT)


def _place_line(cat: Catalogue, lang: str, inference: Inference) -> Markup:
    if inference.commune:
        return cat.text(lang, "understood.commune", value=inference.commune.name)
    place = inference.outside_area
    assert place is not None
    return cat.text(lang, "understood.outside", value=place.name, department=place.department_name)


def _says_answers(inference: Inference) -> bool:
    """True when the sentence gave an answer the summary can show (and « Corriger » fix)."""
    return bool(
        inference.stage
        or inference.legal_form
        or inference.needs
        or inference.commune
        or inference.outside_area
    )


def _has_answers(state: DialogueState) -> bool:
    return bool(state.stage or state.legal_form or state.needs or state.commune or state.completed)
