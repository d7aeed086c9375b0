"""The compiled knowledge base cached on disk: a large base starts in seconds, not minutes.

The cache holds the loaded base and its vocabulary (lemmas, BM25, the indexes matching
reads), pickled, in one file per base folder. It is used only when its key equals the base's
hash now (every file under the folder, by its path, size and times, with the code that reads
them: any edit changes it) and its HMAC-SHA256 under a key of its own (``kbcache.key``, mode
0600) is right: nothing is unpickled before the signature is checked, so a corrupt, stale or
foreign file is rebuilt, never trusted. A base that does not load is never cached (the
loader's problems are raised as always). When the cache folder cannot be written, the base
is loaded without it.

After loading, one sentence per language is understood (the lemma dictionaries load then,
not in someone's first turn), and the base is moved out of the garbage collector's sight
(:func:`gc.freeze`): a full collection over a 100,000-actor heap would otherwise land inside
someone's request. The C allocator (glibc's) then hands back what loading freed and keeps one
arena for every thread (:func:`_compact_allocator`).
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import hmac
import logging
import marshal
import operator
import os
import pickle
import secrets
import stat
import sys
from collections.abc import Hashable, Mapping
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from bot.core.knowledge import Actor, KnowledgeBase
from bot.core.loader import collection_paused, load_knowledge
from bot.core.understanding import understand
from bot.core.vocabulary import Vocabulary, remember, vocabulary

log = logging.getLogger(__name__)

MAGIC = b"AIGUILLAGE-KB-1\n"
KEY_FILE = "kbcache.key"
KEY_BYTES = 32
DIGEST_BYTES = 32
WARM_UP = (("Créer une association à Toulouse", "fr"), ("Start a cooperative in Toulouse", "en"))
M_ARENA_MAX = -8  # glibc's mallopt parameter: how many allocation arenas at most
CODE = Path(__file__).resolve().parent
COMPILED_BY = tuple(sorted(p.name for p in CODE.glob("*.py")))
"""Every module of the core: any of them may read the base or define what the cache holds."""


def default_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_CACHE_HOME/aiguillage``, else ``~/.cache/aiguillage``."""
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aiguillage"


Facts = tuple[str | int, ...]  # one entry of the base's hash: its path and its stat facts


def _hash_tree(found: list[Facts], folder: str, relative: str, only: tuple[str, ...] = ()) -> None:
    """Add every entry under ``folder`` to ``found`` in a fixed order: its path, kind, size,
    inode and modification and change times (a write changes the change time, which no one
    can set back; reading 100,000 files would cost more than the whole start-up). Each file
    is asked about by its name in the open folder, not by its whole path."""
    with os.scandir(folder) as listed:
        entries = sorted(listed, key=operator.attrgetter("name"))
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for entry in entries:
            name = f"{relative}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if not only:
                    _hash_tree(found, entry.path, name)
            elif not only or entry.name in only:
                try:
                    info = os.stat(entry.name, dir_fd=fd)
                except OSError as error:
                    found.append((name, "unreadable", error.errno or 0))
                    continue
                times = info.st_mtime_ns, info.st_ctime_ns
                found.append((name, info.st_mode, info.st_size, info.st_ino, *times))
    finally:
        os.close(fd)


def content_hash(root: Path) -> bytes:
    """SHA-256 of the base's files and of the code that compiles them (see :func:`_hash_tree`),
    their facts serialised by :mod:`marshal` (in C, fixed for one Python version)."""
    found: list[Facts] = [(sys.version, str(root.resolve()))]
    _hash_tree(found, str(CODE), "code", COMPILED_BY)
    _hash_tree(found, str(root), "base")
    return hashlib.sha256(marshal.dumps(found)).digest()


def _key(folder: Path) -> bytes:
    """The signing key in ``folder`` (created, owner-only; a key others can read is replaced)."""
    path = folder / KEY_FILE
    try:
        info = path.lstat()
        if stat.S_ISREG(info.st_mode) and not info.st_mode & 0o077 and info.st_uid == os.getuid():
            key = path.read_bytes()
            if len(key) == KEY_BYTES:
                return key
        path.unlink()
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(key)
    return key


