"""GET /journal/api/domains: the competence domains of the user's framework, in the journal's language."""

from __future__ import annotations

from .conftest import fetch_json

# Every server test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True


async def test_domains_are_the_cohort_frameworks_in_french(jp_fetch):
    response = await jp_fetch("journal", "api", "domains")
    assert response.code == 200
    answer = await fetch_json(jp_fetch, "journal", "api", "domains")
    assert answer["framework"] == "ccb-isdcp"
    assert [d["code"] for d in answer["domains"]] == ["DC1", "DC2", "DC3", "DC4"]
    assert answer["domains"][0] == {
        "code": "DC1",
        "title": "Concevoir des dispositifs d'observation et de production de connaissances",
    }
