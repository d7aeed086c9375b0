"""Sub-commands of the ``aiguillage`` command line, in the order ``--help`` lists them.

Each command module exposes ``arguments(parser)``, which adds the command's arguments and sets
``run`` (a callable taking the parsed namespace and returning an exit code). Only the module of
the command being run is imported, so that ``aiguillage forget`` does not load the dialogue,
Telegram or the reports.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Command:
    """A sub-command: its name as typed, its module and its words' catalogue prefix."""

    name: str
    module: str
    words: str

    def load(self) -> ModuleType:
        """The command's module (imported now)."""
        return importlib.import_module(f"bot.commands.{self.module}")


COMMANDS: tuple[Command, ...] = (
    Command("chat", "chat", "chat"),
    Command("serve", "serve", "serve"),
    Command("check-kb", "check_kb", "check"),
    Command("recommend", "recommend", "recommend"),
    Command("report", "report", "report"),
    Command("link", "link", "link"),
    Command("demo-data", "demo_data", "demo"),
    Command("followups", "followups", "followups"),
    Command("import-datainclusion", "import_datainclusion", "import"),
    Command("export-datainclusion", "export_datainclusion", "export"),
    Command("forget", "forget", "forget"),
    Command("health", "health", "health"),
)
