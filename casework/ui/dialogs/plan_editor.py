"""The small dialogs that change a plan: an outcome in the person's words, an action towards
it (what, who, by when), marking an action done, and moving the next review date.

Each checks what it can as the person types (only fields already touched), saves through
`me.plans`, and stays open with everything typed until the service accepts. A refusal shows
under the field it names, or in the banner; a conflict offers to reload. Closing with
unsaved typing asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
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
from casework.timeutil import show_date
from casework.ui import labels
from casework.ui.item_models.plan_tables import review_due_words
from casework.ui.tasks import Runner
from casework.ui.widgets import dates
from casework.ui.widgets.banner import Tone
from casework.ui.widgets.dates import OptionalDateEdit
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.form import save_cancel
from casework.ui.widgets.form_dialog import FormDialog
from casework.ui.widgets.text_box import text_box, too_long

# Whoever owns an action when it is not a member of staff: the person, a carer, a provider.
SOMEONE_ELSE = "someone_else"


def date_edit(parent: QWidget, name: str, value: date, *, earliest: date | None = None,
              latest: date | None = None) -> QDateEdit:
    """A plan's date: as wide as a date, not the whole line."""
    edit = dates.date_edit(parent, name, value, earliest=earliest, latest=latest)
    edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return edit


def quoted(parent: QWidget, text: str, name: str) -> QLabel:
    """What the dialog is about (an outcome, an action), in bold, as it was written."""
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


