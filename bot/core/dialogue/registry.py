"""The steps of the dialogue, in the order the questions are asked (README: the diagram)."""

from __future__ import annotations

from bot.core.dialogue.steps.base import Step
from bot.core.dialogue.steps.commune import Commune
from bot.core.dialogue.steps.consent import Consent
from bot.core.dialogue.steps.description import Description
from bot.core.dialogue.steps.followup import Followup
from bot.core.dialogue.steps.forget import Forget
from bot.core.dialogue.steps.handoff import (
    HandoffConfirm,
    HandoffNeed,
    HandoffPreview,
    HandoffReach,
)
from bot.core.dialogue.steps.language import Language
from bot.core.dialogue.steps.legal_form import LegalForm
from bot.core.dialogue.steps.mydata import MyData
from bot.core.dialogue.steps.needs import Needs
from bot.core.dialogue.steps.results import Results
from bot.core.dialogue.steps.stage import Stage

STEPS: tuple[Step, ...] = (
    Stage(),
    LegalForm(),
    Needs(),
    Commune(),
    Description(),
    Consent(),
    Results(),
    Followup(),
    Language(),
    MyData(),
    Forget(),
    HandoffConfirm(),
    HandoffReach(),
    HandoffNeed(),
    HandoffPreview(),
)
"""The profile questions first, in order; then the screens reached from them."""
