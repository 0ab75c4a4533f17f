"""The annotation permission proof through the real server: every person x every document x every audience x every read path.

The world of ``test_permission_matrix`` (Camille's learning journal and
shared diagnostic in each visibility, plus one in her trash) gets, on every
document, one annotation by Nadia (the group's tutor) per audience, each
with a reply by Nadia; each annotation and each reply holds a secret word of
its own. For every person, the annotations reachable through each read path
(a document's annotations, its W3C export, one annotation, its replies, the
inbox, search, the notebook itself) must be exactly those the rules grant,
and nothing they receive may contain the secret of an annotation they may
not read: above all, a tutors-only note never reaches a learner.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from journal_ext.core import anchoring
from journal_ext.db import ANNOTATION_AUDIENCES, JournalStore

from .test_permission_matrix import (  # noqa: F401  (matrix_world is a fixture used here)
    COMMON_WORD,
    NONEXISTENT,
    OWNER,
    ROLES,
    USERS,
    Doc,
    Person,
    World,
    matrix_world,
    readable,
    writable,
)

# Every server test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True

TUTOR = "nadia"
LEARNERS = {"camille", "yanis", "ines"}


@dataclass(frozen=True)
class Note:
    id: int
    doc: Doc
    audience: str
    secret: str
    reply_secret: str


@dataclass(frozen=True)
class AnnotatedWorld:
    template_db: Path
    world: World
    notes: tuple[Note, ...]


def sees(user: str, note: Note) -> bool:
    """The rules, restated: who reads an annotation by the group's tutor."""
    if not readable(user, note.doc):
        return False
    if note.audience == "tutors":
        return user == TUTOR
    if note.audience == "learner":
        return user in (OWNER, TUTOR) or (note.doc.kind == "shared_diagnostic" and user == "yanis")
    return True


@pytest.fixture(scope="module")
def annotated_world(matrix_world: World, tmp_path_factory: pytest.TempPathFactory) -> AnnotatedWorld:  # noqa: F811
    path = tmp_path_factory.mktemp("annotated") / "journal.db"
    source, target = sqlite3.connect(matrix_world.template_db), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    notes = []
    with JournalStore(path) as store:
        for doc in matrix_world.docs:
            # Written through the store: the document in the trash takes no new annotation through the library.
            cell = next(c for c in store.cells(doc.id) if COMMON_WORD in c.source)
            start = cell.source.index(f"du {COMMON_WORD}")
            selectors = anchoring.describe(cell.source, start, start + len(f"du {COMMON_WORD}"))
            for audience in ANNOTATION_AUDIENCES:
                secret = f"Marge{audience.title()}{doc.id}Z"
                row = store.add_annotation(
                    document_id=doc.id,
                    cell_id=cell.cell_id,
                    author=TUTOR,
                    motivation="commenting",
                    audience=audience,
                    body=f"Remarque {secret} sur ce passage",
                    exact=selectors.quote.exact,
                    prefix=selectors.quote.prefix,
                    suffix=selectors.quote.suffix,
                    start=selectors.position.start,
                    end=selectors.position.end,
                )
                reply_secret = f"Suite{audience.title()}{doc.id}Z"
                store.add_reply(row["id"], author=TUTOR, body=f"Et aussi {reply_secret}")
                notes.append(Note(row["id"], doc, audience, secret, reply_secret))
    return AnnotatedWorld(path, matrix_world, tuple(notes))


@pytest.fixture
def journal_db(annotated_world: AnnotatedWorld, tmp_path: Path) -> Path:
    """A fresh copy of the annotated world for this test's server."""
    path = tmp_path / "server-journal.db"
    source, target = sqlite3.connect(annotated_world.template_db), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return path


