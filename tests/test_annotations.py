"""Annotations as a library: who annotates and reads what, threads, resolving, soft deletion, anchors, the inbox, the W3C export."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from journal_ext.core import annotations, documents
from journal_ext.core.annotations import MAX_BODY_LENGTH
from journal_ext.core.documents import (
    create_from_template,
    write_sections,
)
from journal_ext.core.permissions import (
    PermissionDenied,
    may_annotate,
    may_read_annotation,
    viewer_for,
)
from journal_ext.db import CellRow, JournalStore, NotFound, StoreError

from .conftest import COHORT, GROUP_B

SITUATION = "Première réunion avec la directrice du centre social 🌱 ; l’équipe d’animation était là aussi."
TERRITORY = "Quartier nord, 12 000 habitant·es, peu de transports le soir. Les jeunes parlent de la mobilité."


def new_document(store: JournalStore, user: str, kind: str, **kwargs: Any) -> dict[str, Any]:
    viewer = viewer_for(store, user)
    group_id = viewer.memberships[0].group_id
    template = next(v for v in store.group_templates(group_id) if v["kind"] == kind)
    return create_from_template(store, viewer, template_version_id=template["id"], group_id=group_id, **kwargs)


def answer_cell(store: JournalStore, document_id: int, section: str) -> CellRow:
    return next(
        cell
        for cell in store.cells(document_id)
        if cell.section_key == section and cell.metadata["journal"].get("role") == "answer"
    )


def target(store: JournalStore, document: dict[str, Any], section: str, words: str) -> dict[str, Any]:
    """The fields that target some words of a section's writing cell."""
    cell = answer_cell(store, document["id"], section)
    start = cell.source.index(words)
    return {"cell_id": cell.cell_id, "start": start, "end": start + len(words), "exact": words}


def annotate(
    store: JournalStore, user: str, document: dict[str, Any], section: str, words: str, body: str, **fields: Any
) -> dict[str, Any]:
    return annotations.create_annotation(
        store,
        viewer_for(store, user),
        document["id"],
        {**target(store, document, section, words), "body": body, **fields},
    )


def listed(store: JournalStore, user: str, document: dict[str, Any]) -> list[dict[str, Any]]:
    return annotations.list_annotations(store, viewer_for(store, user), document["id"])["annotations"]


def bodies(store: JournalStore, user: str, document: dict[str, Any]) -> set[str]:
    return {a["body"] for a in listed(store, user, document)}


def rows(store: JournalStore) -> tuple[int, int]:
    counts = store.counts()
    return counts["annotations"], counts["annotation_replies"]


@pytest.fixture
def world(cohort_store: JournalStore) -> JournalStore:
    """The test cohort plus Bruno, tutor of the other group only."""
    cohort_store.add_member(f"{COHORT}/{GROUP_B}", "bruno", "tutor", display_name="Bruno")
    return cohort_store


@pytest.fixture
def journal(world: JournalStore) -> dict[str, Any]:
    """Camille's learning journal, shared with the tutors (the default), with her account of a meeting."""
    document = new_document(world, "camille", "learning_journal")
    write_sections(world, viewer_for(world, "camille"), document, {"situation": SITUATION})
    return world.document(document["id"])


@pytest.fixture
def diagnostic(world: JournalStore) -> dict[str, Any]:
    """Group A's shared diagnostic (shared with the group, the default), its territory written by Yanis."""
    document = new_document(world, "camille", "shared_diagnostic")
    write_sections(world, viewer_for(world, "yanis"), document, {"territory": TERRITORY})
    return world.document(document["id"])


# -- who annotates ------------------------------------------------------------------


def test_a_tutor_comments_a_passage_and_the_learner_sees_it_anchored(world, journal):
    created = annotate(world, "nadia", journal, "situation", "la directrice", "Qui est-elle ? Son rôle ?")
    assert created["motivation"] == "commenting" and created["audience"] == "learner"
    assert created["author_name"] == "Nadia Benali" and created["status"] == "open"
    start = SITUATION.index("la directrice")
    assert created["quote"] == {
        "exact": "la directrice",
        "prefix": "Première réunion avec ",
        "suffix": SITUATION[start + 13 : start + 13 + 32],
    }
    assert created["quote"]["suffix"] == " du centre social 🌱 ; l’équipe d"
    assert created["position"] == {"start": start, "end": start + 13}
    assert created["anchor"] == {"start": start, "end": start + 13, "how": "position", "similarity": 1.0}
    assert created["orphaned"] is False and created["cell"]["section_key"] == "situation"
    [seen] = listed(world, "camille", journal)
    assert seen["body"] == "Qui est-elle ? Son rôle ?"
    assert seen["can"] == {"reply": True, "edit": False, "delete": False, "resolve": True}
    assert created["can"] == {"reply": True, "edit": True, "delete": True, "resolve": True}


