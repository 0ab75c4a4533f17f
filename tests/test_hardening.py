"""Hardening: a corpus of bad input against every API route and the journal folder of the contents API.

Every request of the corpus must be answered 4xx with a message a person can
read, never 5xx, and must leave the journal database exactly as it was. The
corpus is generated from ``route_table`` itself, so a new route is covered
as soon as it is added, and this module fails if a route gets no cases (an
id segment it doesn't know, a query argument it never sends).

A few requests of the corpus may legitimately succeed; each is marked with
the reason (``Case.succeeds``) and must still leave the database unchanged.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import re
import sqlite3
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import nbformat
import pytest
from nbformat.v4 import new_markdown_cell, new_notebook
from sqlite_utils import Database

from journal_ext import i18n
from journal_ext.db import SCHEMA_VERSION, JournalStore, apply_migrations, migrations
from journal_ext.server import handlers
from journal_ext.server.routes import route_table

from .conftest import COHORT, GROUP_A
from .test_migrations import make_first_schema_file
from .test_store import new_document

VERBS = ("get", "post", "put", "patch", "delete")
HUGE = 10**30
TWO_MB = "x" * 2_000_000
SQL = "'; DROP TABLE documents; --"
FTS = ('"', "NEAR(", "*", "-", ":", 'title:"a', "a AND", "(", "^", "NOT")
TRAVERSAL = ("../../etc/passwd", "..", "Journal/../..", "/etc/passwd", "..%2f..%2f")

# Which id a numeric segment holds, named by the path segment before it.
ID_SEGMENTS = ("documents", "revisions", "annotations", "replies", "groups", "evidence", "group", "cohort")
# Tables whose rows must not change: those counts() reports, and the ones around them.
EXTRA_TABLES = ("revisions", "group_templates", "domains")


@dataclass
class Case:
    """One request of the corpus."""

    method: str
    url: str  # below the server's base URL, already escaped as it goes on the wire
    body: bytes | None = None
    succeeds: str = ""  # why a 2xx is a right answer to this request (empty: it must be 4xx)
    label: str = ""


@dataclass
class Report:
    """What went wrong in a corpus, collected so one run shows every failure."""

    sent: int = 0
    busy: int = 0
    failures: list[str] = field(default_factory=list)


# --- the world the corpus runs against -------------------------------------------


def snapshot(journal_db: Path) -> tuple[dict[str, int], str]:
    """Row counts and a digest of every row of the main tables, read with a store of its own."""
    with JournalStore(journal_db) as store:
        counts = store.counts()
        digest = hashlib.sha256()
        for table in (*counts, *EXTRA_TABLES):
            rows = sorted(repr(tuple(row.values())) for row in store.db.query(f"SELECT * FROM [{table}]"))
            digest.update(f"{table}:{len(rows)}\n".encode())
            for row in rows:
                digest.update(row.encode("utf-8", "surrogatepass"))
        return counts, digest.hexdigest()


def files_around(tmp_path: Path) -> set[str]:
    """Every file under the test's directory and next to it (the database's own files aside)."""
    found = {str(p) for p in tmp_path.rglob("*") if not p.name.startswith("server-journal.db")}
    return found | {str(p) for p in tmp_path.parent.iterdir()}


def is_busy_answer(response: Any, text: str) -> bool:
    """A 503 that says the journal is busy (the only 5xx allowed): Retry-After and the busy code or reason."""
    try:
        body = json.loads(text)
    except ValueError:
        return False
    return (
        response.code == 503
        and response.headers.get("Retry-After", "").isdigit()
        and isinstance(body, dict)
        and (body.get("code") == "journal_busy" or body.get("reason") == "Journal Busy")
        and isinstance(body.get("message"), str)
        and bool(body["message"].strip())
    )


def _template_parts(text: str) -> list[str] | None:
    """The fixed words of a message text, in order; None when they say too little to recognise it."""
    parts = [part for part in re.split(r"\{\w+\}", text) if part.strip()]
    if len(re.findall(r"[^\W\d_]{3,}", "".join(parts))) < 3:
        return None
    return parts


def other_language_texts(language: str) -> list[tuple[str, list[str]]]:
    """The fixed words of every message in the language that is not ``language`` (where the two differ)."""
    texts = []
    for text, forms in i18n.catalogue("fr").items():
        for form in forms:
            if form == text:
                continue
            parts = _template_parts(text if language == "fr" else form)
            if parts is not None:
                texts.append((text, parts))
    return texts


def wrong_language(message: str, texts: list[tuple[str, list[str]]]) -> str | None:
    """The catalogue text a message was made from, when it is in the other language.

    A message holds its text's fixed words in order (the parameters between
    them may be anything, up to the 2 MB of a corpus value): found by plain
    search, never by a regular expression that would backtrack over them.
    """
    for text, parts in texts:
        position = 0
        for part in parts:
            position = message.find(part, position)
            if position < 0:
                break
            position += len(part)
        else:
            return text
    return None


async def run(
    corpus: list[Case],
    report: Report,
    client: Any,
    base_url: str,
    auth: dict[str, str],
    journal_db: Path,
    plain_text_ok: bool = False,
    busy_ok: bool = False,
    language: str | None = None,
) -> None:
    """Send each request and check its answer and that the database did not move.

    With ``busy_ok`` (another process holds the write lock), a 503 that says
    the journal is busy is a right answer too; any other 5xx never is. With
    ``language``, the requests say the reader reads it (Accept-Language) and
    every message must be in it, never in the other language.
    """
    before = snapshot(journal_db)
    headers = dict(auth)
    others: list[tuple[str, list[str]]] = []
    if language is not None:
        headers["Accept-Language"] = {"fr": "fr-FR,fr;q=0.9", "en": "en-GB,en;q=0.9"}[language]
        others = other_language_texts(language)
    for case in corpus:
        where = f"{case.method} {case.url[:120]} {case.label}".strip()
        try:
            response = await client.fetch(
                base_url.rstrip("/") + "/" + case.url,
                method=case.method,
                body=case.body,
                headers=headers,
                raise_error=False,
                allow_nonstandard_methods=True,
                follow_redirects=False,
                request_timeout=30,
            )
        except Exception as error:  # the test's own mistake: report it with the others
            report.failures.append(f"{where}: could not be sent: {error!r}")
            continue
        report.sent += 1
        text = response.body.decode("utf-8", "replace") if response.body else ""
        if 200 <= response.code < 300:
            if not case.succeeds:
                report.failures.append(f"{where}: answered {response.code}, expected 4xx: {text[:200]}")
        elif busy_ok and is_busy_answer(response, text):
            report.busy += 1
        elif not 400 <= response.code < 500:
            report.failures.append(f"{where}: answered {response.code}: {text[:300]}")
        else:
            try:
                message = json.loads(text).get("message")
            except (ValueError, AttributeError):
                # The contents API answers a missing file's GET with the bare message as text.
                message = text if plain_text_ok and not text.lstrip().startswith("<") else None
            if not isinstance(message, str) or not message.strip():
                report.failures.append(f"{where}: {response.code} without a message: {text[:200]}")
            elif others and (source := wrong_language(message, others)) is not None:
                report.failures.append(f"{where}: answered in the wrong language ({source!r}): {message[:200]}")
            elif (
                case.url.startswith(("journal/api", "api/contents/Journal"))
                and text.lstrip().startswith("{")
                and not re.fullmatch(r"[a-z_]+", str(json.loads(text).get("code")))
            ):
                # Beside the message in the reader's language, a code a program can rely on (the
                # Journal/ folder's too, whose error bodies jupyter_server writes).
                report.failures.append(f"{where}: {response.code} without a stable code: {text[:200]}")
        after = snapshot(journal_db)
        if after != before:
            report.failures.append(f"{where}: changed the database ({before[0]} -> {after[0]})")
            before = after


def check(report: Report) -> None:
    assert not report.failures, f"{len(report.failures)} of {report.sent} requests failed:\n" + "\n".join(
        report.failures[:60]
    )


# --- the REST API corpus ----------------------------------------------------------

ROUTES = [(pattern, handler) for pattern, handler, _ in route_table(None)]


def verbs_of(handler: type) -> list[str]:
    return [verb for verb in VERBS if verb in handler.__dict__]


def query_arguments_read() -> set[str]:
    """Every query argument the handlers read, found in their source (one module per resource)."""
    folder = Path(handlers.__file__).parent
    source = "\n".join(path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.py")))
    return set(re.findall(r"_argument\(\s*(?:self|handler)?,?\s*\"(\w+)\"", source))


# The query arguments each handler reads; a new one must be added here (a test checks it).
QUERY_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "DiffHandler": ("from", "to", "unchanged"),
    "SearchHandler": ("q", "limit", "syntax"),
    "GroupsHandler": ("cohort",),
    "DocumentAnnotationsHandler": ("format", "status"),
    "DocumentExportHandler": ("format", "lang", "prompts", "authors", "annotations", "lengths", "pdf_variant"),
    "GroupExportHandler": ("format", "lang", "prompts", "authors", "annotations", "lengths", "pdf_variant"),
    "JournalExportHandler": ("format", "lang", "prompts", "authors", "annotations", "lengths", "pdf_variant"),
    "PassportExportHandler": ("format", "lang", "prompts", "authors", "annotations", "lengths", "pdf_variant"),
}
BAD_QUERY_VALUES = ("-1", "abc", "1.5", "1e3", str(HUGE), "0x10", SQL, "\x00", "é", "yes", "[]", *TRAVERSAL)
# Query arguments whose value is free text: a search for any text is a right request.
FREE_TEXT_ARGUMENTS = {("SearchHandler", "q")}


def existing_ids(world: dict[str, Any], verb: str) -> dict[str, int]:
    """The ids of things that exist, by path segment; a DELETE targets others' annotations (refused)."""
    return {
        "documents": world["document"]["id"],
        "revisions": world["document"]["revision"],
        "annotations": world["comment"],
        "replies": world["tutor_reply"] if verb == "delete" else world["own_reply"],
        "groups": world["group_id"],
        # Withdrawn: withdrawing or assessing it again is a conflict, whatever the body.
        "evidence": world["withdrawn"],
        # Overviews: Camille, a learner, may open none.
        "group": world["group_id"],
        "cohort": world["cohort_id"],
    }


