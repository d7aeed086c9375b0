"""The moves every step shares: asking, moving on, starting over, reading a sentence.

A :class:`Flow` holds the knowledge base, the catalogue and the ordered steps; the steps call
it, so that no rule about moving between steps is written twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.core.catalogue import Catalogue, Markup, to_plain
from bot.core.dialogue.callbacks import ANY_SEQ, NO, YES, Code, encode
from bot.core.dialogue.events import Button, Reply
from bot.core.dialogue.state import FIRST_STEP, DialogueState
from bot.core.dialogue.steps.base import Rows, Step
from bot.core.dialogue.turn import Turn
from bot.core.knowledge import KnowledgeBase
from bot.core.redaction import redact
from bot.core.understanding import Inference, understand

FREE_TEXT_LIMIT = 500
RESULTS = "results"
CONSENT = "consent"


class Flow:
    """The steps in order, and the transitions between them."""

    def __init__(
        self,
        kb: KnowledgeBase,
        catalogue: Catalogue,
        steps: Sequence[Step],
        new_id: Callable[[], str],
        followup_days: float | None = None,
    ) -> None:
        self.kb = kb
        self.cat = catalogue
        self.steps = tuple(steps)
        self.new_id = new_id
        self.followup_days = followup_days
        """Days until the first follow-up, offered with the results (None: not offered)."""
        self.by_name = {step.name: step for step in self.steps}
        self.by_code = {code: step for step in self.steps for code in step.codes}
        self.by_command = {name: step for step in self.steps for name in step.commands}
        self.questions = tuple(step for step in self.steps if step.question)
        self.handoffs = False
        """Whether hand-offs are sent (set by the service that sends them)."""

    # ----- looking up ----------------------------------------------------------------------
    def step_of(self, state: DialogueState) -> Step:
        """The current step (the first one for a name no longer known)."""
        return self.by_name.get(state.step) or self.steps[0]

    def is_question(self, name: str) -> bool:
        """True for the questions of the profile."""
        step = self.by_name.get(name)
        return step is not None and step.question

    def next_step(self, state: DialogueState) -> str:
        """The first question still unanswered, else the results."""
        return next((s.name for s in self.questions if not s.answered(state)), RESULTS)

    # ----- saying --------------------------------------------------------------------------
    def say(self, state: DialogueState, key: str, **values: object) -> Reply:
        """One catalogue message in the person's language."""
        return Reply(self.cat.text(state.lang, key, **values))

    def button(
        self, state: DialogueState, label_text: str, code: Code, value: str = "", *, seq: str = ""
    ) -> Button:
        """A button valid at the current sequence (or at ``seq``)."""
        return Button(to_plain(label_text), encode(seq or state.seq, code, value))

    def yes_no(self, state: DialogueState, code: Code, yes_key: str, no_key: str) -> Rows:
        """One row: a « yes » and a « no » button (values :data:`YES`, :data:`NO`)."""
        yes = self.button(state, self.cat.text(state.lang, yes_key), code, YES)
        return ((yes, self.button(state, self.cat.text(state.lang, no_key), code, NO)),)

    def fix_button(self, state: DialogueState, step: Step) -> Button:
        """« Corriger » for ``step``: valid for the whole conversation."""
        assert step.fix_key is not None
        text = self.cat.text(state.lang, step.fix_key)
        return self.button(state, text, Code.FIX, step.name, seq=ANY_SEQ)

    def stale(self, state: DialogueState) -> Turn:
        """An old, forged or misplaced button: say so and ask again."""
        return Turn(state, [self.say(state, "stale_button"), *self.ask(state)])

    def question(self, state: DialogueState) -> Reply:
        """The current step's question; a profile question under the recap, with « Retour »."""
        step = self.step_of(state)
        text, rows = step.prompt(self, state)
        if not step.question:
            return Reply(text, rows)
        if state.back:
            rows = (
                *rows,
                (self.button(state, self.cat.text(state.lang, "button.back"), Code.BACK),),
            )
        recap = self.recap(state)
        return Reply(Markup(f"{recap}\n\n{text}") if recap else text, rows)

    def ask(self, state: DialogueState) -> list[Reply]:
        """The current step asked again."""
        return self.step_of(state).ask(self, state)

    def reask(self, state: DialogueState) -> Reply:
        """The current question in place of the message whose button was pressed."""
        return replace(self.question(state), edit=True)

    def answers(self, state: DialogueState) -> list[str]:
        """The questions' recap lines, in order, for those answered."""
        return [a for a in (s.recap(self, state) for s in self.questions) if a]

    def recap(self, state: DialogueState) -> Markup | None:
        """The answers given so far, on one line (None before the first one)."""
        answers = self.answers(state)
        return self.cat.text(state.lang, "recap", answers=" · ".join(answers)) if answers else None

    # ----- moving --------------------------------------------------------------------------
    def move(
        self, state: DialogueState, to: str, *, push: bool = True, **changes: Any
    ) -> DialogueState:
        """Go to step ``to``: the question left is pushed on the « Retour » stack (unless
        ``push`` is false), the sequence is bumped so that older buttons go stale."""
        back = state.back
        if push and self.is_question(state.step) and to != state.step:
            back = (*back, state.step)
        return state.but(**{"back": back, **changes, "step": to, "seq": state.seq + 1})

    def detour(self, state: DialogueState, to: str) -> DialogueState:
        """Open screen ``to`` from anywhere; :meth:`come_back` returns where the person was."""
        here = state.step == to
        return self.move(state, to, push=False, resume=state.resume if here else state.step)

    def come_back(self, state: DialogueState, **changes: Any) -> DialogueState:
        """Back from a :meth:`detour` to the step it was opened from."""
        return self.move(state, state.resume or FIRST_STEP, push=False, resume=None, **changes)

    def advance(self, state: DialogueState, now: datetime, *, match_text: str = "") -> Turn:
        """Go to the first unanswered question, or to the results."""
        state = self.move(state, self.next_step(state))
        return self.step_of(state).enter(self, state, now, match_text)

    def answered(
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
        turn = self.advance(state, now, match_text=match_text)
        if not pressed:
            return turn
        following = turn.replies[0] if turn.replies else None
        if self.is_question(turn.state.step) and following is not None and following.buttons:
            turn.replies[0] = replace(following, edit=True)
        else:  # the question left, its keyboard built only here (most answers need neither)
            asked = self.question(state).text
            done = self.cat.text(state.lang, "answered", question=asked, answer=answer)
            turn.replies.insert(0, Reply(done, edit=True))
        return turn

    def start(
        self,
        previous: DialogueState | None,
        source: str | None,
        now: datetime,
        lang: str,
        *,
        welcome: bool,
    ) -> Turn:
        """A new conversation; the previous one is closed when it holds answers."""
        state = DialogueState(
            conversation_id=self.new_id(),
            started_at=now.isoformat(),
            lang=previous.lang if previous else lang,
            source=source if source is not None or previous is None else previous.source,
            consent=previous.consent if previous else None,
            seq=(previous.seq + 1) if previous else 0,
            step=FIRST_STEP,
        )
        given = previous is not None and any(s.given(previous) for s in self.steps)
        closed = [previous] if previous is not None and given else []
        hello = Markup(
            self.cat.text(state.lang, "welcome")
            + "\n\n"
            + self.cat.text(state.lang, "privacy_line")
        )
        replies = [Reply(hello)] if welcome else []
        return Turn(state, [*replies, *self.ask(state)], closed)

    # ----- sentences -----------------------------------------------------------------------
    def free_text(
        self, state: DialogueState, text: str, now: datetime, *, description: bool
    ) -> Turn:
        """A sentence: what it says fills the answers, asked for consent before it is kept."""
        inference = understand(text, self.kb, state.lang)
        if description or inference.about_project:
            state = state.but(description_done=True)  # the sentence is the description
        if not description and inference.empty:
            return Turn(state, [self.nothing_said(state, inference), *self.ask(state)])
        for step in self.steps:
            state = step.absorb(state, inference)
        state = state.but(inferred=tuple(dict.fromkeys([*state.inferred, *inference.items()])))
        lines = [(s, s.understood(self, state, inference)) for s in self.steps]
        said = [(s, line) for s, line in lines if line is not None]
        replies = [self._summary(state, said)] if said else []
        if state.consent is None:
            resume = self.next_step(state)
            state = self.move(
                state,
                CONSENT,
                push=resume != state.step,
                pending_text=redact(f"{state.pending_text or ''} {text}".strip(), FREE_TEXT_LIMIT),
                resume=resume,
            )
            return Turn(state, [*replies, *self.ask(state)])
        if state.consent:
            state = self.keep_text(state, text)
        turn = self.advance(state, now, match_text=text)
        turn.replies[:0] = replies
        return turn

    def nothing_said(self, state: DialogueState, inference: Inference) -> Reply:
        """The answer to a message that says nothing of a project: a greeting, thanks, or else."""
        if inference.greeting:
            return self.say(state, "understood.greeting")
        return self.say(state, "understood.thanks" if inference.thanks else "understood.nothing")

    def keep_text(self, state: DialogueState, text: str) -> DialogueState:
        """The state with ``text`` (redacted) added to what the person agreed to keep."""
        kept = (state.free_text + " " + redact(text, FREE_TEXT_LIMIT)).strip()
        return state.but(free_text=kept[:FREE_TEXT_LIMIT])

    def _summary(self, state: DialogueState, said: list[tuple[Step, Markup]]) -> Reply:
        """« J'ai compris » with one line per answer read, and its « Corriger » buttons."""
        lines = [self.cat.text(state.lang, "understood.title"), *(line for _, line in said)]
        fixes = [self.fix_button(state, step) for step, _ in said if step.fix_key]
        rows = tuple(tuple(fixes[i : i + 2]) for i in range(0, len(fixes), 2))
        return Reply(Markup("\n".join(lines)), rows)
