"""The person and the people around them: the person's details (with how they want to be
contacted and what matters to them), and their key people and carers — carers first, as
partners in care with their own support plan. Loaded when first shown; read again when a
service says the person or their key people changed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from casework import dto
from casework.timeutil import show_date
from casework.ui import labels
from casework.ui.case_window.context import CaseContext
from casework.ui.case_window.summary_tab import MISSING_STYLE, _years_between
from casework.ui.case_window.tab import CaseTab
from casework.ui.dialogs.person_editor import KeyPersonEditor, PersonEditor
from casework.ui.item_models.key_people_table import KeyPeopleTableModel
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.confirm import Confirm
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.open_dialog import open_dialog
from casework.ui.widgets.tables import button, button_row, make_table
from casework.vocab import LIVE_STATUSES

class PeopleTab(CaseTab):
    WATCHES = frozenset({"key_person", "person", "case"})

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.people: dto.CasePeople | None = None
        self._select_after_load: str | None = None
        self.dialog: QDialog | None = None  # an editor, while one is open
        tr = self.tr

        self.banner = MessageBanner(self)

        # The person.
        self.person_box = QGroupBox(tr("The person"), self)
        self._values: dict[str, QLabel] = {}
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for form, captions in ((left, (tr("Name"), tr("Date of birth"), tr("CHI number"),
                                       tr("Address"), tr("Phone"))),
                               (right, (tr("How to contact"), tr("Communication needs"),
                                        tr("What matters to them")))):
            for caption in captions:
                shown = QLabel(self.person_box)
                shown.setWordWrap(True)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                shown.setAccessibleName(caption)
                form.addRow(QLabel(caption + ":", self.person_box), shown)
                self._values[caption] = shown
        self.edit_person_button = button(tr("Edit pe&rson's details…"), self.person_box)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        person_layout = QVBoxLayout(self.person_box)
        person_layout.addLayout(columns)
        person_layout.addLayout(button_row(self.edit_person_button))

        # The people around them.
        self.key_box = QGroupBox(tr("Key people and carers"), self)
        self.intro = QLabel(tr("Unpaid carers are partners in care. Each has a right to their "
                               "own plan: an adult carer support plan, or a young carer "
                               "statement (Carers (Scotland) Act 2016)."), self.key_box)
        self.intro.setWordWrap(True)
        self.model = KeyPeopleTableModel(self, today=ctx.today)
        self.table = make_table(self.model, tr("Key people and carers"), self.key_box)
        self.empty = QLabel(tr("No key people or carers recorded yet."), self.key_box)
        self.empty.setAccessibleName(tr("No key people or carers recorded yet"))
        self.empty.hide()
        self.add_button = button(tr("Add &key person or carer…"), self.key_box)
        self.edit_button = button(tr("Edi&t…"), self.key_box)
        self.edit_button.setAccessibleName(tr("Edit the selected key person"))
        self.remove_button = button(tr("Remo&ve"), self.key_box)
        self.remove_button.setAccessibleName(tr("Remove the selected key person"))
        key_layout = QVBoxLayout(self.key_box)
        key_layout.addWidget(self.intro)
        key_layout.addWidget(self.table, 1)
        key_layout.addWidget(self.empty)
        key_layout.addLayout(button_row(self.add_button, self.edit_button, self.remove_button))

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.person_box)
        layout.addWidget(self.key_box, 1)

        self.edit_person_button.clicked.connect(self.edit_person)
        self.add_button.clicked.connect(self.add_key_person)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    # -- loading --------------------------------------------------------------------------

    def _load(self) -> None:
        self.ctx.runner.run(self.ctx.me.people.case_people, self.ctx.case_id,
                            on_done=self._arrived, on_error=self._failed, owner=self)

    def _arrived(self, people: dto.CasePeople) -> None:
        self.people = people
        self._show_person(people.person)
        selected = self._select_after_load or (self.selected().id if self.selected() else None)
        self._select_after_load = None
        self.model.set_rows(people.key_people)
        # Every column but the last, which stretches to take the width left.
        for column in range(self.model.columnCount() - 1):
            self.table.resizeColumnToContents(column)
        self.empty.setVisible(not people.key_people)
        if selected is not None:
            row = self.model.row_of(selected)
            if row is not None:
                self.table.selectRow(row)
        self.is_loaded = True
        self._update_buttons()

    def _show_person(self, p: dto.PersonInfo) -> None:
        tr = self.tr
        born = None
        if p.date_of_birth:
            years = _years_between(p.date_of_birth, self.ctx.today())
            born = tr("{date} (age {years})").format(date=show_date(p.date_of_birth), years=years)
        address = ", ".join(x for x in (p.address, p.postcode) if x) or None
        for caption, value in ((tr("Name"), p.full_name), (tr("Date of birth"), born),
                               (tr("CHI number"), labels.chi(p.chi)), (tr("Address"), address),
                               (tr("Phone"), p.phone),
                               (tr("How to contact"), p.contact_preference),
                               (tr("Communication needs"), p.communication_needs),
                               (tr("What matters to them"), p.what_matters)):
            shown = self._values[caption]
            shown.setText(value or tr("Not recorded"))
            shown.setStyleSheet("" if value else MISSING_STYLE)

    def value(self, caption: str) -> str:
        """The text shown for one of the person's details (tests, assistive summaries)."""
        return self._values[caption].text()

    # -- acting -----------------------------------------------------------------------------

    def selected(self) -> dto.KeyPersonInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _live(self) -> bool:
        status = self.people.case_status if self.people else self.ctx.summary().case.status
        return status in LIVE_STATUSES

    def _update_buttons(self) -> None:
        may_record = self.ctx.may_record()
        for b in (self.edit_person_button, self.add_button, self.edit_button,
                  self.remove_button):
            b.setVisible(may_record)
        editable = self.people is not None and self._live()
        selected = self.selected() is not None
        self.edit_person_button.setEnabled(editable)
        self.add_button.setEnabled(editable)
        self.edit_button.setEnabled(editable and selected)
        self.remove_button.setEnabled(editable and selected)
        closed = "" if editable or self.people is None else self.tr("The case is closed.")
        for b in (self.edit_person_button, self.add_button):
            b.setToolTip(closed)

    def _open(self, dialog: QDialog) -> None:
        self.banner.clear()
        open_dialog(dialog, self)

    def edit_person(self) -> None:
        if self.people is None or not self._live():
            return
        dialog = PersonEditor(self.ctx.me, self.ctx.runner, self.people, self)
        dialog.saved.connect(self._arrived)
        self._open(dialog)

    def add_key_person(self) -> None:
        if self.people is None or not self._live():
            return
        dialog = KeyPersonEditor(self.ctx.me, self.ctx.runner, self.ctx.case_id, None, self)
        dialog.saved.connect(self._key_person_saved)
        self._open(dialog)

    def edit_selected(self) -> None:
        k = self.selected()
        if k is None or not self.ctx.may_record() or not self._live():
            return
        dialog = KeyPersonEditor(self.ctx.me, self.ctx.runner, self.ctx.case_id, k, self)
        dialog.saved.connect(self._key_person_saved)
        self._open(dialog)

    def _key_person_saved(self, info: dto.KeyPersonInfo) -> None:
        self._select_after_load = info.id
        self.banner.show_message(self.tr("{name} saved.").format(name=info.name), Tone.SUCCESS)

    def remove_selected(self) -> None:
        k = self.selected()
        if k is None or not self._live():
            return
        tr = self.tr
        if not Confirm.ask(self, tr("Remove {name}?").format(name=k.name),
                           tr("{name} will no longer be listed among the person's key people "
                              "and carers. Assessments that name them keep their name.").format(
                               name=k.name), tr("Remove")):
            return
        self.banner.clear()
        self.ctx.runner.run(self.ctx.me.people.remove_key_person, self.ctx.case_id, k.id,
                            k.row_version, on_done=lambda _r: self._removed(k),
                            on_error=lambda exc: show_failure(exc, self.banner,
                                                              on_reload=self.refresh),
                            owner=self)

    def _removed(self, k: dto.KeyPersonInfo) -> None:
        self.banner.show_message(self.tr("{name} removed.").format(name=k.name), Tone.SUCCESS)
