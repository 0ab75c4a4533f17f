"""Documents as people meet them: templates offered, creation, shared writing, folders, the demo."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from journal_ext.core import demo, documents
from journal_ext.core.documents import (
    create_from_template,
    document_paths,
    templates_for,
    write_sections,
)
from journal_ext.core.permissions import PermissionDenied, Viewer, viewer_for
from journal_ext.core.templates import builtin_templates
from journal_ext.db import VISIBILITIES, JournalStore, StoreError

from .conftest import COHORT, GROUP_A, GROUP_B

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
    # Her new document moves her own stamp: her kept catalogue is stale, the next call builds a new one.
    entry = create(cohort_store, "camille", "learning_journal")
    assert documents.catalogue(cohort_store, camille) is not first
    assert entry["id"] in {d["id"] for d in documents.catalogue(cohort_store, camille).readable}


def test_threads_sharing_a_memo_build_a_missing_catalogue_once(cohort_store: JournalStore, monkeypatch) -> None:
    """The service's readers share a memo: ten requests of one tutor arriving together list their documents once."""
    built: list[str] = []
    listing = documents.visible_documents

    def slow_listing(store: JournalStore, viewer: Viewer) -> list:
        built.append(viewer.user)
        # Long enough for every thread to arrive while the first one lists.
        time.sleep(0.2)
        return listing(store, viewer)

    monkeypatch.setattr(documents, "visible_documents", slow_listing)
    shared = documents.Memo(8)
    stores = [JournalStore(cohort_store.path, check_same_thread=False) for _ in range(6)]
    for store in stores:
        store.memo = shared
    start = threading.Barrier(len(stores))

    def search_as_nadia(store: JournalStore) -> documents.Catalogue:
        viewer = viewer_for(store, "nadia")
        start.wait()
        return documents.catalogue(store, viewer)

    try:
        with ThreadPoolExecutor(len(stores)) as pool:
            kept = list(pool.map(search_as_nadia, stores))
        assert built == ["nadia"]
        assert all(catalogue is kept[0] for catalogue in kept)
        # A change she may see makes the next callers wait for one new listing again.
        create(cohort_store, "camille", "shared_diagnostic")
        with ThreadPoolExecutor(len(stores)) as pool:
            again = list(pool.map(search_as_nadia, stores))
        assert built == ["nadia", "nadia"]
        assert all(catalogue is again[0] and catalogue is not kept[0] for catalogue in again)
        assert not shared._builders
    finally:
        for store in stores:
            store.close()


# --- kept catalogues: who rebuilds when something changes ---------------------------


def readable_ids(store: JournalStore, user: str) -> set[int]:
    return {d["id"] for d in documents.catalogue(store, viewer_for(store, user)).readable}


@pytest.fixture
def scoped_store(cohort_store: JournalStore) -> JournalStore:
    """The test cohort with a tutor and a coordinator who are in group B only."""
    cohort_store.add_member(f"{COHORT}/{GROUP_B}", "sofiane", "tutor", display_name="Sofiane")
    cohort_store.add_member(f"{COHORT}/{GROUP_B}", "odile", "coordinator", display_name="Odile")
    return cohort_store


def test_a_new_entry_in_one_group_leaves_the_other_groups_their_kept_catalogues(scoped_store: JournalStore):
    """Only those who may read a new document rebuild their catalogue: it does not move every viewer's."""
    store = scoped_store
    everyone = ("sofiane", "ines", "odile", "helene", "nadia", "yanis")
    kept = {user: documents.catalogue(store, viewer_for(store, user)) for user in everyone}
    # A journal entry read by the group's tutors only: the tutors rebuild, no one else.
    journal = create(store, "camille", "learning_journal")
    assert journal["visibility"] == "tutors"
    for user in ("sofiane", "ines", "odile", "helene", "yanis"):
        assert documents.catalogue(store, viewer_for(store, user)) is kept[user]
    assert documents.catalogue(store, viewer_for(store, "nadia")) is not kept["nadia"]
    assert journal["id"] in readable_ids(store, "nadia")
    kept["nadia"] = documents.catalogue(store, viewer_for(store, "nadia"))
    # One shared with the group.
    entry = create_from_template(
        store,
        viewer_for(store, "camille"),
        template_version_id=group_template(store, GROUP_A, "learning_journal")["id"],
        group_id=store.group(GROUP_A)["id"],
        visibility="group",
        today=DAY,
    )
    # Group B's tutor and learners may not read it: they keep what they had.
    for user in ("sofiane", "ines"):
        assert documents.catalogue(store, viewer_for(store, user)) is kept[user]
    # Group A's tutor and co-learners, and the cohort's coordinators (Odile is in group B only), may.
    for user in ("nadia", "odile", "helene", "yanis"):
        assert documents.catalogue(store, viewer_for(store, user)) is not kept[user]
    for user in ("nadia", "yanis", "odile", "camille"):
        assert entry["id"] in readable_ids(store, user)
    # Kept only for the tutors: the co-learners' and the coordinator's catalogues follow, without it.
    store.set_visibility(entry["id"], "tutors")
    assert documents.catalogue(store, viewer_for(store, "sofiane")) is kept["sofiane"]
    assert entry["id"] in readable_ids(store, "nadia")
    assert entry["id"] not in readable_ids(store, "yanis") | readable_ids(store, "odile")


