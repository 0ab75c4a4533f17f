"""Contents managers the composition tests configure a server with (imported by the server process)."""

from __future__ import annotations

from typing import Any

from jupyter_server.services.contents.filemanager import AsyncFileContentsManager


class NoHashContentsManager(AsyncFileContentsManager):
    """A manager written before jupyter_server 2.11: its get() takes no require_hash."""

    async def get(  # type: ignore[override]
        self, path: str, content: bool = True, type: str | None = None, format: str | None = None
    ) -> dict[str, Any]:
        return await super().get(path, content=content, type=type, format=format)


class UnwrappableContentsManager(AsyncFileContentsManager):
    """A manager that forbids subclasses: journal_ext cannot put Journal/ in front of it."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        raise TypeError(f"{cls.__name__}: this contents manager can't be subclassed")
