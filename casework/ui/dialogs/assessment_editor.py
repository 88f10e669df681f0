"""Starting an assessment, preparing its draft (sections, contributions in the
contributors' own words) and signing it off.

The editor says before anyone tries who may sign this kind of assessment off and whether the
signed-in person may: a para-professional prepares drafts, and statutory kinds and high
assessed risk are reserved to a qualified registered social worker. The service still
decides; a refusal it makes (a registration that lapsed since sign-in, say) is shown in the
banner and nothing typed is lost.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from casework import permissions as perm
from casework.services import Me, dto
from casework.timeutil import show_date, show_datetime
from casework.ui import labels
from casework.ui.item_models.assessment_table import ContributionTableModel, contributor_label
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.form import FieldErrors, save_cancel
from casework.ui.widgets.tables import button, make_table
from casework.vocab import AssessmentKind, ContributorRole, RiskLevel

MAX_TEXT = 20_000  # as the service allows
# The drafted sections, in the order a worker writes them.
SECTIONS = ("strengths", "needs", "risks", "outcomes_wanted", "analysis")


class Confirm:
    """Asks before something that cannot be undone. Tests replace `ask`."""

    @classmethod
    def ask(cls, parent: QWidget, title: str, text: str, verb: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
        yes = box.addButton(verb, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is yes


def _text_edit(parent: QWidget, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setTabChangesFocus(True)  # Tab moves on, as everywhere else: no keyboard trap
    edit.setPlaceholderText(placeholder)
    return edit


def _date_edit(parent: QWidget, name: str, value: date, *, latest: date | None = None) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setDateRange(QDate(1950, 1, 1), QDate(latest) if latest else QDate(2100, 12, 31))
    edit.setDate(QDate(value))
    edit.setAccessibleName(name)
    return edit


def _heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.3)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


# -- starting -----------------------------------------------------------------------------

class StartAssessmentDialog(QDialog):
    """Which kind, about which carer (for a carer's assessment), and who prepares it."""

    saved = Signal(object)  # the dto.AssessmentDetail started

    def __init__(self, me: Me, runner: Runner, case_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._me, self._runner, self._case_id = me, runner, case_id
        self._ready = False
        tr = self.tr
        self.setWindowTitle(tr("Start an assessment"))
        self.banner = MessageBanner(self)
        self.errors = FieldErrors()
        self.kind = QComboBox(self)
        for kind in AssessmentKind:
            self.kind.addItem(labels.vocab(AssessmentKind, kind), kind.value)
        self.carer = QComboBox(self)
        self.drafter = QComboBox(self)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        form = QFormLayout()
        self.errors.add_row(form, "kind", tr("&Kind of assessment:"), self.kind)
        self.errors.add_row(form, "carer_id", tr("&About the carer:"), self.carer)
        self.errors.add_row(form, "drafter_id", tr("&Prepared by:"), self.drafter)
        self.buttons, self.save_button = save_cancel(self, tr("&Start"))
        self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.banner.show_message(tr("Loading the person's carers and the team…"))
        runner.run(me.assessments.start_options, case_id, on_done=self._options_arrived,
                   on_error=self._failed, owner=self)

    def _options_arrived(self, options: dto.AssessmentStartOptions) -> None:
        tr = self.tr
        self.banner.clear()
        self.carer.clear()
        if options.carers:
            self.carer.addItem(tr("Choose the carer"), None)
            for c in options.carers:
                self.carer.addItem(tr("{name} ({relationship})").format(
                    name=c.name, relationship=c.relationship), c.id)
        else:
            self.carer.addItem(tr("No carers are recorded for this person"), None)
        self.drafter.clear()
        self.drafter.addItem(tr("Me"), None)
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
        self.carer.setEnabled(carers)
        self.errors.set("carer_id", "")
        if kind.statutory:
            self.hint.setText(self.tr("A statutory assessment: anyone in the team may prepare "
                                      "it; a registered social worker signs it off."))
        elif carers:
            self.hint.setText(self.tr("A carer's assessment is about one carer and needs "
                                      "their own view, in their words."))
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))

    def save(self) -> None:
        if not self._ready:
            return
        kind = self.kind.currentData()
        carer = self.carer.currentData() if kind == AssessmentKind.CARERS else None
        if kind == AssessmentKind.CARERS and carer is None:
            self.errors.show({"carer_id": self.tr("choose the carer the assessment is about")})
            return
        self.errors.clear()
        self.banner.clear()
        self.save_button.setEnabled(False)
        self._runner.run(self._me.assessments.start, self._case_id, kind, carer,
                         self.drafter.currentData(), on_done=self._saved,
                         on_error=self._failed, owner=self)

    def _saved(self, detail: dto.AssessmentDetail) -> None:
        self.saved.emit(detail)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(self._ready)
        show_failure(exc, self.banner, self.errors)


