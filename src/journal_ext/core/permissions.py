"""Who may see, write and create what: the one place these rules live.

Every read path (listing, opening, API, later search, annotations and exports)
asks :func:`may_read`; every write path asks :func:`may_write` or
:func:`may_create`. Annotations add their audience on top of the document's
readers (:func:`may_read_annotation`) and say who writes in the margins
(:func:`may_annotate`, :func:`may_reply`, :func:`may_resolve`). Only a
document's owner manages it (:func:`may_manage`); a group's shared documents
never become narrower than the group (:func:`narrowing_refusal`); tutors
comment and don't rewrite learners' text (:func:`may_write`,
:func:`check_writable`). Competence evidence: who claims
(:func:`check_claim`, :func:`check_claim_share`), who judges and to which
states (:data:`ASSESSMENT_RULES`, :func:`check_assessment`), who sees a piece
of evidence or a passport (:func:`may_see_evidence`, :func:`may_see_passport`).
A refusal is :class:`PermissionDenied`, with a reason a person understands.
Roles and memberships come from the store, never from the client.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from journal_ext.db import JournalStore, StoreError
from journal_ext.i18n import Message, message, phrase

# Kinds written together by a group; the others are personal.
SHARED_KINDS = frozenset({"shared_diagnostic", "synthesis_note", "professional_dossier"})
# Who may read a shared document: never fewer than its group.
SHARED_VISIBILITIES = ("group", "cohort")

# What a reader who may not write is refused, unless the caller names another action.
CHANGE_ITS_TEXT = phrase("change its text")


@dataclass(frozen=True)
class Membership:
    """One group a user belongs to, and as what."""

    group_id: int
    group_name: str
    cohort_id: int
    cohort: str
    role: str


@dataclass(frozen=True)
class Viewer:
    """The current user with their memberships, as the permission rules see them."""

    user: str
    memberships: tuple[Membership, ...]
    # A platform administrator (a hub admin, as the hub says; or whoever owns the database file).
    admin: bool = False

    def roles_in_group(self, group_id: int | None) -> set[str]:
        """The roles the user holds in one group."""
        return {m.role for m in self.memberships if m.group_id == group_id}

    def coordinates_cohort(self, cohort_id: int | None) -> bool:
        """True when the user is a coordinator in some group of the cohort."""
        return any(m.role == "coordinator" and m.cohort_id == cohort_id for m in self.memberships)

    def in_cohort(self, cohort_id: int | None) -> bool:
        """True when the user belongs to any group of the cohort."""
        return any(m.cohort_id == cohort_id for m in self.memberships)

    @property
    def roles(self) -> list[str]:
        """Every role the user holds somewhere, in the order learner, tutor, coordinator."""
        held = {m.role for m in self.memberships}
        return [r for r in ("learner", "tutor", "coordinator") if r in held]


def viewer_for(store: JournalStore, user: str, *, admin: bool = False) -> Viewer:
    """Build the viewer for a user from the store's memberships."""
    return Viewer(
        user=user,
        admin=admin,
        memberships=tuple(
            Membership(
                group_id=row["group_id"],
                group_name=row["group_name"],
                cohort_id=row["cohort_id"],
                cohort=row["cohort"],
                role=row["role"],
            )
            for row in store.memberships(user)
        ),
    )


def may_read(viewer: Viewer, document: dict[str, Any]) -> bool:
    """Whether the viewer may see a document (its title included)."""
    if document["owner"] == viewer.user:
        return True
    if document.get("deleted_at"):
        # A document in the trash is its owner's alone.
        return False
    visibility = document["visibility"]
    group_id = document.get("group_id")
    cohort_id = document.get("cohort_id")
    if visibility == "private" or group_id is None:
        return False
    roles = viewer.roles_in_group(group_id)
    if visibility == "tutors":
        # A learning journal shared with tutors is for the group's tutors alone,
        # not for coordinators running the cohort.
        return "tutor" in roles
    if visibility == "group":
        return bool(roles) or viewer.coordinates_cohort(cohort_id)
    if visibility == "cohort":
        return viewer.in_cohort(cohort_id)
    return False


def may_write(viewer: Viewer, document: dict[str, Any]) -> bool:
    """Whether the viewer may save new text into a document.

    The owner always may; the learners of the group may write the group's
    shared documents. Tutors read and annotate, they do not overwrite
    learners' text.
    """
    if document["owner"] == viewer.user:
        return True
    if not may_read(viewer, document):
        return False
    return (
        document["kind"] in SHARED_KINDS
        and document["visibility"] in ("group", "cohort")
        and "learner" in viewer.roles_in_group(document.get("group_id"))
    )


def narrowing_refusal(kind: str, group_id: int | None, visibility: str) -> Message | None:
    """Why a document of this kind may not be read by only ``visibility``; None when it may.

    A group's shared documents (shared diagnostic, synthesis note, dossier)
    belong to all its co-writers: no one, their creator included, can hide
    one from the others; they can open it to the cohort.
    """
    if kind in SHARED_KINDS and group_id is not None and visibility not in SHARED_VISIBILITIES:
        return message(
            "a group's shared document stays readable by the whole group, who write it together:"
            " it can be read by the group ('group') or by the whole cohort ('cohort'), not by fewer people"
        )
    return None


