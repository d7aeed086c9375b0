"""Sub-commands of the ``aiguillage`` command line, in the order ``--help`` lists them."""

from __future__ import annotations

from types import ModuleType

from bot.commands import check_kb, recommend

COMMANDS: tuple[ModuleType, ...] = (check_kb, recommend)
