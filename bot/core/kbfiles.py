"""Knowledge-base files read defensively: regular files only, a size limit, strict YAML.

A FIFO or ``/dev/zero`` named ``*.yaml`` is refused before it is opened; YAML anchors and
aliases (alias bombs), nesting deeper than :data:`MAX_DEPTH` and duplicate keys are refused
with the line they are on. Hidden files (``.#x.yaml``, ``._x.yaml``) are not part of a base.
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


class StrictLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` without anchors or aliases, with a depth limit and unique keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """One node; refuses aliases, anchors and nesting past :data:`MAX_DEPTH`."""
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ComposerError(None, None, say("kb.aliases"), event.start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise ComposerError(
                    None, None, say("kb.too_deep", most=MAX_DEPTH), event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

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


def parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for line numbers) and the data of ``text``, parsed once; FileRefused
    with the line of the problem when it is not acceptable YAML."""
    loader: StrictLoader | None = None
    try:
        loader = StrictLoader(text)
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
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
    finally:
        if loader is not None:
            loader.dispose()


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
