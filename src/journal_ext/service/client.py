"""How user servers, their kernels and the CLI reach the journal service: HTTP, with the caller's hub token.

The journal service (``journal-ext serve``) is the only process that opens
the database; everyone else asks it, and it knows who asks from the token
alone. ``JOURNAL_EXT_SERVICE_URL`` (set for every user server by the
snippet ``journal-ext hub-config`` prints) says where it is;
``JUPYTERHUB_API_TOKEN`` (set by JupyterHub for every user server, and
inherited by its kernels and terminals) is the caller's token.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from journal_ext.db import NotFound

SERVICE_URL_ENV = "JOURNAL_EXT_SERVICE_URL"
TOKEN_ENV = "JUPYTERHUB_API_TOKEN"

UNAVAILABLE_CODE = "journal_unavailable"
UNAVAILABLE_MESSAGES = {
    "fr": (
        "Le service du journal ne répond pas : rien n'a été enregistré. Réessayez dans un instant ;"
        " ce que vous n'avez pas enregistré reste dans votre onglet. Si cela dure, prévenez"
        " l'administrateur·rice de la plateforme."
    ),
    "en": (
        "The journal service is not answering: nothing was saved. Try again in a moment; what you"
        " have not saved stays in your tab. If it lasts, tell the platform's administrator."
    ),
}
# Seconds a caller should wait before asking an unreachable service again.
UNAVAILABLE_RETRY_AFTER_SECONDS = 2


class ServiceError(Exception):
    """The journal service refused a request, or could not be reached (503)."""

    def __init__(self, status: int, message: str, code: str | None = None, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.retry_after = retry_after


def unavailable(language: str = "fr") -> ServiceError:
    """The error for a service that does not answer."""
    return ServiceError(
        503,
        UNAVAILABLE_MESSAGES.get(language, UNAVAILABLE_MESSAGES["fr"]),
        UNAVAILABLE_CODE,
        str(UNAVAILABLE_RETRY_AFTER_SECONDS),
    )


@dataclass(frozen=True)
class Answer:
    """A service answer: status, headers and body as bytes."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8")) if self.body else None


@dataclass(frozen=True)
class ServiceClient:
    """Calls the journal service's API as the owner of ``token``.

    ``url`` is the service's address with its prefix, such as
    ``http://127.0.0.1:8765/services/journal/``.
    """

    url: str
    token: str
    language: str = "fr"
    timeout: float = 30.0

    @classmethod
    def from_environment(cls, language: str = "fr") -> ServiceClient | None:
        """The client the environment describes; None when no journal service is configured."""
        url = os.environ.get(SERVICE_URL_ENV, "").strip()
        if not url:
            return None
        return cls(url=url, token=os.environ.get(TOKEN_ENV, ""), language=language)

    def address(self, path: str, query: dict[str, Any] | None = None) -> str:
        """The full URL of ``path`` (below the service's prefix, e.g. ``journal/api/me``)."""
        address = self.url.rstrip("/") + "/" + path.lstrip("/")
        if query:
            address += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        return address

    def fetch(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        *,
        query: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        language: str | None = None,
    ) -> Answer:
        """Send one request; any status comes back as an :class:`Answer`, an unreachable service raises."""
        request = urllib.request.Request(self.address(path, query), data=body, method=method)
        request.add_header("Authorization", f"token {self.token}")
        request.add_header("Accept-Language", language or self.language)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return Answer(response.status, dict(response.headers.items()), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers.items()), error.read())
        except (urllib.error.URLError, OSError) as error:
            raise unavailable(language or self.language) from error

    def call(
        self,
        method: str,
        path: str,
        payload: Any = None,
        *,
        query: dict[str, Any] | None = None,
        language: str | None = None,
    ) -> Any:
        """Send a JSON request and return the JSON answer; a refusal raises :class:`ServiceError`."""
        body = None if payload is None else json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
        headers = {"Content-Type": "application/json"} if body is not None else {}
        answer = self.fetch(method, path, body, query=query, headers=headers, language=language)
        if answer.status >= 400:
            raise refusal(answer)
        return answer.json()


def refusal(answer: Answer) -> ServiceError:
    """The :class:`ServiceError` of an answer with an error status, with the service's own message."""
    message, code = "", None
    try:
        reply = answer.json()
    except (ValueError, UnicodeDecodeError):
        reply = None
    if isinstance(reply, dict):
        message = str(reply.get("message") or "")
        code = reply.get("code")
    return ServiceError(
        answer.status,
        message or f"the journal service answered {answer.status}",
        code if isinstance(code, str) else None,
        answer.headers.get("Retry-After"),
    )


def overview_scope(service: ServiceClient, group: str | None, cohort: str | None) -> tuple[str, int]:
    """A group (its name, or "COHORT/GROUP") or a cohort, by name, as (scope, id) for the journal API.

    Looked up among the caller's own groups, then among the groups they
    administer; whether they may see or export it is the service's to say.
    """
    groups = list(service.call("GET", "journal/api/me")["groups"])
    groups += service.call("GET", "journal/api/groups")["groups"]
    if group is not None:
        wanted = group.strip()
        found = {g["id"] for g in groups if wanted in (g["name"], f"{g['cohort']}/{g['name']}")}
        if len(found) != 1:
            known = ", ".join(sorted({f"{g['cohort']}/{g['name']}" for g in groups})) or "-"
            raise NotFound("no group '{group}' among yours ({known})", group=wanted, known=known)
        return "group", int(found.pop())
    cohorts = {g["cohort"]: g["cohort_id"] for g in groups}
    if cohort not in cohorts:
        raise NotFound(
            "no cohort '{cohort}' among yours ({known})", cohort=cohort, known=", ".join(sorted(cohorts)) or "-"
        )
    return "cohort", int(cohorts[str(cohort)])
