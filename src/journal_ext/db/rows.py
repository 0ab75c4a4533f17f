"""What the store hands to and takes from callers: rows, names of states, times, small checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from journal_ext.db.errors import StoreError
from journal_ext.i18n import Message

ROLES = ("learner", "tutor", "coordinator")
VISIBILITIES = ("private", "tutors", "group", "cohort")
CELL_CHANGES = ("added", "edited", "moved", "deleted")
T = TypeVar("T")
# How many times a save reads (and merges) outside the write lock before doing it under the lock.
SAVE_READ_TRIES = 3
EVIDENCE_EVENTS = ("claim", "withdraw", "assess", "comment")
ASSESSOR_ROLES = ("self", "peer", "tutor")
ASSESSMENT_STATES = ("ready", "not_met", "partially_met", "met")
ANNOTATION_MOTIVATIONS = ("commenting", "questioning", "assessing")
ANNOTATION_AUDIENCES = ("learner", "group", "tutors")
ANNOTATION_STATUSES = ("open", "resolved")

# Around the matched words in search snippets: control characters no one types,
# so the library can split a snippet into plain text and matches unambiguously
# (French text is full of « » and may well contain <mark>).
SNIPPET_START = "\x02"
SNIPPET_END = "\x03"
SNIPPET_ELLIPSIS = "…"
SNIPPET_TOKENS = 16
# Up to this many matches in the whole index, search ranks them all; above it
# (a word in most cells), the most recently written matches it may show come first.
SEARCH_RANK_ALL = 2000


def utcnow() -> str:
    """Current UTC time as an ISO 8601 string with microseconds."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def parse_time(value: str) -> dt.datetime:
    """Parse a timestamp written by :func:`utcnow`."""
    return dt.datetime.fromisoformat(value)


@dataclass(frozen=True)
class CellRow:
    """One notebook cell as stored: nbformat id, position, text and journal facts."""

    cell_id: str
    position: int
    cell_type: str
    source: str
    section_key: str | None = None
    domains: tuple[str, ...] = ()
    author: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)
    outputs: list[Any] = field(default_factory=list)
    execution_count: int | None = None
    attachments: dict[str, Any] = field(default_factory=dict)

    def same_content(self, other: CellRow) -> bool:
        """True when text, type, metadata and outputs are equal (position ignored)."""
        return (
            self.cell_type == other.cell_type
            and self.source == other.source
            and self.metadata == other.metadata
            and self.outputs == other.outputs
            and self.execution_count == other.execution_count
            and self.attachments == other.attachments
        )


@dataclass(frozen=True)
class SaveResult:
    """What a save did: the new revision and which cells changed how."""

    document_id: int
    revision: int
    changes: dict[str, str]


def _cell_from_row(row: dict[str, Any]) -> CellRow:
    return CellRow(
        cell_id=row["cell_id"],
        position=row["position"],
        cell_type=row["cell_type"],
        source=row["source"],
        section_key=row["section_key"],
        domains=tuple(json.loads(row["domains"])),
        author=row["author"],
        metadata=json.loads(row["metadata"]),
        outputs=json.loads(row["outputs"]),
        execution_count=row["execution_count"],
        attachments=json.loads(row["attachments"]),
    )


def default_db_path() -> Path:
    """The journal database used when nothing is configured: one per Jupyter data dir."""
    env = os.environ.get("JOURNAL_EXT_DB")
    if env:
        return Path(env)
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "journal_ext" / "journal.db"


def template_digest(body: dict[str, Any]) -> str:
    """A stable fingerprint of a template body, to tell versions apart."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _decode_template(row: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    row["body"] = json.loads(row["body"])
    return row


def _storable_id(value: int) -> bool:
    # Ids come from URLs as any number of digits; SQLite integers stop at 2**63 - 1.
    return 0 <= value < 2**63


def _check_choice(value: str, choices: Sequence[str], what: Message) -> None:
    if value not in choices:
        raise StoreError(
            "{what} must be one of {choices}; got {value}", what=what, choices=", ".join(choices), value=repr(value)
        )


def _clean_name(value: str, what: Message) -> str:
    if not isinstance(value, str) or not value.strip():
        raise StoreError("the {what} cannot be empty", what=what)
    value = value.strip()
    if len(value) > 200:
        raise StoreError("the {what} is too long ({length} characters, at most 200)", what=what, length=len(value))
    if any(ord(ch) < 32 for ch in value):
        raise StoreError("the {what} cannot contain control characters", what=what)
    return value
