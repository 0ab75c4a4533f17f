"""The competence passport: passages claimed as evidence of competences, their assessments, self-positioning.

Everything is an appended event (see :meth:`JournalStore.append_evidence_event`):
a learner *claims* a passage of a document they wrote or co-wrote as evidence
of one competence of their cohort's framework, may *withdraw* it, assessors
*assess* it, anyone who may see it *comments*. The current state of a piece of
evidence and a learner's passport are computed from the log, never stored, so
nothing is ever overwritten.

Who may set which assessment state (:data:`ASSESSMENT_RULES`) and who may
claim (:func:`check_claim`) are rules of :mod:`journal_ext.core.permissions`. In a document several learners wrote, a
learner may claim only a passage they wrote themselves: authorship comes from
the cell's revision history, character by character (:func:`authorship`).
Positions count Unicode code points, as annotations do.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from journal_ext.core import anchoring
from journal_ext.core.documents import readable_document
from journal_ext.core.framework import Framework, parse_framework
from journal_ext.core.permissions import (
    ASSESSMENT_RULES,
    CLAIM_SHARE,
    PermissionDenied,
    Viewer,
    assessor_role,
    check_assessment,
    check_claim,
    check_claim_share,
    may_read,
    may_see_evidence,
    may_see_passport,
)
from journal_ext.db import (
    ASSESSMENT_STATES,
    Conflict,
    JournalStore,
    NotFound,
    StoreError,
)
from journal_ext.i18n import Message, phrase

# What each assessor may say. A learner says their own evidence is ready to be
# assessed, never that it meets the competence; a peer and a tutor judge it.
# The tutor's judgement is the one the passport counts.
MAX_JUSTIFICATION = 2000
MAX_COMMENT = 5000
# The statuses of a piece of evidence, from the log: claimed, then ready (the
# learner asks for assessment), then the latest tutor judgement; or withdrawn.
STATUSES = ("claimed", "ready", "not_met", "partially_met", "met", "withdrawn")
LEVELS = (1, 2, 3, 4)


@dataclass
class Evidence:
    """One piece of evidence as the log makes it now."""

    id: int
    learner: str
    document_id: int
    cell_id: str
    competence: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    justification: str
    claimed_at: str
    withdrawn_at: str | None = None
    # One judgement per assessor: the latest they gave.
    judgements: dict[str, dict[str, Any]] = field(default_factory=dict)
    comments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def status(self) -> str:
        """Withdrawn; else the latest tutor judgement; else ready if the learner said so; else claimed."""
        if self.withdrawn_at:
            return "withdrawn"
        tutor = [j for j in self.judgements.values() if j["role"] == "tutor"]
        if tutor:
            latest: str = max(tutor, key=lambda j: j["event"])["state"]
            return latest
        if any(j["role"] == "self" for j in self.judgements.values()):
            return "ready"
        return "claimed"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "learner": self.learner,
            "document_id": self.document_id,
            "cell_id": self.cell_id,
            "competence": self.competence,
            "quote": {"exact": self.exact, "prefix": self.prefix, "suffix": self.suffix},
            "position": {"start": self.start, "end": self.end},
            "justification": self.justification,
            "claimed_at": self.claimed_at,
            "withdrawn_at": self.withdrawn_at,
            "status": self.status,
            "judgements": sorted(self.judgements.values(), key=lambda j: j["event"]),
            "comments": list(self.comments),
        }


def replay(events: Sequence[dict[str, Any]]) -> dict[int, Evidence]:
    """The evidence the log describes, by id, in claim order."""
    evidence: dict[int, Evidence] = {}
    for event in events:
        kind = event["kind"]
        if kind == "claim":
            evidence[event["id"]] = Evidence(
                id=event["id"],
                learner=event["learner"],
                document_id=event["document_id"],
                cell_id=event["cell_id"],
                competence=event["competence"],
                exact=event["exact"],
                prefix=event["prefix"] or "",
                suffix=event["suffix"] or "",
                start=event["position_start"],
                end=event["position_end"],
                justification=event["text"],
                claimed_at=event["at"],
            )
            continue
        item = evidence.get(event["evidence_id"])
        if item is None:
            continue
        if kind == "withdraw":
            item.withdrawn_at = event["at"]
        elif kind == "assess":
            item.judgements[event["actor"]] = {
                "assessor": event["actor"],
                "role": event["role"],
                "state": event["state"],
                "comment": event["text"],
                "at": event["at"],
                "event": event["id"],
            }
        elif kind == "comment":
            item.comments.append({"author": event["actor"], "text": event["text"], "at": event["at"]})
    return evidence


# -- authorship ---------------------------------------------------------------


def authorship(store: JournalStore, document_id: int, cell_id: str) -> tuple[str, list[str]]:
    """A cell's current text and, for each of its code points, who wrote it (from its revisions).

    Each revision's text is compared with the one before: characters it kept
    keep their author, characters it inserted or replaced belong to whoever
    saved that revision.
    """
    text = ""
    authors: list[str] = []
    for row in store.cell_revisions(document_id):
        if row["cell_id"] != cell_id:
            continue
        if row["change"] == "deleted":
            text, authors = "", []
            continue
        new = row["source"]
        if new == text:
            continue
        kept: list[str] = []
        matcher = difflib.SequenceMatcher(a=text, b=new, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                kept.extend(authors[a1:a2])
            elif op in ("replace", "insert"):
                kept.extend([row["author"]] * (b2 - b1))
        text, authors = new, kept
    return text, authors


def share_written_by(authors: Sequence[str], start: int, end: int, user: str) -> float:
    """The part of a passage (code points start to end) the user wrote, from 0 to 1."""
    span = authors[start:end]
    return sum(1 for a in span if a == user) / len(span) if span else 0.0


# -- rules --------------------------------------------------------------------


def cohort_framework(store: JournalStore, document: dict[str, Any]) -> tuple[dict[str, Any], Framework]:
    """The cohort of a group's document and its competence framework."""
    if document.get("group_id") is None:
        raise StoreError(
            "this document belongs to no group, so to no cohort's framework: claim evidence in a document of your group"
        )
    group = store.group_by_id(document["group_id"])
    cohort = store.cohort_by_id(group["cohort_id"])
    return cohort, parse_framework(store.framework_body(cohort["framework_id"]), cohort["framework_id"])


