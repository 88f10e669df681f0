"""A case at a glance: the person, the case, who has held it, and the latest notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from casework import dto
from casework.timeutil import london_today, show_date, show_datetime
from casework.ui import labels
from casework.ui.item_models.case_table import WARNING_COLOUR
from casework.vocab import (
    CaseStatus,
    EligibilityBand,
    LegalStatus,
    NoteType,
    RiskLevel,
    ServiceArea,
)


# Quieter than a recorded value, still above 4.5:1 contrast; the words say it is missing.
MISSING_STYLE = "color: #595959; font-style: italic;"


def _years_between(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class SummaryTab(QWidget):
    """The first tab of a case window. Rebuilt from each summary the window reads."""

    def __init__(self, summary: dto.CaseSummary, parent: QWidget | None = None, *,
                 today: Callable[[], date] = london_today):
        super().__init__(parent)
        self._today_fn = today
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._content: QWidget | None = None
        self.show_summary(summary)

    def show_summary(self, summary: dto.CaseSummary) -> None:
        self.summary = summary
        self._today = self._today_fn()
        self._values: dict[str, QLabel] = {}  # caption -> the label showing its value
        if self._content is not None:
            self._layout.removeWidget(self._content)
            self._content.deleteLater()
        self._content = QWidget(self)
        self._build(self._content, summary)
        self._layout.addWidget(self._content)

    def _build(self, content: QWidget, summary: dto.CaseSummary) -> None:
        person_column = QVBoxLayout()
        person_column.addWidget(self._person_box(summary.person))
        if summary.summary:
            about = QGroupBox(self.tr("Summary"), content)
            text = QLabel(summary.summary, about)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            QVBoxLayout(about).addWidget(text)
            person_column.addWidget(about)
        if summary.closing_summary:
            closing = QGroupBox(self.tr("Closing summary"), content)
            text = QLabel(summary.closing_summary, closing)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            QVBoxLayout(closing).addWidget(text)
            person_column.addWidget(closing)
        person_column.addStretch(1)
        facts = QHBoxLayout()
        facts.addLayout(person_column, 1)
        facts.addWidget(self._case_box(summary), 1)

        # The tables get the room left: history and notes grow, the facts above do not.
        self.tabs = QTabWidget(content)
        self.tabs.setAccessibleName(self.tr("Recent notes and allocation history"))
        self.tabs.addTab(self._notes_table(summary), self.notes_title)
        self.tabs.addTab(self._allocations_table(summary.allocations),
                         self.tr("Allocation history ({n})").format(n=len(summary.allocations)))

        layout = QVBoxLayout(content)
        layout.addLayout(facts)
        layout.addWidget(self.tabs, 1)

    # -- sections ---------------------------------------------------------------------

    def _form_box(self, title: str, rows: list[tuple[str, str | None]]) -> QGroupBox:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for caption, value in rows:
            shown = QLabel(value if value else self.tr("Not recorded"), box)
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setAccessibleName(caption)
            if not value:
                shown.setStyleSheet(MISSING_STYLE)
            form.addRow(QLabel(caption + ":", box), shown)
            self._values[caption] = shown
        return box

    def _person_box(self, p: dto.PersonInfo) -> QGroupBox:
        born = None
        if p.date_of_birth:
            born = self.tr("{date} (age {years})").format(
                date=show_date(p.date_of_birth), years=_years_between(p.date_of_birth, self._today))
        address = ", ".join(x for x in (p.address, p.postcode) if x) or None
        return self._form_box(self.tr("Person"), [
            (self.tr("Date of birth"), born),
            (self.tr("CHI number"), labels.chi(p.chi)),
            (self.tr("Address"), address),
            (self.tr("Phone"), p.phone),
            (self.tr("How to contact"), p.contact_preference),
            (self.tr("Communication needs"), p.communication_needs),
            (self.tr("What matters to them"), p.what_matters),
        ])

    def _case_box(self, s: dto.CaseSummary) -> QGroupBox:
        c = s.case
        review = show_date(c.next_review_on) if c.next_review_on else None
        overdue = c.next_review_on is not None and c.next_review_on < self._today
        if overdue:
            review = self.tr("{date} – overdue").format(date=review)
        if c.named_worker_name:
            worker = c.named_worker_name
        elif c.unallocated_since is not None:
            waited = (self._today - labels.london_date(c.unallocated_since)).days
            worker = self.tr("Unallocated — waiting {days}").format(days=labels.days(max(0, waited)))
        else:
            worker = self.tr("Unallocated")
        band = labels.vocab(EligibilityBand, c.eligibility_band)
        if band and s.band_target_on:
            band = self.tr("{band} — target {date}").format(band=band,
                                                           date=show_date(s.band_target_on))
        referred = show_date(c.referred_on)
        if s.referral_source:
            referred = self.tr("{date} by {source}").format(date=referred, source=s.referral_source)
        box = self._form_box(self.tr("Case"), [
            (self.tr("Reference"), c.reference),
            (self.tr("Team"), c.team_name),
            (self.tr("Service area"), labels.vocab(ServiceArea, c.service_area)),
            (self.tr("Status"), labels.vocab(CaseStatus, c.status)),
            (self.tr("Risk"), labels.vocab(RiskLevel, c.risk_level)),
            (self.tr("Eligibility band"), band),
            (self.tr("Legal status"), labels.vocab(LegalStatus, c.legal_status)),
            (self.tr("Referred"), referred),
            (self.tr("Reason for referral"), s.referral_reason),
            (self.tr("Opened"), show_date(s.opened_on) if s.opened_on else None),
            *([(self.tr("Closed"), show_date(s.closed_on))] if s.closed_on else []),
            (self.tr("Next review"), review),
            (self.tr("Named worker"), worker),
        ])
        if c.risk_level == RiskLevel.HIGH:
            self._bold(self._values[self.tr("Risk")])
        if overdue:
            shown = self._values[self.tr("Next review")]
            shown.setStyleSheet(f"color: {WARNING_COLOUR.name()};")
            self._bold(shown)
        return box

    @staticmethod
    def _bold(label: QLabel) -> None:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)

    def _table(self, name: str, headers: list[str], rows: list[list[str]]) -> QTableWidget:
        table = QTableWidget(len(rows), len(headers), self)
        table.setAccessibleName(name)
        table.setHorizontalHeaderLabels(headers)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        for r, row in enumerate(rows):
            for col, text in enumerate(row):
                table.setItem(r, col, QTableWidgetItem(text))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        return table

    def _allocations_table(self, allocations: tuple[dto.AllocationEntry, ...]) -> QTableWidget:
        rows = [[
            a.worker_name or self.tr("Unallocated (team queue)"),
            show_datetime(a.started_at),
            show_datetime(a.ended_at) if a.ended_at else self.tr("Now"),
            a.allocated_by_name or "",
            a.reason,
        ] for a in allocations]
        self.allocations_table = self._table(
            self.tr("Allocation history"),
            [self.tr("Named worker"), self.tr("From"), self.tr("Until"), self.tr("Changed by"),
             self.tr("Reason")], rows)
        return self.allocations_table

    def _notes_table(self, s: dto.CaseSummary) -> QTableWidget:
        shown = len(s.recent_notes)
        if s.note_count == 0:
            self.notes_title = self.tr("Notes (none yet)")
        elif shown < s.note_count:
            self.notes_title = self.tr("Notes ({shown} most recent of {count})").format(
                shown=shown, count=s.note_count)
        else:
            self.notes_title = self.tr("Notes ({count})").format(count=s.note_count)
        rows = []
        for n in s.recent_notes:
            # In words, as the notes tab says it: a correction stands beside the note it
            # corrects, which the notes tab links to.
            marks = [self.tr("Significant")] if n.significant else []
            if n.corrects_id:
                marks.append(self.tr("Correction"))
            rows.append([
                show_datetime(n.occurred_at), labels.vocab(NoteType, n.note_type), n.author_name,
                ", ".join(marks), n.subject,
            ])
        self.notes_table = self._table(
            self.tr("Recent notes"),
            [self.tr("When"), self.tr("Type"), self.tr("By"),
             self.tr("Significance and corrections"), self.tr("Subject")], rows)
        return self.notes_table

    def value(self, caption: str) -> str:
        """The text shown for a field (tests, and assistive summaries)."""
        return self._values[caption].text()
