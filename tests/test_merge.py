"""Three-way cell merge: one-sided changes merge, two-sided changes keep both texts, nothing typed is lost."""

from __future__ import annotations

import random

from journal_ext.core.merge import CONFLICT_MARK, merge_cells
from journal_ext.db import CellRow

NAMES = {"camille": "Camille Martin", "yanis": "Yanis Haddad"}


def cell(cell_id: str, source: str, author: str = "camille", cell_type: str = "markdown") -> CellRow:
    return CellRow(cell_id=cell_id, position=0, cell_type=cell_type, source=source, author=author)


def merge(base, mine, theirs, me="camille"):
    return merge_cells(base, mine, theirs, me=me, display_name=lambda u: NAMES.get(u, u))


def sources(result):
    return [c.source for c in result.cells]


def test_changes_to_different_cells_merge_without_conflict():
    base = [cell("a", "Territoire"), cell("b", "Faisabilité")]
    mine = [cell("a", "Territoire : 3 000 habitant·es"), cell("b", "Faisabilité")]
    theirs = [cell("a", "Territoire"), cell("b", "Faisabilité : local prêté", author="yanis")]
    result = merge(base, mine, theirs)
    assert sources(result) == ["Territoire : 3 000 habitant·es", "Faisabilité : local prêté"]
    assert result.conflicts == [] and result.merged == ["b"]
    assert result.cells[1].author == "yanis"


def test_same_cell_changed_on_both_sides_keeps_both_texts_and_names():
    base = [cell("a", "Dimension partagée")]
    mine = [cell("a", "Dimension partagée : les usagers au CA")]
    theirs = [cell("a", "Dimension partagée : un comité d'habitants", author="yanis")]
    result = merge(base, mine, theirs)
    text = result.cells[0].source
    assert result.conflicts == ["a"]
    assert CONFLICT_MARK in text
    assert "Dimension partagée : les usagers au CA" in text
    assert "Dimension partagée : un comité d'habitants" in text
    assert "Camille Martin" in text and "Yanis Haddad" in text
    assert result.cells[0].metadata["journal"]["conflict"]["between"] == ["yanis", "camille"]


def test_identical_change_on_both_sides_is_not_a_conflict():
    base = [cell("a", "x")]
    result = merge(base, [cell("a", "y")], [cell("a", "y", author="yanis")])
    assert result.clean and sources(result) == ["y"]


def test_cell_added_by_the_other_side_is_inserted_after_its_neighbour():
    base = [cell("a", "1"), cell("c", "3")]
    mine = [cell("a", "1"), cell("c", "3"), cell("d", "mine")]
    theirs = [cell("a", "1"), cell("b", "theirs", author="yanis"), cell("c", "3")]
    result = merge(base, mine, theirs)
    assert [c.cell_id for c in result.cells] == ["a", "b", "c", "d"]
    assert [c.position for c in result.cells] == [0, 1, 2, 3]


def test_deleting_a_cell_the_other_side_edited_keeps_their_text():
    base = [cell("a", "1"), cell("b", "2")]
    mine = [cell("a", "1")]
    theirs = [cell("a", "1"), cell("b", "2 enrichi", author="yanis")]
    result = merge(base, mine, theirs)
    assert "2 enrichi" in result.cells[1].source
    assert result.conflicts == ["b"]


def test_deletion_stands_when_the_other_side_did_not_touch_the_cell():
    base = [cell("a", "1"), cell("b", "2")]
    assert sources(merge(base, [cell("a", "1")], base)) == ["1"]
    assert sources(merge(base, base, [cell("a", "1")])) == ["1"]


def test_editing_a_cell_the_other_side_deleted_keeps_my_text():
    base = [cell("a", "1"), cell("b", "2")]
    result = merge(base, [cell("a", "1"), cell("b", "2 modifié")], [cell("a", "1")])
    assert sources(result) == ["1", "2 modifié"]


