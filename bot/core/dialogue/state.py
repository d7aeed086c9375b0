"""The state of one person's conversation, serialisable to JSON for the database."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any


class Step(StrEnum):
    """Where the conversation stands (the states of the README's diagram)."""

    STAGE = "stage"
    LEGAL_FORM = "legal_form"
    NEEDS = "needs"
    COMMUNE = "commune"
    DESCRIPTION = "description"
    CONSENT = "consent"
    RESULTS = "results"
    LANGUAGE = "language"
    FORGET = "forget"


QUESTION_STEPS = (Step.STAGE, Step.LEGAL_FORM, Step.NEEDS, Step.COMMUNE, Step.DESCRIPTION)


@dataclass
class DialogueState:
    """Everything the dialogue remembers between two messages of one person."""

    conversation_id: str
    started_at: str
    lang: str = "fr"
    source: str | None = None
    step: Step = Step.STAGE
    seq: int = 0
    stage: str | None = None
    legal_form: str | None = None
    needs: list[str] = field(default_factory=list)
    needs_done: bool = False
    commune: str | None = None
    outside: str | None = None
    commune_done: bool = False
    description_done: bool = False
    candidates: list[str] = field(default_factory=list)
    consent: bool | None = None
    pending_text: str | None = None
    free_text: str = ""
    inferred: list[str] = field(default_factory=list)
    guessed: list[str] = field(default_factory=list)  # answers read from text: "stage", …
    back: list[str] = field(default_factory=list)
    resume: str | None = None
    shown: int = 0
    available: int = 0
    recommended: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)
    completed: bool = False
    feedback: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DialogueState:
        """Rebuild from :meth:`to_json`; unknown keys (older versions) are ignored."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("step", "resume"):
            if values.get(name) is not None:
                values[name] = Step(values[name])
        return cls(**values)
