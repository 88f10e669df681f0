"""What every case PDF shares: A4 pages with a confidentiality footer naming the person and
who made the document when, "Page n of N" on each page, the paragraph styles, tables whose
header row repeats on every page, and progress reported as the rows are laid out."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from casework.reports import fonts
from casework.timeutil import LONDON, as_utc, show_date, show_datetime

if TYPE_CHECKING:  # the DTOs are only named here: no import cycle with the services
    from casework import dto

Progress = Callable[[float], None]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
FOOTER_HEIGHT = 17 * mm  # the footer's band below the text frame
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - FOOTER_HEIGHT
CELL_PADDING = 4
PAGE_NUMBER_WIDTH = 28 * mm

INK = colors.HexColor("#1a1a1a")
QUIET = colors.HexColor("#4d4d4d")  # still above 7:1 on white
RULE = colors.HexColor("#9a9a9a")
HEADER_FILL = colors.HexColor("#e3e8ef")
ZEBRA_FILL = colors.HexColor("#f5f6f8")
CORRECTED_FILL = colors.HexColor("#fbf1dc")

NOT_RECORDED = "Not recorded"


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle  # a quieter line under a heading
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    footer: ParagraphStyle
    page_number: ParagraphStyle


_styles: Styles | None = None


def styles() -> Styles:
    """The paragraph styles, in the embedded DejaVu family (registered on first use)."""
    global _styles
    if _styles is None:
        family = fonts.register()
        body = ParagraphStyle("body", fontName=family, fontSize=9.5, leading=12.5,
                              textColor=INK, spaceAfter=3)
        _styles = Styles(
            title=ParagraphStyle("title", parent=body, fontName=fonts.BOLD, fontSize=16,
                                 leading=20, spaceAfter=2),
            heading=ParagraphStyle("heading", parent=body, fontName=fonts.BOLD, fontSize=12,
                                   leading=15, spaceBefore=10, spaceAfter=4,
                                   keepWithNext=True),
            body=body,
            note=ParagraphStyle("note", parent=body, fontSize=8.5, leading=11,
                                textColor=QUIET),
            label=ParagraphStyle("label", parent=body, fontName=fonts.BOLD, fontSize=9,
                                 leading=12, spaceAfter=0),
            cell=ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
            cell_head=ParagraphStyle("cell_head", parent=body, fontName=fonts.BOLD,
                                     fontSize=9, leading=11.5, spaceAfter=0),
            footer=ParagraphStyle("footer", parent=body, fontSize=7.5, leading=9.5,
                                  textColor=INK, spaceAfter=0),
            page_number=ParagraphStyle("page_number", parent=body, fontName=fonts.BOLD,
                                       fontSize=7.5, leading=9.5, alignment=TA_RIGHT),
        )
    return _styles


# -- text ---------------------------------------------------------------------------------

def text(value: str | None) -> str:
    """Recorded text as Paragraph markup: escaped (a name with "<" or "&" prints as typed),
    line breaks kept."""
    return escape(value or "").replace("\n", "<br/>")


def para(value: str | None, style: ParagraphStyle | None = None, *, missing: str = NOT_RECORDED
         ) -> Paragraph:
    """A paragraph of recorded text; an empty value says it was not recorded, in italics."""
    style = style or styles().cell
    if not (value or "").strip():
        return Paragraph(f"<i>{escape(missing)}</i>", style)
    return Paragraph(text(value), style)


def heading(value: str) -> Paragraph:
    return Paragraph(escape(value), styles().heading)


def note(value: str) -> Paragraph:
    return Paragraph(escape(value), styles().note)


def none_recorded(what: str = "None recorded.") -> Paragraph:
    return Paragraph(f"<i>{escape(what)}</i>", styles().body)


def label(kind, value: str | None) -> str:
    """A vocabulary label, or the code itself when this version does not know it (a record
    synced from a newer version must still print)."""
    if not value:
        return ""
    try:
        return kind(value).label
    except ValueError:
        return value


def show_chi(chi: str | None) -> str | None:
    """The CHI number as people read it out: date of birth, then the serial (DDMMYY NNNN)."""
    return f"{chi[:6]} {chi[6:]}" if chi and len(chi) == 10 else chi


def years_between(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def london_date(stamp: dto.ReportStamp) -> date:
    return as_utc(stamp.made_at).astimezone(LONDON).date()


def date_time_cell(when) -> Paragraph:
    """A date over its time (Europe/London), so that the column stays narrow."""
    shown = show_datetime(when)
    day, _, clock = shown.rpartition(" ")
    return Paragraph(f"{escape(day)}<br/>{escape(clock)}", styles().cell)


def date_cell(d: date | None, missing: str = "—") -> Paragraph:
    return Paragraph(escape(show_date(d) if d else missing), styles().cell)


# -- tables -------------------------------------------------------------------------------

Cell = str | Flowable | list | None
# A table names its cells' font even when they hold paragraphs; Helvetica by default, which
# is not embedded.
_EMBEDDED_ONLY = [("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR)]


def _cell(value: Cell) -> Flowable | list:
    if value is None or isinstance(value, str):
        return para(value, missing="—")
    return value


def table(headers: Sequence[str], rows: Iterable[Sequence[Cell]], widths: Sequence[float], *,
          shaded: Iterable[int] = (), rows_break: bool = True) -> Table:
    """A table whose header row repeats at the top of every page it runs onto. `widths` are
    fractions of the text width; `shaded` are row indexes (from 0, headers not counted) to
    highlight. `rows_break`: a row may break across pages (so that none is ever too tall to
    print); without it each row moves whole to the next page, and the caller keeps every
    row shorter than a page."""
    s = styles()
    data = [[Paragraph(escape(h), s.cell_head) for h in headers]]
    data.extend([_cell(v) for v in row] for row in rows)
    t = Table(data, colWidths=[w * TEXT_WIDTH for w in widths], repeatRows=1,
              splitInRow=1 if rows_break else 0, hAlign="LEFT")
    commands = [
        *_EMBEDDED_ONLY,
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    for i in shaded:
        commands.append(("BACKGROUND", (0, i + 1), (-1, i + 1), CORRECTED_FILL))
    t.setStyle(TableStyle(commands))
    return t


def facts(rows: Sequence[tuple[str, str | Flowable | None]], label_width: float = 0.27
          ) -> Table:
    """Captions and values, one pair a line; a value left empty says it was not recorded."""
    s = styles()
    data = [[Paragraph(escape(caption), s.label),
             value if isinstance(value, Flowable) else para(value)]
            for caption, value in rows]
    t = Table(data, colWidths=[label_width * TEXT_WIDTH, (1 - label_width) * TEXT_WIDTH],
              splitInRow=1, hAlign="LEFT")
    t.setStyle(TableStyle([
        *_EMBEDDED_ONLY,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, ZEBRA_FILL),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return t


def section(title: str, *content: Flowable) -> list[Flowable]:
    """A heading kept with the start of what follows it."""
    if not content:
        return [heading(title)]
    return [KeepTogether([heading(title), content[0]]), *content[1:]]


def space(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


# -- the page -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Rendered:
    content: bytes
    page_count: int


def confidentiality(person_name: str) -> str:
    return (f"OFFICIAL-SENSITIVE: personal data about {person_name}. Do not leave unattended "
            f"or share beyond those who need it.")


def made_line(stamp: dto.ReportStamp, what: str) -> str:
    return (f"{what}, made by {stamp.made_by} on {show_datetime(stamp.made_at)} (UK time) "
            f"from Casework.")


class _NumberedCanvas(Canvas):
    """Holds each finished page back until the last, so that every page can say how many
    there are ("Page 3 of 12") without laying the document out twice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._page_number(total)
            super().showPage()
        super().save()

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def _page_number(self, total: int) -> None:
        s = styles()
        p = Paragraph(f"Page {self._pageNumber} of {total}", s.page_number)
        p.wrap(PAGE_NUMBER_WIDTH, FOOTER_HEIGHT)
        p.drawOn(self, PAGE_WIDTH - MARGIN - PAGE_NUMBER_WIDTH, MARGIN)