# -- contributions ------------------------------------------------------------------------

class ContributionDialog(QDialog):
    """Who contributed and what they said, in their words. Saves through the service and
    stays open, with everything typed, until the service accepts it."""

    saved = Signal(object)  # the dto.AssessmentDetail after the change

    def __init__(self, me: Me, runner: Runner, detail: dto.AssessmentDetail,
                 contribution: dto.ContributionInfo | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._me, self._runner = me, runner
        self._detail, self._contribution = detail, contribution
        self._touched: set[str] = set()
        tr = self.tr
        self.setWindowTitle(tr("Add a contribution") if contribution is None
                            else tr("Edit a contribution"))
        self.banner = MessageBanner(self)
        self.errors = FieldErrors()
        self.contributor = QComboBox(self)
        for role in ContributorRole:
            self.contributor.addItem(contributor_label(role), role.value)
        self.key_person = QComboBox(self)
        self.name = QLineEdit(self)
        self.name.setMaxLength(200)
        today = me.today()
        self.given_on = _date_edit(self, tr("Given on"), today, latest=today)
        self.words = _text_edit(self, tr("What they said, in their own words"))
        self.words.setMinimumHeight(160)
        form = QFormLayout()
        add = self.errors.add_row
        add(form, "contributor", tr("&Contributor:"), self.contributor)
        add(form, "key_person_id", tr("&Key person:"), self.key_person)
        add(form, "name", tr("&Name:"), self.name)
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
        self._fill_key_people()
        if contribution is not None:
            index = self.key_person.findData(contribution.key_person_id)
            self.key_person.setCurrentIndex(max(index, 0))
            self.name.setText(contribution.name)
            self.given_on.setDate(QDate(contribution.given_on))
            self.words.setPlainText(contribution.contribution)
        self.contributor.currentIndexChanged.connect(self._contributor_changed)
        self.key_person.currentIndexChanged.connect(self._key_person_changed)
        self.name.textEdited.connect(lambda _t: self._edited("name"))
        self.words.textChanged.connect(lambda: self._edited("contribution"))
        self._show_name_hint()

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

    def _contributor_changed(self) -> None:
        self._fill_key_people()
        self._show_name_hint()
        if "name" in self._touched:
            self._edited("name")

    def _key_person_changed(self) -> None:
        self._show_name_hint()

    def _show_name_hint(self) -> None:
        """A blank name is filled in by the service: show what it will be."""
        role = self._role()
        key_person = self.key_person.currentData()
        if role == ContributorRole.PERSON:
            hint = self._detail.person_name
        elif role == ContributorRole.WORKER:
            hint = self.tr("You")
        elif key_person is not None:
            hint = self.key_person.currentText().split(" (")[0]
        else:
            hint = self.tr("Their name, and the agency they speak for")
        self.name.setPlaceholderText(hint)

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        problems = self._local_problems()
        self.errors.show({k: v for k, v in problems.items() if k in self._touched}, focus=False)

    def _local_problems(self) -> dict[str, str]:
        problems = {}
        role = self._role()
        if (not self.name.text().strip() and self.key_person.currentData() is None
                and role in (ContributorRole.CARER, ContributorRole.OTHER)):
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

    def save(self) -> None:
        problems = self._local_problems()
        if problems:
            self._touched.update(problems)
            self.errors.show(problems)
            return
        self.errors.clear()
        self.banner.clear()
        self.save_button.setEnabled(False)
        service = self._me.assessments
        if self._contribution is None:
            self._runner.run(service.add_contribution, self._detail.id, self.data(),
                             on_done=self._saved, on_error=self._failed, owner=self)
        else:
            self._runner.run(service.update_contribution, self._contribution.id, self.data(),
                             self._contribution.row_version, on_done=self._saved,
                             on_error=self._failed, owner=self)

    def _saved(self, detail: dto.AssessmentDetail) -> None:
        self.saved.emit(detail)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_failure(exc, self.banner, self.errors)


# -- the editor ---------------------------------------------------------------------------

# Assessment id -> its open editor: opening it again brings that one forward.
_open_editors: dict[str, "AssessmentEditor"] = {}


class AssessmentEditor(QDialog):
    """One assessment: its sections, its contributions, and sign-off. Opened beside the
    case window (not modal), so the case stays readable while writing."""

    loaded = Signal()  # the assessment arrived (or failed to)
    changed = Signal(object)  # a dto.AssessmentDetail the service returned after a change

    @classmethod
    def present(cls, me: Me, runner: Runner, assessment_id: str,
                parent: QWidget | None = None) -> "AssessmentEditor":
        """Open the editor for an assessment (or bring forward the one already open)."""
        existing = _open_editors.get(assessment_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
        editor = cls(me, runner, assessment_id, parent)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _open_editors[assessment_id] = editor
        editor.destroyed.connect(lambda *_: _open_editors.pop(assessment_id, None))
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
        self._touched: set[str] = set()
        self.setWindowTitle(self.tr("Assessment"))
        self.setAccessibleName(self.tr("Assessment"))
        self._build()
        self._set_editable(False)
        self.banner.show_message(self.tr("Loading the assessment…"))
        runner.run(me.assessments.get, assessment_id, on_done=self._arrived,
                   on_error=self._load_failed, owner=self)

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        self.banner = MessageBanner(self)
        self.errors = FieldErrors()
        self.heading = _heading("", self)
        self.heading.setAccessibleName(tr("Assessment"))
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName(tr("Status"))
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # Sections, in a scroll area: long text must never squeeze the rest out.
        self.risk = QComboBox(self)
        self.risk.addItem(tr("Not yet assessed"), None)
        for level in RiskLevel:
            self.risk.addItem(labels.vocab(RiskLevel, level), level.value)
        self.sections: dict[str, QPlainTextEdit] = {}
        content = QWidget(self)
        column = QVBoxLayout(content)
        risk_row = QHBoxLayout()
        risk_caption = QLabel(tr("Assessed &risk:"), content)
        risk_caption.setBuddy(self.risk)
        risk_row.addWidget(risk_caption)
        risk_row.addWidget(self.risk)
        risk_row.addStretch(1)
        column.addLayout(risk_row)
        column.addWidget(self.errors.add("risk_level", tr("Assessed risk"), self.risk))
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
        for key in SECTIONS:
            caption_text, placeholder = captions[key]
            edit = _text_edit(content, placeholder)
            edit.setMinimumHeight(90)
            caption = QLabel(caption_text, content)
            caption.setBuddy(edit)
            self.sections[key] = edit
            column.addWidget(caption)
            column.addWidget(edit, 1)
            column.addWidget(self.errors.add(key, caption_text.replace("&", ""), edit))
            edit.textChanged.connect(lambda k=key: self._edited(k))
        self.risk.currentIndexChanged.connect(lambda _i: self._edited("risk_level"))
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        # Contributions: who said what, in their words.
        contributions_box = QGroupBox(tr("Contributions"), self)
        self.contributions_model = ContributionTableModel(self)
        self.contributions = make_table(self.contributions_model, tr("Contributions"),
                                        contributions_box)
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
        box_layout.addWidget(self.errors.add("contributions", tr("Contributions"),
                                             self.contributions))
        box_layout.addLayout(row)
        self.add_button.clicked.connect(self.add_contribution)
        self.edit_button.clicked.connect(self.edit_contribution)
        self.remove_button.clicked.connect(self.remove_contribution)
        self.contributions.activated.connect(lambda _i: self.edit_contribution())
        self.contributions.selectionModel().selectionChanged.connect(self._update_buttons)

        # Sign-off: who may, whether I may, and what is still missing.
        self.sign_off_box = QGroupBox(tr("Sign-off"), self)
        self.sign_off_rule = QLabel(self.sign_off_box)
        self.sign_off_rule.setWordWrap(True)
        self.sign_off_rule.setAccessibleName(tr("Who signs this off"))
        self.sign_off_rule.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.missing = QLabel(self.sign_off_box)
        self.missing.setWordWrap(True)
        self.missing.setAccessibleName(tr("What is still needed before sign-off"))
        sign_layout = QVBoxLayout(self.sign_off_box)
        sign_layout.addWidget(self.sign_off_rule)
        sign_layout.addWidget(self.missing)

        right = QVBoxLayout()
        right.addWidget(contributions_box, 1)
        right.addWidget(self.sign_off_box)
        columns = QHBoxLayout()
        columns.addWidget(scroll, 3)
        columns.addLayout(right, 2)

        self.save_button = button(tr("Save &draft"), self)
        self.sign_off_button = button(tr("Sign o&ff…"), self)
        self.close_button = button(tr("&Close"), self)
        self.save_button.clicked.connect(self.save_draft)
        self.sign_off_button.clicked.connect(self.sign_off)
        self.close_button.clicked.connect(self.close)
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.sign_off_button.setAutoDefault(False)
        self.close_button.setAutoDefault(False)
        footer = QHBoxLayout()
        footer.addWidget(self.save_button)
        footer.addWidget(self.sign_off_button)
        footer.addStretch(1)
        footer.addWidget(self.close_button)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save_draft)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.heading)
        layout.addWidget(self.status_label)
        layout.addLayout(columns, 1)
        layout.addLayout(footer)
        self.resize(1120, 780)

    # -- showing the assessment -------------------------------------------------------------

    def _arrived(self, detail: dto.AssessmentDetail) -> None:
        self.banner.clear()
        self._show(detail, fill=True)
        self.is_loaded = True
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        show_failure(exc, self.banner)
        self.is_loaded = True
        self.loaded.emit()

    def _show(self, detail: dto.AssessmentDetail, *, fill: bool) -> None:
        """Show what the service returned. `fill` puts its text in the fields (on opening,
        after a save, or a reload); otherwise what is typed stays as it is."""
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
            for key, edit in self.sections.items():
                edit.blockSignals(True)
                edit.setPlainText(getattr(detail, key) or "")
                edit.blockSignals(False)
            self.risk.blockSignals(True)
            self.risk.setCurrentIndex(max(self.risk.findData(detail.risk_level), 0))
            self.risk.blockSignals(False)
            self._touched.clear()
            self.errors.clear()
        self.contributions_model.set_rows(detail.contributions)
        self.contributions.resizeColumnsToContents()
        started = tr("Started {date} by {name}").format(date=show_date(detail.started_on),
                                                        name=detail.created_by_name)
        if detail.is_draft:
            prepared = (tr("prepared by {name}").format(name=detail.drafter_name)
                        if detail.drafter_name else "")
            status = tr("Draft. {started}{prepared}.").format(
                started=started, prepared=f"; {prepared}" if prepared else "")
        else:
            status = tr("Signed off by {name} on {when}; it can no longer change. {started}.").format(
                name=detail.signed_off_by_name or "", when=show_datetime(detail.signed_off_at),
                started=started)
        self.status_label.setText(status)
        self._set_editable(detail.is_draft)
        self._update_sign_off()

    def _set_editable(self, editable: bool) -> None:
        for edit in self.sections.values():
            edit.setReadOnly(not editable)
        self.risk.setEnabled(editable)
        for b in (self.add_button, self.edit_button, self.remove_button, self.save_button,
                  self.sign_off_button):
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
        else:
            self.missing.setText(self.tr("Everything sign-off needs is recorded."))

    def _sign_off_rule(self, kind: str, risk: str | None) -> tuple[bool, str]:
        """Who may sign this kind (at this risk) off, and whether the signed-in person may,
        as their capabilities said at sign-in. The service decides again on the day."""
        tr = self.tr
        me = self._me
        if not me.can(perm.Action.SIGN_OFF_ASSESSMENT):
            return False, tr("A registered social worker signs this off; you may prepare "
                             "the draft.")
        functions = perm.sign_off_functions(kind, risk)
        if not functions:
            return True, tr("A social worker, senior practitioner or team leader of the "
                            "case's team signs this off. You may sign it off.")
        what = "; ".join(self._function_words(f) for f in functions)
        rule = tr("Signing this off is reserved to a registered social worker ({what}).").format(
            what=what)
        if all(me.can(f) for f in functions):
            return True, rule + " " + tr("You may sign it off.")
        return False, rule + " " + tr("You may prepare the draft, but you do not qualify to "
                                      "sign it off today: My account says why.")

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
        """What sign-off still needs, from what is on screen now (the service checks what is
        saved)."""
        tr = self.tr
        d = self.detail
        assert d is not None
        missing: dict[str, str] = {}
        if not self.sections["needs"].toPlainText().strip():
            missing["needs"] = tr("the person's needs")
        if not self.sections["outcomes_wanted"].toPlainText().strip():
            missing["outcomes_wanted"] = tr("the outcomes the person wants")
        if self.risk.currentData() is None:
            missing["risk_level"] = tr("the assessed risk")
        kinds = {(c.contributor, c.key_person_id) for c in d.contributions}
        if not kinds:
            missing["contributions"] = tr("at least one contribution")
        elif d.kind == AssessmentKind.SELF_ASSESSMENT and not any(
                r == ContributorRole.PERSON for r, _k in kinds):
            missing["contributions"] = tr("the person's own contribution")
        elif d.kind == AssessmentKind.CARERS and (ContributorRole.CARER, d.carer_id) not in kinds:
            missing["contributions"] = tr("{carer}'s own contribution, as the carer").format(
                carer=d.carer_name or tr("the carer"))
        return missing

    # -- editing ----------------------------------------------------------------------------

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        problems = {k: self.tr("must be at most {n} characters").format(n=MAX_TEXT)
                    for k, e in self.sections.items() if len(e.toPlainText()) > MAX_TEXT}
        self.errors.show({k: v for k, v in problems.items() if k in self._touched}, focus=False)
        if self.detail is not None:
            self._update_sign_off()

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
        self.banner.clear()
        self.errors.clear()
        self.save_button.setEnabled(False)
        self._runner.run(self._me.assessments.update_draft, self._id, self.data(),
                         self.detail.row_version, on_done=self._draft_saved,
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
        self._show(detail, fill=True)
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
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._contributions_changed)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

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
        self.errors.set("contributions", "")
        self.changed.emit(detail)

    # -- sign-off ---------------------------------------------------------------------------

    def sign_off(self) -> None:
        """Save what is typed, then ask the service to sign off. Called with the button
        disabled (capabilities taken at sign-in are stale), it still asks, and shows the
        service's answer."""
        d = self.detail
        if d is None or not d.is_draft:
            return
        tr = self.tr
        missing = self._missing()
        if missing:
            self.errors.show({k: tr("needed before sign-off") for k in missing})
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
        if self.is_dirty:
            self._runner.run(self._me.assessments.update_draft, self._id, self.data(),
                             d.row_version, on_done=self._saved_then_sign_off,
                             on_error=self._failed, owner=self)
        else:
            self._request_sign_off(d.row_version)

    def _saved_then_sign_off(self, detail: dto.AssessmentDetail) -> None:
        self._show(detail, fill=True)
        self.changed.emit(detail)
        self._request_sign_off(detail.row_version)

    def _request_sign_off(self, version: int) -> None:
        self._runner.run(self._me.assessments.sign_off, self._id, version,
                         on_done=self._signed_off, on_error=self._failed, owner=self)

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
        super().closeEvent(event)

    def reject(self) -> None:  # Escape closes, asking first when something is unsaved
        self.close()


def _input_of(d: dto.AssessmentDetail) -> dto.AssessmentInput:
    return dto.AssessmentInput(risk_level=d.risk_level, strengths=d.strengths, needs=d.needs,
                               risks=d.risks, outcomes_wanted=d.outcomes_wanted,
                               analysis=d.analysis)