def _random_edits(
    rng: random.Random, base: list[CellRow], side: str, author: str, round_number: int, typed: set[str]
) -> list[CellRow]:
    """``base`` after one to six random edits, additions and deletions by one side; each line it types goes in ``typed``."""
    cells = list(base)
    for _ in range(rng.randint(1, 6)):
        action = rng.choice(["edit", "add", "delete"]) if cells else "add"
        line = f"{side}-{round_number}-{rng.random():.12f}"
        if action == "edit":
            i = rng.randrange(len(cells))
            cells[i] = cell(cells[i].cell_id, cells[i].source + "\n" + line, author)
            typed.add(line)
        elif action == "add":
            cells.insert(rng.randint(0, len(cells)), cell(f"{side}{rng.random()}", line, author))
            typed.add(line)
        else:
            cells.pop(rng.randrange(len(cells)))
    return cells


def test_no_line_typed_by_either_side_is_ever_lost():
    rng = random.Random(20261123)
    for round_number in range(300):
        base = [cell(f"c{i}", f"base {i}") for i in range(rng.randint(0, 8))]
        typed: set[str] = set()
        theirs = _random_edits(rng, base, "theirs", "yanis", round_number, typed)
        mine = _random_edits(rng, base, "mine", "camille", round_number, typed)
        text = "\n".join(sources(merge(base, mine, theirs)))
        lost = {line for line in typed if line not in text}
        # A line can only vanish if its own author later deleted that cell.
        for line in lost:
            side_cells = mine if line.startswith("mine") else theirs
            assert all(line not in c.source for c in side_cells), (round_number, line)


def test_edits_to_different_passages_of_one_cell_merge_line_by_line():
    base = [cell("a", "Territoire\n\nFaisabilité\n\nDimension partagée")]
    mine = [cell("a", "Territoire : 3 000 habitant·es\n\nFaisabilité\n\nDimension partagée")]
    theirs = [cell("a", "Territoire\n\nFaisabilité\n\nDimension partagée : comité d'usagers", author="yanis")]
    result = merge(base, mine, theirs)
    assert result.conflicts == [] and result.merged == ["a"]
    assert result.cells[0].source == (
        "Territoire : 3 000 habitant·es\n\nFaisabilité\n\nDimension partagée : comité d'usagers"
    )


def test_a_conflict_block_wraps_only_the_passage_both_changed():
    base = [cell("a", "Intro\nMilieu\nFin")]
    mine = [cell("a", "Intro\nMilieu selon Camille\nFin")]
    theirs = [cell("a", "Intro\nMilieu selon Yanis\nFin", author="yanis")]
    text = merge(base, mine, theirs).cells[0].source
    assert text.startswith("Intro\n" + CONFLICT_MARK)
    assert text.endswith("<!-- /journal:conflict -->\nFin")
    assert text.count("Intro") == 1 and text.count("Fin") == 1


def test_repeated_conflicts_grow_with_what_was_typed_not_exponentially():
    stored = cell("a", "Commande", author="yanis")
    camille_sees = stored
    for n in range(30):
        # Yanis saves a line first, then Camille saves hers from an older base.
        yanis_version = cell("a", stored.source + f"\nyanis {n}", author="yanis")
        stored = merge([stored], [yanis_version], [stored], me="yanis").cells[0]
        mine = cell("a", camille_sees.source + f"\ncamille {n}")
        stored = merge([camille_sees], [mine], [stored]).cells[0]
        camille_sees = stored  # she reloads after the conflict
    for n in range(30):
        assert f"yanis {n}" in stored.source and f"camille {n}" in stored.source
    assert len(stored.source) < 30 * 600


def test_a_french_conflict_elides_before_a_name_that_starts_with_a_vowel():
    from journal_ext.core.merge import merge_text

    text, conflicted = merge_text(
        "a\n", "a mine\n", "a theirs\n", cell_type="markdown", me="Camille", them="Inès", language="fr"
    )
    assert conflicted
    assert "**Version d'Inès (déjà enregistrée)\u00a0:**" in text
    assert "**Version de Camille (cet enregistrement)\u00a0:**" in text