def test_tutors_may_question_and_assess_too(world, journal):
    for motivation in ("questioning", "assessing"):
        made = annotate(
            world, "nadia", journal, "situation", "centre social", f"Note {motivation}", motivation=motivation
        )
        assert made["motivation"] == motivation


def test_learners_ask_questions_and_nothing_else(world, journal, diagnostic):
    mine = annotate(world, "camille", journal, "situation", "l’équipe d’animation", "Faut-il les nommer ?")
    assert mine["motivation"] == "questioning"  # a learner's default
    asked = annotate(world, "lea", diagnostic, "territory", "la mobilité", "Quels chiffres ?", audience="group")
    assert asked["motivation"] == "questioning" and asked["audience"] == "group"
    with pytest.raises(
        PermissionDenied, match="only the group's tutors may annotate with 'commenting'; you may use questioning"
    ):
        annotate(world, "camille", journal, "situation", "centre social", "Bien", motivation="commenting")
    with pytest.raises(PermissionDenied, match="only the group's tutors may address an annotation to the tutors alone"):
        annotate(world, "camille", journal, "situation", "centre social", "Pour Nadia", audience="tutors")


@pytest.mark.parametrize("user", ["helene", "bruno"])
def test_coordinators_and_other_groups_tutors_read_but_do_not_annotate(world, diagnostic, user):
    # Shared with the whole cohort, so that the other group's tutor reads it too.
    documents.set_visibility(world, viewer_for(world, "camille"), diagnostic, "cohort")
    diagnostic = world.document(diagnostic["id"])
    with pytest.raises(PermissionDenied, match="you can read this document but not annotate it"):
        annotate(world, user, diagnostic, "territory", "la mobilité", "Remarque")


def test_a_hidden_document_cannot_be_annotated_and_looks_missing(world, journal):
    for user in ("yanis", "ines", "helene", "bruno"):
        with pytest.raises(NotFound, match=f"^no document with id {journal['id']}$"):
            annotate(world, user, journal, "situation", "centre social", "Coucou")
    assert rows(world) == (0, 0)


# -- who reads which audience ---------------------------------------------------------

# Nadia annotates group A's diagnostic (shared with the group) once per audience.
AUDIENCE_READERS = {
    "learner": {"nadia", "camille", "yanis", "lea"},
    "group": {"nadia", "camille", "yanis", "lea", "helene"},
    "tutors": {"nadia"},
}
EVERYONE = ("camille", "yanis", "lea", "ines", "nadia", "bruno", "helene", "otto")


@pytest.mark.parametrize("audience", list(AUDIENCE_READERS))
def test_each_audience_reaches_exactly_its_readers(world, diagnostic, audience):
    world.ensure_user("otto")  # no membership at all
    made = annotate(world, "nadia", diagnostic, "territory", "la mobilité", f"Pour {audience}", audience=audience)
    annotation = world.annotation(made["id"])
    for user in EVERYONE:
        sees = user in AUDIENCE_READERS[audience]
        assert may_read_annotation(viewer_for(world, user), diagnostic, annotation) is sees, user
        if documents.may_read(viewer_for(world, user), diagnostic):
            assert (f"Pour {audience}" in bodies(world, user, diagnostic)) is sees, user
        if not sees:
            with pytest.raises(NotFound, match=f"^no annotation with id {made['id']}$"):
                annotations.get_annotation(world, viewer_for(world, user), made["id"])


