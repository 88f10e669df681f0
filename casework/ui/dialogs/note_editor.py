"""Recording a case note or contact, and correcting one.

A note is never changed once recorded: correcting it records a new note that points at the
old one, and both stay on the record. So the same dialog serves both: correcting starts
from the words of the note being corrected and says that the original stays.

When it happened is typed in UK time (Europe/London) and handed to the service as an
aware datetime; when it was recorded is the service's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from casework import fields
from casework import dto
from casework.services import Me
from casework.timeutil import LONDON, show_datetime, utcnow
from casework.ui import labels
from casework.ui.tasks import Runner
from casework.ui.widgets.form import plain, save_cancel
from casework.ui.widgets.form_dialog import FormDialog
from casework.ui.widgets.text_box import text_box, too_long
from casework.vocab import NoteType

# A minute or two ahead of this computer's clock is a meeting still running, not a mistake
# (the service allows a few minutes too).
FUTURE_SLACK = timedelta(minutes=2)
WRITABLE_TYPES = tuple(t for t in NoteType if t != NoteType.EVENT)
_UTC = QTimeZone(QTimeZone.Initialization.UTC)


@dataclass(frozen=True)
class _Typed:
    """What the form holds, to tell whether anything was typed since it opened."""

    note_type: str | None
    occurred: tuple[date, time]
    contact_with: str
    subject: str
    body: str
    significant: bool


class NoteEditor(FormDialog):
    """Add a note to a case, or (with `correcting`) record the correction of one. Saves
    through the service and stays open, with everything typed, until the service accepts
    it; `saved` carries the dto.NoteRow recorded."""

    def __init__(self, me: Me, runner: Runner, case_id: str, *,
                 correcting: dto.NoteRow | None = None, parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self._case_id = case_id
        self.correcting = correcting
        tr = self.tr
        self.setWindowTitle(tr("Correct a note") if correcting else tr("Add a note"))
        self.setAccessibleName(self.windowTitle())

        self.corrects_label = QLabel(self)
        self.corrects_label.setWordWrap(True)
        self.corrects_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.corrects_label.setAccessibleName(tr("The note this corrects"))
        self.corrects_label.setObjectName("correctsLabel")
        # The banner's information colours: the line must not be missed.
        self.corrects_label.setStyleSheet(
            "#correctsLabel { background: #e8f0fb; border: 1px solid #6d8fc7; "
            "border-radius: 4px; color: #173a6b; padding: 6px; }")
        corrects_error = self.errors.add("corrects_id", tr("The note this corrects"),
                                         self.corrects_label)

        self.note_type = QComboBox(self)
        self.note_type.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.note_type.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.note_type.addItem(tr("Choose the type of note"), None)
        for t in WRITABLE_TYPES:
            self.note_type.addItem(labels.vocab(NoteType, t), t.value)
        self.occurred = QDateTimeEdit(self)
        self.occurred.setTimeZone(_UTC)  # shows London wall-clock time as typed (see _when)
        self.occurred.setCalendarPopup(True)
        self.occurred.setDisplayFormat("dd MMM yyyy  HH:mm")
        self.occurred.setDateRange(QDate(1900, 1, 1), QDate(2100, 12, 31))
        self.occurred.setMinimumWidth(190)
        self.contact = QLineEdit(self)
        self.contact.setMaxLength(fields.CONTACT)
        self.contact.setPlaceholderText(tr("The person, a carer, another agency (optional)"))
        self.subject = QLineEdit(self)
        self.subject.setMaxLength(fields.SUBJECT)
        self.subject.setPlaceholderText(tr("In a few words, what it was about"))
        self.body = text_box(self, tr("What happened, what was said and agreed, and what "
                                      "happens next"), min_height=200)
        self.significant = QCheckBox(tr("Si&gnificant — add to the chronology"), self)
        self.significant.setAccessibleName(tr("Significant — add to the chronology"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add = self.errors.add_row
        add(form, "note_type", tr("&Type:"), self.note_type)
        form.addRow(*self._when_row(tr("&When it happened:")))
        add(form, "contact_with", tr("With wh&om:"), self.contact)
        add(form, "subject", tr("S&ubject:"), self.subject)
        add(form, "body", tr("What &happened:"), self.body)
        form.addRow("", self.significant)
        self.buttons, self.save_button = save_cancel(
            self, tr("Save the &correction") if correcting else None)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.corrects_label)
        layout.addWidget(corrects_error)
        layout.addLayout(form, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        self.resize(720, 600)

        if correcting is None:
            self.corrects_label.hide()
            self._set_when(utcnow())
        else:
            self._fill(correcting)
        self._initial = self._typed()

        self.note_type.currentIndexChanged.connect(lambda _i: self._edited("note_type"))
        self.occurred.dateTimeChanged.connect(lambda _dt: self._edited("occurred_at"))
        self.contact.textEdited.connect(lambda _t: self._edited("contact_with"))
        self.subject.textEdited.connect(lambda _t: self._edited("subject"))
        self.body.textChanged.connect(lambda: self._edited("body"))
        self.note_type.setFocus()

    def _when_row(self, label: str) -> tuple[QLabel, QWidget]:
        """The date and time, with the time zone said beside it and room for a problem
        under it."""
        caption = QLabel(label, self)
        caption.setBuddy(self.occurred)
        cell = QWidget(self)
        row = QHBoxLayout()
        row.addWidget(self.occurred)
        row.addWidget(QLabel(self.tr("UK time"), cell))
        row.addStretch(1)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.errors.add("occurred_at", plain(label), self.occurred))
        return caption, cell

    def _fill(self, note: dto.NoteRow) -> None:
        tr = self.tr
        self.corrects_label.setText(tr(
            "This corrects the note “{subject}” of {when}, recorded by {name} on {recorded}. "
            "The original stays on the record, marked as corrected, with this correction "
            "beside it.").format(subject=note.subject, when=show_datetime(note.occurred_at),
                                 name=note.author_name,
                                 recorded=show_datetime(note.recorded_at)))
        self.note_type.setCurrentIndex(max(self.note_type.findData(note.note_type), 0))
        self._set_when(note.occurred_at)
        self.contact.setText(note.contact_with or "")
        self.subject.setText(note.subject)
        self.body.setPlainText(note.body)
        self.significant.setChecked(note.significant)

    # -- when it happened ---------------------------------------------------------------

    def _set_when(self, moment: datetime) -> None:
        local = moment.astimezone(LONDON)
        # The edit holds London wall-clock time in a zone without summer time, so that no
        # hour typed is ever skipped or repeated by the computer's own time zone.
        self.occurred.setDateTime(QDateTime(QDate(local.date()),
                                            QTime(local.hour, local.minute), _UTC))

    def when(self) -> datetime:
        """When it happened, as typed in UK time, timezone-aware."""
        shown = self.occurred.dateTime()
        return datetime.combine(shown.date().toPython(),
                                shown.time().toPython().replace(second=0, microsecond=0),
                                tzinfo=LONDON)

    # -- checking -----------------------------------------------------------------------

    def _typed(self) -> _Typed:
        shown = self.occurred.dateTime()
        return _Typed(self.note_type.currentData(), (shown.date().toPython(),
                                                     shown.time().toPython()),
                      self.contact.text(), self.subject.text(), self.body.toPlainText(),
                      self.significant.isChecked())

    @property
    def is_dirty(self) -> bool:
        return self._typed() != self._initial

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        self._recheck(self._touched)

    def _local_problems(self) -> dict[str, str]:
        """What the service would refuse, said before asking it."""
        tr = self.tr
        problems = {}
        if self.note_type.currentData() is None:
            problems["note_type"] = tr("choose what kind of note this is")
        if self.when() > utcnow() + FUTURE_SLACK:
            problems["occurred_at"] = tr("must not be in the future")
        if not " ".join(self.subject.text().split()):
            problems["subject"] = tr("say in a few words what it is about")
        body = self.body.toPlainText().strip()
        if not body:
            problems["body"] = tr("record what happened")
        elif (problem := too_long(body, fields.NOTE_BODY)):
            problems["body"] = problem
        return problems

    def data(self) -> dto.NoteInput:
        return dto.NoteInput(
            note_type=self.note_type.currentData() or "",
            occurred_at=self.when(),
            subject=" ".join(self.subject.text().split()),
            body=self.body.toPlainText().strip(),
            significant=self.significant.isChecked(),
            contact_with=" ".join(self.contact.text().split()) or None,
        )

    # -- saving -------------------------------------------------------------------------

    def _request(self) -> tuple:
        if self.correcting is None:
            return self._me.notes.add, self._case_id, self.data()
        return self._me.notes.correct, self.correcting.id, self.data()

    def _discard_warning(self) -> str:
        return self.tr("What you typed in this note has not been recorded and will be lost.")
