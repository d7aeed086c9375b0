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
    """A sub-command: its name as typed, its module, the catalogue keys of its help line and
    of its description."""

    name: str
    module: str
    help_key: str
    description_key: str

    def load(self) -> ModuleType:
        """The command's module (imported now)."""
        return importlib.import_module(f"bot.commands.{self.module}")


COMMANDS: tuple[Command, ...] = (
    Command("chat", "chat", "cli.chat.help", "cli.chat.description"),
    Command("serve", "serve", "cli.serve.help", "cli.serve.description"),
    Command("check-kb", "check_kb", "cli.check.help", "cli.check.description"),
    Command("recommend", "recommend", "cli.recommend.help", "cli.recommend.description"),
    Command("report", "report", "cli.report.help", "cli.report.description"),
    Command("link", "link", "cli.link.help", "cli.link.description"),
    Command("demo-data", "demo_data", "cli.demo.help", "cli.demo.description"),
    Command("followups", "followups", "cli.followups.help", "cli.followups.description"),
    Command(
        "import-datainclusion", "import_datainclusion", "cli.import.help", "cli.import.description"
    ),
    Command(
        "export-datainclusion", "export_datainclusion", "cli.export.help", "cli.export.description"
    ),
    Command("forget", "forget", "cli.forget.help", "cli.forget.description"),
    Command("health", "health", "cli.health.help", "cli.health.description"),
)
