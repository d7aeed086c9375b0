"""A chat id kept for later, sealed: unreadable and unforgeable without the key.

A follow-up must reach the person days later, and a hand-off must tell them how it ended, so
their chat id is kept, but never in clear:
``nonce ‖ id ⊕ HMAC(k₁, nonce) ‖ HMAC(k₂, nonce ‖ ciphertext ‖ context)``, both keys
derived from the pseudonymisation secret: HMAC-SHA256 as a pseudo-random pad for one 8-byte
block, then encrypt-then-MAC, from the standard library (the ``cryptography`` package's AES-GCM
would cost 16 MB installed and 10 MB of memory for eight bytes). Whoever holds the secret
could already recover ids from the pseudonyms by trying every id, so this adds no exposure;
without it the column says nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

NONCE = 16
TAG = 16
ID_BYTES = 8


KEY_LABEL = b"aiguillage followup chat "
"""Prefix of the two keys' derivation, as first written (for follow-ups): rows sealed since
then still open."""


class SealError(ValueError):
    """A sealed chat id was altered, or sealed under another key or for another context."""


def _key(secret: bytes, purpose: bytes) -> bytes:
    return hmac.new(secret, KEY_LABEL + purpose, hashlib.sha256).digest()


class ChatSeal:
    """Seals and opens chat ids under keys derived from ``secret``."""

    def __init__(self, secret: bytes) -> None:
        self._pad_key = _key(secret, b"pad")
        self._tag_key = _key(secret, b"tag")

    def _pad(self, nonce: bytes) -> bytes:
        return hmac.new(self._pad_key, nonce, hashlib.sha256).digest()[:ID_BYTES]

    def _tag(self, body: bytes, context: str) -> bytes:
        return hmac.new(self._tag_key, body + context.encode(), hashlib.sha256).digest()[:TAG]

    def seal(self, chat_id: int, context: str) -> bytes:
        """``chat_id`` sealed for ``context`` (an orientation, a hand-off): 40 bytes."""
        nonce = secrets.token_bytes(NONCE)
        plain = chat_id.to_bytes(ID_BYTES, "big", signed=True)
        body = nonce + bytes(a ^ b for a, b in zip(plain, self._pad(nonce), strict=True))
        return body + self._tag(body, context)

    def open(self, sealed: bytes, context: str) -> int:
        """The chat id in ``sealed``; :class:`SealError` if it was not sealed here for it."""
        body, tag = sealed[:-TAG], sealed[-TAG:]
        if len(body) != NONCE + ID_BYTES or not hmac.compare_digest(tag, self._tag(body, context)):
            raise SealError("sealed chat id not valid for this key and orientation")
        nonce, cipher = body[:NONCE], body[NONCE:]
        plain = bytes(a ^ b for a, b in zip(cipher, self._pad(nonce), strict=True))
        return int.from_bytes(plain, "big", signed=True)
