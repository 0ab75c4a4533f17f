"""Full-text search over cells."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from journal_ext.db.documents import DocumentQueries
from journal_ext.db.errors import (
    SearchSyntaxError,
)
from journal_ext.db.rows import (
    SEARCH_RANK_ALL,
    SNIPPET_ELLIPSIS,
    SNIPPET_END,
    SNIPPET_START,
    SNIPPET_TOKENS,
)

# The OperationalError messages FTS5 gives for a query it cannot parse (as
# opposed to a locked or broken database, which must not pass for bad input).
_FTS_QUERY_ERRORS = ("fts5:", "no such column", "unknown special query", "unterminated string")


class SearchQueries(DocumentQueries):
    """Full-text search over cells."""

    # -- search --------------------------------------------------------------

    def search_cells(
        self,
        match: str,
        document_ids: Sequence[int],
        limit: int,
        *,
        skip_roles: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """Cells of the given documents whose text matches an FTS5 query, best first.

        Each row has document_id, cell_id, section_key, a snippet with the
        matched words between SNIPPET_START and SNIPPET_END, and the rank
        (lower is better). Documents in the trash are left out, and so are
        cells whose ``journal.role`` metadata is one of ``skip_roles``.
        Raises SearchSyntaxError when FTS5 cannot parse ``match``.

        Ranking scores every match, which for a word in most cells of a large
        journal costs hundreds of milliseconds, and says little when the word
        is everywhere. So when the whole index holds more than SEARCH_RANK_ALL
        matches, the most recently written matching cells that pass the
        filters (the given documents, not in the trash, not a skipped role)
        come first, unranked (``rank`` is None), and only the rows returned
        get a snippet.
        """
        if not document_ids or limit < 1:
            # Nothing to search, but a malformed query must still be reported;
            # the rowid bound (cells have none below 1) makes FTS5 parse it and stop.
            self._fts_query("SELECT 1 FROM [cells_fts] WHERE [cells_fts] MATCH ? AND rowid < 1", [match])
            return []
        # The ids travel as one JSON parameter: no limit on how many, nothing spliced into the SQL.
        # The snippet is read through the same rowid as cells.document_id, so
        # text from a document outside the given ids can never come back.
        matches = """
            FROM [cells_fts]
            JOIN cells ON cells.id = [cells_fts].rowid
            JOIN documents ON documents.id = cells.document_id
            WHERE [cells_fts] MATCH :match
              AND cells.document_id IN (SELECT value FROM json_each(:document_ids))
              AND documents.deleted_at IS NULL
              AND COALESCE(json_extract(cells.metadata, '$.journal.role'), '')
                  NOT IN (SELECT value FROM json_each(:skip_roles))
        """
        # Counting (without ranking) up to the bound is cheap: it only walks the index.
        found = self._fts_query(
            "SELECT COUNT(*) AS n FROM (SELECT rowid FROM [cells_fts] WHERE [cells_fts] MATCH ? LIMIT ?)",
            [match, SEARCH_RANK_ALL + 1],
        )[0]["n"]
        if found <= SEARCH_RANK_ALL:
            sql = f"""
                SELECT cells.document_id, cells.cell_id, cells.section_key,
                       snippet([cells_fts], 0, :start, :end, :ellipsis, :tokens) AS snippet,
                       [cells_fts].rank AS rank
                {matches}
                ORDER BY [cells_fts].rank, cells.document_id, cells.position
                LIMIT :limit
            """
        else:
            # A common word: newest cells first (FTS5 walks rowids backwards
            # without scoring, and an edited cell gets a new rowid). Scoring the
            # 200 newest with bm25 cost as much as the rest of the search at a
            # million cells (20 ms), for an order no one could explain.
            sql = f"""
                SELECT cells.document_id, cells.cell_id, cells.section_key,
                       snippet([cells_fts], 0, :start, :end, :ellipsis, :tokens) AS snippet,
                       NULL AS rank
                {matches}
                ORDER BY [cells_fts].rowid DESC
                LIMIT :limit
            """
        params = {
            "start": SNIPPET_START,
            "end": SNIPPET_END,
            "ellipsis": SNIPPET_ELLIPSIS,
            "tokens": SNIPPET_TOKENS,
            "match": match,
            "document_ids": json.dumps([int(i) for i in document_ids]),
            "skip_roles": json.dumps(list(skip_roles)),
            "limit": int(limit),
        }
        return self._fts_query(sql, params)

    def _fts_query(self, sql: str, params: Sequence[Any] | dict[str, Any]) -> list[dict[str, Any]]:
        try:
            return list(self.db.query(sql, params))
        except sqlite3.OperationalError as error:
            if str(error).startswith(_FTS_QUERY_ERRORS):
                raise SearchSyntaxError("{problem}", problem=str(error)) from error
            raise