def _cache_file(folder: Path, root: Path) -> Path:
    name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return folder / f"kb-{name[:24]}.bin"


def _read(path: Path, key: bytes, expected: bytes) -> tuple[KnowledgeBase, Vocabulary] | None:
    """The cached base when the file is ours, intact and of this content; else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC)
    view = memoryview(data)  # slices of a view copy nothing: the file may be 100 MB
    signature = view[head : head + DIGEST_BYTES]
    body = view[head + DIGEST_BYTES :]
    if not data.startswith(MAGIC) or not hmac.compare_digest(
        signature, hmac.digest(key, body, "sha256")
    ):
        log.warning("knowledge-base cache %s is not ours or is damaged: rebuilding it", path.name)
        return None
    if body[:DIGEST_BYTES] != expected:
        return None  # a file of the base changed
    with collection_paused():  # a collection per thousand objects would double the time
        kb, vocab = pickle.loads(body[DIGEST_BYTES:])
    if not isinstance(kb, KnowledgeBase) or not isinstance(vocab, Vocabulary):
        return None
    return kb, vocab


def _shared(kb: KnowledgeBase) -> KnowledgeBase:
    """The base with equal values (texts, language keys, stage sets, need maps, areas) made
    one object, inside mappings and tuples too, so that the cache file and the loaded heap
    hold each once."""
    pool: dict[Hashable, Any] = {}

    def one(value: Any) -> Any:
        if isinstance(value, Mapping):
            value = {one(k): one(v) for k, v in value.items()}
            key: Hashable = ("map", tuple(value.items()))
        elif isinstance(value, tuple | frozenset):
            value = type(value)(one(v) for v in value)
            key = (type(value), value)
        else:
            key = (type(value), value)
        try:
            return pool.setdefault(key, value)
        except TypeError:  # holds something unhashable: kept as it is
            return value

    def actor(a: Actor) -> Actor:
        return replace(a, **{f.name: one(getattr(a, f.name)) for f in fields(a)})

    return replace(kb, actors=tuple(actor(a) for a in kb.actors))


def _write(folder: Path, path: Path, key: bytes, content: bytes, kb: KnowledgeBase) -> None:
    body = content + pickle.dumps((kb, vocabulary(kb)), protocol=pickle.HIGHEST_PROTOCOL)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(MAGIC + hmac.digest(key, body, "sha256") + body)
    os.replace(temporary, path)


def load(root: Path, folder: Path | None = None) -> KnowledgeBase:
    """The base in ``root``, from the cache in ``folder`` (default :func:`default_dir`) when
    it is valid, else loaded, checked and cached; raises ``KnowledgeError`` like the loader."""
    kb = _load(root, default_dir() if folder is None else folder)
    for text, lang in WARM_UP:
        understand(text, kb, lang)
    gc.collect()
    gc.freeze()
    _compact_allocator()
    return kb


def _compact_allocator() -> None:
    """Hand the memory loading freed back to the system, and let every thread share one
    arena of glibc's allocator: on a large base turns run in worker threads, and each thread's
    own arena kept some 24 MB of freed 12.5 KB bitmaps at 100,000 actors. Nothing elsewhere
    (another C library, no ``mallopt``)."""
    libc = ctypes.CDLL(None)  # the process's own symbols: the C library's among them
    if not hasattr(libc, "mallopt") or not hasattr(libc, "malloc_trim"):
        return
    libc.mallopt(M_ARENA_MAX, 1)
    libc.malloc_trim(0)


def _load(root: Path, folder: Path) -> KnowledgeBase:
    content = content_hash(root)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = _key(folder)
    except OSError as error:
        log.warning("no knowledge-base cache (%s): loading every file", error.strerror or error)
        return load_knowledge(root)
    path = _cache_file(folder, root)
    cached = _read(path, key, content)
    if cached is not None:
        remember(*cached)
        return cached[0]
    with collection_paused():  # the vocabulary too: its objects all live on
        kb = _shared(load_knowledge(root))
        try:
            _write(folder, path, key, content, kb)
        except OSError as error:
            log.warning("knowledge-base cache not written: %s", error.strerror or error)
    return kb
