"""Sub-commands of the ``aiguillage`` command line, in the order ``--help`` lists them."""

from __future__ import annotations

from types import ModuleType

from bot.commands import (
    chat,
    check_kb,
    demo_data,
    export_datainclusion,
    followups,
    forget,
    health,
    import_datainclusion,
    link,
    recommend,
    report,
    serve,
)

COMMANDS: tuple[ModuleType, ...] = (
    chat,
    serve,
    check_kb,
    recommend,
    report,
    link,
    demo_data,
    followups,
    import_datainclusion,
    export_datainclusion,
    forget,
    health,
)