def valid_bodies(world: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """A body each handler would accept, to be spoiled one field at a time."""
    return {
        ("DocumentsHandler", "post"): {
            "template_id": world["template_id"],
            "group_id": world["group_id"],
            "title": "Entrée",
            "visibility": "tutors",
        },
        ("DocumentHandler", "patch"): {"visibility": "private"},
        ("DocumentAnnotationsHandler", "post"): {
            **world["passage"],
            "body": "Pourquoi ?",
            "motivation": "questioning",
            "audience": "learner",
        },
        ("AnnotationHandler", "patch"): {
            "body": "Autre",
            "motivation": "commenting",
            "audience": "learner",
            "status": "resolved",
        },
        ("AnnotationRepliesHandler", "post"): {"body": "Merci"},
        ("AnnotationReplyHandler", "patch"): {"body": "Merci"},
        # The passage and competence of a standing claim: a body that passes every check is a conflict.
        ("DocumentEvidenceHandler", "post"): {
            **world["passage"],
            "competence": world["competence"],
            "justification": "Je l'ai écrit.",
        },
        ("EvidenceActionHandler", "post", "assessments"): {"state": "ready", "comment": "Prêt"},
        ("EvidenceActionHandler", "post", "comments"): {"text": "Voir aussi l'entrée suivante."},
        ("SelfPositioningHandler", "post"): {
            "ratings": {world["competence"]: 2},
            "day": "2026-11-23",
            "note": "Je progresse.",
        },
        # Camille is a learner: every administration request is refused, whatever the body.
        ("CohortsHandler", "post"): {"name": "Promotion 2027-2028", "language": "fr", "source": "cohorte.yaml"},
        ("GroupsHandler", "post"): {"cohort": COHORT, "name": "Groupe C", "commission": "Une commande"},
        ("MembersHandler", "post"): {"group": GROUP_A, "user": "camille", "role": "tutor", "display_name": "Camille"},
        ("GroupTemplatesHandler", "post"): {"group": GROUP_A, "template": "journal-entry-fr", "source": "modele.yaml"},
    }


# Handlers that read no body: the body corpus would only repeat a request with good ids.
BODILESS = {("RestoreHandler", "post"), ("EvidenceActionHandler", "post", "withdraw")}

BAD_IDS = ("4242", "0", str(HUGE), str(2**63), str(2**63 - 1), "00", "9" * 400)
BAD_NAMES = ("nobody", quote(SQL, safe=""), "%2e%2e", quote("../..", safe=""), "x" * 3000, "%00", "%C3%A9")

RAW_BODIES: tuple[tuple[str, bytes], ...] = (
    ("not json", b"not json"),
    ("truncated", b'{"body": "x"'),
    ("empty", b""),
    ("trailing comma", b'{"body": "x",}'),
    ("invalid utf-8", b'{"body": "\xff\xfe"}'),
    ("NaN", b'{"body": NaN}'),
    ("2 MB of text", TWO_MB.encode()),
    ("deep nesting", b"[" * 100_000 + b"]" * 100_000),
    ("list", b"[]"),
    ("list of objects", b"[{}]"),
    ("string", b'"text"'),
    ("number", b"42"),
    ("null", b"null"),
    ("true", b"true"),
    ("empty object", b"{}"),
)

ID_VALUES = ("7", 1.5, -1, 0, True, HUGE, [], {}, SQL, "", 2**63)
TEXT_VALUES = (123, [], {}, True, "", "   ", TWO_MB, "ab\x00cd", "\x07bell", "\ud800", "a\udfffb")
CHOICE_VALUES = ("everyone", SQL, 3, True, [], {}, "", "PRIVATE", "private\x00", "\ud800", *FTS[:2])
OFFSET_VALUES = (-1, "3", 1.5, HUGE, True, None, [], 10**6)
FIELD_VALUES: dict[str, tuple[Any, ...]] = {
    "template_id": ID_VALUES,
    "group_id": ID_VALUES,
    "title": TEXT_VALUES,
    "visibility": CHOICE_VALUES,  # null is the default visibility: a right request
    "cell_id": ("nope", 5, None, [], "../..", SQL, "*", "", "\ud800", "x" * 100_000),
    "start": OFFSET_VALUES,
    "end": OFFSET_VALUES,
    "exact": (5, None, [], "", "pas ce texte", "\ud800", TWO_MB),
    "body": (*TEXT_VALUES, None),
    "motivation": CHOICE_VALUES,
    "audience": CHOICE_VALUES,
    "status": (*CHOICE_VALUES, None),
    "competence": ("ZZ9", SQL, 5, None, [], "", "\ud800"),
    "justification": (123, [], {}, True, TWO_MB, "ab\x00cd"),  # empty is allowed: no justification
    "state": (*CHOICE_VALUES, None),
    "comment": (123, [], {}, True, TWO_MB, "ab\x00cd"),  # empty is allowed: no comment
    "text": TEXT_VALUES,
    "ratings": ([], "C1", None, {}, {"ZZ9": 2}, {SQL: 2}, {"C1.1": 2, "": 1}, 2),
    "day": ("2026-13-01", "hier", 20261123, SQL, "", [], "2026-11-23T10:00:00", "\ud800"),
    "note": (123, [], {}, True, TWO_MB, "ab\x00cd"),  # empty is allowed: no note
    # Administration (refused to a learner whatever the body, but bad bodies first).
    "name": TEXT_VALUES,
    "language": CHOICE_VALUES,
    "source": TEXT_VALUES,
    "cohort": TEXT_VALUES,
    "commission": TEXT_VALUES,
    "group": TEXT_VALUES,
    "user": TEXT_VALUES,
    "role": CHOICE_VALUES,
    "display_name": TEXT_VALUES,
    "template": (123, [], True, "", SQL, "nope@9", {"id": "x"}, {}, "\ud800"),
}


def route_path(pattern: str, ids: dict[str, int], replace: dict[int, str] | None = None) -> str:
    """The pattern with its groups filled: existing ids, or the given text for group number n."""
    out: list[str] = []
    group = 0
    for token in re.split(r"(\([^)]*\))", pattern.strip("/")):
        if not token.startswith("("):
            out.append(quote(token))
            continue
        if replace and group in replace:
            out.append(replace[group])
        elif token == r"(\d+)":
            before = "".join(out).rstrip("/").rsplit("/", 1)[-1]
            assert before in ID_SEGMENTS, f"{pattern}: no known id for a segment after '{before}'"
            out.append(str(ids[before]))
        elif token == "([^/]+)":
            out.append("camille")
        else:
            raise AssertionError(f"{pattern}: no cases for the group {token}")
        group += 1
    return "".join(out)


def route_words(pattern: str) -> list[tuple[str, str]]:
    """A route per word of its group of words (a|b), with that word; the route itself, with '', when it has none."""
    choice = re.search(r"\(([a-z-]+(?:\|[a-z-]+)+)\)", pattern)
    if not choice:
        return [(pattern, "")]
    return [(pattern.replace(choice.group(0), word), word) for word in choice.group(1).split("|")]


def route_corpus(pattern: str, handler: type, world: dict[str, Any]) -> list[Case]:
    """Every bad request the corpus sends to one route; a group of words (a|b) is one route per word."""
    return [
        case
        for concrete, word in route_words(pattern)
        for case in concrete_route_corpus(concrete, handler, world, word)
    ]


def concrete_route_corpus(pattern: str, handler: type, world: dict[str, Any], word: str = "") -> list[Case]:
    """The corpus of one route whose groups are all ids or names."""
    corpus: list[Case] = []
    groups = re.findall(r"\([^)]*\)", pattern)
    name = handler.__name__
    for verb in verbs_of(handler):
        method = verb.upper()
        ids = existing_ids(world, verb)
        key = (name, verb, word) if word else (name, verb)
        base = valid_bodies(world).get(key)
        if verb in ("post", "put", "patch") and base is None and key not in BODILESS:
            raise AssertionError(f"{method} {pattern}: add a valid body to valid_bodies() or mark it BODILESS")
        good_body = json.dumps(base or {}).encode() if verb != "get" and verb != "delete" else None
        # Ids that don't exist, can't exist, or aren't numbers where the pattern allows text.
        for n, group in enumerate(groups):
            values = BAD_IDS if group == r"(\d+)" else BAD_NAMES
            for value in values:
                corpus.append(Case(method, route_path(pattern, ids, {n: value}), good_body, "", f"id {value[:20]!r}"))
        # Bad values for every query argument the handler reads.
        if verb == "get":
            for argument in QUERY_ARGUMENTS.get(name, ()):
                for value in ("", *BAD_QUERY_VALUES, *FTS):
                    succeeds = ""
                    if (name, argument) in FREE_TEXT_ARGUMENTS:
                        succeeds = "a search for any text, SQL or FTS syntax included, answers results or none"
                    elif value in ("", "\x00"):
                        # Tornado turns control characters into spaces and strips them.
                        succeeds = "an empty query argument means its default"
                    url = route_path(pattern, ids) + "?" + urlencode({argument: value})
                    corpus.append(Case(method, url, None, succeeds, f"?{argument}={value[:20]!r}"))
            for value in (SQL, "../../etc/passwd", "\x00"):
                url = route_path(pattern, ids) + "?" + urlencode({"colour": value, SQL: "1"})
                corpus.append(
                    Case(method, url, None, "a query argument no handler reads is ignored", f"?colour={value[:20]!r}")
                )
            if name == "SearchHandler":
                for value in (SQL, *FTS, "a" * 5000, "\x00", "é*", "NEAR(a b, -1)"):
                    url = route_path(pattern, ids) + "?" + urlencode({"q": value, "syntax": "fts"})
                    corpus.append(
                        Case(
                            method,
                            url,
                            None,
                            "an FTS query that parses answers its results; one that doesn't is a 400",
                            f"fts {value[:20]!r}",
                        )
                    )
        # Bad bodies, with good ids.
        if verb in ("post", "put", "patch") and key not in BODILESS:
            url = route_path(pattern, ids)
            for label, raw in RAW_BODIES:
                corpus.append(Case(method, url, raw, "", label))
            assert base is not None
            corpus.append(Case(method, url, json.dumps({**base, "colour": "red"}).encode(), "", "unknown field"))
            corpus.append(Case(method, url, json.dumps({**base, SQL: 1}).encode(), "", "SQL field name"))
            for field_name in base:
                values = FIELD_VALUES.get(field_name)
                assert values, f"{method} {pattern}: no bad values for the field '{field_name}'"
                for value in values:
                    body = json.dumps({**base, field_name: value}).encode()
                    corpus.append(Case(method, url, body, "", f"{field_name}={str(value)[:20]!r}"))
        if key == ("RestoreHandler", "post"):
            corpus.append(
                Case(
                    method,
                    route_path(pattern, ids),
                    b"{}",
                    "restoring the revision the document holds saves nothing",
                    "current revision",
                )
            )
    return corpus


def test_every_query_argument_the_handlers_read_is_in_the_corpus():
    covered = {a for arguments in QUERY_ARGUMENTS.values() for a in arguments}
    assert query_arguments_read() - covered == set()
    assert set(QUERY_ARGUMENTS) <= {h.__name__ for _, h in ROUTES}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("pattern", "handler"), ROUTES, ids=[p for p, _ in ROUTES])