def test_on_a_learners_journal_the_learner_audience_is_the_owner_and_the_tutors(world, journal):
    documents.set_visibility(world, viewer_for(world, "camille"), journal, "group")
    journal = world.document(journal["id"])
    annotate(world, "nadia", journal, "situation", "la directrice", "Pour Camille")
    annotate(world, "nadia", journal, "situation", "centre social", "Pour le groupe", audience="group")
    assert bodies(world, "camille", journal) == {"Pour Camille", "Pour le groupe"}
    assert bodies(world, "yanis", journal) == {"Pour le groupe"}  # reads the journal, not the note to Camille
    assert bodies(world, "helene", journal) == {"Pour le groupe"}
    # A learner's question to the owner is read by its author too.
    annotate(world, "yanis", journal, "situation", "l’équipe", "Qui était là ?")
    assert "Qui était là ?" in bodies(world, "yanis", journal)
    assert "Qui était là ?" in bodies(world, "camille", journal)
    assert "Qui était là ?" not in bodies(world, "lea", journal)


def test_a_tutors_note_never_reaches_a_learner_by_any_path(world, journal, diagnostic):
    secret = "Camille semble en difficulté : en parler en équipe"
    notes = [
        annotate(world, "nadia", journal, "situation", "la directrice", secret, audience="tutors"),
        annotate(world, "nadia", diagnostic, "territory", "la mobilité", secret, audience="tutors"),
    ]
    for note in notes:
        annotations.add_reply(world, viewer_for(world, "nadia"), note["id"], f"Réponse : {secret}")
    for user in ("camille", "yanis", "lea", "ines"):
        viewer = viewer_for(world, user)
        seen: list[Any] = [annotations.inbox(world, viewer)]
        for document in (journal, diagnostic):
            if documents.may_read(viewer, document):
                seen.append(annotations.list_annotations(world, viewer, document["id"]))
                seen.append(annotations.export_w3c(world, viewer, document["id"]))
        for note in notes:
            for read in (annotations.get_annotation, annotations.list_replies):
                with pytest.raises(NotFound, match=f"^no annotation with id {note['id']}$"):
                    read(world, viewer, note["id"])
            with pytest.raises(NotFound):
                annotations.add_reply(world, viewer, note["id"], "Je réponds quand même")
            with pytest.raises(NotFound):
                annotations.update_annotation(world, viewer, note["id"], {"status": "resolved"})
        assert secret not in repr(seen), user
    # The tutor, of course, reads them.
    assert secret in bodies(world, "nadia", journal)


# -- validation ---------------------------------------------------------------------


def bad_fields(store: JournalStore, document: dict[str, Any]) -> dict[str, Any]:
    return {**target(store, document, "situation", "la directrice"), "body": "Texte"}


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"body": ""}, "the annotation's text cannot be empty"),
        ({"body": "  \n "}, "the annotation's text cannot be empty"),
        ({"body": 12}, "'body' (the annotation's text) must be text, got int"),
        ({"body": "x" * (MAX_BODY_LENGTH + 1)}, "is too long (20001 characters, at most 20000)"),
        ({"body": "bip\x07"}, "cannot contain control characters"),
        ({"cell_id": "nulle-part"}, "has no cell 'nulle-part': save the notebook"),
        ({"cell_id": 7}, "'cell_id' must be the id of a cell"),
        ({"start": "3"}, "'start' must be a whole number"),
        ({"end": True}, "'end' must be a whole number"),
        ({"start": -1}, "is not within this cell's text"),
        ({"start": 5, "end": 5}, "0 <= start < end"),
        ({"end": 10_000}, f"which has {len(SITUATION)} characters"),
        ({"exact": "le directeur"}, "reads 'la directrice', not the passage sent: save the notebook"),
        ({"exact": None}, "'exact' must be the annotated passage's text"),
        ({"motivation": "liking"}, "'motivation' must be one of commenting, questioning, assessing; got 'liking'"),
        ({"audience": "everyone"}, "'audience' must be one of learner, group, tutors; got 'everyone'"),
        ({"colour": "red"}, "unknown field: colour"),
    ],
)
def test_bad_fields_are_refused_with_a_message_and_nothing_is_stored(world, journal, change, fragment):
    fields = {**bad_fields(world, journal), **change}
    with pytest.raises(StoreError) as caught:
        annotations.create_annotation(world, viewer_for(world, "nadia"), journal["id"], fields)
    assert fragment in str(caught.value)
    assert not isinstance(caught.value, (PermissionDenied, NotFound))
    assert rows(world) == (0, 0)


@pytest.mark.parametrize("missing", ["body", "cell_id", "start", "end", "exact"])
def test_missing_fields_are_named(world, journal, missing):
    fields = bad_fields(world, journal)
    del fields[missing]
    with pytest.raises(StoreError, match=f"'{missing}' is required"):
        annotations.create_annotation(world, viewer_for(world, "nadia"), journal["id"], fields)


