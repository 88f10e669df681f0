"""The case summary PDF: the person, the case, who has held it, the people around the
person, the assessments, the plan, and the latest entries of the chronology."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph

from casework.reports import page
from casework.reports.chronology import entries_table
from casework.reports.page import Progress, Rendered, label, styles
from casework.timeutil import show_date, show_datetime
from casework.vocab import (
    AssessmentKind,
    AssessmentStatus,
    CaseStatus,
    EligibilityBand,
    KeyPersonKind,
    LegalStatus,
    OutcomeRating,
    RiskLevel,
    ServiceArea,
    SupportPlanStatus,
)

if TYPE_CHECKING:  # the DTOs are only named here: no import cycle with the services
    from casework import dto

BUILD_SHARE = 0.3


def render_case_summary(report: dto.CaseSummaryReport, progress: Progress | None = None
                        ) -> Rendered:
    s = report.summary
    person, c = s.person, s.case
    title = f"Case summary: {person.full_name}, {c.reference}"
    parts = (_person, _case, _allocations, _key_people, _assessments, _plan, _chronology)
    built = page.Built(progress, len(parts), BUILD_SHARE)
    story: list[Flowable] = [Paragraph(escape(title), styles().title),
                             page.note("Dates and times are UK time (Europe/London).")]
    for part in parts:
        story.extend(part(report))
        built.step()
    return page.render(story, title=title, subject=f"Summary of case {c.reference}",
                       person_name=person.full_name, stamp=report.stamp,
                       what=f"Case summary of {c.reference}", progress=progress,
                       start=BUILD_SHARE)


def _person(report: dto.CaseSummaryReport) -> list[Flowable]:
    p = report.summary.person
    born = None
    if p.date_of_birth:
        age = page.years_between(p.date_of_birth, page.london_date(report.stamp))
        born = f"{show_date(p.date_of_birth)} (age {age})"
    address = ", ".join(x for x in (p.address, p.postcode) if x) or None
    return page.section("The person", page.facts([
        ("Name", p.full_name),
        ("Date of birth", born),
        ("CHI number", page.show_chi(p.chi)),
        ("Address", address),
        ("Phone", p.phone),
        ("How to contact", p.contact_preference),
        ("Communication needs", p.communication_needs),
        ("What matters to them", p.what_matters),
    ]))


def _case(report: dto.CaseSummaryReport) -> list[Flowable]:
    s = report.summary
    c = s.case
    today = page.london_date(report.stamp)
    band = label(EligibilityBand, c.eligibility_band) or None
    if band and s.band_target_on:
        band = f"{band}: target for personal care {show_date(s.band_target_on)}"
    referred = show_date(c.referred_on)
    if s.referral_source:
        referred = f"{referred} by {s.referral_source}"
    review = show_date(c.next_review_on) if c.next_review_on else None
    if c.next_review_on and c.next_review_on < today and c.status != CaseStatus.CLOSED:
        review = f"{review}: overdue"
    if c.named_worker_name:
        worker = c.named_worker_name
    elif c.status == CaseStatus.CLOSED:
        worker = None
    else:
        since = f" since {show_datetime(c.unallocated_since)}" if c.unallocated_since else ""
        worker = f"Unallocated: in the team's queue{since}"
    rows: list[tuple[str, str | Flowable | None]] = [
        ("Reference", c.reference),
        ("Team", c.team_name),
        ("Service area", label(ServiceArea, c.service_area)),
        ("Status", label(CaseStatus, c.status)),
        ("Risk", _bold_if(label(RiskLevel, c.risk_level), c.risk_level == RiskLevel.HIGH)),
        ("Eligibility band", band),
        ("Legal status", label(LegalStatus, c.legal_status)),
        ("Referred", referred),
        ("Reason for referral", s.referral_reason),
        ("Opened", show_date(s.opened_on) if s.opened_on else None),
        ("Next review", _bold_if(review, review is not None and review.endswith("overdue"))),
        ("Named worker", worker),
    ]
    if s.closed_on:
        rows.insert(10, ("Closed", show_date(s.closed_on)))
    if s.summary:
        rows.append(("Summary", s.summary))
    if c.status == CaseStatus.CLOSED or s.closing_summary:
        rows.append(("Closing summary", s.closing_summary))
    return page.section("The case", page.facts(rows))


def _bold_if(value: str | None, bold: bool) -> str | Flowable | None:
    if not value or not bold:
        return value
    return Paragraph(f"<b>{escape(value)}</b>", styles().cell)


def _allocations(report: dto.CaseSummaryReport) -> list[Flowable]:
    history = report.summary.allocations
    if not history:
        return page.section("Allocation history", page.none_recorded())
    rows = [[
        a.worker_name or "Unallocated: the team's queue",
        page.date_time_cell(a.started_at),
        page.date_time_cell(a.ended_at) if a.ended_at else "Now",
        a.reason,
        a.allocated_by_name,
    ] for a in history]
    return page.section(
        "Allocation history",
        page.note("Newest first; each lasted until the next began."),
        page.table(("Named worker", "From", "Until", "Why", "By"), rows,
                   (0.2, 0.135, 0.135, 0.35, 0.18)))


def _key_people(report: dto.CaseSummaryReport) -> list[Flowable]:
    if not report.key_people:
        return page.section("Key people and carers", page.none_recorded())
    rows = []
    for k in report.key_people:
        plan = None
        if k.is_carer:
            plan = label(SupportPlanStatus, k.support_plan) if k.support_plan else "Not offered"
            if k.support_plan_review_on:
                plan = f"{plan}, review {show_date(k.support_plan_review_on)}"
        rows.append([
            Paragraph(f"<b>{escape(k.name)}</b>", styles().cell),
            f"{k.relationship} ({label(KeyPersonKind, k.kind).lower()})",
            "Yes" if k.is_carer else "No",
            "Yes" if k.lives_with_person else "No",
            plan if k.is_carer else "—",
            k.phone,
        ])
    return page.section(
        "Key people and carers",
        page.table(("Name", "Relationship", "Carer", "Lives with them", "Carer's support plan",
                    "Phone"), rows, (0.19, 0.21, 0.08, 0.13, 0.22, 0.17)))


def _assessments(report: dto.CaseSummaryReport) -> list[Flowable]:
    if not report.assessments:
        return page.section("Assessments", page.none_recorded())
    rows = []
    for a in report.assessments:
        kind = label(AssessmentKind, a.kind)
        if a.carer_name:
            kind = f"{kind} (about {a.carer_name})"
        signed = None
        if a.signed_off_by_name:
            signed = f"{a.signed_off_by_name}, {show_datetime(a.signed_off_at)}"
        rows.append([
            kind,
            label(AssessmentStatus, a.status),
            label(RiskLevel, a.risk_level) if a.risk_level else None,
            page.date_cell(a.started_on),
            signed or ("Not yet" if a.status == AssessmentStatus.DRAFT else None),
        ])
    return page.section(
        "Assessments",
        page.note("Newest first."),
        page.table(("Kind", "Status", "Assessed risk", "Started", "Signed off by"), rows,
                   (0.335, 0.12, 0.12, 0.135, 0.29)))


def _plan(report: dto.CaseSummaryReport) -> list[Flowable]:
    plan = report.plan
    s = styles()
    review = (f"Next review: {show_date(plan.next_review_on)}." if plan.next_review_on
              else "No review date set.")
    if plan.reviews:
        latest = plan.reviews[0]
        review += f" Last reviewed {show_date(latest.held_on)} by {latest.reviewer_name}."
    content: list[Flowable] = [page.note(review)]
    if not plan.outcomes:
        content.append(page.none_recorded("No live outcomes in the plan."))
    for o in plan.outcomes:
        content.append(Paragraph(f"<b>{o.position}. {escape(o.description)}</b>", s.body))
        content.append(Paragraph(escape(_rating(o)), s.note))
        if o.actions:
            content.append(page.table(
                ("Action", "Owner", "Due", "Done"),
                [[a.description, a.owner_name, page.date_cell(a.due_on),
                  page.date_cell(a.done_on, "Not yet")] for a in o.actions],
                (0.51, 0.22, 0.135, 0.135)))
        else:
            content.append(page.none_recorded("No actions yet."))
        content.append(page.space(2))
    if plan.ended_outcomes:
        ended = "; ".join(f"{o.description} (ended {show_date(o.ended_on)})"
                          for o in plan.ended_outcomes)
        content.append(Paragraph(f"<i>Ended outcomes:</i> {escape(ended)}", s.note))
    return page.section("Plan and outcomes", *content)


def _rating(o: dto.OutcomeInfo) -> str:
    r = o.latest_rating
    if r is None:
        return "Not yet rated at a review."
    said = f"Latest rating: {label(OutcomeRating, r.rating)}, {r.score} of 5"
    if o.latest_rated_on:
        said += f", at the review on {show_date(o.latest_rated_on)}"
    return said + (f": “{r.comment}”" if r.comment else ".")


def _chronology(report: dto.CaseSummaryReport) -> list[Flowable]:
    entries = report.recent_chronology
    if not entries:
        return page.section("Most recent chronology entries",
                            page.none_recorded("Nothing significant recorded yet."))
    if len(entries) < report.chronology_count:
        said = (f"The latest {len(entries)} of {report.chronology_count:,} entries, oldest "
                f"first; the chronology PDF has them all.")
    else:
        said = "Every entry, oldest first."
    return page.section("Most recent chronology entries", page.note(said),
                        entries_table(entries, numbered=False))
