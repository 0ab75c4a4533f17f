"""Full-text search: the index follows every write, what a person types never trips it, and nobody finds what they may not read."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from tornado.httpclient import HTTPClientError

from journal_ext.core import documents, search
from journal_ext.core.documents import create_from_template, write_sections
from journal_ext.core.permissions import viewer_for
from journal_ext.db import (
    SCHEMA_VERSION,
    CellRow,
    JournalStore,
    SearchSyntaxError,
    StoreError,
    apply_migrations,
    migrations,
)
from journal_ext.db.rows import SNIPPET_END, SNIPPET_START

from .conftest import GROUP_A, fetch_json

# Every server test here runs against a server that opens the file and one whose journal is the journal service.
TWO_WAYS_IN = True

NOW = "2025-10-05T08:00:00.000000+00:00"


def answer(cell_id: str, source: str, section_key: str | None = None) -> CellRow:
    return CellRow(
        cell_id=cell_id,
        position=0,
        cell_type="markdown",
        source=source,
        section_key=section_key,
        metadata={"journal": {"schema_version": 1, "role": "answer", "section": section_key}},
    )


def write_document(
    store: JournalStore,
    owner: str,
    title: str,
    sources: dict[str, str],
    *,
    visibility: str = "tutors",
    group: str | None = GROUP_A,
    kind: str = "learning_journal",
) -> dict[str, Any]:
    """A document with a title cell (role 'title', as templates make it) and one writing cell per source."""
    cells = [
        CellRow(
            cell_id="title",
            position=0,
            cell_type="markdown",
            source=f"# {title}",
            metadata={"journal": {"schema_version": 1, "role": "title"}},
        )
    ] + [answer(cell_id, source, section_key=cell_id) for cell_id, source in sources.items()]
    return store.create_document(
        kind=kind,
        title=title,
        owner=owner,
        group_id=store.group(group)["id"] if group else None,
        visibility=visibility,
        template_version_id=None,
        cells=cells,
    )


def hits(store: JournalStore, match: str, document_ids: list[int], **kwargs: Any) -> list[tuple[int, str]]:
    return [(row["document_id"], row["cell_id"]) for row in store.search_cells(match, document_ids, 50, **kwargs)]


def assert_index_sound(store: JournalStore) -> None:
    # FTS5 compares the index with the cells table itself and raises when they disagree.
    store.db.execute("INSERT INTO cells_fts (cells_fts, rank) VALUES ('integrity-check', 1)")


def found_cells(answer_: dict[str, Any]) -> set[tuple[str, str]]:
    return {(r["document"]["title"], r["cell_id"]) for r in answer_["results"]}


# -- the store's index ---------------------------------------------------------


def test_index_follows_inserts_edits_moves_and_deletes(cohort_store):
    store = cohort_store
    doc = write_document(
        store,
        "camille",
        "Entrée du 5 octobre",
        {
            "situation": "La réalité du terrain nous a surpris.",
            "theory": "Rencontre avec l'habitant du quartier nord.",
        },
    )
    ids = [doc["id"]]
    assert hits(store, '"terrain"', ids) == [(doc["id"], "situation")]
    assert_index_sound(store)

    # save_cells deletes and re-inserts a changed cell: the old words leave the index.
    cells = store.cells(doc["id"])
    edited = [cells[0], cells[2], replace(cells[1], source="La réalité des usagers du centre.")]
    result = store.save_cells(doc["id"], edited, author="camille")
    assert result.changes == {"situation": "edited", "theory": "moved"}
    assert hits(store, '"terrain"', ids) == []
    assert hits(store, '"usagers"', ids) == [(doc["id"], "situation")]
    assert hits(store, '"quartier"', ids) == [(doc["id"], "theory")], "a moved cell is indexed once"
    assert_index_sound(store)

    store.save_cells(doc["id"], [c for c in store.cells(doc["id"]) if c.cell_id != "theory"], author="camille")
    assert hits(store, '"quartier"', ids) == []
    assert_index_sound(store)

    # Any other UPDATE of a cell's text keeps the index in step too.
    with store.write() as db:
        db.execute(
            "UPDATE cells SET source = ? WHERE document_id = ? AND cell_id = ?",
            ["Une permanence au marché.", doc["id"], "situation"],
        )
    assert hits(store, '"usagers"', ids) == []
    assert hits(store, '"marche"', ids) == [(doc["id"], "situation")]
    assert_index_sound(store)


def test_the_index_still_points_at_the_right_cells_after_vacuum(cohort_store):
    store = cohort_store
    # The index follows cells by an INTEGER PRIMARY KEY, which VACUUM keeps as it is.
    assert store.db.table("cells").pks == ["id"]
    first = write_document(store, "camille", "Premier", {"a": "jardin partagé", "b": "atelier vélo"})
    second = write_document(store, "yanis", "Second", {"c": "conseil de maison"})
    # Leave holes in the cells table, which is what VACUUM would renumber without a key.
    store.save_cells(first["id"], [c for c in store.cells(first["id"]) if c.cell_id != "a"], author="camille")
    with store.db.ensure_autocommit_on():
        store.db.conn.execute("VACUUM")
    assert_index_sound(store)
    assert hits(store, "velo", [first["id"], second["id"]]) == [(first["id"], "b")]
    assert hits(store, "maison", [first["id"], second["id"]]) == [(second["id"], "c")]
    assert hits(store, "jardin", [first["id"], second["id"]]) == []


def test_only_the_given_documents_are_searched(cohort_store):
    store = cohort_store
    mine = write_document(store, "camille", "Camille", {"situation": "Atelier cuisine partagée."})
    theirs = write_document(store, "yanis", "Yanis", {"situation": "Atelier cuisine du jeudi."})
    assert {h[0] for h in hits(store, '"cuisine"', [mine["id"], theirs["id"]])} == {mine["id"], theirs["id"]}
    assert hits(store, '"cuisine"', [mine["id"]]) == [(mine["id"], "situation")]
    assert hits(store, '"cuisine"', []) == []


def test_documents_in_the_trash_are_left_out(cohort_store):
    store = cohort_store
    doc = write_document(store, "camille", "Brouillon", {"situation": "Une ressourcerie de quartier."})
    store.set_trashed(doc["id"], by="camille")
    assert hits(store, '"ressourcerie"', [doc["id"]]) == []
    store.set_trashed(doc["id"], by=None)
    assert hits(store, '"ressourcerie"', [doc["id"]]) == [(doc["id"], "situation")]


def test_cells_of_skipped_roles_are_left_out(cohort_store):
    store = cohort_store
    doc = write_document(store, "camille", "Diagnostic du quartier", {"situation": "Le quartier change."})
    assert sorted(hits(store, '"quartier"', [doc["id"]])) == [(doc["id"], "situation"), (doc["id"], "title")]
    assert hits(store, '"quartier"', [doc["id"]], skip_roles=["title"]) == [(doc["id"], "situation")]


def test_results_come_best_first_with_a_marked_snippet_and_a_limit(cohort_store):
    store = cohort_store
    long_text = "Une longue description du local, des horaires et des bénévoles. " * 6
    doc = write_document(
        store,
        "camille",
        "Entrée",
        {
            "once": long_text + "On parle une fois de mobilisation.",
            "often": "Mobilisation, mobilisation : la mobilisation des habitant·es.",
        },
    )
    rows = store.search_cells('"mobilisation"', [doc["id"]], 10)
    assert [r["cell_id"] for r in rows] == ["often", "once"]
    assert rows[0]["rank"] <= rows[1]["rank"]
    assert rows[0]["section_key"] == "often"
    assert f"{SNIPPET_START}Mobilisation{SNIPPET_END}" in rows[0]["snippet"]
    assert rows[1]["snippet"].startswith("…"), "a long cell is cut around the match"
    assert len(store.search_cells('"mobilisation"', [doc["id"]], 1)) == 1


def test_a_word_found_almost_everywhere_gives_the_newest_passages_first(cohort_store, monkeypatch):
    """Above SEARCH_RANK_ALL matches in the whole index, the most recently written cells come first, unranked."""
    store = cohort_store
    monkeypatch.setattr("journal_ext.db.search.SEARCH_RANK_ALL", 3)
    older = write_document(store, "camille", "Avant", {"a": "Le terrain, le terrain, le terrain.", "b": "Du terrain."})
    hidden = write_document(store, "yanis", "Yanis", {"a": "Terrain de Yanis."})
    trashed = write_document(store, "camille", "Corbeille", {"a": "Terrain jeté."})
    store.set_trashed(trashed["id"], by="camille")
    newer = write_document(store, "camille", "Après", {"a": "Un terrain.", "b": "Encore du terrain."})
    # Editing an old cell makes it the most recently written.
    cells = store.cells(older["id"])
    store.save_cells(
        older["id"],
        [replace(c, source=c.source + " Revu.") if c.cell_id == "b" else c for c in cells],
        author="camille",
    )
    ids = [older["id"], newer["id"], trashed["id"]]
    rows = store.search_cells('"terrain"', ids, 10)
    assert [(r["document_id"], r["cell_id"]) for r in rows] == [
        (older["id"], "b"),
        (newer["id"], "b"),
        (newer["id"], "a"),
        (older["id"], "a"),
    ]
    assert all(r["rank"] is None for r in rows)
    assert f"{SNIPPET_START}terrain{SNIPPET_END}" in rows[0]["snippet"]
    assert hidden["id"] not in {r["document_id"] for r in rows}
    assert [(r["document_id"], r["cell_id"]) for r in store.search_cells('"terrain"', ids, 2)] == [
        (older["id"], "b"),
        (newer["id"], "b"),
    ]
    answer_ = run(store, "camille", "terrain", limit=2)
    assert answer_["order"] == "recent" and answer_["more"] is True
    assert [r["document"]["title"] for r in answer_["results"]] == ["Avant", "Après"]
    # Under the bound, the best matches first.
    monkeypatch.setattr("journal_ext.db.search.SEARCH_RANK_ALL", 2000)
    ranked = run(store, "camille", "terrain", limit=2)
    assert ranked["order"] == "relevance"
    assert ranked["results"][0]["document"]["title"] == "Avant" and ranked["results"][0]["cell_id"] == "a"


def test_a_query_fts5_cannot_parse_is_a_search_syntax_error(cohort_store):
    doc = write_document(cohort_store, "camille", "Entrée", {"situation": "texte"})
    for match in ("texte AND (", "col:x", "*", '"unterminated'):
        with pytest.raises(SearchSyntaxError):
            cohort_store.search_cells(match, [doc["id"]], 10)
    assert issubclass(SearchSyntaxError, StoreError)


def test_a_schema_4_file_gets_its_existing_cells_indexed(tmp_path: Path):
    path = tmp_path / "v4.db"
    conn = sqlite3.connect(path)
    db = Database(conn)
    apply_migrations(db, stop_before="0005_cell_search")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 4
    assert not db.table("cells_fts").exists()
    with db.atomic():
        db.execute("INSERT INTO users VALUES ('camille', 'Camille', ?)", [NOW])
        db.execute(
            "INSERT INTO documents (id, kind, title, owner, group_id, visibility, revision,"
            " created_at, modified_at) VALUES (11, 'learning_journal', 'Entrée', 'camille', NULL,"
            " 'private', 1, ?, ?)",
            [NOW, NOW],
        )
        for position, (cell_id, source) in enumerate(
            [("a", "La réalité du terrain."), ("b", "Entretien avec la directrice.")]
        ):
            db.execute(
                "INSERT INTO cells (document_id, cell_id, position, cell_type, source, author)"
                " VALUES (11, ?, ?, 'markdown', ?, 'camille')",
                [cell_id, position, source],
            )
    conn.close()

    with JournalStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION
        assert "0005_cell_search" in [m.name for m in migrations.applied(store.db)]
        assert hits(store, '"realite"', [11]) == [(11, "a")]
        assert hits(store, '"directrice"', [11]) == [(11, "b")]
        assert_index_sound(store)
        cells = store.cells(11)
        store.save_cells(11, [cells[0], replace(cells[1], source="Entretien avec le président.")], author="camille")
        assert hits(store, '"directrice"', [11]) == []
        assert hits(store, '"president"', [11]) == [(11, "b")]
        assert_index_sound(store)


# -- the library ----------------------------------------------------------------


@pytest.fixture
def camille_journal(cohort_store) -> dict[str, Any]:
    return write_document(
        cohort_store,
        "camille",
        "Entrée du 5 octobre",
        {
            "situation": "La réalité du terrain nous a surpris.",
            "habitants": "Rencontre avec l'habitant du quartier nord.",
            "local": "Le local C-3 est ouvert AND fermé selon les jours.",
            "cour": "Un cœur d'îlot végétalisé, Œuvre collective.",
            "quotes": 'Elle a dit « on verra » puis "peut-être" (sans conviction) près de la gare.',
            "plain": "Texte sans accents: la realite du quotidien.",
            "names": "Entretien avec Mme Nguyễn, animatrice.",
        },
    )


def run(store: JournalStore, user: str, query: str, **kwargs: Any) -> dict[str, Any]:
    return search.search(store, viewer_for(store, user), query, **kwargs)


NO_WORD = "no word to look for"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("l'habitant", {"habitants"}),
        ("C-3", {"local"}),
        ("AND", {"local"}),
        ("AND OR NOT", set()),
        ('"', NO_WORD),
        ('""', NO_WORD),
        ('"peut-être"', {"quotes"}),
        ('"la réalité', {"situation", "plain"}),
        ("réalité)", {"situation", "plain"}),
        ("(", NO_WORD),
        ("(*)", NO_WORD),
        ("*", NO_WORD),
        ("terrain*", {"situation"}),
        ("NEAR(", set()),
        ("NEAR(réalité terrain)", set()),  # "near réalité" is read as a phrase
        ("col:x", set()),
        ("source:terrain", set()),
        ("'; DROP TABLE cells; --", set()),
        ("🌱", NO_WORD),
        ("🌱 terrain", {"situation"}),
        ("terrain\x00", {"situation"}),
        ("^terrain", {"situation"}),
        ("- + : { } [ ] ^ ~", NO_WORD),
        ("x" * 10_000, "too long (10000 characters, at most 500)"),
    ],
)
def test_words_mode_survives_what_people_type(cohort_store, camille_journal, query, expected):
    before = cohort_store.counts()
    if isinstance(expected, str):
        with pytest.raises(StoreError) as caught:
            run(cohort_store, "camille", query)
        assert expected in str(caught.value)
        assert "fts5" not in str(caught.value)
    else:
        found = run(cohort_store, "camille", query)
        assert {r["cell_id"] for r in found["results"]} == expected
        assert found["total"] == len(expected)
    assert cohort_store.counts() == before


def test_words_are_all_required_and_the_last_one_may_be_unfinished(cohort_store, camille_journal):
    assert found_cells(run(cohort_store, "camille", "réalité terrain")) == {("Entrée du 5 octobre", "situation")}
    assert found_cells(run(cohort_store, "camille", "réalité quartier")) == set()
    assert {r["cell_id"] for r in run(cohort_store, "camille", "réal")["results"]} == {"situation", "plain"}
    assert run(cohort_store, "camille", "réal ")["results"] == [], "a finished word is a whole word"
    assert run(cohort_store, "camille", "ré")["results"] == [], "two letters are too few for a prefix"
    assert {r["cell_id"] for r in run(cohort_store, "camille", "habit* nord")["results"]} == {"habitants"}


@pytest.mark.parametrize(
    ("query", "cells"),
    [
        ("realite", {"situation", "plain"}),
        ("RÉALITÉ", {"situation", "plain"}),
        ("ilot", {"cour"}),
        ("coeur", {"cour"}),
        ("cœur", {"cour"}),
        ("oeuvre", {"cour"}),
        ("vegetalise ", {"cour"}),
        ("nguyen", {"names"}),  # two marks on one letter: needs remove_diacritics 2
    ],
)
def test_matching_ignores_accents_and_case(cohort_store, camille_journal, query, cells):
    assert {r["cell_id"] for r in run(cohort_store, "camille", query)["results"]} == cells


def test_fts_syntax_is_passed_through(cohort_store, camille_journal):
    def cells(query: str) -> set[str]:
        return {r["cell_id"] for r in run(cohort_store, "camille", query, syntax="fts")["results"]}

    assert cells("réalité NOT quotidien") == {"situation"}
    assert cells('"la realite"') == {"situation", "plain"}
    assert cells("NEAR(réalité terrain, 3)") == {"situation"}
    assert cells("NEAR(réalité surpris, 3)") == set()
    assert cells("quartier OR gare") == {"habitants", "quotes"}
    assert cells("vég*") == {"cour"}


@pytest.mark.parametrize("query", ["réalité AND (", "col:x", "*", '"unterminated', "NEAR(", "AND", "source:"])
def test_fts_syntax_errors_explain_how_to_fix_them(cohort_store, camille_journal, query):
    with pytest.raises(StoreError) as caught:
        run(cohort_store, "camille", query, syntax="fts")
    message = str(caught.value)
    assert "not valid FTS5 syntax" in message
    assert "double quotes" in message and "syntax=words" in message


@pytest.mark.parametrize(
    ("query", "kwargs", "fragment"),
    [
        ("", {}, "type a word to search for"),
        ("   \n\t", {}, "type a word to search for"),
        ("a" * 501, {}, "too long (501 characters, at most 500)"),
        ("terrain", {"limit": 0}, "from 1 to 200"),
        ("terrain", {"limit": 201}, "from 1 to 200"),
        ("terrain", {"limit": True}, "from 1 to 200"),
        ("terrain", {"syntax": "regex"}, "must be one of words, fts"),
    ],
)
def test_bad_requests_get_a_message(cohort_store, query, kwargs, fragment):
    with pytest.raises(StoreError) as caught:
        run(cohort_store, "camille", query, **kwargs)
    assert fragment in str(caught.value)


def test_a_result_names_its_document_where_the_viewer_finds_it(cohort_store, camille_journal):
    answer_ = run(cohort_store, "camille", "surpris")
    assert answer_["total"] == 1 and answer_["more"] is False
    result = answer_["results"][0]
    camille = viewer_for(cohort_store, "camille")
    # The same summary of a document as the documents API gives.
    assert result["document"] == documents.document_summary(
        cohort_store.document(camille_journal["id"]),
        documents.document_path(cohort_store, camille, camille_journal["id"]),
        "fr",
        "Camille",
    )
    assert {k: result["document"][k] for k in ("id", "title", "kind", "owner", "owner_name", "group")} == {
        "id": camille_journal["id"],
        "title": "Entrée du 5 octobre",
        "kind": "learning_journal",
        "owner": "camille",
        "owner_name": "Camille",
        "group": {"id": cohort_store.group(GROUP_A)["id"], "name": GROUP_A},
    }
    assert result["document"]["path"] == "Mon journal/Entrée du 5 octobre.ipynb"
    assert (result["cell_id"], result["section_key"]) == ("situation", "situation")
    assert result["snippet"] == "La réalité du terrain nous a surpris."
    assert result["snippet_parts"] == [
        {"text": "La réalité du terrain nous a ", "match": False},
        {"text": "surpris", "match": True},
        {"text": ".", "match": False},
    ]


def test_limit_and_more(cohort_store):
    for n in range(4):
        write_document(cohort_store, "camille", f"Entrée {n}", {"situation": f"Permanence numéro {n}."})
    answer_ = run(cohort_store, "camille", "permanence", limit=3)
    assert answer_["total"] == 3 and answer_["more"] is True
    assert run(cohort_store, "camille", "permanence", limit=4)["more"] is False


def test_template_prompts_are_not_searched(cohort_store):
    camille = viewer_for(cohort_store, "camille")
    group_id = camille.memberships[0].group_id
    template = next(v for v in cohort_store.group_templates(group_id) if v["kind"] == "learning_journal")
    document = create_from_template(cohort_store, camille, template_version_id=template["id"], group_id=group_id)
    write_sections(cohort_store, camille, document, {"situation": "Une matinée au centre social."})
    # "théorie" is in the prompt of every learning journal; Camille never wrote it.
    assert run(cohort_store, "camille", "théorie")["results"] == []
    assert [r["section_key"] for r in run(cohort_store, "camille", "matinée")["results"]] == ["situation"]


@pytest.fixture
def confidential(cohort_store) -> dict[str, dict[str, Any]]:
    """Camille's documents of every visibility, each with its own word, in text and title."""
    return {
        "tutors": write_document(cohort_store, "camille", "Tombouctou", {"situation": "zanzibar"}),
        "private": write_document(
            cohort_store, "camille", "Ouagadougou", {"situation": "kilimandjaro"}, visibility="private"
        ),
        "personal": write_document(
            cohort_store, "camille", "Valparaiso", {"situation": "patagonie"}, visibility="private", group=None
        ),
        "group": write_document(
            cohort_store,
            "camille",
            "Diagnostic",
            {"situation": "mangrove"},
            visibility="group",
            kind="shared_diagnostic",
        ),
    }


