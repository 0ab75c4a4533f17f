"""Claiming evidence and assessing it in a real JupyterLab: Camille claims a passage, Nadia judges it, both see it.

This module's `demo_lab` and `tutor_lab` are its own (module-scoped fixtures),
so the passport counts test_passport.py expects are not touched. The tests run
in order on the same journal: the refusal comes after the claim.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import Lab, open_lab
from .test_accessibility import describe, run_axe
from .test_annotations import SELECT_IN_RENDERED_TEXT
from .test_drive import GROUP, open_notebook

PANEL = "#journal-ext-passport"
SIDEBAR = "#journal-ext-sidebar"
SIDEBAR_TAB = ".jp-SideBar [role=tab][data-id=journal-ext-sidebar]"
PASSPORT_TAB = ".jp-SideBar [role=tab][data-id=journal-ext-passport]"
CLAIM_BUTTON = ".jp-NotebookPanel:visible .jp-JournalEvidence-toolbarButton"
# In Camille's field observation, her interpretation section.
PASSAGE = "Les sujets qui émergent spontanément (aide aux devoirs, transports)"
COMPETENCE = "DC2.1"
JUSTIFICATION = "Je relève des besoins que l'ordre du jour du conseil de maison ne prend pas en compte."
ASSESSMENT = "Besoins bien repérés, à confronter aux entretiens."
# In the group's shared diagnostic, the method section Yanis wrote.
NOT_HERS = "un atelier collectif de restitution avec les personnes interrogées"


def document_path(lab: Lab, kind: str, owner: str = "camille") -> str:
    documents = lab.api("journal", "api", "documents")["documents"]
    return next(
        d["path"]
        for d in documents
        if d["kind"] == kind and d["owner"] == owner and (d["group"] or {}).get("name") == GROUP
    )


def domain_line(page: Any, code: str) -> Any:
    return page.locator(f"{PANEL} .jp-JournalPassport-summary li", has_text=code)


def evidence(page: Any, passage: str) -> Any:
    return page.locator(f"{PANEL} li[data-evidence-id]", has_text=passage)


def open_domain(page: Any, code: str) -> None:
    details = page.locator(f"{PANEL} details.jp-JournalPassport-domain", has=page.locator("summary", has_text=code))
    if details.get_attribute("open") is None:
        details.locator("summary").first.click()


def wait_for_figure(page: Any) -> None:
    page.wait_for_function(
        "() => { const img = document.querySelector('#journal-ext-passport img'); return img && img.naturalWidth > 0; }",
        timeout=30_000,
    )


def claim_selected(page: Any, passage: str) -> Any:
    """Select a passage of the rendered notebook and open the claim dialog from the toolbar."""
    page.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput", has_text=passage).wait_for(timeout=30_000)
    assert page.evaluate(SELECT_IN_RENDERED_TEXT, passage)
    # The toolbar settles its layout after the notebook opens: wait for the button, or for "…" when a
    # narrow toolbar (panels open on both sides) has moved it there.
    opener = ".jp-NotebookPanel:visible .jp-Toolbar-responsive-opener"
    page.locator(f"{CLAIM_BUTTON}:visible, {opener}:visible").first.wait_for(timeout=30_000)
    if page.locator(f"{CLAIM_BUTTON}:visible").count():
        page.locator(f"{CLAIM_BUTTON}:visible").click()
    else:
        page.locator(opener).click()
        page.locator(".jp-Toolbar-responsive-popup .jp-JournalEvidence-toolbarButton").click()
    dialog = page.locator(".jp-Dialog")
    dialog.locator(".jp-Dialog-header", has_text="Verser le passage comme preuve").wait_for(timeout=15_000)
    return dialog


def test_camille_claims_a_passage_nadia_assesses_it_both_see_the_passport_change(
    browser: Any, demo_lab: Lab, tutor_lab: Lab, axe_source: str
) -> None:
    # Camille opens her field observation, and her passport from the Journal sidebar.
    learner = open_notebook(browser, demo_lab, document_path(demo_lab, "field_observation"))
    learner.locator(SIDEBAR_TAB).click()
    learner.locator(f"{SIDEBAR} .jp-JournalSidebar-passport", has_text="Passeport compétences").click()
    learner.locator(f"{PANEL} .jp-JournalPassport-summary").wait_for(timeout=30_000)
    assert "0 compétence atteinte sur 5, 0 preuve" in domain_line(learner, "DC2").inner_text()

    # She selects a passage and claims it as evidence of DC2.1.
    dialog = claim_selected(learner, PASSAGE)
    assert PASSAGE in dialog.locator("blockquote").inner_text()
    picker = dialog.get_by_label("Preuve de la compétence")
    groups = picker.locator("optgroup")
    assert [groups.nth(i).get_attribute("label")[:3] for i in range(groups.count())] == ["DC1", "DC2", "DC3", "DC4"]
    violations = run_axe(learner, axe_source, ".jp-Dialog-content")
    assert not violations, f"axe: serious/critical violations in the claim form:\n{describe(violations)}"
    picker.select_option(COMPETENCE)
    dialog.get_by_label("En quoi ce passage la montre (facultatif)").fill(JUSTIFICATION)
    dialog.get_by_role("button", name="Verser", exact=True).click()
    learner.locator(".Toastify__toast", has_text=f"Le passage est désormais une preuve de {COMPETENCE}").wait_for(
        timeout=15_000
    )

    # Her passport shows it at once, claimed; she asks for its assessment.
    domain_line(learner, "0 compétence atteinte sur 5, 1 preuve").wait_for(timeout=15_000)
    assert "DC2" in domain_line(learner, "1 preuve").inner_text()
    # French plurals: 0 and 1 take the singular, 2 and more the plural.
    assert "3 preuves" in domain_line(learner, "DC1").inner_text()
    open_domain(learner, "DC2")
    mine = evidence(learner, PASSAGE)
    assert mine.locator(".jp-JournalHistory-tag").inner_text() == "déclarée"
    assert JUSTIFICATION in mine.inner_text()
    # A learner judges nothing: she asks for the assessment, or withdraws.
    assert mine.get_by_role("group", name="Évaluation").count() == 0
    assert mine.get_by_role("button", name="Retirer").count() == 1
    mine.get_by_role("button", name="Demander l'évaluation").click()
    mine.locator(".jp-JournalHistory-tag", has_text="prête pour l'évaluation").wait_for(timeout=15_000)
    assert mine.get_by_role("button", name="Demander l'évaluation").count() == 0
    wait_for_figure(learner)
    violations = run_axe(learner, axe_source, PANEL)
    assert not violations, f"axe: serious/critical violations in the passport panel:\n{describe(violations)}"

    # Nadia, the tutor, opens Camille's passport and assesses the new evidence in the panel.
    tutor = open_lab(browser, tutor_lab)
    tutor.locator(PASSPORT_TAB).click()
    tutor.locator(f"{PANEL} .jp-JournalPassport-summary").wait_for(timeout=30_000)
    tutor.get_by_label("Apprenant·e").select_option("camille")
    assert "Camille Martin" in tutor.locator(f"{PANEL} h2").inner_text()
    assert "0 compétence atteinte sur 5, 1 preuve" in domain_line(tutor, "DC2").inner_text()
    open_domain(tutor, "DC2")
    theirs = evidence(tutor, PASSAGE)
    assert theirs.locator(".jp-JournalHistory-tag").first.inner_text() == "prête pour l'évaluation"
    # A tutor neither withdraws nor asks: she judges.
    assert theirs.get_by_role("button", name="Retirer").count() == 0
    theirs.locator("summary", has_text="Évaluer (formateur·rice)").click()
    states = theirs.get_by_role("group", name="Évaluation")
    assert states.get_by_role("radio").count() == 3
    states.get_by_label("atteinte", exact=True).check()
    theirs.get_by_label("Commentaire (facultatif)").fill(ASSESSMENT)
    # The open form fits the narrow panel.
    assert tutor.evaluate(
        "() => { const p = document.querySelector('#journal-ext-passport'); return p.scrollWidth <= p.clientWidth; }"
    )
    violations = run_axe(tutor, axe_source, PANEL)
    assert not violations, f"axe: serious/critical violations in the assessment form:\n{describe(violations)}"
    theirs.get_by_role("button", name="Enregistrer l'évaluation").click()
    domain_line(tutor, "1 compétence atteinte sur 5, 1 preuve").wait_for(timeout=15_000)
    assert theirs.locator(".jp-JournalHistory-tag").first.inner_text() == "atteinte"
    assert f"atteinte (formateur·rice, Nadia Benali) — {ASSESSMENT}" in theirs.inner_text()
    tutor.context.close()

    # Camille refreshes her passport: the judgement and the counts are there.
    learner.get_by_role("button", name="Actualiser le passeport").click()
    domain_line(learner, "1 compétence atteinte sur 5, 1 preuve").wait_for(timeout=15_000)
    assert ASSESSMENT in evidence(learner, PASSAGE).inner_text()
    learner.context.close()


def test_the_figure_fits_the_narrow_panel(browser: Any, demo_lab: Lab) -> None:
    page = open_lab(browser, demo_lab)
    page.locator(PASSPORT_TAB).click()
    page.locator(f"{PANEL} .jp-JournalPassport-summary").wait_for(timeout=30_000)
    wait_for_figure(page)
    sizes = page.evaluate(
        """() => {
            const panel = document.querySelector('#journal-ext-passport');
            const img = panel.querySelector('img');
            return { panel: panel.clientWidth, scroll: panel.scrollWidth,
                     img: img.getBoundingClientRect().width, natural: img.naturalWidth };
        }"""
    )
    # Scaled down to the panel's width, and nothing wider than the panel.
    assert sizes["img"] <= sizes["panel"], sizes
    assert sizes["img"] < sizes["natural"], sizes
    assert sizes["scroll"] <= sizes["panel"], sizes
    page.context.close()


def test_the_server_refusal_is_shown_and_a_tutor_is_not_offered_to_claim(
    browser: Any, demo_lab: Lab, tutor_lab: Lab
) -> None:
    # Camille selects a passage of the shared diagnostic that Yanis wrote: the server refuses, she reads why.
    learner = open_notebook(browser, demo_lab, document_path(demo_lab, "shared_diagnostic"))
    dialog = claim_selected(learner, NOT_HERS)
    dialog.get_by_label("Preuve de la compétence").select_option("DC1.2")
    dialog.get_by_role("button", name="Verser", exact=True).click()
    refusal = learner.locator(".jp-Dialog", has_text="Impossible de verser ce passage comme preuve")
    refusal.wait_for(timeout=15_000)
    # The server answers in the reader's language, JupyterLab's, sent with the request.
    assert (
        "vous avez écrit 0\u00a0% de ce passage\u00a0: vous ne pouvez déclarer comme preuve que des passages"
        " que vous avez écrits (au moins 80\u00a0%)" in refusal.inner_text()
    )
    assert "you wrote" not in refusal.inner_text()
    refusal.get_by_role("button").last.click()
    # Choosing no competence is caught before anything is sent.
    dialog = claim_selected(learner, NOT_HERS)
    dialog.get_by_role("button", name="Verser", exact=True).click()
    learner.locator(".jp-Dialog [role=alert]", has_text="Choisissez la compétence").wait_for(timeout=15_000)
    learner.locator(".jp-Dialog").get_by_role("button", name="Annuler").click()
    assert not any(
        item["quote"] and item["quote"]["exact"] == NOT_HERS and item["learner"] == "camille"
        for domain in demo_lab.api("journal", "api", "passports", "camille")["domains"]
        for competence in domain["competences"]
        for item in competence["evidence"]
    )
    learner.context.close()

    # Nadia has no passport: no claim button in her toolbar, nor in the cell's context menu.
    tutor = open_notebook(browser, tutor_lab, document_path(tutor_lab, "shared_diagnostic"))
    tutor.locator(".jp-NotebookPanel:visible .jp-JournalAnnotations-toolbarButton").wait_for(timeout=30_000)
    # The toolbar decides per user once it knows who reads: wait for that, then nothing is left.
    expect(tutor.locator(CLAIM_BUTTON)).to_have_count(0, timeout=15_000)
    tutor.locator(".jp-NotebookPanel:visible .jp-MarkdownOutput", has_text=NOT_HERS).click(button="right")
    menu = tutor.locator(".lm-Menu").first
    menu.wait_for(timeout=10_000)
    assert "Commenter" in menu.inner_text()
    assert "Verser comme preuve" not in menu.inner_text()
    tutor.keyboard.press("Escape")
    tutor.context.close()
