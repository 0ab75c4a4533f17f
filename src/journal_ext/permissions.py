"""Who may see, write and create what: the one place these rules live.

Every read path (listing, opening, API, later search, annotations and exports)
asks :func:`may_read`; every write path asks :func:`may_write` or
:func:`may_create`. Roles and memberships come from the store, never from the
client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .store import JournalStore

# Kinds written together by a group; the others are personal.
SHARED_KINDS = frozenset({"shared_diagnostic", "synthesis_note", "professional_dossier"})


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


def may_create(viewer: Viewer, group_id: int | None) -> bool:
    """Whether the viewer may create a document in a group (None: a personal document).

    Documents of a group are written by its learners; tutors and coordinators
    keep personal documents only.
    """
    if group_id is None:
        return True
    return "learner" in viewer.roles_in_group(group_id)
