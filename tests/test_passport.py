"""The competence passport: the evidence log and its derived state, who may claim and assess what, authorship."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from journal_ext.core import passport
from journal_ext.core.documents import (
    create_from_template,
    write_sections,
)
from journal_ext.core.permissions import PermissionDenied, viewer_for
from journal_ext.db import CellRow, Conflict, JournalStore, NotFound, StoreError

from .conftest import COHORT, GROUP_A, GROUP_B

SITUATION = "Au conseil de maison, les habitantes ont pris la parole avant les élus ; j'ai noté leurs questions."


def versions(store: JournalStore) -> tuple[int, dict[str, int]]:
    group = store.group(f"{COHORT}/{GROUP_A}")
    return group["id"], {v["kind"]: v["id"] for v in store.group_templates(group["id"])}


def journal_entry(store: JournalStore, user: str = "camille", visibility: str | None = None) -> dict[str, Any]:
    group_id, kinds = versions(store)
    viewer = viewer_for(store, user)
    entry = create_from_template(
        store, viewer, template_version_id=kinds["learning_journal"], group_id=group_id, visibility=visibility
    )
    write_sections(store, viewer, entry, {"situation": SITUATION})
    return store.document(entry["id"])


def cell_with(store: JournalStore, document_id: int, text: str) -> CellRow:
    return next(c for c in store.cells(document_id) if text in c.source)


def claim_of(store: JournalStore, user: str, document: dict[str, Any], phrase: str, competence: str = "DC1.1") -> dict:
    cell = cell_with(store, document["id"], phrase)
    start = cell.source.index(phrase)
    return passport.claim(
        store,
        viewer_for(store, user),
        document["id"],
        cell_id=cell.cell_id,
        start=start,
        end=start + len(phrase),
        exact=phrase,
        competence=competence,
        justification="Une analyse située.",
    )


def test_the_state_is_derived_from_the_log(cohort_store: JournalStore):
    store = cohort_store
    entry = journal_entry(store)
    claimed = claim_of(store, "camille", entry, "les habitantes ont pris la parole")
    assert claimed["status"] == "claimed"
    assert claimed["quote"]["exact"] == "les habitantes ont pris la parole"
    assert claimed["quote"]["prefix"].endswith("conseil de maison, ")
    evidence_id = claimed["id"]

    camille, nadia, yanis = (viewer_for(store, u) for u in ("camille", "nadia", "yanis"))
    assert passport.assess(store, camille, evidence_id, "ready")["status"] == "ready"
    assert (
        passport.assess(store, nadia, evidence_id, "partially_met", "Précisez le contexte.")["status"]
        == "partially_met"
    )
    # One judgement per assessor: the tutor's second word replaces the first.
    after = passport.assess(store, nadia, evidence_id, "met", "Oui, c'est situé.")
    assert after["status"] == "met"
    assert [(j["assessor"], j["role"], j["state"]) for j in after["judgements"]] == [
        ("camille", "self", "ready"),
        ("nadia", "tutor", "met"),
    ]
    # The log keeps every word said.
    kinds = [e["kind"] for e in store.evidence_events(evidence_id=evidence_id)]
    assert kinds == ["claim", "assess", "assess", "assess"]
    assert yanis.user not in {j["assessor"] for j in after["judgements"]}


def test_a_peer_judges_without_deciding_and_withdrawal_ends_it(cohort_store: JournalStore):
    store = cohort_store
    group_id, kinds = versions(store)
    camille = viewer_for(store, "camille")
    diagnostic = create_from_template(store, camille, template_version_id=kinds["shared_diagnostic"], group_id=group_id)
    write_sections(store, camille, diagnostic, {"commission": "La commande vient du centre social des Landes."})
    claimed = claim_of(store, "camille", store.document(diagnostic["id"]), "commande vient du centre social")
    yanis = viewer_for(store, "yanis")
    peer = passport.assess(store, yanis, claimed["id"], "met")
    assert peer["status"] == "claimed"
    assert peer["judgements"][0]["role"] == "peer"

    withdrawn = passport.withdraw(store, camille, claimed["id"])
    assert withdrawn["status"] == "withdrawn"
    with pytest.raises(Conflict, match="withdrawn"):
        passport.assess(store, viewer_for(store, "nadia"), claimed["id"], "met")
    with pytest.raises(Conflict, match="already withdrawn"):
        passport.withdraw(store, camille, claimed["id"])
    # Withdrawn, the same passage can be claimed again, as new evidence.
    again = claim_of(store, "camille", store.document(diagnostic["id"]), "commande vient du centre social")
    assert again["id"] != claimed["id"] and again["status"] == "claimed"


@pytest.mark.parametrize(
    ("user", "state", "error", "fragment"),
    [
        ("camille", "met", PermissionDenied, "as self, you may set ready; not met"),
        ("camille", "partially_met", PermissionDenied, "as self"),
        ("nadia", "ready", PermissionDenied, "as tutor, you may set not_met, partially_met, met"),
        ("helene", "met", PermissionDenied, "only the learner, their peers and the group's tutors"),
        ("nadia", "brilliant", StoreError, "the state must be one of"),
    ],
)
def test_who_may_set_which_state(cohort_store: JournalStore, user, state, error, fragment):
    store = cohort_store
    claimed = claim_of(store, "camille", journal_entry(store), "j'ai noté leurs questions")
    before = store.evidence_events()
    with pytest.raises(error, match=fragment):
        passport.assess(store, viewer_for(store, user), claimed["id"], state)
    assert store.evidence_events() == before


def test_evidence_hidden_from_others_looks_missing(cohort_store: JournalStore):
    store = cohort_store
    claimed = claim_of(store, "camille", journal_entry(store, visibility="tutors"), "j'ai noté leurs questions")
    for outsider in ("ines", "yanis"):
        with pytest.raises(NotFound, match=f"no evidence with id {claimed['id']}"):
            passport.get(store, viewer_for(store, outsider), claimed["id"])
    with pytest.raises(NotFound):
        passport.get(store, viewer_for(store, "camille"), 4242)
    # The tutor and the coordinator see it.
    assert passport.get(store, viewer_for(store, "nadia"), claimed["id"])["id"] == claimed["id"]
    assert passport.get(store, viewer_for(store, "helene"), claimed["id"])["id"] == claimed["id"]


def test_claims_are_checked(cohort_store: JournalStore):
    store = cohort_store
    entry = journal_entry(store)
    cell = cell_with(store, entry["id"], "habitantes")
    camille = viewer_for(store, "camille")
    start = cell.source.index("habitantes")

    def attempt(user: str = "camille", **changes: Any) -> None:
        fields = {
            "cell_id": cell.cell_id,
            "start": start,
            "end": start + 10,
            "exact": "habitantes",
            "competence": "DC1.1",
        }
        fields.update(changes)
        passport.claim(store, viewer_for(store, user), entry["id"], **fields)

    with pytest.raises(StoreError, match="no longer matches"):
        attempt(exact="habitants!")
    with pytest.raises(StoreError, match=r"'DC9\.9' is not a competence of your cohort's framework"):
        attempt(competence="DC9.9")
    with pytest.raises(StoreError, match="inside the cell's saved text"):
        attempt(start=5, end=99999)
    with pytest.raises(StoreError, match="'start' must be a whole number"):
        attempt(start="cinq")
    with pytest.raises(NotFound, match="no cell 'nulle-part'"):
        attempt(cell_id="nulle-part")
    # A tutor reads and assesses; claiming is for the learner who wrote it.
    with pytest.raises(PermissionDenied, match="documents you wrote or co-wrote"):
        attempt(user="nadia")
    attempt()
    with pytest.raises(Conflict, match=r"already claimed this passage for DC1\.1"):
        attempt()
    assert len(store.evidence_events(learner=camille.user)) == 1


def test_in_a_shared_diagnostic_one_claims_only_what_one_wrote(cohort_store: JournalStore):
    store = cohort_store
    group_id, kinds = versions(store)
    camille, yanis = viewer_for(store, "camille"), viewer_for(store, "yanis")
    diagnostic = create_from_template(store, camille, template_version_id=kinds["shared_diagnostic"], group_id=group_id)
    write_sections(store, camille, diagnostic, {"territory": "Le quartier compte 3 000 habitants."})
    document = store.document(diagnostic["id"])
    cell = cell_with(store, document["id"], "Le quartier compte")
    # Yanis adds a sentence to the same cell.
    added = cell.source + " La ligne de bus s'arrête à 20 h."
    write_sections(store, yanis, document, {"territory": added})
    document = store.document(diagnostic["id"])

    text, authors = passport.authorship(store, document["id"], cell.cell_id)
    assert text == added
    assert set(authors[: text.index(" La ligne")]) == {"camille"}
    assert set(authors[text.index("La ligne") :]) == {"yanis"}

    assert claim_of(store, "yanis", document, "La ligne de bus s'arrête à 20 h.", "DC1.3")["learner"] == "yanis"
    with pytest.raises(PermissionDenied, match=r"you wrote 0 % of this passage"):
        claim_of(store, "camille", document, "La ligne de bus s'arrête à 20 h.", "DC1.3")
    with pytest.raises(PermissionDenied, match="you can claim only passages you wrote"):
        claim_of(store, "yanis", document, "Le quartier compte 3 000 habitants.", "DC1.3")
    assert claim_of(store, "camille", document, "Le quartier compte 3 000 habitants.", "DC1.3")["learner"] == "camille"


def test_the_passport_counts_per_domain_and_shows_self_positioning(cohort_store: JournalStore):
    store = cohort_store
    private = journal_entry(store, visibility="tutors")
    claimed = claim_of(store, "camille", private, "les habitantes ont pris la parole", "DC1.1")
    claim_of(store, "camille", private, "j'ai noté leurs questions", "DC1.2")
    passport.assess(store, viewer_for(store, "nadia"), claimed["id"], "met")
    camille = viewer_for(store, "camille")
    passport.position_self(store, camille, {"DC1.1": 2, "DC2.1": 1}, day=dt.date(2026, 10, 1))
    passport.position_self(store, camille, {"DC1.1": 3}, day=dt.date(2026, 12, 1))
    with pytest.raises(StoreError, match="must be 1, 2, 3 or 4"):
        passport.position_self(store, camille, {"DC1.1": 7})
    with pytest.raises(PermissionDenied, match="for learners"):
        passport.position_self(store, viewer_for(store, "nadia"), {"DC1.1": 3})

    mine = passport.passport(store, camille, "camille")
    dc1 = next(d for d in mine["domains"] if d["code"] == "DC1")
    assert (dc1["evidence_count"], dc1["competences_met"]) == (2, 1)
    first = dc1["competences"][0]
    assert first["code"] == "DC1.1" and first["met"] is True and first["states"]["met"] == 1
    assert first["self_positioning"] == [{"day": "2026-10-01", "level": 2}, {"day": "2026-12-01", "level": 3}]
    assert first["evidence"][0]["quote"]["exact"] == "les habitantes ont pris la parole"
    # Assessors and commenters by the names the exports print, beside their logins.
    passport.comment(store, camille, claimed["id"], "Je précise la date.")
    item = passport.passport(store, camille, "camille")["domains"][0]["competences"][0]["evidence"][0]
    assert [(j["assessor"], j["assessor_name"]) for j in item["judgements"]] == [("nadia", "Nadia Benali")]
    assert [(c["author"], c["author_name"]) for c in item["comments"]] == [("camille", "Camille")]

    # The coordinator counts it, but the passage of a tutors-only journal stays with its readers.
    coordinator = passport.passport(store, viewer_for(store, "helene"), "camille")
    seen = next(d for d in coordinator["domains"] if d["code"] == "DC1")["competences"][0]["evidence"][0]
    assert seen["status"] == "met" and seen["quote"] is None and seen["document_title"] is None
    # Another learner has no access to Camille's passport.
    with pytest.raises(NotFound, match="no passport for 'camille'"):
        passport.passport(store, viewer_for(store, "yanis"), "camille")


def test_the_cli_prints_a_passport_to_those_who_may_read_it(tmp_path):
    from click.testing import CliRunner

    from journal_ext.cli import cli

    from .conftest import build_cohort

    path = tmp_path / "journal.db"
    with JournalStore(path) as store:
        build_cohort(store)
        claimed = claim_of(store, "camille", journal_entry(store), "les habitantes ont pris la parole")
        passport.assess(store, viewer_for(store, "nadia"), claimed["id"], "met")
        passport.position_self(store, viewer_for(store, "camille"), {"DC1.1": 3})

    def run(*args: str):
        french_shell = {"LANG": "fr_FR.UTF-8", "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None}
        return CliRunner().invoke(
            cli,
            ["passport", *args, "--db", str(path)],
            catch_exceptions=False,
            env={**french_shell, "JOURNAL_EXT_LANG": None},
        )

    shown = run("camille", "--as", "nadia")
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith("Camille — ")
    assert "DC1 Concevoir des dispositifs d'observation" in shown.output
    assert "DC1.1  1 atteinte  auto-positionnement 3/4" in shown.output
    as_json = json.loads(run("camille", "--as", "camille", "--json").output)
    assert as_json["domains"][0]["competences"][0]["states"]["met"] == 1
    refused = run("camille", "--as", "yanis")
    assert refused.exit_code == 1
    # A French shell: the messages are French.
    assert (
        refused.output.strip() == "Erreur\u00a0: aucun passeport de «\u00a0camille\u00a0» que vous puissiez consulter"
    )
    # The overview of a group, and of the cohort for its coordinator.
    group = run("--group", f"{COHORT}/{GROUP_A}", "--as", "nadia")
    assert group.exit_code == 0, group.output
    assert group.output.splitlines() == [
        f"{GROUP_A} — {COHORT}",
        # French plurals: 0 and 1 take the singular.
        f"  Camille ({GROUP_A})\u00a0: 1/20 compétence atteinte, 1 preuve",
        f"  Lea ({GROUP_A})\u00a0: 0/20 compétence atteinte, 0 preuve",
        f"  Yanis ({GROUP_A})\u00a0: 0/20 compétence atteinte, 0 preuve",
    ]
    cohort = json.loads(run("--cohort", COHORT, "--as", "helene", "--json").output)
    assert cohort["learner_count"] == 6
    hidden = run("--cohort", COHORT, "--as", "nadia")
    assert hidden.exit_code == 1 and "aucune vue d'ensemble de promotion" in hidden.output
    unclear = run("camille", "--group", f"{COHORT}/{GROUP_A}")
    assert unclear.exit_code == 2 and "nommez un·e apprenant·e, ou donnez --group" in unclear.output
    assert "Erreur\u00a0: nommez" in unclear.output and "Essayez «\u00a0" in unclear.output


def test_the_demo_cohort_has_evidence_and_assessments(store: JournalStore):
    from journal_ext.core import demo

    demo.populate(store)
    nadia = viewer_for(store, "nadia")
    camille = passport.passport(store, nadia, "camille")
    dc1 = next(d for d in camille["domains"] if d["code"] == "DC1")
    assert dc1["evidence_count"] == 3 and dc1["competences_met"] == 1
    statuses = {c["code"]: c["evidence"][0]["status"] for c in dc1["competences"] if c["evidence"]}
    assert statuses == {"DC1.1": "partially_met", "DC1.3": "ready", "DC1.5": "met"}
    progress = next(c for c in dc1["competences"] if c["code"] == "DC1.1")["self_positioning"]
    assert [p["level"] for p in progress] == [2, 3]
    # Yanis's share of the shared diagnostic feeds his own passport.
    yanis = passport.passport(store, nadia, "yanis")
    claimed = [e for d in yanis["domains"] for c in d["competences"] for e in c["evidence"]]
    assert [(e["competence"], e["status"]) for e in claimed] == [("DC1.2", "met")]


def test_the_passport_exports_with_its_figure_and_quoted_evidence(store: JournalStore, tmp_path):
    import io
    from html.parser import HTMLParser

    import docx
    from click.testing import CliRunner

    from journal_ext import export
    from journal_ext.cli import cli
    from journal_ext.core import demo

    demo.populate(store)
    exported = export.export_passport(store, viewer_for(store, "nadia"), "camille", "docx")
    assert exported.filename == "passeport-camille-martin.docx"
    document = docx.Document(io.BytesIO(exported.content))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Subtitle", "Passeport compétences") in paragraphs
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings[0] == "Vue d'ensemble" and headings[1].startswith("DC1 — Concevoir")
    quotes = [text for style, text in paragraphs if style == "Quote"]
    assert "l'obstacle est d'abord un obstacle d'horaire et de garde d'enfants, pas un manque d'intérêt" in quotes
    assert any("atteinte (formateur·rice, Nadia Benali)" in text for _, text in paragraphs)
    assert len(document.inline_shapes) == 1  # the figure
    assert document.tables[0].rows[1].cells[1].text == "1 / 5"

    # The coordinator gets the judgements, not the passages of journals shared with tutors only.
    page = export.export_passport(store, viewer_for(store, "helene"), "camille", "html").content.decode()
    HTMLParser().feed(page)
    assert '<html lang="fr"' in page and "<img" in page
    assert "garde d'enfants" not in page and "vous ne pouvez pas lire" not in page
    # Dates as a jury reads them, not ISO.
    assert "1/4 (1er octobre 2026) → 2/4 (15 novembre 2026)" in page
    # A jury reads why the passage is not there: whose writing it is, and who may read it.
    assert (
        "Passage non reproduit\u00a0: il se trouve dans un écrit personnel de l'apprenant·e"
        " («\u00a0Journal d'apprentissage\u00a0»), que seul·es l'apprenant·e et les formateur·rices"
        " de son groupe peuvent lire." in page
    )
    with pytest.raises(NotFound):
        export.export_passport(store, viewer_for(store, "yanis"), "camille", "html")

    path = tmp_path / "copy.db"
    store.backup(path)
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "passport",
            "camille",
            "--format",
            "html",
            "--out",
            str(tmp_path),
            "--as",
            "nadia",
            "--db",
            str(path),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "passeport-camille-martin.html").read_text(encoding="utf-8").count("<h2") >= 4


def test_who_sees_whose_passport(cohort_store: JournalStore):
    store = cohort_store

    def listed(user: str) -> list[str]:
        return [p["learner"] for p in passport.visible_passports(store, viewer_for(store, user))]

    assert listed("camille") == ["camille"]
    # The tutor and the coordinator of both groups: every learner, group by group.
    assert listed("nadia") == ["camille", "lea", "yanis", "ines", "maelle", "thomas"]
    assert listed("helene") == listed("nadia")
    assert listed("nobody") == []


def test_each_viewer_is_told_what_they_may_do_with_the_evidence(cohort_store: JournalStore):
    store = cohort_store
    entry = journal_entry(store, visibility="group")
    evidence_id = claim_of(store, "camille", entry, "les habitantes ont pris la parole")["id"]
    seen = {
        user: passport.get(store, viewer_for(store, user), evidence_id)["actions"]
        for user in ("camille", "nadia", "yanis")
    }
    assert seen["camille"] == {
        "assess_as": "self",
        "states": ["ready"],
        "mine": None,
        "withdraw": True,
        "comment": True,
    }
    assert seen["nadia"] == {
        "assess_as": "tutor",
        "states": ["not_met", "partially_met", "met"],
        "mine": None,
        "withdraw": False,
        "comment": True,
    }
    assert seen["yanis"]["assess_as"] == "peer" and seen["yanis"]["withdraw"] is False
    # Once she asked, the learner is not offered to ask again; the tutor sees his own judgement to change it.
    passport.assess(store, viewer_for(store, "camille"), evidence_id, "ready")
    passport.assess(store, viewer_for(store, "nadia"), evidence_id, "partially_met", "Situez davantage.")
    assert passport.get(store, viewer_for(store, "camille"), evidence_id)["actions"]["states"] == []
    tutor = passport.get(store, viewer_for(store, "nadia"), evidence_id)["actions"]
    assert tutor["mine"] == {"state": "partially_met", "comment": "Situez davantage."}
    assert tutor["states"] == ["not_met", "partially_met", "met"]
    # The passport carries the same answer for each piece of evidence.
    shown = passport.passport(store, viewer_for(store, "nadia"), "camille")
    items = [e for d in shown["domains"] for c in d["competences"] for e in c["evidence"]]
    assert [e["actions"]["assess_as"] for e in items] == ["tutor"]
    # Once withdrawn, nobody may assess it or withdraw it again.
    passport.withdraw(store, viewer_for(store, "camille"), evidence_id)
    after = passport.get(store, viewer_for(store, "nadia"), evidence_id)["actions"]
    assert after == {
        "assess_as": None,
        "states": [],
        "mine": {"state": "partially_met", "comment": "Situez davantage."},
        "withdraw": False,
        "comment": True,
    }


def test_a_group_overview_shows_each_learner_best_status_per_competence(cohort_store: JournalStore):
    store = cohort_store
    entry = journal_entry(store)
    met = claim_of(store, "camille", entry, "les habitantes ont pris la parole", "DC1.1")
    claim_of(store, "camille", entry, "j'ai noté leurs questions", "DC1.1")
    gone = claim_of(store, "camille", entry, "Au conseil de maison", "DC2.1")
    nadia, helene = viewer_for(store, "nadia"), viewer_for(store, "helene")
    passport.assess(store, nadia, met["id"], "met")
    passport.withdraw(store, viewer_for(store, "camille"), gone["id"])
    group_id, _ = versions(store)

    shown = passport.overview(store, nadia, "group", group_id)
    assert (shown["scope"], shown["name"], shown["learner_count"]) == ("group", GROUP_A, 3)
    assert [entry["learner"] for entry in shown["learners"]] == ["camille", "lea", "yanis"]
    camille = shown["learners"][0]
    # Two pieces for DC1.1, the best judgement wins; the withdrawn DC2.1 claim is not counted.
    assert camille["competences"]["DC1.1"] == {"status": "met", "evidence": 2}
    assert camille["competences"]["DC2.1"] == {"status": None, "evidence": 0}
    assert (camille["competences_met"], camille["evidence_count"]) == (1, 2)
    dc1 = shown["domains"][0]["competences"][0]
    assert (dc1["code"], dc1["learners_met"], dc1["learners_with_evidence"], dc1["evidence_count"]) == (
        "DC1.1",
        1,
        1,
        2,
    )
    # No passage travels in an overview.
    assert "les habitantes" not in json.dumps(shown, ensure_ascii=False)

    # The coordinator opens the cohort (both groups); the tutor of both groups is no coordinator.
    cohort_id = store.group_by_id(group_id)["cohort_id"]
    cohort = passport.overview(store, helene, "cohort", cohort_id)
    assert cohort["learner_count"] == 6 and cohort["name"] == COHORT
    with pytest.raises(NotFound, match="no cohort overview"):
        passport.overview(store, nadia, "cohort", cohort_id)
    # A learner opens no overview, not even of her own group; unknown ids look the same.
    for viewer, scope, number in (
        (viewer_for(store, "camille"), "group", group_id),
        (nadia, "group", 4242),
        (helene, "cohort", 2**70),
    ):
        with pytest.raises(NotFound, match=f"no {scope} overview"):
            passport.overview(store, viewer, scope, number)
    # Who is offered which overview.
    assert [(o["scope"], o["name"]) for o in passport.overviews_for(store, helene)] == [
        ("cohort", COHORT),
        ("group", GROUP_A),
        ("group", GROUP_B),
    ]
    assert [o["name"] for o in passport.overviews_for(store, nadia)] == [GROUP_A, GROUP_B]
    assert passport.overviews_for(store, viewer_for(store, "camille")) == []


def test_the_overview_figure_draws_a_square_per_learner_and_competence(cohort_store: JournalStore):
    from journal_ext.kernel import charts

    store = cohort_store
    entry = journal_entry(store)
    claim_of(store, "camille", entry, "les habitantes ont pris la parole", "DC1.1")
    group_id, _ = versions(store)
    shown = passport.overview(store, viewer_for(store, "nadia"), "group", group_id)
    figure = charts.overview_figure(shown, "fr")
    axes = figure.axes[0]
    competences = sum(len(d["competences"]) for d in shown["domains"])
    assert len(axes.patches) == 3 * competences
    colours = {tuple(round(c, 3) for c in p.get_facecolor()[:3]) for p in axes.patches}
    assert len(colours) == 2  # one claimed square, the rest without evidence
    assert [t.get_text() for t in axes.get_yticklabels()] == ["Camille", "Lea", "Yanis"]
    svg = charts.overview_svg(shown, "en")
    assert svg.lstrip().startswith("<?xml") and "Overview" in svg
