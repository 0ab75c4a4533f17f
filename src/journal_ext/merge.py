"""Three-way merge of notebook cells: saves merge, they never clobber.

``base`` is the state the saving user started from, ``mine`` what they save,
``theirs`` what is stored now (someone else may have saved in between).
Cells changed on one side only take that side's change; a cell changed on
both sides keeps both texts, marked as a conflict with both authors' names.
No text that either side typed is dropped.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from .notebooks import JOURNAL_KEY
from .store import CellRow

CONFLICT_MARK = "<!-- journal:conflict -->"

_WORDS = {
    "fr": {
        "banner": "**Conflit d'enregistrement** : {them} et {me} ont modifié cette cellule en même temps. "
        "Gardez ce qui doit l'être, puis supprimez ce bandeau et la version en trop.",
        "theirs": "**Version de {them} (déjà enregistrée) :**",
        "mine": "**Version de {me} (cet enregistrement) :**",
        "deleted_banner": "**Conflit d'enregistrement** : {me} a supprimé cette cellule pendant que {them} "
        "la modifiait ; elle est gardée pour que rien ne soit perdu.",
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


def _conflict_text(cell_type: str, mine: str, theirs: str, me: str, them: str, language: str) -> str:
    words = _WORDS.get(language, _WORDS["fr"])
    if cell_type == "code":
        # Keep a code cell runnable-looking: the labels become comments.
        return "\n".join(
            [
                "# " + words["banner"].format(me=me, them=them).replace("**", ""),
                "# " + words["theirs"].format(them=them).replace("**", ""),
                theirs,
                "# " + words["mine"].format(me=me).replace("**", ""),
                mine,
            ]
        )
    return "\n\n".join(
        [
            CONFLICT_MARK,
            "> " + words["banner"].format(me=me, them=them),
            words["theirs"].format(them=them),
            theirs,
            "---",
            words["mine"].format(me=me),
            mine,
        ]
    )


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
        text = _conflict_text(cell.cell_type, cell.source, current.source, my_name, them, language)
        result.append(
            _mark(replace(cell, source=text), between=[current.author, me], kind="edited")
        )
        conflicts.append(cell.cell_id)

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
            words = _WORDS.get(language, _WORDS["fr"])
            them = display_name(current.author) if current.author else "?"
            banner = words["deleted_banner"].format(me=my_name, them=them)
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
