"""ipywidgets for a notebook: rate oneself per competence (auto-positionnement), and see a competence passport.

In a notebook opened from JupyterLab with journal_ext, the kernel knows the
journal from its server: on a JupyterHub with the journal service, the
service (``JOURNAL_EXT_SERVICE_URL``) and the server's hub token, so the
widgets read and write as the token's owner through the service; on a
single-user server, the file (``JOURNAL_EXT_DB``) and who is writing
(``JOURNAL_EXT_USER``)::

    from journal_ext.kernel.widgets import SelfPositioning, Passport
    SelfPositioning()          # rate yourself, then Enregistrer
    Passport()                 # your passport; Passport("camille") for a tutor
    PassportOverview(group="Promotion 2026-2027/Groupe Maurepas")   # tutors, coordinators

Both go through the same library and permission rules as the REST API.
"""

from __future__ import annotations

import datetime as dt
import getpass
import html
import os
from typing import Any, TypedDict

import ipywidgets as w

from journal_ext.core import passport as passports
from journal_ext.core.documents import ensure_initialised
from journal_ext.core.framework import parse_framework
from journal_ext.core.permissions import Viewer, viewer_for
from journal_ext.db import JournalStore, StoreError, default_db_path
from journal_ext.i18n import format_date, message, plural_message
from journal_ext.kernel import charts
from journal_ext.service.client import ServiceClient, ServiceError, overview_scope


class Words(TypedDict):
    """What the widgets say, in one language."""

    levels: dict[int, str]
    date: str
    note: str
    save: str
    nothing: str
    intro: str
    refresh: str
    no_learner: str
    unrated: str
    scope: str


WORDS: dict[str, Words] = {
    "fr": {
        "levels": {1: "1 · découverte", 2: "2 · en progrès", 3: "3 · maîtrisé", 4: "4 · je transmets"},
        "date": "Date",
        "note": "Remarque",
        "save": "Enregistrer",
        "nothing": "Choisissez un niveau pour au moins une compétence.",
        "intro": "Situez-vous pour chaque compétence (laissez vide celles que vous ne savez pas encore situer).",
        "refresh": "Actualiser",
        "no_learner": "Ce passeport n'a pas de titulaire\u00a0: donnez le nom d'un·e apprenant·e.",
        "unrated": "—",
        "scope": "Donnez un groupe («\u00a0Promotion/Groupe\u00a0») ou une promotion, pas les deux.",
    },
    "en": {
        "levels": {1: "1 · discovering", 2: "2 · progressing", 3: "3 · mastered", 4: "4 · passing it on"},
        "date": "Date",
        "note": "Note",
        "save": "Save",
        "nothing": "Choose a level for at least one competence.",
        "intro": "Rate yourself for each competence (leave blank those you can't rate yet).",
        "refresh": "Refresh",
        "no_learner": "This passport has no holder: give a learner's name.",
        "unrated": "—",
        "scope": 'Give a group ("Cohort/Group") or a cohort, not both.',
    },
}


def current_user() -> str:
    """Who is writing: JupyterHub's user, else the server's journal user, else the OS user."""
    return os.environ.get("JUPYTERHUB_USER") or os.environ.get("JOURNAL_EXT_USER") or getpass.getuser()


def journal_service(store: JournalStore | None, language: str) -> ServiceClient | None:
    """The journal service this kernel's server uses, unless a store is given (then: that file)."""
    if store is not None:
        return None
    return ServiceClient.from_environment(language)


def open_journal(store: JournalStore | None = None) -> JournalStore:
    """The given store, or the journal the server uses (``JOURNAL_EXT_DB``, else the default file)."""
    if store is not None:
        return store
    if os.environ.get("JOURNAL_EXT_SERVICE_URL"):
        raise StoreError(
            "this kernel's journal is the journal service: the widgets reach it themselves (no database file here)"
        )
    opened = JournalStore(os.environ.get("JOURNAL_EXT_DB") or default_db_path())
    ensure_initialised(opened)
    return opened


# A form's domain: its code, its label, and its competences (code, label).
FormDomain = tuple[str, str, list[tuple[str, str]]]


def _ask(service: ServiceClient, method: str, path: str, payload: Any = None) -> Any:
    """A call to the journal service; its refusal (or silence) as the message a widget shows."""
    try:
        return service.call(method, path, payload)
    except ServiceError as error:
        raise StoreError(error.message) from error


def _status(text: str, error: bool = False) -> str:
    colour = "var(--jp-error-color1, #b71c1c)" if error else "var(--jp-success-color1, #2e7d32)"
    return f'<span role="status" style="color:{colour}">{html.escape(text)}</span>'


