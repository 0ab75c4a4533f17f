"""The library's errors as HTTP answers: one mapping for the REST API and the Journal/ drive.

403 not allowed, 404 missing (or hidden, which answers the same), 400 a
request the library cannot honour, 503 with ``Retry-After`` when another
process held the database's write lock past the busy timeout: nothing was
written, and the same request can be sent again.
"""

from __future__ import annotations

import contextvars
import json
from typing import Any

from tornado.web import HTTPError, OutputTransform

from journal_ext.core.permissions import PermissionDenied
from journal_ext.db import NotFound, StoreError, is_busy
from journal_ext.db.errors import BUSY, BUSY_MESSAGES
from journal_ext.i18n import (
    DEFAULT_LANGUAGE,
    ExplainedError,
    Message,
    current_language,
    language_of,
    reader_language,
)

__all__ = ["BUSY_MESSAGES", "JournalBusy", "Refusal", "http_error_for", "language_of"]

# How long a client should wait before sending a request refused as busy again.
BUSY_RETRY_AFTER_SECONDS = 2
BUSY_CODE = "journal_busy"
# The stable code of an answer, by status, when the error names none.
CODES = {400: "invalid_request", 403: "not_allowed", 404: "not_found", 409: "conflict", 503: BUSY_CODE}


# The code of the refusal being answered, for the transform that adds it to jupyter_server's error body.
refusal_code: contextvars.ContextVar[str | None] = contextvars.ContextVar("journal_refusal_code", default=None)


class Refusal(HTTPError):
    """An HTTP error whose message is a :class:`Message`, written in the reader's language, with a stable code.

    ``Refusal(400, "'{name}' must be true or false, got {value}", name=..., value=...)``;
    the text is shown in the language of the request being answered (or ``shown_in``).
    """

    def __init__(
        self,
        status_code: int,
        text: str | Message,
        /,
        *,
        code: str | None = None,
        reason: str | None = None,
        shown_in: str | None = None,
        **params: Any,
    ) -> None:
        self.message = text if isinstance(text, Message) else Message(text, params)
        self.code = code or CODES.get(status_code, "invalid_request")
        refusal_code.set(self.code)
        # jupyter_server's contents handler shows log_message as it is (it never formats it with args).
        super().__init__(status_code, self.message.render(shown_in or current_language()), reason=reason)

    def in_language(self, language: str) -> str:
        """The message in fr or en."""
        return self.message.render(language)


class JournalBusy(Refusal):
    """503: the journal's database stayed locked by another process past the busy timeout."""

    def __init__(self, language: str | None = None) -> None:
        super().__init__(503, BUSY, code=BUSY_CODE, reason="Journal Busy", shown_in=language)


def http_error_for(error: BaseException, language: str | None = None) -> HTTPError | None:
    """The HTTP error a library error stands for, in the reader's language; None for an error that is a bug (a 500)."""
    if isinstance(error, HTTPError):
        return error
    if is_busy(error):
        return JournalBusy(language)
    status = None
    if isinstance(error, PermissionDenied):
        status = 403
    elif isinstance(error, NotFound):
        status = 404
    elif isinstance(error, StoreError):
        status = 400
    if status is None or not isinstance(error, ExplainedError):
        return None
    return Refusal(status, error.message, code=error.code, shown_in=language)


class RetryAfterBusy(OutputTransform):
    """What jupyter_server's contents handler can't do for the Journal/ folder: Retry-After, a code, the language.

    The contents API's error body is written by jupyter_server, which clears
    the headers first; a transform runs after that, on the answer's first
    chunk: a busy 503 gets ``Retry-After``, an error gets the stable ``code``
    of the refusal that caused it beside its message. Before the request is
    answered, it notes the reader's language for the drive.
    """

    prefixes: tuple[str, ...] = ()
    # The language of the answers when the request's Accept-Language names neither French nor English.
    fallback_language = DEFAULT_LANGUAGE

    def __init__(self, request: Any) -> None:
        super().__init__(request)
        self._ours = any(request.path.startswith(prefix) for prefix in self.prefixes)
        # jupyter_server's contents handler calls the Journal/ drive with no request at hand:
        # the reader's language goes with the request through a context variable.
        if self._ours:
            reader_language.set(language_of(request.headers.get("Accept-Language"), self.fallback_language))
        else:
            reader_language.set(None)
        refusal_code.set(None)

    def transform_first_chunk(
        self, status_code: int, headers: Any, chunk: bytes, finishing: bool
    ) -> tuple[int, Any, bytes]:
        if self._ours and status_code == 503 and "Retry-After" not in headers:
            headers["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        if self._ours and status_code >= 400 and finishing and "json" in headers.get("Content-Type", ""):
            chunk = self._with_code(status_code, headers, chunk)
        return status_code, headers, chunk

    @staticmethod
    def _with_code(status_code: int, headers: Any, chunk: bytes) -> bytes:
        try:
            body = json.loads(chunk)
        except ValueError:
            return chunk
        if not isinstance(body, dict) or "message" not in body or "code" in body:
            return chunk
        body["code"] = refusal_code.get() or CODES.get(status_code, "invalid_request")
        answer = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers["Content-Length"] = str(len(answer))
        return answer


def retry_after_transform(prefixes: tuple[str, ...], language: str = DEFAULT_LANGUAGE) -> type[RetryAfterBusy]:
    """A :class:`RetryAfterBusy` for answers under these URL path prefixes (``language``: the server's)."""
    return type("JournalRetryAfterBusy", (RetryAfterBusy,), {"prefixes": prefixes, "fallback_language": language})
