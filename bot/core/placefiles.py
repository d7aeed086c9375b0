"""Reading the place files of a base (``communes.json``, ``districts.json``,
``communes-france.json``, ``places-world.json``): each refused with a
:class:`~bot.core.commune.TerritoryError` naming its field and line."""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from bot.core import kbfiles
from bot.core.commune import TerritoryError
from bot.core.diagnostics import say

MAX_JSON_BYTES = 4_000_000
DISTRICTS_FILE = "districts.json"  # beside communes.json: neighbourhoods by INSEE code
ELSEWHERE_FIELDS = 4  # [name, department, flags, folded name]
MAX_NAME = 100
INSEE_RE = re.compile(r"[0-9][0-9AB][0-9]{3}")
POSTAL_RE = re.compile(r"[0-9]{5}")


def read_place_file(path: Path) -> str:
    """The text of a place file, or :class:`TerritoryError` when it is refused (too large…)."""
    try:
        return kbfiles.read_text(path, MAX_JSON_BYTES)
    except kbfiles.FileRefused as refused:
        raise TerritoryError(str(refused), refused.line, refused.field) from None


def place_json(path: Path) -> Any:
    """The data of a place file, or :class:`TerritoryError` naming why it is unusable."""
    text = read_place_file(path)
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError) as error:
        raise TerritoryError(say("communes.json_refused", error=error), 1, "(json)") from None


def checked_town_file(
    path: Path, fields: Iterable[str], optional: Iterable[str] = ()
) -> dict[str, Any]:
    """A town file's data, each field checked (``optional`` ones when present): a list of
    towns (``communes``, ``cities``) or a mapping of texts; :class:`TerritoryError` naming the
    field of the first problem."""
    data = place_json(path)
    present = [f for f in optional if isinstance(data, dict) and f in data]
    for field in [*fields, *present]:
        kind = list if field in ("communes", "cities") else dict
        value = data.get(field) if isinstance(data, dict) else None
        items: list[Any] = list(value.values()) if isinstance(value, dict) else value or []
        good = _town_entry if kind is list else _is_text
        if not isinstance(value, kind) or not all(good(item) for item in items):
            raise TerritoryError(say("communes.malformed", kind=kind.__name__), 1, field)
    return data  # type: ignore[no-any-return]


def _town_entry(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == ELSEWHERE_FIELDS
        and all(isinstance(v, str) for v in (value[0], value[1], value[3]))
    )


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def districts_of(path: Path, communes: Collection[str]) -> dict[str, list[str]]:
    """The neighbourhood names of ``districts.json`` (knowledge/) by INSEE code, each a code
    of ``communes``; none when the file is absent; :class:`TerritoryError` when malformed."""
    if not path.exists():
        return {}
    data = place_json(path)
    value = data.get("districts") if isinstance(data, dict) else None
    if not isinstance(value, dict) or not all(
        insee in communes
        and isinstance(names, list)
        and all(_text(name, MAX_NAME) for name in names)
        for insee, names in value.items()
    ):
        field = f"{DISTRICTS_FILE}: districts"
        raise TerritoryError(say("communes.malformed", kind="dict"), 1, field)
    return value


def department_label(value: Any, name: str) -> dict[str, str]:
    """The label of a territory from its file's ``departement`` (« 31 Haute-Garonne »)."""
    if not isinstance(value, str) or not value.strip():
        return {"fr": name}
    code, _, label = value.strip().partition(" ")
    return {"fr": label.strip() if label.strip() and code[:1].isdigit() else value.strip()}


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    for key in keys:
        if keys.count(key) > 1:
            raise ValueError(say("communes.duplicate_key", name=key))
    return dict(pairs)


def _text(value: Any, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= limit


def commune_problem(entry: Any) -> tuple[str, str] | None:
    """``(field, message)`` of the first problem of one commune entry, None when valid."""
    if not isinstance(entry, dict):
        return "(entry)", say("communes.entry")
    if not isinstance(entry.get("insee"), str) or not INSEE_RE.fullmatch(entry["insee"]):
        return "insee", say("communes.insee")
    if not _text(entry.get("name"), MAX_NAME):
        return "name", say("communes.name", most=MAX_NAME)
    codes = entry.get("postal_codes")
    if (
        not isinstance(codes, list)
        or not codes
        or not all(isinstance(c, str) and POSTAL_RE.fullmatch(c) for c in codes)
    ):
        return "postal_codes", say("communes.postal_codes")
    if not _text(entry.get("epci"), MAX_NAME):
        return "epci", say("communes.non_empty_text")
    if not isinstance(entry.get("epci_name", ""), str):
        return "epci_name", say("communes.text")
    population = entry.get("population", 0)
    if isinstance(population, bool) or not isinstance(population, int) or population < 0:
        return "population", say("communes.whole_number")
    return None


def element_lines(text: str) -> list[int]:
    """The line on which each element of the ``communes`` list starts (for messages)."""
    start = max(text.find('"communes"'), 0)
    starts: list[int] = []
    line = text.count("\n", 0, start) + 1
    depth, in_string, escaped, expect = 0, False, False, False
    for char in text[start:]:
        line += char == "\n"
        if in_string:
            escaped, in_string = not escaped and char == "\\", escaped or char != '"'
            continue
        if depth == 1 and expect and not char.isspace() and char not in ",]":
            starts.append(line)
            expect = False
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            expect = expect or (depth == 1 and char == "[")
        elif char in "]}":
            depth -= 1
            if depth <= 0:
                break
        elif char == "," and depth == 1:
            expect = True
    return starts
