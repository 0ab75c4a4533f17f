"""Shared fixtures: a journal database with a small cohort, and a Jupyter server running the extension."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from journal_ext.core import annotations, passport
from journal_ext.core.documents import (
    assign_builtin_templates,
    create_from_template,
    document_path,
    ensure_initialised,
    write_sections,
)
from journal_ext.core.framework import default_framework
from journal_ext.core.permissions import viewer_for
from journal_ext.db import JournalStore
from journal_ext.i18n import reader_language

pytest_plugins = ["pytest_jupyter.jupyter_server"]


@pytest.fixture(autouse=True)
def no_reader_language() -> Iterator[None]:
    """Each test starts outside any request: a language a previous test's request or command noted is gone."""
    token = reader_language.set(None)
    yield
    reader_language.reset(token)


@pytest.fixture(scope="session")
def journal_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real JupyterHub with unix users and the journal service (tests/hub.py), one per test run."""
    from tests.hub import running_hub

    yield from running_hub(tmp_path_factory.mktemp("hub"))


COHORT = "Promotion test"
GROUP_A = "Groupe Quartiers"
GROUP_B = "Groupe Tiers-lieu"


def answer_of(notebook: dict[str, Any], section: str) -> dict[str, Any]:
    """The writing cell of a section in a journal notebook's JSON."""
    from journal_ext.core.notebooks import JOURNAL_KEY

    return next(
        cell
        for cell in notebook["cells"]
        if cell["metadata"].get(JOURNAL_KEY, {}).get("role") == "answer"
        and cell["metadata"][JOURNAL_KEY]["section"] == section
    )


def shared_diagnostic(db_path: Path) -> tuple[int, str]:
    """A fresh file holding group A's shared diagnostic, its commission written: its id and its path in Journal/."""
    from journal_ext.core.documents import create_from_template, write_sections
    from journal_ext.server.drive import JournalDrive

    with JournalStore(db_path) as store:
        build_cohort(store)
        camille = viewer_for(store, "camille")
        group_id = store.group(f"{COHORT}/{GROUP_A}")["id"]
        version = next(v for v in store.group_templates(group_id) if v["kind"] == "shared_diagnostic")
        document = create_from_template(store, camille, template_version_id=version["id"], group_id=group_id)
        write_sections(store, camille, document, {"commission": "La commande du centre social."})
        path = "Journal/" + JournalDrive(lambda: store, lambda: camille)._path_of(document["id"]).split("/", 1)[1]
    return document["id"], path


def build_cohort(store: JournalStore) -> None:
    """A cohort with two groups: three learners each, one tutor, one coordinator."""
    ensure_initialised(store)
    store.add_cohort(COHORT, framework_id=default_framework().id, language="fr")
    for name, learners in ((GROUP_A, ("camille", "yanis", "lea")), (GROUP_B, ("ines", "thomas", "maelle"))):
        group = store.add_group(COHORT, name, commission=f"Commande du {name}")
        assign_builtin_templates(store, group["id"], "fr")
        for learner in learners:
            store.add_member(f"{COHORT}/{name}", learner, "learner", display_name=learner.title())
        store.add_member(f"{COHORT}/{name}", "nadia", "tutor", display_name="Nadia Benali")
        store.add_member(f"{COHORT}/{name}", "helene", "coordinator", display_name="Hélène Gaudin")


@pytest.fixture
def store(tmp_path: Path) -> JournalStore:
    """An empty, migrated journal database in a temporary file."""
    with JournalStore(tmp_path / "journal.db") as journal:
        yield journal


@pytest.fixture
def cohort_store(store: JournalStore) -> JournalStore:
    """A journal database holding the test cohort."""
    build_cohort(store)
    return store


@pytest.fixture
def journal_db(tmp_path: Path) -> Path:
    """Path of a journal database file holding the test cohort (closed, for servers to open)."""
    path = tmp_path / "server-journal.db"
    with JournalStore(path) as journal:
        build_cohort(journal)
    return path


@pytest.fixture
def journal_user() -> str:
    """The user the test server runs as; override in a test module to change it."""
    return "camille"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # A module with TWO_WAYS_IN = True runs its server tests against both ways into the journal.
    if getattr(metafunc.module, "TWO_WAYS_IN", False) and "jp_fetch" in metafunc.fixturenames:
        metafunc.parametrize("way_in", ["embedded", "service"], indirect=True)


@pytest.fixture
def way_in(request: pytest.FixtureRequest) -> str:
    """How the test's server reaches the journal: the file itself, or the journal service (JupyterHub)."""
    return str(getattr(request, "param", "embedded"))


