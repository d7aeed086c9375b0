"""Conversion between :class:`ConversationRecord` and ``conversations`` rows.

Datetimes are stored as fixed-width ISO 8601 UTC text (so text order is time order; naive
values are taken as UTC); tuples as JSON arrays; free text is redacted on the way in.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.core.records import ConversationRecord, Feedback, Outcome
from bot.jsontext import dumps
from bot.privacy import redact

COLUMNS = (
    "id",
    "user",
    "started_at",
    "updated_at",
    "ended_at",
    "source",
    "lang",
    "outcome",
    "stage",
    "legal_form",
    "needs",
    "commune",
    "inferred",
    "recommended",
    "unmet_needs",
    "feedback",
    "free_text",
    "synthetic",
    "territory",
)

Row = tuple[str | int | None, ...]
_OUTCOMES = {outcome.value: outcome for outcome in Outcome}
_FEEDBACKS = {feedback.value: feedback for feedback in Feedback}


def iso(moment: datetime) -> str:
    """``moment`` as sortable UTC text, e.g. ``2025-03-01T08:30:00.000000+00:00``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _array(values: tuple[str, ...]) -> str:
    return dumps(values) if values else "[]"


@functools.lru_cache(maxsize=16_384)
def _tuple(text: str) -> tuple[str, ...]:
    """Decode a JSON array; cached, as a log repeats the same few lists of ids."""
    return tuple(json.loads(text))


def to_row(record: ConversationRecord) -> Row:
    """The column values of ``record``, in :data:`COLUMNS` order."""
    return (
        record.id,
        record.user,
        iso(record.started_at),
        iso(record.updated_at),
        iso(record.ended_at) if record.ended_at else None,
        record.source,
        record.lang,
        record.outcome.value,
        record.stage,
        record.legal_form,
        _array(record.needs),
        record.commune,
        _array(record.inferred),
        _array(record.recommended),
        _array(record.unmet_needs),
        record.feedback.value if record.feedback else None,
        redact(record.free_text) if record.free_text else None,
        int(record.synthetic),
        record.territory,
    )


def from_row(row: Sequence[Any]) -> ConversationRecord:
    """The record stored in ``row`` (columns in :data:`COLUMNS` order)."""
    return ConversationRecord(
        id=row[0],
        user=row[1],
        started_at=datetime.fromisoformat(row[2]),
        updated_at=datetime.fromisoformat(row[3]),
        ended_at=datetime.fromisoformat(row[4]) if row[4] else None,
        source=row[5],
        lang=row[6],
        outcome=_OUTCOMES[row[7]],
        stage=row[8],
        legal_form=row[9],
        needs=_tuple(row[10]),
        commune=row[11],
        inferred=_tuple(row[12]),
        recommended=_tuple(row[13]),
        unmet_needs=_tuple(row[14]),
        feedback=_FEEDBACKS[row[15]] if row[15] else None,
        free_text=row[16],
        synthetic=bool(row[17]),
        territory=row[18],
    )
