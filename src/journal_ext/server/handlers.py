"""REST API under /journal/api: parse the request, call the library, serialise the answer."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from journal_ext import export
from journal_ext.core import annotations, documents, history, passport, search
from journal_ext.core.framework import default_framework
from journal_ext.core.permissions import viewer_for
from journal_ext.db import ANNOTATION_STATUSES, VISIBILITIES, JournalStore
from journal_ext.server.errors import (
    BUSY_RETRY_AFTER_SECONDS,
    JournalBusy,
    http_error_for,
    language_of,
)

if TYPE_CHECKING:
    from journal_ext.server.app import JournalExtension

AUTH_RESOURCE = "journal"
T = TypeVar("T")


class JournalHandler(APIHandler):
    """Base of every journal API handler: the extension, the viewer, error mapping."""

    auth_resource = AUTH_RESOURCE

    def initialize(self, extension: "JournalExtension") -> None:
        self.extension = extension
        # Display names looked up during this request (a listing repeats owners).
        self._owner_names: dict[str, str] = {}

    @property
    def language(self) -> str:
        """The language of this request's messages: the browser's (Accept-Language), else the server's."""
        return language_of(self.request.headers.get("Accept-Language"), self.extension.language)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """A library error met outside :meth:`call` is a 4xx/503 answer, not a bug worth a traceback."""
        if value is not None and not isinstance(value, web.HTTPError) and http_error_for(value) is not None:
            self.log.warning("%s %s: %s", self.request.method, self.request.path, value)
            return
        super().log_exception(typ, value, tb)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Errors as JSON with a message a person can act on, whatever raised them.

        Library errors raised outside :meth:`call` get their status here; a
        busy database answers 503 with ``Retry-After``; the message reads as
        written (tornado doubles each % of a message given without arguments).
        """
        exc_info = kwargs.get("exc_info") or (None, None, None)
        error = http_error_for(exc_info[1], self.language) if exc_info[1] is not None else None
        if error is None or not error.log_message:
            super().write_error(status_code, **kwargs)
            return
        if error.status_code != status_code:
            self.set_status(error.status_code, error.reason)
        try:
            message = error.log_message % error.args
        except (TypeError, ValueError):
            message = error.log_message
        body: dict[str, Any] = {"message": message, "reason": error.reason}
        if isinstance(error, JournalBusy):
            self.set_header("Retry-After", str(BUSY_RETRY_AFTER_SECONDS))
            body["code"] = error.code
        self.set_header("Content-Type", "application/json")
        self.log.warning("wrote error: %r", message)
        self.finish(json.dumps(body, ensure_ascii=False))

    def call(self, action: Callable[[], T]) -> T:
        """Run a library call, turning its errors into HTTP errors with a message."""
        try:
            return action()
        except web.HTTPError:
            raise
        except Exception as error:
            mapped = http_error_for(error, self.language)
            if mapped is None:
                raise
            raise mapped from error

    def json_object(self, allowed: Iterable[str] | None = None, hint: str = "") -> dict[str, Any]:
        """The request body, which must be a JSON object of valid Unicode text.

        With ``allowed``, a field outside it is refused with a 400 naming it,
        followed by ``hint`` (what the body may hold).
        """
        try:
            body = self.get_json_body()
        except UnicodeDecodeError as error:
            raise web.HTTPError(400, "the request body must be JSON encoded in UTF-8") from error
        if not isinstance(body, dict):
            raise web.HTTPError(400, "the request body must be a JSON object")
        try:
            # JSON may escape half of a UTF-16 pair ("\ud800"): no text can hold it.
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            raise web.HTTPError(
                400, "the request body holds an unpaired surrogate (like \\ud800): send valid Unicode text"
            ) from error
        if allowed is not None:
            unknown = set(body) - set(allowed)
            if unknown:
                raise web.HTTPError(
                    400, f"unknown field(s): {', '.join(sorted(unknown))}" + (f"; {hint}" if hint else "")
                )
        return body

    def path_of(self, document_id: int) -> str | None:
        """Where a document appears for the current user in the contents API."""
        relative = documents.document_path(
            self.extension.store, self.extension.viewer(), document_id, self.extension.language
        )
        return f"{self.extension.folder}/{relative}" if relative else None

    def summary(self, document: dict[str, Any], path: str | None = None) -> dict[str, Any]:
        """A document as the API shows it; its path is looked up when not given."""
        owner = document["owner"]
        if owner not in self._owner_names:
            self._owner_names[owner] = self.extension.store.display_name(owner)
        return documents.document_summary(
            document,
            path if path is not None else self.path_of(document["id"]),
            self.extension.language,
            self._owner_names[owner],
        )

    def reply(self, payload: Any, status: int = 200) -> None:
        """Send a JSON answer."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps(payload, ensure_ascii=False, default=str))


