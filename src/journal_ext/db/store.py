"""The journal database: one SQLite file, reached only through :class:`JournalStore`.

One file holds cohorts, groups, memberships, competence frameworks,
versioned templates, documents, their cells, the append-only history of
cell revisions, the annotations anchored to passages of cells and the
competence evidence log. Every write runs in a short ``BEGIN IMMEDIATE``
transaction so that concurrent writers wait for the lock instead of failing
(see ``connection``). The SQL is grouped by what it is about, one module
each (``people``, ``templates``, ``documents``, ``search``, ``annotations``,
``evidence``); the schema and its migrations are in ``migrations``.
"""

from __future__ import annotations

from journal_ext.db.annotations import AnnotationQueries
from journal_ext.db.evidence import EvidenceQueries
from journal_ext.db.search import SearchQueries


class JournalStore(SearchQueries, AnnotationQueries, EvidenceQueries):
    """The journal database, opened on one SQLite file."""
