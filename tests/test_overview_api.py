"""Group and cohort overviews of the passport through the REST API, as the tutor of both groups."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal_ext.core import passport
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore

from .conftest import COHORT, GROUP_A, GROUP_B, fetch_json
from .test_handlers import expect_error
from .test_passport import claim_of, journal_entry

# Every server test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True


@pytest.fixture
def journal_user() -> str:
    return "nadia"


@pytest.fixture
def journal_db(tmp_path: Path) -> Path:
    from .conftest import build_cohort

    path = tmp_path / "server-journal.db"
    with JournalStore(path) as store:
        build_cohort(store)
        claimed = claim_of(store, "camille", journal_entry(store), "les habitantes ont pris la parole", "DC1.1")
        passport.assess(store, viewer_for(store, "nadia"), claimed["id"], "partially_met", "Précisez.")
    return path


async def test_the_tutor_is_offered_and_opens_her_groups_overviews(jp_fetch):
    listed = await fetch_json(jp_fetch, "journal", "api", "passports")
    offered = [(o["scope"], o["name"], o["cohort"]) for o in listed["overviews"]]
    assert offered == [("group", GROUP_A, COHORT), ("group", GROUP_B, COHORT)]
    group_id = listed["overviews"][0]["id"]
    shown = await fetch_json(jp_fetch, "journal", "api", "overviews", "group", str(group_id))
    camille = next(entry for entry in shown["learners"] if entry["learner"] == "camille")
    assert camille["competences"]["DC1.1"] == {"status": "partially_met", "evidence": 1}
    chart = await jp_fetch("journal", "api", "overviews", "group", str(group_id), "chart", params={"lang": "en"})
    assert chart.headers["Content-Type"].startswith("image/svg+xml")
    assert b"Overview" in chart.body


async def test_an_overview_she_may_not_open_looks_missing(jp_fetch):
    listed = await fetch_json(jp_fetch, "journal", "api", "passports")
    cohort_id = listed["overviews"][0]["id"]  # any id: she coordinates no cohort
    message = await expect_error(jp_fetch, 404, "journal", "api", "overviews", "cohort", str(cohort_id))
    assert message == f"no cohort overview with id {cohort_id} that you may open"
    message = await expect_error(
        jp_fetch, 400, "journal", "api", "overviews", "group", "1", "chart", params={"lang": "de"}
    )
    assert "'lang' must be fr or en" in message