WORDS = ("zanzibar", "tombouctou", "kilimandjaro", "ouagadougou", "patagonie", "valparaiso", "mangrove")


@pytest.mark.parametrize(
    ("user", "finds"),
    [
        ("camille", set(WORDS)),
        ("yanis", {"mangrove"}),  # another learner of the group
        ("nadia", {"zanzibar", "tombouctou", "mangrove"}),  # the group's tutor
        ("helene", {"mangrove"}),  # the coordinator: journals are for tutors alone
        ("ines", set()),  # a learner of another group
    ],
)
def test_each_person_finds_only_what_they_may_read(cohort_store, confidential, user, finds):
    for syntax in ("words", "fts"):
        found = {word for word in WORDS if run(cohort_store, user, word, syntax=syntax)["results"]}
        assert found == finds, syntax
    # Not even through a query matching everything they are not meant to see.
    everything = run(cohort_store, user, " OR ".join(WORDS), syntax="fts")
    assert {r["document"]["title"] for r in everything["results"]} <= {
        d["title"] for d in documents.visible_documents(cohort_store, viewer_for(cohort_store, user))
    }


def test_documents_in_the_trash_are_not_found_even_by_their_owner(cohort_store, confidential):
    documents.move_to_trash(cohort_store, viewer_for(cohort_store, "camille"), confidential["tutors"])
    assert run(cohort_store, "camille", "zanzibar")["results"] == []
    assert run(cohort_store, "nadia", "zanzibar")["results"] == []