class SelfPositioning(w.VBox):  # type: ignore[misc]  # ipywidgets has no type information
    """A form: a level from 1 to 4 for each competence of the learner's cohort, a date, a note, Save.

    Each Save appends ratings (nothing is overwritten), so repeating it over
    the programme shows the progress in the passport.
    """

    def __init__(
        self,
        *,
        store: JournalStore | None = None,
        user: str | None = None,
        language: str = "fr",
        day: dt.date | None = None,
    ) -> None:
        self.service = journal_service(store, language)
        self.words = WORDS.get(language, WORDS["fr"])
        self.words_language = language if language in WORDS else "fr"
        if self.service is not None:
            domains, latest = self._form_from_service()
        else:
            self.store = open_journal(store)
            self.viewer: Viewer = viewer_for(self.store, user or current_user())
            domains, latest = self._form_from_store(language)
        options = [(self.words["unrated"], 0)] + [(label, level) for level, label in self.words["levels"].items()]
        self.levels: dict[str, w.Dropdown] = {}
        rows: list[w.Widget] = [w.HTML(f"<p>{html.escape(self.words['intro'])}</p>")]
        for domain_code, domain_label, competences in domains:
            rows.append(w.HTML(f"<h4>{html.escape(domain_code)} — {html.escape(domain_label)}</h4>"))
            for code, label in competences:
                choice = w.Dropdown(
                    options=options,
                    value=latest.get(code, 0),
                    description=code,
                    description_allow_html=False,
                    tooltip=label,
                    layout=w.Layout(width="16em"),
                )
                self.levels[code] = choice
                rows.append(w.HBox([choice, w.HTML(f"<span>{html.escape(label)}</span>")]))
        self.day = w.DatePicker(value=day or dt.date.today(), description=self.words["date"])
        self.note = w.Textarea(description=self.words["note"], layout=w.Layout(width="40em"))
        self.save_button = w.Button(description=self.words["save"], button_style="primary", icon="save")
        self.message = w.HTML()
        self.save_button.on_click(lambda _button: self.save())
        super().__init__([*rows, self.day, self.note, w.HBox([self.save_button, self.message])])

    def _form_from_store(self, language: str) -> tuple[list[FormDomain], dict[str, int]]:
        cohorts = sorted({m.cohort_id for m in self.viewer.memberships if m.role == "learner"})
        if not cohorts:
            raise StoreError(
                "{user} is no learner of any cohort: self-positioning is for learners", user=self.viewer.user
            )
        cohort = self.store.cohort_by_id(cohorts[0])
        framework = parse_framework(self.store.framework_body(cohort["framework_id"]), cohort["framework_id"])
        latest = {r["competence"]: r["level"] for r in self.store.self_positionings(self.viewer.user, cohort["id"])}
        domains = [
            (d.code, d.label(language), [(c.code, c.label(language)) for c in d.competences]) for d in framework.domains
        ]
        return domains, latest

    def _form_from_service(self) -> tuple[list[FormDomain], dict[str, int]]:
        assert self.service is not None
        me = _ask(self.service, "GET", "journal/api/me")
        if "learner" not in me["roles"]:
            raise StoreError("{user} is no learner of any cohort: self-positioning is for learners", user=me["user"])
        # The learner's own passport holds the framework and the latest rating of each competence.
        data = _ask(self.service, "GET", f"journal/api/passports/{me['user']}")
        domains = [
            (d["code"], d["title"], [(c["code"], c["title"]) for c in d["competences"]]) for d in data["domains"]
        ]
        latest = {
            c["code"]: c["self_positioning"][-1]["level"]
            for d in data["domains"]
            for c in d["competences"]
            if c["self_positioning"]
        }
        return domains, latest

    def ratings(self) -> dict[str, int]:
        """The levels chosen now, by competence code (unrated ones left out)."""
        return {code: choice.value for code, choice in self.levels.items() if choice.value}

    def save(self) -> list[dict[str, Any]]:
        """Append the chosen ratings to the journal; the message says what happened."""
        ratings = self.ratings()
        if not ratings:
            self.message.value = _status(self.words["nothing"], error=True)
            return []
        rows: list[dict[str, Any]]
        try:
            if self.service is not None:
                body: dict[str, Any] = {"ratings": ratings, "note": self.note.value or ""}
                if self.day.value:
                    body["day"] = self.day.value.isoformat()
                rows = list(_ask(self.service, "POST", "journal/api/self-positioning", body)["ratings"])
            else:
                rows = passports.position_self(
                    self.store, self.viewer, ratings, day=self.day.value, note=self.note.value
                )
        except StoreError as error:
            self.message.value = _status(error.in_language(self.words_language), error=True)
            return []
        day = format_date(self.day.value, self.words_language) if self.day.value else ""
        saved = plural_message(
            "Saved: {n} competence, on {day}.", "Saved: {n} competences, on {day}.", "n", n=len(rows), day=day
        )
        self.message.value = _status(saved.render(self.words_language))
        return rows


