"""The person's details and the people around them: editing the person (with the same CHI
check as a referral) and adding or editing a key person or carer.

Both dialogs check as the person types (only fields already touched) and again on save;
the service decides, and what it refuses shows under the field it names, with everything
typed kept. A change someone else saved first is offered for reloading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from casework import birth, fields
from casework.chi import chi_problem
from casework import dto
from casework.services import Me
from casework.ui import labels
from casework.ui.item_models.key_people_table import plan_name
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import Tone
from casework.ui.widgets.dates import date_edit
from casework.ui.widgets.form import save_cancel
from casework.ui.widgets.form_dialog import FittingDialog
from casework.ui.widgets.text_box import text_box, too_long
from casework.vocab import KeyPersonKind, SupportPlanStatus

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}



def _tr(text: str) -> str:
    return QCoreApplication.translate("person_editor", text)


# -- dates typed as people write them ------------------------------------------------------

class DateProblem(ValueError):
    """What is wrong with a typed date, in words."""


def parse_date(text: str) -> date | None:
    """A date typed day first ("14/03/1950", "14.3.1950", "14 Mar 1950", "14031950") or
    as ISO ("1950-03-14"); None for nothing typed. Raises DateProblem."""
    t = text.strip()
    if not t:
        return None
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", t):
        year, month, day = (int(x) for x in t.split("-"))
    elif re.fullmatch(r"\d{8}", t):
        day, month, year = int(t[:2]), int(t[2:4]), int(t[4:])
    else:
        parts = [p for p in re.split(r"[/.\-\s]+", t) if p]
        if len(parts) != 3:
            raise DateProblem(_tr("write it as day/month/year, such as 14/03/1950"))
        d, m, y = parts
        month = int(m) if m.isdigit() else _MONTHS.get(m[:3].lower(), 0)
        if not (d.isdigit() and y.isdigit()) or not month:
            raise DateProblem(_tr("write it as day/month/year, such as 14/03/1950"))
        if len(y) != 4:
            raise DateProblem(_tr("write the year in full, such as 1950"))
        day, year = int(d), int(y)
    try:
        return date(year, month, day)
    except ValueError:
        raise DateProblem(_tr("is not a real date")) from None


def show_typed_date(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def birth_date_problem(text: str, today: date) -> str | None:
    """What is wrong with a typed date of birth: as a date, then by the service's rule."""
    try:
        born = parse_date(text)
    except DateProblem as e:
        return str(e)
    return birth.birth_date_problem(born, today)


def birth_date_or_none(text: str, today: date) -> date | None:
    """The typed date of birth when it is one the service would take, else None."""
    if birth_date_problem(text, today) is not None:
        return None
    return parse_date(text)


def identity_problems(given: str, family: str, born_text: str, chi_text: str,
                      today: date) -> dict[str, str]:
    """Name, date of birth and CHI, checked as the service checks them."""
    problems: dict[str, str] = {}
    if not given.strip():
        problems["given_name"] = _tr("enter the person's given name")
    if not family.strip():
        problems["family_name"] = _tr("enter the person's family name")
    if (problem := birth_date_problem(born_text, today)) is not None:
        problems["date_of_birth"] = problem
    if chi_text.strip():
        problem = chi_problem(chi_text, birth_date_or_none(born_text, today))
        if problem is not None:
            problems["chi"] = problem
    return problems