# -- through the real server ---------------------------------------------------


async def expect_error(jp_fetch: Any, status: int, **params: str) -> str:
    with pytest.raises(HTTPClientError) as caught:
        await jp_fetch("journal", "api", "search", params=params)
    assert caught.value.code == status, caught.value.response.body
    return json.loads(caught.value.response.body)["message"]


async def search_api(jp_fetch: Any, **params: str) -> dict[str, Any]:
    return await fetch_json(jp_fetch, "journal", "api", "search", params=params)


@pytest.fixture
def server_documents(journal_db: Path) -> dict[str, dict[str, Any]]:
    """Camille's tutors-visible journal and private note, Yanis's too, written before the requests."""
    with JournalStore(journal_db) as store:
        return {
            "camille": write_document(
                store, "camille", "Entrée du 5 octobre", {"situation": "La réalité du terrain nous a surpris."}
            ),
            "camille_private": write_document(
                store, "camille", "Carnet Ouagadougou", {"situation": "kilimandjaro"}, visibility="private"
            ),
            "yanis": write_document(store, "yanis", "Tombouctou", {"situation": "zanzibar terrain"}),
            "yanis_private": write_document(
                store, "yanis", "Valparaiso", {"situation": "patagonie terrain"}, visibility="private"
            ),
        }


