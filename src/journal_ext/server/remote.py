"""A user server whose journal is the journal service: the Journal/ folder and /journal/api, over HTTP.

In service mode (``JOURNAL_EXT_SERVICE_URL`` set, see ``journal-ext
hub-config``) the server opens no database: its contents manager's
Journal/ folder (:class:`RemoteDrive`) and its ``/journal/api`` routes
(:class:`JournalProxyHandler`) ask the service, with this server's hub
token, so the service answers as the server's owner and no one else. The
frontend does not change. The service down: a 503 with a message a person
can act on; unsaved work stays in the editor, and everything resumes when
the service is back.
"""

from __future__ import annotations

import copy
import datetime as dt
import urllib.parse
from typing import Any

from jupyter_server.utils import url_path_join
from tornado import httpclient
from tornado.web import HTTPError

from journal_ext.core.nbtyping import from_dict
from journal_ext.core.trust import ReaderNotaries, has_outputs, mark_for, sign_if_unchanged, strip_trust
from journal_ext.i18n import current_language
from journal_ext.server.drive import folder_model, in_folder, notebook_from
from journal_ext.server.errors import Refusal
from journal_ext.server.handlers.base import JournalHandler
from journal_ext.service.client import (
    UNAVAILABLE_CODE,
    UNAVAILABLE_RETRY_AFTER_SECONDS,
    ServiceClient,
    ServiceError,
    unavailable,
)

# Answer headers the proxy passes on to the browser.
PASSED_HEADERS = ("Content-Type", "Content-Disposition", "Retry-After", "Cache-Control")


class RemoteDrive:
    """The Journal/ folder of one user server, answered by the journal service as the server's owner.

    Trust stays here, with this server's notary (the reader's own), and so
    does the base of each save: what this server's editors last received or
    sent, which the service merges against.
    """

    def __init__(
        self,
        client: ServiceClient,
        root: str = "Journal",
        language: str = "fr",
        notaries: ReaderNotaries | None = None,
    ) -> None:
        self.client = client
        self.root = root.strip("/")
        self.language = language
        self._notaries = notaries
        # Per path, the notebook (without trust flags) the editor last received or sent.
        self._seen: dict[str, dict[str, Any]] = {}
        self._user: str | None = None

    @property
    def user(self) -> str:
        """The server's owner, as the service knows them (their notary signs for them)."""
        if self._user is None:
            self._user = str(self._call_api("GET", "journal/api/me")["user"])
        return self._user

    def owns(self, path: str) -> bool:
        return in_folder(self.root, path)

    def _call_api(self, method: str, path: str, payload: Any = None) -> Any:
        try:
            # The service answers in the language of the person this server is answering.
            return self.client.call(method, path, payload, language=current_language(self.language))
        except ServiceError as error:
            raise _http_error(error) from error

    def _call(self, operation: str, **arguments: Any) -> Any:
        answer = self._call_api("POST", f"journal/api/drive/{operation}", {"language": self.language, **arguments})
        return answer["result"]

    def get(
        self,
        path: str,
        content: bool = True,
        type: str | None = None,
        format: str | None = None,
        require_hash: bool = False,
    ) -> dict[str, Any]:
        # jupyter_server passes content as 0/1 (from the query string): the service wants true/false.
        model = _with_times(
            self._call("get", path=path, content=bool(content), type=type, require_hash=bool(require_hash))
        )
        if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
            notebook = from_dict(model["content"])
            base = copy.deepcopy(notebook)
            strip_trust(base)
            self._seen[model["path"]] = base
            mark_for(self._notaries, self.user, notebook)
            model["content"] = notebook
        return model

    def save(self, model: dict[str, Any], path: str) -> dict[str, Any]:
        # Refused here as the service would (and before trust is looked at): only valid notebooks.
        notebook = notebook_from({**model, "content": copy.deepcopy(model.get("content"))})
        # The saver's word on trust never leaves this server; it decides what is signed for them.
        trusted = self._notaries.saver_trusts(notebook) if self._notaries is not None else False
        strip_trust(notebook)
        key = path.strip("/")
        sent = {"type": "notebook", "format": "json", "content": notebook}
        answer = _with_times(self._call("save", path=path, model=sent, base=self._seen.get(key)))
        self._seen[answer.get("path", key)] = notebook
        if trusted and self._notaries is not None and has_outputs(notebook):
            served = from_dict(self._call("get", path=answer["path"], content=True)["content"])
            sign_if_unchanged(self._notaries, self.user, served, notebook)
        return answer

    def new_untitled(self, path: str, type: str) -> dict[str, Any]:
        return _with_times(self._call("new_untitled", path=path, type=type))

    def rename(self, old_path: str, new_path: str) -> None:
        self._call("rename", old_path=old_path, new_path=new_path)
        base = self._seen.pop(old_path.strip("/"), None)
        if base is not None:
            self._seen[new_path.strip("/")] = base

    def delete(self, path: str) -> None:
        self._call("delete", path=path)

    def exists(self, path: str) -> bool:
        return bool(self._call("exists", path=path))

    def file_exists(self, path: str) -> bool:
        return bool(self._call("file_exists", path=path))

    def dir_exists(self, path: str) -> bool:
        return bool(self._call("dir_exists", path=path))

    def checkpoint(self, path: str) -> dict[str, Any]:
        return _with_times(self._call("checkpoint", path=path))

    def check_checkpoint(self, checkpoint_id: str, path: str) -> None:
        self._call("check_checkpoint", checkpoint_id=str(checkpoint_id), path=path)

    def trust(self, path: str) -> None:
        """The reader trusts a document's outputs as they are now (JupyterLab's Trust Notebook)."""
        served = from_dict(self._call("get", path=path, content=True)["content"])
        if self._notaries is not None:
            self._notaries.sign_for(self.user, served)

    def root_entry(self) -> dict[str, Any]:
        """The journal folder in the root listing; listed even while the service is down."""
        try:
            return _with_times(self._call("root_entry"))
        except HTTPError:
            return folder_model(self.root)


