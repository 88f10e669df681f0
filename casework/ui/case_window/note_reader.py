"""The notes tab's reading pane: the selected note whole, with what marks it (significant,
an event, a correction or corrected) and the way to the note it corrects or that corrects it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from casework.timeutil import show_datetime
from casework.ui import labels
from casework.ui.item_models.note_table import NoteLine
from casework.ui.widgets.heading import heading
from casework.ui.widgets.tables import button
from casework.vocab import NoteType


class NoteReader(QWidget):
    """The selected note, whole: subject, what marks it, when it happened and when it was
    recorded, by whom and with whom, and every word of it (selectable)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        tr = self.tr
        self.line: NoteLine | None = None
        self.subject = heading(self, scale=1.2)
        self.subject.setWordWrap(True)
        self.subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subject.setAccessibleName(tr("Subject"))
        self.markers = QLabel(self)
        self.markers.setWordWrap(True)
        self.markers.setAccessibleName(tr("Significance and corrections"))

        self.values: dict[str, QLabel] = {}
        details = QFormLayout()
        details.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, caption in (("type", tr("Type:")), ("happened", tr("Happened:")),
                             ("recorded", tr("Recorded:")), ("author", tr("By:")),
                             ("contact", tr("With whom:"))):
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(caption.rstrip(":"))
            self.values[key] = value
            details.addRow(QLabel(caption, self), value)
        details_box = QWidget(self)
        side = QVBoxLayout(details_box)
        side.setContentsMargins(0, 0, 0, 0)
        side.addLayout(details)
        details_box.setMinimumWidth(240)
        details_box.setMaximumWidth(340)

        self.body = QPlainTextEdit(self)
        self.body.setReadOnly(True)
        self.body.setTabChangesFocus(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.body.setAccessibleName(tr("The note"))

        self.to_correction = button(tr("Sho&w the correction"), self)
        self.to_correction.setAccessibleName(tr("Show the note that corrects this one"))
        self.to_original = button(tr("&View the note it corrects"), self)
        self.to_original.setAccessibleName(tr("Show the note this one corrects"))
        # Under the details, beside the words: the pane stays one block to read.
        side.addSpacing(8)
        side.addWidget(self.to_correction, 0, Qt.AlignmentFlag.AlignLeft)
        side.addWidget(self.to_original, 0, Qt.AlignmentFlag.AlignLeft)
        side.addStretch(1)

        self.content = QWidget(self)  # hidden while no note is selected
        columns = QHBoxLayout(self.content)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addWidget(details_box)
        columns.addWidget(self.body, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.subject)
        layout.addWidget(self.markers)
        layout.addWidget(self.content, 1)
        layout.addStretch(0)
        self.show_line(None)

    def show_line(self, line: NoteLine | None, *, empty_text: str = "") -> None:
        tr = self.tr
        self.line = line
        self.to_correction.setVisible(line is not None and line.note.corrected_by_id is not None)
        self.to_original.setVisible(line is not None and line.note.corrects_id is not None)
        if line is None:
            self.subject.setText(empty_text or tr("Select a note to read it here."))
            self.markers.clear()
            self.markers.hide()
            for value in self.values.values():
                value.clear()
            self.body.clear()
            self.content.hide()
            return
        n = line.note
        self.subject.setText(n.subject)
        self.values["type"].setText(labels.vocab(NoteType, n.note_type))
        self.values["happened"].setText(show_datetime(n.occurred_at))
        self.values["recorded"].setText(show_datetime(n.recorded_at))
        self.values["author"].setText(
            tr("Casework, on {name}'s behalf").format(name=n.author_name) if n.is_event
            else n.author_name)
        self.values["contact"].setText(n.contact_with or ("" if n.is_event
                                                          else tr("Not recorded")))
        self.content.show()
        self.body.setPlainText(n.body)
        about = self._about(line)
        self.markers.setText(about)
        self.markers.setVisible(bool(about))

    def _about(self, line: NoteLine) -> str:
        """What marks the note, said whole."""
        tr = self.tr
        n = line.note
        sentences = []
        if n.is_event:
            sentences.append(tr("An event Casework recorded when it happened; it is in the "
                                "chronology and cannot be corrected."))
        elif n.significant:
            sentences.append(tr("Significant: in the chronology."))
        if line.corrects is not None:
            sentences.append(tr("This is a correction of the note of {when} by {name}, "
                                "which stays on the record.").format(
                when=show_datetime(line.corrects.occurred_at), name=line.corrects.author_name))
        if line.corrected_by is not None:
            sentences.append(tr("Corrected by {name} (recorded {when}): read the correction "
                                "too; this note stays as it was written.").format(
                name=line.corrected_by.author_name,
                when=show_datetime(line.corrected_by.recorded_at)))
        return " ".join(sentences)
