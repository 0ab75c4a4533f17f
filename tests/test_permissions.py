"""Who may read, write and create what: every role against every visibility."""

from __future__ import annotations

import pytest

from journal_ext.core.documents import ensure_initialised
from journal_ext.core.framework import default_framework
from journal_ext.core.permissions import (
    Viewer,
    may_create,
    may_read,
    may_write,
    viewer_for,
)
from journal_ext.db import VISIBILITIES, JournalStore

COHORT = "Promotion 2026"
OTHER_COHORT = "Promotion 2027"

# Who is who: the documents below belong to camille, learner of group A.
MEMBERS = [
    (f"{COHORT}/A", "camille", "learner"),
    (f"{COHORT}/A", "yanis", "learner"),
    (f"{COHORT}/B", "ines", "learner"),
    (f"{COHORT}/A", "nadia", "tutor"),
    (f"{COHORT}/B", "bruno", "tutor"),
    (f"{COHORT}/B", "helene", "coordinator"),  # coordinates the whole cohort from group B
    (f"{OTHER_COHORT}/A", "otto", "coordinator"),
]
ROLES = {
    "camille": "owner learner",
    "yanis": "other learner, same group",
    "ines": "learner, other group",
    "nadia": "tutor of the group",
    "bruno": "tutor of another group",
    "helene": "coordinator of the cohort",
    "otto": "coordinator of another cohort",
    "stranger": "no membership",
}

# visibility order: private, tutors, group, cohort
READ = {
    "camille": (1, 1, 1, 1),
    "yanis": (0, 0, 1, 1),
    "ines": (0, 0, 0, 1),
    "nadia": (0, 1, 1, 1),
    "bruno": (0, 0, 0, 1),
    "helene": (0, 0, 1, 1),
    "otto": (0, 0, 0, 0),
    "stranger": (0, 0, 0, 0),
}
# Personal documents (learning journal): only the owner writes.
WRITE_JOURNAL = {user: (1, 1, 1, 1) if user == "camille" else (0, 0, 0, 0) for user in ROLES}
# The group's shared diagnostic: its learners write it once it is shared with the group.
WRITE_SHARED = {
    **dict.fromkeys(ROLES, (0, 0, 0, 0)),
    "camille": (1, 1, 1, 1),
    "yanis": (0, 0, 1, 1),
}
CREATE_IN_GROUP_A = {
    "camille": True,
    "yanis": True,
    "ines": False,
    "nadia": False,
    "bruno": False,
    "helene": False,
    "otto": False,
    "stranger": False,
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    """A store with two cohorts, the members above, and camille's documents in every visibility."""
    with JournalStore(tmp_path_factory.mktemp("permissions") / "journal.db") as store:
        ensure_initialised(store)
        for cohort in (COHORT, OTHER_COHORT):
            store.add_cohort(cohort, framework_id=default_framework().id)
            store.add_group(cohort, "A")
        store.add_group(COHORT, "B")
        for group, user, role in MEMBERS:
            store.add_member(group, user, role)
        group_a = store.group(f"{COHORT}/A")["id"]
        documents = {}
        for kind in ("learning_journal", "shared_diagnostic"):
            for visibility in VISIBILITIES:
                row = store.create_document(
                    kind=kind,
                    title=f"{kind} {visibility}",
                    owner="camille",
                    group_id=group_a,
                    visibility=visibility,
                    template_version_id=None,
                    cells=[],
                )
                documents[kind, visibility] = store.document(row["id"])
        viewers = {user: viewer_for(store, user) for user in ROLES}
        yield {"documents": documents, "viewers": viewers, "group_a": group_a, "store": store}


def table(expected: dict[str, tuple[int, ...]]) -> list:
    return [
        pytest.param(user, visibility, bool(row[i]), id=f"{ROLES[user]}-{visibility}")
        for user, row in expected.items()
        for i, visibility in enumerate(VISIBILITIES)
    ]


@pytest.mark.parametrize("kind", ["learning_journal", "shared_diagnostic"])
@pytest.mark.parametrize(("user", "visibility", "allowed"), table(READ))
def test_may_read(world, kind, user, visibility, allowed):
    assert may_read(world["viewers"][user], world["documents"][kind, visibility]) is allowed


@pytest.mark.parametrize(("user", "visibility", "allowed"), table(WRITE_JOURNAL))
def test_may_write_a_learning_journal(world, user, visibility, allowed):
    assert may_write(world["viewers"][user], world["documents"]["learning_journal", visibility]) is allowed


@pytest.mark.parametrize(("user", "visibility", "allowed"), table(WRITE_SHARED))
def test_may_write_a_shared_diagnostic(world, user, visibility, allowed):
    assert may_write(world["viewers"][user], world["documents"]["shared_diagnostic", visibility]) is allowed


@pytest.mark.parametrize(("user", "allowed"), CREATE_IN_GROUP_A.items(), ids=[ROLES[u] for u in CREATE_IN_GROUP_A])
def test_may_create(world, user, allowed):
    viewer = world["viewers"][user]
    assert may_create(viewer, world["group_a"]) is allowed
    assert may_create(viewer, None) is True  # a personal document


def test_tutors_never_write_learners_documents(world):
    nadia = world["viewers"]["nadia"]
    for document in world["documents"].values():
        assert may_read(nadia, document) is (document["visibility"] != "private")
        assert may_write(nadia, document) is False


def test_learner_writes_the_shared_diagnostic_but_not_anothers_journal(world):
    yanis = world["viewers"]["yanis"]
    docs = world["documents"]
    assert may_write(yanis, docs["shared_diagnostic", "group"]) is True
    assert may_write(yanis, docs["learning_journal", "group"]) is False
    assert may_read(yanis, docs["learning_journal", "group"]) is True


def test_personal_documents_outside_groups_stay_with_their_owner(world):
    personal = {
        "owner": "camille",
        "kind": "learning_journal",
        "visibility": "cohort",
        "group_id": None,
        "cohort_id": None,
    }
    for user, viewer in world["viewers"].items():
        assert may_read(viewer, personal) is (user == "camille")
        assert may_write(viewer, personal) is (user == "camille")


def test_viewer_for_reads_roles_from_the_store(world):
    helene = world["viewers"]["helene"]
    assert helene.roles == ["coordinator"]
    assert [(m.group_name, m.cohort, m.role) for m in helene.memberships] == [("B", COHORT, "coordinator")]
    assert world["viewers"]["stranger"] == Viewer(user="stranger", memberships=())
    store = world["store"]
    assert helene.coordinates_cohort(store.cohort(COHORT)["id"])
    assert not helene.coordinates_cohort(store.cohort(OTHER_COHORT)["id"])