def test_a_document_shared_with_the_cohort_comes_and_goes_in_the_other_groups(scoped_store: JournalStore):
    """Sharing with the cohort moves the cohort's stamp, and so does un-sharing: no stale listing either way."""
    store = scoped_store
    camille = viewer_for(store, "camille")
    diagnostic = create(store, "camille", "shared_diagnostic")
    journal = create(store, "yanis", "learning_journal")
    assert diagnostic["visibility"] == "group"
    before = {user: documents.catalogue(store, viewer_for(store, user)) for user in ("ines", "sofiane")}
    assert all(diagnostic["id"] not in {d["id"] for d in c.readable} for c in before.values())
    documents.set_visibility(store, camille, diagnostic, "cohort")
    path = f"{GROUP_A}/Diagnostic partagé.ipynb"
    for user in ("ines", "sofiane"):
        shared = documents.catalogue(store, viewer_for(store, user))
        assert diagnostic["id"] in {d["id"] for d in shared.readable}
        assert shared.paths[path]["id"] == diagnostic["id"]
        before[user] = shared
    # While it is shared, changes that group B may not see leave their catalogues be.
    documents.rename_document(store, viewer_for(store, "yanis"), journal, "Retour de visite")
    for user in ("ines", "sofiane"):
        assert documents.catalogue(store, viewer_for(store, user)) is before[user]
    # Back to the group alone: it leaves group B's listings at once.
    documents.set_visibility(store, camille, store.document(diagnostic["id"]), "group")
    for user in ("ines", "sofiane"):
        again = documents.catalogue(store, viewer_for(store, user))
        assert again is not before[user]
        assert diagnostic["id"] not in {d["id"] for d in again.readable} and path not in again.paths
    # A coordinator of the cohort still reads it (shared with its group).
    assert diagnostic["id"] in readable_ids(store, "odile")


def test_display_names_and_memberships_still_make_every_catalogue_rebuild(scoped_store: JournalStore):
    """A display name is a folder name and a membership decides who sees what: every kept catalogue goes."""
    store = scoped_store
    entry = create(store, "ines", "learning_journal", GROUP_B)
    everyone = ("camille", "ines", "nadia", "sofiane", "odile", "helene")
    kept = {user: documents.catalogue(store, viewer_for(store, user)) for user in everyone}
    store.ensure_user("ines", "Inès Moreau")
    for user in everyone:
        assert documents.catalogue(store, viewer_for(store, user)) is not kept[user]
    paths = documents.catalogue(store, viewer_for(store, "sofiane")).paths
    assert paths[f"{GROUP_B}/Inès Moreau/{entry['title']}.ipynb"]["id"] == entry["id"]
    kept = {user: documents.catalogue(store, viewer_for(store, user)) for user in everyone}
    store.add_member(f"{COHORT}/{GROUP_A}", "paul", "learner", display_name="Paul")
    for user in everyone:
        assert documents.catalogue(store, viewer_for(store, user)) is not kept[user]


def test_the_trash_follows_in_the_owners_catalogue_and_no_one_elses(scoped_store: JournalStore):
    """Moving a personal document to the trash changes its owner's catalogue, and only theirs."""
    store = scoped_store
    tutor = viewer_for(store, "nadia")
    personal = documents.create_in_folder(store, tutor, "Mon journal", "fr")
    assert personal["group_id"] is None
    kept = {user: documents.catalogue(store, viewer_for(store, user)) for user in ("camille", "sofiane", "helene")}
    assert personal["id"] in readable_ids(store, "nadia")
    documents.move_to_trash(store, tutor, personal)
    mine = documents.catalogue(store, tutor)
    assert personal["id"] not in {d["id"] for d in mine.readable}
    assert mine.paths[f"Corbeille/{personal['title']}.ipynb"]["id"] == personal["id"]
    for user, catalogue in kept.items():
        assert documents.catalogue(store, viewer_for(store, user)) is catalogue
    documents.take_out_of_trash(store, tutor, store.document(personal["id"]))
    assert f"Corbeille/{personal['title']}.ipynb" not in documents.catalogue(store, tutor).paths
    assert personal["id"] in readable_ids(store, "nadia")


