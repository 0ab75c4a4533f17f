"""The Competence Passport panel in a real JupyterLab: the tutor reads Camille's passport, assesses, both see it change."""

from __future__ import annotations

from typing import Any

from .conftest import Lab, open_lab
from .test_accessibility import describe, run_axe

PANEL = "#journal-ext-passport"
TAB = ".jp-SideBar [role=tab][data-id=journal-ext-passport]"


def open_passport(browser: Any, lab: Lab) -> Any:
    page = open_lab(browser, lab)
    page.locator(TAB).click()
    page.locator(f"{PANEL} .jp-JournalPassport-summary").wait_for(timeout=30_000)
    page.wait_for_function(
        "() => { const img = document.querySelector('#journal-ext-passport img'); return img && img.naturalWidth > 0; }",
        timeout=30_000,
    )
    return page


def dc1(page: Any) -> str:
    return page.locator(f"{PANEL} .jp-JournalPassport-summary li", has_text="DC1").inner_text()


def test_the_tutor_assesses_and_both_see_the_passport_change(
    browser: Any, demo_lab: Lab, tutor_lab: Lab, axe_source: str
) -> None:
    tutor = open_passport(browser, tutor_lab)
    assert "Camille Martin" in tutor.locator(f"{PANEL} h2").inner_text()
    assert "1 compétence atteinte sur 5, 3 preuves" in dc1(tutor)
    # Tutors choose among their learners.
    choices = tutor.get_by_label("Apprenant·e").locator("option").all_inner_texts()
    assert choices[:3] == [
        "Camille Martin (Groupe Maurepas)",
        "Léa Le Goff (Groupe Maurepas)",
        "Yanis Haddad (Groupe Maurepas)",
    ]
    tutor.locator(f"{PANEL} summary", has_text="DC1").click()
    ready = tutor.locator(
        f'{PANEL} li[data-evidence-id]:has(> .jp-JournalHistory-tag:text-is("prête pour l\'évaluation"))'
    ).first
    evidence_id = ready.get_attribute("data-evidence-id")
    assert "comprendre ce qui permet ou empêche" in ready.inner_text()
    violations = run_axe(tutor, axe_source, PANEL)
    assert not violations, f"axe: serious/critical violations in the passport panel:\n{describe(violations)}"

    # She judges it in the panel: the counts and the figure are read again.
    item = tutor.locator(f"{PANEL} li[data-evidence-id='{evidence_id}']")
    item.locator("summary", has_text="Évaluer (formateur·rice)").click()
    item.get_by_role("group", name="Évaluation").get_by_label("atteinte", exact=True).check()
    item.get_by_label("Commentaire (facultatif)").fill("Reformulation claire.")
    item.get_by_role("button", name="Enregistrer l'évaluation").click()
    tutor.locator(f"{PANEL} .jp-JournalPassport-summary li", has_text="2 compétences atteintes sur 5").wait_for(
        timeout=15_000
    )
    assert "atteinte (formateur·rice, Nadia Benali) — Reformulation claire." in item.inner_text()
    tutor.context.close()

    learner = open_passport(browser, demo_lab)
    assert "2 compétences atteintes sur 5, 3 preuves" in dc1(learner)
    # A learner sees only her own passport: nothing to choose.
    assert learner.get_by_label("Apprenant·e").count() == 0
    learner.context.close()
