"""« Quelle forme juridique ? » — the legal forms of the taxonomy, two per row."""

from __future__ import annotations

from bot.core.dialogue.callbacks import Code
from bot.core.dialogue.state import DialogueState
from bot.core.dialogue.steps.choice import Choice
from bot.core.matching import NO_FORM_YET
from bot.core.understanding import Inference


class LegalForm(Choice):
    """The project's legal form (or « not decided yet »)."""

    name = "legal_form"
    kind = "legal_forms"
    code = Code.LEGAL_FORM
    ask_key = "ask.legal_form"
    understood_key = "understood.legal_form"
    per_row = 2
    fix_key = "button.fix.legal_form"
    unsure_term = NO_FORM_YET  # the question says « if you do not know yet, that is normal »

    def absorb(self, state: DialogueState, inference: Inference) -> DialogueState:
        if not inference.legal_form:
            return state
        guessed = tuple(
            sorted({*state.guessed, "legal_form"})
        )  # read from a sentence: weighs, does not exclude
        return state.but(legal_form=inference.legal_form, guessed=guessed)
