"""The permission matrix through the real server: every role x every visibility x every read path, no leak.

A world is built through the store (two cohorts, the members of
``test_permissions``), then a Jupyter server runs as each person in turn.
Camille owns, in group A, a learning journal and a shared diagnostic in each
visibility, and one document in her trash; each holds a secret word in its
title and in a writing cell. For every person, the ids reachable through each
read path (contents API, document list, each document endpoint, search) must be
exactly the ones the READ table grants, write paths must refuse without
changing anything, and no response that person receives may contain the secret
word or the title of a document they may not read.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from journal_ext.core import documents, notebooks
from journal_ext.core.framework import default_framework
from journal_ext.core.permissions import viewer_for
from journal_ext.db import VISIBILITIES, JournalStore

from .test_permissions import READ, ROLES, WRITE_JOURNAL, WRITE_SHARED

# Every server test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True

COHORT = "Promotion 2026"
OTHER_COHORT = "Promotion 2027"
GROUP_A = "Groupe Quartiers"
GROUP_B = "Groupe Tiers-lieu"
OTHER_GROUP = "Groupe Port"
OWNER = "camille"

# Who is who, as in test_permissions.MEMBERS (the stranger has no membership at all).
MEMBERS = [
    (COHORT, GROUP_A, "camille", "learner", "Camille"),
    (COHORT, GROUP_A, "yanis", "learner", "Yanis"),
    (COHORT, GROUP_B, "ines", "learner", "Ines"),
    (COHORT, GROUP_A, "nadia", "tutor", "Nadia"),
    (COHORT, GROUP_B, "bruno", "tutor", "Bruno"),
    (COHORT, GROUP_B, "helene", "coordinator", "Helene"),  # coordinates the whole cohort from group B
    (OTHER_COHORT, OTHER_GROUP, "otto", "coordinator", "Otto"),
]
USERS = list(READ)
assert set(USERS) == set(ROLES) == {m[2] for m in MEMBERS} | {"stranger"}

KINDS = ("learning_journal", "shared_diagnostic")
# One secret word per document: in its title and in one of its writing cells.
SECRETS = {
    ("learning_journal", "private"): "zircon",
    ("learning_journal", "tutors"): "obsidienne",
    ("learning_journal", "group"): "malachite",
    ("learning_journal", "cohort"): "tourmaline",
    ("shared_diagnostic", "private"): "azurite",
    ("shared_diagnostic", "tutors"): "rhodonite",
    ("shared_diagnostic", "group"): "labradorite",
    ("shared_diagnostic", "cohort"): "chrysoprase",
}
TRASH_SECRET = "serpentine"  # a learning journal shared with the whole cohort, then trashed
COMMON_WORD = "feldspath"  # in every document's writing
NONEXISTENT = 999999
WRITE = {"learning_journal": WRITE_JOURNAL, "shared_diagnostic": WRITE_SHARED}


@dataclass(frozen=True)
class Doc:
    id: int
    kind: str
    visibility: str
    title: str
    secret: str
    trashed: bool
    own_path: str  # where camille sees it under Journal/
    reader_path: str  # where someone else would see it (the group folder, then the owner's name for journals)


@dataclass(frozen=True)
class World:
    template_db: Path
    docs: tuple[Doc, ...]

    @property
    def trashed(self) -> Doc:
        return next(d for d in self.docs if d.trashed)

    def doc(self, document_id: int) -> Doc:
        return next(d for d in self.docs if d.id == document_id)


def readable(user: str, doc: Doc) -> bool:
    """What the READ table grants (the trashed document: its owner only)."""
    if doc.trashed:
        return user == OWNER
    return bool(READ[user][VISIBILITIES.index(doc.visibility)])


def writable(user: str, doc: Doc) -> bool:
    return not doc.trashed and bool(WRITE[doc.kind][user][VISIBILITIES.index(doc.visibility)])


def expected_ids(world: World, user: str) -> set[int]:
    return {d.id for d in world.docs if readable(user, d)}


def snapshot(path: Path) -> dict[str, Any]:
    """Everything about camille's documents that a refused write must leave as it was."""
    with JournalStore(path) as store:
        rows = store.list_documents(owner=OWNER) + store.list_documents(owner=OWNER, trash=True)
        return {
            row["id"]: (
                row["title"],
                row["visibility"],
                row["revision"],
                row["deleted_at"],
                row["owner"],
                [(c.cell_id, c.source) for c in store.cells(row["id"])],
                len(store.revisions(row["id"])),
            )
            for row in rows
        }


# -- the world ------------------------------------------------------------------


