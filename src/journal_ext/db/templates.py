"""Versioned templates and the groups they are assigned to."""

from __future__ import annotations

import json
from typing import Any

from journal_ext.db.errors import (
    Conflict,
    NotFound,
    StoreError,
)
from journal_ext.db.people import PeopleQueries
from journal_ext.db.rows import _decode_template, _storable_id, template_digest, utcnow


class TemplateQueries(PeopleQueries):
    """Versioned templates and the groups they are assigned to."""

    # -- templates -----------------------------------------------------------

    def save_template(self, template: Any, *, author: str) -> dict[str, Any]:
        """Store a template (``journal_ext.core.templates.Template``) as a new version of its slug.

        Returns the template version row; when the body is identical to a
        stored version of that slug, that version is returned and nothing is written.
        """
        body = template.to_dict()
        digest = template_digest(body)
        with self.write() as db:
            tmpl = next(db.query("SELECT * FROM templates WHERE slug = ?", [template.id]), None)
            if tmpl is None:
                cursor = db.execute(
                    "INSERT INTO templates (slug, kind, language) VALUES (?, ?, ?)",
                    [template.id, template.kind, template.language],
                )
                template_id = cursor.lastrowid
            else:
                if tmpl["kind"] != template.kind:
                    raise Conflict(
                        "template '{id}' is a '{kind}' template; a new version cannot change its kind to '{kind2}'",
                        id=template.id,
                        kind=tmpl["kind"],
                        kind2=template.kind,
                    )
                template_id = tmpl["id"]
                same = next(
                    db.query(
                        "SELECT id FROM template_versions WHERE template_id = ? AND digest = ?"
                        " ORDER BY version DESC LIMIT 1",
                        [template_id, digest],
                    ),
                    None,
                )
                if same is not None:
                    return self.template_version(same["id"])
            version = (
                1
                + next(
                    db.query(
                        "SELECT COALESCE(MAX(version), 0) AS v FROM template_versions WHERE template_id = ?",
                        [template_id],
                    )
                )["v"]
            )
            cursor = db.execute(
                "INSERT INTO template_versions (template_id, version, title, body, digest,"
                " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    template_id,
                    version,
                    template.title,
                    json.dumps(body, ensure_ascii=False),
                    digest,
                    utcnow(),
                    author,
                ],
            )
            version_id = cursor.lastrowid
        assert version_id is not None
        return self.template_version(version_id)

    _TEMPLATE_VERSION_SQL = """
        SELECT template_versions.id, template_versions.version, template_versions.title,
               template_versions.body, template_versions.created_at,
               template_versions.created_by, templates.slug, templates.kind,
               templates.language
        FROM template_versions JOIN templates ON templates.id = template_versions.template_id
    """

    def template_version(self, version_id: int) -> dict[str, Any]:
        """A template version by id, body decoded."""
        if not _storable_id(version_id):
            raise NotFound("no template version with id {version_id}", version_id=version_id)
        row = next(
            self.db.query(self._TEMPLATE_VERSION_SQL + " WHERE template_versions.id = ?", [version_id]),
            None,
        )
        if row is None:
            raise NotFound("no template version with id {version_id}", version_id=version_id)
        return _decode_template(row)

    def template_version_by_digest(self, slug: str, digest: str) -> dict[str, Any] | None:
        """The stored version of a template slug with exactly this body, if any."""
        row = next(
            self.db.query(
                self._TEMPLATE_VERSION_SQL + " WHERE templates.slug = ? AND template_versions.digest = ?",
                [slug, digest],
            ),
            None,
        )
        return _decode_template(row) if row else None

    def find_template(self, reference: str) -> dict[str, Any]:
        """A template version by 'slug' (latest), 'slug@N' or numeric version id."""
        reference = reference.strip()
        if reference.isdigit():
            return self.template_version(int(reference))
        slug, _, version = reference.partition("@")
        if version:
            if not version.isdigit():
                raise StoreError("'{reference}': the version after '@' must be a number", reference=reference)
            row = next(
                self.db.query(
                    self._TEMPLATE_VERSION_SQL + " WHERE templates.slug = ? AND template_versions.version = ?",
                    [slug, int(version)],
                ),
                None,
            )
        else:
            row = next(
                self.db.query(
                    self._TEMPLATE_VERSION_SQL
                    + " WHERE templates.slug = ? ORDER BY template_versions.version DESC LIMIT 1",
                    [slug],
                ),
                None,
            )
        if row is None:
            known = ", ".join(t["slug"] for t in self.list_templates()) or "none yet"
            raise NotFound("no template '{reference}' (known: {known})", reference=reference, known=known)
        return _decode_template(row)

    def list_templates(self) -> list[dict[str, Any]]:
        """The latest version of every stored template (bodies omitted)."""
        return list(
            self.db.query(
                """SELECT templates.slug, templates.kind, templates.language,
                          template_versions.id, template_versions.version,
                          template_versions.title, template_versions.created_at
                   FROM templates JOIN template_versions
                        ON template_versions.template_id = templates.id
                   WHERE template_versions.version = (
                       SELECT MAX(version) FROM template_versions AS v
                       WHERE v.template_id = templates.id)
                   ORDER BY templates.language, templates.id"""
            )
        )

    def assign_template(self, group_id: int, version_id: int, *, by: str) -> dict[str, Any]:
        """Make a template version the group's template for its kind.

        Documents already created keep the version they were created from.
        """
        version = self.template_version(version_id)
        self.group_by_id(group_id)
        with self.write() as db:
            db.execute(
                """INSERT INTO group_templates (group_id, kind, template_version_id,
                                                assigned_at, assigned_by)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT(group_id, kind) DO UPDATE SET
                       template_version_id = excluded.template_version_id,
                       assigned_at = excluded.assigned_at, assigned_by = excluded.assigned_by""",
                [group_id, version["kind"], version_id, utcnow(), by],
            )
        return version

    def group_templates(self, group_id: int) -> list[dict[str, Any]]:
        """The template versions currently assigned to a group, one per kind."""
        rows = self.db.query(
            self._TEMPLATE_VERSION_SQL
            + """ JOIN group_templates ON group_templates.template_version_id = template_versions.id
                  WHERE group_templates.group_id = ? ORDER BY template_versions.id""",
            [group_id],
        )
        return [_decode_template(row) for row in rows]