async def test_bad_input_to_every_route_is_a_4xx_with_a_message(
    pattern, handler, language, world, journal_db, http_server_client, jp_base_url, jp_auth_header
):
    assert verbs_of(handler), f"{pattern} has no verb"
    corpus = route_corpus(pattern, handler, world)
    for verb in verbs_of(handler):
        assert any(case.method == verb.upper() for case in corpus), f"{verb.upper()} {pattern} has no cases"
    # The first request records the user; after it, no request of the corpus may write.
    await http_server_client.fetch(jp_base_url + "journal/api/me", headers=dict(jp_auth_header))
    report = Report()
    await run(corpus, report, http_server_client, jp_base_url, jp_auth_header, journal_db, language=language)
    check(report)


async def test_the_server_errors_the_corpus_found_are_now_messages(
    world, http_server_client, jp_base_url, jp_auth_header
):
    """Each of these answered 500 before: now a 4xx that says what to send instead."""

    async def answer(method: str, url: str, body: bytes | None = None, language: str = "en") -> tuple[int, str]:
        response = await http_server_client.fetch(
            jp_base_url + url,
            method=method,
            body=body,
            headers={**jp_auth_header, "Accept-Language": language},
            raise_error=False,
            allow_nonstandard_methods=True,
        )
        return response.code, json.loads(response.body)["message"]

    document_id, withdrawn = world["document"]["id"], world["withdrawn"]
    assert await answer("POST", "journal/api/documents", b'{"template_id": "\xff"}') == (
        400,
        "the request body must be JSON encoded in UTF-8",
    )
    code, message = await answer("POST", f"journal/api/annotations/{world['comment']}/replies", b'{"body": "\\ud800"}')
    assert (code, message) == (
        400,
        "the request body holds an unpaired surrogate (like \\ud800): send valid Unicode text",
    )
    assert await answer("POST", "journal/api/documents", json.dumps({"template_id": 2**63}).encode()) == (
        404,
        f"no template version with id {2**63}",
    )
    assert await answer("GET", f"journal/api/groups/{10**30}/export") == (404, f"no group with id {10**30}")
    assert await answer("GET", f"journal/api/evidence/{2**63}") == (404, f"no evidence with id {2**63}")
    assert await answer("GET", f"journal/api/evidence/{2**63}", language="fr") == (
        404,
        f"aucune preuve n'a l'identifiant {2**63}",
    )
    code, message = await answer(
        "POST",
        f"journal/api/documents/{document_id}/evidence",
        json.dumps({**world["passage"], "cell_id": [], "competence": world["competence"]}).encode(),
    )
    assert (code, message) == (400, "'cell_id' must be the id of a cell of the notebook, got []")
    code, message = await answer("POST", f"journal/api/evidence/{withdrawn}/comments", b'{"text": "a\\u0000b"}')
    assert (code, message) == (400, "the comment cannot contain control characters (only line breaks and tabs)")
    folder = "api/contents/Journal/Mon%20journal"
    invalid = await http_server_client.fetch(
        jp_base_url + folder, method="POST", body=b'{"ext": ".txt"}', headers=dict(jp_auth_header), raise_error=False
    )
    assert json.loads(invalid.body)["code"] == "invalid_request"
    assert int(invalid.headers["Content-Length"]) == len(invalid.body)
    assert await answer("POST", folder, b'{"ext": ".txt"}') == (
        400,
        "the journal folder only holds notebooks (.ipynb), not '.txt' files",
    )
    assert await answer("POST", folder, b'{"copy_from": 42}') == (
        400,
        "a contents path must be text, like 'Journal/Mon journal/Titre.ipynb'; got 42",
    )
    document = quote(world["path"])
    assert await answer("PATCH", f"api/contents/{document}", b'{"path": null}') == (
        400,
        "'path' is the new name, like 'Journal/Mon journal/Titre.ipynb'; got None",
    )
    # The Journal/ folder answers in the reader's language too, through jupyter_server's contents handler.
    assert await answer("PATCH", f"api/contents/{document}", b'{"path": null}', language="fr-FR,fr;q=0.9") == (
        400,
        "'path' est le nouveau nom, comme 'Journal/Mon journal/Titre.ipynb'\u202f; reçu\u00a0: None",
    )
    # A reader who reads neither French nor English gets the server's language (French by default).
    assert await answer("PATCH", f"api/contents/{document}", b'{"path": null}', language="de") == (
        400,
        "'path' est le nouveau nom, comme 'Journal/Mon journal/Titre.ipynb'\u202f; reçu\u00a0: None",
    )