def test_utf16_positions_from_a_browser_are_caught(world, journal):
    # After the seedling, a UTF-16 index is one more than the code point index.
    words = "l’équipe d’animation"
    fields = target(world, journal, "situation", words)
    shifted = {**fields, "start": fields["start"] + 1, "end": fields["end"] + 1, "body": "Qui ?"}
    with pytest.raises(StoreError, match="positions count Unicode code points, not UTF-16 units"):
        annotations.create_annotation(world, viewer_for(world, "nadia"), journal["id"], shifted)
    made = annotations.create_annotation(world, viewer_for(world, "nadia"), journal["id"], {**fields, "body": "Qui ?"})
    assert made["anchor"]["start"] == SITUATION.index(words)


def test_the_longest_body_is_accepted(world, journal):
    made = annotations.create_annotation(
        world, viewer_for(world, "nadia"), journal["id"], {**bad_fields(world, journal), "body": "é" * MAX_BODY_LENGTH}
    )
    assert len(made["body"]) == MAX_BODY_LENGTH


# -- threads ------------------------------------------------------------------------


def test_a_thread_of_replies_in_order_with_what_each_may_do(world, journal):
    note = annotate(world, "nadia", journal, "situation", "la directrice", "Qui est-elle ?")
    camille, nadia = viewer_for(world, "camille"), viewer_for(world, "nadia")
    first = annotations.add_reply(world, camille, note["id"], "Mme Diallo, arrivée en septembre.")
    annotations.add_reply(world, nadia, note["id"], "Merci ! Ajoute-le dans le texte.")
    assert first["author_name"] == "Camille" and first["can"] == {"edit": True, "delete": True}
    thread = annotations.get_annotation(world, camille, note["id"])
    assert [(r["author"], r["body"]) for r in thread["replies"]] == [
        ("camille", "Mme Diallo, arrivée en septembre."),
        ("nadia", "Merci ! Ajoute-le dans le texte."),
    ]
    assert [r["can"]["edit"] for r in thread["replies"]] == [True, False]
    assert annotations.list_replies(world, camille, note["id"]) == thread["replies"]

    edited = annotations.update_reply(world, camille, note["id"], first["id"], {"body": "Mme Diallo."})
    assert edited["body"] == "Mme Diallo." and edited["edited"] is True
    with pytest.raises(PermissionDenied, match="only the author of a reply can edit it"):
        annotations.update_reply(world, nadia, note["id"], first["id"], {"body": "Changé"})
    with pytest.raises(PermissionDenied, match="only the author of a reply can delete it"):
        annotations.delete_reply(world, nadia, note["id"], first["id"])
    with pytest.raises(StoreError, match="the reply cannot be empty"):
        annotations.add_reply(world, camille, note["id"], " ")
    with pytest.raises(NotFound, match=f"annotation {note['id']} has no reply with id 999"):
        annotations.update_reply(world, camille, note["id"], 999, {"body": "x"})

    annotations.delete_reply(world, camille, note["id"], first["id"])
    assert [r["author"] for r in annotations.get_annotation(world, camille, note["id"])["replies"]] == ["nadia"]
    assert world.reply(first["id"])["deleted_at"] is not None  # withdrawn, never erased


def test_a_coordinator_reads_a_thread_but_does_not_reply(world, diagnostic):
    note = annotate(world, "nadia", diagnostic, "territory", "la mobilité", "Pour tous", audience="group")
    helene = viewer_for(world, "helene")
    assert annotations.get_annotation(world, helene, note["id"])["can"]["reply"] is False
    with pytest.raises(PermissionDenied, match="you can read this annotation but not reply to it"):
        annotations.add_reply(world, helene, note["id"], "Moi aussi")


# -- editing, resolving, deleting ----------------------------------------------------


