"""The passport as a picture: evidence per competence by assessment state, and self-positioning over time.

One figure, two panels sharing the competences as rows (grouped by domain):
on the left, each competence's evidence as a bar split by state (met,
partially met, not met, ready, claimed); on the right, the learner's
self-positioning, first and latest rating joined by a line. Colours come from
the Okabe-Ito palette (told apart with colour-vision deficiencies) and every
segment carries its count, so no meaning rests on colour alone.

Rendered with matplotlib's Agg backend (no display needed) to PNG for DOCX
and widgets, or SVG for HTML.
"""

from __future__ import annotations

import io
from typing import Any

# Okabe-Ito colours, one per state, from the best judgement to none yet.
STATE_COLOURS = {
    "met": "#009E73",
    "partially_met": "#E69F00",
    "not_met": "#D55E00",
    "ready": "#0072B2",
    "claimed": "#999999",
}
WORDS = {
    "fr": {
        "met": "atteinte", "partially_met": "partiellement atteinte", "not_met": "non atteinte",
        "ready": "prête pour l'évaluation", "claimed": "déclarée",
        "evidence": "Preuves par compétence", "self": "Auto-positionnement (1 à 4)",
        "title": "Passeport compétences — {name}", "first": "premier", "latest": "dernier",
        "count": "nombre de preuves",
    },
    "en": {
        "met": "met", "partially_met": "partially met", "not_met": "not met",
        "ready": "ready for assessment", "claimed": "claimed",
        "evidence": "Evidence per competence", "self": "Self-positioning (1 to 4)",
        "title": "Competence passport — {name}", "first": "first", "latest": "latest",
        "count": "pieces of evidence",
    },
}


def passport_figure(passport: dict[str, Any], language: str = "fr") -> Any:
    """A matplotlib figure of a passport (as :func:`journal_ext.passport.passport` returns it)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    words = WORDS.get(language, WORDS["fr"])
    rows = [
        (domain["code"], competence)
        for domain in passport["domains"]
        for competence in domain["competences"]
    ]
    height = max(3.0, 0.32 * len(rows) + 1.6)
    figure = Figure(figsize=(10, height), layout="constrained")
    evidence_axes, self_axes = figure.subplots(
        1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 2]}
    )
    positions = list(range(len(rows)))[::-1]
    most = 1
    for y, (_domain, competence) in zip(positions, rows):
        left = 0
        for state, colour in STATE_COLOURS.items():
            count = competence["states"].get(state, 0)
            if not count:
                continue
            evidence_axes.barh(y, count, left=left, color=colour, edgecolor="white", height=0.7)
            evidence_axes.text(
                left + count / 2, y, str(count), ha="center", va="center", fontsize=8,
                color="white" if state in ("met", "not_met", "ready") else "black",
            )
            left += count
        most = max(most, left)
        ratings = competence["self_positioning"]
        if ratings:
            first, latest = ratings[0]["level"], ratings[-1]["level"]
            self_axes.plot([first, latest], [y, y], color="#56B4E9", linewidth=2, zorder=1)
            self_axes.scatter([first], [y], s=36, facecolors="white", edgecolors="#0072B2", zorder=2)
            self_axes.scatter([latest], [y], s=36, color="#0072B2", zorder=3)
    labels = [competence["code"] for _domain, competence in rows]
    evidence_axes.set_yticks(positions, labels, fontsize=8)
    evidence_axes.set_xlim(0, max(most, 3) + 0.5)
    evidence_axes.xaxis.get_major_locator().set_params(integer=True)
    evidence_axes.set_xlabel(words["count"], fontsize=9)
    evidence_axes.set_title(words["evidence"], fontsize=10)
    self_axes.set_xlim(0.5, 4.5)
    self_axes.set_xticks([1, 2, 3, 4])
    self_axes.set_title(words["self"], fontsize=10)
    # A rule between domains, and the domain's code at its first row.
    seen: set[str] = set()
    for y, (domain, _competence) in zip(positions, rows):
        if domain in seen:
            continue
        seen.add(domain)
        for axes in (evidence_axes, self_axes):
            axes.axhline(y + 0.5, color="#cccccc", linewidth=0.8)
    for axes in (evidence_axes, self_axes):
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", color="#eeeeee", linewidth=0.8)
        axes.set_axisbelow(True)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(color=colour, label=words[state]) for state, colour in STATE_COLOURS.items()]
    handles += [
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#0072B2",
               label=words["first"]),
        Line2D([], [], marker="o", linestyle="", color="#0072B2", label=words["latest"]),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    figure.suptitle(words["title"].format(name=passport["learner_name"]), fontsize=12)
    return figure


def passport_png(passport: dict[str, Any], language: str = "fr", dpi: int = 110) -> bytes:
    """The passport figure as PNG bytes."""
    buffer = io.BytesIO()
    passport_figure(passport, language).savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def passport_svg(passport: dict[str, Any], language: str = "fr") -> str:
    """The passport figure as an SVG document."""
    buffer = io.StringIO()
    passport_figure(passport, language).savefig(buffer, format="svg")
    return buffer.getvalue()
