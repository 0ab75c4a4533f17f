"""Whose outputs a reader's browser may run: decided per reader by a notary, never by what was saved.

A notebook cell marked ``trusted`` has its outputs (HTML with scripts,
JavaScript) run by JupyterLab. jupyter_server decides that with a notary:
on save it signs the notebook when every output is trusted by the person
saving, on open it trusts the cells only when that person's notary signed
exactly this content. Journal documents are read by several people, so the
signature is the reader's own: each journal user gets a notary whose secret
is derived from the server's notary secret and the user's name. A learner's
re-run outputs stay trusted for that learner; a tutor or a co-writer opening
the same notebook gets them untrusted (shown as text, never run), whatever
the learner wrote in the cell's metadata.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, Protocol, cast

from nbformat.sign import NotebookNotary

from journal_ext.core.notebooks import source_text

TRUSTED_KEY = "trusted"


class Notary(Protocol):
    """What journal_ext uses of an nbformat ``NotebookNotary`` (whose methods carry no annotations)."""

    @property
    def secret(self) -> bytes: ...
    @property
    def algorithm(self) -> str: ...
    @property
    def data_dir(self) -> str: ...
    @property
    def store(self) -> Any: ...

    def check_signature(self, nb: Any) -> bool: ...
    def mark_cells(self, nb: Any, trusted: bool) -> None: ...
    def check_cells(self, nb: Any) -> bool: ...
    def sign(self, nb: Any) -> None: ...


class _NewNotary(Protocol):
    def __call__(self, *, secret: bytes, algorithm: str, data_dir: str, store: Any) -> Notary: ...


# NotebookNotary itself, declared with the keywords it is given here.
_new_notary = cast(_NewNotary, NotebookNotary)


def strip_trust(notebook: dict[str, Any]) -> None:
    """Remove every cell's ``trusted`` flag: what a saver claims is never kept as the truth."""
    for cell in notebook.get("cells", []):
        metadata = cell.get("metadata")
        if isinstance(metadata, dict):
            metadata.pop(TRUSTED_KEY, None)


def has_outputs(notebook: dict[str, Any]) -> bool:
    """True when some code cell has an output (otherwise there is nothing to trust or distrust)."""
    return any(cell.get("cell_type") == "code" and cell.get("outputs") for cell in notebook.get("cells", []))


class ReaderNotaries:
    """One notary per journal user, derived from the server's own notary."""

    def __init__(self, base: Notary) -> None:
        self._base = base
        self._notaries: dict[str, Notary] = {}

    def notary(self, user: str) -> Notary:
        """The notary that signs and checks for ``user``."""
        notary = self._notaries.get(user)
        if notary is None:
            secret = hmac.new(
                self._base.secret, b"journal_ext reader\x00" + user.encode("utf-8"), hashlib.sha256
            ).digest()
            # The same signature store as the server's notary: signatures of
            # different readers differ because their secrets do.
            notary = _new_notary(
                secret=secret,
                algorithm=self._base.algorithm,
                data_dir=self._base.data_dir,
                store=self._base.store,
            )
            self._notaries[user] = notary
        return notary

    def mark_for_reader(self, user: str, notebook: Any) -> None:
        """Set each code cell's ``trusted`` to whether ``user`` signed exactly this notebook.

        Flags stored by older versions are dropped first, so they neither count
        nor change the signature.
        """
        strip_trust(notebook)
        if not has_outputs(notebook):
            return
        notary = self.notary(user)
        notary.mark_cells(notebook, notary.check_signature(notebook))

    def saver_trusts(self, notebook: Any) -> bool:
        """Whether the saver trusts every output of the notebook they send; removes the flags.

        Like jupyter_server's ``check_and_sign``: a code cell counts as trusted
        when marked so or when its outputs are plain text.
        """
        trusted = bool(self._base.check_cells(notebook))
        strip_trust(notebook)
        return trusted

    def sign_for(self, user: str, notebook: Any) -> None:
        """Record that ``user`` trusts this exact notebook (as it will be served to them)."""
        strip_trust(notebook)
        self.notary(user).sign(notebook)


def mark_for(notaries: ReaderNotaries | None, user: str, notebook: Any) -> None:
    """Trust the outputs ``user`` signed, and no one else's; with no notaries, none at all."""
    if notaries is not None:
        notaries.mark_for_reader(user, notebook)
        return
    strip_trust(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.get("outputs"):
            cell.metadata["trusted"] = False


def sign_if_unchanged(notaries: ReaderNotaries | None, user: str, served: Any, sent: dict[str, Any]) -> None:
    """Sign the notebook as served to ``user`` when its code cells are exactly those they sent and trusted.

    After a merge, a code cell someone else changed is not the saver's to
    trust: then nothing is signed and the saver sees those outputs untrusted.
    """
    if notaries is not None and code_cells(served) == code_cells(sent):
        notaries.sign_for(user, served)


def code_cells(notebook: dict[str, Any]) -> list[tuple[Any, Any, Any]]:
    """What a signature vouches for: each code cell's id, source and outputs."""
    return [
        (cell.get("id"), source_text(cell.get("source", "")), cell.get("outputs", []))
        for cell in notebook.get("cells", [])
        if cell.get("cell_type") == "code"
    ]
