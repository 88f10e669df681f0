"""Starting an assessment, preparing its draft (sections, contributions in the
contributors' own words) and signing it off.

The editor says before anyone tries who may sign this kind of assessment off and whether the
signed-in person may: a para-professional prepares drafts, and statutory kinds and high
assessed risk are reserved to a qualified registered social worker. The service still
decides; a refusal it makes (a registration that lapsed since the editor opened, say) is
shown in the banner and nothing typed is lost.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from casework import permissions as perm
from casework.errors import PermissionDenied, ValidationError
from casework import dto
from casework.services import Me
from casework.sign_off_rules import still_needed
from casework.timeutil import show_date, show_datetime
from casework.ui import labels
from casework.ui.item_models.assessment_table import (
    ContributionColumn,
    ContributionTableModel,
    contributor_label,
)
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.confirm import Confirm
from casework.ui.widgets.dates import date_edit
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.form import FieldErrors, plain, save_cancel
from casework.ui.widgets.form_dialog import FormDialog
from casework.ui.widgets.heading import heading
from casework.ui.widgets.open_dialog import open_dialog
from casework.ui.widgets.tables import button, make_table
from casework.vocab import AssessmentKind, ContributorRole, RiskLevel

MAX_TEXT = 20_000  # as the service allows
MAX_NAME = 200
WHO_WIDTH = 180  # pixels at most for a contributor's name in the table
# The drafted sections, in the order a worker writes them.
SECTIONS = ("strengths", "needs", "risks", "outcomes_wanted", "analysis")


# Placeholder text dark enough to read (about 5.7:1 on white), still lighter than typing.
PLACEHOLDER_COLOUR = QColor("#666666")


class _SectionEdit(QPlainTextEdit):
    """A section of the assessment. It asks for little height, so that five of them fit
    the window and share what is left; a message under one never pushes the rest into a
    scroll of full-height boxes."""

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(super().sizeHint().width(), 90)


def _text_edit(parent: QWidget, placeholder: str = "", *,
               section: bool = False) -> QPlainTextEdit:
    edit = _SectionEdit(parent) if section else QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)  # Tab moves on, as everywhere else: no keyboard trap
    edit.setPlaceholderText(placeholder)
    palette = edit.palette()
    palette.setColor(QPalette.ColorRole.PlaceholderText, PLACEHOLDER_COLOUR)
    edit.setPalette(palette)
    return edit


def _fit_height(dialog: QDialog) -> None:
    """Rows and messages come and go: the dialog's height follows them rather than squeeze
    a box until its text is clipped."""
    dialog.layout().activate()
    dialog.resize(dialog.width(), dialog.sizeHint().height())


def _wrapping_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


# -- starting -----------------------------------------------------------------------------

class StartAssessmentDialog(FormDialog):
    """Which kind, about which carer (for a carer's assessment), and who prepares it.
    `saved` carries the dto.AssessmentDetail started."""

    def __init__(self, me: Me, runner: Runner, case_id: str, parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self._case_id = case_id
        self._ready = False
        self._carers: tuple[dto.KeyPersonChoice, ...] = ()
        tr = self.tr
        self.setWindowTitle(tr("Start an assessment"))
        self.kind = QComboBox(self)
        for kind in AssessmentKind:
            self.kind.addItem(labels.vocab(AssessmentKind, kind), kind.value)
        self.carer = QComboBox(self)
        self.drafter = QComboBox(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName(tr("About this kind of assessment"))
        self.form = QFormLayout()
        self.errors.add_row(self.form, "kind", tr("&Kind of assessment:"), self.kind)
        self._carer_caption = self.errors.add_row(self.form, "carer_id", tr("&About the carer:"),
                                                  self.carer)
        self.errors.add_row(self.form, "drafter_id", tr("&Prepared by:"), self.drafter)
        self.buttons, self.save_button = save_cancel(self, tr("&Start"))
        self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(self.hint)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.carer.currentIndexChanged.connect(self._carer_changed)
        self._kind_changed()
        self.banner.show_message(tr("Loading the person's carers and the team…"))
        runner.run(me.assessments.start_options, case_id, on_done=self._options_arrived,
                   on_error=self._failed, owner=self)

    def _options_arrived(self, options: dto.AssessmentStartOptions) -> None:
        tr = self.tr
        self.banner.clear()
        self._carers = options.carers
        self.carer.blockSignals(True)
        self.carer.clear()
        if options.carers:
            self.carer.addItem(tr("Choose the carer"), None)
            for c in options.carers:
                self.carer.addItem(tr("{name} ({relationship})").format(
                    name=c.name, relationship=c.relationship), c.id)
        else:
            self.carer.addItem(tr("No carers are recorded for this person"), None)
        self.carer.blockSignals(False)
        self.drafter.clear()
        mine = next((d.display_name for d in options.drafters if d.id == self._me.staff_id), None)
        self.drafter.addItem(tr("Me ({name})").format(name=mine) if mine else tr("Me"), None)
        for d in options.drafters:
            if d.id != self._me.staff_id:
                self.drafter.addItem(tr("{name} ({role})").format(
                    name=d.display_name, role=labels.role(d.role)), d.id)
        self._ready = True
        self.save_button.setEnabled(True)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = AssessmentKind(self.kind.currentData())
        carers = kind == AssessmentKind.CARERS
        # Only a carer's assessment is about a carer: the row is there only then.
        self.form.setRowVisible(self._carer_caption, carers)
        self.errors.set("carer_id", "")
        if kind.statutory:
            self.hint.setText(self.tr("A statutory assessment: anyone in the team may prepare "
                                      "it, a para-professional included; a registered social "
                                      "worker signs it off."))
        elif carers:
            self.hint.setText(self.tr("A carer's assessment is about one carer and needs "
                                      "their own view, recorded as the carer's contribution."))
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))
        _fit_height(self)

    def _carer_changed(self) -> None:
        if self.errors.message("carer_id") and self.carer.currentData() is not None:
            self.errors.set("carer_id", "")
            _fit_height(self)

    def _carer_id(self) -> str | None:
        kind = self.kind.currentData()
        return self.carer.currentData() if kind == AssessmentKind.CARERS else None

    def _can_save(self) -> bool:
        return self._ready

    def _local_problems(self) -> dict[str, str]:
        if self.kind.currentData() == AssessmentKind.CARERS and self._carer_id() is None:
            return {"carer_id": self.tr("choose the carer the assessment is about")
                    if self._carers else
                    self.tr("no carers are recorded for this person; add the carer on "
                            "People and carers first")}
        return {}

    def _refuse(self, problems: dict[str, str]) -> None:
        super()._refuse(problems)
        _fit_height(self)

    def _request(self) -> tuple:
        return (self._me.assessments.start, self._case_id, self.kind.currentData(),
                self._carer_id(), self.drafter.currentData())

    def _failed(self, exc: BaseException) -> None:
        super()._failed(exc)
        _fit_height(self)


# -- contributions ------------------------------------------------------------------------

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
        self.name.setMaxLength(MAX_NAME)
        palette = self.name.palette()
        palette.setColor(QPalette.ColorRole.PlaceholderText, PLACEHOLDER_COLOUR)
        self.name.setPalette(palette)
        # Says what a blank name is recorded as: dark enough to read, unlike a placeholder.
        self.name_hint = QLabel(self)
        self.name_hint.setWordWrap(True)
        self.name_hint.setAccessibleName(tr("What a blank name is recorded as"))
        today = me.today()
        self.given_on = date_edit(self, tr("Given on"), today, latest=today)
        self.words = _text_edit(self, tr("What they said, in their own words"))
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
        _fit_height(self)

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
        elif len(words) > MAX_TEXT:
            problems["contribution"] = self.tr("must be at most {n} characters").format(n=MAX_TEXT)
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


# -- the editor ---------------------------------------------------------------------------

# (Signed-in person, assessment id) -> its open editor: opening it again brings that one
# forward, with whatever was typed in it.
_open_editors: dict[tuple[str, str], "AssessmentEditor"] = {}


class AssessmentEditor(QDialog):
    """One assessment: its sections, its contributions, and sign-off. Opened beside the
    case window (not modal), so the case stays readable while writing."""

    loaded = Signal()  # the assessment arrived (or failed to)
    changed = Signal(object)  # a dto.AssessmentDetail the service returned after a change

    @classmethod
    def present(cls, me: Me, runner: Runner, assessment_id: str,
                parent: QWidget | None = None) -> "AssessmentEditor":
        """Open the editor for an assessment (or bring forward the one already open)."""
        key = (me.staff_id, assessment_id)
        existing = _open_editors.get(key)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
        editor = cls(me, runner, assessment_id, parent)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _open_editors[key] = editor
        editor.destroyed.connect(lambda *_: _open_editors.pop(key, None))
        editor.show()
        return editor

    def __init__(self, me: Me, runner: Runner, assessment_id: str,
                 parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self._me, self._runner, self._id = me, runner, assessment_id
        self.detail: dto.AssessmentDetail | None = None
        self.is_loaded = False
        self.dialog: QDialog | None = None  # a contribution dialog, while one is open
        self.sign_off_allowed = False
        self._saved_input: dto.AssessmentInput | None = None
        # The version the sections on screen were read at: a save against it fails when
        # someone else saved since, even if a contribution was added in between.
        self._version = 0
        self._touched: set[str] = set()
        self._wants_sign_off = False  # a sign-off was asked for: show what it still needs
        # Whether I may carry out each reserved function today, as the services decide it.
        self._standings: dict[str, dto.ReservedStanding] = {}
        # The service's own refusal of a sign-off, by the reserved functions it involved.
        self._refusals: dict[tuple[str, ...], str] = {}
        self.setWindowTitle(self.tr("Assessment"))
        self.setAccessibleName(self.tr("Assessment"))
        self._build()
        self._set_editable(False)
        self.banner.show_message(self.tr("Loading the assessment…"))
        runner.run(_load, me, assessment_id, on_done=self._arrived,
                   on_error=self._load_failed, owner=self)

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        self.banner = MessageBanner(self)
        self.errors = FieldErrors()
        self.heading = heading(self)
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setAccessibleName(tr("Assessment"))
        self.status_label = _wrapping_label(self, tr("Status"))

        # Sections, in a scroll area: long text must never squeeze the rest out.
        self.sections: dict[str, QPlainTextEdit] = {}
        content = QWidget(self)
        column = QVBoxLayout(content)
        captions = {
            "strengths": (tr("S&trengths"),
                          tr("What is going well; who and what helps")),
            "needs": (tr("&Needs"), tr("What the person needs support with")),
            "risks": (tr("Ris&ks"), tr("Risks to the person or to others, and what reduces "
                                      "them")),
            "outcomes_wanted": (tr("&Outcomes the person wants"),
                                tr("What the person wants to achieve, in their words where "
                                   "possible")),
            "analysis": (tr("Anal&ysis"), tr("Your analysis and professional view")),
        }
        self._placeholders: dict[str, str] = {}
        for key in SECTIONS:
            caption_text, placeholder = captions[key]
            edit = _text_edit(content, placeholder, section=True)
            edit.setMinimumHeight(72)
            caption = QLabel(caption_text, content)
            caption.setBuddy(edit)
            self.sections[key] = edit
            self._placeholders[key] = placeholder
            column.addWidget(caption)
            column.addWidget(edit, 1)
            column.addWidget(self.errors.add(key, plain(caption_text), edit))
            edit.textChanged.connect(lambda k=key: self._edited(k))
            if key == "risks":
                # The assessed risk is decided from the risks just written: it comes next
                # (made here, so that Tab reaches it next too).
                self.risk = QComboBox(content)
                self.risk.addItem(tr("Not yet assessed"), None)
                for level in RiskLevel:
                    self.risk.addItem(labels.vocab(RiskLevel, level), level.value)
                risk_row = QHBoxLayout()
                risk_caption = QLabel(tr("Assessed &risk:"), content)
                risk_caption.setBuddy(self.risk)
                self.risk_value = QLabel(content)  # the risk of a signed-off assessment
                self.risk_value.setAccessibleName(tr("Assessed risk"))
                font = QFont(self.risk_value.font())
                font.setBold(True)
                self.risk_value.setFont(font)
                risk_row.addWidget(risk_caption)
                risk_row.addWidget(self.risk)
                risk_row.addWidget(self.risk_value)
                risk_row.addStretch(1)
                column.addLayout(risk_row)
                column.addWidget(self.errors.add("risk_level", tr("Assessed risk"), self.risk))
                # A draft assessed as high: who may lower it, said before anyone tries.
                self.risk_rule = _wrapping_label(content, tr("Who may lower the assessed risk"))
                self.risk_rule.hide()
                column.addWidget(self.risk_rule)
        self.risk.currentIndexChanged.connect(lambda _i: self._edited("risk_level"))
        self.scroll = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        # Contributions: who said what, in their words (wrapped, so the words can be read).
        contributions_box = QGroupBox(tr("Contributions"), self)
        self.contributions_model = ContributionTableModel(self)
        self.contributions = make_table(self.contributions_model, tr("Contributions"),
                                        contributions_box, stretch=ContributionColumn.WORDS)
        self.contributions.setWordWrap(True)
        header = self.contributions.horizontalHeader()
        for c in (ContributionColumn.ROLE, ContributionColumn.GIVEN):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.contributions.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.no_contributions = QLabel(tr("No contributions yet. Record the person's own "
                                          "view, and a carer's or another agency's, in their "
                                          "words."), contributions_box)
        self.no_contributions.setWordWrap(True)
        self.no_contributions.setAccessibleName(tr("No contributions yet"))
        self.add_button = button(tr("&Add contribution…"), contributions_box)
        self.edit_button = button(tr("&Edit…"), contributions_box)
        self.remove_button = button(tr("Re&move"), contributions_box)
        self.edit_button.setAccessibleName(tr("Edit the selected contribution"))
        self.remove_button.setAccessibleName(tr("Remove the selected contribution"))
        row = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        box_layout = QVBoxLayout(contributions_box)
        box_layout.addWidget(self.contributions, 1)
        box_layout.addWidget(self.no_contributions)
        box_layout.addWidget(self.errors.add("contributions", tr("Contributions"),
                                             self.contributions))
        box_layout.addLayout(row)
        self.add_button.clicked.connect(self.add_contribution)
        self.edit_button.clicked.connect(self.edit_contribution)
        self.remove_button.clicked.connect(self.remove_contribution)
        self.contributions.activated.connect(lambda _i: self.edit_contribution())
        self.contributions.selectionModel().selectionChanged.connect(self._update_buttons)

        # Sign-off: who may, whether I may, what is still missing, and the button beside
        # the reason it is disabled.
        self.sign_off_box = QGroupBox(tr("Sign-off"), self)
        self.sign_off_rule = _wrapping_label(self.sign_off_box, tr("Who signs this off"))
        self.missing = _wrapping_label(self.sign_off_box,
                                       tr("What is still needed before sign-off"))
        self.sign_off_button = button(tr("Sign o&ff…"), self.sign_off_box)
        self.sign_off_button.setAutoDefault(False)
        self.sign_off_button.clicked.connect(self.sign_off)
        sign_layout = QVBoxLayout(self.sign_off_box)
        sign_layout.addWidget(self.sign_off_rule)
        sign_layout.addWidget(self.missing)
        sign_row = QHBoxLayout()
        sign_row.addWidget(self.sign_off_button)
        sign_row.addStretch(1)
        sign_layout.addLayout(sign_row)

        right = QVBoxLayout()
        right.addWidget(contributions_box, 1)
        right.addWidget(self.sign_off_box)
        columns = QHBoxLayout()
        columns.addWidget(scroll, 1)
        columns.addLayout(right, 1)

        self.save_button = button(tr("Save &draft"), self)
        self.close_button = button(tr("&Close"), self)
        self.save_button.clicked.connect(self.save_draft)
        self.close_button.clicked.connect(self.close)
        for b in (self.save_button, self.close_button):
            b.setAutoDefault(False)  # Enter in a field never saves or closes by surprise
        footer = QHBoxLayout()
        footer.addWidget(self.save_button)
        footer.addStretch(1)
        footer.addWidget(self.close_button)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_draft)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.heading)
        layout.addWidget(self.status_label)
        layout.addLayout(columns, 1)
        layout.addLayout(footer)
        self.resize(1120, 800)

    # -- showing the assessment -------------------------------------------------------------

    def _arrived(self, loaded: tuple[dto.AssessmentDetail, tuple[dto.ReservedStanding, ...]]
                 ) -> None:
        detail, standings = loaded
        self._standings = {s.code: s for s in standings}
        self.banner.clear()
        self._show(detail, fill=True)
        self.is_loaded = True
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        show_failure(exc, self.banner)
        self.is_loaded = True
        self.loaded.emit()

    def _show(self, detail: dto.AssessmentDetail, *, fill: bool) -> None:
        """Show what the service returned. `fill` puts its sections in the fields (on
        opening, after a save, or a reload); otherwise what is typed stays as it is."""
        tr = self.tr
        self.detail = detail
        kind = labels.vocab(AssessmentKind, detail.kind)
        if detail.carer_name:
            kind = tr("{kind}: {carer}").format(kind=kind, carer=detail.carer_name)
        self.setWindowTitle(tr("{kind} — {person} — Casework").format(
            kind=kind, person=detail.person_name))
        self.heading.setText(tr("{kind} — {person} ({reference})").format(
            kind=kind, person=detail.person_name, reference=detail.case_reference))
        if fill:
            self._saved_input = _input_of(detail)
            self._version = detail.row_version
            for key, edit in self.sections.items():
                stored = getattr(detail, key) or ""
                if edit.toPlainText().strip() != stored:  # a save keeps the cursor where it is
                    edit.blockSignals(True)
                    edit.setPlainText(stored)
                    edit.blockSignals(False)
            self.risk.blockSignals(True)
            self.risk.setCurrentIndex(max(self.risk.findData(detail.risk_level), 0))
            self.risk.blockSignals(False)
            self._touched.clear()
            self._wants_sign_off = False
            self.errors.clear()
        self.contributions_model.set_rows(detail.contributions)
        # Names fit, but a long one ("PC Ross, Police Scotland, Inverness community
        # team") wraps rather than leave the words no room.
        self.contributions.resizeColumnToContents(ContributionColumn.WHO)
        self.contributions.setColumnWidth(ContributionColumn.WHO, min(
            self.contributions.columnWidth(ContributionColumn.WHO), WHO_WIDTH))
        self.no_contributions.setVisible(not detail.contributions)
        self.status_label.setText(self._status_text(detail))
        self.risk_value.setText(labels.vocab(RiskLevel, detail.risk_level)
                                or tr("Not assessed"))
        self._set_editable(detail.is_draft)
        self._show_risk_rule()
        self._update_sign_off()

    def _status_text(self, d: dto.AssessmentDetail) -> str:
        tr = self.tr
        started = tr("started {date} by {name}").format(date=show_date(d.started_on),
                                                        name=d.created_by_name)
        if not d.is_draft:
            return tr("Signed off by {name} on {when}; it can no longer change. It was "
                      "{started}.").format(name=d.signed_off_by_name or "",
                                           when=show_datetime(d.signed_off_at),
                                           started=started)
        if d.drafter_id and d.drafter_id != d.created_by_id and d.drafter_name:
            return tr("Draft, {started}, who asked {drafter} to prepare it.").format(
                started=started, drafter=d.drafter_name)
        return tr("Draft, {started}.").format(started=started)

    def _set_editable(self, editable: bool) -> None:
        tr = self.tr
        for key, edit in self.sections.items():
            edit.setReadOnly(not editable)
            edit.setPlaceholderText(self._placeholders[key] if editable else tr("Not recorded."))
            # Read-only text sits on the window's colour: it does not look like a box to type in.
            edit.setStyleSheet("" if editable else
                               "QPlainTextEdit { background: palette(window); }")
        # A signed-off risk is read, not chosen: a label, not a greyed-out box.
        self.risk.setVisible(editable)
        self.risk_value.setVisible(not editable and self.detail is not None)
        for b in (self.add_button, self.edit_button, self.remove_button, self.save_button):
            b.setVisible(editable)
        self.sign_off_box.setVisible(editable)
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self._selected() is not None
        editable = self.detail is not None and self.detail.is_draft
        self.edit_button.setEnabled(editable and selected)
        self.remove_button.setEnabled(editable and selected)
        self.add_button.setEnabled(editable)
        self.save_button.setEnabled(editable)

    def _selected(self) -> dto.ContributionInfo | None:
        rows = self.contributions.selectionModel().selectedRows()
        return self.contributions_model.record(rows[0].row()) if rows else None

    # -- who may sign off -------------------------------------------------------------------

    def _update_sign_off(self) -> None:
        d = self.detail
        if d is None or not d.is_draft:
            self.sign_off_allowed = False
            self.sign_off_button.setEnabled(False)
            return
        allowed, text = self._sign_off_rule(d.kind, self.risk.currentData())
        self.sign_off_allowed = allowed
        self.sign_off_rule.setText(text)
        self.sign_off_button.setEnabled(allowed)
        self.sign_off_button.setToolTip("" if allowed else text)
        self.sign_off_button.setAccessibleDescription("" if allowed else text)
        missing = self._missing()
        if missing:
            self.missing.setText(self.tr("Still needed before sign-off: {items}.").format(
                items="; ".join(missing.values())))
        elif not allowed and d.created_by_id != self._me.staff_id:
            self.missing.setText(self.tr("Everything sign-off needs is recorded: tell {name} "
                                         "it is ready.").format(name=d.created_by_name))
        else:
            self.missing.setText(self.tr("Everything sign-off needs is recorded."))

    def _sign_off_rule(self, kind: str, risk: str | None) -> tuple[bool, str]:
        """Who may sign this kind (at this risk) off, and whether the signed-in person may
        today, as the services decide it. The service decides again when asked."""
        tr = self.tr
        me = self._me
        functions = perm.sign_off_functions(kind, risk)
        if functions:
            rule = tr("Signing this off is reserved to a registered social worker "
                      "({what}).").format(what="; ".join(self._function_words(f)
                                                        for f in functions))
        else:
            rule = tr("A social worker, senior practitioner or team leader of the case's "
                      "team signs this off.")
        if not me.can(perm.Action.SIGN_OFF_ASSESSMENT):
            return False, rule + " " + tr("You may prepare the draft, not sign it off.")
        lowering = self._lowering_refused()
        if lowering:
            return False, lowering + " " + tr("Put the assessed risk back to high to sign "
                                              "it off.")
        refusal = self._refusals.get(tuple(str(f) for f in functions))
        if refusal:
            return False, refusal + " " + tr("You may still prepare the draft.")
        for f in functions:
            standing = self._standings.get(str(f))
            if standing is not None and not standing.allowed:
                return False, standing.message + " " + tr("You may still prepare the draft.")
            if standing is None and not me.can(f):
                return False, rule + " " + tr("You do not qualify to sign it off today "
                                              "(My account says why); you may still "
                                              "prepare the draft.")
        return True, rule + " " + tr("You may sign it off.")

    def _lowering_refused(self) -> str | None:
        """Why the risk on screen may not be saved, when it lowers a draft assessed as high
        and I may not (None otherwise, or while that is not known)."""
        d = self.detail
        if d is None or not perm.draft_change_functions(d.risk_level, self.risk.currentData()):
            return None
        standing = self._standings.get(perm.ReservedFunction.LOWER_HIGH_RISK)
        return standing.message if standing is not None and not standing.allowed else None

    def _show_risk_rule(self) -> None:
        tr = self.tr
        d = self.detail
        if d is None or not d.is_draft or not perm.is_high_risk(d.risk_level):
            self.risk_rule.hide()
            return
        standing = self._standings.get(perm.ReservedFunction.LOWER_HIGH_RISK)
        if standing is not None and not standing.allowed:
            text = tr("Assessed as high: you may not lower it. {why}").format(
                why=standing.message)
        else:
            text = tr("Assessed as high: lowering it is reserved to a registered social "
                      "worker. You qualify.")
        self.risk_rule.setText(text)
        self.risk_rule.show()

    def _function_words(self, function: str) -> str:
        tr = self.tr
        return {
            perm.ReservedFunction.SIGN_OFF_CHILD_PROTECTION_INVESTIGATION:
                tr("a child protection investigation"),
            perm.ReservedFunction.SIGN_OFF_ASP_INQUIRY:
                tr("an adult support and protection inquiry"),
            perm.ReservedFunction.SIGN_OFF_JUSTICE_REPORT:
                tr("a justice social work report to court"),
            perm.ReservedFunction.MHO_FUNCTION:
                tr("a Mental Health Officer's report: MHO accreditation and two years' "
                   "post-qualifying experience"),
            perm.ReservedFunction.SIGN_OFF_HIGH_RISK_ASSESSMENT:
                tr("a high assessed risk"),
        }.get(function, function)  # type: ignore[call-overload]

    def _missing(self) -> dict[str, str]:
        """What sign-off still needs, from what is on screen now, by the service's own rule
        (which checks what is saved)."""
        d = self.detail
        assert d is not None
        missing = still_needed(
            kind=d.kind, needs=self.sections["needs"].toPlainText(),
            outcomes_wanted=self.sections["outcomes_wanted"].toPlainText(),
            risk_level=self.risk.currentData(),
            contributions=[(c.contributor, c.key_person_id) for c in d.contributions],
            carer_id=d.carer_id, carer_name=d.carer_name)
        return {k: m.what for k, m in missing.items()}

    # -- editing ----------------------------------------------------------------------------

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        self._show_live_problems()
        if self.detail is not None:
            self._update_sign_off()

    def _show_live_problems(self) -> None:
        """Problems with what is typed, under the fields already touched; after a sign-off
        was asked for, also what it still needs, until it is there."""
        too_long = self.tr("must be at most {n} characters").format(n=MAX_TEXT)
        problems = {k: too_long for k, e in self.sections.items()
                    if k in self._touched and len(e.toPlainText().strip()) > MAX_TEXT}
        if self._lowering_refused():
            problems["risk_level"] = self.tr("you may not lower a risk assessed as high "
                                             "(see below)")
        if self._wants_sign_off and self.detail is not None:
            for key in self._missing():
                problems.setdefault(key, self.tr("needed before sign-off"))
        self.errors.show(problems, focus=False)

    def data(self) -> dto.AssessmentInput:
        return dto.AssessmentInput(
            risk_level=self.risk.currentData(),
            **{k: e.toPlainText().strip() or None for k, e in self.sections.items()})

    @property
    def is_dirty(self) -> bool:
        return (self.detail is not None and self.detail.is_draft
                and self._saved_input is not None and self.data() != self._saved_input)

    def save_draft(self) -> None:
        if self.detail is None or not self.detail.is_draft:
            return
        if self._lowering_refused():
            self._touched.add("risk_level")
            self._show_live_problems()
            self.risk.setFocus()
            return
        self.banner.clear()
        self.errors.clear()
        self.save_button.setEnabled(False)
        self._runner.run(self._me.assessments.update_draft, self._id, self.data(),
                         self._version, on_done=self._draft_saved,
                         on_error=self._failed, owner=self)

    def _draft_saved(self, detail: dto.AssessmentDetail) -> None:
        self._show(detail, fill=True)
        self.banner.show_message(self.tr("Draft saved."), Tone.SUCCESS)
        self.changed.emit(detail)

    def _failed(self, exc: BaseException) -> None:
        self._update_buttons()
        self._update_sign_off()
        show_failure(exc, self.banner, self.errors, on_reload=self.reload)

    def reload(self) -> None:
        """After a conflict, and only when asked: the latest saved version replaces what is
        on screen."""
        self._runner.run(self._me.assessments.get, self._id, on_done=self._reloaded,
                         on_error=self._failed, owner=self)

    def _reloaded(self, detail: dto.AssessmentDetail) -> None:
        self._show(detail, fill=True)  # what was typed gives way to what is saved
        self.banner.show_message(self.tr("This shows the latest saved version. Make your "
                                         "changes again and save."))

    # -- contributions ----------------------------------------------------------------------

    def add_contribution(self) -> None:
        if self.detail is not None and self.detail.is_draft:
            self._open_contribution(None)

    def edit_contribution(self) -> None:
        selected = self._selected()
        if selected is not None and self.detail is not None and self.detail.is_draft:
            self._open_contribution(selected)

    def _open_contribution(self, contribution: dto.ContributionInfo | None) -> None:
        assert self.detail is not None
        self.banner.clear()
        dialog = ContributionDialog(self._me, self._runner, self.detail, contribution, self)
        dialog.saved.connect(self._contributions_changed)
        open_dialog(dialog, self)

    def remove_contribution(self) -> None:
        c = self._selected()
        if c is None or self.detail is None or not self.detail.is_draft:
            return
        tr = self.tr
        if not Confirm.ask(self, tr("Remove this contribution?"),
                           tr("{name}'s contribution will no longer be part of this "
                              "assessment.").format(name=c.name), tr("Remove")):
            return
        self._runner.run(self._me.assessments.remove_contribution, c.id, c.row_version,
                         on_done=self._contributions_changed, on_error=self._failed,
                         owner=self)

    def _contributions_changed(self, detail: dto.AssessmentDetail) -> None:
        # The sections may hold unsaved typing: keep it, take the rest.
        self._show(detail, fill=False)
        self._show_live_problems()
        self.changed.emit(detail)

    # -- sign-off ---------------------------------------------------------------------------

    def sign_off(self) -> None:
        """Save what is typed, then ask the service to sign off. Called while the editor
        says it may not be signed off, it still asks the service, which decides (and
        records the refusal), and shows its answer."""
        d = self.detail
        if d is None or not d.is_draft:
            return
        tr = self.tr
        if self.sign_off_allowed:
            missing = self._missing()
            if missing:
                self._wants_sign_off = True
                self._show_live_problems()
                # The first thing missing, in view and focused, to put it right at once.
                key = next(iter(missing))
                first = self.sections.get(key) or {"risk_level": self.risk}.get(
                    key, self.add_button)
                first.setFocus()
                if first is not self.add_button:
                    self.scroll.ensureWidgetVisible(first)
                self.banner.show_message(tr("Still needed before sign-off: {items}.").format(
                    items="; ".join(missing.values())), Tone.WARNING)
                return
        if not Confirm.ask(self, tr("Sign off this assessment?"),
                           tr("Once signed off, this assessment can no longer change, and "
                              "you stay accountable for it."), tr("Sign off")):
            return
        self.banner.clear()
        self.errors.clear()
        self.sign_off_button.setEnabled(False)
        self.save_button.setEnabled(False)
        # What is on screen is what is signed off: saved and signed off in one call, so
        # that a refusal keeps neither (and the typing stays here).
        changes = self.data() if self.is_dirty else None
        self._runner.run(self._me.assessments.sign_off, self._id, self._version, changes,
                         on_done=self._signed_off,
                         on_error=lambda exc: self._sign_off_failed(exc, changes is not None),
                         owner=self)

    def _sign_off_failed(self, exc: BaseException, with_changes: bool) -> None:
        tr = self.tr
        if isinstance(exc, PermissionDenied) and self.detail is not None:
            d = self.detail
            functions = tuple(str(f) for f in perm.sign_off_functions(
                d.kind, self.risk.currentData()))
            self._refusals[functions] = str(exc)
            self._update_buttons()
            self._update_sign_off()
            text = str(exc)
            if with_changes:
                text += " " + tr("Nothing was saved: what you typed is still here.")
            self.banner.show_message(text, Tone.ERROR)
            return
        if isinstance(exc, ValidationError):
            self._wants_sign_off = True
        self._failed(exc)

    def _signed_off(self, result: dto.SignOffResult) -> None:
        tr = self.tr
        self._show(result.assessment, fill=True)
        if result.risk_above_case:
            self.banner.show_message(tr(
                "Signed off. The assessed risk ({assessed}) is above the case's recorded risk "
                "({case}); the case was not changed — review its risk level.").format(
                    assessed=labels.vocab(RiskLevel, result.assessment.risk_level).lower(),
                    case=labels.vocab(RiskLevel, result.case_risk_level).lower()),
                Tone.WARNING)
        else:
            self.banner.show_message(tr("Signed off."), Tone.SUCCESS)
        self.changed.emit(result.assessment)

    # -- closing ----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        tr = self.tr
        if self.is_dirty and not Confirm.ask(
                self, tr("Close without saving?"),
                tr("What you typed since the draft was last saved will be lost."),
                tr("Close without saving")):
            event.ignore()
            return
        # Not QDialog's closeEvent: it would call reject(), and so close() again.
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Escape:  # closes, asking first when something is unsaved
            self.close()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        """Dismissed from outside (the window locks, the person signs out): no question
        may sit on top of a lock. Unsaved typing is kept in the hidden editor, which comes
        back when the assessment is opened again."""
        if self.is_dirty:
            self.hide()
        else:
            self.close()


def _load(me: Me, assessment_id: str
          ) -> tuple[dto.AssessmentDetail, tuple[dto.ReservedStanding, ...]]:
    """The assessment, and whether I may carry out each reserved function today (to say
    before anyone tries whether I may sign it off)."""
    return me.assessments.get(assessment_id), me.account.reserved_functions()


def _input_of(d: dto.AssessmentDetail) -> dto.AssessmentInput:
    return dto.AssessmentInput(risk_level=d.risk_level, strengths=d.strengths, needs=d.needs,
                               risks=d.risks, outcomes_wanted=d.outcomes_wanted,
                               analysis=d.analysis)