# --- the contents API corpus ------------------------------------------------------


BAD_PATHS = (
    "Journal/../..",
    "Journal/../../etc/passwd",
    "Journal/%2e%2e",  # with a trailing slash, Jupyter's trailing-slash handler answers before the contents API
    "Journal/%2e%2e/%2e%2e/etc/passwd",
    "Journal/Mon%20journal/../../x.ipynb",
    "Journal/Mon%20journal%2F..%2F..%2Fx.ipynb",
    "Journal/./Mon%20journal",
    "Journal/%2Fetc%2Fpasswd",
    "%2e%2e/%2e%2e/x.ipynb",
    "Journal/" + "x" * 5000 + ".ipynb",
    "Journal/Mon%20journal/" + "%C3%A9" * 3000 + ".ipynb",
    "Journal/Mon%20journal/a%00b.ipynb",
    "Journal/Mon%20journal/a%2Fb.ipynb",
    "Journal/Mon%20journal/%ED%A0%80.ipynb",  # a lone surrogate, UTF-8 encoded
    "Journal/Pas%20un%20dossier/x.ipynb",
)


def notebook_model(content: Any, **extra: Any) -> bytes:
    return json.dumps({"type": "notebook", "format": "json", "content": content, **extra}).encode()


def invalid_notebooks() -> list[tuple[str, bytes]]:
    """Save bodies that must never become a journal revision."""
    good = nbformat.v4.new_notebook(cells=[new_markdown_cell("Bonjour")])
    as_dict = json.loads(nbformat.writes(good))
    v3 = {**as_dict, "nbformat": 3, "nbformat_minor": 0}
    no_cells = {k: v for k, v in as_dict.items() if k != "cells"}
    unknown_cell = {**as_dict, "cells": [{"cell_type": "widget", "id": "w1", "metadata": {}, "source": "x"}]}
    return [
        ("content is text", notebook_model("# not a notebook")),
        ("content is a list", notebook_model([1, 2])),
        ("content is null", notebook_model(None)),
        ("nbformat 3", notebook_model(v3)),
        ("missing cells", notebook_model(no_cells)),
        ("cells not a list", notebook_model({**as_dict, "cells": "cells"})),
        ("cells of numbers", notebook_model({**as_dict, "cells": [1, 2]})),
        ("unknown cell type", notebook_model(unknown_cell)),
        (
            "cell source a number",
            notebook_model({**as_dict, "cells": [{"cell_type": "markdown", "id": "m1", "metadata": {}, "source": 5}]}),
        ),
        ("lone surrogate in a cell", notebook_model({**as_dict, "cells": [new_markdown_cell("a\ud800b", id="s1")]})),
        ("type file", json.dumps({"type": "file", "format": "text", "content": "x"}).encode()),
        ("type directory", json.dumps({"type": "directory"}).encode()),
        ("type unknown", json.dumps({"type": "spreadsheet", "content": {}}).encode()),
        ("copy_from in a save", json.dumps({"copy_from": "/etc/passwd"}).encode()),
        ("not json", b"{not json"),
        ("2 MB string", json.dumps({"type": "notebook", "content": TWO_MB}).encode()),
    ]


