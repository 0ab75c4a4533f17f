"""Accessibility: axe-core (from labextension's devDependencies) on the Journal sidebar and a journal notebook.

axe-core is injected from ``labextension/node_modules``, which exists once the
frontend is built in-tree (``pip install .`` runs ``jlpm install``). Without it
the test skips, except in CI where it fails.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .conftest import Lab, open_lab

TAB = ".jp-SideBar [role=tab][data-id=journal-ext-sidebar]"
SIDEBAR = "#journal-ext-sidebar"
ENTRY = "Journal/Mon journal/2026-10-05 Entrée du journal d'apprentissage.ipynb"
BLOCKING = {"serious", "critical"}

# JupyterLab core's own markup in the notebook panel that axe flags (JupyterLab
# 4.x, axe-core 4.11): each upstream rule is scoped out only on the core elements
# named here (and, where given, only for the failure matching the pattern), so
# the rule still applies to everything else in the panel.
NOTEBOOK_CORE_EXCEPTIONS: dict[str, str | tuple[str, str]] = {
    # Upstream rule aria-allowed-attr: @jupyterlab/ui-components'
    # ToolbarButtonComponent always renders <jp-button aria-pressed=…>; the
    # toolkit's <jp-button> has no role attribute (its button is in its shadow
    # root), so axe refuses aria-pressed. This is every toolbar button's markup,
    # the debugger toggle's as well as journal_ext's own ToolbarButtons; only
    # aria-pressed is excused there.
    "aria-allowed-attr": (
        ".jp-Toolbar jp-button.jp-ToolbarButtonComponent",
        r'not allowed: aria-pressed="(true|false)"\s*$',
    ),
    # Upstream rule aria-input-field-name: CodeMirror 6's editable area in a
    # cell (div.cm-content role=textbox) has no accessible name.
    "aria-input-field-name": ".jp-Cell .cm-content",
    # Upstream rule aria-prohibited-attr: @jupyterlab/cells puts
    # aria-label="Markdown Cell Content" on the cell's <div>, which has no role.
    "aria-prohibited-attr": ".jp-Notebook .jp-Cell",
    # Upstream rule aria-required-children: the notebook's windowed viewport
    # (@jupyterlab/ui-components WindowedList) is role=feed, its cells are not role=article.
    "aria-required-children": ".jp-WindowedPanel-viewport",
    # Upstream rule button-name: the empty collapse-heading button that
    # @jupyterlab/cells puts before rendered Markdown headings has no text or label.
    "button-name": ".jp-MarkdownCell .jp-collapseHeadingButton",
}


def run_axe(
    page: Any, axe_source: str, selector: str, exceptions: dict[str, str | tuple[str, str]] | None = None
) -> list[dict[str, Any]]:
    """The serious and critical axe violations inside the first visible element matching `selector`.

    `exceptions` maps an axe rule to a CSS selector of elements it does not
    count on, or to (selector, regular expression its failure summary must match).
    """
    excused = {rule: [e, None] if isinstance(e, str) else list(e) for rule, e in (exceptions or {}).items()}
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    results = page.evaluate(
        """async ([selector, exceptions]) => {
            const element = [...document.querySelectorAll(selector)].find(e => e.offsetParent !== null);
            if (!element) { throw new Error('nothing visible matches ' + selector); }
            const result = await window.axe.run(element, { resultTypes: ['violations'] });
            const excused = (rule, node) => {
                if (!exceptions[rule]) { return false; }
                const [elements, failure] = exceptions[rule];
                const target = document.querySelector(node.target[node.target.length - 1]);
                return Boolean(target && target.matches(elements)
                    && (!failure || new RegExp(failure).test(node.failureSummary || '')));
            };
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.filter(n => !excused(v.id, n)).map(n => ({
                    target: n.target.join(' '), html: n.html.slice(0, 200),
                })),
            })).filter(v => v.nodes.length > 0);
        }""",
        [selector, excused],
    )
    return [v for v in results if v["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n['target']}\n      {n['html']}" for n in v["nodes"])
        for v in violations
    )


def test_sidebar_and_journal_notebook_have_no_serious_axe_violations(
    browser: Any, demo_lab: Lab, axe_source: str
) -> None:
    page = open_lab(browser, demo_lab, "lab/tree/" + quote(ENTRY))
    panel = page.locator(".jp-NotebookPanel:visible")
    panel.wait_for(timeout=60_000)
    page.locator(".jp-MarkdownOutput", has_text="La directrice a ouvert la réunion").first.wait_for(timeout=30_000)
    page.locator(TAB).click()
    page.locator(f"{SIDEBAR} .jp-JournalSidebar-sections h3").first.wait_for(timeout=30_000)
    page.locator(f"{SIDEBAR} .jp-JournalSidebar-itemTitle").first.wait_for(timeout=30_000)

    sidebar = run_axe(page, axe_source, SIDEBAR)
    notebook = run_axe(page, axe_source, ".jp-NotebookPanel", NOTEBOOK_CORE_EXCEPTIONS)
    page.context.close()
    assert not sidebar, f"axe: serious/critical violations in the Journal sidebar:\n{describe(sidebar)}"
    assert not notebook, f"axe: serious/critical violations in the journal notebook:\n{describe(notebook)}"
