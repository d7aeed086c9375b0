"""The knowledge base's YAML read by libyaml's parser gives what PyYAML's own gives, and a base
is loaded without garbage collection, the collector left as it was found."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.config import REPO_KNOWLEDGE
from bot.core import kbfiles
from bot.core.diagnostics import say
from bot.core.loader import _load_knowledge, collection_paused, load_knowledge

BUNDLED_YAML = sorted(REPO_KNOWLEDGE.rglob("*.yaml"))
TOO_DEEP = say("kb.too_deep", most=kbfiles.MAX_DEPTH)


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
def test_libyaml_is_what_reads_the_base() -> None:
    assert issubclass(kbfiles.FastLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("path", BUNDLED_YAML, ids=[p.name for p in BUNDLED_YAML])
def test_each_bundled_file_reads_the_same_with_either_parser(path: Path) -> None:
    text = kbfiles.read_text(path)
    fast_node, fast = kbfiles.parse(text)
    slow_node, slow = kbfiles._parsed(text, kbfiles.StrictLoader)
    assert fast == slow and fast is not None
    assert kbfiles.lines(fast_node) == kbfiles.lines(slow_node)


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("a: &x 1\nb: 2\n", 1, say("kb.aliases")),
        ("a: 1\nb: [*x]\n", 2, say("kb.aliases")),
        ("a:\n" + "".join(f"{'  ' * d}- \n" for d in range(1, 21)), 21, TOO_DEEP),
        ("a: " + "[" * 1200 + "]" * 1200 + "\n", 1, TOO_DEEP),
    ],
    ids=["anchor", "alias", "indented", "past libyaml's own limit"],
)
def test_hostile_yaml_is_refused_with_its_line_whichever_parser(
    text: str, line: int, reason: str
) -> None:
    with pytest.raises(kbfiles.FileRefused) as refused:
        kbfiles.parse(text)
    assert refused.value.line == line and refused.value.field == "(yaml)"
    assert reason in str(refused.value)


def test_twenty_levels_are_accepted() -> None:
    text = "a:\n" + "".join(f"{'  ' * d}- \n" for d in range(1, 19))
    node, data = kbfiles.parse(text)
    assert node is not None and isinstance(data, dict)


def collections_during(load: Callable[[Path], object]) -> list[int]:
    """The generations collected while ``load`` reads the bundled base."""
    found: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            found.append(info["generation"])

    gc.collect()  # no collection due when loading starts
    gc.callbacks.append(count)
    try:
        load(REPO_KNOWLEDGE)
    finally:
        gc.callbacks.remove(count)
    return found


def test_a_base_loads_without_collections_and_the_collector_is_left_as_found() -> None:
    paused = collections_during(load_knowledge)
    assert len(paused) <= 1 < len(collections_during(_load_knowledge))  # the first one after
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
