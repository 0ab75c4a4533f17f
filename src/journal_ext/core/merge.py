"""Three-way merge of notebook cells: saves merge, they never clobber.

``base`` is the state the saving user started from, ``mine`` what they save,
``theirs`` what is stored now (someone else may have saved in between).
Cells changed on one side only take that side's change. In a cell changed
on both sides, passages changed by one side merge line by line, and a
passage both changed keeps both texts, marked as a conflict with both
authors' names.
No text that either side typed is dropped.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from journal_ext.core.notebooks import JOURNAL_KEY
from journal_ext.db import CellRow
from journal_ext.i18n import elide_french

CONFLICT_MARK = "<!-- journal:conflict -->"
CONFLICT_END = "<!-- /journal:conflict -->"

_WORDS = {
    "fr": {
        "banner": "**Conflit d'enregistrement**\u00a0: {them} et {me} ont modifié cette cellule en même temps. "
        "Gardez ce qui doit l'être, puis supprimez ce bandeau et la version en trop.",
        "theirs": "**Version de {them} (déjà enregistrée)\u00a0:**",
        "mine": "**Version de {me} (cet enregistrement)\u00a0:**",
        "deleted_banner": "**Conflit d'enregistrement**\u00a0: {me} a supprimé cette cellule pendant que {them} "
        "la modifiait\u202f; elle est gardée pour que rien ne soit perdu.",
    },
    "en": {
        "banner": "**Save conflict**: {them} and {me} changed this cell at the same time. "
        "Keep what should stay, then delete this banner and the version you don't need.",
        "theirs": "**{them}'s version (already saved):**",
        "mine": "**{me}'s version (this save):**",
        "deleted_banner": "**Save conflict**: {me} deleted this cell while {them} was changing it; "
        "it is kept so that nothing is lost.",
    },
}


def _words(language: str) -> dict[str, str]:
    return _WORDS.get(language, _WORDS["fr"])


def _fill(text: str, language: str, **names: str) -> str:
    """A banner with the names in; French elides "de" before a name that starts with a vowel (Version d'Inès)."""
    filled = text.format(**names)
    return elide_french(filled) if language == "fr" else filled


@dataclass(frozen=True)
class MergeResult:
    """The merged cells and what the merge did to them."""

    cells: list[CellRow]
    merged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when the saved cells were stored exactly as sent."""
        return not self.merged and not self.conflicts


def _text_equal(a: CellRow, b: CellRow) -> bool:
    return a.cell_type == b.cell_type and a.source == b.source


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def _matches(base: list[str], other: list[str]) -> dict[int, int]:
    """Base line index -> index of the same line in the other text, for lines left in place."""
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    pairs: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            pairs[block.a + k] = block.b + k
    return pairs


def _conflict_block(cell_type: str, mine: list[str], theirs: list[str], me: str, them: str, language: str) -> list[str]:
    words = _words(language)
    banner = _fill(words["banner"], language, me=me, them=them)
    if cell_type == "code":
        # Labels become comments so the cell still reads as code.
        return [
            f"# {banner.replace('**', '')}\n",
            f"# {_fill(words['theirs'], language, them=them).replace('**', '')}\n",
            *theirs,
            f"# {_fill(words['mine'], language, me=me).replace('**', '')}\n",
            *mine,
            f"# {CONFLICT_END.strip('<!->').strip()}\n",
        ]
    return [
        f"{CONFLICT_MARK}\n",
        "\n",
        f"> {banner}\n",
        "\n",
        f"{_fill(words['theirs'], language, them=them)}\n",
        "\n",
        *theirs,
        "\n",
        f"{_fill(words['mine'], language, me=me)}\n",
        "\n",
        *mine,
        "\n",
        f"{CONFLICT_END}\n",
    ]


def merge_text(
    base: str, mine: str, theirs: str, *, cell_type: str, me: str, them: str, language: str = "fr"
) -> tuple[str, bool]:
    """Line-level three-way merge of one cell's text; overlapping changes keep both, marked.

    Returns the merged text and whether it holds a conflict. Lines both sides
    left alone anchor the merge; between anchors, a passage changed on one
    side only takes that change, and a passage changed differently on both
    sides keeps both versions inside a conflict block naming both authors.
    """
    b, m, t = _lines(base), _lines(mine), _lines(theirs)
    in_mine, in_theirs = _matches(b, m), _matches(b, t)
    anchors = [i for i in range(len(b)) if i in in_mine and i in in_theirs]
    out: list[str] = []
    conflicted = False
    bi = mi = ti = 0
    for anchor in [*anchors, None]:
        b_end = len(b) if anchor is None else anchor
        m_end = len(m) if anchor is None else in_mine[anchor]
        t_end = len(t) if anchor is None else in_theirs[anchor]
        base_chunk, mine_chunk, theirs_chunk = b[bi:b_end], m[mi:m_end], t[ti:t_end]
        if mine_chunk == base_chunk:
            out += theirs_chunk
        elif theirs_chunk == base_chunk or mine_chunk == theirs_chunk:
            out += mine_chunk
        else:
            out += _conflict_block(cell_type, mine_chunk, theirs_chunk, me, them, language)
            conflicted = True
        if anchor is not None:
            out.append(b[anchor])
            bi, mi, ti = anchor + 1, in_mine[anchor] + 1, in_theirs[anchor] + 1
    text = "".join(out)
    if not (mine.endswith("\n") or theirs.endswith("\n")) and text.endswith("\n"):
        text = text[:-1]
    return text, conflicted


def _mark(cell: CellRow, **facts: object) -> CellRow:
    metadata = copy.deepcopy(cell.metadata)
    journal = dict(metadata.get(JOURNAL_KEY, {}))
    journal["conflict"] = facts
    metadata[JOURNAL_KEY] = journal
    return replace(cell, metadata=metadata)


def merge_cells(
    base: Sequence[CellRow],
    mine: Sequence[CellRow],
    theirs: Sequence[CellRow],
    *,
    me: str,
    display_name: Callable[[str], str] = lambda user: user,
    language: str = "fr",
) -> MergeResult:
    """Merge a save (``mine``) made from ``base`` into the stored cells (``theirs``)."""
    base_by_id = {c.cell_id: c for c in base}
    theirs_by_id = {c.cell_id: c for c in theirs}
    mine_ids = {c.cell_id for c in mine}
    my_name = display_name(me)
    merged: list[str] = []
    conflicts: list[str] = []
    result: list[CellRow] = []

    for cell in mine:
        old = base_by_id.get(cell.cell_id)
        current = theirs_by_id.get(cell.cell_id)
        if current is None:
            if old is not None and _text_equal(cell, old):
                # I left it alone and they deleted it: it stays deleted.
                merged.append(cell.cell_id)
                continue
            # Added by me, or I edited a cell they deleted: keep my text.
            result.append(cell)
            continue
        if old is None or _text_equal(current, old) or _text_equal(cell, current):
            # Only my side changed (or both made the same change).
            result.append(cell)
            continue
        if _text_equal(cell, old):
            # Only their side changed: take theirs.
            result.append(replace(current, position=cell.position))
            merged.append(cell.cell_id)
            continue
        them = display_name(current.author) if current.author else "?"
        text, conflicted = merge_text(
            old.source,
            cell.source,
            current.source,
            cell_type=cell.cell_type,
            me=my_name,
            them=them,
            language=language,
        )
        if conflicted:
            result.append(_mark(replace(cell, source=text), between=[current.author, me], kind="edited"))
            conflicts.append(cell.cell_id)
        else:
            result.append(replace(cell, source=text))
            merged.append(cell.cell_id)

    # Cells present in the stored version but not in mine.
    for index, current in enumerate(theirs):
        if current.cell_id in mine_ids:
            continue
        old = base_by_id.get(current.cell_id)
        if old is not None and _text_equal(current, old):
            # I deleted it and they didn't touch it: my deletion stands.
            continue
        if old is not None:
            # I deleted it while they changed it: keep their text, say so.
            words = _words(language)
            them = display_name(current.author) if current.author else "?"
            banner = _fill(words["deleted_banner"], language, me=my_name, them=them)
            kept = current
            if current.cell_type != "code":
                kept = replace(current, source=f"{CONFLICT_MARK}\n\n> {banner}\n\n{current.source}")
            kept = _mark(kept, between=[current.author, me], kind="deleted")
            conflicts.append(current.cell_id)
        else:
            # Added by them: keep it.
            kept = current
            merged.append(current.cell_id)
        result.insert(_insertion_point(result, theirs, index), kept)

    ordered = [replace(c, position=i) for i, c in enumerate(result)]
    return MergeResult(ordered, merged, conflicts)


def _insertion_point(result: list[CellRow], theirs: Sequence[CellRow], index: int) -> int:
    """Where to put a cell of theirs: just after the nearest preceding cell already placed."""
    placed = {c.cell_id: i for i, c in enumerate(result)}
    for previous in reversed(theirs[:index]):
        if previous.cell_id in placed:
            return placed[previous.cell_id] + 1
    return 0