def may_create(viewer: Viewer, group_id: int | None) -> bool:
    """Whether the viewer may create a document in a group (None: a personal document).

    Documents of a group are written by its learners; tutors and coordinators
    keep personal documents only.
    """
    if group_id is None:
        return True
    return "learner" in viewer.roles_in_group(group_id)


# -- annotations ----------------------------------------------------------------
#
# Who annotates: the tutors of the document's group comment, question and
# assess; the learners who may read the document (its owner among them) ask
# questions. Everyone who annotates may reply. Coordinators, and tutors of
# other groups, read what is addressed to everyone who reads the document,
# and do not write in the margins.
#
# Who reads an annotation (always among those who may read the document):
#
# - audience "learner": the document's owner (for a group's shared document,
#   the group's learners), the author, the group's tutors;
# - audience "group": everyone who may read the document;
# - audience "tutors": the group's tutors and the author, and never the
#   document's owner nor a learner of the group, whatever else they are.
#
# Replies are read by whoever reads the annotation they answer.

TUTOR_MOTIVATIONS = ("commenting", "questioning", "assessing")
LEARNER_MOTIVATIONS = ("questioning",)
TUTOR_AUDIENCES = ("learner", "group", "tutors")
LEARNER_AUDIENCES = ("learner", "group")


def annotator_role(viewer: Viewer, document: dict[str, Any]) -> str | None:
    """As whom the viewer writes in a document's margins: 'tutor', 'learner', or None (they don't)."""
    if not may_read(viewer, document) or document.get("deleted_at"):
        return None
    roles = viewer.roles_in_group(document.get("group_id"))
    if "tutor" in roles:
        return "tutor"
    if document["owner"] == viewer.user:
        return "learner"
    if any(m.role == "learner" and m.cohort_id == document.get("cohort_id") for m in viewer.memberships):
        return "learner"
    return None


def annotation_motivations(viewer: Viewer, document: dict[str, Any]) -> tuple[str, ...]:
    """The motivations the viewer may give a new annotation on the document (none: they may not annotate)."""
    role = annotator_role(viewer, document)
    return TUTOR_MOTIVATIONS if role == "tutor" else LEARNER_MOTIVATIONS if role == "learner" else ()


def annotation_audiences(viewer: Viewer, document: dict[str, Any]) -> tuple[str, ...]:
    """The audiences the viewer may address an annotation on the document to."""
    role = annotator_role(viewer, document)
    return TUTOR_AUDIENCES if role == "tutor" else LEARNER_AUDIENCES if role == "learner" else ()


def may_annotate(viewer: Viewer, document: dict[str, Any], motivation: str) -> bool:
    """Whether the viewer may annotate a passage of the document with this motivation."""
    return motivation in annotation_motivations(viewer, document)


def may_read_annotation(viewer: Viewer, document: dict[str, Any], annotation: dict[str, Any]) -> bool:
    """Whether the viewer may see an annotation (and its replies) on a document."""
    if not may_read(viewer, document):
        return False
    roles = viewer.roles_in_group(document.get("group_id"))
    audience: str = annotation["audience"]
    if audience == "tutors":
        # Tutors' notes among themselves: a learner never sees one, by any path.
        if "learner" in roles or document["owner"] == viewer.user:
            return False
        return "tutor" in roles or annotation["author"] == viewer.user
    if annotation["author"] == viewer.user or "tutor" in roles:
        return True
    if audience == "learner":
        if document["owner"] == viewer.user:
            return True
        return document["kind"] in SHARED_KINDS and "learner" in roles
    return audience == "group"


def may_reply(viewer: Viewer, document: dict[str, Any], annotation: dict[str, Any]) -> bool:
    """Whether the viewer may reply in an annotation's thread: those who annotate and see it."""
    return annotator_role(viewer, document) is not None and may_read_annotation(viewer, document, annotation)


def may_resolve(viewer: Viewer, document: dict[str, Any], annotation: dict[str, Any]) -> bool:
    """Whether the viewer may mark an annotation resolved or reopen it.

    Its author, the tutors of the group, and whoever writes the document (its
    owner; for a group's shared document, the learners who co-write it): the
    people the annotation concerns, as long as they see it.
    """
    if document.get("deleted_at") or not may_read_annotation(viewer, document, annotation):
        return False
    return (
        annotation["author"] == viewer.user
        or "tutor" in viewer.roles_in_group(document.get("group_id"))
        or may_write(viewer, document)
    )


def may_change_own(viewer: Viewer, document: dict[str, Any], annotation: dict[str, Any], author: str) -> bool:
    """Whether the viewer may edit or delete something they wrote (an annotation or a reply in its thread)."""
    return (
        author == viewer.user and not document.get("deleted_at") and may_read_annotation(viewer, document, annotation)
    )


# -- documents: who manages and writes them ------------------------------------