# Left out, because jupyter_server itself answers them 500 whatever the path, before the
# contents manager is asked: a JSON list as the body of PUT, POST or PATCH (its handler calls
# model.get), a body that isn't UTF-8 (get_json_body decodes outside its try), and a PUT into a
# missing folder outside the journal (the file manager's own error). Duplicate cell ids are not
# bad input: nbformat gives the copies new ids and the save is a right one.
def contents_corpus(notebook_path: str) -> list[Case]:
    """Bad paths with every verb, invalid notebooks saved over and beside a document, bad renames."""
    corpus: list[Case] = []
    good = notebook_model(json.loads(nbformat.writes(new_notebook(cells=[new_markdown_cell("Bonjour")]))))
    document_url = quote(notebook_path)
    for path in BAD_PATHS:
        url = f"api/contents/{path}"
        corpus.append(Case("GET", url, None, "", "bad path"))
        corpus.append(Case("PUT", url, good, "", "save to a bad path"))
        corpus.append(Case("PUT", url, b"", "", "new untitled at a bad path"))
        corpus.append(
            Case(
                "PATCH", url, json.dumps({"path": "Journal/Mon journal/x.ipynb"}).encode(), "", "rename from a bad path"
            )
        )
        corpus.append(Case("DELETE", url, None, "", "bad path"))
        corpus.append(Case("POST", url, json.dumps({"type": "notebook"}).encode(), "", "new in a bad path"))
        corpus.append(Case("POST", url, json.dumps({"copy_from": notebook_path}).encode(), "", "copy into a bad path"))
    for label, body in invalid_notebooks():
        corpus.append(Case("PUT", f"api/contents/{document_url}", body, "", f"save over: {label}"))
        corpus.append(Case("PUT", "api/contents/Journal/Mon%20journal/Nouveau.ipynb", body, "", f"import: {label}"))
    for new_path in (
        "../../x.ipynb",
        "x.ipynb",
        "/tmp/x.ipynb",
        "Journal/Mon journal/../../x.ipynb",
        "Journal/../x.ipynb",
        "Journal/Terrain/x.ipynb",
        "Journal/Mon journal/x.txt",
        "Journal/Mon journal/.ipynb",
        "Journal/Mon journal/" + "x" * 5000 + ".ipynb",
        "Journal/Mon journal/a\x00b.ipynb",
        "Journal/Mon journal/\ud800.ipynb",
        42,
        None,
        [],
        {"path": "x"},
        "",
    ):
        corpus.append(
            Case(
                "PATCH",
                f"api/contents/{document_url}",
                json.dumps({"path": new_path}).encode(),
                "",
                f"rename to {str(new_path)[:30]!r}",
            )
        )
    for copy_from in ("/etc/passwd", "../../etc/passwd", "Journal/../../etc/passwd", 42, {"a": 1}):
        corpus.append(
            Case(
                "POST",
                "api/contents/Journal/Mon%20journal",
                json.dumps({"copy_from": copy_from}).encode(),
                "",
                f"copy from {copy_from!r}",
            )
        )
    for body in (b'{"type": "directory"}', b'{"type": "file"}', b'{"ext": ".txt"}', b'{"type": 5}', b'{"ext": 5}'):
        corpus.append(Case("POST", "api/contents/Journal/Mon%20journal", body, "", "new of a kind"))
    corpus.append(Case("DELETE", "api/contents/Journal/Mon%20journal", None, "", "delete a folder"))
    corpus.append(Case("DELETE", "api/contents/Journal", None, "", "delete the journal folder"))
    for query in ("type=directory", "type=file&format=base64", "type=%00", "content=2", "hash=x"):
        succeeds = {
            "content=2": "Jupyter reads any content value but 0 as 'with content'",
            "hash=x": "Jupyter reads any hash value but 0 as 'with a hash'",
            "type=%00": "Tornado strips control characters: no type asked for",
            "type=file&format=base64": "a journal document exists only as a notebook: that is the model answered",
        }.get(query, "")
        corpus.append(Case("GET", f"api/contents/{document_url}?{query}", None, succeeds, query))
    return corpus


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.filterwarnings("ignore::nbformat.warnings.MissingIDFieldWarning")  # the corpus's own bad cells
async def test_bad_input_to_the_journal_folder_is_a_4xx_with_a_message(
    language, world, journal_db, tmp_path, jp_root_dir, http_server_client, jp_base_url, jp_auth_header
):
    notebook_path = world["path"]
    # Opening the notebook once lets Jupyter write its own files (the notary's secret) before the count.
    await http_server_client.fetch(jp_base_url + "api/contents/" + quote(notebook_path), headers=dict(jp_auth_header))
    files = files_around(tmp_path)
    corpus = contents_corpus(notebook_path)
    report = Report()
    await run(
        corpus,
        report,
        http_server_client,
        jp_base_url,
        jp_auth_header,
        journal_db,
        plain_text_ok=True,
        language=language,
    )
    check(report)
    assert files_around(tmp_path) == files, "a request created or removed a file"
    assert not any(jp_root_dir.iterdir()), "a request wrote into the server's root"