class PlanDialog(FormDialog):
    """What every plan dialog shares beyond a form dialog's: the case it changes, the one
    layout, checks of the fields that depend on the one edited, and reloading the plan
    after a conflict. A subclass builds its fields and says `data()`,
    `_local_problems()`, `_request()` and, where a conflict can happen, `_reloaded()`."""

    # Fields whose check depends on another field: editing the key re-checks these too.
    DEPENDENT: dict[str, tuple[str, ...]] = {}

    def __init__(self, me: Me, runner: Runner, case_id: str, title: str,
                 parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self._case_id = case_id
        self._saved_data: Any = None  # what the fields held when filled from the service
        self.setWindowTitle(title)
        self.setAccessibleName(title)

    def _finish(self, *parts: QWidget | QFormLayout, save_text: str | None = None,
                tallest: QWidget | None = None) -> None:
        """Lay out the banner, `parts` and the buttons; `tallest` (if any) takes the height
        left over, else the space goes below the fields."""
        self.buttons, self.save_button = save_cancel(self, save_text)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        for part in parts:
            if isinstance(part, QFormLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part, 1 if part is tallest else 0)
        if tallest is None:
            layout.addStretch(1)
        layout.addWidget(self.buttons)

    # -- what a subclass says -------------------------------------------------------------

    def data(self) -> Any:
        raise NotImplementedError

    def _reloaded(self, plan: dto.PlanInfo) -> None:
        raise NotImplementedError

    # -- checking and saving ----------------------------------------------------------------

    def baseline(self) -> Any:
        """What `data()` is when nothing has been typed since the service's version was
        shown."""
        return self.data()

    def _filled(self) -> None:
        """The fields now hold what the service has: that is what 'unsaved' is measured
        against."""
        self._saved_data = self.baseline()
        self._touched.clear()
        self.errors.clear()

    @property
    def is_dirty(self) -> bool:
        return self._saved_data is not None and self.data() != self._saved_data

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        self._recheck((key, *self.DEPENDENT.get(key, ())))

    def _conflict_reload(self) -> Callable[[], None]:
        return self.reload

    def reload(self) -> None:
        """After a conflict, and only when asked: the plan as saved now replaces what is on
        screen."""
        self._runner.run(self._me.plans.plan, self._case_id, on_done=self._reloaded,
                         on_error=self._failed, owner=self)

    def _show_latest(self) -> None:
        self.banner.show_message(self.tr("This shows the latest saved version. Make your "
                                         "changes again and save."))

    def _gone(self, text: str) -> None:
        """What this dialog changes can no longer be changed (ended, done, removed)."""
        self.banner.show_message(text, Tone.WARNING)
        self.save_button.setEnabled(False)
        self._saved_data = self.data()  # nothing here can be saved: closing loses nothing


# -- outcomes -----------------------------------------------------------------------------

class OutcomeDialog(PlanDialog):
    """An outcome the person wants, in their words where possible."""

    def __init__(self, me: Me, runner: Runner, case_id: str,
                 outcome: dto.OutcomeInfo | None = None, parent: QWidget | None = None):
        super().__init__(me, runner, case_id, "", parent)
        tr = self.tr
        self._outcome = outcome
        self.setWindowTitle(tr("Add an outcome") if outcome is None else tr("Edit an outcome"))
        self.setAccessibleName(self.windowTitle())
        self.hint = QLabel(tr("What the person wants to achieve, in their own words where "
                              "possible: “Get back to the Tuesday lunch club”, not “attend "
                              "day care”."), self)
        self.hint.setWordWrap(True)
        self.description = text_box(self, tr("In the person's words"), name=tr("Outcome"),
                                    min_height=120)
        form = QFormLayout()
        self.errors.add_row(form, "description", tr("&Outcome:"), self.description)
        self._finish(self.hint, form)
        self.setMinimumWidth(560)
        if outcome is not None:
            self.description.setPlainText(outcome.description)
        self._filled()
        self.description.textChanged.connect(lambda: self._edited("description"))

    def data(self) -> str:
        return self.description.toPlainText().strip()

    def _local_problems(self) -> dict[str, str]:
        text = self.data()
        if not text:
            return {"description": self.tr("say what the person wants to achieve")}
        if (problem := too_long(text, fields.DESCRIPTION)):
            return {"description": problem}
        return {}

    def _request(self) -> tuple:
        plans = self._me.plans
        if self._outcome is None:
            return plans.add_outcome, self._case_id, self.data()
        return plans.update_outcome, self._outcome.id, self.data(), self._outcome.row_version

    def _reloaded(self, plan: dto.PlanInfo) -> None:
        assert self._outcome is not None  # only an edit can conflict
        live = {o.id: o for o in plan.outcomes}
        outcome = live.get(self._outcome.id)
        if outcome is None:
            self._gone(self.tr("This outcome has ended since you opened it; it is kept as it "
                               "was reviewed."))
            return
        self._outcome = outcome
        self.description.blockSignals(True)
        self.description.setPlainText(outcome.description)
        self.description.blockSignals(False)
        self._filled()
        self.save_button.setEnabled(True)
        self._show_latest()


# -- actions ------------------------------------------------------------------------------

class ActionDialog(PlanDialog):
    """An action towards an outcome: what will be done, who does it (a member of the team, or
    someone named such as the person, a carer or a provider) and, if agreed, by when."""

    DEPENDENT = {"owner_staff_id": ("owner_name",)}

    def __init__(self, me: Me, runner: Runner, case_id: str, outcome: dto.OutcomeInfo,
                 action: dto.PlanActionInfo | None = None, parent: QWidget | None = None):
        super().__init__(me, runner, case_id, "", parent)
        tr = self.tr
        self._outcome, self._action = outcome, action
        self._ready = False
        self.setWindowTitle(tr("Add an action") if action is None else tr("Edit an action"))
        self.setAccessibleName(self.windowTitle())
        self.towards = quoted(self, tr("Towards: {outcome}").format(outcome=outcome.description),
                              tr("Outcome"))
        # Capped: the other fields need the room.
        self.description = text_box(self, tr("What will be done"), name=tr("Action"),
                                    min_height=70, max_height=110)
        self.owner = QComboBox(self)
        self.owner.setAccessibleName(tr("Who will do it"))
        self.owner_name = QLineEdit(self)
        self.owner_name.setMaxLength(fields.CONTRIBUTOR)
        self.owner_name.setPlaceholderText(tr("The person, a carer, a provider: their name"))
        self.owner_name.setAccessibleName(tr("Name of who will do it"))
        self.due = OptionalDateEdit(tr("Due"), self)
        self.due.setAccessibleName(tr("Due"))
        self.due.set_value(None)
        self.due.edit.setDate(QDate(me.today()))
        self.due.setMaximumWidth(220)
        due_cell = QWidget(self)
        due_row = QHBoxLayout(due_cell)
        due_row.setContentsMargins(0, 0, 0, 0)
        due_row.addWidget(self.due)
        due_hint = QLabel(tr("Tick to set a date, if one was agreed"), due_cell)
        due_row.addWidget(due_hint, 1)
        due_cell.setFocusProxy(self.due)
        form = QFormLayout()
        self.form = form
        add = self.errors.add_row
        add(form, "description", tr("&Action:"), self.description)
        add(form, "owner_staff_id", tr("&Who:"), self.owner)
        self.owner_name_caption = add(form, "owner_name", tr("&Name:"), self.owner_name)
        add(form, "due_on", tr("D&ue:"), due_cell)
        self._finish(self.towards, form)
        self.setMinimumWidth(600)

        self.owner.addItem(tr("Loading the team…"), None)
        self.save_button.setEnabled(False)
        if action is not None:
            self.description.setPlainText(action.description)
            self.due.set_value(action.due_on)
        self._owner_changed()
        self._filled()
        self.description.textChanged.connect(lambda: self._edited("description"))
        self.owner.currentIndexChanged.connect(self._owner_chosen)
        self.owner_name.textEdited.connect(lambda _t: self._edited("owner_name"))
        self.due.check.toggled.connect(lambda _on: self._edited("due_on"))
        self.due.edit.dateChanged.connect(lambda _d: self._edited("due_on"))
        runner.run(me.plans.owners, case_id, on_done=self._owners_arrived,
                   on_error=self._owners_failed, owner=self)

    def _owners_arrived(self, owners: tuple[dto.StaffChoice, ...]) -> None:
        tr = self.tr
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem(tr("Choose who will do it"), None)
        for o in owners:
            self.owner.addItem(tr("{name} ({role})").format(name=o.display_name,
                                                            role=labels.role(o.role)), o.id)
        a = self._action
        if a is not None and a.owner_staff_id and self.owner.findData(a.owner_staff_id) < 0:
            # Kept as it was; the service asks for someone of the team now.
            self.owner.addItem(tr("{name} (no longer in the team)").format(name=a.owner_name),
                               a.owner_staff_id)
        self.owner.addItem(tr("Someone else, named below"), SOMEONE_ELSE)
        self._select_owner()
        self.owner.blockSignals(False)
        self._owner_changed()
        self._ready = True
        self.save_button.setEnabled(True)

    def _owners_failed(self, exc: BaseException) -> None:
        self.owner.clear()
        self.owner.addItem(self.tr("The team could not be read"), None)
        show_failure(exc, self.banner)

    def _select_owner(self) -> None:
        a = self._action
        if a is None:
            self.owner.setCurrentIndex(0)
        elif a.owner_staff_id:
            self.owner.setCurrentIndex(max(self.owner.findData(a.owner_staff_id), 0))
        else:
            self.owner.setCurrentIndex(self.owner.findData(SOMEONE_ELSE))
            self.owner_name.setText(a.owner_name)

    def _owner_chosen(self) -> None:
        self._owner_changed()
        self._edited("owner_staff_id")

    def _owner_changed(self) -> None:
        named = self.owner.currentData() == SOMEONE_ELSE
        self.form.setRowVisible(self.owner_name_caption, named)  # asked only when it is needed
        if not named:
            self.errors.set("owner_name", "")

    def baseline(self) -> dto.ActionInput:
        a = self._action
        if a is None:
            return dto.ActionInput(description="")
        return dto.ActionInput(description=a.description, owner_staff_id=a.owner_staff_id,
                               owner_name=None if a.owner_staff_id else a.owner_name,
                               due_on=a.due_on)

    def data(self) -> dto.ActionInput:
        choice = self.owner.currentData()
        named = choice == SOMEONE_ELSE
        return dto.ActionInput(
            description=self.description.toPlainText().strip(),
            owner_staff_id=None if named else choice,
            owner_name=self.owner_name.text().strip() if named else None,
            due_on=self.due.value())

    def _local_problems(self) -> dict[str, str]:
        tr = self.tr
        d = self.data()
        p: dict[str, str] = {}
        if not d.description:
            p["description"] = tr("say what will be done")
        elif (problem := too_long(d.description, fields.DESCRIPTION)):
            p["description"] = problem
        choice = self.owner.currentData()
        if choice is None:
            p["owner_staff_id"] = tr("say who will do it: a member of the team, or someone "
                                     "named")
        elif choice == SOMEONE_ELSE and not d.owner_name:
            p["owner_name"] = tr("say who will do it: the person, a carer, a provider")
        previous = self._action.due_on if self._action else None
        if d.due_on is not None and d.due_on != previous and d.due_on < self._me.today():
            # A new due date in the past would be overdue the moment it is saved.
            p["due_on"] = tr("must not be in the past")
        return p

    def _can_save(self) -> bool:
        return self._ready

    def _request(self) -> tuple:
        plans = self._me.plans
        if self._action is None:
            return plans.add_action, self._outcome.id, self.data()
        return plans.update_action, self._action.id, self.data(), self._action.row_version

    def _reloaded(self, plan: dto.PlanInfo) -> None:
        assert self._action is not None  # only an edit can conflict
        action = _find_action(plan, self._action.id)
        if action is None:
            self._gone(self.tr("This action is no longer in the plan."))
            return
        if action.done_on is not None:
            self._gone(self.tr("This action was marked done on {date}; it is kept as it "
                               "was.").format(date=show_date(action.done_on)))
            return
        self._action = action
        for w in (self.description, self.owner, self.owner_name, self.due.check, self.due.edit):
            w.blockSignals(True)
        self.description.setPlainText(action.description)
        self.owner_name.clear()
        self._select_owner()
        self.due.set_value(action.due_on)
        for w in (self.description, self.owner, self.owner_name, self.due.check, self.due.edit):
            w.blockSignals(False)
        self._owner_changed()
        self._filled()
        self.save_button.setEnabled(True)
        self._show_latest()


class DoneDialog(PlanDialog):
    """Marking an action done, on the day it was done (not a day still to come)."""

    def __init__(self, me: Me, runner: Runner, case_id: str, action: dto.PlanActionInfo,
                 parent: QWidget | None = None):
        super().__init__(me, runner, case_id, "", parent)
        tr = self.tr
        self._action = action
        self.setWindowTitle(tr("Mark an action done"))
        self.setAccessibleName(self.windowTitle())
        today = me.today()
        self.what = quoted(self, action.description, tr("Action"))
        self.who = QLabel(tr("By {name}").format(name=action.owner_name), self)
        self.who.setWordWrap(True)
        self.done_on = date_edit(self, tr("Done on"), today, latest=today)
        form = QFormLayout()
        self.errors.add_row(form, "done_on", tr("&Done on:"), self.done_on)
        self._finish(self.what, self.who, form, save_text=tr("&Mark done"))
        self.setMinimumWidth(480)
        self._filled()
        self.done_on.dateChanged.connect(lambda _d: self._edited("done_on"))

    def data(self) -> date:
        return self.done_on.date().toPython()

    def _local_problems(self) -> dict[str, str]:
        if self.data() > self._me.today():
            return {"done_on": self.tr("must not be in the future")}
        return {}

    def _request(self) -> tuple:
        return (self._me.plans.complete_action, self._action.id, self.data(),
                self._action.row_version)

    def _reloaded(self, plan: dto.PlanInfo) -> None:
        action = _find_action(plan, self._action.id)
        if action is None:
            self._gone(self.tr("This action is no longer in the plan."))
        elif action.done_on is not None:
            self._gone(self.tr("This action was already marked done on {date}.").format(
                date=show_date(action.done_on)))
        else:
            self._action = action
            self.save_button.setEnabled(True)
            self.banner.show_message(self.tr("The action was changed meanwhile: check it and "
                                             "mark it done again."))
            self.what.setText(action.description)
            self.who.setText(self.tr("By {name}").format(name=action.owner_name))


class NextReviewDialog(PlanDialog):
    """Moving the next review date, which the caseloads show as due or overdue."""

    def __init__(self, me: Me, runner: Runner, plan: dto.PlanInfo,
                 parent: QWidget | None = None):
        super().__init__(me, runner, plan.case_id, "", parent)
        tr = self.tr
        self._plan = plan
        self.setWindowTitle(tr("Change the next review date"))
        self.setAccessibleName(self.windowTitle())
        today = me.today()
        self.now_label = QLabel(self)
        self.now_label.setWordWrap(True)
        self.now_label.setAccessibleName(tr("The next review date now"))
        self.hint = QLabel(tr("The caseloads show a review as due in the fortnight before "
                              "this date, and as overdue after it."), self)
        self.hint.setWordWrap(True)
        self.next_review_on = date_edit(self, tr("Next review"), today, earliest=today)
        form = QFormLayout()
        self.errors.add_row(form, "next_review_on", tr("&Next review:"), self.next_review_on)
        self._finish(self.now_label, form, self.hint)
        self.setMinimumWidth(480)
        self._fill(plan)
        self.next_review_on.dateChanged.connect(lambda _d: self._edited("next_review_on"))

    def _fill(self, plan: dto.PlanInfo) -> None:
        tr = self.tr
        today = self._me.today()
        current = plan.next_review_on
        self.now_label.setText(
            tr("The next review is on {date}: {when}.").format(
                date=show_date(current), when=review_due_words(current, today).lower())
            if current else tr("No next review date is set."))
        self.next_review_on.blockSignals(True)
        self.next_review_on.setDate(QDate(current if current and current >= today else today))
        self.next_review_on.blockSignals(False)
        self._filled()

    def data(self) -> date:
        return self.next_review_on.date().toPython()

    def _local_problems(self) -> dict[str, str]:
        if self.data() < self._me.today():
            return {"next_review_on": self.tr("must not be in the past")}
        return {}

    def _request(self) -> tuple:
        return (self._me.plans.set_next_review, self._case_id, self.data(),
                self._plan.case_row_version)

    def _reloaded(self, plan: dto.PlanInfo) -> None:
        self._plan = plan
        self._fill(plan)
        self.save_button.setEnabled(True)
        self._show_latest()


def _find_action(plan: dto.PlanInfo, action_id: str) -> dto.PlanActionInfo | None:
    for o in (*plan.outcomes, *plan.ended_outcomes):
        for a in o.actions:
            if a.id == action_id:
                return a
    return None
