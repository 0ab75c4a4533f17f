"""Annotations anchored to passages, their replies, and the inbox."""

from __future__ import annotations

import json

from jupyter_server.utils import url_path_join

from journal_ext.core import annotations as core_annotations
from journal_ext.db import ANNOTATION_STATUSES
from journal_ext.i18n import message
from journal_ext.server.errors import Refusal
from journal_ext.server.handlers.base import (
    JournalHandler,
)


def _status_argument(handler: JournalHandler) -> str | None:
    """The status to list (?status=open|resolved; None when absent); 400 when it is neither."""
    value = handler.get_query_argument("status", "")
    if value == "":
        return None
    if value not in ANNOTATION_STATUSES:
        raise Refusal(
            400,
            "'status' must be one of {statuses}, got {value}",
            statuses=", ".join(ANNOTATION_STATUSES),
            value=repr(value),
        )
    return value


class DocumentAnnotationsHandler(JournalHandler):
    """A document's annotations anchored in its current text (?format=jsonld: the W3C export); POST annotates a passage."""

    def get(self, document_id: str) -> None:
        output = self.get_query_argument("format", "") or "json"
        if output not in ("json", "jsonld"):
            raise Refusal(
                400,
                "'format' must be 'json' (the default) or 'jsonld' (W3C Web Annotations), got {output}",
                output=repr(output),
            )
        status = _status_argument(self)
        viewer = self.viewer
        store = self.context.store
        if output == "json":
            self.reply(core_annotations.list_annotations(store, viewer, int(document_id), status=status))
            return
        base = f"{self.request.protocol}://{self.request.host}{url_path_join(self.base_url, 'journal', 'api')}/"
        collection = core_annotations.export_w3c(store, viewer, int(document_id), base=base)
        self.finish(
            json.dumps(collection, ensure_ascii=False),
            set_content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        )

    def post(self, document_id: str) -> None:
        body = self.json_object(
            core_annotations.CREATE_FIELDS,
            message("an annotation has {fields}", fields=", ".join(core_annotations.CREATE_FIELDS)),
        )
        viewer = self.viewer
        created = core_annotations.create_annotation(self.context.store, viewer, int(document_id), body)
        self.created(created, "annotations", str(created["id"]))


class AnnotationHandler(JournalHandler):
    """One annotation with its thread; PATCH edits it (its author) or resolves it; DELETE withdraws it (its author)."""

    def get(self, annotation_id: str) -> None:
        viewer = self.viewer
        self.reply(core_annotations.get_annotation(self.context.store, viewer, int(annotation_id)))

    def patch(self, annotation_id: str) -> None:
        body = self.json_object(
            core_annotations.UPDATE_FIELDS,
            message("you can change {fields}", fields=", ".join(core_annotations.UPDATE_FIELDS)),
        )
        viewer = self.viewer
        self.reply(core_annotations.update_annotation(self.context.store, viewer, int(annotation_id), body))

    def delete(self, annotation_id: str) -> None:
        viewer = self.viewer
        self.reply(core_annotations.delete_annotation(self.context.store, viewer, int(annotation_id)))


class AnnotationRepliesHandler(JournalHandler):
    """The replies of an annotation's thread; POST replies."""

    def get(self, annotation_id: str) -> None:
        viewer = self.viewer
        replies = core_annotations.list_replies(self.context.store, viewer, int(annotation_id))
        self.reply({"annotation_id": int(annotation_id), "replies": replies})

    def post(self, annotation_id: str) -> None:
        body = self.json_object({"body"}, message("a reply has only 'body'"))
        if "body" not in body:
            raise Refusal(400, "'body' is required: the text of the reply")
        viewer = self.viewer
        created = core_annotations.add_reply(self.context.store, viewer, int(annotation_id), body["body"])
        self.created(created, "annotations", annotation_id, "replies", str(created["id"]))


class AnnotationReplyHandler(JournalHandler):
    """One's own reply: PATCH changes its text, DELETE withdraws it."""

    def patch(self, annotation_id: str, reply_id: str) -> None:
        body = self.json_object()
        viewer = self.viewer
        self.reply(core_annotations.update_reply(self.context.store, viewer, int(annotation_id), int(reply_id), body))

    def delete(self, annotation_id: str, reply_id: str) -> None:
        viewer = self.viewer
        self.reply(core_annotations.delete_reply(self.context.store, viewer, int(annotation_id), int(reply_id)))


class InboxHandler(JournalHandler):
    """Open annotations waiting for the current user in the documents they write, newest activity first."""

    def get(self) -> None:
        viewer = self.viewer
        answer = core_annotations.inbox(self.context.store, viewer, self.context.language)
        for item in answer["annotations"]:
            relative = item["document"]["path"]
            item["document"]["path"] = f"{self.context.folder}/{relative}" if relative else None
        self.reply(answer)
