"""Knowledge-base files read defensively: regular files only, a size limit, strict YAML.

A FIFO or ``/dev/zero`` named ``*.yaml`` is refused before it is opened; YAML anchors and
aliases (alias bombs), nesting deeper than :data:`MAX_DEPTH` and duplicate keys are refused
with the line they are on (the first two from the parser's events, before any node is built).
Hidden files (``.#x.yaml``, ``._x.yaml``) are not part of a base.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

from bot.core.diagnostics import say

MAX_BYTES = 256_000
"""Largest YAML file accepted (the largest bundled actor file is about 4 kB)."""
MAX_DEPTH = 20
"""Deepest nesting of mappings and lists accepted (actor files use 4)."""


class FileRefused(ValueError):
    """A file that cannot be part of the base: ``field`` is ``(file)`` or ``(yaml)``, ``line``
    0 when the problem concerns the whole file."""

    def __init__(self, message: str, line: int = 0, field: str = "(file)") -> None:
        super().__init__(message)
        self.line = line
        self.field = field


def visible(path: Path) -> bool:
    """Whether ``path`` is not a hidden file (editor locks, macOS ``._`` files)."""
    return not path.name.startswith(".")


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of the regular file ``path``, at most ``limit`` bytes; else FileRefused."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(say("kb.not_regular"))
        if info.st_size > limit:
            raise FileRefused(say("kb.too_large", limit=limit, size=info.st_size))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise FileRefused(say("kb.unreadable", reason=error.strerror or error)) from None
    if len(data) > limit:
        raise FileRefused(say("kb.too_large", limit=limit, size=len(data)))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileRefused(say("kb.not_utf8", byte=error.start)) from None


def refuse_hostile(loader: yaml.SafeLoader) -> None:
    """Refuse aliases and anchors (alias bombs) and nesting past :data:`MAX_DEPTH`, reading
    ``loader``'s events before any node is built (``ComposerError`` at the event's line)."""
    depth = 0  # collections open around the next node
    while loader.check_event():
        event = loader.get_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark  # libyaml's marks have the same fields
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.NodeEvent):
            if isinstance(event, yaml.AliasEvent) or event.anchor:
                raise ComposerError(None, None, say("kb.aliases"), mark)
            if depth >= MAX_DEPTH:
                raise ComposerError(None, None, say("kb.too_deep", most=MAX_DEPTH), mark)
            depth += isinstance(event, yaml.CollectionStartEvent)


class UniqueKeys(yaml.constructor.SafeConstructor):
    """Construction refusing a key given twice in a mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping; refuses a key given twice."""
        seen: set[str] = set()
        for key, _ in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else None
            if name is not None and name in seen:
                raise ConstructorError(
                    None, None, say("kb.duplicate_key", name=name), key.start_mark
                )
            if name is not None:
                seen.add(name)
        return super().construct_mapping(node, deep)


class StrictLoader(UniqueKeys, yaml.SafeLoader):
    """PyYAML's own loader refusing a key given twice: what says why a file is refused."""


class FastLoader(UniqueKeys, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same with libyaml's parser when PyYAML was built with it: in C, a file of 50 nodes
    read in 0.2 ms instead of 1.5 ms, which was most of compiling a base of 100,000 files."""


def _parsed(text: str, kind: type[yaml.SafeLoader]) -> tuple[yaml.Node | None, Any]:
    """The node tree and data of ``text`` read by loaders of ``kind``: a first one refuses
    hostile files from its events, a second one composes and constructs."""
    checker, loader = kind(text), kind(text)
    try:
        refuse_hostile(checker)
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        checker.dispose()
        loader.dispose()


def parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data of ``text``; FileRefused with the line of
    the problem when it is not acceptable YAML. A file libyaml refuses is read again by
    PyYAML's own parser, whose messages (and verdict) are the ones reported, as they were
    before libyaml read the files."""
    try:
        return _parsed(text, FastLoader)
    except yaml.YAMLError:
        pass
    try:
        return _parsed(text, StrictLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        position = getattr(error, "position", None)  # a reader error: a forbidden character
        line = (
            mark.line + 1
            if mark is not None
            else text.count("\n", 0, position) + 1
            if isinstance(position, int)
            else 0
        )
        reason = getattr(error, "problem", None) or getattr(error, "reason", None) or str(error)
        raise FileRefused(say("kb.yaml", reason=reason), line, "(yaml)") from None


def load(path: Path, limit: int = MAX_BYTES) -> tuple[yaml.Node | None, Any]:
    """:func:`read_text` then :func:`parse`."""
    return parse(read_text(path, limit))


def lines(node: yaml.Node | None, prefix: str = "") -> dict[str, int]:
    """Map dotted field paths (``contacts[0].email``) to 1-based line numbers."""
    found: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = f"{prefix}.{key.value}" if prefix else str(key.value)
            found[path] = key.start_mark.line + 1
            found.update(lines(value, path))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}[{index}]"
            found[path] = item.start_mark.line + 1
            found.update(lines(item, path))
    return found
