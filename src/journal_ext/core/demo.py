"""The demo cohort behind ``journal-ext demo``: two groups, a tutor, a coordinator and real-looking writing."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import yaml

from journal_ext.core import documents, passport
from journal_ext.core.framework import default_framework
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore

DEFAULT_USER = "camille"


def demo_data() -> dict[str, Any]:
    """The demo cohort description shipped with the package."""
    text = resources.files("journal_ext.core").joinpath("demo_cohort.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


def user_names(store: JournalStore) -> list[str]:
    """The demo's user names (learners first)."""
    return list(demo_data()["people"])


def populate(store: JournalStore) -> bool:
    """Create the demo cohort in a journal; returns False when it is already there."""
    data = demo_data()
    cohort = data["cohort"]
    # One transaction: an interrupted run leaves no half-built cohort that a
    # second run would then take for the finished demo.
    with store.write():
        if any(c["name"] == cohort["name"] for c in store.list_cohorts()):
            return False
        documents.ensure_initialised(store)
        for user, display_name in data["people"].items():
            store.ensure_user(user, display_name)
        store.add_cohort(cohort["name"], framework_id=default_framework().id, language=cohort["language"])
        for group in data["groups"]:
            row = store.add_group(cohort["name"], group["name"], commission=group["commission"])
            documents.assign_builtin_templates(store, row["id"], cohort["language"])
            for user, role in group["members"].items():
                store.add_member(f"{cohort['name']}/{group['name']}", user, role)
            for entry in group["documents"]:
                _write_document(store, row["id"], entry)
        for claim in data.get("evidence", []):
            _claim_evidence(store, claim)
        for rating in data.get("self_positioning", []):
            day = rating["day"] if isinstance(rating["day"], dt.date) else dt.date.fromisoformat(rating["day"])
            passport.position_self(store, viewer_for(store, rating["learner"]), rating["ratings"], day=day)
    return True


def _claim_evidence(store: JournalStore, claim: dict[str, Any]) -> None:
    """Claim a passage of a demo document as the learner, then record the judgements on it."""
    wanted = claim["document"]
    document = next(d for d in store.list_documents(owner=wanted["owner"]) if d["kind"] == wanted["kind"])
    cell = next(
        c for c in store.cells(document["id"]) if c.section_key == claim["section"] and claim["passage"] in c.source
    )
    start = cell.source.index(claim["passage"])
    claimed = passport.claim(
        store,
        viewer_for(store, claim["learner"]),
        document["id"],
        cell_id=cell.cell_id,
        start=start,
        end=start + len(claim["passage"]),
        exact=claim["passage"],
        competence=claim["competence"],
        justification=claim.get("justification", ""),
    )
    for judgement in claim.get("assessments", []):
        passport.assess(
            store,
            viewer_for(store, judgement["by"]),
            claimed["id"],
            judgement["state"],
            judgement.get("comment", ""),
        )


def _write_document(store: JournalStore, group_id: int, entry: dict[str, Any]) -> None:
    owner = viewer_for(store, entry["owner"])
    version = next(v for v in store.group_templates(group_id) if v["kind"] == entry["kind"])
    day = entry["date"] if isinstance(entry["date"], dt.date) else dt.date.fromisoformat(entry["date"])
    document = documents.create_from_template(
        store, owner, template_version_id=version["id"], group_id=group_id, today=day
    )
    documents.write_sections(store, owner, document, entry["sections"])
    for contribution in entry.get("contributions", []):
        author = viewer_for(store, contribution["author"])
        documents.write_sections(store, author, store.document(document["id"]), contribution["sections"])
