"""The demand log as CSV, one row per conversation.

Columns: ``id``; ``user`` (keyed pseudonym); ``started_at``, ``updated_at``, ``ended_at``
(ISO 8601, UTC); ``source`` (deep-link code, empty for direct access); ``lang``; ``outcome``
(``in_progress``, ``completed``, ``abandoned``, ``restarted``); ``stage``; ``legal_form``;
``needs``; ``commune`` (INSEE code); ``inferred``; ``recommended`` (actor ids); ``unmet_needs``;
``feedback`` (``useful``, ``not_useful`` or empty); ``free_text`` (only when the person agreed,
already redacted and cut to 500 characters); ``synthetic`` (``1`` for demo data); ``territory``
(of the commune, empty when unknown or elsewhere); ``followup``
(``declined``, ``scheduled``, ``done``, ``stopped``, ``blocked`` or empty when none was offered)
and ``followup_answers`` (``actor:answer``: ``reached``, ``no_answer``, ``not_yet``, ``wrong``).
Lists are joined with ``;``. A cell a spreadsheet would read as a formula (beginning with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from bot.core.records import ConversationRecord
from bot.storage.rows import COLUMNS, iso

CSV_COLUMNS = (*COLUMNS, "followup", "followup_answers")
NO_FOLLOWUP = ("", "")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(cell: str) -> str:
    """``cell`` as a spreadsheet shows it literally, never as a formula."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _row(record: ConversationRecord, followup: tuple[str, str]) -> tuple[str, ...]:
    return (
        record.id,
        record.user,
        iso(record.started_at),
        iso(record.updated_at),
        iso(record.ended_at) if record.ended_at else "",
        record.source or "",
        record.lang,
        record.outcome.value,
        record.stage or "",
        record.legal_form or "",
        ";".join(record.needs),
        record.commune or "",
        ";".join(record.inferred),
        ";".join(record.recommended),
        ";".join(record.unmet_needs),
        record.feedback.value if record.feedback else "",
        record.free_text or "",
        "1" if record.synthetic else "0",
        record.territory or "",
        *followup,
    )


def render_csv(
    records: Iterable[ConversationRecord], followups: Mapping[str, tuple[str, str]] | None = None
) -> str:
    """A header line then one line per record, in :data:`CSV_COLUMNS` order; ``followups``
    gives each conversation's two follow-up cells (``Outcomes.by_conversation``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    cells = followups or {}
    writer.writerows(
        tuple(map(defuse, _row(record, cells.get(record.id, NO_FOLLOWUP)))) for record in records
    )
    return out.getvalue()
