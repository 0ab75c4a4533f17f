"""The passport as a picture: evidence per competence by assessment state, and self-positioning over time.

The passport figure has two panels sharing the competences as rows (grouped by domain):
on the left, each competence's evidence as a bar split by state (met,
partially met, not met, ready, claimed); on the right, the learner's
self-positioning, first and latest rating joined by a line. Colours come from
the Okabe-Ito palette (told apart with colour-vision deficiencies) and every
segment carries its count, so no meaning rests on colour alone.

The overview of a group or cohort is a grid: a row per learner, a column
per competence (grouped by domain), each square coloured by the learner's best
status for it and carrying their number of pieces of evidence.

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
        "met": "atteinte",
        "partially_met": "partiellement atteinte",
        "not_met": "non atteinte",
        "ready": "prête pour l'évaluation",
        "claimed": "déclarée",
        "evidence": "Preuves par compétence",
        "self": "Auto-positionnement (1 à 4)",
        "title": "Passeport compétences — {name}",
        "first": "premier",
        "latest": "dernier",
        "count": "nombre de preuves",
        "overview": "Vue d'ensemble — {name}",
        "none": "aucune preuve",
        "overview_note": "couleur\u00a0: la meilleure appréciation\u202f; chiffre\u00a0: nombre de preuves",
    },
    "en": {
        "met": "met",
        "partially_met": "partially met",
        "not_met": "not met",
        "ready": "ready for assessment",
        "claimed": "claimed",
        "evidence": "Evidence per competence",
        "self": "Self-positioning (1 to 4)",
        "title": "Competence passport — {name}",
        "first": "first",
        "latest": "latest",
        "count": "pieces of evidence",
        "overview": "Overview — {name}",
        "none": "no evidence",
        "overview_note": "colour: the best judgement; number: pieces of evidence",
    },
}


def passport_figure(passport: dict[str, Any], language: str = "fr") -> Any:
    """A matplotlib figure of a passport (as :func:`journal_ext.core.passport.passport` returns it)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    words = WORDS.get(language, WORDS["fr"])
    rows = [(domain["code"], competence) for domain in passport["domains"] for competence in domain["competences"]]
    height = max(3.0, 0.32 * len(rows) + 1.6)
    figure = Figure(figsize=(10, height), layout="constrained")
    evidence_axes, self_axes = figure.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    positions = list(range(len(rows)))[::-1]
    most = 1
    for y, (_domain, competence) in zip(positions, rows, strict=True):
        left = 0
        for state, colour in STATE_COLOURS.items():
            count = competence["states"].get(state, 0)
            if not count:
                continue
            evidence_axes.barh(y, count, left=left, color=colour, edgecolor="white", height=0.7)
            evidence_axes.text(
                left + count / 2,
                y,
                str(count),
                ha="center",
                va="center",
                fontsize=8,
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
    for y, (domain, _competence) in zip(positions, rows, strict=True):
        if domain in seen:
            continue
        seen.add(domain)
        for axes in (evidence_axes, self_axes):
            axes.axhline(y + 0.5, color="#cccccc", linewidth=0.8)
    for axes in (evidence_axes, self_axes):
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", color="#eeeeee", linewidth=0.8)
        axes.set_axisbelow(True)
    from matplotlib.artist import Artist
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = [Patch(color=colour, label=words[state]) for state, colour in STATE_COLOURS.items()]
    handles += [
        Line2D(
            [], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#0072B2", label=words["first"]
        ),
        Line2D([], [], marker="o", linestyle="", color="#0072B2", label=words["latest"]),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    figure.suptitle(words["title"].format(name=passport["learner_name"]), fontsize=12)
    return figure


def _png(figure: Any, dpi: int) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    return buffer.getvalue()


def passport_png(passport: dict[str, Any], language: str = "fr", dpi: int = 110) -> bytes:
    """The passport figure as PNG bytes."""
    return _png(passport_figure(passport, language), dpi)


def passport_svg(passport: dict[str, Any], language: str = "fr") -> str:
    """The passport figure as an SVG document."""
    return _svg(passport_figure(passport, language))


NO_EVIDENCE_COLOUR = "#F2F2F2"


def overview_figure(overview: dict[str, Any], language: str = "fr") -> Any:
    """A matplotlib figure of a group's or cohort's overview (as :func:`journal_ext.core.passport.overview` returns it)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, Rectangle

    words = WORDS.get(language, WORDS["fr"])
    columns = [
        (domain["code"], competence["code"]) for domain in overview["domains"] for competence in domain["competences"]
    ]
    learners = overview["learners"]
    width = max(5.0, 0.42 * len(columns) + 2.6)
    height = max(2.6, 0.36 * len(learners) + 2.2)
    figure = Figure(figsize=(width, height), layout="constrained")
    axes = figure.subplots()
    for row, entry in enumerate(learners):
        for column, (_domain, code) in enumerate(columns):
            cell = entry["competences"][code]
            colour = STATE_COLOURS.get(cell["status"] or "", NO_EVIDENCE_COLOUR)
            axes.add_patch(Rectangle((column, row), 0.94, 0.94, facecolor=colour, edgecolor="none"))
            if cell["evidence"]:
                axes.text(
                    column + 0.47,
                    row + 0.47,
                    str(cell["evidence"]),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if cell["status"] in ("met", "not_met", "ready") else "black",
                )
    # A gap-line between domains, and each domain's code above its columns.
    start = 0
    for domain in overview["domains"]:
        count = len(domain["competences"])
        axes.text(start + count / 2, -0.35, domain["code"], ha="center", va="bottom", fontsize=8, fontweight="bold")
        if start:
            axes.axvline(start - 0.03, color="#666666", linewidth=0.8)
        start += count
    axes.set_xlim(-0.1, max(1, len(columns)))
    axes.set_ylim(max(1, len(learners)), -0.9)
    axes.set_xticks([c + 0.47 for c in range(len(columns))], [code for _d, code in columns], rotation=90, fontsize=7)
    axes.set_yticks([r + 0.47 for r in range(len(learners))], [entry["name"] for entry in learners], fontsize=8)
    axes.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        axes.spines[side].set_visible(False)
    handles = [Patch(color=colour, label=words[state]) for state, colour in STATE_COLOURS.items()]
    handles.append(Patch(facecolor=NO_EVIDENCE_COLOUR, edgecolor="#bbbbbb", label=words["none"]))
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncol=3,
        fontsize=8,
        frameon=False,
        title=words["overview_note"],
        title_fontsize=8,
    )
    figure.suptitle(words["overview"].format(name=overview["name"]), fontsize=11)
    return figure


def overview_png(overview: dict[str, Any], language: str = "fr", dpi: int = 110) -> bytes:
    """The overview figure as PNG bytes."""
    return _png(overview_figure(overview, language), dpi)


def overview_svg(overview: dict[str, Any], language: str = "fr") -> str:
    """The overview figure as an SVG document."""
    return _svg(overview_figure(overview, language))