class _Figure(w.VBox):  # type: ignore[misc]  # ipywidgets has no type information
    """A summary, a figure and a refresh button, read through the library as the viewer."""

    def __init__(self, store: JournalStore | None, user: str | None, language: str) -> None:
        self.service = journal_service(store, language)
        if self.service is None:
            self.store = open_journal(store)
            self.viewer: Viewer = viewer_for(self.store, user or current_user())
        self.language = language
        self.words = WORDS.get(language, WORDS["fr"])
        self.summary = w.HTML()
        self.image = w.Image(format="png")
        self.refresh_button = w.Button(description=self.words["refresh"], icon="refresh")
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.data: dict[str, Any] = {}
        super().__init__([self.summary, self.image, self.refresh_button])

    def _read(self) -> dict[str, Any]:
        raise NotImplementedError

    def _describe(self, data: dict[str, Any]) -> str:
        raise NotImplementedError

    def _draw(self, data: dict[str, Any]) -> bytes:
        raise NotImplementedError

    def _line(self, head: str, met: int, total: int, evidence: int) -> str:
        separator = "\u00a0: " if self.language == "fr" else ": "
        counts = message(
            "{met}; {evidence}",
            met=plural_message(
                "{met} of {total} competence met", "{met} of {total} competences met", "met", met=met, total=total
            ),
            evidence=plural_message("{count} piece of evidence", "{count} pieces of evidence", "count", count=evidence),
        ).render(self.language)
        return f"<li>{head}{separator}{html.escape(counts)}</li>"

    def refresh(self) -> dict[str, Any]:
        """Read it again from the journal and redraw it."""
        try:
            self.data = self._read()
        except StoreError as error:
            self.summary.value = _status(error.in_language(self.language), error=True)
            self.image.value = b""
            return {}
        self.summary.value = self._describe(self.data)
        self.image.value = self._draw(self.data)
        return self.data


class Passport(_Figure):
    """A learner's passport: a summary line per domain, then the figure (evidence by state, self-positioning)."""

    def __init__(
        self,
        learner: str | None = None,
        *,
        store: JournalStore | None = None,
        user: str | None = None,
        language: str = "fr",
    ) -> None:
        super().__init__(store, user, language)
        if learner is not None:
            self.learner = learner
        elif self.service is not None:
            self.learner = str(_ask(self.service, "GET", "journal/api/me")["user"])
        else:
            self.learner = self.viewer.user
        self.refresh()

    def _read(self) -> dict[str, Any]:
        if self.service is not None:
            return dict(_ask(self.service, "GET", f"journal/api/passports/{self.learner}"))
        return passports.passport(self.store, self.viewer, self.learner, self.language)

    def _describe(self, data: dict[str, Any]) -> str:
        lines = [
            self._line(
                f"<strong>{html.escape(d['code'])}</strong> {html.escape(d['title'])}",
                d["competences_met"],
                d["competences_total"],
                d["evidence_count"],
            )
            for d in data["domains"]
        ]
        return f"<h3>{html.escape(data['learner_name'])} — {html.escape(data['cohort'])}</h3><ul>{''.join(lines)}</ul>"

    def _draw(self, data: dict[str, Any]) -> bytes:
        return charts.passport_png(data, self.language)


class PassportOverview(_Figure):
    """A group's or a cohort's passports side by side: a line per learner, then the grid figure."""

    def __init__(
        self,
        *,
        group: str | None = None,
        cohort: str | None = None,
        store: JournalStore | None = None,
        user: str | None = None,
        language: str = "fr",
    ) -> None:
        self.group, self.cohort = group, cohort
        super().__init__(store, user, language)
        self.refresh()

    def _read(self) -> dict[str, Any]:
        if (self.group is None) == (self.cohort is None):
            raise StoreError('Give a group ("Cohort/Group") or a cohort, not both.')
        if self.service is not None:
            scope, number = overview_scope(self.service, self.group, self.cohort)
            return dict(_ask(self.service, "GET", f"journal/api/overviews/{scope}/{number}"))
        if self.group is not None:
            scope, number = "group", int(self.store.group(self.group)["id"])
        else:
            scope, number = "cohort", int(self.store.cohort(str(self.cohort))["id"])
        return passports.overview(self.store, self.viewer, scope, number, self.language)

    def _describe(self, data: dict[str, Any]) -> str:
        lines = [
            self._line(
                f"<strong>{html.escape(e['name'])}</strong> ({html.escape(e['group'])})",
                e["competences_met"],
                e["competences_total"],
                e["evidence_count"],
            )
            for e in data["learners"]
        ]
        learners = plural_message("{n} learner", "{n} learners", "n", n=data["learner_count"]).render(self.language)
        heading = f"{data['name']} — {learners}"
        return f"<h3>{html.escape(heading)}</h3><ul>{''.join(lines)}</ul>"

    def _draw(self, data: dict[str, Any]) -> bytes:
        return charts.overview_png(data, self.language)


__all__ = ["Passport", "PassportOverview", "SelfPositioning", "current_user", "open_journal"]