def test_only_the_author_edits_an_annotation(world, journal):
    note = annotate(world, "nadia", journal, "situation", "la directrice", "Qui est-elle ?")
    edited = annotations.update_annotation(
        world,
        viewer_for(world, "nadia"),
        note["id"],
        {"body": "Qui est-elle, et depuis quand ?", "motivation": "questioning"},
    )
    assert (edited["body"], edited["motivation"], edited["edited"]) == (
        "Qui est-elle, et depuis quand ?",
        "questioning",
        True,
    )
    assert edited["modified_at"] > edited["created_at"]
    with pytest.raises(PermissionDenied, match="only the author of an annotation can change its text"):
        annotations.update_annotation(world, viewer_for(world, "camille"), note["id"], {"body": "Effacé"})
    with pytest.raises(StoreError, match="nothing to change"):
        annotations.update_annotation(world, viewer_for(world, "nadia"), note["id"], {})
    with pytest.raises(StoreError, match="unknown field: exact"):
        annotations.update_annotation(world, viewer_for(world, "nadia"), note["id"], {"exact": "autre"})
    assert world.annotation(note["id"])["body"] == "Qui est-elle, et depuis quand ?"


def test_an_audience_narrows_but_never_widens_over_others_replies(world, diagnostic):
    nadia = viewer_for(world, "nadia")
    note = annotate(world, "nadia", diagnostic, "territory", "la mobilité", "Pour les apprenant·es")
    annotations.add_reply(world, viewer_for(world, "yanis"), note["id"], "Réponse écrite pour les apprenant·es")
    with pytest.raises(PermissionDenied, match="its audience can be narrowed, not widened"):
        annotations.update_annotation(world, nadia, note["id"], {"audience": "group"})
    narrowed = annotations.update_annotation(world, nadia, note["id"], {"audience": "tutors"})
    assert narrowed["audience"] == "tutors"
    assert "Pour les apprenant·es" not in bodies(world, "yanis", diagnostic)
    # Without other people's replies the author may widen freely.
    alone = annotate(world, "nadia", diagnostic, "territory", "Quartier nord", "Brouillon", audience="tutors")
    assert annotations.update_annotation(world, nadia, alone["id"], {"audience": "group"})["audience"] == "group"


@pytest.mark.parametrize(
    ("user", "allowed"),
    [("camille", True), ("nadia", True), ("yanis", True), ("lea", True), ("helene", False)],
)
def test_who_resolves_on_a_shared_document(world, diagnostic, user, allowed):
    """The author, the group's tutors and the learners who write the shared diagnostic; not the coordinator."""
    note = annotate(world, "nadia", diagnostic, "territory", "la mobilité", "Chiffres ?", audience="group")
    viewer = viewer_for(world, user)
    if allowed:
        resolved = annotations.update_annotation(world, viewer, note["id"], {"status": "resolved"})
        assert (resolved["status"], resolved["resolved_by"]) == ("resolved", user)
        assert resolved["resolved_at"] is not None
        reopened = annotations.update_annotation(world, viewer, note["id"], {"status": "open"})
        assert (reopened["status"], reopened["resolved_by"], reopened["resolved_at"]) == ("open", None, None)
    else:
        with pytest.raises(
            PermissionDenied, match="only the annotation's author, the group's tutors and the people who write"
        ):
            annotations.update_annotation(world, viewer, note["id"], {"status": "resolved"})
        assert world.annotation(note["id"])["status"] == "open"


def test_on_a_journal_the_owner_and_the_author_resolve_but_another_reader_does_not(world, journal):
    documents.set_visibility(world, viewer_for(world, "camille"), journal, "group")
    journal = world.document(journal["id"])
    note = annotate(world, "nadia", journal, "situation", "la directrice", "Pour tous", audience="group")
    with pytest.raises(PermissionDenied):
        annotations.update_annotation(world, viewer_for(world, "yanis"), note["id"], {"status": "resolved"})
    question = annotate(world, "yanis", journal, "situation", "centre social", "Lequel ?", audience="group")
    assert (
        annotations.update_annotation(world, viewer_for(world, "yanis"), question["id"], {"status": "resolved"})[
            "status"
        ]
        == "resolved"
    )
    assert (
        annotations.update_annotation(world, viewer_for(world, "camille"), note["id"], {"status": "resolved"})[
            "resolved_by_name"
        ]
        == "Camille"
    )
    with pytest.raises(StoreError, match="'status' must be one of open, resolved; got 'done'"):
        annotations.update_annotation(world, viewer_for(world, "camille"), note["id"], {"status": "done"})


