"""A case's notes and contacts, and its chronology.

All notes, newest first, or the chronology (the significant notes and the events Casework
recorded), oldest first; filtered by type and by words, in SQL, a page at a time. The
selected note reads whole below the list (note_reader), and the buttons under it add and
correct notes (note_actions). Notes are never changed: a correction is a new note, both stay
listed, each says which is which, and the reading pane goes from one to the other.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from casework import dto
from casework.ui import labels
from casework.ui.case_window.context import CaseContext
from casework.ui.case_window.note_actions import NoteActions
from casework.ui.case_window.note_reader import NoteReader
from casework.ui.case_window.tab import CaseTab
from casework.ui.item_models.note_table import NoteColumn, NoteLine, NoteTableModel
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.search import filter_as_typed
from casework.ui.widgets.tables import make_table
from casework.vocab import NoteType

ALL_NOTES = dto.NoteQuery()
# No column may take more than this from the first rows (a long "with whom" or subject):
# the rest stays readable and the whole text is in the reading pane.
MAX_COLUMN_WIDTH = 280


class NotesTab(CaseTab):
    WATCHES = frozenset({"note", "case"})

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self._sized = False
        # A note to select once the list holds it, and how hard to look for it:
        # "link" fetches further pages and, failing that, drops the filters; "keep" (a
        # reload after a change) fetches further pages; "here" looks in the first page.
        self._seek: tuple[str, str] | None = None
        self._load_failed = False
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
        self.actions = NoteActions(ctx, self.banner, self.selected, self)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.banner)
        layout.addLayout(counts)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.actions)

        for first, second in [(self.all_button, self.chronology_button),
                              (self.chronology_button, self.type_filter),
                              (self.type_filter, self.search), (self.search, self.table),
                              (self.table, self.reader.body),
                              (self.reader.body, self.reader.to_correction),
                              (self.reader.to_correction, self.reader.to_original),
                              (self.reader.to_original, self.actions.add_button),
                              (self.actions.add_button, self.actions.correct_button)]:
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
        self.actions.recorded.connect(self._recorded)
        self.actions.superseded.connect(self._superseded)
        self._show_order()
        self._update_buttons()

    # -- loading --------------------------------------------------------------------------

    def _shown_again(self) -> None:
        self._update_buttons()  # the case may have closed meanwhile

    def _load(self) -> None:
        """Load again, keeping the selected note selected."""
        self.actions.read_actor()
        selected = self.selected()
        if selected is not None and self._seek is None:
            self._seek = (selected.id, "keep")
        self.model.reload()

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
        self.actions.update_buttons()

    def _superseded(self, correction_id: str) -> None:
        self._seek = (correction_id, "link")
        self.model.reload()

    def _recorded(self, row: dto.NoteRow) -> None:
        # The change event reloads the list too; this one read serves both.
        self._seek = (row.id, "link")
        self._refresh_soon()