def _text(value: Any, what: Message, limit: int, *, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise StoreError("the {what} must be text", what=what)
    text = value.strip()
    if required and not text:
        raise StoreError("the {what} cannot be empty", what=what)
    if len(text) > limit:
        raise StoreError(
            "the {what} is too long ({length} characters, at most {limit})", what=what, length=len(text), limit=limit
        )
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        raise StoreError("the {what} cannot contain control characters (only line breaks and tabs)", what=what)
    return text


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise StoreError("'{what}' must be a whole number from 0, got {value}", what=what, value=repr(value))
    return value


# -- actions ------------------------------------------------------------------


def claim(
    store: JournalStore,
    viewer: Viewer,
    document_id: int,
    *,
    cell_id: str,
    start: int,
    end: int,
    exact: str,
    competence: str,
    justification: str = "",
) -> dict[str, Any]:
    """Claim a passage of a document one wrote or co-wrote as evidence of a competence of one's cohort."""
    start, end = _whole(start, "start"), _whole(end, "end")
    if not isinstance(cell_id, str):
        raise StoreError("'cell_id' must be the id of a cell of the notebook, got {cell_id}", cell_id=repr(cell_id))
    justification = _text(justification, phrase("justification"), MAX_JUSTIFICATION, required=False)
    with store.write():
        document = readable_document(store, viewer, document_id)
        check_claim(viewer, document)
        _cohort, framework = cohort_framework(store, document)
        if not isinstance(competence, str) or competence not in {c.code for c in framework.competences()}:
            codes = ", ".join(c.code for c in framework.competences())
            raise StoreError(
                "'{competence}' is not a competence of your cohort's framework; one of {codes}",
                competence=competence,
                codes=codes,
            )
        text, authors = authorship(store, document_id, cell_id)
        if cell_id not in {c.cell_id for c in store.cells(document_id)}:
            raise NotFound(
                "document {document_id} has no cell '{cell_id}' (save the notebook first?)",
                document_id=document_id,
                cell_id=cell_id,
            )
        length = len(text)
        if not start < end <= length:
            raise StoreError(
                "the passage must lie inside the cell's saved text (0 to {length}), got {start} to {end}",
                length=length,
                start=start,
                end=end,
            )
        if text[start:end] != exact:
            raise StoreError(
                "the passage no longer matches the saved text of the cell: save the notebook and select it again"
            )
        check_claim_share(share_written_by(authors, start, end, viewer.user))
        for item in replay(store.evidence_events(learner=viewer.user)).values():
            if (
                item.status != "withdrawn"
                and (item.cell_id, item.start, item.end, item.competence) == (cell_id, start, end, competence)
                and item.document_id == document_id
            ):
                raise Conflict(
                    "you already claimed this passage for {competence} (evidence {id})",
                    competence=competence,
                    id=item.id,
                )
        quote = anchoring.describe(text, start, end).quote
        event = store.append_evidence_event(
            "claim",
            viewer.user,
            learner=viewer.user,
            document_id=document_id,
            cell_id=cell_id,
            competence=competence,
            exact=exact,
            prefix=quote.prefix,
            suffix=quote.suffix,
            position_start=start,
            position_end=end,
            text=justification,
        )
        return replay([event])[event["id"]].to_dict()


def _evidence(store: JournalStore, viewer: Viewer, evidence_id: int) -> tuple[Evidence, dict[str, Any]]:
    """A piece of evidence the viewer may see, with its document; hidden ones look missing."""
    missing = NotFound("no evidence with id {evidence_id}", evidence_id=evidence_id)
    events = store.evidence_events(evidence_id=evidence_id)
    item = replay(events).get(evidence_id)
    if item is None:
        raise missing
    document = store.document(item.document_id)
    if not may_see_evidence(viewer, item.learner, document):
        raise missing
    return item, document


def withdraw(store: JournalStore, viewer: Viewer, evidence_id: int) -> dict[str, Any]:
    """The learner takes back their claim; the log keeps it."""
    with store.write():
        item, _ = _evidence(store, viewer, evidence_id)
        if viewer.user != item.learner:
            raise PermissionDenied("only the learner who claimed this evidence can withdraw it")
        if item.withdrawn_at:
            raise Conflict("evidence {evidence_id} is already withdrawn", evidence_id=evidence_id)
        store.append_evidence_event("withdraw", viewer.user, evidence_id=evidence_id)
        return get(store, viewer, evidence_id)


def assess(store: JournalStore, viewer: Viewer, evidence_id: int, state: str, comment: str = "") -> dict[str, Any]:
    """Give (or change) one's judgement on a piece of evidence, as the rules allow one's role."""
    comment = _text(comment, phrase("comment"), MAX_COMMENT, required=False)
    with store.write():
        item, document = _evidence(store, viewer, evidence_id)
        if state not in ASSESSMENT_STATES:
            raise StoreError(
                "the state must be one of {states}; got {state}",
                states=", ".join(ASSESSMENT_STATES),
                state=repr(state),
            )
        role = check_assessment(viewer, item.learner, document, state)
        if item.withdrawn_at:
            raise Conflict(
                "evidence {evidence_id} was withdrawn by its learner: there is nothing to assess",
                evidence_id=evidence_id,
            )
        store.append_evidence_event(
            "assess", viewer.user, evidence_id=evidence_id, role=role, state=state, text=comment
        )
        return get(store, viewer, evidence_id)


def comment(store: JournalStore, viewer: Viewer, evidence_id: int, text: str) -> dict[str, Any]:
    """Add a comment to a piece of evidence one may see."""
    text = _text(text, phrase("comment"), MAX_COMMENT, required=True)
    with store.write():
        _evidence(store, viewer, evidence_id)
        store.append_evidence_event("comment", viewer.user, evidence_id=evidence_id, text=text)
        return get(store, viewer, evidence_id)


def actions(viewer: Viewer, item: Evidence, document: dict[str, Any]) -> dict[str, Any]:
    """What the viewer may do with this evidence: assess as whom and to which states, withdraw, comment.

    ``mine`` is the viewer's own current judgement (state and comment), or
    None; a learner is offered "ready" only while nothing was asked yet.
    """
    role = assessor_role(viewer, item.learner, document) if not item.withdrawn_at else None
    states = list(ASSESSMENT_RULES[role]) if role else []
    if role == "self" and item.status != "claimed":
        states = []
    own = item.judgements.get(viewer.user)
    return {
        "assess_as": role,
        "states": states,
        "mine": {"state": own["state"], "comment": own["comment"]} if own else None,
        "withdraw": viewer.user == item.learner and not item.withdrawn_at,
        "comment": True,
    }


def get(store: JournalStore, viewer: Viewer, evidence_id: int) -> dict[str, Any]:
    """One piece of evidence as the viewer may see it, with what they may do with it."""
    item, document = _evidence(store, viewer, evidence_id)
    return {**item.to_dict(), "actions": actions(viewer, item, document)}


def position_self(
    store: JournalStore,
    viewer: Viewer,
    ratings: dict[str, int],
    *,
    day: dt.date | None = None,
    note: str = "",
) -> list[dict[str, Any]]:
    """Record the learner's rating of themselves (1 to 4) for competences of their cohort, on a day."""
    cohorts = {m.cohort_id for m in viewer.memberships if m.role == "learner"}
    if not cohorts:
        raise PermissionDenied("self-positioning is for learners of a cohort")
    if not isinstance(ratings, dict) or not ratings:
        raise StoreError("rate at least one competence (a mapping of competence code to a level from 1 to 4)")
    cohort_id = min(cohorts)
    cohort = store.cohort_by_id(cohort_id)
    framework = parse_framework(store.framework_body(cohort["framework_id"]), cohort["framework_id"])
    codes = {c.code for c in framework.competences()}
    for code, level in ratings.items():
        if code not in codes:
            raise StoreError("'{code_name}' is not a competence of your cohort's framework", code_name=code)
        if isinstance(level, bool) or level not in LEVELS:
            raise StoreError(
                "the level of {code_name} must be 1, 2, 3 or 4; got {level}", code_name=code, level=repr(level)
            )
    note = _text(note, phrase("note"), MAX_COMMENT, required=False)
    return store.append_self_positioning(
        viewer.user, cohort_id, dict(ratings), (day or dt.date.today()).isoformat(), note
    )


# -- the passport ---------------------------------------------------------------


def visible_passports(store: JournalStore, viewer: Viewer) -> list[dict[str, Any]]:
    """The learners whose passport the viewer may see: themselves, their groups' learners (tutors), their cohorts' (coordinators)."""
    seen: dict[str, dict[str, Any]] = {}
    groups = {m.group_id for m in viewer.memberships if m.role == "tutor"}
    cohorts = {m.cohort_id for m in viewer.memberships if m.role == "coordinator"}
    if any(m.role == "learner" for m in viewer.memberships):
        groups_of_mine = [m for m in viewer.memberships if m.role == "learner"]
        seen[viewer.user] = {"learner": viewer.user, "group": groups_of_mine[0].group_name}
    for group in store.list_groups():
        if group["id"] not in groups and group["cohort_id"] not in cohorts:
            continue
        for member in store.members(group["id"]):
            if member["role"] == "learner":
                seen.setdefault(member["user"], {"learner": member["user"], "group": group["name"]})
    listed = [{**entry, "name": store.display_name(entry["learner"])} for entry in seen.values()]
    return sorted(listed, key=lambda e: (e["learner"] != viewer.user, e["group"], e["name"]))


def passport(store: JournalStore, viewer: Viewer, learner: str, language: str = "fr") -> dict[str, Any]:
    """A learner's passport: per domain and competence, the evidence, its states, and self-positioning over time."""
    memberships = [m for m in store.memberships(learner) if m["role"] == "learner"]
    if not memberships or not may_see_passport(viewer, learner, memberships):
        raise NotFound("no passport for '{learner}' that you may see", learner=learner)
    cohort = store.cohort_by_id(memberships[0]["cohort_id"])
    framework = parse_framework(store.framework_body(cohort["framework_id"]), cohort["framework_id"])
    evidence = [e for e in replay(store.evidence_events(learner=learner)).values() if e.status != "withdrawn"]
    documents: dict[int, dict[str, Any]] = {}
    names: dict[str, str] = {}

    def name_of(user: str) -> str:
        if user not in names:
            names[user] = store.display_name(user)
        return names[user]

    def shown(item: Evidence) -> dict[str, Any]:
        if item.document_id not in documents:
            documents[item.document_id] = store.document(item.document_id)
        document = documents[item.document_id]
        entry = item.to_dict()
        # People by the names the exports print, not by their logins.
        entry["judgements"] = [{**j, "assessor_name": name_of(j["assessor"])} for j in entry["judgements"]]
        entry["comments"] = [{**c, "author_name": name_of(c["author"])} for c in entry["comments"]]
        entry["actions"] = actions(viewer, item, document)
        entry["document_title"] = document["title"]
        if not may_read(viewer, document):
            # Counted in the passport, but the passage itself stays with those who may read it.
            entry["quote"] = None
            entry["document_title"] = None
            # Why, so a printed passport can say it plainly: who may read the document the passage is in.
            entry["withheld"] = {"kind": document["kind"], "visibility": document["visibility"]}
        return entry

    ratings = store.self_positionings(learner, cohort["id"])
    domains: list[dict[str, Any]] = []
    for domain in framework.domains:
        competences: list[dict[str, Any]] = []
        for competence in domain.competences:
            items = [shown(e) for e in evidence if e.competence == competence.code]
            states = {status: 0 for status in STATUSES if status != "withdrawn"}
            for item in items:
                states[item["status"]] += 1
            competences.append(
                {
                    "code": competence.code,
                    "title": competence.label(language),
                    "evidence": items,
                    "states": states,
                    "met": states["met"] > 0,
                    "self_positioning": [
                        {"day": r["day"], "level": r["level"]} for r in ratings if r["competence"] == competence.code
                    ],
                }
            )
        domains.append(
            {
                "code": domain.code,
                "title": domain.label(language),
                "competences": competences,
                "evidence_count": sum(len(c["evidence"]) for c in competences),
                "competences_met": sum(1 for c in competences if c["met"]),
                "competences_total": len(competences),
            }
        )
    return {
        "learner": learner,
        "learner_name": store.display_name(learner),
        "cohort": cohort["name"],
        "framework": framework.id,
        "domains": domains,
    }


# -- group and cohort overviews ----------------------------------------------------

# From the best word said on a piece of evidence to none: a learner's status for a
# competence in an overview is the best of their standing evidence for it.
BEST_FIRST = tuple(reversed([status for status in STATUSES if status != "withdrawn"]))
OVERVIEW_SCOPES = ("group", "cohort")


def overviews_for(store: JournalStore, viewer: Viewer) -> list[dict[str, Any]]:
    """The overviews the viewer may open: their cohorts (coordinators), then the groups they tutor or coordinate."""
    tutored = {m.group_id for m in viewer.memberships if m.role == "tutor"}
    coordinated = {m.cohort_id for m in viewer.memberships if m.role == "coordinator"}
    found: list[dict[str, Any]] = []
    for cohort_id in sorted(coordinated):
        cohort = store.cohort_by_id(cohort_id)
        found.append({"scope": "cohort", "id": cohort_id, "name": cohort["name"], "cohort": cohort["name"]})
    for group in store.list_groups():
        if group["id"] in tutored or group["cohort_id"] in coordinated:
            found.append({"scope": "group", "id": group["id"], "name": group["name"], "cohort": group["cohort"]})
    return found


def overview(store: JournalStore, viewer: Viewer, scope: str, scope_id: int, language: str = "fr") -> dict[str, Any]:
    """A group's or a cohort's passports side by side: per learner and competence, the best status and the count.

    Tutors open their groups', coordinators their cohorts' and the groups in
    them; to anyone else the overview looks missing. Only counts and states
    are shown, never a passage.
    """
    if scope not in OVERVIEW_SCOPES:
        raise StoreError("an overview is of a group or a cohort, not {scope}", scope=repr(scope))
    missing = (
        NotFound("no group overview with id {scope_id} that you may open", scope_id=scope_id)
        if scope == "group"
        else NotFound("no cohort overview with id {scope_id} that you may open", scope_id=scope_id)
    )
    try:
        if scope == "group":
            group = store.group_by_id(scope_id)
            cohort = store.cohort_by_id(group["cohort_id"])
            allowed = "tutor" in viewer.roles_in_group(group["id"]) or viewer.coordinates_cohort(cohort["id"])
            groups = [group]
            name = group["name"]
        else:
            cohort = store.cohort_by_id(scope_id)
            allowed = viewer.coordinates_cohort(cohort["id"])
            groups = store.list_groups(cohort["name"])
            name = cohort["name"]
    except NotFound:
        raise missing from None
    if not allowed:
        raise missing
    framework = parse_framework(store.framework_body(cohort["framework_id"]), cohort["framework_id"])
    codes = [c.code for d in framework.domains for c in d.competences]
    learners = []
    for group in groups:
        for member in store.members(group["id"]):
            if member["role"] != "learner":
                continue
            standing = [
                e
                for e in replay(store.evidence_events(learner=member["user"])).values()
                if e.status != "withdrawn" and e.competence in codes
            ]
            per_competence = {}
            for code in codes:
                statuses = [e.status for e in standing if e.competence == code]
                best = next((s for s in BEST_FIRST if s in statuses), None)
                per_competence[code] = {"status": best, "evidence": len(statuses)}
            learners.append(
                {
                    "learner": member["user"],
                    "name": store.display_name(member["user"]),
                    "group": group["name"],
                    "competences": per_competence,
                    "competences_met": sum(1 for c in per_competence.values() if c["status"] == "met"),
                    "competences_total": len(codes),
                    "evidence_count": len(standing),
                }
            )
    learners.sort(key=lambda entry: (entry["group"], entry["name"]))
    domains = [
        {
            "code": domain.code,
            "title": domain.label(language),
            "competences": [
                {
                    "code": competence.code,
                    "title": competence.label(language),
                    "learners_met": sum(
                        1 for entry in learners if entry["competences"][competence.code]["status"] == "met"
                    ),
                    "learners_with_evidence": sum(
                        1 for entry in learners if entry["competences"][competence.code]["evidence"]
                    ),
                    "evidence_count": sum(entry["competences"][competence.code]["evidence"] for entry in learners),
                }
                for competence in domain.competences
            ],
        }
        for domain in framework.domains
    ]
    return {
        "scope": scope,
        "id": scope_id,
        "name": name,
        "cohort": cohort["name"],
        "framework": framework.id,
        "learner_count": len(learners),
        "domains": domains,
        "learners": learners,
    }


__all__ = [
    "ASSESSMENT_RULES",
    "CLAIM_SHARE",
    "Evidence",
    "assess",
    "assessor_role",
    "authorship",
    "claim",
    "comment",
    "get",
    "overview",
    "overviews_for",
    "passport",
    "position_self",
    "replay",
    "withdraw",
]