def test_a_group_added_while_a_catalogue_is_built_is_in_the_next_one(
    scoped_store: JournalStore, monkeypatch: pytest.MonkeyPatch
):
    """The catalogue stamp is read before the viewer's scopes are worked out: a group added meanwhile is not missed."""
    store = scoped_store
    odile = viewer_for(store, "odile")
    real = documents.listing_scopes

    def meanwhile(store: JournalStore, viewer: Viewer) -> tuple[str, ...]:
        scopes = real(store, viewer)
        # Another server adds a group to the cohort Odile coordinates, just after her scopes were worked out.
        monkeypatch.setattr(documents, "listing_scopes", real)
        store.add_group(COHORT, "Groupe Friche")
        store.add_member(f"{COHORT}/Groupe Friche", "zoe", "learner", display_name="Zoé")
        return scopes

    monkeypatch.setattr(documents, "listing_scopes", meanwhile)
    documents.catalogue(store, odile)
    entry = store.create_document(
        kind="field_observation",
        title="Marché du dimanche",
        owner="zoe",
        group_id=store.group(f"{COHORT}/Groupe Friche")["id"],
        visibility="group",
        template_version_id=None,
        cells=[],
    )
    assert entry["id"] in {d["id"] for d in documents.catalogue(store, odile).readable}


# The people of the property test below: learners, tutors and coordinators of one group or of
# several, in one cohort or two, and someone in no group.
PEOPLE = (
    "camille", "yanis", "lea", "ines", "thomas", "maelle",
    "nadia", "helene", "sofiane", "odile", "zoe", "paul", "solo",
)  # fmt: skip
TITLES = ("Notes", "Visite", "Retour", "Notes (2)")


def as_listed(readable: list[dict], paths: dict[str, dict]) -> tuple[list[int], dict[str, tuple]]:
    """What a catalogue shows a person: the ids they may read, and what each path shows."""
    shown = ("id", "title", "owner", "group_id", "visibility", "deleted_at")
    return [d["id"] for d in readable], {path: tuple(d[k] for k in shown) for path, d in paths.items()}


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_a_kept_catalogue_is_never_stale(scoped_store: JournalStore, seed: int):
    """Whatever people do, each person's catalogue equals what a fresh listing says, and is often kept."""
    store = scoped_store
    chance = random.Random(seed)
    # A group that the cohort's first coordinator is not in, a second cohort, someone in no group.
    store.add_group(COHORT, "Groupe Friche")
    store.add_member(f"{COHORT}/Groupe Friche", "zoe", "learner", display_name="Zoé")
    store.add_member(f"{COHORT}/Groupe Friche", "sofiane", "tutor")
    store.add_cohort("Promotion bis", framework_id=store.cohort(COHORT)["framework_id"])
    store.add_group("Promotion bis", "Groupe Rive")
    for user, role in (("ines", "learner"), ("paul", "learner"), ("nadia", "tutor")):
        store.add_member("Promotion bis/Groupe Rive", user, role, display_name=user.title())
    store.ensure_user("solo", "Solo")

    def create() -> None:
        owner = chance.choice(PEOPLE)
        groups = [m.group_id for m in viewer_for(store, owner).memberships if m.role == "learner"]
        store.create_document(
            kind=chance.choice(("learning_journal", "field_observation", "shared_diagnostic")),
            title=chance.choice(TITLES),
            owner=owner,
            group_id=chance.choice([None, *groups]),
            visibility=chance.choice(VISIBILITIES),
            template_version_id=None,
            cells=[],
        )

    def some_document() -> dict | None:
        ids = [row[0] for row in store.db.execute("SELECT id FROM documents")]
        return store.document(chance.choice(ids)) if ids else None

    def change_a_document() -> None:
        document = some_document()
        if document is None:
            return
        what = chance.choice(("rename", "trash", "visibility", "visibility"))
        if what == "rename":
            store.rename_document(document["id"], chance.choice(TITLES))
        elif what == "trash":
            store.set_trashed(document["id"], by=None if document["deleted_at"] else document["owner"])
        else:
            store.set_visibility(document["id"], chance.choice(VISIBILITIES))

    def save_text() -> None:
        document = some_document()
        if document is not None:
            store.save_cells(document["id"], store.cells(document["id"]), author=document["owner"])

    def join() -> None:
        group = chance.choice(store.list_groups())
        role = chance.choice(("learner", "learner", "tutor", "coordinator"))
        store.add_member(f"{group['cohort']}/{group['name']}", chance.choice(PEOPLE), role)

    def rename_a_person() -> None:
        store.ensure_user(chance.choice(PEOPLE), chance.choice(("Camille", "Yanis", "Zoé", "Paul")))

    def add_a_group() -> None:
        store.add_group(COHORT, f"Groupe {len(store.list_groups(COHORT)) + 1}")

    actions = [create] * 6 + [change_a_document] * 8 + [save_text] * 2 + [join, rename_a_person, add_a_group]
    last: dict[str, documents.Catalogue] = {}
    kept = 0
    for _ in range(60):
        chance.choice(actions)()
        for user in PEOPLE:
            viewer = viewer_for(store, user)
            catalogue = documents.catalogue(store, viewer)
            readable = documents.visible_documents(store, viewer)
            fresh = as_listed(readable, document_paths(store, viewer, "fr", readable))
            assert as_listed(catalogue.readable, catalogue.paths) == fresh, user
            kept += catalogue is last.get(user)
            last[user] = catalogue
    # Most catalogues outlive most actions, or this test would not try the kept ones.
    assert kept > 60 * len(PEOPLE) // 3
