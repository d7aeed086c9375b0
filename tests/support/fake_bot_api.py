"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of the PTB adapter.

Point python-telegram-bot at it with ``.base_url(api.base_url)`` and
``.base_file_url(api.base_file_url)``; inject user messages and button presses with the
``inject_*`` methods, then read what the bot did with :meth:`FakeBotApi.calls`,
:meth:`FakeBotApi.sent_texts`, :meth:`FakeBotApi.last_markup`, :meth:`FakeBotApi.bot_messages`
and :meth:`FakeBotApi.wait_for`; script failures with ``fail_next``, ``hang_next`` and
``hold_answer``.
Everything runs on the test's event loop; no network beyond the loopback interface.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, NamedTuple, Self

from aiohttp import web

from .local_bot_api import ApiError, bad_request, edited, error_body

JSONDict = dict[str, Any]

DEFAULT_TOKEN = "123456789:TEST-aiguillage-token"
BOT_USERNAME = "aiguillage_test_bot"
LONG_POLL_CAP = 2.0
"""Upper bound, in seconds, of a getUpdates long poll, whatever ``timeout`` the bot asks."""
_RECHECK_INTERVAL = 0.05

# PTB sends form fields JSON-encoded except plain strings; these stay strings whatever they hold.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "inline_message_id",
        "parse_mode",
        "action",
        "url",
        "secret_token",
        "language_code",
        "photo",
        "document",
    }
)
_SENT_MESSAGE_METHODS = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "sendPhoto", "sendDocument"}
)


