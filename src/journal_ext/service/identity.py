"""Who calls the journal service: the owner of the hub token the request carries, as the hub says.

Nothing the caller sends about itself counts (no user name, no header of
its own): the service asks the hub whose token it is, and whether that
token may use this service (``access:services!service=<name>``).
"""

from __future__ import annotations

from typing import Any

from jupyter_server.auth.identity import IdentityProvider, User
from tornado import web
from traitlets import Any as AnyTrait

from journal_ext.server.errors import language_of
from journal_ext.service.client import unavailable


class HubTokenIdentity(IdentityProvider):
    """A jupyter_server identity provider that resolves each request's token with JupyterHub."""

    # A jupyterhub.services.auth.HubAuth, configured from the service's environment.
    hub_auth = AnyTrait()

    async def get_user(self, handler: web.RequestHandler) -> User | None:
        token = self.hub_auth.get_token(handler, in_cookie=False)
        if not token:
            return None
        try:
            model: dict[str, Any] | None = await self.hub_auth.user_for_token(token, sync=False)
        except web.HTTPError as error:
            if error.status_code >= 500:
                # The hub itself is not answering: say so, rather than "forbidden".
                self.log.error("journal service: the hub did not answer a token check: %s", error)
                failure = unavailable(language_of(handler.request.headers.get("Accept-Language")))
                raise web.HTTPError(503, failure.message) from error
            raise
        if not model:
            return None
        if model.get("kind", "user") != "user":
            self.log.warning(
                "journal service: refused %s %r: journals are people's", model.get("kind"), model.get("name")
            )
            return None
        if self.hub_auth.access_scopes and not self.hub_auth.check_scopes(self.hub_auth.access_scopes, model):
            self.log.warning(
                "journal service: %s's token lacks %s",
                model.get("name"),
                ", ".join(sorted(self.hub_auth.access_scopes)),
            )
            return None
        handler._token_authenticated = True  # type: ignore[attr-defined]
        handler.hub_user = model  # type: ignore[attr-defined]
        name = str(model["name"])
        return User(username=name, name=name, display_name=name)

    def is_token_authenticated(self, handler: web.RequestHandler) -> bool:
        # Only tokens reach the service (no cookies, no login page): no XSRF to check.
        return True

    def should_check_origin(self, handler: web.RequestHandler) -> bool:
        return False
