"""Every route of the journal's REST API, under /journal/api, each to the handler of its resource."""

from __future__ import annotations

from typing import Any

from jupyter_server.utils import url_path_join

from journal_ext.server.context import JournalContext
from journal_ext.server.handlers.admin import CohortsHandler, GroupsHandler, GroupTemplatesHandler, MembersHandler
from journal_ext.server.handlers.annotations import (
    AnnotationHandler,
    AnnotationRepliesHandler,
    AnnotationReplyHandler,
    DocumentAnnotationsHandler,
    InboxHandler,
)
from journal_ext.server.handlers.documents import (
    CompletenessHandler,
    DiffHandler,
    DocumentHandler,
    DocumentsHandler,
    RestoreHandler,
    RevisionsHandler,
)
from journal_ext.server.handlers.exports import (
    DocumentExportHandler,
    ExportFormatsHandler,
    GroupExportHandler,
    JournalExportHandler,
    PassportExportHandler,
)
from journal_ext.server.handlers.passport import (
    DocumentEvidenceHandler,
    EvidenceActionHandler,
    EvidenceHandler,
    OverviewChartHandler,
    OverviewHandler,
    PassportChartHandler,
    PassportHandler,
    PassportsHandler,
    SelfPositioningHandler,
)
from journal_ext.server.handlers.people import (
    DomainsHandler,
    MeHandler,
    TemplatesHandler,
)
from journal_ext.server.handlers.search import SearchHandler


def route_table(context: JournalContext | None) -> list[tuple[str, type, dict[str, Any]]]:
    """Every route of the journal API, under one namespace."""
    kwargs = {"context": context}
    api = url_path_join("/journal", "api")
    return [
        (url_path_join(api, "me"), MeHandler, kwargs),
        (url_path_join(api, "templates"), TemplatesHandler, kwargs),
        (url_path_join(api, "domains"), DomainsHandler, kwargs),
        (url_path_join(api, "documents"), DocumentsHandler, kwargs),
        (url_path_join(api, "documents", r"(\d+)"), DocumentHandler, kwargs),
        (url_path_join(api, "documents", r"(\d+)", "completeness"), CompletenessHandler, kwargs),
        (url_path_join(api, "documents", r"(\d+)", "revisions"), RevisionsHandler, kwargs),
        (url_path_join(api, "documents", r"(\d+)", "diff"), DiffHandler, kwargs),
        (
            url_path_join(api, "documents", r"(\d+)", "revisions", r"(\d+)", "restore"),
            RestoreHandler,
            kwargs,
        ),
        (url_path_join(api, "search"), SearchHandler, kwargs),
        (url_path_join(api, "passports"), PassportsHandler, kwargs),
        (url_path_join(api, "passports", r"([^/]+)"), PassportHandler, kwargs),
        (url_path_join(api, "passports", r"([^/]+)", "chart"), PassportChartHandler, kwargs),
        (url_path_join(api, "passports", r"([^/]+)", "export"), PassportExportHandler, kwargs),
        (url_path_join(api, "overviews", r"(group|cohort)", r"(\d+)"), OverviewHandler, kwargs),
        (url_path_join(api, "overviews", r"(group|cohort)", r"(\d+)", "chart"), OverviewChartHandler, kwargs),
        (url_path_join(api, "documents", r"(\d+)", "evidence"), DocumentEvidenceHandler, kwargs),
        (url_path_join(api, "evidence", r"(\d+)"), EvidenceHandler, kwargs),
        (
            url_path_join(api, "evidence", r"(\d+)", r"(withdraw|assessments|comments)"),
            EvidenceActionHandler,
            kwargs,
        ),
        (url_path_join(api, "self-positioning"), SelfPositioningHandler, kwargs),
        (url_path_join(api, "exports", "formats"), ExportFormatsHandler, kwargs),
        (url_path_join(api, "documents", r"(\d+)", "export"), DocumentExportHandler, kwargs),
        (url_path_join(api, "groups", r"(\d+)", "export"), GroupExportHandler, kwargs),
        (url_path_join(api, "journals", r"([^/]+)", "export"), JournalExportHandler, kwargs),
        (url_path_join(api, "documents", r"(\d+)", "annotations"), DocumentAnnotationsHandler, kwargs),
        (url_path_join(api, "annotations", r"(\d+)"), AnnotationHandler, kwargs),
        (url_path_join(api, "annotations", r"(\d+)", "replies"), AnnotationRepliesHandler, kwargs),
        (url_path_join(api, "annotations", r"(\d+)", "replies", r"(\d+)"), AnnotationReplyHandler, kwargs),
        (url_path_join(api, "inbox"), InboxHandler, kwargs),
        (url_path_join(api, "cohorts"), CohortsHandler, kwargs),
        (url_path_join(api, "groups"), GroupsHandler, kwargs),
        (url_path_join(api, "members"), MembersHandler, kwargs),
        (url_path_join(api, "group-templates"), GroupTemplatesHandler, kwargs),
    ]