async def test_search_answers_with_paths_in_the_journal_folder(jp_fetch, server_documents):
    answer_ = await search_api(jp_fetch, q="realite")
    assert answer_["total"] == 1 and answer_["more"] is False and answer_["syntax"] == "words"
    result = answer_["results"][0]
    assert result["document"]["path"] == "Journal/Mon journal/Entrée du 5 octobre.ipynb"
    assert result["cell_id"] == "situation"
    assert [p["text"] for p in result["snippet_parts"] if p["match"]] == ["réalité"]
    model = await fetch_json(jp_fetch, "api", "contents", result["document"]["path"])
    assert model["content"]["metadata"]["journal"]["document_id"] == result["document"]["id"]


async def test_a_learner_never_finds_another_learners_journal(jp_fetch, server_documents):
    for query in ("zanzibar", "tombouctou", "patagonie", "valparaiso"):
        for syntax in ("words", "fts"):
            response = await jp_fetch("journal", "api", "search", params={"q": query, "syntax": syntax})
            assert json.loads(response.body)["results"] == []
    response = await jp_fetch("journal", "api", "search", params={"q": "terrain", "limit": "200"})
    body = response.body.decode("utf-8")
    assert [r["document"]["owner"] for r in json.loads(body)["results"]] == ["camille"]
    for secret in ("Tombouctou", "Valparaiso", "zanzibar", "patagonie", "yanis"):
        assert secret not in body


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({}, "type a word to search for"),
        ({"q": "  "}, "type a word to search for"),
        ({"q": "a" * 501}, "too long (501 characters, at most 500)"),
        ({"q": "(*)"}, "no word to look for"),
        ({"q": "terrain", "limit": "abc"}, "'limit' must be a whole number from 1 to 200, got 'abc'"),
        ({"q": "terrain", "limit": "0"}, "'limit' must be a whole number from 1 to 200"),
        ({"q": "terrain", "limit": "201"}, "'limit' must be a whole number from 1 to 200"),
        ({"q": "terrain", "limit": "-1"}, "'limit' must be a whole number from 1 to 200"),
        ({"q": "terrain", "limit": "1.5"}, "'limit' must be a whole number from 1 to 200"),
        ({"q": "terrain", "limit": "٣"}, "'limit' must be a whole number from 1 to 200"),
        ({"q": "terrain", "syntax": "regex"}, "'syntax' must be 'words'"),
        ({"q": "réalité AND (", "syntax": "fts"}, "not valid FTS5 syntax"),
        ({"q": "col:x", "syntax": "fts"}, "syntax=words"),
    ],
)
async def test_bad_search_requests_are_400_with_a_message(jp_fetch, params, fragment):
    message = await expect_error(jp_fetch, 400, **params)
    assert fragment in message