def test_deleting_an_annotation_without_replies_hides_it_but_keeps_the_row(world, journal):
    note = annotate(world, "nadia", journal, "situation", "la directrice", "Oups, erreur")
    with pytest.raises(PermissionDenied, match="only the author of an annotation can delete it"):
        annotations.delete_annotation(world, viewer_for(world, "camille"), note["id"])
    answer = annotations.delete_annotation(world, viewer_for(world, "nadia"), note["id"])
    assert answer == {"id": note["id"], "deleted": True, "thread_kept": False, "message": "annotation deleted"}
    assert listed(world, "nadia", journal) == listed(world, "camille", journal) == []
    with pytest.raises(NotFound, match=f"^no annotation with id {note['id']}$"):
        annotations.get_annotation(world, viewer_for(world, "nadia"), note["id"])
    assert world.annotation(note["id"])["deleted_at"] is not None and rows(world) == (1, 0)


def test_deleting_an_annotation_with_replies_keeps_the_thread_without_its_text(world, journal):
    note = annotate(world, "nadia", journal, "situation", "la directrice", "Une remarque maladroite")
    annotations.add_reply(world, viewer_for(world, "camille"), note["id"], "Je ne suis pas d'accord.")
    answer = annotations.delete_annotation(world, viewer_for(world, "nadia"), note["id"])
    assert answer["thread_kept"] is True and "stays for the replies" in answer["message"]
    [thread] = listed(world, "camille", journal)
    assert (thread["deleted"], thread["body"], thread["quote"]["exact"]) == (True, None, "la directrice")
    assert [r["body"] for r in thread["replies"]] == ["Je ne suis pas d'accord."]
    assert thread["can"]["reply"] is False and thread["can"]["edit"] is False
    with pytest.raises(StoreError, match="this annotation was deleted by its author"):
        annotations.add_reply(world, viewer_for(world, "camille"), note["id"], "Encore ?")
    with pytest.raises(StoreError, match="this annotation was deleted: it can no longer be edited"):
        annotations.update_annotation(world, viewer_for(world, "nadia"), note["id"], {"body": "Mieux dit"})
    # The thread can still be closed, and the W3C export keeps it, without a body, for its replies.
    assert (
        annotations.update_annotation(world, viewer_for(world, "camille"), note["id"], {"status": "resolved"})["status"]
        == "resolved"
    )
    items = annotations.export_w3c(world, viewer_for(world, "camille"), journal["id"])["first"]["items"]
    assert "body" not in items[0] and items[1]["target"] == items[0]["id"]
    assert "Une remarque maladroite" not in repr(items)
    # Once its last reply is withdrawn, the deleted annotation disappears too.
    reply_id = thread["replies"][0]["id"]
    annotations.delete_reply(world, viewer_for(world, "camille"), note["id"], reply_id)
    assert listed(world, "camille", journal) == []


# -- anchors in a changing document --------------------------------------------------


def save_cells(store: JournalStore, user: str, document: dict[str, Any], cells: list[CellRow]) -> None:
    store.save_cells(document["id"], cells, author=user)


def test_anchors_follow_moved_cells_edited_text_and_orphan_deleted_cells(world, journal):
    note = annotate(world, "nadia", journal, "situation", "la directrice", "Qui ?")
    other = annotate(world, "nadia", journal, "situation", "l’équipe d’animation", "Combien ?")
    cells = world.cells(journal["id"])
    situation = answer_cell(world, journal["id"], "situation")
    index = next(i for i, c in enumerate(cells) if c.cell_id == situation.cell_id)

    # The cell moves to the end of the notebook: the same id, so the same anchor.
    moved = cells[:index] + cells[index + 1 :] + [cells[index]]
    save_cells(world, "camille", journal, moved)
    [first, _second] = listed(world, "camille", journal)
    assert first["anchor"]["how"] == "position" and first["cell"]["position"] == len(cells) - 1

    # Text typed before the passage, then inside the other one.
    edited = replace(situation, source="Mardi. " + SITUATION.replace("l’équipe d’animation", "l’équipe de l’animation"))
    save_cells(world, "camille", journal, [*moved[:-1], edited])
    found = {a["id"]: a for a in listed(world, "camille", journal)}
    assert found[note["id"]]["anchor"]["how"] == "quote"
    assert found[note["id"]]["anchor"]["start"] == SITUATION.index("la directrice") + len("Mardi. ")
    assert found[other["id"]]["anchor"]["how"] == "fuzzy"
    anchor = found[other["id"]]["anchor"]
    assert edited.source[anchor["start"] : anchor["end"]] == "l’équipe de l’animation"

    # The passage rewritten: orphaned with its quote; the cell deleted: orphaned too, listed last.
    rewritten = replace(edited, source="Mardi. Réunion annulée.")
    save_cells(world, "camille", journal, [*moved[:-1], rewritten])
    assert {a["orphan_reason"] for a in listed(world, "camille", journal)} == {"passage_not_found"}
    save_cells(world, "camille", journal, moved[:-1])
    after = listed(world, "camille", journal)
    assert [(a["orphaned"], a["orphan_reason"], a["anchor"], a["cell"]) for a in after] == [
        (True, "cell_deleted", None, None),
        (True, "cell_deleted", None, None),
    ]
    assert [a["quote"]["exact"] for a in after] == ["la directrice", "l’équipe d’animation"]
    counts = annotations.list_annotations(world, viewer_for(world, "camille"), journal["id"])["counts"]
    assert counts == {"total": 2, "open": 2, "resolved": 0, "orphaned": 2}
    # Orphans are never dropped: the cell restored, they anchor again.
    save_cells(world, "camille", journal, [*moved[:-1], situation])
    assert [a["anchor"]["how"] for a in listed(world, "camille", journal)] == ["position", "position"]


