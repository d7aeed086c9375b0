"""JSON text as the bot writes it to its database (states, rows, replies owed)."""

from __future__ import annotations

import json
from collections.abc import Callable

dumps: Callable[[object], str] = json.JSONEncoder(ensure_ascii=False).encode
"""``json.dumps(value, ensure_ascii=False)``, by one encoder made once: ``json.dumps`` with
any option makes a new encoder each call (a quarter of the time of a small state's text)."""
