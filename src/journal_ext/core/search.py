"""Full-text search in the cells of the documents a person may read.

The documents searched are exactly those :func:`documents.visible_documents`
gives the viewer (the one permission path); the store restricts the match to
their ids in SQL, so a hidden document never yields a hit, a snippet or a title.

Two syntaxes:

- ``words`` (the default): what a person types. Every word becomes a quoted
  FTS5 string, so apostrophes, hyphens, quotes, parentheses, ``*``, ``AND``,
  ``NEAR`` or ``col:x`` are just text and never a syntax error. All words must
  appear; text between double quotes is a phrase; a word ending in ``*``, and
  the last word while it is being typed (no space after it, 3 letters or
  more), also find longer words ("réal" finds "réalité").
- ``fts``: SQLite FTS5's own query language (AND, OR, NOT, NEAR, phrases,
  prefixes), for people who know it; a mistake is explained, never a crash.

Matching ignores case and accents ("realite" finds "réalité"), and "coeur"
finds "cœur". Template prompts (consignes), identical in every document made
from a template, are not searched.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from journal_ext.core.documents import catalogue, document_summary
from journal_ext.core.permissions import Viewer
from journal_ext.db import JournalStore, SearchSyntaxError, StoreError
from journal_ext.db.rows import SNIPPET_END, SNIPPET_START

SYNTAXES = ("words", "fts")
MAX_QUERY_LENGTH = 500
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
# Cells whose journal.role is one of these hold template text, not anyone's writing.
SKIPPED_ROLES = ("prompt",)
# A word still being typed becomes a prefix search from this many letters on:
# shorter prefixes match too many words to be useful (or fast).
MIN_PREFIX_LETTERS = 3

# A phrase between double quotes, or a run of anything but spaces.
_CHUNK = re.compile(r'"([^"]*)"|(\S+)')
_SNIPPET_MATCH = re.compile(re.escape(SNIPPET_START) + "(.*?)" + re.escape(SNIPPET_END), re.S)
# Ligatures the tokenizer keeps as letters of their own: people type either form.
_LIGATURES = (("œ", "oe"), ("æ", "ae"))


def search(
    store: JournalStore,
    viewer: Viewer,
    query: str,
    *,
    limit: int = DEFAULT_LIMIT,
    syntax: str = "words",
    language: str = "fr",
) -> dict[str, Any]:
    """Search the cells of the documents the viewer may read; best matches first."""
    if syntax not in SYNTAXES:
        raise StoreError(
            "the search syntax must be one of {syntaxes}; got {syntax}",
            syntaxes=", ".join(SYNTAXES),
            syntax=repr(syntax),
        )
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise StoreError(
            "the number of results must be a whole number from 1 to {most}; got {limit}",
            most=MAX_LIMIT,
            limit=repr(limit),
        )
    text = _clean(query)
    if not text.strip():
        raise StoreError("type a word to search for")
    if len(text) > MAX_QUERY_LENGTH:
        raise StoreError(
            "the search is too long ({length} characters, at most {most}): search for a few words that stand out",
            length=len(text),
            most=MAX_QUERY_LENGTH,
        )
    match = words_query(text) if syntax == "words" else text
    kept = catalogue(store, viewer, language)
    try:
        # One row more than asked tells whether there are more.
        rows = store.search_cells(match, kept.readable_ids, limit + 1, skip_roles=SKIPPED_ROLES)
    except SearchSyntaxError as error:
        raise StoreError(
            "this search is not valid FTS5 syntax ({error}). Put phrases between double quotes, close"
            " every parenthesis, write AND, OR, NOT and NEAR(…) in capitals between words, end a"
            " prefix with * (réal*), name no column but source: — or search with plain words"
            " (syntax=words), which accepts any text",
            error=error,
        ) from error
    more = len(rows) > limit
    rows = rows[:limit]
    paths = kept.path_of if rows else {}
    names: dict[str, str] = {}
    current: dict[int, dict[str, Any]] = {}
    results = []
    for row in rows:
        # The kept listing may predate the latest saves: results show the document as it is now.
        if row["document_id"] not in current:
            current[row["document_id"]] = store.document(row["document_id"])
        document = current[row["document_id"]]
        owner = document["owner"]
        if owner not in names:
            names[owner] = store.display_name(owner)
        parts = snippet_parts(row["snippet"])
        results.append(
            {
                "document": document_summary(document, paths.get(document["id"]), language, names[owner]),
                "cell_id": row["cell_id"],
                "section_key": row["section_key"],
                "snippet": "".join(part["text"] for part in parts),
                "snippet_parts": parts,
            }
        )
    # Best matches first, or, for a word found almost everywhere, the most recently written (see search_cells).
    order = "recent" if rows and rows[0]["rank"] is None else "relevance"
    return {
        "query": query,
        "syntax": syntax,
        "results": results,
        "total": len(results),
        "more": more,
        "order": order,
    }


def words_query(text: str) -> str:
    """The FTS5 query finding every word a person typed (see the module docstring); StoreError when there is none."""
    chunks = list(_CHUNK.finditer(text))
    still_typing = bool(text) and not text[-1].isspace()
    terms = []
    for n, chunk in enumerate(chunks):
        phrase, word = chunk.group(1), chunk.group(2)
        words = phrase if phrase is not None else word
        if not any(ch.isalnum() for ch in words):
            # Punctuation alone ("--", "*", "(") holds nothing the index knows.
            continue
        prefix = False
        if word is not None:
            typing = n == len(chunks) - 1 and still_typing
            prefix = word.endswith("*") or (typing and sum(ch.isalnum() for ch in word) >= MIN_PREFIX_LETTERS)
        spellings = _spellings(words)
        # Inside double quotes FTS5 reads everything as text: only " needs escaping (doubled).
        quoted = ['"' + s.replace('"', '""') + '"' + ("*" if prefix else "") for s in spellings]
        terms.append(quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")")
    if not terms:
        raise StoreError(
            "the search has no word to look for (only punctuation or symbols): type at least one letter or digit"
        )
    return " ".join(terms)


def snippet_parts(snippet: str) -> list[dict[str, Any]]:
    """A store snippet as plain text pieces, each saying whether it is a matched word."""
    parts: list[dict[str, Any]] = []
    position = 0

    def add(text: str, match: bool) -> None:
        text = text.replace(SNIPPET_START, "").replace(SNIPPET_END, "")
        if not text:
            return
        if parts and parts[-1]["match"] == match:
            parts[-1]["text"] += text
        else:
            parts.append({"text": text, "match": match})

    for found in _SNIPPET_MATCH.finditer(snippet):
        add(snippet[position : found.start()], False)
        add(found.group(1), True)
        position = found.end()
    add(snippet[position:], False)
    return parts


def _clean(query: Any) -> str:
    if not isinstance(query, str):
        raise StoreError("the search must be text")
    # Control characters (a pasted NUL, a tab) separate words; FTS5 would choke on some.
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in query)


def _spellings(words: str) -> list[str]:
    """The words as typed, plus the forms with and without ligatures (cœur / coeur)."""
    spellings = [words]
    for ligature, letters in _LIGATURES:
        for form in list(spellings):
            lower = form.lower()
            for variant in (lower.replace(ligature, letters), lower.replace(letters, ligature)):
                if variant != lower and variant not in spellings:
                    spellings.append(variant)
    return spellings
