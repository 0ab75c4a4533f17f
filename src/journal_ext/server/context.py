"""What the journal's handlers and drive need from the server, and nothing more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from journal_ext.core.permissions import Viewer, viewer_for
from journal_ext.db import JournalStore


@dataclass(frozen=True)
class JournalContext:
    """The journal as one server reaches it: its store, who is asking, where documents appear.

    Handlers receive it through their ``initialize`` kwargs (see ``routes``),
    so they never import the app; tests and other servers build their own.
    """

    open_store: Callable[[], JournalStore]
    current_user: Callable[[], str]
    db_path: str
    folder: str = "Journal"
    language: str = "fr"

    @property
    def store(self) -> JournalStore:
        """The journal database (opened and migrated on first use)."""
        return self.open_store()

    def viewer(self) -> Viewer:
        """The person asking, with their memberships, read fresh from the store."""
        return viewer_for(self.store, self.current_user())
