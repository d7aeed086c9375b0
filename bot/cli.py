"""Command line: one sub-command per module in :mod:`bot.commands`, only the one run imported.

Every word the command line prints comes from the catalogue, in one language
(:mod:`bot.commands.words`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, NoReturn

from bot import __version__
from bot.commands import COMMANDS
from bot.commands.words import language, locale_language, say, use
from bot.config import ConfigError
from bot.core.catalogue import LANGUAGES
from bot.storage import StorageError


class Formatter(argparse.HelpFormatter):
    """Help whose « usage » prefix is in the command line's language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, say("cli.usage") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """A parser whose own words (usage, headings, ``--help``, errors) follow the language.

    argparse's detailed error messages (« invalid choice: … ») stay as Python words them.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs, formatter_class=Formatter, add_help=False)
        self._positionals.title = say("cli.positionals")
        self._optionals.title = say("cli.options")
        self.add_argument("-h", "--help", action="help", help=say("cli.help"))

    def error(self, message: str) -> NoReturn:
        """Usage, then one line, exit 2."""
        self.print_usage(sys.stderr)
        self.exit(2, say("cli.error", prog=self.prog, message=message) + "\n")


def build_parser(chosen: str | None = None) -> argparse.ArgumentParser:
    """The parser in the current language: every sub-command with its help line, the
    ``chosen`` one with its arguments too (its module imported)."""
    parser = Parser(prog="aiguillage", description=say("cli.description"))
    parser.add_argument(
        "--version", action="version", version=f"aiguillage {__version__}", help=say("cli.version")
    )
    parser.add_argument("--lang", choices=LANGUAGES, default=language(), help=say("cli.lang"))
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", title=say("cli.commands"))
    for command in COMMANDS:
        sub = subparsers.add_parser(
            command.name, help=say(command.help_key), description=say(command.description_key)
        )
        if command.name == chosen:
            command.load().arguments(sub)
    return parser


def chosen_command(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` names: its first word that is not an option (``--lang`` is
    taken out before, and no other option of the main parser takes a value)."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def split_language(argv: Sequence[str]) -> tuple[str | None, list[str]]:
    """The language ``--lang`` asks for anywhere in ``argv`` (None if absent), and the other
    arguments; :class:`argparse.ArgumentError` for a language the catalogue lacks."""
    found = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    found.add_argument("--lang", choices=LANGUAGES)
    known, rest = found.parse_known_args(argv)
    return known.lang, rest


PRIVATE_FILES = 0o077
"""umask: the database, its -wal and -shm, the key, reports and posters are the owner's only."""


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; configuration errors exit 2."""
    os.umask(PRIVATE_FILES)
    use(locale_language(os.environ))
    try:
        lang, rest = split_language(sys.argv[1:] if argv is None else argv)
    except argparse.ArgumentError as error:
        build_parser().error(str(error))
    use(lang or language())
    parser = build_parser(chosen_command(rest))
    args = parser.parse_args(rest)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except (ConfigError, StorageError) as error:
        print(f"aiguillage: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a command that stopped reading (head, less)
        sys.stderr.close()
        return 0