@pytest.mark.parametrize("query", ["NEAR(", "'; DROP TABLE cells; --", "C-3", '"', "AND", "l'habitant", "🌱"])
async def test_what_people_type_is_never_a_server_error(jp_fetch, server_documents, query):
    try:
        response = await jp_fetch("journal", "api", "search", params={"q": query})
        assert response.code == 200
    except HTTPClientError as error:
        assert error.code == 400
        assert "no word to look for" in json.loads(error.response.body)["message"]


class TestAsTutor:
    """The tutor's server: finds the group's learners' journals, not their private notes."""

    @pytest.fixture
    def journal_user(self) -> str:
        return "nadia"

    @pytest.fixture
    def learner_entry(self, journal_db: Path) -> dict[str, Any]:
        with JournalStore(journal_db) as store:
            camille = viewer_for(store, "camille")
            group_id = camille.memberships[0].group_id
            template = next(v for v in store.group_templates(group_id) if v["kind"] == "learning_journal")
            document = create_from_template(store, camille, template_version_id=template["id"], group_id=group_id)
            write_sections(store, camille, document, {"situation": "Texte de Camille sur la réalité du terrain."})
            write_document(store, "camille", "Carnet intime", {"situation": "terrain privé"}, visibility="private")
            return document

    async def test_tutor_finds_the_learners_journal_text(self, jp_fetch, learner_entry):
        answer_ = await search_api(jp_fetch, q="realite terrain")
        assert answer_["total"] == 1
        result = answer_["results"][0]
        assert result["document"]["path"] == f"Journal/{GROUP_A}/Camille/{learner_entry['title']}.ipynb"
        assert result["document"]["owner"] == "camille" and result["section_key"] == "situation"
        assert "Texte de Camille" in result["snippet"]

    async def test_tutor_does_not_find_the_learners_private_notes(self, jp_fetch, learner_entry):
        body = (await jp_fetch("journal", "api", "search", params={"q": "terrain"})).body.decode("utf-8")
        assert {r["document"]["id"] for r in json.loads(body)["results"]} == {learner_entry["id"]}
        assert "Carnet intime" not in body and "privé" not in body


