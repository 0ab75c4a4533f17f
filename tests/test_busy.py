"""A busy journal: another process holds the database's write lock past the busy timeout.

Every such request answers 503 with ``Retry-After`` and a message a person can
act on (in French or English), on the REST API and on the contents API, and
writes nothing; sent again once the lock is gone, it succeeds.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from journal_ext.db import connection as store_module
from journal_ext.server.errors import BUSY_MESSAGES

from .test_hardening import (
    BODILESS,
    ROUTES,
    Case,
    Report,
    check,
    existing_ids,
    route_path,
    route_words,
    run,
    snapshot,
    valid_bodies,
)

WRITE_VERBS = ("post", "put", "patch", "delete")


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's store waits 0.3 s for the lock instead of 5 s (it opens the file on first use)."""
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 300)


@contextmanager
def lock_held(path: Path) -> Iterator[None]:
    """Another process's exclusive write transaction on the journal file."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


async def send(
    client: Any,
    base_url: str,
    auth: dict[str, str],
    method: str,
    url: str,
    body: bytes | None = None,
    language: str = "fr",
) -> Any:
    return await client.fetch(
        base_url + url,
        method=method,
        body=body,
        raise_error=False,
        allow_nonstandard_methods=True,
        headers={**auth, "Accept-Language": language},
    )


async def test_an_api_write_while_the_lock_is_held_is_503_with_retry_after_then_succeeds(
    short_busy_timeout, world, journal_db, http_server_client, jp_base_url, jp_auth_header
):
    url = f"journal/api/evidence/{world['claimed']}/comments"
    body = json.dumps({"text": "Voir l'entrée du 12."}).encode()
    await send(http_server_client, jp_base_url, jp_auth_header, "GET", "journal/api/me")
    before = snapshot(journal_db)
    with lock_held(journal_db):
        for language in ("fr", "en"):
            response = await send(http_server_client, jp_base_url, jp_auth_header, "POST", url, body, language)
            assert response.code == 503, response.body
            assert response.headers["Retry-After"] == "2"
            answer = json.loads(response.body)
            assert answer["code"] == "journal_busy"
            assert answer["message"] == BUSY_MESSAGES[language]
        # Reading does not wait for writers.
        response = await send(
            http_server_client, jp_base_url, jp_auth_header, "GET", f"journal/api/evidence/{world['claimed']}"
        )
        assert response.code == 200
    assert snapshot(journal_db) == before
    response = await send(http_server_client, jp_base_url, jp_auth_header, "POST", url, body)
    assert response.code == 201, response.body
    assert snapshot(journal_db) != before


async def test_a_contents_save_while_the_lock_is_held_is_503_and_the_text_waits(
    short_busy_timeout, world, journal_db, http_server_client, jp_base_url, jp_auth_header
):
    url = "api/contents/" + quote(world["path"])
    opened = json.loads((await send(http_server_client, jp_base_url, jp_auth_header, "GET", url)).body)
    notebook = opened["content"]
    notebook["cells"][-1]["source"] = "Un texte écrit pendant que le journal était occupé."
    body = json.dumps({"type": "notebook", "format": "json", "content": notebook}).encode()
    before = snapshot(journal_db)
    with lock_held(journal_db):
        response = await send(http_server_client, jp_base_url, jp_auth_header, "PUT", url, body)
        assert response.code == 503, response.body
        assert response.headers["Retry-After"] == "2"
        answer = json.loads(response.body)
        assert answer["message"] == BUSY_MESSAGES["fr"]
        assert answer["reason"] == "Journal Busy"
    assert snapshot(journal_db) == before
    response = await send(http_server_client, jp_base_url, jp_auth_header, "PUT", url, body)
    assert response.code == 200, response.body
    saved = json.loads((await send(http_server_client, jp_base_url, jp_auth_header, "GET", url)).body)
    assert saved["content"]["cells"][-1]["source"] == "Un texte écrit pendant que le journal était occupé."
    assert (
        saved["content"]["metadata"]["journal"]["revision"] == opened["content"]["metadata"]["journal"]["revision"] + 1
    )


def write_corpus(world: dict[str, Any]) -> list[Case]:
    """A valid request to every write verb of every route (a group of words is one route per word)."""
    corpus: list[Case] = []
    bodies = valid_bodies(world)
    for pattern, handler in ROUTES:
        for concrete, word in route_words(pattern):
            for verb in WRITE_VERBS:
                if verb not in handler.__dict__:
                    continue
                key = (handler.__name__, verb, word) if word else (handler.__name__, verb)
                body = bodies.get(key)
                if verb in ("post", "put", "patch") and body is None and key not in BODILESS:
                    raise AssertionError(f"{verb.upper()} {pattern}: no valid body")
                raw = json.dumps(body or {}).encode() if verb != "delete" else None
                corpus.append(
                    Case(verb.upper(), route_path(concrete, existing_ids(world, verb)), raw, "", "a valid write")
                )
    return corpus


async def test_every_write_route_and_the_contents_api_answer_busy_not_500_and_write_nothing(
    short_busy_timeout, world, journal_db, http_server_client, jp_base_url, jp_auth_header
):
    corpus = write_corpus(world)
    document = quote(world["path"])
    opened = json.loads(
        (await send(http_server_client, jp_base_url, jp_auth_header, "GET", f"api/contents/{document}")).body
    )
    opened["content"]["cells"][-1]["source"] = "Changé"
    saved = json.dumps({"type": "notebook", "format": "json", "content": opened["content"]}).encode()
    corpus += [
        Case("PUT", f"api/contents/{document}", saved, "", "save"),
        Case("POST", "api/contents/Journal/Mon%20journal", b'{"type": "notebook"}', "", "new notebook"),
        Case(
            "PATCH",
            f"api/contents/{document}",
            json.dumps({"path": "Journal/Mon journal/Renommé.ipynb"}).encode(),
            "",
            "rename",
        ),
        Case("DELETE", f"api/contents/{document}", None, "", "to the trash"),
        Case(
            "POST", "api/contents/Journal/Mon%20journal", json.dumps({"copy_from": world["path"]}).encode(), "", "copy"
        ),
    ]
    report = Report()
    with lock_held(journal_db):
        await run(corpus, report, http_server_client, jp_base_url, jp_auth_header, journal_db, busy_ok=True)
    check(report)
    # Most valid writes got as far as the lock; the rest were refused before it (4xx) for their own reasons.
    assert report.busy >= len(corpus) // 2, f"only {report.busy} of {report.sent} answered busy"


def test_a_cli_command_while_the_lock_is_held_says_so_in_one_line(short_busy_timeout, journal_db, monkeypatch):
    from click.testing import CliRunner

    from journal_ext.cli import cli

    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    before = snapshot(journal_db)
    with lock_held(journal_db):
        result = CliRunner().invoke(cli, ["cohort", "add", "Promotion 2027", "--db", str(journal_db)])
    assert result.exit_code == 1
    assert result.output == (
        "Erreur\u00a0: Le journal est occupé par d'autres enregistrements\u00a0: relancez la commande dans un instant"
        " (rien n'a été écrit).\n"
    )
    assert snapshot(journal_db) == before
    again = CliRunner().invoke(cli, ["cohort", "add", "Promotion 2027", "--db", str(journal_db)])
    assert again.exit_code == 0, again.output
