"""A contribution to an assessment: who contributed (the person, a carer, the worker,
another agency) and what they said, in their own words."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtGui import QPalette, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from casework import dto, fields
from casework.services import Me
from casework.ui.dialogs.assessment_widgets import (
    PLACEHOLDER_COLOUR,
    fit_height,
    text_edit,
)
from casework.ui.item_models.assessment_table import contributor_label
from casework.ui.widgets.text_box import too_long
from casework.ui.tasks import Runner
from casework.ui.widgets.dates import date_edit
from casework.ui.widgets.form import plain, save_cancel
from casework.ui.widgets.form_dialog import FormDialog
from casework.vocab import AssessmentKind, ContributorRole


class ContributionDialog(FormDialog):
    """Who contributed and what they said, in their words. Saves through the service and
    stays open, with everything typed, until the service accepts it; `saved` carries the
    dto.AssessmentDetail after the change."""

    def __init__(self, me: Me, runner: Runner, detail: dto.AssessmentDetail,
                 contribution: dto.ContributionInfo | None = None,
                 parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self._detail, self._contribution = detail, contribution
        tr = self.tr
        self.setWindowTitle(tr("Add a contribution") if contribution is None
                            else tr("Edit a contribution"))
        self.contributor = QComboBox(self)
        for role in ContributorRole:
            self.contributor.addItem(contributor_label(role), role.value)
        self.key_person = QComboBox(self)
        self.name = QLineEdit(self)
        self.name.setMaxLength(fields.CONTRIBUTOR)
        palette = self.name.palette()
        palette.setColor(QPalette.ColorRole.PlaceholderText, PLACEHOLDER_COLOUR)
        self.name.setPalette(palette)
        # Says what a blank name is recorded as: dark enough to read, unlike a placeholder.
        self.name_hint = QLabel(self)
        self.name_hint.setWordWrap(True)
        self.name_hint.setAccessibleName(tr("What a blank name is recorded as"))
        today = me.today()
        self.given_on = date_edit(self, tr("Given on"), today, latest=today)
        self.words = text_edit(self, tr("What they said, in their own words"))
        self.words.setMinimumHeight(160)
        self.form = form = QFormLayout()
        add = self.errors.add_row
        add(form, "contributor", tr("&Contributor:"), self.contributor)
        self._key_person_caption = add(form, "key_person_id", tr("&Key person:"),
                                       self.key_person)
        name_caption = QLabel(tr("&Name:"), self)
        name_caption.setBuddy(self.name)
        name_cell = QWidget(self)
        name_column = QVBoxLayout(name_cell)
        name_column.setContentsMargins(0, 0, 0, 0)
        name_column.setSpacing(2)
        name_column.addWidget(self.name)
        name_column.addWidget(self.name_hint)
        name_column.addWidget(self.errors.add("name", plain(tr("&Name:")), self.name))
        form.addRow(name_caption, name_cell)
        add(form, "given_on", tr("&Given on:"), self.given_on)
        add(form, "contribution", tr("In their &words:"), self.words)
        self.buttons, self.save_button = save_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)

        if contribution is not None:
            self.contributor.setCurrentIndex(self.contributor.findData(contribution.contributor))
        elif detail.kind == AssessmentKind.CARERS:
            # A carer's assessment is first of all the carer's own view.
            self.contributor.setCurrentIndex(self.contributor.findData(ContributorRole.CARER))
        self._fill_key_people()
        if contribution is not None:
            index = self.key_person.findData(contribution.key_person_id)
            self.key_person.setCurrentIndex(max(index, 0))
            self.name.setText(contribution.name)
            self.given_on.setDate(QDate(contribution.given_on))
            self.words.setPlainText(contribution.contribution)
            self.words.moveCursor(QTextCursor.MoveOperation.End)  # to add to what was said
        self.contributor.currentIndexChanged.connect(self._contributor_changed)
        self.key_person.currentIndexChanged.connect(self._key_person_changed)
        self.name.textEdited.connect(lambda _t: self._edited("name"))
        self.words.textChanged.connect(lambda: self._edited("contribution"))
        self._show_name_hint()
        self.words.setFocus()

    def _role(self) -> ContributorRole:
        return ContributorRole(self.contributor.currentData())

    def _fill_key_people(self) -> None:
        """A carer is one of the person's carers; another agency may be a key person too;
        the person and the worker are not key people."""
        role = self._role()
        self.key_person.blockSignals(True)
        self.key_person.clear()
        people = [k for k in self._detail.key_people
                  if role == ContributorRole.OTHER or (role == ContributorRole.CARER and k.is_carer)]
        if role in (ContributorRole.PERSON, ContributorRole.WORKER):
            self.key_person.addItem(self.tr("Not a key person"), None)
        else:
            self.key_person.addItem(self.tr("Someone not recorded as a key person"), None)
            for k in people:
                self.key_person.addItem(self.tr("{name} ({relationship})").format(
                    name=k.name, relationship=k.relationship), k.id)
            if role == ContributorRole.CARER and self._detail.carer_id:
                # A carer's assessment: its carer is who is most likely to contribute.
                self.key_person.setCurrentIndex(max(self.key_person.findData(
                    self._detail.carer_id), 0))
        self.key_person.setEnabled(self.key_person.count() > 1)
        self.key_person.blockSignals(False)
        # The person and the worker are never key people: the row is there for the others.
        self.form.setRowVisible(self._key_person_caption,
                                role in (ContributorRole.CARER, ContributorRole.OTHER))
        fit_height(self)

    def _contributor_changed(self) -> None:
        self._fill_key_people()
        self._show_name_hint()
        if "name" in self._touched:
            self._edited("name")

    def _key_person_changed(self) -> None:
        self._show_name_hint()
        if "name" in self._touched:
            self._edited("name")

    def blank_name(self) -> str | None:
        """What the service records for a blank name (None: a name must be typed)."""
        role = self._role()
        if role == ContributorRole.PERSON:
            return self._detail.person_name
        if role == ContributorRole.WORKER:
            return self.tr("you")
        chosen = self.key_person.currentData()
        return next((k.name for k in self._detail.key_people if k.id == chosen), None)

    def _show_name_hint(self) -> None:
        name = self.blank_name()
        if name is None:
            self.name.setPlaceholderText(self.tr("Their name, and the agency they speak for"))
            self.name_hint.setText(self.tr("Say who they are: this contributor is not one of "
                                           "the person's key people."))
        else:
            self.name.setPlaceholderText(name)
            self.name_hint.setText(self.tr("Left blank, it is recorded as {name}.").format(
                name=name))

    def _local_problems(self) -> dict[str, str]:
        problems = {}
        if not self.name.text().strip() and self.blank_name() is None:
            problems["name"] = self.tr("say who contributed")
        words = self.words.toPlainText().strip()
        if not words:
            problems["contribution"] = self.tr("record what they said, in their words")
        elif (problem := too_long(words, fields.LONG_TEXT)):
            problems["contribution"] = problem
        return problems

    def data(self) -> dto.ContributionInput:
        return dto.ContributionInput(
            contributor=self.contributor.currentData(),
            contribution=self.words.toPlainText().strip(),
            given_on=self.given_on.date().toPython(),
            name=self.name.text().strip(),
            key_person_id=self.key_person.currentData(),
        )

    def _request(self) -> tuple:
        service = self._me.assessments
        if self._contribution is None:
            return service.add_contribution, self._detail.id, self.data()
        return (service.update_contribution, self._contribution.id, self.data(),
                self._contribution.row_version)
