"""nbformat's functions with the types they have, for strict type checking.

nbformat ships ``py.typed`` but leaves the functions journal_ext calls
unannotated, and strict mypy refuses to call unannotated functions from
annotated code. Each name here is the nbformat function itself (nothing is
wrapped, nothing runs differently), declared once with the signature it is
documented to have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol, cast

import nbformat
from nbformat import NotebookNode
from nbformat.corpus.words import generate_corpus_id
from nbformat.v4 import nbjson
from nbformat.v4 import new_markdown_cell as _new_markdown_cell
from nbformat.v4 import new_notebook as _new_notebook


class _FromDict(Protocol):
    def __call__(self, d: Mapping[str, Any], /) -> NotebookNode: ...


class _NewNode(Protocol):
    def __call__(self, **fields: Any) -> NotebookNode: ...


class _NewMarkdownCell(Protocol):
    def __call__(self, source: str = "", *, metadata: Mapping[str, Any] = ...) -> NotebookNode: ...


class _NewNotebook(Protocol):
    def __call__(self, *, cells: Sequence[NotebookNode] = ..., metadata: Mapping[str, Any] = ...) -> NotebookNode: ...


class _RandomCellId(Protocol):
    def __call__(self) -> str: ...


class _JsonText(Protocol):
    def __call__(self, nb: NotebookNode, /, **kwargs: Any) -> str: ...


from_dict = cast(_FromDict, nbformat.from_dict)
"""A mapping, nested mappings included, as a NotebookNode (``nbformat.from_dict``)."""

new_node = cast(_NewNode, NotebookNode)
"""A NotebookNode of these fields, unchecked (``NotebookNode(**fields)``)."""

new_markdown_cell = cast(_NewMarkdownCell, _new_markdown_cell)
"""A markdown cell with a fresh id (``nbformat.v4.new_markdown_cell``)."""

new_notebook = cast(_NewNotebook, _new_notebook)
"""An nbformat 4 notebook of these cells and metadata, validated (``nbformat.v4.new_notebook``)."""

random_cell_id = cast(_RandomCellId, generate_corpus_id)
"""A new nbformat cell id (``nbformat.corpus.words.generate_corpus_id``)."""

json_text = cast(_JsonText, nbjson.writes)
"""A notebook as the JSON text nbformat writes, without validating it (``nbformat.v4.nbjson.writes``)."""

__all__ = [
    "NotebookNode",
    "from_dict",
    "json_text",
    "new_markdown_cell",
    "new_node",
    "new_notebook",
    "random_cell_id",
]
