"""Cohorts, groups, members and templates: what coordinators (and platform administrators) change."""

from __future__ import annotations

from typing import Any

from journal_ext.core import administration
from journal_ext.server.errors import Refusal
from journal_ext.server.handlers.base import JournalHandler, body_fields, text_field


def _optional_text(body: dict[str, Any], key: str) -> str | None:
    return None if body.get(key) is None else text_field(body, key)


class CohortsHandler(JournalHandler):
    """The cohorts one administers; a platform administrator creates them."""

    def get(self) -> None:
        self.reply({"cohorts": administration.cohorts_of(self.context.store, self.viewer)})

    def post(self) -> None:
        body = body_fields(self, ("name", "language", "framework", "source"), ("name",))
        framework = body.get("framework")
        if framework is not None and not isinstance(framework, (str, dict)):
            raise Refusal(
                400,
                "'framework' must be a framework id or a framework (JSON object), got {value}",
                value=repr(framework),
            )
        row = administration.create_cohort(
            self.context.store,
            self.viewer,
            text_field(body, "name"),
            language=text_field(body, "language", "fr"),
            framework=framework,
            source=text_field(body, "source", "<data>"),
        )
        self.created(row, "cohorts")


class GroupsHandler(JournalHandler):
    """The groups of the cohorts one administers, with their members; a new group gets the built-in templates."""

    def get(self) -> None:
        cohort = self.get_query_argument("cohort", None)
        self.reply({"groups": administration.groups_of(self.context.store, self.viewer, cohort)})

    def post(self) -> None:
        body = body_fields(self, ("cohort", "name", "commission"), ("cohort", "name"))
        row, assigned = administration.create_group(
            self.context.store,
            self.viewer,
            text_field(body, "cohort"),
            text_field(body, "name"),
            commission=text_field(body, "commission", ""),
        )
        self.created({**row, "templates_assigned": assigned}, "groups")


class MembersHandler(JournalHandler):
    """``POST members {"group", "user", "role", "display_name"?}``: someone joins a group, or changes role."""

    def post(self) -> None:
        body = body_fields(self, ("group", "user", "role", "display_name"), ("group", "user", "role"))
        result = administration.add_member(
            self.context.store,
            self.viewer,
            text_field(body, "group"),
            text_field(body, "user"),
            text_field(body, "role"),
            display_name=_optional_text(body, "display_name"),
        )
        self.reply(result)


class GroupTemplatesHandler(JournalHandler):
    """``POST group-templates {"group", "template", "source"?}``: a stored template (id) or a new version (object)."""

    def post(self) -> None:
        body = body_fields(self, ("group", "template", "source"), ("group", "template"))
        template = body["template"]
        if not isinstance(template, (str, dict)):
            raise Refusal(
                400, "'template' must be a template id or a template (JSON object), got {value}", value=repr(template)
            )
        group, version = administration.assign_template(
            self.context.store,
            self.viewer,
            text_field(body, "group"),
            template,
            source=text_field(body, "source", "<data>"),
        )
        self.reply({"group": group, "template": {k: v for k, v in version.items() if k != "body"}})
