"""Who the current user is, what they may create from, and their framework's domains."""

from __future__ import annotations

from journal_ext.core import documents
from journal_ext.core.framework import default_framework
from journal_ext.server.handlers.base import (
    JournalHandler,
)


class MeHandler(JournalHandler):
    """Who the current user is: name, roles, groups."""

    def get(self) -> None:
        viewer = self.viewer
        store = self.context.store
        self.reply(
            {
                "user": viewer.user,
                "display_name": store.display_name(viewer.user),
                "language": self.context.language,
                "folder": self.context.folder,
                "roles": viewer.roles,
                "groups": [
                    {
                        "id": m.group_id,
                        "name": m.group_name,
                        "cohort": m.cohort,
                        "cohort_id": m.cohort_id,
                        "role": m.role,
                    }
                    for m in viewer.memberships
                ],
            }
        )


class TemplatesHandler(JournalHandler):
    """The templates the current user may create documents from."""

    def get(self) -> None:
        viewer = self.viewer
        templates = documents.templates_for(self.context.store, viewer, self.context.language)
        self.reply({"templates": templates})


class DomainsHandler(JournalHandler):
    """The competence domains of the current user's framework (the default one without a group)."""

    def get(self) -> None:
        viewer = self.viewer
        store = self.context.store
        if viewer.memberships:
            cohort = store.cohort_by_id(viewer.memberships[0].cohort_id)
            framework_id = cohort["framework_id"]
        else:
            framework_id = default_framework().id
        language = self.context.language
        domains = store.domains(framework_id)
        self.reply(
            {
                "framework": framework_id,
                "domains": [{"code": d["code"], "title": d[f"title_{language}"] or d["title_fr"]} for d in domains],
            }
        )