# --- an old file, and a backup taken while people write -------------------------------


def test_a_file_at_the_previous_schema_upgrades_without_losing_a_row(tmp_path: Path):
    """Whatever SCHEMA_VERSION is, a file one migration behind opens, keeps every row and takes saves."""
    names = [m.name for m in migrations.pending(Database(memory=True))]
    assert len(names) == SCHEMA_VERSION, "one migration per schema version"
    path = tmp_path / "previous.db"
    make_first_schema_file(path)
    conn = sqlite3.connect(path)
    apply_migrations(Database(conn), stop_before=names[-1])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION - 1
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE '%_fts%' AND name != '_sqlite_migrations'"
        )
    ]
    columns = {t: [c[1] for c in conn.execute(f"PRAGMA table_info([{t}])")] for t in tables}

    def rows(connection: sqlite3.Connection) -> dict[str, list[tuple]]:
        return {
            t: sorted(
                connection.execute(f"SELECT {', '.join(f'[{c}]' for c in columns[t])} FROM [{t}]").fetchall(), key=repr
            )
            for t in tables
        }

    before = rows(conn)
    assert sum(len(r) for r in before.values()) > 20
    conn.close()
    with JournalStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert store.integrity_check() == "ok"
        assert rows(store.db.conn) == before
        revision = store.document(11)["revision"]
        cells = store.cells(11)
        added = replace(cells[0], cell_id="after-upgrade", position=len(cells), source="# Entrée, reprise")
        store.save_cells(11, [*cells, added], author="camille")
        assert store.document(11)["revision"] == revision + 1