def _optional_id(body: dict[str, Any], key: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise web.HTTPError(400, f"'{key}' must be a positive integer or null, got {value!r}")
    return value


class MeHandler(JournalHandler):
    """Who the current user is: name, roles, groups."""

    @web.authenticated
    @authorized
    def get(self) -> None:
        viewer = self.call(self.extension.viewer)
        store = self.extension.store
        self.reply(
            {
                "user": viewer.user,
                "display_name": store.display_name(viewer.user),
                "language": self.extension.language,
                "folder": self.extension.folder,
                "roles": viewer.roles,
                "groups": [
                    {
                        "id": m.group_id,
                        "name": m.group_name,
                        "cohort": m.cohort,
                        "role": m.role,
                    }
                    for m in viewer.memberships
                ],
            }
        )


class TemplatesHandler(JournalHandler):
    """The templates the current user may create documents from."""

    @web.authenticated
    @authorized
    def get(self) -> None:
        viewer = self.call(self.extension.viewer)
        templates = self.call(
            lambda: documents.templates_for(self.extension.store, viewer, self.extension.language)
        )
        self.reply({"templates": templates})


class DomainsHandler(JournalHandler):
    """The competence domains of the current user's framework (the default one without a group)."""

    @web.authenticated
    @authorized
    def get(self) -> None:
        viewer = self.call(self.extension.viewer)
        store = self.extension.store
        if viewer.memberships:
            cohort = self.call(lambda: store.cohort_by_id(viewer.memberships[0].cohort_id))
            framework_id = cohort["framework_id"]
        else:
            framework_id = default_framework().id
        language = self.extension.language
        domains = self.call(lambda: store.domains(framework_id))
        self.reply(
            {
                "framework": framework_id,
                "domains": [
                    {"code": d["code"], "title": d[f"title_{language}"] or d["title_fr"]}
                    for d in domains
                ],
            }
        )


class DocumentsHandler(JournalHandler):
    """List the documents the user may see; create one from a template."""

    @web.authenticated
    @authorized
    def get(self) -> None:
        viewer = self.call(self.extension.viewer)
        paths = self.call(
            lambda: documents.document_paths(self.extension.store, viewer, self.extension.language)
        )
        self.reply(
            {"documents": [self.summary(d, f"{self.extension.folder}/{p}") for p, d in paths.items()]}
        )

    @web.authenticated
    @authorized
    def post(self) -> None:
        body = self.json_object({"template_id", "group_id", "title", "visibility"})
        template_id = _optional_id(body, "template_id")
        if template_id is None:
            raise web.HTTPError(400, "'template_id' is required: the id of a template from GET /journal/api/templates")
        group_id = _optional_id(body, "group_id")
        title = body.get("title")
        if title is not None and (not isinstance(title, str) or not title.strip()):
            raise web.HTTPError(400, "'title' must be a non-empty text when given")
        viewer = self.call(self.extension.viewer)
        document = self.call(
            lambda: documents.create_from_template(
                self.extension.store,
                viewer,
                template_version_id=template_id,
                group_id=group_id,
                title=title,
                visibility=body.get("visibility"),
            )
        )
        location = url_path_join(self.base_url, "journal", "api", "documents", str(document["id"]))
        self.set_header("Location", location)
        self.reply(self.summary(document), status=201)


class DocumentHandler(JournalHandler):
    """One document's summary; its owner changes who may read it."""

    @web.authenticated
    @authorized
    def get(self, document_id: str) -> None:
        viewer = self.call(self.extension.viewer)
        document = self.call(
            lambda: documents.readable_document(self.extension.store, viewer, int(document_id))
        )
        self.reply(self.summary(document))

    @web.authenticated
    @authorized
    def patch(self, document_id: str) -> None:
        body = self.json_object({"visibility"}, "only 'visibility' can be changed")
        if "visibility" not in body:
            raise web.HTTPError(
                400, f"'visibility' is required: one of {', '.join(VISIBILITIES)}"
            )
        viewer = self.call(self.extension.viewer)
        store = self.extension.store
        document = self.call(lambda: documents.readable_document(store, viewer, int(document_id)))
        updated = self.call(
            lambda: documents.set_visibility(store, viewer, document, body["visibility"])
        )
        self.reply(self.summary(updated))


class CompletenessHandler(JournalHandler):
    """A document's completeness report against its template."""

    @web.authenticated
    @authorized
    def get(self, document_id: str) -> None:
        viewer = self.call(self.extension.viewer)
        store = self.extension.store
        document = self.call(lambda: documents.readable_document(store, viewer, int(document_id)))
        self.reply(self.call(lambda: documents.completeness_report(store, document)))


def _revision_argument(handler: JournalHandler, name: str) -> int | None:
    """A revision number from the query string (None when absent); 400 when it isn't one."""
    value = handler.get_query_argument(name, None)
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()):
        raise web.HTTPError(400, f"'{name}' must be a revision number (a whole number from 0), got {value!r}")
    return int(value)


