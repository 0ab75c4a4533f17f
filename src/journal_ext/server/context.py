"""What the journal's handlers and drive need from the server, and nothing more."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from journal_ext.core.permissions import Viewer, viewer_for
from journal_ext.db import JournalStore


@dataclass(frozen=True)
class JournalContext:
    """The journal as one server reaches it: its store, who is asking, where documents appear.

    Handlers receive it through their ``initialize`` kwargs (see ``routes``),
    so they never import the app; tests and other servers build their own.
    """

    open_store: Callable[[], JournalStore]
    # Who a request acts as: the configured user of a single-user server, or,
    # in the journal service, the owner of the hub token the request carries.
    user_of: Callable[[Any], str]
    db_path: str
    folder: str = "Journal"
    language: str = "fr"
    # Whether a request comes from a platform administrator (a hub admin, in the journal service).
    admin_of: Callable[[Any], bool] = lambda _request: False

    @property
    def store(self) -> JournalStore:
        """The journal database (opened and migrated on first use)."""
        return self.open_store()

    def viewer(self, request: Any = None) -> Viewer:
        """The person asking (``request`` is the handler answering them), with their memberships, read fresh."""
        return viewer_for(self.store, self.user_of(request), admin=self.admin_of(request))
