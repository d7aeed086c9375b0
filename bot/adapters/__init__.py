"""Adapters around the core: Telegram (PTB) and the terminal chat."""
