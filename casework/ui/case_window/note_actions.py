"""Recording on a case's notes, under the list: adding a note and correcting the selected
one, with what the reader may do now and why not. Notes are never changed: a correction is
a new note that points at the one it corrects."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from casework import dto
from casework import permissions as perm
from casework.ui.case_window.context import CaseContext
from casework.ui.dialogs.note_editor import NoteEditor
from casework.ui.item_models.note_table import NoteLine
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.open_dialog import open_dialog
from casework.ui.widgets.tables import button
from casework.vocab import LIVE_STATUSES


class NoteActions(QWidget):
    """The Add and Correct buttons, and a line saying why recording is limited here.
    `selected` gives the note selected in the list; what is refused is said in `banner`."""

    recorded = Signal(object)  # the dto.NoteRow just saved
    # The note about to be corrected was corrected meanwhile: the id of that correction.
    superseded = Signal(str)

    def __init__(self, ctx: CaseContext, banner: MessageBanner,
                 selected: Callable[[], NoteLine | None], parent: QWidget):
        super().__init__(parent)
        self.ctx = ctx
        self.banner = banner
        self._selected = selected
        self._actor: perm.Actor | None = None  # read once, for what to offer on this case
        self.dialog: NoteEditor | None = None
        tr = self.tr

        self.add_button = button(tr("A&dd note…"), self)
        self.add_button.setAccessibleName(tr("Add a note"))
        self.correct_button = button(tr("Co&rrect…"), self)
        self.correct_button.setAccessibleName(tr("Correct the selected note"))
        self.recording_hint = QLabel(self)
        self.recording_hint.setWordWrap(True)
        self.recording_hint.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.add_button)
        row.addWidget(self.correct_button)
        row.addWidget(self.recording_hint, 1)
        row.addStretch(0)

        self.add_button.clicked.connect(self.add_note)
        self.correct_button.clicked.connect(self.correct_selected)

    def read_actor(self) -> None:
        """Who the reader is, once, for which corrections to offer (a leader of the case's
        team may correct others' notes)."""
        if self._actor is None and self.ctx.may_record():
            self.ctx.runner.run(lambda: self.ctx.me.actor, on_done=self._actor_arrived,
                                on_error=self._refused, owner=self)

    def _actor_arrived(self, actor: perm.Actor) -> None:
        self._actor = actor
        self.update_buttons()

    def update_buttons(self) -> None:
        tr = self.tr
        recording = self.ctx.may_record()
        self.add_button.setVisible(recording)
        self.correct_button.setVisible(recording)
        if not recording:
            self.recording_hint.setText(tr("You may read this case's notes; only its own "
                                           "team records or corrects them."))
        elif recording and self.ctx.summary().case.status not in LIVE_STATUSES:
            self.recording_hint.setText(tr("The case is closed: it takes no new notes, but a "
                                           "note may still be corrected."))
        else:
            self.recording_hint.setText("")
        self.recording_hint.setVisible(bool(self.recording_hint.text()))

        live = self.ctx.summary().case.status in LIVE_STATUSES
        self.add_button.setEnabled(live)
        self.add_button.setToolTip("" if live else tr("The case is closed."))
        line = self._selected()
        why_not = self._why_not_correctable(line)
        self.correct_button.setEnabled(line is not None and why_not is None)
        self.correct_button.setToolTip(why_not or "")
        self.correct_button.setAccessibleDescription(why_not or "")

    def _why_not_correctable(self, line: NoteLine | None) -> str | None:
        tr = self.tr
        if line is None:
            return tr("Select the note to correct.")
        if line.note.is_event:
            return tr("Casework recorded this event when it happened; it cannot be corrected.")
        if line.note.corrected_by_id is not None:
            return tr("This note has been corrected already: correct the newest version.")
        return None

    def add_note(self) -> None:
        self.banner.clear()
        if not self.ctx.may_record():
            self.banner.show_message(self.tr("Only the case's own team records notes on it."),
                                     Tone.ERROR)
            return
        if self.ctx.summary().case.status not in LIVE_STATUSES:
            self.banner.show_message(self.tr("The case is closed: its record is kept as it "
                                             "was, and it takes no new notes."), Tone.ERROR)
            return
        self._open_editor(None)

    def correct_selected(self) -> None:
        """Correct the selected note: the newest version of a note a person wrote, by its
        author or a leader of the case's team. It is read again first, so that a correction
        made meanwhile is found before anything is typed."""
        self.banner.clear()
        line = self._selected()
        if line is None:
            return
        why_not = self._why_not_correctable(line)
        if why_not is None and not self.ctx.may_record():
            why_not = self.tr("Only the case's own team corrects its notes.")
        if why_not is None and self._actor is not None:
            c = self.ctx.summary().case
            decision = perm.decide_note_correction(
                self._actor, perm.CaseRef(c.team_id, c.named_worker_id), line.note.author_id)
            if not decision:
                why_not = decision.message
        if why_not is not None:
            self.banner.show_message(why_not, Tone.ERROR)
            return
        self.ctx.runner.run(self.ctx.me.notes.get, line.note.id,
                            on_done=self._correctable_arrived, on_error=self._refused,
                            owner=self)

    def _correctable_arrived(self, note: dto.NoteRow) -> None:
        if note.corrected_by_id is not None:
            self.banner.show_message(self.tr("This note has been corrected since the list was "
                                             "shown; the correction is selected now."),
                                     Tone.WARNING)
            self.superseded.emit(note.corrected_by_id)
            return
        self._open_editor(note)

    def _refused(self, exc: BaseException) -> None:
        show_failure(exc, self.banner)

    def _open_editor(self, correcting: dto.NoteRow | None) -> None:
        # Over the tab, as every dialog of the case window's tabs.
        dialog = NoteEditor(self.ctx.me, self.ctx.runner, self.ctx.case_id,
                            correcting=correcting, parent=self.parentWidget())
        dialog.saved.connect(self._recorded)
        open_dialog(dialog, self)

    def _recorded(self, row: dto.NoteRow) -> None:
        tr = self.tr
        self.banner.show_message(tr("Correction recorded; the original stays on the record.")
                                 if row.corrects_id else tr("Note recorded."), Tone.SUCCESS)
        self.recorded.emit(row)