@pytest.fixture
def jp_server_config(
    journal_db: Path, journal_user: str, way_in: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[dict[str, Any]]:
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    # The server exports these for its kernels; the test's end restores them.
    monkeypatch.delenv("JOURNAL_EXT_DB", raising=False)
    monkeypatch.delenv("JOURNAL_EXT_USER", raising=False)
    monkeypatch.delenv("JOURNAL_EXT_SERVICE_URL", raising=False)
    config: dict[str, Any] = {
        "ServerApp": {
            "jpserver_extensions": {"journal_ext": True, "jupyter_server_terminals": False},
            "terminals_enabled": False,
        },
        "JournalExtension": {"db_path": str(journal_db), "user": journal_user},
    }
    if way_in == "embedded":
        yield config
        return
    # Service mode: the journal service on the test's file, the user's identity from a real hub token.
    from tests.service_thread import api_test_service

    hub = request.getfixturevalue("journal_hub")
    service = api_test_service(journal_db, hub.api_url, hub.api_test_token)
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", hub.api_tester_token(journal_user))
    # Set here so that the test's end takes away what the server exports for its kernels.
    monkeypatch.setenv("JOURNAL_EXT_SERVICE_URL", service.url)
    # Nothing the server is told about who it is counts there: the token says it.
    config["JournalExtension"] = {"service_url": service.url, "user": "someone-else"}
    try:
        yield config
    finally:
        service.stop()


@pytest.fixture
def jp_fetch(jp_fetch: Any) -> Any:
    """pytest-jupyter's jp_fetch as an English reader's browser: the tests read the English messages.

    A test that reads French (or sends no language) says so with its own Accept-Language header.
    """

    async def fetch(*parts: str, **kwargs: Any) -> Any:
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("Accept-Language", "en")
        return await jp_fetch(*parts, headers=headers, **kwargs)

    return fetch


async def fetch_json(jp_fetch: Any, *parts: str, **kwargs: Any) -> Any:
    """Fetch and decode a JSON answer."""
    response = await jp_fetch(*parts, **kwargs)
    return json.loads(response.body.decode("utf-8"))


async def put_notebook(jp_fetch: Any, path: str, notebook: dict[str, Any]) -> Any:
    """Save a notebook through the contents API, as JupyterLab does; the saved model (without content)."""
    body = json.dumps({"type": "notebook", "format": "json", "content": notebook})
    return await fetch_json(jp_fetch, "api", "contents", path, method="PUT", body=body)


SITUATION = "Première réunion avec la directrice du centre social ; l'équipe d'animation était là."


@pytest.fixture
def world(journal_db: Path) -> dict[str, Any]:
    """Camille's learning journal with Nadia's comment, a reply of each, and Camille's question."""
    with JournalStore(journal_db) as store:
        camille, nadia = viewer_for(store, "camille"), viewer_for(store, "nadia")
        group_id = camille.memberships[0].group_id
        template = next(v for v in store.group_templates(group_id) if v["kind"] == "learning_journal")
        document = create_from_template(store, camille, template_version_id=template["id"], group_id=group_id)
        write_sections(store, camille, document, {"situation": SITUATION})
        cell = next(
            c
            for c in store.cells(document["id"])
            if c.section_key == "situation" and c.metadata["journal"].get("role") == "answer"
        )
        start = SITUATION.index("la directrice")
        passage = {"cell_id": cell.cell_id, "start": start, "end": start + 13, "exact": "la directrice"}
        comment = annotations.create_annotation(store, nadia, document["id"], {**passage, "body": "Qui est-elle ?"})
        question = annotations.create_annotation(
            store, camille, document["id"], {**passage, "body": "Est-ce le bon mot ?"}
        )
        own_reply = annotations.add_reply(store, camille, comment["id"], "La directrice du centre.")
        tutor_reply = annotations.add_reply(store, nadia, comment["id"], "Merci.")
        # Two claims of the passage: one standing (claiming it again is a conflict), one withdrawn.
        codes = [c.code for c in default_framework().competences()]
        claimed = passport.claim(store, camille, document["id"], **passage, competence=codes[0])
        withdrawn = passport.claim(store, camille, document["id"], **passage, competence=codes[1])
        passport.withdraw(store, camille, withdrawn["id"])
        return {
            "document": store.document(document["id"]),
            "template_id": template["id"],
            "group_id": group_id,
            "cohort_id": camille.memberships[0].cohort_id,
            "passage": passage,
            "comment": comment["id"],
            "question": question["id"],
            "own_reply": own_reply["id"],
            "tutor_reply": tutor_reply["id"],
            "competence": codes[0],
            "claimed": claimed["id"],
            "withdrawn": withdrawn["id"],
            "path": f"Journal/{document_path(store, camille, document['id'], 'fr')}",
        }
