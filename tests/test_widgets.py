"""The notebook widgets: self-positioning writes ratings to the journal; the passport shows what the journal holds."""

from __future__ import annotations

import datetime as dt

import pytest

from journal_ext.core import demo, passport
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore, StoreError
from journal_ext.kernel.widgets import (
    Passport,
    PassportOverview,
    SelfPositioning,
    current_user,
)

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def demo_store(store: JournalStore) -> JournalStore:
    demo.populate(store)
    return store


def test_self_positioning_starts_from_the_latest_ratings_and_appends_new_ones(demo_store: JournalStore):
    form = SelfPositioning(store=demo_store, user="camille", day=dt.date(2027, 1, 10))
    # Every competence of the cohort's framework, prefilled with Camille's latest rating.
    assert len(form.levels) == 20
    assert form.levels["DC1.1"].value == 3 and form.levels["DC2.2"].value == 0
    assert form.levels["DC1.1"].tooltip.startswith("Réaliser des analyses contextualisées")

    form.levels["DC1.1"].value = 4
    form.levels["DC2.2"].value = 1
    form.note.value = "Après le premier atelier."
    form.save_button.click()
    assert "Enregistré\u00a0: 7 compétences, le 10 janvier 2027." in form.message.value
    rows = demo_store.self_positionings("camille")
    assert [r["level"] for r in rows if r["competence"] == "DC1.1"] == [2, 3, 4]
    assert {r["note"] for r in rows if r["day"] == "2027-01-10"} == {"Après le premier atelier."}
    # Nothing overwritten: the earlier ratings are all still there.
    assert len(rows) == 6 + 6 + 7


def test_self_positioning_says_what_is_missing_and_who_may_use_it(demo_store: JournalStore):
    form = SelfPositioning(store=demo_store, user="lea")
    assert form.save() == []
    assert "Choisissez un niveau" in form.message.value
    assert demo_store.self_positionings("lea") == []
    with pytest.raises(StoreError, match="nadia is no learner of any cohort"):
        SelfPositioning(store=demo_store, user="nadia")


def test_the_passport_widget_shows_and_refreshes(demo_store: JournalStore):
    shown = Passport("camille", store=demo_store, user="nadia")
    assert bytes(shown.image.value).startswith(PNG)
    assert "Camille Martin" in shown.summary.value
    assert "1 compétence atteinte sur 5\u202f; 3 preuves" in shown.summary.value
    # The tutor assesses the evidence that was only ready: the widget shows it once refreshed.
    store = demo_store
    nadia = viewer_for(store, "nadia")
    ready = next(
        e for d in shown.data["domains"] for c in d["competences"] for e in c["evidence"] if e["status"] == "ready"
    )
    passport.assess(store, nadia, ready["id"], "met")
    shown.refresh_button.click()
    assert "2 compétences atteintes sur 5\u202f; 3 preuves" in shown.summary.value


def test_the_passport_widget_refuses_those_who_may_not_see_it(demo_store: JournalStore):
    refused = Passport("camille", store=demo_store, user="yanis")
    # The refusal reads in the widget's language.
    assert "aucun passeport de «\u00a0camille\u00a0» que vous puissiez consulter" in refused.summary.value
    assert bytes(refused.image.value) == b""


def test_the_widgets_know_who_writes_from_the_server(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setenv("JOURNAL_EXT_USER", "camille")
    assert current_user() == "camille"
    monkeypatch.setenv("JUPYTERHUB_USER", "yanis")
    assert current_user() == "yanis"


def test_the_overview_widget_shows_a_group_and_a_cohort_to_those_who_follow_them(demo_store: JournalStore):
    cohort = demo_store.list_cohorts()[0]["name"]
    group = PassportOverview(group=f"{cohort}/Groupe Maurepas", store=demo_store, user="nadia")
    assert bytes(group.image.value).startswith(PNG)
    assert "Groupe Maurepas — 3 apprenant·es" in group.summary.value
    assert (
        "<strong>Camille Martin</strong> (Groupe Maurepas)\u00a0: 1 compétence atteinte sur 20\u202f; 3 preuves"
        in group.summary.value
    )
    # Camille's ready evidence is judged met: refreshed, the overview counts it.
    ready = next(
        e for e in passport.replay(demo_store.evidence_events(learner="camille")).values() if e.status == "ready"
    )
    passport.assess(demo_store, viewer_for(demo_store, "nadia"), ready.id, "met")
    group.refresh_button.click()
    assert "Camille Martin</strong> (Groupe Maurepas)\u00a0: 2 compétences atteintes" in group.summary.value

    whole = PassportOverview(cohort=cohort, store=demo_store, user="helene", language="en")
    assert f"{cohort} — 6 learners" in whole.summary.value
    refused = PassportOverview(cohort=cohort, store=demo_store, user="nadia")
    assert "aucune vue d&#x27;ensemble de promotion" in refused.summary.value and bytes(refused.image.value) == b""
    both = PassportOverview(store=demo_store, user="nadia")
    assert "Donnez un groupe" in both.summary.value
