"""Cohorts, groups, members and templates: the changes a coordinator makes, each checked first.

The same functions serve the REST API (and so the journal service, where
the caller is who their hub token says) and the command line working on
the database file directly (whoever can open the file administers it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from journal_ext.core.documents import assign_builtin_templates
from journal_ext.core.framework import default_framework, parse_framework
from journal_ext.core.permissions import Viewer, check_administer, may_administer
from journal_ext.core.templates import TemplateError, parse_template
from journal_ext.db import JournalStore
from journal_ext.i18n import phrase


def create_cohort(
    store: JournalStore,
    viewer: Viewer,
    name: str,
    *,
    language: str = "fr",
    framework: str | Mapping[str, Any] | None = None,
    source: str = "<data>",
) -> dict[str, Any]:
    """A new cohort following a framework: the default one, a stored one by id, or a new one (its data)."""
    check_administer(viewer, None, phrase("create a cohort"))
    if framework is None:
        framework_id = default_framework().id
    elif isinstance(framework, str):
        framework_id = framework
    else:
        parsed = parse_framework(framework, source)
        store.save_framework(parsed)
        framework_id = parsed.id
    return store.add_cohort(name, framework_id=framework_id, language=language)


def create_group(
    store: JournalStore, viewer: Viewer, cohort: str, name: str, *, commission: str = ""
) -> tuple[dict[str, Any], int]:
    """A new group in a cohort, with the built-in templates of the cohort's language; and how many."""
    check_administer(viewer, store.cohort(cohort)["id"], phrase("create a group in this cohort"))
    row = store.add_group(cohort, name, commission=commission)
    return row, assign_builtin_templates(store, row["id"], row["language"])


def add_member(
    store: JournalStore, viewer: Viewer, group: str, user: str, role: str, *, display_name: str | None = None
) -> dict[str, Any]:
    """Put someone in a group as learner, tutor or coordinator (changing their role if already there)."""
    check_administer(viewer, store.group(group)["cohort_id"], phrase("change this group's members and roles"))
    return store.add_member(group, user, role, display_name=display_name)


def assign_template(
    store: JournalStore,
    viewer: Viewer,
    group: str,
    template: str | Mapping[str, Any],
    *,
    source: str = "<data>",
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Make a template the group's for its kind: a stored one (``slug``, ``slug@version``) or a new version (data).

    Returns the group and the template version.
    """
    group_row = store.group(group)
    check_administer(viewer, group_row["cohort_id"], phrase("change this group's templates"))
    if isinstance(template, str):
        version = store.find_template(template)
    else:
        # Checked against the cohort's own framework, not the default one.
        codes = [d["code"] for d in store.domains(group_row["framework_id"])]
        loaded = parse_template(template, domain_codes=codes, source=source)
        if loaded.framework not in (None, group_row["framework_id"]):
            raise TemplateError(
                "{reference}: framework: the template is written for '{framework}' but cohort '{cohort}'"
                " follows '{framework_id}'; change or remove the framework line",
                reference=source,
                framework=loaded.framework,
                cohort=group_row["cohort"],
                framework_id=group_row["framework_id"],
            )
        version = store.save_template(loaded, author=viewer.user)
    store.assign_template(group_row["id"], version["id"], by=viewer.user)
    return group_row, version


def cohorts_of(store: JournalStore, viewer: Viewer) -> list[dict[str, Any]]:
    """The cohorts the viewer administers (every cohort for a platform administrator)."""
    return [row for row in store.list_cohorts() if may_administer(viewer, row["id"])]


def groups_of(store: JournalStore, viewer: Viewer, cohort: str | None = None) -> list[dict[str, Any]]:
    """The groups of the cohorts the viewer administers, each with its members."""
    return [
        {**row, "members": store.members(row["id"])}
        for row in store.list_groups(cohort)
        if may_administer(viewer, row["cohort_id"])
    ]