@pytest.fixture(params=USERS, ids=[f"{u} ({ROLES[u]})" for u in USERS])
def journal_user(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def person(jp_fetch: Any, journal_user: str, annotated_world: AnnotatedWorld) -> Person:
    return Person(jp_fetch, journal_user, annotated_world.world)


def assert_no_annotation_leak(person: Person, notes: tuple[Note, ...], *, positive_control: bool) -> None:
    blob = "\n".join(person.bodies).casefold()
    for note in notes:
        if sees(person.user, note):
            if positive_control:
                assert note.secret.casefold() in blob and note.reply_secret.casefold() in blob, (person.user, note)
            continue
        for needle in (note.secret, note.reply_secret):
            kind = "TUTORS-ONLY NOTE" if note.audience == "tutors" else f"'{note.audience}' annotation"
            assert needle.casefold() not in blob, (
                f"LEAK: {person.user} ({ROLES[person.user]}) received the {kind} of the"
                f" {note.doc.visibility} {note.doc.kind}{' (trashed)' if note.doc.trashed else ''}"
            )


def expected(user: str, notes: tuple[Note, ...]) -> set[int]:
    return {note.id for note in notes if sees(user, note)}


def test_the_rules_never_show_a_tutors_note_to_a_learner(annotated_world: AnnotatedWorld) -> None:
    """The table itself: a learner, whatever the document, never reads a tutors-only note."""
    for note in annotated_world.notes:
        if note.audience == "tutors":
            assert not any(sees(user, note) for user in LEARNERS)
    assert any(sees("camille", n) for n in annotated_world.notes)


async def test_every_read_path(person: Person, annotated_world: AnnotatedWorld) -> None:
    """Each document's annotations, their W3C export, each annotation, its replies, the inbox."""
    notes = annotated_world.notes
    user = person.user
    listed: set[int] = set()
    exported: set[str] = set()
    for doc in annotated_world.world.docs:
        parts = ("journal", "api", "documents", str(doc.id), "annotations")
        code, text = await person.call(*parts)
        if not readable(user, doc):
            assert code == 404, (doc.id, code, text)
            assert json.loads(text)["message"] == f"no document with id {doc.id}"
            code, _ = await person.call(*parts, params={"format": "jsonld"})
            assert code == 404
            continue
        assert code == 200, (doc.id, code, text)
        answer = json.loads(text)
        listed |= {a["id"] for a in answer["annotations"]}
        assert all(not a["orphaned"] and a["anchor"]["how"] == "position" for a in answer["annotations"])
        collection = await person.json(*parts, params={"format": "jsonld"})
        exported |= {
            item["id"].rsplit("/", 1)[-1] for item in collection["first"]["items"] if item["motivation"] != "replying"
        }
    mine = expected(user, notes)
    assert listed == mine
    assert exported == {str(i) for i in mine}

    for note in notes:
        for tail in ((), ("replies",)):
            code, text = await person.call("journal", "api", "annotations", str(note.id), *tail)
            missing_code, missing_text = await person.call("journal", "api", "annotations", str(NONEXISTENT), *tail)
            if note.id in mine:
                assert code == 200, (note, tail, code, text)
            else:
                assert code == missing_code == 404, (note, tail, code, text)
                assert json.loads(text)["message"].replace(str(note.id), "<id>") == json.loads(missing_text)[
                    "message"
                ].replace(str(NONEXISTENT), "<id>")

    inbox = await person.json("journal", "api", "inbox")
    # Every note by Nadia (hers is the last word of each thread) waits for those who write the document.
    waiting = {n.id for n in notes if n.id in mine and writable(user, n.doc)}
    assert (len(waiting) > 0) is (user in ("camille", "yanis"))
    assert {a["id"] for a in inbox["annotations"]} == waiting and inbox["count"] == len(waiting)
    assert_no_annotation_leak(person, notes, positive_control=True)


async def test_search_and_the_notebooks_never_carry_annotations(
    person: Person, annotated_world: AnnotatedWorld
) -> None:
    """Annotations live outside the notebooks and outside the search index: no path there reaches them."""
    notes = annotated_world.notes
    secrets = " OR ".join(n.secret for n in notes[:40])

    def without_query(text: str) -> str:
        answer = json.loads(text)
        answer.pop("query", None)
        return json.dumps(answer, ensure_ascii=False)

    answer = await person.json(
        "journal", "api", "search", params={"q": secrets, "syntax": "fts", "limit": "200"}, scrub=without_query
    )
    assert answer["results"] == []
    for doc in annotated_world.world.docs:
        if readable(person.user, doc):
            path = doc.own_path if person.user == OWNER else doc.reader_path
            model = await person.json("api", "contents", path)
            assert "Marge" not in json.dumps(model, ensure_ascii=False)
            await person.json("journal", "api", "documents", str(doc.id), "revisions")
    assert_no_annotation_leak(person, notes, positive_control=False)


async def test_writes_on_annotations_one_cannot_change_are_refused(
    person: Person, annotated_world: AnnotatedWorld, journal_db: Path
) -> None:
    """Editing, deleting (not the author: 403 when seen, 404 like a missing one when hidden), replying to hidden ones."""
    if person.user == TUTOR:
        pytest.skip("the author may edit and delete her own annotations")

    def snapshot() -> tuple[Any, ...]:
        with JournalStore(journal_db) as store:
            return (
                list(store.db.query("SELECT * FROM annotations ORDER BY id")),
                list(store.db.query("SELECT * FROM annotation_replies ORDER BY id")),
            )

    before = snapshot()
    mine = expected(person.user, annotated_world.notes)
    for note in annotated_world.notes:
        base = ("journal", "api", "annotations", str(note.id))
        visible = note.id in mine
        code, text = await person.call(*base, method="PATCH", body={"body": "Réécrit"})
        assert code == (403 if visible else 404), (note, code, text)
        code, text = await person.call(*base, method="DELETE")
        assert code == (403 if visible else 404), (note, code, text)
        if not visible:
            code, text = await person.call(*base, "replies", method="POST", body={"body": "Intrus"})
            assert code == 404, (note, code, text)
            code, text = await person.call(*base, method="PATCH", body={"status": "resolved"})
            assert code == 404, (note, code, text)
    assert snapshot() == before
    assert_no_annotation_leak(person, annotated_world.notes, positive_control=False)