class TestAsOtherGroupLearner:
    """A learner of the other group finds nothing of group A, not even through FTS5 syntax."""

    @pytest.fixture
    def journal_user(self) -> str:
        return "ines"

    async def test_nothing_of_another_group_is_found(self, jp_fetch, server_documents):
        for params in ({"q": "terrain"}, {"q": "terrain OR zanzibar OR realite", "syntax": "fts"}):
            body = (await jp_fetch("journal", "api", "search", params=params)).body.decode("utf-8")
            assert json.loads(body)["results"] == []
            assert "Tombouctou" not in body and "Entrée du 5 octobre" not in body


def test_results_show_each_document_as_it_is_now_though_the_listing_is_kept(cohort_store):
    """The listing of readable documents is kept between searches; a result still shows the latest revision."""
    from journal_ext.core.documents import create_from_template, write_sections
    from journal_ext.core.permissions import viewer_for
    from journal_ext.core.search import search

    store = cohort_store
    camille = viewer_for(store, "camille")
    group_id = camille.memberships[0].group_id
    kinds = {v["kind"]: v["id"] for v in store.group_templates(group_id)}
    entry = create_from_template(store, camille, template_version_id=kinds["learning_journal"], group_id=group_id)
    write_sections(store, camille, entry, {"situation": "Une permanence à la ressourcerie."})
    first = search(store, camille, "ressourcerie")["results"][0]["document"]
    write_sections(store, camille, store.document(entry["id"]), {"situation": "La ressourcerie, deuxième visite."})
    again = search(store, camille, "ressourcerie")["results"][0]["document"]
    assert again["revision"] == first["revision"] + 1
    assert again["modified_at"] > first["modified_at"]
    # A new entry (the listing moves) is found at once.
    other = create_from_template(store, camille, template_version_id=kinds["field_observation"], group_id=group_id)
    write_sections(
        store,
        camille,
        other,
        {next(c.section_key for c in store.cells(other["id"]) if c.section_key): "Ressourcerie du quartier."},
    )
    assert {r["document"]["id"] for r in search(store, camille, "ressourcerie")["results"]} == {
        entry["id"],
        other["id"],
    }
