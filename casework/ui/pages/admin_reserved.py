"""The reserved-function catalogue: what only a registered social worker may do, with the
accreditations and post-qualifying experience each function needs. An administrator may add
functions or strengthen a rule, never weaken one: the dialog offers only that."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from casework import fields
from casework.permissions import Accreditation
from casework.services import Me
from casework.dto import ReservedRuleInfo
from casework.ui import labels
from casework.ui.item_models.paged_table import PagedTableModel
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.form import FieldErrors, save_cancel
from casework.ui.widgets.table_page import TablePage
from casework.ui.widgets.tables import button, button_row, make_table


class RuleColumn(IntEnum):
    FUNCTION = 0
    ACCREDITATIONS = 1
    MIN_PQ = 2
    SOURCE = 3


def months_text(widget: QObject, months: int) -> str:
    if months == 0:
        return widget.tr("None")
    if months == 1:
        return widget.tr("1 month")
    return widget.tr("%1 months").replace("%1", str(months))


class RuleTableModel(PagedTableModel):
    def __init__(self, me: Me, runner: Runner, parent: QObject | None = None):
        super().__init__(runner, None, parent)
        self._me = me

    def headers(self) -> Sequence[str]:
        return (self.tr("Function"), self.tr("Required accreditations"),
                self.tr("Minimum post-qualifying experience"), self.tr("Source"))

    def fetch(self, query: None, offset: int, limit: int) -> Sequence[ReservedRuleInfo]:
        return self._me.admin.reserved_rules()[offset:offset + limit]

    def record_id(self, record: ReservedRuleInfo) -> str:
        return record.code

    def cell(self, r: ReservedRuleInfo, column: int) -> str:
        match RuleColumn(column):
            case RuleColumn.FUNCTION:
                return r.label
            case RuleColumn.ACCREDITATIONS:
                return (", ".join(labels.vocab(Accreditation, a) for a in r.accreditations)
                        or self.tr("None beyond registration"))
            case RuleColumn.MIN_PQ:
                return months_text(self, r.min_pq_months)
            case RuleColumn.SOURCE:
                return self.tr("Built in") if r.builtin else self.tr("Added")

    def tooltip(self, r: ReservedRuleInfo, column: int) -> str | None:
        return self.tr("Code: %1").replace("%1", r.code)


class RuleDialog(QDialog):
    """Add a reserved function, or strengthen an existing one (its current requirements are
    the floor: accreditations stay ticked, the months cannot go lower)."""

    saved = Signal(str)  # the code of the function added or strengthened

    def __init__(self, me: Me, runner: Runner, rules: Sequence[ReservedRuleInfo],
                 current: ReservedRuleInfo | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._me, self._runner = me, runner
        self._rules = {r.code: r for r in rules}
        tr = self.tr
        self.setWindowTitle(tr("Add or strengthen a reserved function"))
        self.banner = MessageBanner(self)
        self.errors = FieldErrors()
        self.function = QComboBox(self)
        self.function.addItem(tr("A new reserved function"), None)
        for rule in rules:
            self.function.addItem(rule.label, rule.code)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText(tr("for example: sign_off_secure_care"))
        self.code.setMaxLength(fields.CODE)
        self.label = QLineEdit(self)
        self.label.setMaxLength(fields.RULE_LABEL)
        self.accreditations = {kind: QCheckBox(labels.vocab(Accreditation, kind), self)
                               for kind in Accreditation}
        for kind, box in self.accreditations.items():
            box.setAccessibleName(labels.vocab(Accreditation, kind))
        acc_box = QWidget(self)
        acc_layout = QVBoxLayout(acc_box)
        acc_layout.setContentsMargins(0, 0, 0, 0)
        for box in self.accreditations.values():
            acc_layout.addWidget(box)
        self.months = QSpinBox(self)
        self.months.setRange(0, 600)
        self.months.setSuffix(tr(" months"))
        self.months.setAccessibleName(tr("Minimum post-qualifying experience in months"))

        acc_box.setFocusProxy(self.accreditations[Accreditation.MHO])
        form = QFormLayout()
        add = self.errors.add_row
        add(form, "function", tr("&Function:"), self.function)
        add(form, "code", tr("&Code:"), self.code)
        add(form, "label", tr("&Description:"), self.label)
        add(form, "accreditations", tr("Required accreditations:"), acc_box)
        add(form, "min_pq_months", tr("Minimum &post-qualifying experience:"), self.months)
        note = QLabel(tr("Every reserved function also needs a current registration on the "
                         "social worker part of the SSSC register. Requirements can be added "
                         "but not removed."), self)
        note.setWordWrap(True)

        self.buttons, self.save_button = save_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

        self.function.currentIndexChanged.connect(self._choose)
        if current is not None:
            self.function.setCurrentIndex(self.function.findData(current.code))
        self._choose()

    def _choose(self) -> None:
        """Set the floor for the chosen function; a new one starts from nothing."""
        rule = self._rules.get(self.function.currentData())
        self.errors.clear()
        self.code.setText(rule.code if rule else "")
        self.code.setReadOnly(rule is not None)
        self.label.setText(rule.label if rule else "")
        # A built-in function keeps its wording; only an added one can be reworded.
        self.label.setReadOnly(rule is not None and rule.builtin)
        held = set(rule.accreditations) if rule else set()
        for kind, box in self.accreditations.items():
            box.setChecked(kind in held)
            box.setEnabled(kind not in held)
        self.months.setMinimum(rule.min_pq_months if rule else 0)
        self.months.setValue(rule.min_pq_months if rule else 0)

    def save(self) -> None:
        self.errors.clear()
        self.banner.clear()
        self.save_button.setEnabled(False)
        accreditations = frozenset(k.value for k, box in self.accreditations.items()
                                   if box.isChecked())
        self._runner.run(self._me.admin.add_reserved_rule, self.code.text(), self.label.text(),
                         accreditations, self.months.value(), on_done=self._saved,
                         on_error=self._failed, owner=self)

    def _saved(self, rules: tuple[ReservedRuleInfo, ...]) -> None:
        code = self.code.text().strip().lower()  # as the service stores it
        self.saved.emit(code)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_failure(exc, self.banner, self.errors)


class ReservedRulesPage(TablePage):
    watches = frozenset({"reserved_rule"})

    def __init__(self, me: Me, runner: Runner, parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        tr = self.tr
        intro = QLabel(tr("Functions reserved to a registered social worker. Casework refuses "
                          "them to anyone whose registration has lapsed or who lacks what the "
                          "rule needs, whatever their job title."), self)
        intro.setWordWrap(True)
        self.model = RuleTableModel(me, runner, self)
        self.table = make_table(self.model, tr("Reserved functions"), self,
                                stretch=RuleColumn.FUNCTION)
        self.banner = MessageBanner(self)
        self.add_button = button(tr("&Add or strengthen rule…"), self)
        actions = button_row(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.banner)
        layout.addLayout(actions)
        self.add_button.clicked.connect(self.add)
        self.table.activated.connect(lambda _index: self.add())
        self._start()

    def title(self) -> str:
        return self.tr("Reserved functions")

    def add(self) -> None:
        """Opens on the selected function, if any: the usual reason is to strengthen it."""
        rules = [self.model.record(r) for r in range(self.model.rowCount())]
        self._open(RuleDialog(self._me, self._runner, rules, self.selected(), self), self._saved)

    def _saved(self, code: str) -> None:
        self.banner.show_message(self.tr("Saved. The rule applies from now on."), Tone.SUCCESS)
        self._reload_selecting(code)