class RevisionsHandler(JournalHandler):
    """A document's revisions, newest first: who saved which cells when."""

    @web.authenticated
    @authorized
    def get(self, document_id: str) -> None:
        viewer = self.call(self.extension.viewer)
        store = self.extension.store
        document = self.call(lambda: documents.readable_document(store, viewer, int(document_id)))
        revisions = self.call(lambda: history.list_revisions(store, viewer, int(document_id)))
        self.reply(
            {
                "document_id": int(document_id),
                "title": document["title"],
                # Whether the viewer may restore a revision (tutors read, they don't rewrite).
                "writable": documents.is_writable(viewer, document),
                "revisions": revisions,
            }
        )


class DiffHandler(JournalHandler):
    """What differs between two revisions (?from=N&to=M; default: the latest save)."""

    @web.authenticated
    @authorized
    def get(self, document_id: str) -> None:
        from_revision = _revision_argument(self, "from")
        to_revision = _revision_argument(self, "to")
        unchanged = self.get_query_argument("unchanged", "false").lower()
        if unchanged not in ("true", "false", "1", "0"):
            raise web.HTTPError(400, f"'unchanged' must be true or false, got {unchanged!r}")
        viewer = self.call(self.extension.viewer)
        store = self.extension.store
        document = self.call(lambda: documents.readable_document(store, viewer, int(document_id)))
        if to_revision is None:
            to_revision = document["revision"]
        if from_revision is None:
            from_revision = max(to_revision - 1, 0)
        self.reply(
            self.call(
                lambda: history.diff(
                    store, viewer, int(document_id), from_revision, to_revision,
                    include_unchanged=unchanged in ("true", "1"),
                )
            )
        )


class RestoreHandler(JournalHandler):
    """Restore an earlier revision as a new revision (nothing is deleted)."""

    @web.authenticated
    @authorized
    def post(self, document_id: str, revision: str) -> None:
        viewer = self.call(self.extension.viewer)
        result = self.call(
            lambda: history.restore(self.extension.store, viewer, int(document_id), int(revision))
        )
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


def _limit_argument(handler: JournalHandler) -> int:
    """The number of search results asked for (?limit=); 400 when it isn't a whole number in range."""
    value = handler.get_query_argument("limit", "")
    if value == "":
        return search.DEFAULT_LIMIT
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= search.MAX_LIMIT:
        raise web.HTTPError(
            400, f"'limit' must be a whole number from 1 to {search.MAX_LIMIT}, got {value!r}"
        )
    return int(value)