def test_listing_is_in_reading_order_and_filters_by_status(world, journal):
    later = annotate(world, "nadia", journal, "situation", "l’équipe", "Deuxième dans le texte")
    earlier = annotate(world, "nadia", journal, "situation", "la directrice", "Premier dans le texte")
    assert [a["id"] for a in listed(world, "camille", journal)] == [earlier["id"], later["id"]]
    annotations.update_annotation(world, viewer_for(world, "camille"), later["id"], {"status": "resolved"})
    camille = viewer_for(world, "camille")
    open_only = annotations.list_annotations(world, camille, journal["id"], status="open")
    assert [a["id"] for a in open_only["annotations"]] == [earlier["id"]]
    assert open_only["counts"] == {"total": 2, "open": 1, "resolved": 1, "orphaned": 0}
    assert open_only["may_annotate"] == {"motivations": ["questioning"], "audiences": ["learner", "group"]}
    with pytest.raises(StoreError, match="'status' must be one of open, resolved"):
        annotations.list_annotations(world, camille, journal["id"], status="all")


# -- the inbox --------------------------------------------------------------------------


def test_the_inbox_holds_open_annotations_waiting_for_the_writers(world, journal, diagnostic):
    nadia, camille, yanis = viewer_for(world, "nadia"), viewer_for(world, "camille"), viewer_for(world, "yanis")
    on_journal = annotate(world, "nadia", journal, "situation", "la directrice", "Qui ?")
    on_diagnostic = annotate(world, "nadia", diagnostic, "territory", "la mobilité", "Chiffres ?")
    annotate(world, "nadia", journal, "situation", "centre social", "Note entre tuteurs", audience="tutors")
    mine = annotate(world, "camille", journal, "situation", "l’équipe", "À vérifier")

    inbox = annotations.inbox(world, camille)
    assert inbox["count"] == 2
    assert [a["id"] for a in inbox["annotations"]] == [on_diagnostic["id"], on_journal["id"]]  # newest first
    assert inbox["annotations"][0]["document"]["title"] == diagnostic["title"]
    assert inbox["annotations"][0]["document"]["path"].endswith(".ipynb")
    assert inbox["annotations"][0]["last_activity"]["author"] == "nadia"
    # Yanis co-writes the diagnostic, not Camille's journal; Nadia writes neither.
    assert [a["id"] for a in annotations.inbox(world, yanis)["annotations"]] == [on_diagnostic["id"]]
    assert annotations.inbox(world, nadia) == {"count": 0, "annotations": []}

    # Camille answers: the journal's thread waits for Nadia now, in her inbox though she only reads
    # the journal. Nadia replies: it is back in Camille's, on top, and out of Nadia's.
    answer = annotations.add_reply(world, camille, on_journal["id"], "Mme Diallo.")
    assert [a["id"] for a in annotations.inbox(world, camille)["annotations"]] == [on_diagnostic["id"]]
    waiting = annotations.inbox(world, nadia)
    assert [a["id"] for a in waiting["annotations"]] == [on_journal["id"]]
    assert waiting["annotations"][0]["last_activity"]["reply_id"] == answer["id"]
    assert waiting["annotations"][0]["document"]["path"].endswith(".ipynb")
    # Bruno, tutor of the other group, took no part: nothing waits for him.
    assert annotations.inbox(world, viewer_for(world, "bruno"))["count"] == 0
    reply = annotations.add_reply(world, nadia, on_journal["id"], "Merci, précise son rôle.")
    assert annotations.inbox(world, nadia)["count"] == 0
    inbox = annotations.inbox(world, camille)
    assert [a["id"] for a in inbox["annotations"]] == [on_journal["id"], on_diagnostic["id"]]
    assert inbox["annotations"][0]["last_activity"]["reply_id"] == reply["id"]

    # Resolved or deleted annotations leave the inbox; one's own question never was in it.
    annotations.update_annotation(world, yanis, on_diagnostic["id"], {"status": "resolved"})
    annotations.delete_annotation(world, nadia, on_journal["id"])
    assert annotations.inbox(world, camille)["count"] == 0
    assert mine["id"] not in [a["id"] for a in annotations.inbox(world, camille)["annotations"]]


