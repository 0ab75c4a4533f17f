"""Documents: list, create, change who reads them; completeness, history, diff and restore."""

from __future__ import annotations

from journal_ext.core import documents, history
from journal_ext.core.permissions import is_writable
from journal_ext.db import VISIBILITIES
from journal_ext.i18n import message
from journal_ext.server.errors import Refusal
from journal_ext.server.handlers.base import (
    JournalHandler,
    optional_id,
)


class DocumentsHandler(JournalHandler):
    """List the documents the user may see; create one from a template."""

    def get(self) -> None:
        viewer = self.viewer
        paths = documents.document_paths(self.context.store, viewer, self.context.language)
        self.reply({"documents": [self.summary(d, f"{self.context.folder}/{p}") for p, d in paths.items()]})

    def post(self) -> None:
        body = self.json_object({"template_id", "group_id", "title", "visibility"})
        template_id = optional_id(body, "template_id")
        if template_id is None:
            raise Refusal(400, "'template_id' is required: the id of a template from GET /journal/api/templates")
        group_id = optional_id(body, "group_id")
        title = body.get("title")
        if title is not None and (not isinstance(title, str) or not title.strip()):
            raise Refusal(400, "'title' must be a non-empty text when given")
        viewer = self.viewer
        document = documents.create_from_template(
            self.context.store,
            viewer,
            template_version_id=template_id,
            group_id=group_id,
            title=title,
            visibility=body.get("visibility"),
        )
        self.created(self.summary(document), "documents", str(document["id"]))


class DocumentHandler(JournalHandler):
    """One document's summary; its owner changes who may read it."""

    def get(self, document_id: str) -> None:
        viewer = self.viewer
        document = documents.readable_document(self.context.store, viewer, int(document_id))
        self.reply(self.summary(document))

    def patch(self, document_id: str) -> None:
        body = self.json_object({"visibility"}, message("only 'visibility' can be changed"))
        if "visibility" not in body:
            raise Refusal(400, "'visibility' is required: one of {visibilities}", visibilities=", ".join(VISIBILITIES))
        viewer = self.viewer
        store = self.context.store
        document = documents.readable_document(store, viewer, int(document_id))
        updated = documents.set_visibility(store, viewer, document, body["visibility"])
        self.reply(self.summary(updated))


class CompletenessHandler(JournalHandler):
    """A document's completeness report against its template."""

    def get(self, document_id: str) -> None:
        viewer = self.viewer
        store = self.context.store
        document = documents.readable_document(store, viewer, int(document_id))
        self.reply(documents.completeness_report(store, document))


def _revision_argument(handler: JournalHandler, name: str) -> int | None:
    """A revision number from the query string (None when absent); 400 when it isn't one."""
    value = handler.get_query_argument(name, None)
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()):
        raise Refusal(
            400, "'{name}' must be a revision number (a whole number from 0), got {value}", name=name, value=repr(value)
        )
    return int(value)


class RevisionsHandler(JournalHandler):
    """A document's revisions, newest first: who saved which cells when."""

    def get(self, document_id: str) -> None:
        viewer = self.viewer
        store = self.context.store
        document = documents.readable_document(store, viewer, int(document_id))
        revisions = history.list_revisions(store, viewer, int(document_id))
        self.reply(
            {
                "document_id": int(document_id),
                "title": document["title"],
                # Whether the viewer may restore a revision (tutors read, they don't rewrite).
                "writable": is_writable(viewer, document),
                "revisions": revisions,
            }
        )


class DiffHandler(JournalHandler):
    """What differs between two revisions (?from=N&to=M; default: the latest save)."""

    def get(self, document_id: str) -> None:
        from_revision = _revision_argument(self, "from")
        to_revision = _revision_argument(self, "to")
        unchanged = self.get_query_argument("unchanged", "false").lower()
        if unchanged not in ("true", "false", "1", "0"):
            raise Refusal(400, "'unchanged' must be true or false, got {unchanged}", unchanged=repr(unchanged))
        viewer = self.viewer
        store = self.context.store
        document = documents.readable_document(store, viewer, int(document_id))
        if to_revision is None:
            to_revision = document["revision"]
        if from_revision is None:
            from_revision = max(to_revision - 1, 0)
        self.reply(
            history.diff(
                store,
                viewer,
                int(document_id),
                from_revision,
                to_revision,
                include_unchanged=unchanged in ("true", "1"),
            )
        )


class RestoreHandler(JournalHandler):
    """Restore an earlier revision as a new revision (nothing is deleted)."""

    def post(self, document_id: str, revision: str) -> None:
        viewer = self.viewer
        result = history.restore(self.context.store, viewer, int(document_id), int(revision))
        self.reply(
            {
                "document_id": result.document_id,
                "revision": result.revision,
                "restored_from": int(revision),
                "restored": bool(result.changes),
                "changes": result.changes,
                "message": history.restore_message(result, int(revision)),
                "path": self.path_of(result.document_id),
            }
        )
