"""Case PDFs: a case summary and a chronology.

Need to know decides as for reading the case (a reader from another team must have stated
a reason when opening it). The case is read, and the export audited, in one transaction;
the PDF is drawn after it ends, so that a long layout never holds the workspace. The audit
says which kind of PDF of which case, never what it holds. The PDF comes back in memory:
saving it, and where, is the person's choice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from casework.models import Assessment, Case, CaseNote, KeyPerson
from casework import dto
from casework.fields import Id, Opaque
from casework.services.assessments import _rows as assessment_rows
from casework.services.base import Service
from casework.services.cases import case_summary
from casework.services.notes import _row_of, note_rows
from casework.services.plans import _plan
from casework.timeutil import london_today
from casework.vocab import KeyPersonKind

if TYPE_CHECKING:
    from casework.reports.page import Rendered

Progress = Callable[[float], None]
Callback = Annotated[Progress | None, Opaque()]  # told how far the PDF has got
# Entries of the chronology the case summary ends with; the chronology PDF has them all.
RECENT_CHRONOLOGY = 10
_CARER_KINDS = tuple(k.value for k in KeyPersonKind if k.is_carer)
_NEWEST_SIGNIFICANT = dto.NoteQuery(significant_only=True, newest_first=True)


class ReportService(Service):
    def case_summary_pdf(self, case_id: Id, *, progress: Callback = None
                         ) -> dto.PdfDocument:
        """The case summary: the person, the case, its allocation history, the key people
        and carers, assessments, plan, and the latest chronology entries."""
        from casework.reports.case_summary import render_case_summary  # see _document

        report = self._gather(case_id, dto.PdfKind.SUMMARY, _summary_report)
        rendered = render_case_summary(report, progress)
        return self._document(dto.PdfKind.SUMMARY, report.summary.case, rendered,
                              report.stamp)

    def chronology_pdf(self, case_id: Id, *, progress: Callback = None
                       ) -> dto.PdfDocument:
        """Every significant note and event of the case, oldest first."""
        from casework.reports.chronology import render_chronology  # see _document

        report = self._gather(case_id, dto.PdfKind.CHRONOLOGY, _chronology_report)
        rendered = render_chronology(report, progress)
        return self._document(dto.PdfKind.CHRONOLOGY, report.case, rendered, report.stamp)

    def _gather(self, case_id: str, kind: dto.PdfKind, build: Callable):
        # A write transaction, for the audit of the export beside the read.
        with self._write() as s:
            actor, c = self._case_to_read(s, case_id, "export_case_pdf")
            stamp = dto.ReportStamp(made_by=actor.display_name, made_at=self._ctx.now())
            report = build(s, c, stamp)
            self._ctx.audit(s, actor, "export_case_pdf", entity_type="case", entity_id=c.id,
                            detail={"kind": kind.value, "case_id": c.id})
        return report

    # ReportLab is imported when a PDF is first made, not at start-up (about 0.1 s).
    def _document(self, kind: dto.PdfKind, c: dto.CaseRow, rendered: "Rendered",
                  stamp: dto.ReportStamp) -> dto.PdfDocument:
        words = "case summary" if kind == dto.PdfKind.SUMMARY else "chronology"
        day = london_today(lambda: stamp.made_at).isoformat()
        return dto.PdfDocument(kind=kind, case_id=c.id, content=rendered.content,
                               file_name=f"{c.reference} {words} {day}.pdf",
                               page_count=rendered.page_count)


def _summary_report(s: Session, c: Case, stamp: dto.ReportStamp) -> dto.CaseSummaryReport:
    latest = note_rows(s, c.id, _NEWEST_SIGNIFICANT, 0, RECENT_CHRONOLOGY)
    count = s.scalar(select(func.count(CaseNote.id)).where(
        CaseNote.case_id == c.id, CaseNote.deleted_at.is_(None),
        CaseNote.significant.is_(True))) or 0
    return dto.CaseSummaryReport(
        summary=case_summary(s, c),
        key_people=_key_people(s, c.person_id),
        assessments=assessment_rows(s, Assessment.case_id == c.id),
        plan=_plan(s, c),
        recent_chronology=tuple(reversed(latest)),
        chronology_count=count,
        stamp=stamp,
    )


def _chronology_report(s: Session, c: Case, stamp: dto.ReportStamp) -> dto.ChronologyReport:
    summary = case_summary(s, c)
    entries = note_rows(s, c.id, dto.CHRONOLOGY)
    inside = {e.id for e in entries}
    # Each side of a correction names the other, even when that one is not significant.
    outside = {i for e in entries for i in (e.corrects_id, e.corrected_by_id)
               if i is not None and i not in inside}
    return dto.ChronologyReport(
        case=summary.case, person=summary.person, entries=entries,
        related=tuple(_row_of(s, i) for i in sorted(outside)), stamp=stamp)


def _key_people(s: Session, person_id: str) -> tuple[dto.ReportKeyPerson, ...]:
    carer_first = case((KeyPerson.kind.in_(_CARER_KINDS), 0), else_=1)
    rows = s.scalars(
        select(KeyPerson).where(KeyPerson.person_id == person_id, KeyPerson.deleted_at.is_(None))
        .order_by(carer_first, KeyPerson.family_name, KeyPerson.given_name, KeyPerson.id))
    return tuple(
        dto.ReportKeyPerson(
            name=" ".join(n for n in (k.given_name, k.family_name) if n),
            relationship=k.relationship, kind=k.kind, is_carer=k.kind in _CARER_KINDS,
            lives_with_person=bool(k.lives_with_person), phone=k.phone,
            support_plan=k.support_plan, support_plan_review_on=k.support_plan_review_on)
        for k in rows)
