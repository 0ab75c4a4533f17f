"""Users, competence frameworks, cohorts, groups and memberships."""

from __future__ import annotations

import json
from typing import Any

from journal_ext.db.connection import Connection
from journal_ext.db.errors import (
    Conflict,
    NotFound,
    StoreError,
)
from journal_ext.db.rows import ROLES, _clean_name, _storable_id, utcnow
from journal_ext.i18n import phrase, plural_message


class PeopleQueries(Connection):
    """Users, competence frameworks, cohorts, groups and memberships."""

    # -- users ---------------------------------------------------------------

    def ensure_user(self, name: str, display_name: str | None = None) -> dict[str, Any]:
        """Record a user if new (and update the display name when one is given)."""
        name = _clean_name(name, phrase("user name"))
        with self.write() as db:
            existing = self._user(name)
            if existing is None:
                db.execute(
                    "INSERT INTO users (name, display_name, created_at) VALUES (?, ?, ?)",
                    [name, display_name or name, utcnow()],
                )
            elif display_name and display_name != existing["display_name"]:
                db.execute("UPDATE users SET display_name = ? WHERE name = ?", [display_name, name])
        user = self._user(name)
        assert user is not None
        return user

    def _know_user(self, name: str) -> None:
        """Record a user if new, in the caller's write transaction (one statement, unlike ensure_user)."""
        name = _clean_name(name, phrase("user name"))
        self.db.execute(
            "INSERT OR IGNORE INTO users (name, display_name, created_at) VALUES (?, ?, ?)", [name, name, utcnow()]
        )

    def _user(self, name: str) -> dict[str, Any] | None:
        return next(self.db.query("SELECT * FROM users WHERE name = ?", [name]), None)

    def user(self, name: str) -> dict[str, Any]:
        """A user's row; NotFound if unknown."""
        row = self._user(name)
        if row is None:
            raise NotFound("no user named '{name}'", name=name)
        return row

    def display_name(self, name: str) -> str:
        """The name to show for a user (their login when not recorded)."""
        row = self._user(name)
        return row["display_name"] if row else name

    # -- frameworks ----------------------------------------------------------

    def save_framework(self, framework: Any) -> None:
        """Store a competence framework (a ``journal_ext.core.framework.Framework``), replacing its domains and competences."""
        body = framework.to_dict()
        with self.write() as db:
            stored = next(db.query("SELECT body FROM frameworks WHERE id = ?", [framework.id]), None)
            if stored is not None and json.loads(stored["body"]) != body:
                users = [
                    row["name"]
                    for row in db.query("SELECT name FROM cohorts WHERE framework_id = ? ORDER BY id", [framework.id])
                ]
                if users:
                    raise Conflict(
                        plural_message(
                            "the framework '{id}' is used by the cohort {users} and differs from this file;"
                            " give the new framework another id",
                            "the framework '{id}' is used by the cohorts {users} and differs from this file;"
                            " give the new framework another id",
                            "count",
                            id=framework.id,
                            users=", ".join(users),
                            count=len(users),
                        )
                    )
            db.execute(
                """INSERT INTO frameworks (id, version, title_fr, title_en, body, loaded_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET version = excluded.version,
                       title_fr = excluded.title_fr, title_en = excluded.title_en,
                       body = excluded.body, loaded_at = excluded.loaded_at""",
                [
                    framework.id,
                    framework.version,
                    framework.label("fr"),
                    framework.label("en"),
                    json.dumps(body, ensure_ascii=False),
                    utcnow(),
                ],
            )
            db.execute("DELETE FROM competences WHERE framework_id = ?", [framework.id])
            db.execute("DELETE FROM domains WHERE framework_id = ?", [framework.id])
            for d_pos, domain in enumerate(framework.domains):
                db.execute(
                    "INSERT INTO domains (framework_id, code, title_fr, title_en, position) VALUES (?, ?, ?, ?, ?)",
                    [framework.id, domain.code, domain.label("fr"), domain.label("en"), d_pos],
                )
                for c_pos, competence in enumerate(domain.competences):
                    db.execute(
                        "INSERT INTO competences (framework_id, code, domain_code, title_fr,"
                        " title_en, position) VALUES (?, ?, ?, ?, ?, ?)",
                        [
                            framework.id,
                            competence.code,
                            domain.code,
                            competence.label("fr"),
                            competence.label("en"),
                            c_pos,
                        ],
                    )

    def framework_body(self, framework_id: str) -> dict[str, Any]:
        """The stored framework as the dict it was loaded from."""
        row = next(self.db.query("SELECT body FROM frameworks WHERE id = ?", [framework_id]), None)
        if row is None:
            raise NotFound("no competence framework '{framework_id}' in this journal", framework_id=framework_id)
        return dict(json.loads(row["body"]))

    def list_frameworks(self) -> list[dict[str, Any]]:
        """Every stored framework, without bodies."""
        return list(self.db.query("SELECT id, version, title_fr, title_en FROM frameworks ORDER BY id"))

    def domains(self, framework_id: str) -> list[dict[str, Any]]:
        """A framework's domains in order."""
        return list(
            self.db.query(
                "SELECT code, title_fr, title_en FROM domains WHERE framework_id = ? ORDER BY position",
                [framework_id],
            )
        )

    # -- cohorts and groups --------------------------------------------------

    def add_cohort(self, name: str, *, framework_id: str, language: str = "fr") -> dict[str, Any]:
        """Create a cohort (promotion) following a stored framework."""
        name = _clean_name(name, phrase("cohort name"))
        if language not in ("fr", "en"):
            raise StoreError("language must be 'fr' or 'en', got '{language}'", language=language)
        self.framework_body(framework_id)
        with self.write() as db:
            if self._cohort(name) is not None:
                raise Conflict("a cohort named '{name}' already exists", name=name)
            db.execute(
                "INSERT INTO cohorts (name, language, framework_id, created_at) VALUES (?, ?, ?, ?)",
                [name, language, framework_id, utcnow()],
            )
        return self.cohort(name)

    def _cohort(self, name: str) -> dict[str, Any] | None:
        return next(self.db.query("SELECT * FROM cohorts WHERE name = ?", [name]), None)

    def cohort(self, name: str) -> dict[str, Any]:
        """A cohort by name; NotFound if unknown."""
        row = self._cohort(name)
        if row is None:
            known = ", ".join(c["name"] for c in self.list_cohorts()) or "none yet"
            raise NotFound("no cohort named '{name}' (known: {known})", name=name, known=known)
        return row

    def cohort_by_id(self, cohort_id: int) -> dict[str, Any]:
        """A cohort by id."""
        if not _storable_id(cohort_id):
            raise NotFound("no cohort with id {cohort_id}", cohort_id=cohort_id)
        row = next(self.db.query("SELECT * FROM cohorts WHERE id = ?", [cohort_id]), None)
        if row is None:
            raise NotFound("no cohort with id {cohort_id}", cohort_id=cohort_id)
        return row

    def list_cohorts(self) -> list[dict[str, Any]]:
        """Every cohort, oldest first."""
        return list(self.db.query("SELECT * FROM cohorts ORDER BY id"))

    def add_group(self, cohort: str, name: str, *, commission: str = "") -> dict[str, Any]:
        """Create a group in a cohort, answering a negotiated commission (commande)."""
        name = _clean_name(name, phrase("group name"))
        if "/" in name:
            raise StoreError("a group name cannot contain '/': '{name}'", name=name)
        cohort_row = self.cohort(cohort)
        with self.write() as db:
            exists = next(
                db.query(
                    "SELECT id FROM groups WHERE cohort_id = ? AND name = ?",
                    [cohort_row["id"], name],
                ),
                None,
            )
            if exists:
                raise Conflict("cohort '{cohort}' already has a group named '{name}'", cohort=cohort, name=name)
            db.execute(
                "INSERT INTO groups (cohort_id, name, commission, created_at) VALUES (?, ?, ?, ?)",
                [cohort_row["id"], name, commission, utcnow()],
            )
        return self.group(f"{cohort}/{name}")

    def group(self, reference: str) -> dict[str, Any]:
        """A group by 'COHORT/GROUP', or by bare name when that is unambiguous."""
        sql = (
            "SELECT groups.*, cohorts.name AS cohort, cohorts.language AS language,"
            " cohorts.framework_id AS framework_id"
            " FROM groups JOIN cohorts ON cohorts.id = groups.cohort_id"
        )
        if "/" in reference:
            cohort_name, group_name = reference.split("/", 1)
            rows = list(
                self.db.query(
                    sql + " WHERE cohorts.name = ? AND groups.name = ?",
                    [cohort_name.strip(), group_name.strip()],
                )
            )
        else:
            rows = list(self.db.query(sql + " WHERE groups.name = ?", [reference.strip()]))
        if not rows:
            known = ", ".join(f"{g['cohort']}/{g['name']}" for g in self.list_groups())
            raise NotFound("no group '{reference}' (known: {known})", reference=reference, known=known or "none yet")
        if len(rows) > 1:
            options = ", ".join(f"{r['cohort']}/{r['name']}" for r in rows)
            raise StoreError(
                "several cohorts have a group named '{reference}': write COHORT/GROUP ({options})",
                reference=reference,
                options=options,
            )
        return rows[0]

    def group_by_id(self, group_id: int) -> dict[str, Any]:
        """A group by id, with its cohort's name, language and framework."""
        if not _storable_id(group_id):
            raise NotFound("no group with id {group_id}", group_id=group_id)
        row = next(
            self.db.query(
                "SELECT groups.*, cohorts.name AS cohort, cohorts.language AS language,"
                " cohorts.framework_id AS framework_id"
                " FROM groups JOIN cohorts ON cohorts.id = groups.cohort_id WHERE groups.id = ?",
                [group_id],
            ),
            None,
        )
        if row is None:
            raise NotFound("no group with id {group_id}", group_id=group_id)
        return row

    def list_groups(self, cohort: str | None = None) -> list[dict[str, Any]]:
        """Groups, with their cohort names."""
        sql = "SELECT groups.*, cohorts.name AS cohort FROM groups JOIN cohorts ON cohorts.id = groups.cohort_id"
        if cohort is None:
            return list(self.db.query(sql + " ORDER BY groups.id"))
        return list(self.db.query(sql + " WHERE cohorts.id = ? ORDER BY groups.id", [self.cohort(cohort)["id"]]))

    def add_member(self, group: str, user: str, role: str, *, display_name: str | None = None) -> dict[str, Any]:
        """Put a user in a group as learner, tutor or coordinator (changing the role if already there)."""
        if role not in ROLES:
            raise StoreError("role must be one of {roles}; got '{role}'", roles=", ".join(ROLES), role=role)
        group_row = self.group(group)
        user_row = self.ensure_user(user, display_name)
        with self.write() as db:
            db.execute(
                """INSERT INTO memberships (group_id, user, role, added_at) VALUES (?, ?, ?, ?)
                   ON CONFLICT(group_id, user) DO UPDATE SET role = excluded.role""",
                [group_row["id"], user_row["name"], role, utcnow()],
            )
        return {"group": group_row, "user": user_row["name"], "role": role}

    def memberships(self, user: str) -> list[dict[str, Any]]:
        """The groups a user belongs to, with role, cohort, language and framework."""
        return list(
            self.db.query(
                """SELECT memberships.role, groups.id AS group_id, groups.name AS group_name,
                          groups.commission, cohorts.id AS cohort_id, cohorts.name AS cohort,
                          cohorts.language, cohorts.framework_id
                   FROM memberships
                   JOIN groups ON groups.id = memberships.group_id
                   JOIN cohorts ON cohorts.id = groups.cohort_id
                   WHERE memberships.user = ?
                   ORDER BY cohorts.id, groups.id""",
                [user],
            )
        )

    def members(self, group_id: int) -> list[dict[str, Any]]:
        """A group's members with their roles and display names."""
        return list(
            self.db.query(
                """SELECT memberships.user, memberships.role, users.display_name
                   FROM memberships JOIN users ON users.name = memberships.user
                   WHERE memberships.group_id = ? ORDER BY memberships.role, memberships.user""",
                [group_id],
            )
        )