def _save_and_report(path: str, document_id: int, report: Any, stop: Any) -> None:
    """Child process: save revision after revision, reporting each one after its commit."""
    with JournalStore(path) as store:
        n = 0
        while not stop.is_set():
            cells = store.cells(document_id)
            result = store.save_cells(document_id, [replace(cells[0], source=f"edit {n}"), *cells[1:]], author="yanis")
            report.send(result.revision)
            n += 1


def test_a_backup_taken_while_two_processes_write_holds_every_committed_revision(tmp_path: Path):
    spawn = multiprocessing.get_context("spawn")
    path = tmp_path / "journal.db"
    with JournalStore(path) as store:
        documents = [new_document(store), new_document(store, owner="yanis")]
    stop = spawn.Event()
    writers, pipes = [], []
    for document in documents:
        receive, send = spawn.Pipe(duplex=False)
        writer = spawn.Process(target=_save_and_report, args=(str(path), document["id"], send, stop))
        writer.start()
        send.close()
        writers.append(writer)
        pipes.append(receive)
    committed = [1, 1]
    try:
        deadline = time.monotonic() + 20
        while min(committed) < 10 and time.monotonic() < deadline:
            for i, receive in enumerate(pipes):
                # Drain what is there, but never for ever: a fast writer must not starve the other pipe.
                for _ in range(1000):
                    if not receive.poll(0.05):
                        break
                    committed[i] = receive.recv()
        assert min(committed) >= 10, "the writers did not get going"
        with JournalStore(path) as store:
            store.backup(tmp_path / "copy.db")
    finally:
        stop.set()
        for writer in writers:
            writer.join(20)
    assert [w.exitcode for w in writers] == [0, 0]
    # Restoring is opening the copy: it must be sound, hold every revision committed before the
    # backup began, each whole (one cell revision per save), and take new saves.
    with JournalStore(tmp_path / "copy.db") as copy:
        assert copy.integrity_check() == "ok"
        for document, reported in zip(documents, committed, strict=True):
            revision = copy.document(document["id"])["revision"]
            assert revision >= reported
            numbers = [r["revision"] for r in copy.revisions(document["id"])]
            assert sorted(numbers) == list(range(1, revision + 1))
            assert len(copy.cell_revisions(document["id"])) == 3 + (revision - 1)
            assert copy.cells(document["id"])[0].source == f"edit {revision - 2}"
        result = copy.save_cells(documents[0]["id"], copy.cells(documents[0]["id"])[1:], author="camille")
        assert result.revision == copy.document(documents[0]["id"])["revision"]
