"""The library's errors as HTTP answers: one mapping for the REST API and the Journal/ drive.

403 not allowed, 404 missing (or hidden, which answers the same), 400 a
request the library cannot honour, 503 with ``Retry-After`` when another
process held the database's write lock past the busy timeout: nothing was
written, and the same request can be sent again.
"""

from __future__ import annotations

from typing import Any

from tornado.web import HTTPError, OutputTransform

from journal_ext.core.permissions import PermissionDenied
from journal_ext.db import NotFound, StoreError, is_busy
from journal_ext.db.errors import BUSY_MESSAGES

# How long a client should wait before sending a request refused as busy again.
BUSY_RETRY_AFTER_SECONDS = 2
BUSY_CODE = "journal_busy"


class JournalBusy(HTTPError):
    """503: the journal's database stayed locked by another process past the busy timeout."""

    code = BUSY_CODE

    def __init__(self, language: str = "fr") -> None:
        super().__init__(503, BUSY_MESSAGES.get(language, BUSY_MESSAGES["fr"]), reason="Journal Busy")


def http_error_for(error: BaseException, language: str = "fr") -> HTTPError | None:
    """The HTTP error a library error stands for; None for an error that is a bug (a 500)."""
    if isinstance(error, HTTPError):
        return error
    if is_busy(error):
        return JournalBusy(language)
    if isinstance(error, PermissionDenied):
        return HTTPError(403, str(error))
    if isinstance(error, NotFound):
        return HTTPError(404, str(error))
    if isinstance(error, StoreError):
        return HTTPError(400, str(error))
    return None


def language_of(accept_language: str | None, fallback: str = "fr") -> str:
    """fr or en, the first of them an Accept-Language header names; ``fallback`` when it names neither."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("fr"):
            return "fr"
        if tag.startswith("en"):
            return "en"
    return fallback


class RetryAfterBusy(OutputTransform):
    """Adds ``Retry-After`` to a busy 503 of the Journal/ folder (jupyter_server's contents handler can't).

    The contents API's error body is written by jupyter_server, which clears
    the headers first; a transform runs after that, on the answer's first chunk.
    """

    prefixes: tuple[str, ...] = ()

    def __init__(self, request: Any) -> None:
        super().__init__(request)
        self._ours = any(request.path.startswith(prefix) for prefix in self.prefixes)

    def transform_first_chunk(
        self, status_code: int, headers: Any, chunk: bytes, finishing: bool
    ) -> tuple[int, Any, bytes]:
        if self._ours and status_code == 503 and "Retry-After" not in headers:
            headers["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return status_code, headers, chunk


def retry_after_transform(prefixes: tuple[str, ...]) -> type[RetryAfterBusy]:
    """A :class:`RetryAfterBusy` for answers under these URL path prefixes."""
    return type("JournalRetryAfterBusy", (RetryAfterBusy,), {"prefixes": prefixes})
