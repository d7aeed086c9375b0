"""Updates of one chat are processed strictly one after the other; other chats run beside them."""

from __future__ import annotations

import asyncio
import contextlib

from telegram import Chat, Message, Update

from bot.adapters.telegram.updates import PerChatUpdateProcessor


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, None, chat))  # type: ignore[arg-type]


async def test_same_chat_in_order_other_chats_concurrently() -> None:
    processor = PerChatUpdateProcessor(max_concurrent_updates=8)
    events: list[str] = []

    async def work(name: str, delay: float) -> None:
        events.append(f"start {name}")
        await asyncio.sleep(delay)
        events.append(f"end {name}")

    async with asyncio.timeout(5):
        await asyncio.gather(
            processor.process_update(update(1, 10), work("a1", 0.05)),
            processor.process_update(update(2, 10), work("a2", 0.01)),
            processor.process_update(update(3, 10), work("a3", 0.01)),
            processor.process_update(update(4, 20), work("b1", 0.01)),
        )
    chat_a = [e for e in events if e.endswith(("a1", "a2", "a3"))]
    assert chat_a == ["start a1", "end a1", "start a2", "end a2", "start a3", "end a3"]
    assert events.index("end b1") < events.index("end a1"), "another chat did not wait"
    assert processor._locks == {}, "no lock left behind"


async def test_every_update_is_marked_done_even_when_its_handler_fails() -> None:
    done: list[int] = []

    async def mark(update_id: int) -> None:
        done.append(update_id)

    async def fail() -> None:
        raise RuntimeError("boom")

    async def succeed() -> None:
        await asyncio.sleep(0)

    processor = PerChatUpdateProcessor(mark)
    async with asyncio.timeout(5):
        await processor.process_update(update(1, 10), succeed())
        with contextlib.suppress(RuntimeError):
            await processor.process_update(update(2, 10), fail())
    assert done == [1, 2], "a failing update is not replayed forever"
