"""The chronology PDF: every significant note and every event Casework recorded on a case,
oldest first, for a handover, a review or a report. A corrected entry stays, saying which
later entry corrects it, and the correction says what it corrects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph

from casework.reports import page
from casework.reports.page import Progress, Rendered, label, styles
from casework.timeutil import show_date, show_datetime
from casework.vocab import CaseStatus, NoteType, ServiceArea

if TYPE_CHECKING:  # the DTOs are only named here: no import cycle with the services
    from casework import dto

HEADERS = ("No.", "Date and time", "Type", "By", "What")
WIDTHS = (0.06, 0.135, 0.12, 0.14, 0.545)
# Building the rows' paragraphs is this share of the work; laying them out is the rest.
BUILD_SHARE = 0.2
# The tallest row: half a page, so that moving a row whole to the next page never leaves
# more than half a page blank.
ROW_LIMIT = page.FRAME_HEIGHT * 0.5
# Entries that cannot reach ROW_LIMIT are not measured: at worst a line of the column
# holds 40 characters, and ROW_LIMIT holds about 30 lines.
MEASURE_ABOVE_LINES = 20


def render_chronology(report: dto.ChronologyReport, progress: Progress | None = None) -> Rendered:
    person, c = report.person, report.case
    title = f"Chronology: {person.full_name}, {c.reference}"
    built = page.Built(progress, len(report.entries), BUILD_SHARE)
    story: list[Flowable] = [
        Paragraph(escape(title), styles().title),
        _about(report),
        page.space(2),
        page.note(f"{_entries(len(report.entries))}, oldest first: the significant notes and "
                  f"the events Casework recorded. Dates and times are UK time "
                  f"(Europe/London). A corrected entry is kept as it was written, with the "
                  f"entry that corrects it."),
        page.space(2),
    ]
    if report.entries:
        story.append(entries_table(report.entries, report.related, numbered=True, built=built))
    else:
        story.append(page.none_recorded("Nothing significant has been recorded on this case "
                                        "yet."))
    return page.render(story, title=title, subject=f"Chronology of case {c.reference}",
                       person_name=person.full_name, stamp=report.stamp,
                       what=f"Chronology of {c.reference}", progress=progress,
                       start=BUILD_SHARE)


def _about(report: dto.ChronologyReport) -> Flowable:
    p, c = report.person, report.case
    born = show_date(p.date_of_birth) if p.date_of_birth else None
    worker = c.named_worker_name or "Unallocated: in the team's queue"
    if c.status == CaseStatus.CLOSED:
        worker = c.named_worker_name and f"{c.named_worker_name} (case closed)"
    return page.facts([
        ("Person", p.full_name),
        ("Date of birth", born),
        ("CHI number", page.show_chi(p.chi)),
        ("Case", f"{c.reference} · {label(ServiceArea, c.service_area)} · {c.team_name} · "
                 f"{label(CaseStatus, c.status)}"),
        ("Named worker", worker),
    ], label_width=0.2)


def entries_table(entries: Sequence[dto.NoteRow], related: Sequence[dto.NoteRow] = (), *,
                  numbered: bool, built: page.Built | None = None) -> Flowable:
    """The entries as a table. `numbered`: the whole chronology, where a correction names
    the entry it corrects by its number; otherwise (a part of it) by date and author.

    An entry's row moves whole to the next page rather than break; one taller than a page
    is cut into rows of their own, each saying that it continues the entry."""
    number = {e.id: i for i, e in enumerate(entries, start=1)} if numbered else {}
    known = {n.id: n for n in (*related, *entries)}
    headers, widths = HEADERS, WIDTHS
    if not numbered:  # no number column: its room goes to what was recorded
        headers, widths = HEADERS[1:], (WIDTHS[1], WIDTHS[2], WIDTHS[3], WIDTHS[4] + WIDTHS[0])
    what_width = widths[-1] * page.TEXT_WIDTH - 2 * page.CELL_PADDING
    s = styles()
    rows, shaded = [], []
    for e in entries:
        kind = escape(label(NoteType, e.note_type))
        if e.corrected_by_id:
            kind += "<br/><b>Corrected</b>"
        what = _what(e, number, known)
        lines = e.body.count("\n") + len(e.body) / 40
        parts = _cut(what, what_width) if lines > MEASURE_ABOVE_LINES else [what]
        for k, part in enumerate(parts):
            more = "" if k == 0 else "<br/><i>continued</i>"
            row = [str(number[e.id]) if numbered else None,
                   page.date_time_cell(e.occurred_at),
                   Paragraph(kind + more, s.cell),
                   e.author_name,
                   part]
            if e.corrected_by_id:
                shaded.append(len(rows))
            rows.append(row if numbered else row[1:])
        if built is not None:
            built.step()
    return page.table(headers, rows, widths, shaded=shaded, rows_break=False)


def _cut(p: Paragraph, width: float) -> list[Paragraph]:
    """`p` as paragraphs that each fit in ROW_LIMIT."""
    parts = []
    while True:
        _w, h = p.wrap(width, ROW_LIMIT)
        if h <= ROW_LIMIT:
            return [*parts, p]
        split = p.split(width, ROW_LIMIT)
        if len(split) != 2:  # cannot be cut (never for text): let the table break it
            return [*parts, p]
        first, p = split
        parts.append(first)


def _what(e: dto.NoteRow, number: dict[str, int], known: dict[str, dto.NoteRow]
          ) -> Paragraph:
    # One paragraph, its lines as typed, so that a long entry can be cut line by line.
    lines = [f"<b>{escape(e.subject)}</b>"]
    if e.contact_with:
        lines.append(f"<i>With:</i> {escape(e.contact_with)}")
    lines.append(page.text(e.body.strip()))
    if e.corrects_id:
        lines.append(f"<i>{escape(_refers('Corrects', e.corrects_id, number, known))}</i>")
    if e.corrected_by_id:
        lines.append(f"<b><i>{escape(_refers('Corrected by', e.corrected_by_id, number, known))}"
                     f" Both are kept on the record.</i></b>")
    return Paragraph("<br/>".join(lines), styles().cell)


def _refers(verb: str, note_id: str, number: dict[str, int], known: dict[str, dto.NoteRow]
            ) -> str:
    other = known.get(note_id)
    if note_id in number:
        when = f" ({show_datetime(other.recorded_at)}, {other.author_name})" if other else ""
        return f"{verb} entry {number[note_id]}{when}."
    if other is None:
        return f"{verb} another note on the case."
    where = "" if other.significant else ", not in the chronology: see the case notes"
    return (f"{verb} the note “{other.subject}” recorded {show_datetime(other.recorded_at)} "
            f"by {other.author_name}{where}.")


def _entries(n: int) -> str:
    return "One entry" if n == 1 else f"{n:,} entries"

