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
from collections.abc import Callable, Iterable
from typing import TextIO

from bot.core.records import ConversationRecord
from bot.storage.aggregates import ExportRow
from bot.storage.rows import COLUMNS, iso

CSV_COLUMNS = (*COLUMNS, "followup", "followup_answers")
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


def csv_writer(out: TextIO) -> Callable[[Iterable[ExportRow]], None]:
    """Write the header line to ``out``; return the function writing rows under it, in
    :data:`CSV_COLUMNS` order (``Storage.export`` hands it one batch at a time)."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)

    def write(rows: Iterable[ExportRow]) -> None:
        writer.writerows(
            tuple(map(defuse, _row(record, (status, answers)))) for record, status, answers in rows
        )

    return write
