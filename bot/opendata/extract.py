"""Reading a data·inclusion extract (a JSON list of structures or of services) and checking
every record with the schema's own models (``data-inclusion-schema``, v1).

Every problem is one line ``file: record N: field: message`` (N counts from 1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core import kbfiles
from bot.core.diagnostics import say

MAX_EXTRACT_BYTES = 2_000_000_000


class ExtractError(ValueError):
    """The extract cannot be used; ``lines`` says where and why, one problem a line."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class Record:
    """One record of an extract: its position, the data as written, and the checked model."""

    file: str
    number: int
    raw: dict[str, Any]
    model: Any

    @property
    def where(self) -> str:
        return f"{self.file}: " + say("opendata.record", number=self.number)


def models() -> tuple[Any, Any]:
    """The schema's ``Structure`` and ``Service`` models (imported only when needed: pydantic
    takes most of a second to import); :class:`ExtractError` when the package is missing."""
    try:
        from data_inclusion.schema import v1
    except ImportError:
        raise ExtractError([say("opendata.no_schema")]) from None
    return v1.Structure, v1.Service


def problems(where: str, error: Any) -> list[str]:
    """One line per error of a pydantic ``ValidationError``."""
    return [
        f"{where}: {'.'.join(str(p) for p in item['loc']) or '(record)'}: {item['msg']}"
        for item in error.errors(include_url=False)
    ]


def read_extract(path: Path, model: Any) -> list[Record]:
    """Every record of ``path`` checked against ``model``; :class:`ExtractError` listing every
    problem (syntax, shape, schema, duplicate ids) otherwise."""
    from pydantic import ValidationError

    name = str(path)
    try:
        text = kbfiles.read_text(path, MAX_EXTRACT_BYTES)
    except kbfiles.FileRefused as refused:
        raise ExtractError([f"{name}: (file): {refused}"]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        at = say("opendata.json_at", line=error.lineno, column=error.colno, reason=error.msg)
        raise ExtractError([f"{name}: (json): {at}"]) from None
    except (RecursionError, ValueError) as error:
        raise ExtractError([f"{name}: (json): " + say("opendata.json", reason=error)]) from None
    if not isinstance(data, list):
        raise ExtractError([f"{name}: (file): " + say("opendata.list")])
    lines: list[str] = []
    records: list[Record] = []
    first: dict[str, int] = {}
    for number, raw in enumerate(data, start=1):
        where = f"{name}: " + say("opendata.record", number=number)
        if not isinstance(raw, dict):
            lines.append(f"{where}: (record): " + say("opendata.json_object"))
            continue
        try:
            checked = model.model_validate(raw)
        except ValidationError as error:
            lines.extend(problems(where, error))
            continue
        if checked.id in first:
            twice = say("opendata.duplicate_id", id=checked.id, number=first[checked.id])
            lines.append(f"{where}: id: {twice}")
            continue
        first[checked.id] = number
        records.append(Record(name, number, raw, checked))
    if lines:
        raise ExtractError(lines)
    return records
