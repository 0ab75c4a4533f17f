"""What the store refuses, and why: every message is meant for a person."""

from __future__ import annotations

import sqlite3

from journal_ext.i18n import ExplainedError, message


class StoreError(ExplainedError):
    """A request the store cannot honour; the message (see ``journal_ext.i18n``) is meant for a person."""

    code = "invalid_request"


class NotFound(StoreError):
    """The named cohort, group, user, template or document does not exist."""

    code = "not_found"


class Conflict(StoreError):
    """The request clashes with what is already stored."""

    code = "conflict"


class RevisionMoved(Conflict):
    """Someone saved the document between the caller's read and its write: read again and redo."""

    code = "revision_moved"


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

    code = "search_syntax"


BUSY = message(
    "The journal is busy with other saves: try again in a moment."
    " Nothing was saved and nothing is lost: your changes are still on the page."
)
BUSY_CLI = message("The journal is busy with other saves: run the command again in a moment (nothing was written).")
BUSY_MESSAGES = {language: BUSY.render(language) for language in ("fr", "en")}