class _Document(BaseDocTemplate):
    """One page template: the text frame above a footer band that names the person, says
    the document is sensitive, and who made it when. Reports progress after each flowable,
    tables counted by their rows."""

    def __init__(self, buffer: io.BytesIO, *, footer: list[str], weights: _Weights,
                 **kwargs):
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                         topMargin=MARGIN, bottomMargin=MARGIN + FOOTER_HEIGHT,
                         creator="Casework", lang="en-GB",
                         # Not Helvetica: every font the PDF names is embedded.
                         initialFontName=fonts.REGULAR, **kwargs)
        self._footer = footer
        self._weights = weights
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="text",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._draw_footer)])

    def _draw_footer(self, canv: Canvas, _doc) -> None:
        # Laid from the bottom up, so that the page number (drawn last, on the same
        # baseline) sits beside the footer's last line however the lines above it wrap.
        s = styles()
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        top = MARGIN + FOOTER_HEIGHT - 2 * mm
        canv.line(MARGIN, top, PAGE_WIDTH - MARGIN, top)
        y = MARGIN
        width = TEXT_WIDTH - PAGE_NUMBER_WIDTH - 4 * mm
        for i, line in reversed(list(enumerate(self._footer))):
            p = Paragraph(f"<b>{escape(line)}</b>" if i == 0 else escape(line), s.footer)
            _w, h = p.wrap(width, FOOTER_HEIGHT)
            p.drawOn(canv, MARGIN, y)
            y += h + 0.5 * mm
        canv.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (ReportLab's name)
        self._weights.laid_out(flowable)


class _Weights:
    """How far the layout has got: each flowable counts one, a table counts its rows (the
    parts of a table split over pages add up to it)."""

    def __init__(self, progress: Progress | None, start: float):
        self._progress = progress
        self._start = start
        self._total = 1
        self._done = 0
        self._last = start

    def expect(self, story: Sequence[Flowable]) -> None:
        self._total = max(1, sum(_weight(f) for f in story))

    def laid_out(self, flowable: Flowable) -> None:
        self._done += _weight(flowable)
        fraction = self._start + (0.99 - self._start) * min(1.0, self._done / self._total)
        if self._progress is not None and fraction - self._last >= 0.01:
            self._last = fraction
            self._progress(fraction)


def _weight(f: Flowable) -> int:
    if isinstance(f, Table):
        return max(1, len(f._cellvalues) - f.repeatRows)
    if isinstance(f, KeepTogether):
        return sum(_weight(x) for x in f._content)
    return 1


def render(story: list[Flowable], *, title: str, subject: str, person_name: str,
           stamp: dto.ReportStamp, what: str, progress: Progress | None = None,
           start: float = 0.0) -> Rendered:
    """Lay `story` out on A4 pages and return the PDF. `progress` (when given) is called
    with fractions rising from `start` as the layout proceeds, and with 1 at the end."""
    buffer = io.BytesIO()
    weights = _Weights(progress, start)
    weights.expect(story)
    pages: list[_NumberedCanvas] = []

    def canvas(*args, **kwargs) -> _NumberedCanvas:
        c = _NumberedCanvas(*args, **kwargs)
        pages.append(c)
        return c

    doc = _Document(buffer, footer=[confidentiality(person_name), made_line(stamp, what)],
                    weights=weights, title=title, subject=subject, author=stamp.made_by)
    doc.build(story, canvasmaker=canvas)
    if progress is not None:
        progress(1.0)
    return Rendered(buffer.getvalue(), pages[-1].page_count)


class Built:
    """Reports progress while the story is being made, before the layout: `step()` once
    per row, up to `share` of the whole."""

    def __init__(self, progress: Progress | None, rows: int, share: float):
        self._progress, self._rows, self._share = progress, max(1, rows), share
        self._done = 0
        self._every = max(1, self._rows // 20)

    def step(self) -> None:
        self._done += 1
        if self._progress is not None and self._done % self._every == 0:
            self._progress(self._share * self._done / self._rows)
