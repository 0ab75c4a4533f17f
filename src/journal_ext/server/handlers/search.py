"""Full-text search over the documents the user may read."""

from __future__ import annotations

from journal_ext.core import search
from journal_ext.server.errors import Refusal
from journal_ext.server.handlers.base import (
    JournalHandler,
)


def _limit_argument(handler: JournalHandler) -> int:
    """The number of search results asked for (?limit=); 400 when it isn't a whole number in range."""
    value = handler.get_query_argument("limit", "")
    if value == "":
        return search.DEFAULT_LIMIT
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= search.MAX_LIMIT:
        raise Refusal(
            400,
            "'limit' must be a whole number from 1 to {most}, got {value}",
            most=search.MAX_LIMIT,
            value=repr(value),
        )
    return int(value)


class SearchHandler(JournalHandler):
    """Full-text search in the cells of the documents the user may read (?q=…&limit=…&syntax=words|fts)."""

    def get(self) -> None:
        query = self.get_query_argument("q", "")
        limit = _limit_argument(self)
        syntax = self.get_query_argument("syntax", "") or "words"
        if syntax not in search.SYNTAXES:
            raise Refusal(
                400,
                "'syntax' must be 'words' (plain words, the default) or 'fts' (SQLite FTS5 queries), got {syntax}",
                syntax=repr(syntax),
            )
        viewer = self.viewer
        answer = search.search(
            self.context.store,
            viewer,
            query,
            limit=limit,
            syntax=syntax,
            language=self.context.language,
        )
        for result in answer["results"]:
            relative = result["document"]["path"]
            result["document"]["path"] = f"{self.context.folder}/{relative}" if relative else None
        self.reply(answer)
