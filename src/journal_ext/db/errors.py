"""What the store refuses, and why: every message is meant for a person."""

from __future__ import annotations

import sqlite3


class StoreError(Exception):
    """A request the store cannot honour; the message is meant for a person."""


class NotFound(StoreError):
    """The named cohort, group, user, template or document does not exist."""


class Conflict(StoreError):
    """The request clashes with what is already stored."""


class RevisionMoved(Conflict):
    """Someone saved the document between the caller's read and its write: read again and redo."""


def is_busy(error: BaseException) -> bool:
    """True for SQLite's "database is locked" / "busy": another process held the lock past the busy timeout.

    Nothing was written (the transaction that met it rolled back): the same
    request can simply be sent again.
    """
    if not isinstance(error, sqlite3.OperationalError):
        return False
    message = str(error).lower()
    return "database is locked" in message or "database is busy" in message or "database table is locked" in message


class SearchSyntaxError(StoreError):
    """SQLite's full-text engine could not parse a search expression."""


BUSY_MESSAGES = {
    "fr": (
        "Le journal est occupé par d'autres enregistrements : réessayez dans un instant."
        " Rien n'a été enregistré, rien n'est perdu : vos modifications restent dans la page."
    ),
    "en": (
        "The journal is busy with other saves: try again in a moment."
        " Nothing was saved and nothing is lost: your changes are still on the page."
    ),
}
BUSY_MESSAGES_CLI = {
    "fr": "Le journal est occupé par d'autres enregistrements : relancez la commande dans un instant (rien n'a été écrit).",
    "en": "The journal is busy with other saves: run the command again in a moment (nothing was written).",
}
