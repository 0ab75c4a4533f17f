"""Annotations in the margins of journal documents: anchored to a passage of a cell, threaded, resolvable.

Tutors comment, question and assess; learners who read a document ask
questions; everyone who annotates replies (the rules, and who reads what,
are in :mod:`journal_ext.core.permissions`). Annotations are stored outside the
notebook, so learners cannot edit a tutor's words, and follow the W3C Web
Annotation model: the target is a cell of a document, refined by a quote
(exact text, prefix, suffix) and a position in Unicode code points (see
:mod:`journal_ext.core.anchoring`).

Anchors are computed when annotations are read, against the cell's current
text: an annotation whose passage changed past recognition, or whose cell
was deleted, is listed as orphaned with the passage it quoted; none is ever
dropped. Deleting an annotation only marks it deleted: one with replies stays
in its thread, its text withdrawn, so nobody's reply loses its context.

A hidden document or a hidden annotation answers exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote as url_quote

from journal_ext.core import anchoring
from journal_ext.core.documents import catalogue, readable_document
from journal_ext.core.permissions import (
    LEARNER_AUDIENCES,
    PermissionDenied,
    Viewer,
    annotation_audiences,
    annotation_motivations,
    is_writable,
    may_change_own,
    may_read_annotation,
    may_reply,
    may_resolve,
)
from journal_ext.db import (
    ANNOTATION_AUDIENCES,
    ANNOTATION_MOTIVATIONS,
    ANNOTATION_STATUSES,
    CellRow,
    JournalStore,
    NotFound,
    StoreError,
)
from journal_ext.i18n import Message, phrase, unknown_fields

MAX_BODY_LENGTH = 20_000
# What a comment is called in the messages that refuse it.
ANNOTATION_TEXT = phrase("the annotation's text")
THE_REPLY = phrase("the reply")
ORPHAN_REASONS = ("cell_deleted", "passage_not_found")
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
DEFAULT_BASE = "urn:journal-ext:"
# From the narrowest audience to the widest: each reaches at least the people of the one before.
AUDIENCE_BREADTH = {"tutors": 0, "learner": 1, "group": 2}
# Fields of a new annotation, and what an existing one lets change.
CREATE_FIELDS = ("cell_id", "start", "end", "exact", "body", "motivation", "audience")
UPDATE_FIELDS = ("body", "motivation", "audience", "status")


class _Names:
    """Display names looked up once per call (threads repeat their authors)."""

    def __init__(self, store: JournalStore) -> None:
        self.store = store
        self.known: dict[str, str] = {}

    def __call__(self, user: str | None) -> str | None:
        if user is None:
            return None
        if user not in self.known:
            self.known[user] = self.store.display_name(user)
        return self.known[user]


# -- validation -----------------------------------------------------------------


def _body(value: Any, what: Message = ANNOTATION_TEXT) -> str:
    """A comment's text: non-empty, at most MAX_BODY_LENGTH characters, no control characters but line breaks and tabs."""
    if not isinstance(value, str):
        raise StoreError("'body' ({what}) must be text, got {found}", what=what, found=type(value).__name__)
    if not value.strip():
        raise StoreError("{what} cannot be empty: write what you want to say", what=what)
    if len(value) > MAX_BODY_LENGTH:
        raise StoreError(
            "{what} is too long ({length} characters, at most {most}): shorten it or split it in replies",
            what=what,
            length=len(value),
            most=MAX_BODY_LENGTH,
        )
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise StoreError("{what} cannot contain control characters (only line breaks and tabs)", what=what)
    return value


def _choice(value: Any, choices: Iterable[str], field: str) -> str:
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        raise StoreError(
            "'{field}' must be one of {choices}; got {value}",
            field=field,
            choices=", ".join(choices),
            value=repr(value),
        )
    return value


