"""The Telegram adapter (python-telegram-bot): updates in, replies out; no dialogue logic."""

from bot.adapters.telegram.application import build_application, run, running

__all__ = ["build_application", "run", "running"]
