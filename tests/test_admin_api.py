"""Cohorts, groups, members and templates through the REST API: a coordinator of the cohort, nobody else.

Real Jupyter servers on one journal file, one per person (embedded mode);
the same handlers answer in the journal service (tests/test_hub.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journal_ext.core import administration
from journal_ext.core.permissions import PermissionDenied, Viewer, viewer_for
from journal_ext.db import JournalStore

from .conftest import COHORT, GROUP_A, build_cohort
from .servers import servers


@pytest.fixture
def cohort_db(tmp_path: Path) -> Path:
    path = tmp_path / "journal.db"
    with JournalStore(path) as store:
        build_cohort(store)
    return path


def test_the_coordinator_administers_her_cohort_and_learners_and_tutors_do_not(tmp_path: Path, cohort_db: Path):
    with servers(tmp_path, cohort_db, ["helene", "camille", "nadia"]) as by_user:
        helene, camille, nadia = by_user["helene"], by_user["camille"], by_user["nadia"]

        for server in (camille, nadia):
            status, refused, _ = server.request(
                "POST", "journal/api/members", {"group": GROUP_A, "user": server.user, "role": "coordinator"}
            )
            assert status == 403, refused
            # In French, the servers' language when the client names none.
            assert "seul·e un·e coordinateur·rice de cette promotion" in refused["message"]
            assert server.request("POST", "journal/api/groups", {"cohort": COHORT, "name": "Groupe C"})[0] == 403
            assert server.request("GET", "journal/api/groups")[1] == {"groups": []}
        assert camille.request("GET", "journal/api/me")[1]["roles"] == ["learner"]

        status, added, _ = helene.request(
            "POST",
            "journal/api/members",
            {"group": GROUP_A, "user": "ines2", "role": "learner", "display_name": "Inès"},
        )
        assert status == 200, added
        status, group, headers = helene.request("POST", "journal/api/groups", {"cohort": COHORT, "name": "Groupe C"})
        assert status == 201, group
        assert group["templates_assigned"] > 0
        assert headers["Location"].endswith("/journal/api/groups")
        status, assigned, _ = helene.request(
            "POST", "journal/api/group-templates", {"group": "Groupe C", "template": "journal-entry-fr"}
        )
        assert status == 200, assigned
        assert assigned["template"]["slug"] == "journal-entry-fr"
        status, listed, _ = helene.request("GET", "journal/api/groups")
        members = {m["user"] for g in listed["groups"] if g["name"] == GROUP_A for m in g["members"]}
        assert "ines2" in members
        # A new cohort is a platform administrator's to create.
        status, refused, _ = helene.request("POST", "journal/api/cohorts", {"name": "Promotion 2028"})
        assert status == 403
        assert "seul·e un·e administrateur·rice de la plateforme" in refused["message"]
        status, bad, _ = helene.request("POST", "journal/api/members", {"group": GROUP_A, "user": "x", "role": "chef"})
        assert status == 400 and "le rôle doit être l'une de ces valeurs" in bad["message"]


def test_whoever_owns_the_file_administers_it(cohort_db: Path):
    with JournalStore(cohort_db) as store:
        owner = Viewer(user="root", memberships=(), admin=True)
        cohort = administration.create_cohort(store, owner, "Promotion 2028")
        assert cohort["name"] == "Promotion 2028"
        with pytest.raises(PermissionDenied):
            administration.create_cohort(store, viewer_for(store, "helene"), "Promotion 2029")
        with pytest.raises(PermissionDenied):
            administration.create_group(store, viewer_for(store, "helene"), "Promotion 2028", "Groupe Z")
        group, assigned = administration.create_group(store, owner, "Promotion 2028", "Groupe Z")
        assert group["cohort"] == "Promotion 2028"
        assert assigned > 0
