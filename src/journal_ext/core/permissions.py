"""Who may see, write and create what: the one place these rules live.

Every read path (listing, opening, API, later search, annotations and exports)
asks :func:`may_read`; every write path asks :func:`may_write` or
:func:`may_create`. Annotations add their audience on top of the document's
readers (:func:`may_read_annotation`) and say who writes in the margins
(:func:`may_annotate`, :func:`may_reply`, :func:`may_resolve`). Roles and
memberships come from the store, never from the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journal_ext.db import JournalStore

# Kinds written together by a group; the others are personal.
SHARED_KINDS = frozenset({"shared_diagnostic", "synthesis_note", "professional_dossier"})
# Who may read a shared document: never fewer than its group.
SHARED_VISIBILITIES = ("group", "cohort")


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


def viewer_for(store: JournalStore, user: str) -> Viewer:
    """Build the viewer for a user from the store's memberships."""
    return Viewer(
        user=user,
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


def narrowing_refusal(kind: str, group_id: int | None, visibility: str) -> str | None:
    """Why a document of this kind may not be read by only ``visibility``; None when it may.

    A group's shared documents (shared diagnostic, synthesis note, dossier)
    belong to all its co-writers: no one, their creator included, can hide
    one from the others; they can open it to the cohort.
    """
    if kind in SHARED_KINDS and group_id is not None and visibility not in SHARED_VISIBILITIES:
        return (
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
    audience = annotation["audience"]
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
        author == viewer.user
        and not document.get("deleted_at")
        and may_read_annotation(viewer, document, annotation)
    )