def _offset(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise StoreError(
            "'{field}' must be a whole number (a position in the cell's text, counted in Unicode code"
            " points), got {value}",
            field=field,
            value=repr(value),
        )
    return value


def _cell(store: JournalStore, document: dict[str, Any], cell_id: Any) -> CellRow:
    if not isinstance(cell_id, str) or not cell_id:
        raise StoreError("'cell_id' must be the id of a cell of the notebook, got {cell_id}", cell_id=repr(cell_id))
    cell = store.cell(document["id"], cell_id)
    if cell is not None:
        return cell
    raise StoreError(
        "document {id} has no cell {cell_id}: save the notebook (a new cell is stored when the"
        " notebook is saved) or reload it (the cell may have been deleted)",
        id=document["id"],
        cell_id=repr(cell_id),
    )


def _passage(text: str, start: Any, end: Any, exact: Any) -> tuple[int, int, str]:
    """Check that ``exact`` is the cell's text from start to end (code points) and return them."""
    start, end = _offset(start, "start"), _offset(end, "end")
    if not isinstance(exact, str):
        raise StoreError("'exact' must be the annotated passage's text, got {exact}", exact=repr(exact))
    if not 0 <= start < end <= len(text):
        raise StoreError(
            "the passage {start}-{end} is not within this cell's text, which has {length} characters"
            " (0 <= start < end; positions count Unicode code points, not UTF-16 units)",
            start=start,
            end=end,
            length=len(text),
        )
    if text[start:end] != exact:
        found = text[start:end]
        shown = found if len(found) <= 60 else found[:57] + "…"
        raise StoreError(
            "the saved text of this cell from {start} to {end} reads {shown}, not the passage sent:"
            " save the notebook, then select the passage again (positions count Unicode code points,"
            " not UTF-16 units)",
            start=start,
            end=end,
            shown=repr(shown),
        )
    return start, end, exact


def _not_found(annotation_id: int) -> NotFound:
    return NotFound("no annotation with id {annotation_id}", annotation_id=annotation_id)


def _refuse_in_trash(document: dict[str, Any], doing: Message) -> None:
    if document.get("deleted_at"):
        raise PermissionDenied("this document is in the trash: move it back out before you {doing}", doing=doing)


# -- presenting -----------------------------------------------------------------


def _selectors(annotation: dict[str, Any]) -> anchoring.Selectors:
    return anchoring.selectors_from(
        annotation["exact"],
        annotation["prefix"],
        annotation["suffix"],
        annotation["position_start"],
        annotation["position_end"],
    )


def _live(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in rows if not row["deleted_at"]]


def _present_reply(
    viewer: Viewer, document: dict[str, Any], annotation: dict[str, Any], reply: dict[str, Any], names: _Names
) -> dict[str, Any]:
    mine = may_change_own(viewer, document, annotation, reply["author"])
    return {
        "id": reply["id"],
        "annotation_id": reply["annotation_id"],
        "author": reply["author"],
        "author_name": names(reply["author"]),
        "body": reply["body"],
        "created_at": reply["created_at"],
        "modified_at": reply["modified_at"],
        "edited": reply["modified_at"] != reply["created_at"],
        "can": {"edit": mine, "delete": mine},
    }


def _present(
    viewer: Viewer,
    document: dict[str, Any],
    annotation: dict[str, Any],
    replies: list[dict[str, Any]],
    cells: dict[str, CellRow],
    names: _Names,
) -> dict[str, Any]:
    """An annotation as the API shows it: its passage anchored in the current text, its live replies, what the viewer may do."""
    deleted = bool(annotation["deleted_at"])
    cell = cells.get(annotation["cell_id"])
    found = anchoring.anchor(cell.source, _selectors(annotation)) if cell is not None else None
    reason = None if found else ("cell_deleted" if cell is None else "passage_not_found")
    mine = may_change_own(viewer, document, annotation, annotation["author"]) and not deleted
    return {
        "id": annotation["id"],
        "document_id": annotation["document_id"],
        "cell_id": annotation["cell_id"],
        "cell": {"position": cell.position, "section_key": cell.section_key} if cell is not None else None,
        "author": annotation["author"],
        "author_name": names(annotation["author"]),
        "motivation": annotation["motivation"],
        "audience": annotation["audience"],
        # A deleted annotation kept for its replies no longer shows its author's words.
        "body": None if deleted else annotation["body"],
        "deleted": deleted,
        "status": annotation["status"],
        "created_at": annotation["created_at"],
        "modified_at": annotation["modified_at"],
        "edited": annotation["modified_at"] != annotation["created_at"],
        "resolved_by": annotation["resolved_by"],
        "resolved_by_name": names(annotation["resolved_by"]),
        "resolved_at": annotation["resolved_at"],
        "quote": {"exact": annotation["exact"], "prefix": annotation["prefix"], "suffix": annotation["suffix"]},
        "position": {"start": annotation["position_start"], "end": annotation["position_end"]},
        "anchor": found.to_dict() if found else None,
        "orphaned": found is None,
        "orphan_reason": reason,
        "replies": [_present_reply(viewer, document, annotation, r, names) for r in replies],
        "can": {
            "reply": may_reply(viewer, document, annotation) and not deleted,
            "edit": mine,
            "delete": mine,
            "resolve": may_resolve(viewer, document, annotation),
        },
    }


def _sort_key(item: dict[str, Any]) -> tuple[int, int, int, int]:
    cell, found = item["cell"], item["anchor"]
    return (
        0 if cell is not None else 1,
        cell["position"] if cell is not None else 0,
        found["start"] if found is not None else 1 << 62,
        item["id"],
    )


def _visible_threads(
    store: JournalStore, viewer: Viewer, document: dict[str, Any], rows: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The annotations among ``rows`` the viewer may see, each with its live replies.

    A deleted annotation stays only while its thread has replies.
    """
    rows = [row for row in rows if may_read_annotation(viewer, document, row)]
    replies: dict[int, list[dict[str, Any]]] = {}
    for reply in _live(store.replies([row["id"] for row in rows])):
        replies.setdefault(reply["annotation_id"], []).append(reply)
    return [(row, replies.get(row["id"], [])) for row in rows if not row["deleted_at"] or replies.get(row["id"])]


def _thread(
    store: JournalStore, viewer: Viewer, annotation_id: int
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """The document, the annotation and its live replies, when the viewer may see them; else NotFound like a missing one."""
    try:
        annotation = store.annotation(annotation_id)
        document = store.document(annotation["document_id"])
    except NotFound:
        raise _not_found(annotation_id) from None
    threads = _visible_threads(store, viewer, document, [annotation])
    if not threads:
        raise _not_found(annotation_id)
    return document, threads[0][0], threads[0][1]


def _present_one(store: JournalStore, viewer: Viewer, annotation_id: int) -> dict[str, Any]:
    document, annotation, replies = _thread(store, viewer, annotation_id)
    cells = {cell.cell_id: cell for cell in store.cells(document["id"])}
    return _present(viewer, document, annotation, replies, cells, _Names(store))


# -- reading --------------------------------------------------------------------


def list_annotations(
    store: JournalStore, viewer: Viewer, document_id: int, *, status: str | None = None
) -> dict[str, Any]:
    """A document's annotations the viewer may see, anchored in the current text, in reading order (orphans last)."""
    if status is not None:
        _choice(status, ANNOTATION_STATUSES, "status")
    document = readable_document(store, viewer, document_id)
    cells = {cell.cell_id: cell for cell in store.cells(document_id)}
    names = _Names(store)
    items = sorted(
        (
            _present(viewer, document, annotation, replies, cells, names)
            for annotation, replies in _visible_threads(store, viewer, document, store.annotations(document_id))
        ),
        key=_sort_key,
    )
    counts = {
        "total": len(items),
        "open": sum(item["status"] == "open" for item in items),
        "resolved": sum(item["status"] == "resolved" for item in items),
        "orphaned": sum(item["orphaned"] for item in items),
    }
    if status is not None:
        items = [item for item in items if item["status"] == status]
    return {
        "document_id": document_id,
        "revision": document["revision"],
        "counts": counts,
        "may_annotate": {
            "motivations": list(annotation_motivations(viewer, document)),
            "audiences": list(annotation_audiences(viewer, document)),
        },
        "annotations": items,
    }


def get_annotation(store: JournalStore, viewer: Viewer, annotation_id: int) -> dict[str, Any]:
    """One annotation with its thread and current anchor."""
    return _present_one(store, viewer, annotation_id)


def list_replies(store: JournalStore, viewer: Viewer, annotation_id: int) -> list[dict[str, Any]]:
    """The replies of an annotation's thread, oldest first."""
    document, annotation, replies = _thread(store, viewer, annotation_id)
    names = _Names(store)
    return [_present_reply(viewer, document, annotation, reply, names) for reply in replies]


def inbox(store: JournalStore, viewer: Viewer, language: str = "fr") -> dict[str, Any]:
    """What waits for the viewer in the margins: open threads whose last word is someone else's, newest first.

    Every open annotation of the documents the viewer owns or co-writes (not
    in the trash) that they may see, and, in the documents they only read
    (a tutor's learners' journals), the threads they started or replied to.
    Each item is an annotation as :func:`list_annotations` shows it, with its
    document (``path`` relative to the Journal folder) and its latest activity.
    """
    kept = catalogue(store, viewer, language)
    readable = {d["id"]: d for d in kept.readable}
    writable = {i for i, d in readable.items() if is_writable(viewer, d)}
    joined = {i for i in store.documents_with_threads_of(viewer.user) if i in readable}
    rows = store.open_annotations(sorted(writable | joined))
    paths = {d["id"]: path for path, d in kept.paths.items()} if rows else {}
    names = _Names(store)
    items = []
    cells_of: dict[int, dict[str, CellRow]] = {}
    by_document: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_document.setdefault(row["document_id"], []).append(row)
    for document_id, document_rows in by_document.items():
        document = readable[document_id]
        for annotation, replies in _visible_threads(store, viewer, document, document_rows):
            last = replies[-1] if replies else annotation
            if last["author"] == viewer.user:
                continue
            took_part = annotation["author"] == viewer.user or any(r["author"] == viewer.user for r in replies)
            if document_id not in writable and not took_part:
                continue
            if document_id not in cells_of:
                cells_of[document_id] = {cell.cell_id: cell for cell in store.cells(document_id)}
            item = _present(viewer, document, annotation, replies, cells_of[document_id], names)
            item["document"] = {
                "id": document_id,
                "title": document["title"],
                "kind": document["kind"],
                "path": paths.get(document_id),
            }
            item["last_activity"] = {
                "at": last["created_at"],
                "author": last["author"],
                "author_name": names(last["author"]),
                "reply_id": last["id"] if replies else None,
            }
            items.append(item)
    items.sort(key=lambda item: (item["last_activity"]["at"], item["id"]), reverse=True)
    return {"count": len(items), "annotations": items}


# -- writing --------------------------------------------------------------------


def create_annotation(store: JournalStore, viewer: Viewer, document_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """Annotate a passage of a cell: ``cell_id``, ``start``, ``end``, ``exact``, ``body`` and optionally ``motivation`` and ``audience``.

    ``start`` and ``end`` count Unicode code points in the cell's saved text,
    and ``exact`` must be that text between them (a guard against a stale or
    unsaved notebook). The motivation defaults to the first the viewer may
    use (tutors 'commenting', learners 'questioning'), the audience to
    'learner'.
    """
    unknown = set(fields) - set(CREATE_FIELDS)
    if unknown:
        raise StoreError(
            "{unknown}; an annotation has {fields}",
            unknown=unknown_fields(unknown),
            fields=", ".join(CREATE_FIELDS),
        )
    with store.write():
        document = readable_document(store, viewer, document_id)
        _refuse_in_trash(document, phrase("annotate it"))
        allowed = annotation_motivations(viewer, document)
        if not allowed:
            raise PermissionDenied(
                "you can read this document but not annotate it: the group's tutors comment on it,"
                " and the learners who read it may ask questions"
            )
        motivation = fields.get("motivation")
        motivation = allowed[0] if motivation is None else _choice(motivation, ANNOTATION_MOTIVATIONS, "motivation")
        if motivation not in allowed:
            raise PermissionDenied(
                "only the group's tutors may annotate with '{motivation}'; you may use {allowed}",
                motivation=motivation,
                allowed=", ".join(allowed),
            )
        audience = fields.get("audience")
        audience = "learner" if audience is None else _choice(audience, ANNOTATION_AUDIENCES, "audience")
        if audience not in annotation_audiences(viewer, document):
            raise PermissionDenied(
                "only the group's tutors may address an annotation to the tutors alone; choose one of"
                " {LEARNER_AUDIENCES}",
                LEARNER_AUDIENCES=", ".join(LEARNER_AUDIENCES),
            )
        if "body" not in fields:
            raise StoreError("'body' is required: the text of the annotation")
        body = _body(fields["body"])
        for required in ("cell_id", "start", "end", "exact"):
            if required not in fields:
                raise StoreError(
                    "'{required}' is required: an annotation targets a passage (cell_id, start, end, exact) of a cell",
                    required=required,
                )
        cell = _cell(store, document, fields["cell_id"])
        start, end, exact = _passage(cell.source, fields["start"], fields["end"], fields["exact"])
        selectors = anchoring.describe(cell.source, start, end)
        row = store.add_annotation(
            document_id=document_id,
            cell_id=cell.cell_id,
            author=viewer.user,
            motivation=motivation,
            audience=audience,
            body=body,
            exact=exact,
            prefix=selectors.quote.prefix,
            suffix=selectors.quote.suffix,
            start=start,
            end=end,
        )
        # Just written by the viewer, who may therefore see it, with no reply yet: no need to read it all again.
        return _present(viewer, document, row, [], {cell.cell_id: cell}, _Names(store))


def update_annotation(
    store: JournalStore, viewer: Viewer, annotation_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change an annotation: its author edits ``body``, ``motivation`` and ``audience``; ``status`` resolves or reopens it.

    Once someone else has replied, the audience may only narrow: they wrote
    for the people who could see the thread.
    """
    unknown = set(changes) - set(UPDATE_FIELDS)
    if unknown:
        raise StoreError(
            "{unknown}; you can change {fields}",
            unknown=unknown_fields(unknown),
            fields=", ".join(UPDATE_FIELDS),
        )
    if not changes:
        raise StoreError("nothing to change: send one of {UPDATE_FIELDS}", UPDATE_FIELDS=", ".join(UPDATE_FIELDS))
    with store.write():
        document, annotation, replies = _thread(store, viewer, annotation_id)
        own_fields = {k: v for k, v in changes.items() if k != "status"}
        if own_fields:
            if annotation["author"] != viewer.user:
                raise PermissionDenied("only the author of an annotation can change its text, motivation or audience")
            _refuse_in_trash(document, phrase("change an annotation"))
            if annotation["deleted_at"]:
                raise StoreError("this annotation was deleted: it can no longer be edited")
            body = _body(own_fields["body"]) if "body" in own_fields else None
            motivation = own_fields.get("motivation")
            if "motivation" in own_fields:
                _choice(motivation, ANNOTATION_MOTIVATIONS, "motivation")
                allowed = annotation_motivations(viewer, document)
                if motivation not in allowed:
                    raise PermissionDenied(
                        "only the group's tutors may annotate with '{motivation}'; you may use {allowed}",
                        motivation=motivation,
                        allowed=", ".join(allowed),
                    )
            audience = own_fields.get("audience")
            if "audience" in own_fields:
                _choice(audience, ANNOTATION_AUDIENCES, "audience")
                if audience not in annotation_audiences(viewer, document):
                    raise PermissionDenied(
                        "only the group's tutors may address an annotation to the tutors alone; choose one of"
                        " {LEARNER_AUDIENCES}",
                        LEARNER_AUDIENCES=", ".join(LEARNER_AUDIENCES),
                    )
                others = any(reply["author"] != viewer.user for reply in replies)
                if others and AUDIENCE_BREADTH[audience] > AUDIENCE_BREADTH[annotation["audience"]]:
                    raise PermissionDenied(
                        "others have replied for the people who could read this thread ('{audience}'): its"
                        " audience can be narrowed, not widened; write a new annotation for more people",
                        audience=annotation["audience"],
                    )
            store.update_annotation(annotation_id, body=body, motivation=motivation, audience=audience)
        if "status" in changes:
            status = _choice(changes["status"], ANNOTATION_STATUSES, "status")
            _refuse_in_trash(document, phrase("resolve or reopen an annotation"))
            if not may_resolve(viewer, document, annotation):
                raise PermissionDenied(
                    "only the annotation's author, the group's tutors and the people who write this document"
                    " can resolve or reopen it"
                )
            store.set_annotation_status(annotation_id, status, by=viewer.user)
    return _present_one(store, viewer, annotation_id)


def delete_annotation(store: JournalStore, viewer: Viewer, annotation_id: int) -> dict[str, Any]:
    """Withdraw one's own annotation. Its thread stays while it has replies (the text withdrawn); nothing is erased from the file."""
    with store.write():
        document, annotation, replies = _thread(store, viewer, annotation_id)
        if annotation["author"] != viewer.user:
            raise PermissionDenied("only the author of an annotation can delete it")
        _refuse_in_trash(document, phrase("delete an annotation"))
        store.delete_annotation(annotation_id)
    kept = bool(replies)
    return {
        "id": annotation_id,
        "deleted": True,
        "thread_kept": kept,
        "message": (
            "annotation deleted; its thread stays for the replies it received, without your text"
            if kept
            else "annotation deleted"
        ),
    }


def add_reply(store: JournalStore, viewer: Viewer, annotation_id: int, body: Any) -> dict[str, Any]:
    """Reply in an annotation's thread."""
    with store.write():
        document, annotation, _ = _thread(store, viewer, annotation_id)
        _refuse_in_trash(document, phrase("reply to an annotation"))
        if not may_reply(viewer, document, annotation):
            raise PermissionDenied(
                "you can read this annotation but not reply to it: the group's tutors and the learners who read"
                " the document write in its margins"
            )
        if annotation["deleted_at"]:
            raise StoreError("this annotation was deleted by its author: write a new annotation instead")
        reply = store.add_reply(annotation_id, author=viewer.user, body=_body(body, THE_REPLY))
    return _present_reply(viewer, document, annotation, reply, _Names(store))


def _own_reply(
    store: JournalStore, viewer: Viewer, annotation_id: int, reply_id: int, doing: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    document, annotation, replies = _thread(store, viewer, annotation_id)
    reply = next((r for r in replies if r["id"] == reply_id), None)
    if reply is None:
        raise NotFound(
            "annotation {annotation_id} has no reply with id {reply_id}", annotation_id=annotation_id, reply_id=reply_id
        )
    if reply["author"] != viewer.user:
        if doing == "edit":
            raise PermissionDenied("only the author of a reply can edit it")
        raise PermissionDenied("only the author of a reply can delete it")
    _refuse_in_trash(document, phrase("edit a reply") if doing == "edit" else phrase("delete a reply"))
    return document, annotation, reply


def update_reply(
    store: JournalStore, viewer: Viewer, annotation_id: int, reply_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change the text of one's own reply (``{"body": …}``)."""
    unknown = set(changes) - {"body"}
    if unknown:
        raise StoreError("{unknown}; only 'body' can be changed", unknown=unknown_fields(unknown))
    if "body" not in changes:
        raise StoreError("'body' is required: the new text of the reply")
    with store.write():
        document, annotation, _ = _own_reply(store, viewer, annotation_id, reply_id, "edit")
        reply = store.update_reply(reply_id, _body(changes["body"], THE_REPLY))
    return _present_reply(viewer, document, annotation, reply, _Names(store))


def delete_reply(store: JournalStore, viewer: Viewer, annotation_id: int, reply_id: int) -> dict[str, Any]:
    """Withdraw one's own reply (marked deleted, never erased)."""
    with store.write():
        _own_reply(store, viewer, annotation_id, reply_id, "delete")
        store.delete_reply(reply_id)
    return {"id": reply_id, "annotation_id": annotation_id, "deleted": True, "message": "reply deleted"}


# -- W3C export -----------------------------------------------------------------


def export_w3c(store: JournalStore, viewer: Viewer, document_id: int, *, base: str = DEFAULT_BASE) -> dict[str, Any]:
    """The document's annotations the viewer may see, as a W3C Web Annotation collection (JSON-LD).

    ``base`` prefixes every id: the journal API's URL (ending with '/') when
    served. Each annotation targets ``{base}documents/<id>#cell=<cell id>``
    with a TextQuoteSelector and a TextPositionSelector as they were recorded
    (the passage the annotator saw); each reply is an annotation of its own,
    motivated by 'replying', whose target is the annotation it answers. The
    status (open or resolved) is ``schema:creativeWorkStatus``.
    """
    document = readable_document(store, viewer, document_id)
    names = _Names(store)
    items: list[dict[str, Any]] = []
    for annotation, replies in _visible_threads(store, viewer, document, store.annotations(document_id)):
        annotation_uri = f"{base}annotations/{annotation['id']}"
        item: dict[str, Any] = {
            "id": annotation_uri,
            "type": "Annotation",
            "motivation": annotation["motivation"],
            "creator": _creator(annotation["author"], names),
            "created": annotation["created_at"],
            "modified": annotation["modified_at"],
            "audience": {"type": "schema:Audience", "schema:audienceType": annotation["audience"]},
            "schema:creativeWorkStatus": annotation["status"],
        }
        if not annotation["deleted_at"]:
            item["body"] = _textual_body(annotation["body"])
        item["target"] = {
            "source": f"{base}documents/{document_id}#cell={url_quote(annotation['cell_id'], safe='')}",
            "selector": _selectors(annotation).to_w3c(),
        }
        items.append(item)
        for reply in replies:
            items.append(
                {
                    "id": f"{annotation_uri}/replies/{reply['id']}",
                    "type": "Annotation",
                    "motivation": "replying",
                    "creator": _creator(reply["author"], names),
                    "created": reply["created_at"],
                    "modified": reply["modified_at"],
                    "body": _textual_body(reply["body"]),
                    "target": annotation_uri,
                }
            )
    collection = f"{base}documents/{document_id}/annotations?format=jsonld"
    return {
        "@context": W3C_CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": document["title"],
        "total": len(items),
        "first": {
            "id": f"{collection}&page=0",
            "type": "AnnotationPage",
            "partOf": collection,
            "startIndex": 0,
            "items": items,
        },
    }


def _creator(user: str, names: _Names) -> dict[str, Any]:
    return {"type": "Person", "nickname": user, "name": names(user)}


def _textual_body(text: str) -> dict[str, Any]:
    return {"type": "TextualBody", "value": text, "format": "text/markdown"}


__all__ = [
    "MAX_BODY_LENGTH",
    "add_reply",
    "create_annotation",
    "delete_annotation",
    "delete_reply",
    "export_w3c",
    "get_annotation",
    "inbox",
    "list_annotations",
    "list_replies",
    "update_annotation",
    "update_reply",
]