@pytest.fixture(scope="module")
def matrix_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """Build the world once; each test's server gets its own copy of the file."""
    path = tmp_path_factory.mktemp("matrix") / "journal.db"
    with JournalStore(path) as store:
        documents.ensure_initialised(store)
        store.add_cohort(COHORT, framework_id=default_framework().id, language="fr")
        store.add_cohort(OTHER_COHORT, framework_id=default_framework().id, language="fr")
        for cohort, group in ((COHORT, GROUP_A), (COHORT, GROUP_B), (OTHER_COHORT, OTHER_GROUP)):
            row = store.add_group(cohort, group, commission=f"Commande du {group}")
            assert documents.assign_builtin_templates(store, row["id"], "fr") > 0
        for cohort, group, user, role, name in MEMBERS:
            store.add_member(f"{cohort}/{group}", user, role, display_name=name)
        group_a = store.group(f"{COHORT}/{GROUP_A}")["id"]
        camille = viewer_for(store, OWNER)
        yanis = viewer_for(store, "yanis")
        assigned = {v["kind"]: v for v in store.group_templates(group_a)}

        def make(kind: str, visibility: str, secret: str) -> dict[str, Any]:
            version = assigned[kind]
            template = documents.template_from_version(version)
            title = f"{'Journal' if kind == 'learning_journal' else 'Diagnostic'} {secret}"
            notebook = notebooks.build_notebook(
                template,
                title=title,
                author="Camille",
                group=GROUP_A,
                date=dt.date(2026, 1, 5),
                template_version=version["version"],
            )
            row = store.create_document(
                kind=kind,
                title=title,
                owner=OWNER,
                group_id=group_a,
                visibility=visibility,
                template_version_id=version["id"],
                cells=notebooks.notebook_to_cells(notebook),
                metadata=dict(notebook.metadata),
            )
            section = template.sections[0].key
            documents.write_sections(
                store,
                camille,
                row,
                {section: f"Sur le terrain j'ai vu {secret}, et du {COMMON_WORD} partout."},
            )
            return store.document(row["id"])

        rows = [(make(kind, vis, SECRETS[kind, vis]), SECRETS[kind, vis]) for kind in KINDS for vis in VISIBILITIES]
        trashed = make("learning_journal", "cohort", TRASH_SECRET)
        documents.move_to_trash(store, camille, trashed)
        rows.append((store.document(trashed["id"]), TRASH_SECRET))

        own_paths = {d["id"]: f"Journal/{p}" for p, d in documents.document_paths(store, camille).items()}
        docs = []
        for row, secret in rows:
            folder = "/".join(documents.folder_for(store, yanis, row, "fr"))
            docs.append(
                Doc(
                    id=row["id"],
                    kind=row["kind"],
                    visibility=row["visibility"],
                    title=row["title"],
                    secret=secret,
                    trashed=bool(row["deleted_at"]),
                    own_path=own_paths[row["id"]],
                    reader_path=f"Journal/{folder}/{row['title']}.ipynb",
                )
            )
        # The world is what the tests think it is.
        assert len(docs) == 9 and len({d.id for d in docs}) == 9
        assert docs[-1].own_path.startswith("Journal/Corbeille/")
        assert all(store.document(d.id)["revision"] == 2 for d in docs)
    return World(template_db=path, docs=tuple(docs))


@pytest.fixture
def journal_db(matrix_world: World, tmp_path: Path) -> Path:
    """A fresh copy of the world for this test's server."""
    path = tmp_path / "server-journal.db"
    source, target = sqlite3.connect(matrix_world.template_db), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    return path


