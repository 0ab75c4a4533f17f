"""A learner's script never runs in the tutor's browser, in a real JupyterLab in Chromium.

Camille saves into her group's shared diagnostic a code cell that says it is
trusted, whose outputs are JavaScript and HTML with a ``<script>``: each
would open a dialog and request a URL of the server. Nadia, the tutor,
opens the diagnostic: nothing runs (no dialog, no request). As a control,
Camille, who vouched for her own output, opens it too and the script runs:
the test can see a script that runs.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any
from urllib.parse import quote

from .conftest import Lab
from .test_annotations import diagnostic_path

MARK = "journal-ext-pwned"
SCRIPT = f"fetch('/{MARK}-' + Date.now()); alert('{MARK}');"


def put_notebook(lab: Lab, path: str, notebook: dict[str, Any]) -> None:
    """Save through the learner's own server, as her JupyterLab would."""
    body = json.dumps({"type": "notebook", "format": "json", "content": notebook}).encode()
    request = urllib.request.Request(
        f"{lab.url}api/contents/{quote(path)}",
        data=body,
        method="PUT",
        headers={"Authorization": f"token {lab.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


def watch(page: Any) -> dict[str, list[str]]:
    """Record every dialog the page opens and every request that carries the mark."""
    seen: dict[str, list[str]] = {"dialogs": [], "requests": []}

    def on_dialog(dialog: Any) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda request: seen["requests"].append(request.url) if MARK in request.url else None)
    return seen


def open_watched(browser: Any, lab: Lab, path: str) -> tuple[Any, dict[str, list[str]]]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="fr-FR")
    page = context.new_page()
    seen = watch(page)
    page.goto(lab.lab_url("lab/tree/" + quote(path)))
    page.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
    # The hostile cell's HTML output is on the page (sanitised or not) once the notebook is drawn.
    page.locator(".jp-NotebookPanel:visible .jp-OutputArea-output b", has_text="Bonjour").wait_for(timeout=60_000)
    page.wait_for_timeout(2_000)
    return page, seen


def test_a_learners_script_runs_in_no_one_elses_browser(browser: Any, demo_lab: Lab, tutor_lab: Lab) -> None:
    learner_path = diagnostic_path(demo_lab)
    notebook = demo_lab.api("api", "contents", learner_path)["content"]
    notebook["cells"].append(
        {
            "cell_type": "code",
            "id": "hostile",
            "metadata": {"trusted": True},
            "execution_count": 1,
            "source": "print('bonjour')",
            "outputs": [
                {"output_type": "display_data", "metadata": {}, "data": {"application/javascript": SCRIPT}},
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"text/html": f"<b>Bonjour</b><script>{SCRIPT}</script>", "text/plain": "Bonjour"},
                },
            ],
        }
    )
    put_notebook(demo_lab, learner_path, notebook)

    tutor, seen = open_watched(browser, tutor_lab, diagnostic_path(tutor_lab))
    assert seen == {"dialogs": [], "requests": []}
    served = tutor_lab.api("api", "contents", diagnostic_path(tutor_lab))["content"]
    assert next(c for c in served["cells"] if c["id"] == "hostile")["metadata"]["trusted"] is False
    tutor.context.close()

    # The control: in the browser of the learner who vouched for it, the same output runs.
    learner, seen = open_watched(browser, demo_lab, learner_path)
    assert seen["dialogs"] and seen["requests"], "the control failed: the script should run for its own writer"
    learner.context.close()
