"""Long Telegram HTML messages cut into pieces Telegram accepts.

Pieces end at paragraph or line ends where they can. A line longer than the limit is cut
between words, never inside a tag or an entity (``&lt;``), and every piece is valid HTML on
its own: tags open at the cut are closed there and opened again in the next piece.
:func:`messages` turns one reply into the messages that carry it, one Bot API call each.
"""

from __future__ import annotations

import re

from bot.core.catalogue import Markup
from bot.core.dialogue.events import Reply

MAX_LENGTH = 4096
_MARKUP = re.compile(r"<(/?)([A-Za-z]+)[^<>]*>|&#?\w+;")
_REOPEN_SHARE = 4
"""Open tags may take at most a quarter of a piece; deeper markup is dropped at a cut."""


def split(text: str, limit: int = MAX_LENGTH) -> list[str]:
    """``text`` cut into messages of at most ``limit`` characters (see the module docstring);
    a text that fits is left as it is."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        if len(line) > limit:
            if current:
                pieces.append(current)
            *whole, current = _cut_line(line, limit)
            pieces += whole
            continue
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    pieces.append(current)
    return [p for p in pieces if p.strip()] or [text[:limit]]


def messages(reply: Reply, limit: int = MAX_LENGTH) -> list[Reply]:
    """The messages that show ``reply``, in order: its text cut by :func:`split`, the keyboard
    on the last piece only; a reply cut in pieces is sent as new messages, never as an edit."""
    *before, last = split(reply.text, limit)
    if not before:
        return [reply]
    return [*(Reply(Markup(piece)) for piece in before), Reply(Markup(last), reply.buttons)]


class _Pieces:
    """The pieces of one long line being built, with the tags open at the current point."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.done: list[str] = []
        self.current = ""
        self.opened: list[tuple[str, str]] = []  # (opening tag as written, tag name)

    def closing(self) -> str:
        return "".join(f"</{name}>" for _, name in reversed(self.opened))

    def room(self) -> int:
        return self.limit - len(self.current) - len(self.closing())

    def cut(self) -> None:
        self.done.append(self.current + self.closing())
        reopen = "".join(tag for tag, _ in self.opened)
        if len(reopen) + len(self.closing()) > self.limit // _REOPEN_SHARE:
            self.opened, reopen = [], ""  # pathological nesting: later closing tags are dropped
        self.current = reopen

    def plain(self, text: str) -> None:
        while text:
            room = self.room()
            if room <= 0:
                self.cut()
                continue
            if len(text) <= room:
                self.current += text
                return
            space = text.rfind(" ", 0, room)
            take = space + 1 if space > 0 else room
            self.current += text[:take]
            text = text[take:]
            self.cut()

    def markup(self, atom: str, closing: str | None, name: str | None) -> None:
        if name is not None and closing:
            if not self.opened or self.opened[-1][1] != name.lower():
                return  # a closing tag with no opening one in this piece
            self.opened.pop()
            self.current += atom
            return
        grows = len(atom) + (len(name) + 3 if name is not None else 0)
        if grows > self.room():
            self.cut()
        self.current += atom
        if name is not None:
            self.opened.append((atom, name.lower()))


def _cut_line(line: str, limit: int) -> list[str]:
    pieces = _Pieces(limit)
    position = 0
    for match in _MARKUP.finditer(line):
        pieces.plain(line[position : match.start()])
        pieces.markup(match.group(), match.group(1), match.group(2))
        position = match.end()
    pieces.plain(line[position:])
    return [*pieces.done, pieces.current + pieces.closing()]