@pytest.fixture(params=USERS, ids=[f"{u} ({ROLES[u]})" for u in USERS])
def journal_user(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# -- a person talking to their server ------------------------------------------------


class Person:
    """Sends requests as the server's user and keeps every body received, for the leak check."""

    def __init__(self, jp_fetch: Any, user: str, world: World) -> None:
        self._fetch = jp_fetch
        self.user = user
        self.world = world
        self.bodies: list[str] = []

    async def call(
        self,
        *parts: str,
        method: str = "GET",
        body: Any = None,
        params: dict[str, str] | None = None,
        scrub: Callable[[str], str] | None = None,
    ) -> tuple[int, str]:
        """Status and body; the body is recorded (``scrub`` removes echoes of what the request itself sent)."""
        if body is not None and not isinstance(body, str):
            body = json.dumps(body)
        response = await self._fetch(
            *parts,
            method=method,
            body=body,
            params=params,
            raise_error=False,
            allow_nonstandard_methods=True,
        )
        text = response.body.decode("utf-8") if response.body else ""
        self.bodies.append(scrub(text) if scrub else text)
        return response.code, text

    async def json(self, *parts: str, **kwargs: Any) -> Any:
        code, text = await self.call(*parts, **kwargs)
        assert code == 200, (parts, code, text)
        return json.loads(text)

    def assert_no_leak(self, *, positive_control: bool = False) -> None:
        """No secret word nor title of a document hidden from this person in anything they received."""
        blob = "\n".join(self.bodies).casefold()
        for doc in self.world.docs:
            if readable(self.user, doc):
                if positive_control:
                    assert doc.secret in blob, f"{doc.secret} should have reached {self.user}"
                continue
            for needle in (doc.secret, doc.title):
                assert needle.casefold() not in blob, (
                    f"LEAK: {self.user} ({ROLES[self.user]}) received '{needle}' of the"
                    f" {doc.visibility} {doc.kind}{' (trashed)' if doc.trashed else ''}"
                )


@pytest.fixture
def person(jp_fetch: Any, journal_user: str, matrix_world: World) -> Person:
    return Person(jp_fetch, journal_user, matrix_world)


def echo_free(*sent: str) -> Callable[[str], str]:
    """Remove from a body the strings the request itself carried (an error naming the requested path)."""

    def scrub(text: str) -> str:
        for value in sent:
            for form in (value, json.dumps(value)[1:-1]):
                text = text.replace(form, "<sent>")
        return text

    return scrub


def same_not_found(hidden_body: str, hidden: str, missing_body: str, missing: str) -> None:
    """A hidden thing's 404 must say exactly what a missing thing's 404 says."""
    assert hidden_body.replace(hidden, "<X>") == missing_body.replace(missing, "<X>")


# -- read paths ---------------------------------------------------------------------


async def test_contents_api_walk(person: Person, matrix_world: World) -> None:
    """Path 1: walk Journal/ recursively through api/contents, open every notebook."""
    root = await person.json("api", "contents")
    assert "Journal" in {entry["name"] for entry in root["content"]}
    found: dict[int, dict[str, Any]] = {}
    pending = ["Journal"]
    while pending:
        path = pending.pop()
        model = await person.json("api", "contents", path)
        if model["type"] == "directory":
            pending += [child["path"] for child in model["content"]]
            continue
        assert model["type"] == "notebook", model["path"]
        document_id = model["content"]["metadata"]["journal"]["document_id"]
        assert document_id not in found, f"document {document_id} appears twice"
        found[document_id] = model
    assert set(found) == expected_ids(matrix_world, person.user)
    for document_id, model in found.items():
        doc = matrix_world.doc(document_id)
        assert model["path"] == (doc.own_path if person.user == OWNER else doc.reader_path)
        assert model["writable"] is (writable(person.user, doc) or (doc.trashed and person.user == OWNER))
    person.assert_no_leak(positive_control=True)


async def test_contents_api_hidden_paths_look_missing(person: Person, matrix_world: World) -> None:
    """Path 1 again: a hidden document's path answers exactly like a path that never existed."""
    for doc in matrix_world.docs:
        if readable(person.user, doc):
            continue
        for path in sorted({doc.own_path, doc.reader_path}):
            missing = path.rsplit("/", 1)[0] + "/Nulle part.ipynb"
            code, text = await person.call("api", "contents", path, scrub=echo_free(path))
            missing_code, missing_text = await person.call("api", "contents", missing, scrub=echo_free(missing))
            assert code == missing_code == 404, (path, code, text)
            same_not_found(text, path, missing_text, missing)
            code, text = await person.call("api", "contents", path, "checkpoints", scrub=echo_free(path))
            assert code == 404, (path, code, text)
    person.assert_no_leak()


async def test_document_list(person: Person, matrix_world: World) -> None:
    """Path 2: GET journal/api/documents."""
    listed = (await person.json("journal", "api", "documents"))["documents"]
    ids = [d["id"] for d in listed]
    assert len(ids) == len(set(ids))
    assert set(ids) == expected_ids(matrix_world, person.user)
    person.assert_no_leak(positive_control=False)


@pytest.mark.parametrize("endpoint", ["", "completeness", "revisions", "diff"])
async def test_document_endpoints(person: Person, matrix_world: World, endpoint: str) -> None:
    """Paths 3 and 4: one document, its completeness, revisions and diff: 200 when readable, else the missing 404."""
    parts = ["journal", "api", "documents"]
    tail = [endpoint] if endpoint else []
    missing_code, missing_text = await person.call(*parts, str(NONEXISTENT), *tail)
    assert missing_code == 404, missing_text
    reached = set()
    for doc in matrix_world.docs:
        code, text = await person.call(*parts, str(doc.id), *tail)
        if code == 200:
            reached.add(doc.id)
            answer = json.loads(text)
            if endpoint in ("", "revisions", "diff"):
                assert answer.get("id", answer.get("document_id")) == doc.id
            if endpoint == "revisions":
                # The history view offers Restore exactly to those who may write.
                assert answer["writable"] is (writable(person.user, doc) and not doc.trashed)
        else:
            assert code == 404, (doc.id, endpoint, code, text)
            same_not_found(text, str(doc.id), missing_text, str(NONEXISTENT))
    assert reached == expected_ids(matrix_world, person.user)
    person.assert_no_leak()


async def test_search(person: Person, matrix_world: World) -> None:
    """Path 5: search each secret word, a word every document holds, and all secrets at once (FTS syntax)."""

    def without_query(text: str) -> str:
        # The answer repeats the query the person typed: that is not a leak.
        answer = json.loads(text)
        answer.pop("query", None)
        return json.dumps(answer, ensure_ascii=False)

    async def ids_for(query: str, syntax: str = "words") -> set[int]:
        answer = await person.json(
            "journal",
            "api",
            "search",
            params={"q": query, "syntax": syntax, "limit": "200"},
            scrub=without_query,
        )
        assert answer["more"] is False
        return {result["document"]["id"] for result in answer["results"]}

    readable_ids = expected_ids(matrix_world, person.user)
    trashed = matrix_world.trashed.id
    # Search looks in live documents: the trash is searched by nobody, not even its owner.
    searchable = readable_ids - {trashed}
    for doc in matrix_world.docs:
        assert await ids_for(doc.secret) == {doc.id} & searchable, doc.secret
        assert await ids_for(doc.title) == {doc.id} & searchable, doc.title
    assert await ids_for(COMMON_WORD) == searchable
    everything = " OR ".join(d.secret for d in matrix_world.docs)
    assert await ids_for(everything, "fts") == searchable
    person.assert_no_leak()


# -- write paths --------------------------------------------------------------------


async def test_write_paths_refuse_and_change_nothing(person: Person, matrix_world: World, journal_db: Path) -> None:
    """Path 6: restore, PUT, PATCH and DELETE are refused (403 readable, 404 hidden); the store is unchanged."""
    before = snapshot(journal_db)
    user = person.user
    restore = ("revisions", "1", "restore")
    missing_code, missing_text = await person.call(
        "journal",
        "api",
        "documents",
        str(NONEXISTENT),
        *restore,
        method="POST",
        body={},
    )
    assert missing_code == 404, missing_text
    intruder = {
        "cells": [{"cell_type": "markdown", "id": "intrus", "metadata": {}, "source": "Texte remplacé"}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    attempted = 0
    for doc in matrix_world.docs:
        can_read = readable(user, doc)
        if writable(user, doc):
            continue  # a legitimate write: not this test's business
        attempted += 1
        code, text = await person.call(
            "journal",
            "api",
            "documents",
            str(doc.id),
            *restore,
            method="POST",
            body={},
        )
        if can_read:
            assert code == 403, (doc.title, code, text)
        else:
            assert code == 404, (doc.title, code, text)
            same_not_found(text, str(doc.id), missing_text, str(NONEXISTENT))

        mine = user == OWNER
        paths = [doc.own_path] if mine else ([doc.reader_path] if can_read else sorted({doc.own_path, doc.reader_path}))
        for path in paths:
            sent = echo_free(path, path.rsplit("/", 1)[1])
            if not mine:  # camille may rename her own trashed document: a legitimate write
                code, text = await person.call(
                    "api",
                    "contents",
                    path,
                    method="PATCH",
                    scrub=sent,
                    body={"path": path.rsplit("/", 1)[0] + "/Renomme.ipynb"},
                )
                assert code == (403 if can_read else 404), (path, code, text)
            code, text = await person.call("api", "contents", path, method="DELETE", scrub=sent)
            if mine:
                assert code == 400, (path, code, text)  # the trash is never emptied
            else:
                assert code == (403 if can_read else 404), (path, code, text)
            body = {
                "type": "notebook",
                "format": "json",
                "content": {**intruder, "metadata": {"journal": {"document_id": doc.id, "revision": 2}}},
            }
            code, text = await person.call("api", "contents", path, method="PUT", body=body, scrub=sent)
            if can_read:
                assert code == 403, (path, code, text)
            elif path.startswith("Journal/Mon journal/"):
                # Camille's own folder is, for anyone else, *their* own folder: the PUT imports a new
                # document of theirs there (last, so nothing below meets it). It must not touch hers.
                assert code in (201, 400, 403, 404), (path, code, text)
                if code == 201:
                    with JournalStore(journal_db) as store:
                        created = json.loads(text)
                        # A " (2)" here would tell them a hidden document with that title exists.
                        assert created["name"] == path.rsplit("/", 1)[1], "LEAK: title collision oracle"
                        [new] = [
                            d for d in store.list_documents(owner=user) if f"{d['title']}.ipynb" == created["name"]
                        ]
                        assert new["id"] != doc.id and new["owner"] == user
            else:
                assert code in (400, 404), (path, code, text)
    assert attempted == sum(not writable(user, d) for d in matrix_world.docs) > 0
    assert snapshot(journal_db) == before
    person.assert_no_leak()