def _with_times(model: Any) -> dict[str, Any]:
    """A model from the service, with its times as datetimes again (JSON carried them as text)."""
    if not isinstance(model, dict):
        raise Refusal(502, "the journal service answered with {value} instead of a contents model", value=repr(model))
    for key in ("created", "last_modified"):
        if isinstance(model.get(key), str):
            model[key] = dt.datetime.fromisoformat(model[key])
    if isinstance(model.get("content"), list):
        for entry in model["content"]:
            _with_times(entry)
    return model


def _http_error(error: ServiceError) -> HTTPError:
    reason = "Journal Unavailable" if error.code == UNAVAILABLE_CODE else None
    # Shown as it is (jupyter_server never formats a contents error's message), in the reader's language.
    return HTTPError(error.status, error.message, reason=reason)


class JournalProxyHandler(JournalHandler):
    """``/journal/api/...`` of a user server in service mode: the same request, sent to the service.

    The service answers as this server's owner (the server's hub token),
    whatever the browser sends about who it is.
    """

    def initialize(self, context: Any, client: ServiceClient | None = None) -> None:
        super().initialize(context)
        assert client is not None
        self.client = client

    async def get(self, path: str) -> None:
        await self._forward(path)

    async def post(self, path: str) -> None:
        await self._forward(path)

    async def put(self, path: str) -> None:
        await self._forward(path)

    async def patch(self, path: str) -> None:
        await self._forward(path)

    async def delete(self, path: str) -> None:
        await self._forward(path)

    async def _forward(self, path: str) -> None:
        method = self.request.method or "GET"
        address = self.client.address(url_path_join("journal", "api", path))
        if self.request.query:
            address += "?" + self.request.query
        headers = {
            "Authorization": f"token {self.client.token}",
            "Accept-Language": self.request.headers.get("Accept-Language", self.context.language),
        }
        if "Content-Type" in self.request.headers:
            headers["Content-Type"] = self.request.headers["Content-Type"]
        request = httpclient.HTTPRequest(
            address,
            method=method,
            headers=headers,
            body=self.request.body if method in ("POST", "PUT", "PATCH") else None,
            allow_nonstandard_methods=True,
            request_timeout=self.client.timeout * 4,
        )
        try:
            response = await httpclient.AsyncHTTPClient().fetch(request, raise_error=False)
        except (OSError, httpclient.HTTPClientError) as error:
            self.log.warning("journal_ext: the journal service did not answer %s %s: %s", method, path, error)
            failure = unavailable(self.language)
            self.set_status(503, "Journal Unavailable")
            self.set_header("Retry-After", str(UNAVAILABLE_RETRY_AFTER_SECONDS))
            self.reply({"code": failure.code, "message": failure.message, "reason": "Journal Unavailable"}, 503)
            return
        self.set_status(response.code, response.reason)
        for name in PASSED_HEADERS:
            if name in response.headers:
                self.set_header(name, response.headers[name])
        if "Location" in response.headers:
            self.set_header("Location", self._local(response.headers["Location"]))
        # jupyter_server's API handlers answer JSON unless told otherwise (exports are files, charts SVG).
        self.finish(response.body or b"", set_content_type=response.headers.get("Content-Type", "application/json"))

    def _local(self, location: str) -> str:
        """A Location under the service's prefix, as the same address under this server's."""
        prefix = urllib.parse.urlparse(self.client.url).path.rstrip("/") + "/"
        if location.startswith(prefix):
            return url_path_join(self.base_url, location[len(prefix) :])
        return location
