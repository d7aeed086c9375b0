"""The compiled knowledge base cached on disk: used only when it is ours, intact and current."""

from __future__ import annotations

import pickle
import shutil
import stat
from pathlib import Path

import pytest

from bot.config import REPO_KNOWLEDGE
from bot.core import kbcache
from bot.core.knowledge import KnowledgeBase, KnowledgeError
from bot.core.matching import Profile, recommend
from bot.core.vocabulary import vocabulary


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A copy of the bundled base, free to edit."""
    root = tmp_path / "knowledge"
    shutil.copytree(REPO_KNOWLEDGE, root)
    return root


def cache_file(folder: Path) -> Path:
    """The one cache file in ``folder``."""
    (found,) = folder.glob("kb-*.bin")
    return found


def picks(kb: KnowledgeBase) -> list[list[str]]:
    """The ids recommended for a few profiles, structured and free."""
    profiles = (
        Profile(stage="idea", needs=("funding",), commune="31555"),
        Profile(text="on veut monter une scop de boulangers à Muret"),
        Profile(legal_form="association", needs=("premises", "advice")),
    )
    return [[r.actor.id for r in recommend(kb, p).recommendations] for p in profiles]


def test_a_cached_base_is_the_base_and_owner_only(base: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    built = kbcache.load(base, folder)
    cached = kbcache.load(base, folder)
    assert cached is not built
    assert [a.id for a in cached.actors] == [a.id for a in built.actors]
    assert picks(cached) == picks(built)
    assert vocabulary(cached).coverage is not None
    for path, mode in (
        (folder, 0o700),
        (cache_file(folder), 0o600),
        (folder / "kbcache.key", 0o600),
    ):
        assert stat.S_IMODE(path.stat().st_mode) == mode


def test_an_edited_file_is_read_again(base: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    kbcache.load(base, folder)
    path = base / "actors" / "couac.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("name: Collectif", "name: Le Collectif"),
        encoding="utf-8",
    )
    kb = kbcache.load(base, folder)
    assert kb.actor("couac") is not None
    assert kb.actor("couac").name.startswith("Le Collectif")  # type: ignore[union-attr]


class Planted:
    """Unpickling this writes a file: the proof that a pickle ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (str(self.marker), "ran"))  # type: ignore[return-value]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "foreign", "key replaced"])
def test_a_damaged_or_foreign_cache_is_rebuilt_never_run(
    base: Path, tmp_path: Path, damage: str
) -> None:
    folder = tmp_path / "cache"
    expected = picks(kbcache.load(base, folder))
    path = cache_file(folder)
    data = path.read_bytes()
    marker = tmp_path / "ran.txt"
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        path.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
    elif damage == "foreign":  # the right magic and layout, signed with another key
        head = len(kbcache.MAGIC) + kbcache.DIGEST_BYTES
        body = data[head : head + kbcache.DIGEST_BYTES] + pickle.dumps(Planted(marker))
        path.write_bytes(kbcache.MAGIC + b"\0" * kbcache.DIGEST_BYTES + body)
    else:
        (folder / "kbcache.key").write_bytes(b"k" * kbcache.KEY_BYTES)
    assert picks(kbcache.load(base, folder)) == expected
    assert not marker.exists()
    assert picks(kbcache.load(base, folder)) == expected  # and the rebuilt file is good again


def test_a_key_others_can_read_is_replaced(base: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    kbcache.load(base, folder)
    key = folder / "kbcache.key"
    old = key.read_bytes()
    key.chmod(0o644)
    kbcache.load(base, folder)
    assert key.read_bytes() != old
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_an_invalid_base_is_refused_and_not_cached(base: Path, tmp_path: Path) -> None:
    (base / "actors" / "couac.yaml").write_text("id: couac\nname: [\n", encoding="utf-8")
    folder = tmp_path / "cache"
    with pytest.raises(KnowledgeError, match=r"couac\.yaml"):
        kbcache.load(base, folder)
    assert not list(folder.glob("kb-*.bin"))


def test_an_unusable_cache_folder_only_costs_time(base: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    kb = kbcache.load(base, blocked / "cache")
    assert picks(kb) == picks(kbcache.load(base, tmp_path / "cache"))
