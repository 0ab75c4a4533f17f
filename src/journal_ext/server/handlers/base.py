"""The base of every journal API handler: parse the request, call the library, reply."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from journal_ext.core import documents
from journal_ext.core.permissions import Viewer
from journal_ext.i18n import Message, message, plural_message, reader_language, unknown_fields
from journal_ext.server.context import JournalContext
from journal_ext.server.errors import (
    BUSY_RETRY_AFTER_SECONDS,
    CODES,
    Refusal,
    http_error_for,
    language_of,
)

AUTH_RESOURCE = "journal"
VERBS = ("get", "post", "put", "patch", "delete")


class JournalHandler(APIHandler):
    """Base of every journal API handler: the context, the viewer, errors as JSON.

    Every verb a subclass defines is authenticated and authorized (the
    ``journal`` resource) without a decorator of its own; a library error
    raised anywhere in it becomes its HTTP answer in :meth:`write_error`.
    """

    auth_resource = AUTH_RESOURCE

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for verb in VERBS:
            method = cls.__dict__.get(verb)
            if method is not None and not getattr(method, "_journal_guarded", False):
                guarded = web.authenticated(authorized(method))
                guarded._journal_guarded = True  # type: ignore[attr-defined]
                setattr(cls, verb, guarded)

    def initialize(self, context: JournalContext) -> None:
        self.context = context
        self._viewer: Viewer | None = None
        # Display names looked up during this request (a listing repeats owners).
        self._owner_names: dict[str, str] = {}

    @property
    def viewer(self) -> Viewer:
        """The person asking, with their memberships: read once per request."""
        if self._viewer is None:
            self._viewer = self.context.viewer(self)
        return self._viewer

    @property
    def language(self) -> str:
        """The language of this request's messages: the browser's (Accept-Language), else the server's."""
        return language_of(self.request.headers.get("Accept-Language"), self.context.language)

    async def prepare(self) -> None:  # type: ignore[override]  # as APIHandler.prepare
        """Note the reader's language for this request, so every message raised while answering it is in it."""
        reader_language.set(self.language)
        await super().prepare()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """A library error is a 4xx/503 answer, not a bug worth a traceback."""
        if value is not None and not isinstance(value, web.HTTPError) and http_error_for(value) is not None:
            self.log.warning("%s %s: %s", self.request.method, self.request.path, value)
            return
        super().log_exception(typ, value, tb)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Errors as JSON with a message a person can act on, in their language, and a stable ``code``.

        The one place library errors become HTTP (see ``errors.http_error_for``):
        403 not allowed, 404 missing, 400 bad request, 503 with ``Retry-After``
        when the database is busy; the message reads as written (tornado
        doubles each % of a message given without arguments).
        """
        exc_info = kwargs.get("exc_info") or (None, None, None)
        error = http_error_for(exc_info[1], self.language) if exc_info[1] is not None else None
        if error is None or not error.log_message:
            super().write_error(status_code, **kwargs)
            return
        if error.status_code != status_code:
            self.set_status(error.status_code, error.reason)
        if isinstance(error, Refusal):
            message = error.in_language(self.language)
            code = error.code
        else:
            try:
                message = error.log_message % error.args
            except (TypeError, ValueError):
                message = error.log_message
            code = CODES.get(error.status_code, "invalid_request")
        body: dict[str, Any] = {"message": message, "reason": error.reason, "code": code}
        if error.status_code == 503:
            self.set_header("Retry-After", str(BUSY_RETRY_AFTER_SECONDS))
        self.set_header("Content-Type", "application/json")
        self.log.warning("wrote error: %r", message)
        self.finish(json.dumps(body, ensure_ascii=False))

    def json_object(self, allowed: Iterable[str] | None = None, hint: Message | None = None) -> dict[str, Any]:
        """The request body, which must be a JSON object of valid Unicode text.

        With ``allowed``, a field outside it is refused with a 400 naming it,
        followed by ``hint`` (what the body may hold).
        """
        try:
            body = self.get_json_body()
        except UnicodeDecodeError as error:
            raise Refusal(400, "the request body must be JSON encoded in UTF-8") from error
        if not isinstance(body, dict):
            raise Refusal(400, "the request body must be a JSON object")
        try:
            # JSON may escape half of a UTF-16 pair ("\ud800"): no text can hold it.
            json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            raise Refusal(
                400, "the request body holds an unpaired surrogate (like \\ud800): send valid Unicode text"
            ) from error
        if allowed is not None:
            unknown = set(body) - set(allowed)
            if unknown:
                if hint is None:
                    raise Refusal(400, unknown_fields(unknown))
                raise Refusal(400, "{unknown}; {hint}", unknown=unknown_fields(unknown), hint=hint)
        return body

    def path_of(self, document_id: int) -> str | None:
        """Where a document appears for the current user in the contents API."""
        relative = documents.document_path(self.context.store, self.viewer, document_id, self.context.language)
        return f"{self.context.folder}/{relative}" if relative else None

    def summary(self, document: dict[str, Any], path: str | None = None) -> dict[str, Any]:
        """A document as the API shows it; its path is looked up when not given."""
        owner = document["owner"]
        if owner not in self._owner_names:
            self._owner_names[owner] = self.context.store.display_name(owner)
        return documents.document_summary(
            document,
            path if path is not None else self.path_of(document["id"]),
            self.context.language,
            self._owner_names[owner],
        )

    def created(self, payload: Any, *location: str) -> None:
        """Answer 201 with what was made, and its address below /journal/api in ``Location``."""
        self.set_header("Location", url_path_join(self.base_url, "journal", "api", *location))
        self.reply(payload, status=201)

    def reply(self, payload: Any, status: int = 200) -> None:
        """Send a JSON answer."""
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.finish(json.dumps(payload, ensure_ascii=False, default=str))


def optional_id(body: dict[str, Any], key: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise Refusal(400, "'{key}' must be a positive integer or null, got {value}", key=key, value=repr(value))
    return value


def text_field(body: dict[str, Any], key: str, default: str | None = None) -> str:
    """A body field that must be text (``default`` when absent, if given); 400 naming it otherwise."""
    value = body.get(key, default)
    if not isinstance(value, str):
        raise Refusal(400, "'{key}' must be text, got {value}", key=key, value=repr(value))
    return value


def body_fields(handler: JournalHandler, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """The request body's fields, refusing unknown ones and naming the missing ones."""
    body = handler.json_object(allowed, message("expected {fields}", fields=", ".join(allowed)))
    missing = [name for name in required if name not in body]
    if missing:
        raise Refusal(
            400,
            plural_message(
                "missing field: {names}",
                "missing fields: {names}",
                "count",
                names=", ".join(missing),
                count=len(missing),
            ),
        )
    return body


def flag_argument(handler: JournalHandler, name: str, default: bool) -> bool:
    """A yes/no query argument (true/false/1/0); 400 when it is something else."""
    value = handler.get_query_argument(name, "").lower()
    if value == "":
        return default
    if value not in ("true", "false", "1", "0"):
        raise Refusal(400, "'{name}' must be true or false, got {value}", name=name, value=repr(value))
    return value in ("true", "1")
