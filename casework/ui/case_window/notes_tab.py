"""A case's notes and contacts, and its chronology.

All notes, newest first, or the chronology (the significant notes and the events Casework
recorded), oldest first; filtered by type and by words, in SQL, a page at a time. The
selected note reads whole below the list. Notes are never changed: a correction is a new
note, both stay listed, each says which is which, and the reading pane goes from one to the
other.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casework import permissions as perm
from casework import dto
from casework.timeutil import show_datetime
from casework.ui import labels
from casework.ui.case_window.context import CaseContext
from casework.ui.case_window.tab import CaseTab
from casework.ui.dialogs.note_editor import NoteEditor
from casework.ui.item_models.note_table import NoteColumn, NoteLine, NoteTableModel
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.heading import heading
from casework.ui.widgets.open_dialog import open_dialog
from casework.ui.widgets.search import filter_as_typed
from casework.ui.widgets.tables import button, make_table
from casework.vocab import LIVE_STATUSES, NoteType

ALL_NOTES = dto.NoteQuery()
# No column may take more than this from the first rows (a long "with whom" or subject):
# the rest stays readable and the whole text is in the reading pane.
MAX_COLUMN_WIDTH = 280


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


class NotesTab(CaseTab):
    WATCHES = frozenset({"note", "case"})

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self._sized = False
        # A note to select once the list holds it, and how hard to look for it:
        # "link" fetches further pages and, failing that, drops the filters; "keep" (a
        # reload after a change) fetches further pages; "here" looks in the first page.
        self._seek: tuple[str, str] | None = None
        self._actor: perm.Actor | None = None  # read once, for what to offer on this case
        self._load_failed = False
        self.dialog: NoteEditor | None = None
        tr = self.tr

        # -- the filter bar --
        self.all_button = QRadioButton(tr("All no&tes"), self)
        self.all_button.setAccessibleName(tr("All notes, newest first"))
        self.chronology_button = QRadioButton(tr("Chronolo&gy"), self)
        self.chronology_button.setAccessibleName(
            tr("Chronology: significant notes and events, oldest first"))
        self.all_button.setChecked(True)
        self._mode = QButtonGroup(self)
        self._mode.addButton(self.all_button)
        self._mode.addButton(self.chronology_button)
        self.type_filter = QComboBox(self)
        self.type_filter.setAccessibleName(tr("Type of note"))
        self.type_filter.addItem(tr("Any type"), ())
        for t in NoteType:
            self.type_filter.addItem(labels.vocab(NoteType, t), (t.value,))
        type_label = QLabel(tr("T&ype:"), self)
        type_label.setBuddy(self.type_filter)
        self.search = QLineEdit(self)
        self.search.setAccessibleName(tr("Find notes"))
        self.search.setPlaceholderText(tr("Words in the subject, the note or who it was with"))
        self.search.setClearButtonEnabled(True)
        search_label = QLabel(tr("&Find:"), self)
        search_label.setBuddy(self.search)
        bar = QHBoxLayout()
        bar.addWidget(self.all_button)
        bar.addWidget(self.chronology_button)
        bar.addSpacing(16)
        bar.addWidget(type_label)
        bar.addWidget(self.type_filter)
        bar.addSpacing(16)
        bar.addWidget(search_label)
        bar.addWidget(self.search, 1)

        self.banner = MessageBanner(self)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(tr("Number of notes"))
        self.order_label = QLabel(self)
        self.order_label.setWordWrap(True)
        counts = QHBoxLayout()
        counts.addWidget(self.count_label)
        counts.addWidget(self.order_label, 1)

        # -- the list and the reading pane --
        self.model = NoteTableModel(ctx.me.notes, ctx.runner, ctx.case_id, ALL_NOTES, self)
        self.table = make_table(self.model, tr("Notes"), self, stretch=NoteColumn.SUBJECT)
        self.reader = NoteReader(self)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.reader)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        # -- recording --
        self.add_button = button(tr("A&dd note…"), self)
        self.add_button.setAccessibleName(tr("Add a note"))
        self.correct_button = button(tr("Co&rrect…"), self)
        self.correct_button.setAccessibleName(tr("Correct the selected note"))
        self.recording_hint = QLabel(self)
        self.recording_hint.setWordWrap(True)
        self.recording_hint.hide()
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addWidget(self.correct_button)
        actions.addWidget(self.recording_hint, 1)
        actions.addStretch(0)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addLayout(counts)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(actions)

        for first, second in [(self.all_button, self.chronology_button),
                              (self.chronology_button, self.type_filter),
                              (self.type_filter, self.search), (self.search, self.table),
                              (self.table, self.reader.body),
                              (self.reader.body, self.reader.to_correction),
                              (self.reader.to_correction, self.reader.to_original),
                              (self.reader.to_original, self.add_button),
                              (self.add_button, self.correct_button)]:
            QWidget.setTabOrder(first, second)

        self._debounce = filter_as_typed(self.search, self.apply_filters)
        self.type_filter.currentIndexChanged.connect(self.apply_filters)
        self.chronology_button.toggled.connect(lambda _checked: self.apply_filters())
        find = QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.model.total_changed.connect(self._show_count)
        self.model.loaded.connect(self._first_page_arrived)
        self.model.page_loaded.connect(self._page_arrived)
        self.model.failed.connect(self._failed)
        self.model.modelReset.connect(self._selection_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.reader.body.setFocus())
        self.reader.to_correction.clicked.connect(self._follow_correction)
        self.reader.to_original.clicked.connect(self._follow_original)
        self.add_button.clicked.connect(self.add_note)
        self.correct_button.clicked.connect(self.correct_selected)
        self._show_order()
        self._update_buttons()

    # -- loading --------------------------------------------------------------------------

    def _shown_again(self) -> None:
        self._update_buttons()  # the case may have closed meanwhile

    def _load(self) -> None:
        """Load again, keeping the selected note selected."""
        if self._actor is None and self.ctx.may_record():
            self.ctx.runner.run(lambda: self.ctx.me.actor, on_done=self._actor_arrived,
                                on_error=self._refused, owner=self)
        selected = self.selected()
        if selected is not None and self._seek is None:
            self._seek = (selected.id, "keep")
        self.model.reload()

    def _actor_arrived(self, actor: perm.Actor) -> None:
        self._actor = actor
        self._update_buttons()

    def _first_page_arrived(self) -> None:
        if self._load_failed:  # loading works again: the old failure no longer applies
            self._load_failed = False
            self.banner.clear()

    def _page_arrived(self) -> None:
        self._fit_columns()
        if self._seek is not None:
            note_id, how = self._seek
            row = self.model.row_of(note_id)
            if row is not None:
                self._seek = None
                self._select_row(row)
            elif how != "here" and self.model.canFetchMore(QModelIndex()):
                self.model.fetchMore(QModelIndex())  # further down the list
                return
            else:
                self._seek = None
                if how == "link":
                    self._link_outside_filters(note_id)
                    return
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self._select_row(0)  # the reading pane is never empty while there are notes
        self.is_loaded = True
        self._selection_changed()

    def _fit_columns(self) -> None:
        # From the first rows of each query (the chronology's are not all notes'), once:
        # later pages and reloads must not make the columns jump.
        if self._sized or not self.model.rowCount():
            return
        self._sized = True
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in NoteColumn:
            # The subject takes what is left; the markers are read whole, so never capped.
            if (column not in (NoteColumn.SUBJECT, NoteColumn.MARKERS)
                    and header.sectionSize(column) > MAX_COLUMN_WIDTH):
                header.resizeSection(column, MAX_COLUMN_WIDTH)

    def _failed(self, exc: BaseException) -> None:
        self.count_label.setText("")
        self.is_loaded = True
        self._load_failed = True
        show_failure(exc, self.banner, on_reload=self.refresh)

    # -- filtering ------------------------------------------------------------------------

    def query(self) -> dto.NoteQuery:
        """What the filter bar asks for: the chronology is oldest first."""
        chronology = self.chronology_button.isChecked()
        return dto.NoteQuery(
            significant_only=chronology,
            # Qt hands a stored tuple back as a list; the query wants a tuple.
            note_types=tuple(self.type_filter.currentData() or ()),
            text=self.search.text().strip(),
            newest_first=not chronology,
        )

    def apply_filters(self) -> None:
        self._debounce.stop()
        query = self.query()
        if query == self.model.query:
            return
        self._show_order()
        selected = self.selected()
        if selected is not None:
            self._seek = (selected.id, "here")
        self.banner.clear()
        self._sized = False
        self.model.set_query(query)

    def _show_order(self) -> None:
        if self.chronology_button.isChecked():
            text = self.tr("Significant notes and the events Casework recorded, oldest first.")
        else:
            text = self.tr("Newest first. A corrected note stays on the record beside its "
                           "correction.")
        self.order_label.setText(text)

    def _show_count(self, total: int) -> None:
        tr = self.tr
        q = self.model.query
        filtered = bool(q.note_types or q.text)
        if q.significant_only:
            if total == 0:
                text = (tr("Nothing in the chronology matches these filters.") if filtered
                        else tr("Nothing in the chronology yet."))
            elif total == 1:
                text = tr("1 entry in the chronology")
            else:
                text = tr("{n} entries in the chronology").format(n=total)
        elif total == 0:
            text = tr("No notes match these filters.") if filtered else tr("No notes yet.")
        elif total == 1:
            text = tr("1 note")
        else:
            text = tr("{n} notes").format(n=total)
        self.count_label.setText(text)

    # -- reading --------------------------------------------------------------------------

    def selected(self) -> NoteLine | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _select_row(self, row: int) -> None:
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def _selection_changed(self) -> None:
        line = self.selected()
        empty = ""
        if line is None and self.model.total == 0:
            empty = self.count_label.text()
        self.reader.show_line(line, empty_text=empty)
        self._update_buttons()

    def select_note(self, note_id: str) -> None:
        """Select a note, fetching further pages to reach it; when the filters hide it,
        show all notes."""
        row = self.model.row_of(note_id)
        if row is not None:
            self._select_row(row)
            return
        self._seek = (note_id, "link")
        if self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        elif not self.model.is_loading:
            self._seek = None
            self._link_outside_filters(note_id)

    def _follow_correction(self) -> None:
        line = self.reader.line
        if line is not None and line.note.corrected_by_id:
            self.select_note(line.note.corrected_by_id)

    def _follow_original(self) -> None:
        line = self.reader.line
        if line is not None and line.note.corrects_id:
            self.select_note(line.note.corrects_id)

    def _link_outside_filters(self, note_id: str) -> None:
        """The note linked to is not in the list these filters make: show all notes."""
        if self.model.query == ALL_NOTES:
            self.banner.show_message(self.tr("That note is not on this case's record."),
                                     Tone.ERROR)
            return
        widgets = (self.all_button, self.chronology_button, self.type_filter, self.search)
        for widget in widgets:
            widget.blockSignals(True)
        self.all_button.setChecked(True)
        self.type_filter.setCurrentIndex(0)
        self.search.clear()
        for widget in widgets:
            widget.blockSignals(False)
        self._show_order()
        self.banner.show_message(self.tr("The filters hid that note, so all notes are shown "
                                         "now."), Tone.INFO)
        self._seek = (note_id, "keep")
        self._sized = False
        self.model.set_query(ALL_NOTES)

    # -- recording ------------------------------------------------------------------------

    def _update_buttons(self) -> None:
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
        line = self.selected()
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
        line = self.selected()
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
            self._seek = (note.corrected_by_id, "link")
            self.model.reload()
            return
        self._open_editor(note)

    def _refused(self, exc: BaseException) -> None:
        show_failure(exc, self.banner)

    def _open_editor(self, correcting: dto.NoteRow | None) -> None:
        dialog = NoteEditor(self.ctx.me, self.ctx.runner, self.ctx.case_id,
                            correcting=correcting, parent=self)
        dialog.saved.connect(self._recorded)
        open_dialog(dialog, self)

    def _recorded(self, row: dto.NoteRow) -> None:
        tr = self.tr
        self.banner.show_message(tr("Correction recorded; the original stays on the record.")
                                 if row.corrects_id else tr("Note recorded."), Tone.SUCCESS)
        # The change event reloads the list too; this one read serves both.
        self._seek = (row.id, "link")
        self._refresh_soon()
