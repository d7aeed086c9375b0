"""The demand log, dialogue state and consent, kept in one SQLite file."""

from bot.storage.database import ForgetReport, Storage
from bot.storage.errors import StorageUnavailable
from bot.storage.port import StoragePort
from bot.storage.schema import ForeignDatabaseError, SchemaTooNewError, StorageError

__all__ = [
    "ForeignDatabaseError",
    "ForgetReport",
    "SchemaTooNewError",
    "Storage",
    "StorageError",
    "StoragePort",
    "StorageUnavailable",
]