class Call(NamedTuple):
    """One request the bot made: the Bot API method name and its decoded parameters."""

    method: str
    params: JSONDict


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded in a multipart request (stands in ``Call.params`` for it)."""

    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class _Fault:
    """One scripted misbehaviour, consumed by the next call of its method."""

    status: int = 200
    description: str = ""
    retry_after: int | None = None
    delay: float = 0.0


class _Hold(NamedTuple):
    """A call whose answer is held until the server stops (see :meth:`FakeBotApi.hold_answer`)."""

    method: str
    when: Callable[[JSONDict], bool]
    carried_out: bool


class FakeBotApi:
    """In-process Telegram Bot API: serves ``/bot{token}/{method}`` (GET or POST, JSON or form)."""

    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self.bot_user: JSONDict = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Aiguillage (test)",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self._calls: list[Call] = []
        self.uploads: dict[str, bytes] = {}
        """The bytes of every file the bot uploaded, by file name."""
        self._pending: list[JSONDict] = []
        self._next_update_id = 1
        self._next_callback_id = 1
        self._message_ids: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._chats: dict[int, JSONDict] = {}
        self._open_callbacks: set[str] = set()
        self._commands: dict[str, list[JSONDict]] = {}
        self._webhook_url = ""
        self._faults: dict[str, list[_Fault]] = {}
        self._held: list[_Hold] = []
        self._changed = asyncio.Event()
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._handlers: dict[str, Callable[[JSONDict], Any]] = {
            "getMe": lambda _: self.bot_user,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": lambda p: self._commands.get(_commands_key(p), []),
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "answerCallbackQuery": self._answer_callback_query,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
        }

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = site.port

    async def stop(self) -> None:
        """Release pending long polls and hangs, then close the server."""
        self._stopping.set()
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The bound TCP port (0 before :meth:`start`)."""
        return self._port

    @property
    def base_url(self) -> str:
        """Value for ``ApplicationBuilder.base_url``; PTB appends the token."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ``ApplicationBuilder.base_file_url``; keeps file downloads off the network."""
        return f"http://127.0.0.1:{self._port}/file/bot"

    # -- injecting updates -----------------------------------------------------------------

    def inject_message(
        self,
        user_id: int,
        text: str,
        chat_type: str = "private",
        chat_id: int | None = None,
        language_code: str = "fr",
    ) -> JSONDict:
        """Queue a text message from a user; a leading ``/word`` gets a ``bot_command`` entity.

        ``chat_id`` defaults to ``user_id`` for a private chat and is required otherwise.
        """
        if chat_id is None:
            if chat_type != "private":
                raise ValueError("chat_id is required for a non-private chat")
            chat_id = user_id
        chat = self._register_chat(chat_id, chat_type)
        message: JSONDict = {
            "message_id": self._new_message_id(chat_id),
            "date": _now(),
            "chat": chat,
            "from": _user(user_id, language_code),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            length = len(command.encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.inject_raw({"message": message})

    def inject_callback(
        self, user_id: int, data: str, message_id: int, chat_id: int | None = None
    ) -> JSONDict:
        """Queue a button press on message ``message_id`` (the bot's message when it sent one)."""
        chat_id = user_id if chat_id is None else chat_id
        message = self._messages.get((chat_id, message_id))
        if message is None:
            message = {
                "message_id": message_id,
                "date": _now(),
                "chat": self._chat(chat_id),
                "from": self.bot_user,
                "text": "(message)",
            }
            self._messages[(chat_id, message_id)] = message
        query_id = str(self._next_callback_id)
        self._next_callback_id += 1
        self._open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "chat_instance": f"ci{chat_id}",
            "from": _user(user_id, "fr"),
            "data": data,
            "message": dict(message),
        }
        return self.inject_raw({"callback_query": query})

    def inject_raw(self, update: JSONDict) -> JSONDict:
        """Queue any update dict (stickers, photos, edits, groups…); ``update_id`` is filled in.

        Chats found in it are remembered, so the bot's replies there carry the right chat type.
        """
        update = dict(update)
        update.setdefault("update_id", self._next_update_id)
        self._next_update_id = max(self._next_update_id, update["update_id"]) + 1
        for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
            if key in update:
                chat = update[key]["chat"]
                self._chats[chat["id"]] = chat
        self._pending.append(update)
        self._notify()
        return update

    # -- reading what the bot did ----------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Every call in arrival order (failed and hung ones included), optionally one method."""
        return [c for c in self._calls if method is None or c.method == method]

    def sent_texts(self, chat_id: int) -> list[str]:
        """Texts of the ``sendMessage`` calls to ``chat_id``, in order, failed attempts included.

        :meth:`bot_messages` tells what was actually delivered.
        """
        return [
            c.params["text"]
            for c in self._calls
            if c.method == "sendMessage" and c.params.get("chat_id") == chat_id
        ]

    def last_markup(self, chat_id: int) -> JSONDict | None:
        """``reply_markup`` of the bot's latest message sent or edited in ``chat_id``."""
        for call in reversed(self._calls):
            if call.method in _SENT_MESSAGE_METHODS and call.params.get("chat_id") == chat_id:
                markup: JSONDict | None = call.params.get("reply_markup")
                return markup
        return None

    def bot_messages(self, chat_id: int) -> list[JSONDict]:
        """Current state (edits applied) of the messages the bot sent to ``chat_id``, in order."""
        return [
            message
            for (chat, _), message in sorted(self._messages.items())
            if chat == chat_id and message["from"]["id"] == self.bot_user["id"]
        ]

    async def wait_for(
        self,
        predicate: Callable[[list[Call]], bool],
        timeout: float = 20.0,  # noqa: ASYNC109 - a test helper whose bound is the point
    ) -> list[Call]:
        """Wait until ``predicate(calls)`` holds and return the calls; AssertionError on timeout.

        The predicate is re-checked on every request, every answer and at least every 50 ms, so
        it may also look at state outside the fake (e.g. a list filled by an error handler).
        """
        try:
            async with asyncio.timeout(timeout):
                while not predicate(list(self._calls)):
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._changed.wait(), _RECHECK_INTERVAL)
        except TimeoutError:
            raise AssertionError(
                f"condition not met within {timeout} s; last calls:\n{self._describe_calls()}"
            ) from None
        return list(self._calls)

    # -- fault injection -------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 500,
        times: int = 1,
        retry_after: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with ``status`` (429: flood control)."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if status == 429
                else "Internal Server Error"
            )
        fault = _Fault(status, description, retry_after if status == 429 else None)
        self._faults.setdefault(method, []).extend([fault] * times)

    def clear_faults(self) -> None:
        """Forget every fault still queued: the server is healthy again."""
        self._faults.clear()

    def hang_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Delay the answer to the next ``times`` calls of ``method`` by ``seconds``."""
        self._faults.setdefault(method, []).extend([_Fault(delay=seconds)] * times)

    def hold_answer(
        self, method: str, when: Callable[[JSONDict], bool], *, carried_out: bool = True
    ) -> None:
        """Never answer (until :meth:`stop`) the next call of ``method`` whose parameters satisfy
        ``when``: carried out first, as when Telegram did it and the bot died before reading the
        answer; or, with ``carried_out=False``, not even that, as a request lost on the way."""
        self._held.append(_Hold(method, when, carried_out))

    # -- HTTP ------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(error_body(401, "Unauthorized"), status=401)
        try:
            params = await self._read(request)
        except ConnectionResetError:  # the bot was killed while sending (the SIGKILL tests)
            return web.Response(status=499)
        status, body = await self.answer(request.match_info["method"], params)
        return web.json_response(body, status=status)

    async def answer(self, method: str, params: JSONDict) -> tuple[int, JSONDict]:
        """Record the call of ``method`` and answer it: HTTP status and Bot API JSON body.

        Both transports come here: the HTTP server, and the in-process request of
        ``support.local_bot_api`` (which reads nothing from the network).
        """
        self._calls.append(Call(method, params))
        self._notify()
        faults = self._faults.get(method)
        fault = faults.pop(0) if faults else None
        if fault is not None and fault.delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), fault.delay)
        elif fault is not None:
            return fault.status, error_body(fault.status, fault.description, fault.retry_after)
        hold = next((h for h in self._held if h.method == method and h.when(params)), None)
        if hold is not None:
            self._held.remove(hold)
            if not hold.carried_out:
                await self._stopping.wait()
                return 502, error_body(502, "Bad Gateway")
        try:
            if method == "getUpdates":
                result: Any = await self._get_updates(params)
            else:
                handler = self._handlers.get(method)
                result = True if handler is None else handler(params)
        except ApiError as exc:
            return exc.status, error_body(exc.status, exc.description)
        except (KeyError, ValueError, TypeError) as exc:
            return 400, error_body(400, f"Bad Request: invalid parameters ({exc!r})")
        finally:
            self._notify()
        if hold is not None:
            await self._stopping.wait()
        return 200, {"ok": True, "result": result}

    def upload(self, filename: str, content_type: str, content: bytes) -> UploadedFile:
        """Keep an uploaded file's bytes in :attr:`uploads`; what stands for it in the call."""
        self.uploads[filename] = content
        return UploadedFile(filename, content_type, len(content))

    async def _read(self, request: web.Request) -> JSONDict:
        """Decode query string plus JSON, url-encoded or multipart body into one dict."""
        params: JSONDict = {k: _decode_field(k, v) for k, v in request.query.items()}
        if not request.body_exists:
            return params
        if request.content_type == "application/json":
            body = await request.json()
            params.update(body)
            return params
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                content = value.file.read()
                params[name] = self.upload(value.filename, value.content_type, content)
            else:
                text = value if isinstance(value, str) else bytes(value).decode()
                params[name] = _decode_field(name, text)
        return params

    # -- Bot API methods -------------------------------------------------------------------

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self._webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        timeout = min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        if not self._pending and timeout > 0:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    while not self._pending and not self._stopping.is_set():
                        await self._changed.wait()
        return self._pending[: int(params.get("limit") or 100)]

    def _delete_webhook(self, params: JSONDict) -> bool:
        self._webhook_url = ""
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _set_webhook(self, params: JSONDict) -> bool:
        self._webhook_url = str(params["url"])
        return True

    def _get_webhook_info(self, _: JSONDict) -> JSONDict:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    def _set_my_commands(self, params: JSONDict) -> bool:
        self._commands[_commands_key(params)] = list(params["commands"])
        return True

    def _delete_my_commands(self, params: JSONDict) -> bool:
        self._commands.pop(_commands_key(params), None)
        return True

    def _send_message(self, params: JSONDict) -> JSONDict:
        content: JSONDict = {"text": str(params["text"])}
        if "entities" in params:
            content["entities"] = params["entities"]
        return self._new_bot_message(params, content)

    def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        return self._edit(params, {"text": str(params["text"])})

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict | bool:
        return self._edit(params, {})

    def _answer_callback_query(self, params: JSONDict) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id not in self._open_callbacks:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self._open_callbacks.discard(query_id)
        return True

    def _send_photo(self, params: JSONDict) -> JSONDict:
        photo = params["photo"]
        file_id = f"photo-{len(self._calls)}"
        size: JSONDict = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "width": 320,
            "height": 320,
        }
        if isinstance(photo, UploadedFile):
            size["file_size"] = photo.size
        return self._new_bot_message(params, {"photo": [size], **_caption(params)})

    def _send_document(self, params: JSONDict) -> JSONDict:
        document = params["document"]
        file_id = f"document-{len(self._calls)}"
        content: JSONDict = {"file_id": file_id, "file_unique_id": file_id}
        if isinstance(document, UploadedFile):
            content |= {
                "file_name": document.filename,
                "mime_type": document.content_type,
                "file_size": document.size,
            }
        return self._new_bot_message(params, {"document": content, **_caption(params)})

    # -- helpers ---------------------------------------------------------------------------

    def _new_bot_message(self, params: JSONDict, content: JSONDict) -> JSONDict:
        chat_id = int(params["chat_id"])
        message: JSONDict = {
            "message_id": self._new_message_id(chat_id),
            "date": _now(),
            "chat": self._chat(chat_id),
            "from": self.bot_user,
            **content,
        }
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _edit(self, params: JSONDict, content: JSONDict) -> JSONDict | bool:
        if "inline_message_id" in params:
            return True
        key = (int(params["chat_id"]), int(params["message_id"]))
        old = self._messages.get(key)
        if old is None:
            raise bad_request("message to edit not found")
        if "text" in content and "text" not in old:
            raise bad_request("there is no text in the message to edit")
        new = edited(old, params, content)
        self._messages[key] = new
        return new

    def _new_message_id(self, chat_id: int) -> int:
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _chat(self, chat_id: int) -> JSONDict:
        chat = self._chats.get(chat_id)
        return chat if chat is not None else self._register_chat(chat_id, "private")

    def _register_chat(self, chat_id: int, chat_type: str) -> JSONDict:
        chat: JSONDict = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"User{chat_id}"
        else:
            chat["title"] = f"Chat {chat_id}"
        self._chats[chat_id] = chat
        return chat

    def _notify(self) -> None:
        """Wake every waiter; each re-checks its own condition."""
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    def _describe_calls(self, last: int = 15) -> str:
        calls = [c for c in self._calls if c.method != "getUpdates"][-last:]
        lines = [f"  {c.method} {json.dumps(c.params, default=repr)[:300]}" for c in calls]
        return "\n".join(lines) or "  (none besides getUpdates)"


STICKER: JSONDict = {
    "file_id": "s1",
    "file_unique_id": "s1",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}
"""A sticker as Telegram describes it, for updates carrying one."""


@contextlib.asynccontextmanager
async def running_fake_api(token: str = DEFAULT_TOKEN) -> AsyncIterator[FakeBotApi]:
    """Start a :class:`FakeBotApi` for the duration of the block (handy in a pytest fixture)."""
    async with FakeBotApi(token) as api:
        yield api


def _decode_field(name: str, value: str) -> Any:
    """PTB JSON-encodes every non-string form value; undo that."""
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _commands_key(params: JSONDict) -> str:
    return json.dumps([params.get("scope"), params.get("language_code")], sort_keys=True)


def _caption(params: JSONDict) -> JSONDict:
    return {"caption": str(params["caption"])} if "caption" in params else {}


def _user(user_id: int, language_code: str) -> JSONDict:
    return {
        "id": user_id,
        "is_bot": False,
        "first_name": f"User{user_id}",
        "language_code": language_code,
    }


def _now() -> int:
    return int(time.time())
