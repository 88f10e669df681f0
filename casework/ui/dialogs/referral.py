"""Recording a referral: who is referred, who referred them and why.

As the worker types the person's name, date of birth and CHI number, the dialog checks the
CHI number and looks for people already recorded with the same CHI, or the same name and
date of birth. The worker picks one of them (the referral becomes a new case for them) or
says this is someone new; a CHI number already on file is never recorded twice. Of another
team's people only what recognises them is shown. Saved, the new case opens in its window.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casework import fields
from casework.chi import is_digits, normalise
from casework.errors import ValidationError
from casework import dto
from casework.timeutil import show_date
from casework.ui import labels
from casework.ui.dialogs.person_editor import (
    birth_date_or_none,
    chi_line,
    date_line,
    identity_problems,
)
from casework.ui.page_context import PageContext
from casework.ui.widgets.dates import date_edit
from casework.ui.widgets.form import save_cancel
from casework.ui.widgets.form_dialog import FittingDialog
from casework.ui.widgets.heading import heading
from casework.ui.widgets.open_dialog import open_dialog
from casework.ui.widgets.search import SEARCH_DELAY_MS
from casework.ui.widgets.text_box import text_box, too_long
from casework.vocab import RiskLevel, ServiceArea

_IDENTITY = ("given_name", "family_name", "date_of_birth", "chi")


class ReferralDialog(FittingDialog):
    """`saved` carries the dto.ReferralResult recorded."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None):
        super().__init__(ctx.me, ctx.runner, parent)
        self._ctx = ctx
        self.options: dto.ReferralOptions | None = None
        self.matches: tuple[dto.PersonMatch, ...] = ()
        self.searches = 0  # answers to an older search are dropped
        self._searched_for: tuple | None = None
        self.setWindowTitle(self.tr("New referral — Casework"))
        self.setAccessibleName(self.tr("New referral"))
        self._build()
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search)
        self.banner.show_message(self.tr("Loading your teams…"))
        self._runner.run(self._me.people.referral_options, on_done=self._options_arrived,
                         on_error=self._failed, owner=self)

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        tr = self.tr
        add = self.errors.add_row

        title = heading(self, tr("Record a referral"))
        intro = QLabel(tr("Type the person's name, date of birth and CHI number first: anyone "
                          "already recorded who may be them is shown before a new person is "
                          "made."), self)
        intro.setWordWrap(True)

        # Who is referred.
        self.person_box = QGroupBox(tr("Who is referred"), self)
        self.given_name = QLineEdit(self.person_box)
        self.given_name.setMaxLength(fields.NAME)
        self.family_name = QLineEdit(self.person_box)
        self.family_name.setMaxLength(fields.NAME)
        self.date_of_birth = date_line(self.person_box, tr("Date of birth"))
        self.chi = chi_line(self.person_box)
        self.address = QLineEdit(self.person_box)
        self.address.setMaxLength(fields.ADDRESS)
        self.postcode = QLineEdit(self.person_box)
        self.postcode.setMaxLength(fields.POSTCODE)
        self.phone = QLineEdit(self.person_box)
        self.phone.setMaxLength(fields.PHONE)
        person_form = QFormLayout()
        add(person_form, "given_name", tr("&Given name:"), self.given_name)
        add(person_form, "family_name", tr("&Family name:"), self.family_name)
        add(person_form, "date_of_birth", tr("Date of &birth:"), self.date_of_birth)
        add(person_form, "chi", tr("&CHI number:"), self.chi)
        add(person_form, "address", tr("&Address:"), self.address)
        add(person_form, "postcode", tr("&Postcode:"), self.postcode)
        add(person_form, "phone", tr("Ph&one:"), self.phone)
        self.search_status = QLabel(self.person_box)
        self.search_status.setWordWrap(True)
        self.search_status.setAccessibleName(tr("People already recorded"))
        person_layout = QVBoxLayout(self.person_box)
        person_layout.addLayout(person_form)
        person_layout.addWidget(self.search_status)

        # People already recorded who may be them.
        self.match_box = QGroupBox(tr("Already recorded?"), self)
        match_intro = QLabel(tr("These people are already recorded and may be the person "
                                "referred. If one is, pick them: the referral becomes a new "
                                "case for them."), self.match_box)
        match_intro.setWordWrap(True)
        match_caption = QLabel(tr("Possible &matches:"), self.match_box)
        self.match_list = QListWidget(self.match_box)
        self.match_list.setAccessibleName(tr("Possible matches"))
        self.match_list.setMinimumHeight(130)
        # Each match in full on two lines or more, told apart by the alternate shading.
        self.match_list.setWordWrap(True)
        self.match_list.setAlternatingRowColors(True)
        self.match_list.setSpacing(2)
        self.match_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.match_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        match_caption.setBuddy(self.match_list)
        self.someone_new = QCheckBox(tr("&None of these: record someone new"), self.match_box)
        self.someone_new.setAccessibleName(tr("None of these: record someone new"))
        self.choice = QLabel(self.match_box)
        self.choice.setWordWrap(True)
        self.choice.setAccessibleName(tr("Who the referral is for"))
        match_layout = QVBoxLayout(self.match_box)
        match_layout.addWidget(match_intro)
        match_layout.addWidget(match_caption)
        match_layout.addWidget(self.match_list, 1)
        match_layout.addWidget(self.errors.add("person_id", tr("Possible matches"),
                                               self.match_list))
        match_layout.addWidget(self.someone_new)
        match_layout.addWidget(self.choice)
        self.match_box.hide()

        # The referral.
        self.referral_box = QGroupBox(tr("The referral"), self)
        self.team = QComboBox(self.referral_box)
        self.source = QLineEdit(self.referral_box)
        self.source.setMaxLength(fields.REFERRAL_SOURCE)
        self.source.setPlaceholderText(tr("The person, a relative, a GP, another agency…"))
        self.reason = text_box(self.referral_box, tr("What is asked for, and why now"),
                               height=120)
        today = self._me.today()
        self.referred_on = date_edit(self.referral_box, value=today,
                                     earliest=date(1900, 1, 1), latest=today)
        self.service_area = QComboBox(self.referral_box)
        for area in ServiceArea:
            self.service_area.addItem(labels.vocab(ServiceArea, area), area.value)
        self.risk = QComboBox(self.referral_box)
        self.risk.addItem(tr("Choose the initial risk"), None)
        for level in RiskLevel:
            self.risk.addItem(labels.vocab(RiskLevel, level), level.value)
        self.referral_form = QFormLayout()
        self.team_caption = add(self.referral_form, "team_id", tr("&Team:"), self.team)
        add(self.referral_form, "referral_source", tr("Referred b&y:"), self.source)
        add(self.referral_form, "referral_reason", tr("&Why they were referred:"), self.reason)
        add(self.referral_form, "referred_on", tr("&Date referred:"), self.referred_on)
        add(self.referral_form, "service_area", tr("&Service area:"), self.service_area)
        add(self.referral_form, "risk_level", tr("Initial r&isk:"), self.risk)
        self.referral_form.setRowVisible(self.team_caption, False)
        self.queue_note = QLabel(tr("The new case waits in the team's unallocated queue until a "
                                    "team leader allocates it."), self.referral_box)
        self.queue_note.setWordWrap(True)
        referral_layout = QVBoxLayout(self.referral_box)
        referral_layout.addLayout(self.referral_form)
        referral_layout.addWidget(self.queue_note)
        referral_layout.addStretch(1)

        left = QVBoxLayout()
        left.addWidget(self.person_box)
        left.addWidget(self.match_box, 3)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(self.referral_box, 1)

        self.buttons, self.save_button = save_cancel(self, tr("&Record referral"))
        self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addWidget(self.buttons)
        # As tall as the fields need; the window grows when matches are shown.
        self.resize(1040, self.sizeHint().height())

        for key in _IDENTITY:
            getattr(self, key).textEdited.connect(lambda _t, k=key: self._identity_edited(k))
        self.source.textEdited.connect(lambda _t: self._edited("referral_source"))
        self.reason.textChanged.connect(lambda: self._edited("referral_reason"))
        self.risk.currentIndexChanged.connect(lambda _i: self._edited("risk_level"))
        self.team.currentIndexChanged.connect(self._team_changed)
        self.match_list.itemSelectionChanged.connect(self._match_picked)
        self.someone_new.toggled.connect(self._someone_new_toggled)
        self._show_choice()
        self.given_name.setFocus()

    # -- where the referral goes ------------------------------------------------------------

    def _options_arrived(self, options: dto.ReferralOptions) -> None:
        self.banner.clear()
        self.options = options
        self.team.blockSignals(True)
        self.team.clear()
        if options.choose_team:
            self.team.addItem(self.tr("Choose one of your teams"), None)
        for t in options.teams:
            self.team.addItem(t.name, t.id)
        self.team.setCurrentIndex(max(self.team.findData(options.default_team_id), 0))
        self.team.blockSignals(False)
        self.referral_form.setRowVisible(self.team_caption, options.choose_team)
        self.save_button.setEnabled(True)
        self._team_changed()

    def _team(self) -> dto.ReferralTeam | None:
        if self.options is None:
            return None
        return next((t for t in self.options.teams if t.id == self.team.currentData()), None)

    def _team_changed(self) -> None:
        team = self._team()
        if team is not None:  # the team's own service area, unless the worker chooses another
            self.service_area.setCurrentIndex(max(self.service_area.findData(team.service_area),
                                                  0))
            self.errors.set("team_id", "")
            self.queue_note.setText(self.tr("The new case waits in {team}'s unallocated queue "
                                            "until a team leader allocates it.").format(
                                                team=team.name))

    # -- checking as the worker types -------------------------------------------------------

    def _identity_edited(self, key: str) -> None:
        self._touched.add(key)
        if key == "date_of_birth" and self.chi.text().strip():
            self._touched.add("chi")  # the CHI must agree with the date of birth
        self._show_identity_problems()
        self._search_timer.start()

    def _show_identity_problems(self) -> None:
        self._recheck(_IDENTITY)

    def _identity_problems(self) -> dict[str, str]:
        problems = identity_problems(self.given_name.text(), self.family_name.text(),
                                     self.date_of_birth.text(), self.chi.text(),
                                     self._me.today())
        holder = self._chi_holder()
        if holder is not None and "chi" not in problems:
            problems["chi"] = self.tr("belongs to {name}, who is already recorded: pick them "
                                      "below").format(name=holder.full_name)
        return problems

    def _chi_holder(self) -> dto.PersonMatch | None:
        typed = normalise(self.chi.text())
        return next((m for m in self.matches if m.same_chi and m.chi == typed), None)

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        self._recheck((key,))

    def _referral_problems(self) -> dict[str, str]:
        tr = self.tr
        problems: dict[str, str] = {}
        if self.options is not None and self.options.choose_team and self._team() is None:
            problems["team_id"] = tr("choose which of your teams takes the referral")
        if not self.source.text().strip():
            problems["referral_source"] = tr("say who referred: the person, a relative, a GP, "
                                             "another agency…")
        reason = self.reason.toPlainText().strip()
        if not reason:
            problems["referral_reason"] = tr("say why they were referred")
        elif (problem := too_long(reason, fields.LONG_TEXT)):
            problems["referral_reason"] = problem
        if self.risk.currentData() is None:
            problems["risk_level"] = tr("choose an initial risk level")
        return problems

    # -- people already recorded ------------------------------------------------------------

    def _search_terms(self) -> tuple | None:
        """What to look for, or None while nothing typed yet could find anyone."""
        chi = normalise(self.chi.text())
        born = birth_date_or_none(self.date_of_birth.text(), self._me.today())
        given, family = self.given_name.text().strip(), self.family_name.text().strip()
        by_chi = len(chi) == 10 and is_digits(chi)
        by_name = bool(given and family and born)
        if not (by_chi or by_name):
            return None
        return given, family, born, chi if by_chi else None

    def search(self) -> None:
        """Look for people already recorded who may be the person typed."""
        self._search_timer.stop()
        terms = self._search_terms()
        if terms is not None and terms == self._searched_for:
            return  # asked already; its answer is on its way or shown
        self.searches += 1
        self._searched_for = terms
        if terms is None:
            self._matches_arrived(self.searches, ())
            self.search_status.setText("")
            return
        given, family, born, chi = terms
        self.search_status.setText(self.tr("Looking for anyone already recorded…"))
        self._runner.run(partial(self._me.people.find_duplicates, given_name=given,
                                 family_name=family, date_of_birth=born, chi=chi),
                         on_done=partial(self._matches_arrived, self.searches),
                         on_error=self._failed, owner=self)

    def _matches_arrived(self, search: int, matches: tuple[dto.PersonMatch, ...]) -> None:
        if search != self.searches:
            return  # the worker typed on since this search was made
        picked = self.picked()
        self.matches = matches
        self.match_list.blockSignals(True)
        self.match_list.clear()
        for m in matches:
            text = self._match_text(m)
            item = QListWidgetItem(text, self.match_list)
            item.setData(Qt.ItemDataRole.UserRole, m.person_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text.replace("\n", ". "))
            if picked is not None and m.person_id == picked.person_id:
                item.setSelected(True)
        self.match_list.blockSignals(False)
        self.match_box.setVisible(bool(matches))
        holder = self._chi_holder()
        self.someone_new.setEnabled(holder is None)
        self.someone_new.setToolTip("" if holder is None else self.tr(
            "The CHI number belongs to someone already recorded."))
        if holder is not None and self.someone_new.isChecked():
            self.someone_new.setChecked(False)
        if matches:
            self.search_status.setText(self.tr(
                "{n} already recorded may be this person: see below.").format(n=len(matches))
                if len(matches) > 1 else self.tr(
                "Someone already recorded may be this person: see below."))
        elif self._searched_for is not None:
            self.search_status.setText(self.tr(
                "No one already recorded has this CHI number, or this name and date of birth."))
        if not matches:
            self.errors.set("person_id", "")
        self._show_identity_problems()
        self._show_choice()

    def _match_text(self, m: dto.PersonMatch) -> str:
        tr = self.tr
        born = (tr("born {date}").format(date=show_date(m.date_of_birth)) if m.date_of_birth
                else tr("date of birth not recorded"))
        chi = tr("CHI {chi}").format(chi=labels.chi(m.chi)) if m.chi else tr("no CHI recorded")
        if m.same_chi and m.same_name_and_birth:
            why = tr("Same CHI number, name and date of birth")
        elif m.same_chi:
            why = tr("Same CHI number")
        else:
            why = tr("Same name and date of birth")
        cases = []
        for c in m.live_cases:
            if c.in_my_teams:
                worker = c.named_worker_name or tr("unallocated")
                cases.append(tr("live case {reference} in {team} ({worker})").format(
                    reference=c.reference, team=c.team_name, worker=worker))
            else:
                cases.append(tr("live case held by {team}").format(team=c.team_name))
        held = "; ".join(cases) if cases else tr("no live case")
        return f"{m.full_name} · {born} · {chi}\n{why} · {held}"

    def picked(self) -> dto.PersonMatch | None:
        """The person already recorded whom the worker picked, if any."""
        items = self.match_list.selectedItems()
        if not items:
            return None
        person_id = items[0].data(Qt.ItemDataRole.UserRole)
        return next((m for m in self.matches if m.person_id == person_id), None)

    def _match_picked(self) -> None:
        if self.picked() is not None and self.someone_new.isChecked():
            self.someone_new.setChecked(False)
        self.errors.set("person_id", "")
        self._show_identity_problems()
        self._show_choice()

    def _someone_new_toggled(self, checked: bool) -> None:
        if checked:
            self.match_list.clearSelection()
        self.errors.set("person_id", "")
        self._show_choice()

    def _show_choice(self) -> None:
        picked = self.picked()
        for w in (self.address, self.postcode, self.phone):
            w.setEnabled(picked is None)
        if picked is not None:
            self.choice.setText(self.tr("The referral will be a new case for {name}, with their "
                                        "details as already recorded.").format(
                                            name=picked.full_name))
        elif self.someone_new.isChecked():
            self.choice.setText(self.tr("A new person will be recorded."))
        elif (holder := self._chi_holder()) is not None:
            self.choice.setText(self.tr("The CHI number typed belongs to {name}: pick them, or "
                                        "correct the number.").format(name=holder.full_name))
        else:
            self.choice.setText(self.tr("Pick the person if they are one of these, or tick "
                                        "“None of these”."))

    # -- saving -----------------------------------------------------------------------------

    def data(self) -> dto.ReferralInput:
        picked = self.picked()
        person = None
        if picked is None:
            person = dto.PersonInput(
                given_name=self.given_name.text().strip(),
                family_name=self.family_name.text().strip(),
                date_of_birth=birth_date_or_none(self.date_of_birth.text(), self._me.today()),
                chi=self.chi.text().strip() or None,
                address=self.address.text().strip() or None,
                postcode=self.postcode.text().strip() or None,
                phone=self.phone.text().strip() or None)
        return dto.ReferralInput(
            referral_source=self.source.text().strip(),
            referral_reason=self.reason.toPlainText().strip(),
            referred_on=self.referred_on.date().toPython(),
            risk_level=self.risk.currentData() or "",
            person_id=picked.person_id if picked else None,
            person=person,
            new_person_confirmed=picked is None and self.someone_new.isChecked(),
            service_area=self.service_area.currentData(),
            team_id=self.team.currentData())

    def _local_problems(self) -> dict[str, str]:
        """The referral's problems and, unless someone already recorded was picked, the
        person's."""
        problems = self._referral_problems()
        if self.picked() is None:
            problems.update(self._identity_problems())
            if self.matches and not self.someone_new.isChecked() and "chi" not in problems:
                problems["person_id"] = self.tr("pick the person if they are one of these, or "
                                                "tick “None of these”")
        return problems

    def _can_save(self) -> bool:
        return self.options is not None

    def _request(self) -> tuple:
        return self._me.people.record_referral, self.data()

    def _saved(self, result: dto.ReferralResult) -> None:
        where = self.parentWidget() or self
        super()._saved(result)
        self._ctx.open_case(result.case_id, where)

    def _failed(self, exc: BaseException) -> None:
        super()._failed(exc)
        if isinstance(exc, ValidationError) and {"person_id", "chi"} & exc.problems.keys():
            # Someone was recorded since the last look: show who, so they can be picked.
            self._searched_for = None
            self.search()


def record_referral(ctx: PageContext, parent: QWidget) -> ReferralDialog:
    """Open the referral dialog (for the main window's File menu and its button)."""
    return open_dialog(ReferralDialog(ctx, parent))