class SearchHandler(JournalHandler):
    """Full-text search in the cells of the documents the user may read (?q=…&limit=…&syntax=words|fts)."""

    @web.authenticated
    @authorized
    def get(self) -> None:
        query = self.get_query_argument("q", "")
        limit = _limit_argument(self)
        syntax = self.get_query_argument("syntax", "") or "words"
        if syntax not in search.SYNTAXES:
            raise web.HTTPError(
                400,
                f"'syntax' must be 'words' (plain words, the default) or 'fts' (SQLite FTS5 queries),"
                f" got {syntax!r}",
            )
        viewer = self.call(self.extension.viewer)
        answer = self.call(
            lambda: search.search(
                self.extension.store, viewer, query,
                limit=limit, syntax=syntax, language=self.extension.language,
            )
        )
        for result in answer["results"]:
            relative = result["document"]["path"]
            result["document"]["path"] = f"{self.extension.folder}/{relative}" if relative else None
        self.reply(answer)


def _status_argument(handler: JournalHandler) -> str | None:
    """The status to list (?status=open|resolved; None when absent); 400 when it is neither."""
    value = handler.get_query_argument("status", "")
    if value == "":
        return None
    if value not in ANNOTATION_STATUSES:
        raise web.HTTPError(400, f"'status' must be one of {', '.join(ANNOTATION_STATUSES)}, got {value!r}")
    return value


