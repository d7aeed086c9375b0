"""The state of one person's conversation: immutable, serialisable to JSON for the database."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import Any

FIRST_STEP = "stage"
MEMORY_ONLY = ("pending_text", "handoff_reach", "handoff_need")
"""Fields never written to the database: text awaiting consent, a hand-off's reach and words."""


@dataclass(frozen=True)
class DialogueState:
    """Everything the dialogue remembers between two messages of one person.

    Frozen: every change makes a new state through :meth:`but`. ``step`` and ``resume`` name
    steps of :data:`bot.core.dialogue.registry.STEPS`.
    """

    conversation_id: str
    started_at: str
    lang: str = "fr"
    source: str | None = None
    step: str = FIRST_STEP
    seq: int = 0
    stage: str | None = None
    legal_form: str | None = None
    needs: tuple[str, ...] = ()
    needs_done: bool = False
    commune: str | None = None
    outside: str | None = None
    commune_done: bool = False
    description_done: bool = False
    candidates: tuple[str, ...] = ()
    consent: bool | None = None
    pending_text: str | None = None
    free_text: str = ""
    inferred: tuple[str, ...] = ()
    guessed: tuple[str, ...] = ()  # answers read from text: "stage", …
    back: tuple[str, ...] = ()
    resume: str | None = None
    shown: int = 0
    available: int = 0
    recommended: tuple[str, ...] = ()
    unmet: tuple[str, ...] = ()
    completed: bool = False
    feedback: str | None = None
    followup: str | None = None  # the answer to the follow-up offer: "yes" or "no"
    handoff_actor: str | None = None  # the structure a hand-off is being written to
    handoff_reach: str | None = None  # the person's e-mail or phone (memory only)
    handoff_need: str | None = None  # what they need, in their words (memory only)
    handed: tuple[str, ...] = ()  # structures a hand-off went to in this conversation

    def but(self, **changes: Any) -> DialogueState:
        """This state with ``changes``: what :func:`dataclasses.replace` makes (a name that is
        no field is refused), in a sixth of its time (1.2 against 7.5 µs: it visits every
        field, then ``__init__`` sets each one; a turn makes several states, 2026-12-04)."""
        if not changes.keys() <= _KNOWN:
            raise TypeError(f"not fields of the state: {sorted(changes.keys() - _KNOWN)}")
        return _made({**self.__dict__, **changes})

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, fields in order (tuples as lists, as stored so far)."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DialogueState:
        """Rebuild from :meth:`to_json`; unknown keys (older versions) are ignored."""
        if not data.keys() >= _REQUIRED:
            raise TypeError(f"state without {sorted(_REQUIRED - data.keys())}")
        values = dict(_TEMPLATE)
        for k, v in data.items():
            if k in _KNOWN:
                values[k] = tuple(v) if isinstance(v, list) else v
        return _made(values)


FIELDS = tuple(f.name for f in fields(DialogueState))
"""The state's field names in order (its values are flat: strings, numbers, tuples of strings)."""
_KNOWN = frozenset(FIELDS)
_DEFAULTS = {f.name: f.default for f in fields(DialogueState) if f.default is not MISSING}
"""The fields' defaults (all immutable: strings, numbers, None, empty tuples)."""
_REQUIRED = _KNOWN - _DEFAULTS.keys()
_TEMPLATE = {name: _DEFAULTS.get(name) for name in FIELDS}
"""Every field in order with its default (the required ones are always given)."""


def _made(values: dict[str, Any]) -> DialogueState:
    """A state holding ``values`` (every field in order, nothing else: :meth:`to_json` reads
    them in that order), its ``__init__`` skipped: a frozen dataclass's sets each field through
    ``object.__setattr__``."""
    state = object.__new__(DialogueState)
    state.__dict__.update(values)
    return state
