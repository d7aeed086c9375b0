"""The terminal chat: the same dialogue as on Telegram, buttons shown as numbered choices.

Fully scriptable: one answer per line on standard input; ends on EOF or ``/quit``.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import TextIO

from bot.core.catalogue import to_plain
from bot.core.dialogue.events import Button, Event, Press, Reply, Start, Text, read_command
from bot.service import OrientationService, Who

LOCAL_USER = Who(user_id=0)
QUIT = {"/quit", "/exit", "/quitter"}
MAX_LINE = 10_000


def render(replies: list[Reply], out: TextIO) -> list[Button]:
    """Print ``replies``; return their buttons in the order they are numbered."""
    buttons: list[Button] = []
    for reply in replies:
        text = to_plain(reply.text).strip()
        if text:
            out.write(text + "\n")
        for row in reply.buttons:
            for button in row:
                buttons.append(button)
                out.write(f"  [{len(buttons)}] {button.label}\n")
        out.write("\n")
    return buttons


def parse(line: str, buttons: list[Button]) -> Event:
    """A typed line as an event: a choice number, a command, or free text."""
    text = line.strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(buttons):
        return Press(buttons[int(text) - 1].data)
    if text.startswith("/") and len(text) > 1:
        return read_command(text)
    return Text(text)


async def chat(
    service: OrientationService,
    source: str | None,
    read_line: Callable[[], str],
    out: TextIO,
    prompt: str = "",
) -> None:
    """Run one conversation until EOF or /quit; an unfinished one is logged as abandoned."""
    buttons = render(await service.handle(LOCAL_USER, Start(source)), out)
    while True:
        if prompt:
            out.write(prompt)
            out.flush()
        line = await asyncio.to_thread(read_line)
        if not line or line.strip().lower() in QUIT:
            break
        line = line[:MAX_LINE]
        if not line.strip():
            continue
        replies = await service.handle(LOCAL_USER, parse(line, buttons))
        buttons = render(replies, out)  # only the choices just shown can be picked
        out.flush()
    await service.end(LOCAL_USER)


def stdin_reader() -> Callable[[], str]:
    """A line reader on standard input ('' at EOF)."""
    return sys.stdin.readline