class DocumentAnnotationsHandler(JournalHandler):
    """A document's annotations anchored in its current text (?format=jsonld: the W3C export); POST annotates a passage."""

    @web.authenticated
    @authorized
    def get(self, document_id: str) -> None:
        output = self.get_query_argument("format", "") or "json"
        if output not in ("json", "jsonld"):
            raise web.HTTPError(
                400, f"'format' must be 'json' (the default) or 'jsonld' (W3C Web Annotations), got {output!r}"
            )
        status = _status_argument(self)
        viewer = self.call(self.extension.viewer)
        store = self.extension.store
        if output == "json":
            self.reply(
                self.call(lambda: annotations.list_annotations(store, viewer, int(document_id), status=status))
            )
            return
        base = f"{self.request.protocol}://{self.request.host}{url_path_join(self.base_url, 'journal', 'api')}/"
        collection = self.call(lambda: annotations.export_w3c(store, viewer, int(document_id), base=base))
        self.finish(
            json.dumps(collection, ensure_ascii=False),
            set_content_type='application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        )

    @web.authenticated
    @authorized
    def post(self, document_id: str) -> None:
        body = self.json_object(
            annotations.CREATE_FIELDS, f"an annotation has {', '.join(annotations.CREATE_FIELDS)}"
        )
        viewer = self.call(self.extension.viewer)
        created = self.call(
            lambda: annotations.create_annotation(self.extension.store, viewer, int(document_id), body)
        )
        self.set_header(
            "Location", url_path_join(self.base_url, "journal", "api", "annotations", str(created["id"]))
        )
        self.reply(created, status=201)


class AnnotationHandler(JournalHandler):
    """One annotation with its thread; PATCH edits it (its author) or resolves it; DELETE withdraws it (its author)."""

    @web.authenticated
    @authorized
    def get(self, annotation_id: str) -> None:
        viewer = self.call(self.extension.viewer)
        self.reply(
            self.call(lambda: annotations.get_annotation(self.extension.store, viewer, int(annotation_id)))
        )

    @web.authenticated
    @authorized
    def patch(self, annotation_id: str) -> None:
        body = self.json_object(
            annotations.UPDATE_FIELDS, f"you can change {', '.join(annotations.UPDATE_FIELDS)}"
        )
        viewer = self.call(self.extension.viewer)
        self.reply(
            self.call(
                lambda: annotations.update_annotation(self.extension.store, viewer, int(annotation_id), body)
            )
        )

    @web.authenticated
    @authorized
    def delete(self, annotation_id: str) -> None:
        viewer = self.call(self.extension.viewer)
        self.reply(
            self.call(lambda: annotations.delete_annotation(self.extension.store, viewer, int(annotation_id)))
        )


class AnnotationRepliesHandler(JournalHandler):
    """The replies of an annotation's thread; POST replies."""

    @web.authenticated
    @authorized
    def get(self, annotation_id: str) -> None:
        viewer = self.call(self.extension.viewer)
        replies = self.call(
            lambda: annotations.list_replies(self.extension.store, viewer, int(annotation_id))
        )
        self.reply({"annotation_id": int(annotation_id), "replies": replies})

    @web.authenticated
    @authorized
    def post(self, annotation_id: str) -> None:
        body = self.json_object({"body"}, "a reply has only 'body'")
        if "body" not in body:
            raise web.HTTPError(400, "'body' is required: the text of the reply")
        viewer = self.call(self.extension.viewer)
        created = self.call(
            lambda: annotations.add_reply(self.extension.store, viewer, int(annotation_id), body["body"])
        )
        self.set_header(
            "Location",
            url_path_join(
                self.base_url, "journal", "api", "annotations", annotation_id, "replies", str(created["id"])
            ),
        )
        self.reply(created, status=201)


class AnnotationReplyHandler(JournalHandler):
    """One's own reply: PATCH changes its text, DELETE withdraws it."""

    @web.authenticated
    @authorized
    def patch(self, annotation_id: str, reply_id: str) -> None:
        body = self.json_object()
        viewer = self.call(self.extension.viewer)
        self.reply(
            self.call(
                lambda: annotations.update_reply(
                    self.extension.store, viewer, int(annotation_id), int(reply_id), body
                )
            )
        )

    @web.authenticated
    @authorized
    def delete(self, annotation_id: str, reply_id: str) -> None:
        viewer = self.call(self.extension.viewer)
        self.reply(
            self.call(
                lambda: annotations.delete_reply(self.extension.store, viewer, int(annotation_id), int(reply_id))
            )
        )


class InboxHandler(JournalHandler):
    """Open annotations waiting for the current user in the documents they write, newest activity first."""

    @web.authenticated
    @authorized
    def get(self) -> None:
        viewer = self.call(self.extension.viewer)
        answer = self.call(
            lambda: annotations.inbox(self.extension.store, viewer, self.extension.language)
        )
        for item in answer["annotations"]:
            relative = item["document"]["path"]
            item["document"]["path"] = f"{self.extension.folder}/{relative}" if relative else None
        self.reply(answer)


@contextmanager
def errors_as_http(language: str = "fr") -> Iterator[None]:
    """Turn the library's errors into HTTP errors with their message, as :meth:`JournalHandler.call` does."""
    try:
        yield
    except web.HTTPError:
        raise
    except Exception as error:
        mapped = http_error_for(error, language)
        if mapped is None:
            raise
        raise mapped from error


def _flag_argument(handler: JournalHandler, name: str, default: bool) -> bool:
    """A yes/no query argument (true/false/1/0); 400 when it is something else."""
    value = handler.get_query_argument(name, "").lower()
    if value == "":
        return default
    if value not in ("true", "false", "1", "0"):
        raise web.HTTPError(400, f"'{name}' must be true or false, got {value!r}")
    return value in ("true", "1")


def _attachment(filename: str) -> str:
    """A Content-Disposition offering the file for download under its (possibly accented) name."""
    fallback = "".join(c if c.isascii() and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class ExportFormatsHandler(JournalHandler):
    """The export formats and whether this machine can make each (PDF needs a converter)."""

    @web.authenticated
    @authorized
    def get(self) -> None:
        converter = export.pdf_converter()
        self.reply(
            {
                "formats": [
                    {"id": "docx", "available": True},
                    {"id": "html", "available": True},
                    {
                        "id": "pdf",
                        "available": converter is not None,
                        "converter": converter,
                        "message": None if converter else export.PDF_HELP,
                    },
                ]
            }
        )


class ExportHandler(JournalHandler):
    """Base of the export downloads: read the options, export in a worker thread, send the file."""

    def export_options(self) -> tuple[str, export.ExportOptions]:
        fmt = self.get_query_argument("format", "docx")
        if fmt not in export.FORMATS:
            raise web.HTTPError(400, f"'format' must be one of {', '.join(export.FORMATS)}, got {fmt!r}")
        language = self.get_query_argument("lang", "") or self.extension.language
        if language not in export.LANGUAGES:
            raise web.HTTPError(400, f"'lang' must be one of {', '.join(export.LANGUAGES)}, got {language!r}")
        options = export.ExportOptions(
            language=language,
            include_prompts=_flag_argument(self, "prompts", False),
            show_authors=_flag_argument(self, "authors", True),
            include_annotations=_flag_argument(self, "annotations", False),
            include_length_report=_flag_argument(self, "lengths", True),
        )
        return fmt, options

    async def send_export(self, make: Callable[[JournalStore, Any], "export.ExportFile"]) -> None:
        """Export with a store of the worker thread's own (SQLite connections stay in their thread)."""
        db_path, user = self.extension.db_path, self.extension.current_user

        def work() -> "export.ExportFile":
            with JournalStore(db_path) as store:
                return make(store, viewer_for(store, user))

        with errors_as_http(self.language):
            exported = await asyncio.to_thread(work)
        self.set_header("Content-Disposition", _attachment(exported.filename))
        self.set_header("Cache-Control", "no-store")
        self.finish(exported.content, set_content_type=exported.media_type)


class DocumentExportHandler(ExportHandler):
    """One document as a DOCX, HTML or PDF file (?format=&prompts=&authors=&annotations=&lengths=&lang=)."""

    @web.authenticated
    @authorized
    async def get(self, document_id: str) -> None:
        fmt, options = self.export_options()
        await self.send_export(
            lambda store, viewer: export.export_document(
                store, viewer, int(document_id), fmt, options
            )
        )


class GroupExportHandler(ExportHandler):
    """The documents of a group the user may read, as one file (same options as a document's export)."""

    @web.authenticated
    @authorized
    async def get(self, group_id: str) -> None:
        fmt, options = self.export_options()
        await self.send_export(
            lambda store, viewer: export.export_group(
                store, viewer, int(group_id), fmt, options, combined=True
            )[0]
        )


class JournalExportHandler(ExportHandler):
    """A learner's journal entries and field observations the user may read, as one file."""

    @web.authenticated
    @authorized
    async def get(self, user: str) -> None:
        fmt, options = self.export_options()
        await self.send_export(
            lambda store, viewer: export.export_journal(
                store, viewer, user, fmt, options
            )
        )


def _fields(
    handler: JournalHandler, allowed: tuple[str, ...], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The request body's fields, refusing unknown ones and naming the missing ones."""
    body = handler.json_object(allowed, f"expected {', '.join(allowed)}")
    missing = [name for name in required if name not in body]
    if missing:
        raise web.HTTPError(400, f"missing field(s): {', '.join(missing)}")
    return body


class PassportExportHandler(ExportHandler):
    """A learner's passport as a DOCX, HTML or PDF file (?format=&lang=)."""

    @web.authenticated
    @authorized
    async def get(self, learner: str) -> None:
        fmt, options = self.export_options()
        await self.send_export(lambda store, viewer: export.export_passport(store, viewer, learner, fmt, options))


class PassportsHandler(JournalHandler):
    """The learners whose passport the user may see (themselves, their groups' or cohorts' learners)."""

    @web.authenticated
    @authorized
    def get(self) -> None:
        viewer = self.call(self.extension.viewer)
        store = self.extension.store
        self.reply({
            "passports": self.call(lambda: passport.visible_passports(store, viewer)),
            "overviews": self.call(lambda: passport.overviews_for(store, viewer)),
        })


def _chart_language(handler: JournalHandler) -> str:
    language = handler.get_query_argument("lang", "") or handler.extension.language
    if language not in ("fr", "en"):
        raise web.HTTPError(400, f"'lang' must be fr or en, got {language!r}")
    return language


class OverviewHandler(JournalHandler):
    """A group's or cohort's passports side by side (their tutors and coordinators)."""

    @web.authenticated
    @authorized
    def get(self, scope: str, scope_id: str) -> None:
        viewer = self.call(self.extension.viewer)
        self.reply(self.call(lambda: passport.overview(
            self.extension.store, viewer, scope, int(scope_id), self.extension.language
        )))


class OverviewChartHandler(JournalHandler):
    """A group's or cohort's overview as a figure (SVG): learners by competences, coloured by status."""

    @web.authenticated
    @authorized
    async def get(self, scope: str, scope_id: str) -> None:
        from journal_ext.kernel import charts

        language = _chart_language(self)
        viewer = self.call(self.extension.viewer)
        data = self.call(lambda: passport.overview(self.extension.store, viewer, scope, int(scope_id), language))
        svg = await asyncio.to_thread(charts.overview_svg, data, language)
        self.set_header("Cache-Control", "no-store")
        self.finish(svg, set_content_type="image/svg+xml; charset=utf-8")


class PassportChartHandler(JournalHandler):
    """A learner's passport as a figure (SVG): evidence per competence by state, self-positioning."""

    @web.authenticated
    @authorized
    async def get(self, learner: str) -> None:
        from journal_ext.kernel import charts

        language = _chart_language(self)
        viewer = self.call(self.extension.viewer)
        data = self.call(lambda: passport.passport(self.extension.store, viewer, learner, language))
        # Drawing takes a moment: off the server's event loop.
        svg = await asyncio.to_thread(charts.passport_svg, data, language)
        self.set_header("Cache-Control", "no-store")
        self.finish(svg, set_content_type="image/svg+xml; charset=utf-8")


class PassportHandler(JournalHandler):
    """A learner's competence passport (the learner, their tutors, their cohort's coordinators)."""

    @web.authenticated
    @authorized
    def get(self, learner: str) -> None:
        viewer = self.call(self.extension.viewer)
        self.reply(
            self.call(lambda: passport.passport(self.extension.store, viewer, learner, self.extension.language))
        )


class DocumentEvidenceHandler(JournalHandler):
    """POST claims a passage of the document as evidence of a competence."""

    @web.authenticated
    @authorized
    def post(self, document_id: str) -> None:
        fields = _fields(
            self,
            ("cell_id", "start", "end", "exact", "competence", "justification"),
            ("cell_id", "start", "end", "exact", "competence"),
        )
        viewer = self.call(self.extension.viewer)
        claimed = self.call(
            lambda: passport.claim(self.extension.store, viewer, int(document_id), **fields)
        )
        self.set_header("Location", url_path_join(self.base_url, "journal", "api", "evidence", str(claimed["id"])))
        self.reply(claimed, status=201)


class EvidenceHandler(JournalHandler):
    """One piece of evidence with its judgements and comments."""

    @web.authenticated
    @authorized
    def get(self, evidence_id: str) -> None:
        viewer = self.call(self.extension.viewer)
        self.reply(self.call(lambda: passport.get(self.extension.store, viewer, int(evidence_id))))


class EvidenceActionHandler(JournalHandler):
    """POST evidence/<id>/withdraw, /assessments {state, comment}, /comments {text}."""

    @web.authenticated
    @authorized
    def post(self, evidence_id: str, action: str) -> None:
        store, number = self.extension.store, int(evidence_id)
        if action == "withdraw":
            # Nothing to say but the id: any body is ignored.
            viewer = self.call(self.extension.viewer)
            self.reply(self.call(lambda: passport.withdraw(store, viewer, number)))
            return
        if action == "assessments":
            fields = _fields(self, ("state", "comment"), ("state",))
            viewer = self.call(self.extension.viewer)
            self.reply(
                self.call(lambda: passport.assess(store, viewer, number, fields["state"], fields.get("comment", ""))),
                status=201,
            )
            return
        fields = _fields(self, ("text",), ("text",))
        viewer = self.call(self.extension.viewer)
        self.reply(self.call(lambda: passport.comment(store, viewer, number, fields["text"])), status=201)


class SelfPositioningHandler(JournalHandler):
    """POST the learner's ratings of themselves: {ratings: {competence: 1-4}, day?: YYYY-MM-DD, note?}."""

    @web.authenticated
    @authorized
    def post(self) -> None:
        fields = _fields(self, ("ratings", "day", "note"), ("ratings",))
        day = fields.get("day")
        if day is not None:
            try:
                day = dt.date.fromisoformat(day) if isinstance(day, str) else None
            except ValueError:
                day = None
            if day is None:
                raise web.HTTPError(400, f"'day' must be a date like 2026-11-23, got {fields['day']!r}")
        viewer = self.call(self.extension.viewer)
        rows = self.call(
            lambda: passport.position_self(
                self.extension.store, viewer, fields["ratings"], day=day, note=fields.get("note", "")
            )
        )
        self.reply({"ratings": rows}, status=201)


def route_table(extension: "JournalExtension") -> list[tuple[str, type, dict[str, Any]]]:
    """Every route of the journal API, under one namespace."""
    kwargs = {"extension": extension}
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
    ]