def date_line(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setPlaceholderText(parent.tr("dd/mm/yyyy"))
    edit.setAccessibleName(name)
    edit.setMaxLength(20)
    return edit


def chi_line(parent: QWidget) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setPlaceholderText(parent.tr("10 digits, such as 140350 1238"))
    edit.setAccessibleName(parent.tr("CHI number"))
    edit.setMaxLength(fields.CHI_TYPED)
    return edit


def _line(parent: QWidget, limit: int) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setMaxLength(limit)
    return edit


# -- the person ----------------------------------------------------------------------------

class PersonEditor(FittingDialog):
    """Everything recorded about the person who uses services; `saved` carries the
    dto.CasePeople after the change."""

    def __init__(self, me: Me, runner: Runner, people: dto.CasePeople,
                 parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self._people = people
        tr = self.tr
        self.setWindowTitle(tr("Edit the person's details — {name}").format(
            name=people.person.full_name))
        self.given_name = _line(self, fields.NAME)
        self.family_name = _line(self, fields.NAME)
        self.date_of_birth = date_line(self, tr("Date of birth"))
        self.chi = chi_line(self)
        self.address = _line(self, fields.ADDRESS)
        self.postcode = _line(self, fields.POSTCODE)
        self.phone = _line(self, fields.PHONE)
        self.contact_preference = _line(self, fields.PREFERENCE)
        self.contact_preference.setPlaceholderText(tr("Phone in the morning, text first…"))
        self.communication_needs = text_box(self, tr("Interpreter, hearing loop, large print, "
                                                     "easy read…"), height=64)
        self.what_matters = text_box(self, tr("In their words where possible"), height=64)

        identity = QFormLayout()
        add = self.errors.add_row
        add(identity, "given_name", tr("&Given name:"), self.given_name)
        add(identity, "family_name", tr("&Family name:"), self.family_name)
        add(identity, "date_of_birth", tr("Date of &birth:"), self.date_of_birth)
        add(identity, "chi", tr("C&HI number:"), self.chi)
        add(identity, "address", tr("&Address:"), self.address)
        add(identity, "postcode", tr("&Postcode:"), self.postcode)
        add(identity, "phone", tr("P&hone:"), self.phone)
        about = QFormLayout()
        add(about, "contact_preference", tr("How to &contact:"), self.contact_preference)
        add(about, "communication_needs", tr("Communication &needs:"), self.communication_needs)
        add(about, "what_matters", tr("&What matters to them:"), self.what_matters)
        columns = QHBoxLayout()
        columns.addLayout(identity, 1)
        columns.addLayout(about, 1)
        self.buttons, self.save_button = save_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(columns)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(900)

        self._fill(people)
        for key in ("given_name", "family_name", "date_of_birth", "chi"):
            getattr(self, key).textEdited.connect(lambda _t, k=key: self._edited(k))

    def _fill(self, people: dto.CasePeople) -> None:
        self._people = people
        p = people.person
        self.given_name.setText(p.given_name)
        self.family_name.setText(p.family_name)
        self.date_of_birth.setText(show_typed_date(p.date_of_birth))
        self.chi.setText(p.chi or "")
        self.address.setText(p.address or "")
        self.postcode.setText(p.postcode or "")
        self.phone.setText(p.phone or "")
        self.contact_preference.setText(p.contact_preference or "")
        self.communication_needs.setPlainText(p.communication_needs or "")
        self.what_matters.setPlainText(p.what_matters or "")
        self._touched.clear()
        self.errors.clear()

    def _local_problems(self) -> dict[str, str]:
        problems = identity_problems(self.given_name.text(), self.family_name.text(),
                                     self.date_of_birth.text(), self.chi.text(),
                                     self._me.today())
        stored = self._people.person
        # A CHI on file that no rule of today's checked stays until someone changes it.
        if (self.chi.text().strip() == (stored.chi or "")
                and birth_date_or_none(self.date_of_birth.text(), self._me.today())
                == stored.date_of_birth):
            problems.pop("chi", None)
        return problems

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        if key == "date_of_birth" and self.chi.text().strip():
            self._touched.add("chi")  # the CHI must agree with the new date
        self._recheck(self._touched)

    def data(self) -> dto.PersonInput:
        return dto.PersonInput(
            given_name=self.given_name.text().strip(),
            family_name=self.family_name.text().strip(),
            date_of_birth=birth_date_or_none(self.date_of_birth.text(), self._me.today()),
            chi=self.chi.text().strip() or None,
            address=self.address.text().strip() or None,
            postcode=self.postcode.text().strip() or None,
            phone=self.phone.text().strip() or None,
            communication_needs=self.communication_needs.toPlainText().strip() or None,
            contact_preference=self.contact_preference.text().strip() or None,
            what_matters=self.what_matters.toPlainText().strip() or None,
        )

    def _request(self) -> tuple:
        return (self._me.people.update_person, self._people.case_id, self.data(),
                self._people.person_row_version)

    def _conflict_reload(self) -> Callable[[], None]:
        return self.reload

    def reload(self) -> None:
        """After a conflict, when asked: the details as saved now replace what is typed."""
        self._runner.run(self._me.people.case_people, self._people.case_id,
                         on_done=self._reloaded, on_error=self._failed, owner=self)

    def _reloaded(self, people: dto.CasePeople) -> None:
        self._fill(people)
        self.banner.show_message(self.tr("This shows the details as saved now. Make your "
                                         "changes again and save."))


# -- a key person or carer ------------------------------------------------------------------

class KeyPersonEditor(FittingDialog):
    """Someone who matters in the person's life. A carer is a partner in care: their own
    details, whether they live with the person, and their own support plan. `saved`
    carries the dto.KeyPersonInfo saved."""

    def __init__(self, me: Me, runner: Runner, case_id: str,
                 key_person: dto.KeyPersonInfo | None = None, parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self._case_id = case_id
        self._key_person = key_person
        tr = self.tr
        self.setWindowTitle(tr("Add a key person or carer") if key_person is None
                            else tr("Edit {name}").format(name=key_person.name))
        self.kind = QComboBox(self)
        for kind in KeyPersonKind:
            self.kind.addItem(labels.vocab(KeyPersonKind, kind), kind.value)
        self.given_name = _line(self, fields.NAME)
        self.family_name = _line(self, fields.NAME)
        self.relationship = _line(self, fields.NAME)
        self.relationship.setPlaceholderText(tr("Daughter, neighbour, GP…"))
        self.lives_with = QCheckBox(tr("&Lives with the person"), self)
        self.lives_with.setAccessibleName(tr("Lives with the person"))
        self.date_of_birth = date_line(self, tr("Date of birth"))
        self.phone = _line(self, fields.PHONE)
        self.email = _line(self, fields.EMAIL)
        self.address = _line(self, fields.ADDRESS)
        self.notes = text_box(self, tr("What they do for the person, what support they want"),
                              height=72)

        form = QFormLayout()
        add = self.errors.add_row
        add(form, "kind", tr("&Who they are:"), self.kind)
        add(form, "given_name", tr("&Given name:"), self.given_name)
        add(form, "family_name", tr("&Family name:"), self.family_name)
        add(form, "relationship", tr("&Relationship:"), self.relationship)
        form.addRow("", self.lives_with)
        add(form, "date_of_birth", tr("Date of &birth:"), self.date_of_birth)
        add(form, "phone", tr("P&hone:"), self.phone)
        add(form, "email", tr("&Email:"), self.email)
        add(form, "address", tr("&Address:"), self.address)
        add(form, "notes", tr("&Notes:"), self.notes)

        # The carer's own plan (Carers (Scotland) Act 2016).
        self.plan_box = QGroupBox(tr("The carer's own support plan"), self)
        self.plan_intro = QLabel(self.plan_box)
        self.plan_intro.setWordWrap(True)
        self.support_plan = QComboBox(self.plan_box)
        for status in SupportPlanStatus:
            self.support_plan.addItem(labels.vocab(SupportPlanStatus, status), status.value)
        self.review_on = date_edit(self.plan_box, value=me.today(), earliest=date(1900, 1, 1))
        plan_form = QFormLayout()
        add(plan_form, "support_plan", tr("&Status:"), self.support_plan)
        add(plan_form, "support_plan_review_on", tr("Re&view due:"), self.review_on)
        plan_layout = QVBoxLayout(self.plan_box)
        plan_layout.addWidget(self.plan_intro)
        plan_layout.addLayout(plan_form)

        self.buttons, self.save_button = save_cancel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.plan_box)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)

        if key_person is not None:
            self._fill(key_person)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.support_plan.currentIndexChanged.connect(lambda _i: self._plan_changed())
        for key in ("given_name", "family_name", "relationship", "date_of_birth", "email"):
            getattr(self, key).textEdited.connect(lambda _t, k=key: self._edited(k))
        self._kind_changed()

    def _fill(self, k: dto.KeyPersonInfo) -> None:
        self.kind.setCurrentIndex(max(self.kind.findData(k.kind), 0))
        self.given_name.setText(k.given_name)
        self.family_name.setText(k.family_name)
        self.relationship.setText(k.relationship)
        self.lives_with.setChecked(k.lives_with_person)
        self.date_of_birth.setText(show_typed_date(k.date_of_birth))
        self.phone.setText(k.phone or "")
        self.email.setText(k.email or "")
        self.address.setText(k.address or "")
        self.notes.setPlainText(k.notes or "")
        self.support_plan.setCurrentIndex(max(self.support_plan.findData(
            k.support_plan or SupportPlanStatus.NOT_OFFERED.value), 0))
        if k.support_plan_review_on:
            self.review_on.setDate(QDate(k.support_plan_review_on))

    def _kind(self) -> KeyPersonKind:
        return KeyPersonKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        tr = self.tr
        kind = self._kind()
        self.plan_box.setVisible(kind.is_carer)
        self.plan_box.setTitle(tr("Their own plan: {plan}").format(plan=plan_name(kind)))
        if kind == KeyPersonKind.YOUNG_CARER:
            self.plan_intro.setText(tr("A young carer has a right to a young carer statement: "
                                       "their own plan of the support they need."))
        else:
            self.plan_intro.setText(tr("An adult carer has a right to an adult carer support "
                                       "plan: their own plan of the support they need."))
        self.support_plan.setAccessibleName(plan_name(kind))
        self.errors.set("kind", "")
        self._plan_changed()

    def _plan_changed(self) -> None:
        in_place = self.support_plan.currentData() == SupportPlanStatus.IN_PLACE
        self.review_on.setEnabled(in_place)
        self.errors.set("support_plan_review_on", "")

    def _local_problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        tr = self.tr
        if not self.given_name.text().strip() and not self.family_name.text().strip():
            problems["family_name"] = tr("enter their name")
        if not self.relationship.text().strip():
            problems["relationship"] = tr("say who they are to the person: daughter, "
                                          "neighbour, GP…")
        if (problem := birth_date_problem(self.date_of_birth.text(), self._me.today())):
            problems["date_of_birth"] = problem
        email = self.email.text().strip()
        if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            problems["email"] = tr("must be an email address, such as name@example.org")
        if (problem := too_long(self.notes.toPlainText().strip(), fields.LONG_TEXT)):
            problems["notes"] = problem
        return problems

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        if key == "given_name":
            self._touched.add("family_name")  # one name of the two is enough
        self._recheck(self._touched)

    def data(self) -> dto.KeyPersonInput:
        carer = self._kind().is_carer
        plan = self.support_plan.currentData() if carer else None
        return dto.KeyPersonInput(
            kind=self._kind().value,
            given_name=self.given_name.text().strip(),
            family_name=self.family_name.text().strip(),
            relationship=self.relationship.text().strip(),
            phone=self.phone.text().strip() or None,
            email=self.email.text().strip() or None,
            address=self.address.text().strip() or None,
            date_of_birth=birth_date_or_none(self.date_of_birth.text(), self._me.today()),
            lives_with_person=self.lives_with.isChecked(),
            support_plan=plan,
            support_plan_review_on=(self.review_on.date().toPython()
                                    if plan == SupportPlanStatus.IN_PLACE else None),
            notes=self.notes.toPlainText().strip() or None,
        )

    def _request(self) -> tuple:
        people = self._me.people
        if self._key_person is None:
            return people.add_key_person, self._case_id, self.data()
        return (people.update_key_person, self._case_id, self._key_person.id, self.data(),
                self._key_person.row_version)

    def _conflict_reload(self) -> Callable[[], None] | None:
        return self.reload if self._key_person is not None else None  # only an edit conflicts

    def reload(self) -> None:
        self._runner.run(self._me.people.key_people, self._case_id, on_done=self._reloaded,
                         on_error=self._failed, owner=self)

    def _reloaded(self, rows: tuple[dto.KeyPersonInfo, ...]) -> None:
        assert self._key_person is not None
        latest = next((k for k in rows if k.id == self._key_person.id), None)
        if latest is None:
            self.banner.show_message(self.tr("Someone has removed this key person since you "
                                             "opened them."), Tone.WARNING)
            self.save_button.setEnabled(False)
            return
        self._key_person = latest
        self._fill(latest)
        self._touched.clear()
        self.errors.clear()
        self.banner.show_message(self.tr("This shows the details as saved now. Make your "
                                         "changes again and save."))