class PermissionDenied(StoreError):
    """The user may not do this; the message says why."""


def may_manage(viewer: Viewer, document: dict[str, Any]) -> bool:
    """Whether the viewer may rename a document or move it to the trash: its owner only."""
    return bool(document["owner"] == viewer.user)


def is_writable(viewer: Viewer, document: dict[str, Any]) -> bool:
    """Whether the viewer may save into the document now (see :func:`check_writable` for the reasons)."""
    return may_write(viewer, document) and not document.get("deleted_at")


def check_writable(viewer: Viewer, document: dict[str, Any], doing: Message = CHANGE_ITS_TEXT) -> None:
    """Refuse, with a reason a person understands, when the viewer may not write the document now."""
    if not may_write(viewer, document):
        raise PermissionDenied(
            "you can read this document but not {doing}: only the people who write it can (tutors"
            " comment, they don't rewrite learners' writing)",
            doing=doing,
        )
    if document.get("deleted_at"):
        raise PermissionDenied("this document is in the trash: move it back out before you {doing}", doing=doing)


# -- competence evidence and passports -------------------------------------------

# Who may set which assessment state on a piece of evidence, by how they judge it.
ASSESSMENT_RULES: dict[str, tuple[str, ...]] = {
    "self": ("ready",),
    "peer": ("not_met", "partially_met", "met"),
    "tutor": ("not_met", "partially_met", "met"),
}
# A claimed passage must be at least this much the claimant's own writing.
CLAIM_SHARE = 0.8


def assessor_role(viewer: Viewer, learner: str, document: dict[str, Any]) -> str | None:
    """As whom the viewer would assess this evidence: self, peer, tutor, or None (may not)."""
    if viewer.user == learner:
        return "self"
    roles = viewer.roles_in_group(document.get("group_id"))
    if "tutor" in roles:
        return "tutor"
    if "learner" in roles:
        return "peer"
    return None


def check_assessment(viewer: Viewer, learner: str, document: dict[str, Any], state: str) -> str:
    """As whom the viewer assesses the learner's evidence in ``state``; PermissionDenied saying why not."""
    role = assessor_role(viewer, learner, document)
    if role is None:
        raise PermissionDenied("only the learner, their peers and the group's tutors assess evidence")
    if state not in ASSESSMENT_RULES[role]:
        allowed = ", ".join(ASSESSMENT_RULES[role])
        raise PermissionDenied("as {role}, you may set {allowed}; not {state}", role=role, allowed=allowed, state=state)
    return role


def check_claim(viewer: Viewer, document: dict[str, Any]) -> None:
    """A learner claims evidence only in documents they write, as a learner of their group."""
    if not may_write(viewer, document) or "learner" not in viewer.roles_in_group(document.get("group_id")):
        raise PermissionDenied(
            "you can claim evidence only in documents you wrote or co-wrote as a learner of their group"
        )


def check_claim_share(share: float) -> None:
    """In a co-written document, a learner claims only a passage that is mostly their own writing."""
    if share < CLAIM_SHARE:
        raise PermissionDenied(
            "you wrote {share} % of this passage; you can claim only passages you wrote (at least {least} %)",
            code="claim_share_too_low",
            share=round(share * 100),
            least=round(CLAIM_SHARE * 100),
        )


def may_see_evidence(viewer: Viewer, learner: str, document: dict[str, Any]) -> bool:
    """The learner, the group's tutors and peers who may read the passage's document; coordinators of the cohort."""
    if viewer.user == learner:
        return True
    roles = viewer.roles_in_group(document.get("group_id"))
    if "tutor" in roles:
        return True
    if viewer.coordinates_cohort(document.get("cohort_id")):
        return True
    # A peer of the group sees (and may assess) evidence in documents they may read.
    return "learner" in roles and may_read(viewer, document)


def may_see_passport(viewer: Viewer, learner: str, learner_memberships: Sequence[Any]) -> bool:
    """The learner, tutors of a group where they learn, coordinators of their cohort."""
    if viewer.user == learner:
        return True
    for membership in learner_memberships:
        if membership["role"] != "learner":
            continue
        if "tutor" in viewer.roles_in_group(membership["group_id"]):
            return True
        if viewer.coordinates_cohort(membership["cohort_id"]):
            return True
    return False


def may_administer(viewer: Viewer, cohort_id: int | None) -> bool:
    """Whether the viewer may change a cohort's groups, members and templates (``None``: create a cohort).

    A coordinator of that cohort may; a platform administrator may anywhere,
    and alone may create cohorts.
    """
    if viewer.admin:
        return True
    return cohort_id is not None and viewer.coordinates_cohort(cohort_id)


def check_administer(viewer: Viewer, cohort_id: int | None, doing: Message) -> None:
    """Refuse with the reason when the viewer may not administer the cohort."""
    if may_administer(viewer, cohort_id):
        return
    if cohort_id is None:
        raise PermissionDenied("only a platform administrator can {doing}", doing=doing)
    raise PermissionDenied("only a coordinator of this cohort or a platform administrator can {doing}", doing=doing)
