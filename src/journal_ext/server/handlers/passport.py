"""The competence passport: passports, overviews, their figures, evidence and self-positioning."""

from __future__ import annotations

import asyncio
import datetime as dt

from journal_ext.core import passport
from journal_ext.server.errors import Refusal
from journal_ext.server.handlers.base import (
    JournalHandler,
    body_fields,
)


class PassportsHandler(JournalHandler):
    """The learners whose passport the user may see (themselves, their groups' or cohorts' learners)."""

    def get(self) -> None:
        viewer = self.viewer
        store = self.context.store
        self.reply(
            {
                "passports": passport.visible_passports(store, viewer),
                "overviews": passport.overviews_for(store, viewer),
            }
        )


def _chart_language(handler: JournalHandler) -> str:
    language = handler.get_query_argument("lang", "") or handler.context.language
    if language not in ("fr", "en"):
        raise Refusal(400, "'lang' must be fr or en, got {language}", language=repr(language))
    return language


class OverviewHandler(JournalHandler):
    """A group's or cohort's passports side by side (their tutors and coordinators)."""

    def get(self, scope: str, scope_id: str) -> None:
        viewer = self.viewer
        self.reply(passport.overview(self.context.store, viewer, scope, int(scope_id), self.context.language))


class OverviewChartHandler(JournalHandler):
    """A group's or cohort's overview as a figure (SVG): learners by competences, coloured by status."""

    async def get(self, scope: str, scope_id: str) -> None:
        from journal_ext.kernel import charts

        language = _chart_language(self)
        viewer = self.viewer
        data = passport.overview(self.context.store, viewer, scope, int(scope_id), language)
        svg = await asyncio.to_thread(charts.overview_svg, data, language)
        self.set_header("Cache-Control", "no-store")
        self.finish(svg, set_content_type="image/svg+xml; charset=utf-8")


class PassportChartHandler(JournalHandler):
    """A learner's passport as a figure (SVG): evidence per competence by state, self-positioning."""

    async def get(self, learner: str) -> None:
        from journal_ext.kernel import charts

        language = _chart_language(self)
        viewer = self.viewer
        data = passport.passport(self.context.store, viewer, learner, language)
        # Drawing takes a moment: off the server's event loop.
        svg = await asyncio.to_thread(charts.passport_svg, data, language)
        self.set_header("Cache-Control", "no-store")
        self.finish(svg, set_content_type="image/svg+xml; charset=utf-8")


class PassportHandler(JournalHandler):
    """A learner's competence passport (the learner, their tutors, their cohort's coordinators)."""

    def get(self, learner: str) -> None:
        viewer = self.viewer
        self.reply(passport.passport(self.context.store, viewer, learner, self.context.language))


class DocumentEvidenceHandler(JournalHandler):
    """POST claims a passage of the document as evidence of a competence."""

    def post(self, document_id: str) -> None:
        fields = body_fields(
            self,
            ("cell_id", "start", "end", "exact", "competence", "justification"),
            ("cell_id", "start", "end", "exact", "competence"),
        )
        viewer = self.viewer
        claimed = passport.claim(self.context.store, viewer, int(document_id), **fields)
        self.created(claimed, "evidence", str(claimed["id"]))


class EvidenceHandler(JournalHandler):
    """One piece of evidence with its judgements and comments."""

    def get(self, evidence_id: str) -> None:
        viewer = self.viewer
        self.reply(passport.get(self.context.store, viewer, int(evidence_id)))


class EvidenceActionHandler(JournalHandler):
    """POST evidence/<id>/withdraw, /assessments {state, comment}, /comments {text}."""

    def post(self, evidence_id: str, action: str) -> None:
        store, number = self.context.store, int(evidence_id)
        if action == "withdraw":
            # Nothing to say but the id: any body is ignored.
            viewer = self.viewer
            self.reply(passport.withdraw(store, viewer, number))
            return
        if action == "assessments":
            fields = body_fields(self, ("state", "comment"), ("state",))
            viewer = self.viewer
            self.reply(
                passport.assess(store, viewer, number, fields["state"], fields.get("comment", "")),
                status=201,
            )
            return
        fields = body_fields(self, ("text",), ("text",))
        viewer = self.viewer
        self.reply(passport.comment(store, viewer, number, fields["text"]), status=201)


class SelfPositioningHandler(JournalHandler):
    """POST the learner's ratings of themselves: {ratings: {competence: 1-4}, day?: YYYY-MM-DD, note?}."""

    def post(self) -> None:
        fields = body_fields(self, ("ratings", "day", "note"), ("ratings",))
        day = fields.get("day")
        if day is not None:
            try:
                day = dt.date.fromisoformat(day) if isinstance(day, str) else None
            except ValueError:
                day = None
            if day is None:
                raise Refusal(400, "'day' must be a date like 2026-11-23, got {day}", day=repr(fields["day"]))
        viewer = self.viewer
        rows = passport.position_self(
            self.context.store, viewer, fields["ratings"], day=day, note=fields.get("note", "")
        )
        self.reply({"ratings": rows}, status=201)