# -- the trash ----------------------------------------------------------------------------


def test_a_document_in_the_trash_keeps_its_annotations_frozen(world, journal):
    note = annotate(world, "nadia", journal, "situation", "la directrice", "Qui ?")
    camille = viewer_for(world, "camille")
    documents.move_to_trash(world, camille, journal)
    assert [a["id"] for a in listed(world, "camille", journal)] == [note["id"]]
    assert listed(world, "camille", journal)[0]["can"] == {
        "reply": False,
        "edit": False,
        "delete": False,
        "resolve": False,
    }
    for attempt in (
        lambda: annotate(world, "camille", journal, "situation", "centre social", "?"),
        lambda: annotations.add_reply(world, camille, note["id"], "Réponse"),
        lambda: annotations.update_annotation(world, camille, note["id"], {"status": "resolved"}),
    ):
        with pytest.raises(PermissionDenied, match="this document is in the trash"):
            attempt()
    with pytest.raises(NotFound, match=f"^no annotation with id {note['id']}$"):
        annotations.get_annotation(world, viewer_for(world, "nadia"), note["id"])
    assert annotations.inbox(world, camille)["count"] == 0
    assert not may_annotate(viewer_for(world, "nadia"), world.document(journal["id"]), "commenting")


# -- the W3C export ----------------------------------------------------------------------


def test_the_w3c_export_is_an_annotation_collection(world, journal):
    note = annotate(world, "nadia", journal, "situation", "la directrice", "Qui est-elle ?")
    reply = annotations.add_reply(world, viewer_for(world, "camille"), note["id"], "Mme Diallo.")
    base = "https://hub.example/user/camille/journal/api/"
    exported = annotations.export_w3c(world, viewer_for(world, "camille"), journal["id"], base=base)
    assert exported["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert exported["type"] == "AnnotationCollection" and exported["total"] == 2
    assert exported["label"] == journal["title"]
    page = exported["first"]
    assert page["type"] == "AnnotationPage" and page["startIndex"] == 0
    comment, answer = page["items"]
    start = SITUATION.index("la directrice")
    cell_id = answer_cell(world, journal["id"], "situation").cell_id
    assert comment == {
        "id": f"{base}annotations/{note['id']}",
        "type": "Annotation",
        "motivation": "commenting",
        "creator": {"type": "Person", "nickname": "nadia", "name": "Nadia Benali"},
        "created": note["created_at"],
        "modified": note["modified_at"],
        "audience": {"type": "schema:Audience", "schema:audienceType": "learner"},
        "schema:creativeWorkStatus": "open",
        "body": {"type": "TextualBody", "value": "Qui est-elle ?", "format": "text/markdown"},
        "target": {
            "source": f"{base}documents/{journal['id']}#cell={cell_id}",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "la directrice",
                    "prefix": "Première réunion avec ",
                    "suffix": " du centre social 🌱 ; l’équipe d",
                },
                {"type": "TextPositionSelector", "start": start, "end": start + 13},
            ],
        },
    }
    assert answer == {
        "id": f"{base}annotations/{note['id']}/replies/{reply['id']}",
        "type": "Annotation",
        "motivation": "replying",
        "creator": {"type": "Person", "nickname": "camille", "name": "Camille"},
        "created": reply["created_at"],
        "modified": reply["modified_at"],
        "body": {"type": "TextualBody", "value": "Mme Diallo.", "format": "text/markdown"},
        "target": f"{base}annotations/{note['id']}",
    }
