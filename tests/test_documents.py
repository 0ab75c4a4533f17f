"""Documents as people meet them: templates offered, creation, shared writing, folders, the demo."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_ext.core import demo, documents
from journal_ext.core.documents import (
    create_from_template,
    document_paths,
    templates_for,
    write_sections,
)
from journal_ext.core.permissions import PermissionDenied, viewer_for
from journal_ext.core.templates import builtin_templates
from journal_ext.db import JournalStore, StoreError

from .conftest import GROUP_A, GROUP_B

DAY = dt.date(2026, 10, 5)


def group_template(store: JournalStore, group: str, kind: str) -> dict:
    group_id = store.group(group)["id"]
    return next(v for v in store.group_templates(group_id) if v["kind"] == kind)


def create(store: JournalStore, user: str, kind: str, group: str = GROUP_A) -> dict:
    group_id = store.group(group)["id"]
    return create_from_template(
        store,
        viewer_for(store, user),
        template_version_id=group_template(store, group, kind)["id"],
        group_id=group_id,
        today=DAY,
    )


# --- templates offered -----------------------------------------------------------


def test_learner_gets_the_templates_of_their_group(cohort_store: JournalStore):
    store = cohort_store
    offered = templates_for(store, viewer_for(store, "camille"))
    group = store.group(GROUP_A)
    assert [t["id"] for t in offered] == [v["id"] for v in store.group_templates(group["id"])]
    assert [t["kind"] for t in offered] == [
        "learning_journal",
        "field_observation",
        "shared_diagnostic",
        "synthesis_note",
        "professional_dossier",
    ]
    assert all(t["group"] == {"id": group["id"], "name": GROUP_A} for t in offered)
    assert {t["language"] for t in offered} == {"fr"}


def test_a_groups_new_template_version_is_offered(cohort_store: JournalStore):
    store = cohort_store
    group = store.group(GROUP_A)
    english = store.find_template("shared-diagnostic-en")
    store.assign_template(group["id"], english["id"], by="helene")
    offered = {t["kind"]: t for t in templates_for(store, viewer_for(store, "camille"))}
    assert offered["shared_diagnostic"]["slug"] == "shared-diagnostic-en"
    # Group B is untouched.
    offered_b = {t["kind"]: t for t in templates_for(store, viewer_for(store, "ines"))}
    assert offered_b["shared_diagnostic"]["slug"] == "shared-diagnostic-fr"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_user_without_group_gets_personal_builtins(cohort_store: JournalStore, language: str):
    offered = templates_for(cohort_store, viewer_for(cohort_store, "zoe"), language)
    assert [t["slug"] for t in offered] == [t.id for t in builtin_templates(language)]
    assert all(t["group"] is None and t["language"] == language for t in offered)


def test_tutor_gets_personal_templates_not_the_groups(cohort_store: JournalStore):
    offered = templates_for(cohort_store, viewer_for(cohort_store, "nadia"))
    assert offered and all(t["group"] is None for t in offered)


# --- creating documents ----------------------------------------------------------


def test_create_from_template_uses_the_templates_visibility(cohort_store: JournalStore):
    store = cohort_store
    journal = create(store, "camille", "learning_journal")
    assert (journal["kind"], journal["visibility"], journal["owner"]) == ("learning_journal", "tutors", "camille")
    assert journal["title"] == "2026-10-05 Entrée du journal d'apprentissage"
    assert journal["metadata"]["journal"]["template"] == "journal-entry-fr"
    assert journal["template_version_id"] == group_template(store, GROUP_A, "learning_journal")["id"]
    diagnostic = create(store, "camille", "shared_diagnostic")
    assert (diagnostic["visibility"], diagnostic["title"]) == ("group", "Diagnostic partagé")
    # A second shared diagnostic in the group gets a distinct title.
    assert create(store, "yanis", "shared_diagnostic")["title"] == "Diagnostic partagé (2)"


def test_personal_document_is_private(cohort_store: JournalStore):
    store = cohort_store
    version = store.find_template("journal-entry-en")
    document = create_from_template(
        store, viewer_for(store, "zoe"), template_version_id=version["id"], group_id=None, today=DAY
    )
    assert (document["visibility"], document["group_id"]) == ("private", None)
    assert document["title"] == "2026-10-05 Learning journal entry"


def test_a_new_document_is_served_with_the_kernels_language_info(cohort_store: JournalStore):
    # The kernel writes its full language_info into a notebook that lacks it,
    # which would mark an untouched journal notebook as modified on opening.
    import platform

    store = cohort_store
    journal = create(store, "camille", "learning_journal")
    assert journal["metadata"]["language_info"] == {"name": "python"}
    info = documents.load_notebook(store, store.document(journal["id"])).metadata["language_info"]
    assert info["version"] == platform.python_version()
    assert (info["name"], info["codemirror_mode"], info["pygments_lexer"]) == (
        "python",
        {"name": "ipython", "version": 3},
        "ipython3",
    )
    # What a kernel wrote, once saved, is served as it is.
    kernel_info = {"name": "python", "version": "3.12.1", "mimetype": "text/x-python"}
    store.save_cells(
        journal["id"],
        store.cells(journal["id"]),
        author="camille",
        base_revision=journal["revision"],
        metadata={**journal["metadata"], "language_info": kernel_info},
    )
    assert documents.load_notebook(store, store.document(journal["id"])).metadata["language_info"] == kernel_info


def test_create_in_a_group_you_are_not_in_is_refused(cohort_store: JournalStore):
    store = cohort_store
    before = store.counts()["documents"]
    with pytest.raises(PermissionDenied, match="not a member of this group"):
        create_from_template(
            store,
            viewer_for(store, "ines"),
            template_version_id=group_template(store, GROUP_A, "learning_journal")["id"],
            group_id=store.group(GROUP_A)["id"],
        )
    assert store.counts()["documents"] == before


def test_create_from_a_template_not_assigned_to_the_group_is_refused(cohort_store: JournalStore):
    store = cohort_store
    other = store.find_template("journal-entry-en")
    with pytest.raises(PermissionDenied, match="not the one assigned to your group"):
        create_from_template(
            store, viewer_for(store, "camille"), template_version_id=other["id"], group_id=store.group(GROUP_A)["id"]
        )
    # The tutor is a member, but the group's templates are offered to its learners.
    with pytest.raises(PermissionDenied):
        create_from_template(
            store,
            viewer_for(store, "nadia"),
            template_version_id=group_template(store, GROUP_A, "shared_diagnostic")["id"],
            group_id=store.group(GROUP_A)["id"],
        )


# --- writing ---------------------------------------------------------------------


def answer_cells(store: JournalStore, document_id: int) -> dict:
    return {c.section_key: c for c in store.cells(document_id) if c.metadata.get("journal", {}).get("role") == "answer"}


def test_two_learners_write_different_sections_of_the_shared_diagnostic(cohort_store: JournalStore):
    store = cohort_store
    diagnostic = create(store, "camille", "shared_diagnostic")
    write_sections(store, viewer_for(store, "camille"), diagnostic, {"commission": "La commande reformulée."})
    result = write_sections(
        store,
        viewer_for(store, "yanis"),
        store.document(diagnostic["id"]),
        {"method": "Observation, entretiens, atelier."},
    )
    assert result.revision == 3 and len(result.changes) == 1
    answers = answer_cells(store, diagnostic["id"])
    assert (answers["commission"].source, answers["commission"].author) == ("La commande reformulée.", "camille")
    assert (answers["method"].source, answers["method"].author) == ("Observation, entretiens, atelier.", "yanis")
    assert answers["territory"].author == "camille"  # untouched: still the creator's
    prompts = [c for c in store.cells(diagnostic["id"]) if c.metadata["journal"].get("role") == "prompt"]
    assert {c.author for c in prompts} == {"camille"}
    history = [(h["cell_id"], h["author"]) for h in store.cell_revisions(diagnostic["id"]) if h["revision"] == 3]
    assert history == [(answers["method"].cell_id, "yanis")]


def test_write_sections_refuses_other_peoples_journals_and_unknown_sections(cohort_store: JournalStore):
    store = cohort_store
    journal = create(store, "camille", "learning_journal")
    with pytest.raises(PermissionDenied):
        write_sections(store, viewer_for(store, "yanis"), journal, {"situation": "Pas mon journal."})
    with pytest.raises(PermissionDenied):
        write_sections(store, viewer_for(store, "nadia"), journal, {"situation": "Réécrit par la tutrice."})
    with pytest.raises(StoreError, match="no section nowhere"):
        write_sections(store, viewer_for(store, "camille"), journal, {"nowhere": "x"})
    assert store.document(journal["id"])["revision"] == 1


# --- where documents appear ------------------------------------------------------


def test_learners_folders(cohort_store: JournalStore):
    store = cohort_store
    journal = create(store, "camille", "learning_journal")
    observation = create(store, "camille", "field_observation")
    diagnostic = create(store, "yanis", "shared_diagnostic")
    paths = {path: d["id"] for path, d in document_paths(store, viewer_for(store, "camille")).items()}
    assert paths == {
        f"Mon journal/{journal['title']}.ipynb": journal["id"],
        f"Terrain/{observation['title']}.ipynb": observation["id"],
        f"{GROUP_A}/Diagnostic partagé.ipynb": diagnostic["id"],
    }
    english = document_paths(store, viewer_for(store, "camille"), "en")
    assert f"My journal/{journal['title']}.ipynb" in english
    assert f"Field notes/{observation['title']}.ipynb" in english


def test_tutor_sees_a_learners_journal_under_group_and_name(cohort_store: JournalStore):
    store = cohort_store
    journal = create(store, "camille", "learning_journal")
    ines = create(store, "ines", "learning_journal", GROUP_B)
    paths = document_paths(store, viewer_for(store, "nadia"))
    assert paths[f"{GROUP_A}/Camille/{journal['title']}.ipynb"]["id"] == journal["id"]
    assert paths[f"{GROUP_B}/Ines/{ines['title']}.ipynb"]["id"] == ines["id"]
    assert documents.document_path(store, viewer_for(store, "nadia"), journal["id"]) == (
        f"{GROUP_A}/Camille/{journal['title']}.ipynb"
    )


def test_a_learner_never_sees_anothers_tutors_only_journal(cohort_store: JournalStore):
    store = cohort_store
    journal = create(store, "camille", "learning_journal")
    assert journal["visibility"] == "tutors"
    for user in ("yanis", "lea", "ines"):
        viewer = viewer_for(store, user)
        assert all(d["id"] != journal["id"] for d in document_paths(store, viewer).values())
        assert documents.document_path(store, viewer, journal["id"]) is None
        with pytest.raises(documents.NotFound, match=f"no document with id {journal['id']}"):
            documents.readable_document(store, viewer, journal["id"])


# --- the demo cohort -------------------------------------------------------------


def test_demo_populate_writes_both_groups_and_is_idempotent(store: JournalStore):
    assert demo.populate(store) is True
    counts = store.counts()
    data = demo.demo_data()
    for group in data["groups"]:
        row = store.group(group["name"])
        docs = store.list_documents(group_ids=[row["id"]])
        assert len(docs) == len(group["documents"]) > 0
        assert {d["kind"] for d in docs} >= {"learning_journal", "shared_diagnostic"}
    # Contributions are signed by their authors.
    diagnostic = next(d for d in store.list_documents(owner="camille") if d["kind"] == "shared_diagnostic")
    authors = {c.section_key: c.author for c in answer_cells(store, diagnostic["id"]).values()}
    assert (authors["commission"], authors["method"], authors["territory"]) == ("camille", "yanis", "lea")
    assert demo.populate(store) is False
    assert store.counts() == counts
    assert demo.user_names(store)[0] == demo.DEFAULT_USER


def test_demo_populate_is_all_or_nothing(store: JournalStore, monkeypatch: pytest.MonkeyPatch):
    real = documents.write_sections
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "write_sections", failing)
    with pytest.raises(KeyboardInterrupt):
        demo.populate(store)
    assert store.list_cohorts() == []
    monkeypatch.setattr(documents, "write_sections", real)
    assert demo.populate(store) is True
    assert sum(len(g["documents"]) for g in demo.demo_data()["groups"]) == store.counts()["documents"]


def test_a_shared_document_names_every_learner_of_its_group_in_its_header(cohort_store: JournalStore):
    from journal_ext.core.documents import create_from_template, templates_for

    camille = viewer_for(cohort_store, "camille")
    offered = next(t for t in templates_for(cohort_store, camille) if t["kind"] == "shared_diagnostic")
    document = create_from_template(
        cohort_store, camille, template_version_id=offered["id"], group_id=offered["group"]["id"]
    )
    header = next(c for c in cohort_store.cells(document["id"]) if c.metadata["journal"].get("role") == "title")
    learners = [m["display_name"] for m in cohort_store.members(document["group_id"]) if m["role"] == "learner"]
    assert len(learners) > 1
    # The group writes it together: the header does not make its creator its only author.
    assert f"Auteur·rices\u00a0: {', '.join(learners)}" in header.source


def test_a_memo_keeps_the_catalogues_used_last_up_to_its_capacity(cohort_store: JournalStore) -> None:
    """The journal service's readers share one memo: the least recently used catalogue goes, not all of them."""
    cohort_store.memo = documents.Memo(2)
    camille, yanis, nadia = (viewer_for(cohort_store, user) for user in ("camille", "yanis", "nadia"))
    first = documents.catalogue(cohort_store, camille)
    documents.catalogue(cohort_store, yanis)
    # Camille's is used again, so Yanis's is the one to go when Nadia's comes in.
    assert documents.catalogue(cohort_store, camille) is first
    documents.catalogue(cohort_store, nadia)
    kept = {key[1].user for key in cohort_store.memo}
    assert kept == {"camille", "nadia"}
    assert documents.catalogue(cohort_store, camille) is first
    # A new document moves the stamp: every kept catalogue is stale, the next call builds a new one.
    entry = create(cohort_store, "camille", "learning_journal")
    assert documents.catalogue(cohort_store, camille) is not first
    assert entry["id"] in {d["id"] for d in documents.catalogue(cohort_store, camille).readable}
