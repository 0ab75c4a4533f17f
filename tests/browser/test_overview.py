"""The group overview in the Passport panel: Nadia, the tutor, reads Groupe Maurepas at a glance, then Camille's passport.

This module's `demo_lab` and `tutor_lab` are its own (module-scoped fixtures):
the counts are read from the API of the same journal the panel shows.
"""

from __future__ import annotations

from typing import Any

from .conftest import Lab
from .test_accessibility import describe, run_axe
from .test_passport import PANEL, open_passport

GROUP = "Groupe Maurepas"


def figure_loaded(page: Any) -> None:
    page.wait_for_function(
        """() => { const img = document.querySelector('#journal-ext-passport .jp-JournalOverview img');
                   return img && img.complete && img.naturalWidth > 0; }""",
        timeout=30_000,
    )


def test_the_tutor_reads_her_group_overview_then_opens_a_passport(
    browser: Any, demo_lab: Lab, tutor_lab: Lab, axe_source: str
) -> None:
    overviews = tutor_lab.api("journal", "api", "passports")["overviews"]
    # A tutor is offered her groups' overviews, not the cohort's.
    assert {o["scope"] for o in overviews} == {"group"}
    group_id = next(o["id"] for o in overviews if o["name"] == GROUP)
    expected = tutor_lab.api("journal", "api", "overviews", "group", str(group_id))
    learners = {entry["name"]: entry for entry in expected["learners"]}
    assert list(learners) == ["Camille Martin", "Léa Le Goff", "Yanis Haddad"]
    # The demo's evidence: Camille claimed three passages, Yanis one, Léa none.
    assert [learners[name]["evidence_count"] for name in learners] == [3, 0, 1]

    tutor = open_passport(browser, tutor_lab)
    picker = tutor.get_by_label("Apprenant·e")
    assert tutor.locator(f'{PANEL} optgroup[label="Vue d\'ensemble"] option').all_inner_texts() == [
        f"{o['name']} (groupe)" for o in overviews
    ]
    picker.select_option(f"overview:group:{group_id}")
    tutor.locator(f"{PANEL} h3", has_text=f"Vue d'ensemble : {GROUP} (groupe)").wait_for(timeout=30_000)
    figure_loaded(tutor)
    assert f"{GROUP} — " in tutor.locator(f"{PANEL} h2").inner_text()
    assert tutor.locator(f"{PANEL} .jp-JournalOverview-about").inner_text() == "3 apprenant·es"
    # Read at full size in a tab of the main area, with its description.
    tutor.locator(f"{PANEL} .jp-JournalOverview button", has_text="Ouvrir la figure dans un onglet, en grand").click()
    tutor.wait_for_function(
        "() => { const img = document.querySelector('.jp-JournalFigure img'); return img && img.naturalWidth > 0; }",
        timeout=15_000,
    )
    tab = tutor.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current")
    assert GROUP in tab.inner_text()
    assert "pour chaque apprenant" in tutor.locator(".jp-JournalFigure-caption").inner_text().lower()

    # The table: one row per learner, with their competences met and their evidence.
    table = tutor.get_by_role("table", name="Apprenant·es")
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    for index, (name, entry) in enumerate(learners.items()):
        cells = rows.nth(index).locator("th, td")
        assert cells.nth(0).inner_text().strip() == name
        assert cells.nth(1).inner_text().startswith(f"{entry['competences_met']} sur {entry['competences_total']}")
        assert cells.nth(2).inner_text().strip() == str(entry["evidence_count"])
    # The figure is scaled to the panel; nothing is wider than the panel.
    sizes = tutor.evaluate(
        """() => {
            const panel = document.querySelector('#journal-ext-passport');
            const img = panel.querySelector('.jp-JournalOverview img');
            return { panel: panel.clientWidth, scroll: panel.scrollWidth,
                     img: img.getBoundingClientRect().width };
        }"""
    )
    assert sizes["img"] <= sizes["panel"], sizes
    assert sizes["scroll"] <= sizes["panel"], sizes

    violations = run_axe(tutor, axe_source, PANEL)
    assert not violations, f"axe: serious/critical violations in the group overview:\n{describe(violations)}"

    # Camille's name opens her passport in the panel.
    table.get_by_role("button", name="Camille Martin").click()
    tutor.locator(f"{PANEL} .jp-JournalPassport-summary").wait_for(timeout=30_000)
    assert "Camille Martin" in tutor.locator(f"{PANEL} h2").inner_text()
    assert picker.input_value() == "camille"
    assert tutor.locator(f"{PANEL} .jp-JournalOverview").count() == 0

    # Her other group has claimed nothing yet: the overview says so, and draws no figure.
    quiet = next(
        o
        for o in overviews
        if not any(
            entry["evidence_count"]
            for entry in tutor_lab.api("journal", "api", "overviews", "group", str(o["id"]))["learners"]
        )
    )
    picker.select_option(f"overview:group:{quiet['id']}")
    tutor.locator(
        f"{PANEL} .jp-JournalOverview .jp-JournalHistory-empty", has_text="Aucune preuve dans ce groupe"
    ).wait_for(timeout=30_000)
    assert tutor.locator(f"{PANEL} .jp-JournalOverview img").count() == 0
    tutor.context.close()

    # Camille, a learner, is offered no overview.
    assert demo_lab.api("journal", "api", "passports")["overviews"] == []
    learner = open_passport(browser, demo_lab)
    assert learner.locator(f"{PANEL} select").count() == 0
    learner.context.close()
