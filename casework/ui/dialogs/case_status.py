"""Opening a referral as a case, keeping a case's details up to date, and closing it.

Each dialog checks as the person types (only fields already touched) and again on saving;
the service decides. A refusal shows in the banner, a problem under the field it names,
and nothing typed is lost; after a conflict, reloading takes the case as saved now and
keeps what was changed in the dialog.

Closing a case under a statutory order is a reserved function: the close dialog says so
before anything is typed, with the person's own standing (a lapsed registration, say). So
are ending or replacing the order on the record and lowering a high risk (the way round
it): the opening and editing dialogs say so before anything is chosen, and a change the
person may not make is named under its field before the service is asked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from casework import fields
from casework import permissions as perm
from casework.errors import PermissionDenied
from casework import dto
from casework.services import Me
from casework.timeutil import show_date
from casework.ui import labels
from casework.ui.case_window.context import CaseContext
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.confirm import Confirm
from casework.ui.widgets.dates import date_edit
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.form import save_cancel
from casework.ui.widgets.form_dialog import FormDialog
from casework.ui.widgets.heading import heading
from casework.ui.widgets.open_dialog import open_dialog
from casework.ui.widgets.text_box import text_box, too_long
from casework.vocab import (
    TARGET_BANDS,
    CaseStatus,
    EligibilityBand,
    LegalStatus,
    RiskLevel,
    ServiceArea,
    band_target,
)



def _combo(parent: QWidget, vocab, first: str | None = None) -> QComboBox:
    combo = QComboBox(parent)
    if first is not None:
        combo.addItem(first, None)
    for item in vocab:
        combo.addItem(labels.vocab(vocab, item), item.value)
    return combo


def _choose(combo: QComboBox, value: str | None) -> None:
    """Show the case's value (filled in, not an edit the person made)."""
    combo.blockSignals(True)
    combo.setCurrentIndex(max(combo.findData(value), 0))
    combo.blockSignals(False)


def _under_order(legal_status: str) -> bool:
    """As the service decides it: a legal status this version does not know counts as an
    order."""
    try:
        return LegalStatus(legal_status).statutory_order
    except ValueError:
        return True


def _standings(me: Me) -> dict[str, dto.ReservedStanding]:
    return {x.code: x for x in me.account.reserved_functions()}


def _note(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    return label


class _CaseDialog(FormDialog):
    """What the three dialogs share beyond a form dialog's: the case read (or handed over
    by its window), a heading, and a reload after a conflict that keeps what was changed.
    `saved` carries the dto.CaseSummary after the change.

    A dialog that changes the legal status and risk (`guards_changes`) says which of those
    changes are reserved for this case and whether the signed-in person qualifies today."""

    guards_changes = False

    def __init__(self, me: Me, runner: Runner, case_id: str,
                 summary: dto.CaseSummary | None = None, parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self._case_id = case_id
        self.summary: dto.CaseSummary | None = None
        # Whether I may carry out each reserved function today, once asked (only for a case
        # where a change could carry one out).
        self.standings: dict[str, dto.ReservedStanding] | None = None
        self.reserved_changes = MessageBanner(self, closable=False)
        self.reserved_changes.setAccessibleName(self.tr("Changes reserved on this case"))
        tr = self.tr
        title, save_text = self._texts()
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.heading = heading(self)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName(tr("Case"))
        self.about = _note(self, tr("About the case"))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._build()
        self.buttons, self.save_button = save_cancel(self, save_text)
        self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.heading)
        layout.addWidget(self.about)
        if self.guards_changes:
            layout.addWidget(self.reserved_changes)
        self._lay_out(layout)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        if summary is not None:
            self._arrived(summary)
        else:
            self.banner.show_message(tr("Loading the case…"))
            self._load()

    # -- what a dialog says ----------------------------------------------------------------

    def _texts(self) -> tuple[str, str | None]:
        """The window title, and the save button's text (None: Save)."""
        raise NotImplementedError

    def _build(self) -> None:
        raise NotImplementedError

    def _lay_out(self, layout: QVBoxLayout) -> None:
        layout.addLayout(self.form, 1)

    def _fill(self, s: dto.CaseSummary, keep: set[str]) -> None:
        """Show the case's values in every field not in `keep` (fields already changed)."""
        raise NotImplementedError

    # -- reading the case ------------------------------------------------------------------

    def _load(self) -> None:
        # A form on a case file already open: its reading was audited when it was opened.
        self._runner.run(self._me.cases.current, self._case_id, on_done=self._arrived,
                         on_error=self._load_failed, owner=self)

    def reload(self) -> None:
        """After a conflict, and only when asked: the case as saved now; what was changed
        here stays as typed."""
        self.banner.clear()
        self._runner.run(self._me.cases.current, self._case_id, on_done=self._reloaded,
                         on_error=self._load_failed, owner=self)

    def _arrived(self, s: dto.CaseSummary) -> None:
        self.banner.clear()
        self._show(s, keep=set())

    def _reloaded(self, s: dto.CaseSummary) -> None:
        self._show(s, keep=set(self._touched))
        self.banner.show_message(self.tr("This shows the case as saved now, with your "
                                         "changes kept. Check them and save again."))

    def _show(self, s: dto.CaseSummary, keep: set[str]) -> None:
        self.summary = s
        c = s.case
        self.heading.setText(self.tr("{person} — {reference}").format(
            person=s.person.full_name, reference=c.reference))
        self._fill(s, keep)
        self.save_button.setEnabled(True)
        self._ask_standings()
        self._show_touched_problems()

    def _load_failed(self, exc: BaseException) -> None:
        show_failure(exc, self.banner, self.errors)

    # -- reserved changes: ending an order, lowering a high risk ---------------------------

    def _possible_functions(self) -> tuple[perm.ReservedFunction, ...]:
        """The reserved functions some change in this dialog would carry out on this case."""
        if not self.guards_changes or self.summary is None:
            return ()
        c = self.summary.case
        return perm.case_change_functions(under_order=_under_order(c.legal_status),
                                          legal_status_changes=True, risk_before=c.risk_level,
                                          risk_after=None)

    def _chosen_functions(self) -> tuple[perm.ReservedFunction, ...]:
        """The reserved functions what is chosen now would carry out."""
        if not self.guards_changes or self.summary is None:
            return ()
        c = self.summary.case
        return perm.case_change_functions(
            under_order=_under_order(c.legal_status),
            legal_status_changes=self.legal.currentData() != c.legal_status,
            risk_before=c.risk_level, risk_after=self.risk.currentData())

    def _ask_standings(self) -> None:
        if self._possible_functions() and self.standings is None:
            self._runner.run(_standings, self._me, on_done=self._reserved_standings_arrived,
                             on_error=self._load_failed, owner=self)
        self._show_reserved()

    def _reserved_standings_arrived(self, standings: dict[str, dto.ReservedStanding]) -> None:
        self.standings = standings
        self._show_reserved()
        self._show_touched_problems()

    def _show_reserved(self) -> None:
        """What is reserved on this case, and whether I qualify, before anything is chosen."""
        tr = self.tr
        functions = self._possible_functions()
        if not functions or self.standings is None:
            self.reserved_changes.clear()
            return
        c = self.summary.case  # type: ignore[union-attr]
        what = []
        if perm.ReservedFunction.END_STATUTORY_ORDER in functions:
            what.append(tr("ending or replacing the {order} on the record").format(
                order=labels.vocab(LegalStatus, c.legal_status).lower()))
        if perm.ReservedFunction.LOWER_HIGH_RISK in functions:
            what.append(tr("lowering its high risk"))
        refused = [self.standings[f] for f in functions
                   if f in self.standings and not self.standings[f].allowed]
        text = (tr("On this case, {what} is reserved to a registered social worker.")
                if len(what) == 1 else
                tr("On this case, {what} are reserved to a registered social worker.")).format(
            what=tr(" and ").join(what))
        if refused:
            text += " " + tr("You may not: {why}").format(why=refused[0].message)
            self.reserved_changes.show_message(text, Tone.WARNING)
        else:
            self.reserved_changes.show_message(text + " " + tr("You qualify."), Tone.INFO)

    def _reserved_problems(self) -> dict[str, str]:
        """A chosen change the person may not make, under the field that makes it."""
        if self.standings is None:
            return {}  # not known yet: the service decides
        tr = self.tr
        problems = {}
        for f in self._chosen_functions():
            standing = self.standings.get(f)
            if standing is None or standing.allowed:
                continue
            if f == perm.ReservedFunction.END_STATUTORY_ORDER:
                problems["legal_status"] = tr("you may not end or replace the order on the "
                                              "record (see above)")
            elif f == perm.ReservedFunction.LOWER_HIGH_RISK:
                problems["risk_level"] = tr("you may not lower a high risk (see above)")
        return problems

    # -- saving ---------------------------------------------------------------------------

    def _can_save(self) -> bool:
        return self.summary is not None

    def _row_version(self) -> int:
        """The version of the case the dialog shows: a save against it fails when someone
        else saved since."""
        assert self.summary is not None
        return self.summary.row_version

    def _conflict_reload(self) -> Callable[[], None]:
        return self.reload


# -- opening a referral -------------------------------------------------------------------

class OpenCaseDialog(_CaseDialog):
    """Open a referral: its service area, eligibility band, risk level, legal status and
    the date, with the band's target date worked out as the band is chosen."""

    guards_changes = True

    def _texts(self) -> tuple[str, str | None]:
        return self.tr("Open the case"), self.tr("&Open case")

    def _build(self) -> None:
        tr = self.tr
        self.service_area = _combo(self, ServiceArea)
        self.band = _combo(self, EligibilityBand, tr("Choose the eligibility band"))
        self.risk = _combo(self, RiskLevel)
        self.legal = _combo(self, LegalStatus)
        self.opened_on = date_edit(self)  # the dates allowed come with the case
        add = self.errors.add_row
        add(self.form, "service_area", tr("&Service area:"), self.service_area)
        # The band, its problem, and the target date it gives, together in one cell.
        self.target = _note(self, tr("Target date"))
        band_caption = QLabel(tr("Eligibility &band:"), self)
        band_caption.setBuddy(self.band)
        cell = QWidget(self)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.band)
        column.addWidget(self.errors.add("eligibility_band", tr("Eligibility band"), self.band))
        column.addWidget(self.target)
        self.form.addRow(band_caption, cell)
        add(self.form, "risk_level", tr("&Risk level:"), self.risk)
        add(self.form, "legal_status", tr("&Legal status:"), self.legal)
        add(self.form, "opened_on", tr("Opened o&n:"), self.opened_on)
        self.band.currentIndexChanged.connect(lambda _i: self._edited("eligibility_band"))
        self.opened_on.dateChanged.connect(lambda _d: self._edited("opened_on"))
        for key, combo in (("service_area", self.service_area), ("risk_level", self.risk),
                           ("legal_status", self.legal)):
            combo.currentIndexChanged.connect(lambda _i, k=key: self._edited(k))

    def _fill(self, s: dto.CaseSummary, keep: set[str]) -> None:
        tr = self.tr
        c = s.case
        referred = show_date(c.referred_on)
        if s.referral_source:
            referred = tr("{date} by {source}").format(date=referred, source=s.referral_source)
        about = tr("Referred {referred}.").format(referred=referred)
        if s.referral_reason:
            about += " " + s.referral_reason
        self.about.setText(about)
        today = self._me.today()
        self.opened_on.setDateRange(QDate(c.referred_on), QDate(max(today, c.referred_on)))
        for key, combo, value in (("service_area", self.service_area, c.service_area),
                                  ("eligibility_band", self.band, c.eligibility_band),
                                  ("risk_level", self.risk, c.risk_level),
                                  ("legal_status", self.legal, c.legal_status)):
            if key not in keep:
                _choose(combo, value)
        if "opened_on" not in keep:
            self.opened_on.blockSignals(True)
            self.opened_on.setDate(QDate(today))
            self.opened_on.blockSignals(False)
        self._show_target()

    def _edited(self, key: str) -> None:
        super()._edited(key)
        self._show_target()

    def _show_target(self) -> None:
        tr = self.tr
        band = self.band.currentData()
        if band is None:
            text = tr("Critical and substantial needs have a target: six weeks to personal "
                      "care.")
        elif band in TARGET_BANDS:
            target = band_target(band, self.opened_on.date().toPython())
            text = tr("{band} need: target for personal care {date} (six weeks from "
                      "opening).").format(band=labels.vocab(EligibilityBand, band),
                                          date=show_date(target))
        else:
            text = tr("No target date for a {band} need.").format(
                band=labels.vocab(EligibilityBand, band).lower())
        self.target.setText(text)

    def _local_problems(self) -> dict[str, str]:
        tr = self.tr
        problems = self._reserved_problems()
        if self.band.currentData() is None:
            problems["eligibility_band"] = tr("choose the eligibility band")
        opened = self.opened_on.date().toPython()
        if opened > self._me.today():
            problems["opened_on"] = tr("must not be in the future")
        elif self.summary is not None and opened < self.summary.case.referred_on:
            problems["opened_on"] = tr("must not be before the referral ({date})").format(
                date=show_date(self.summary.case.referred_on))
        return problems

    def data(self) -> dto.OpenCaseInput:
        return dto.OpenCaseInput(
            service_area=self.service_area.currentData(),
            eligibility_band=self.band.currentData(),
            risk_level=self.risk.currentData(), legal_status=self.legal.currentData(),
            opened_on=self.opened_on.date().toPython())

    def _request(self) -> tuple:
        return self._me.cases.open_case, self._case_id, self.data(), self._row_version()


# -- editing the details ------------------------------------------------------------------

class EditCaseDialog(_CaseDialog):
    """A live case's risk level, eligibility band, legal status and summary. It says which
    changes go on the chronology before they are saved."""

    guards_changes = True

    def _texts(self) -> tuple[str, str | None]:
        return self.tr("Edit the case's details"), None

    def _build(self) -> None:
        tr = self.tr
        self.risk = _combo(self, RiskLevel)
        self.band = _combo(self, EligibilityBand, tr("Not yet decided"))
        self.legal = _combo(self, LegalStatus)
        self.summary_edit = text_box(self, tr("What the case is about, in a few lines"),
                                     min_height=140)
        add = self.errors.add_row
        add(self.form, "risk_level", tr("&Risk level:"), self.risk)
        add(self.form, "eligibility_band", tr("Eligibility &band:"), self.band)
        add(self.form, "legal_status", tr("&Legal status:"), self.legal)
        add(self.form, "summary", tr("S&ummary:"), self.summary_edit)
        self.changes = _note(self, tr("What saving records"))
        for key, combo in (("risk_level", self.risk), ("eligibility_band", self.band),
                           ("legal_status", self.legal)):
            combo.currentIndexChanged.connect(lambda _i, k=key: self._edited(k))
        self.summary_edit.textChanged.connect(lambda: self._edited("summary"))

    def _lay_out(self, layout: QVBoxLayout) -> None:
        layout.addLayout(self.form, 1)
        layout.addWidget(self.changes)

    def _fill(self, s: dto.CaseSummary, keep: set[str]) -> None:
        c = s.case
        self.about.setText(self.tr("{status} case. Named worker: {worker}.").format(
            status=labels.vocab(CaseStatus, c.status),
            worker=c.named_worker_name or self.tr("none (in the team's queue)")))
        for key, combo, value in (("risk_level", self.risk, c.risk_level),
                                  ("eligibility_band", self.band, c.eligibility_band),
                                  ("legal_status", self.legal, c.legal_status)):
            if key not in keep:
                _choose(combo, value)
        if "summary" not in keep:
            self.summary_edit.blockSignals(True)
            self.summary_edit.setPlainText(s.summary or "")
            self.summary_edit.blockSignals(False)
        self._show_changes()

    def _edited(self, key: str) -> None:
        super()._edited(key)
        self._show_changes()

    def _show_changes(self) -> None:
        """Which changes will be significant events on the chronology, in words."""
        tr = self.tr
        s = self.summary
        if s is None:
            return
        c = s.case
        said = []
        risk = self.risk.currentData()
        if risk != c.risk_level:
            try:
                raised = RiskLevel(risk).rank > RiskLevel(c.risk_level).rank
            except ValueError:
                raised = True
            said.append((tr("Risk level raised from {old} to {new}") if raised
                         else tr("Risk level lowered from {old} to {new}")).format(
                old=labels.vocab(RiskLevel, c.risk_level).lower(),
                new=labels.vocab(RiskLevel, risk).lower()))
        legal = self.legal.currentData()
        if legal != c.legal_status:
            said.append(tr("Legal status changed from {old} to {new}").format(
                old=labels.vocab(LegalStatus, c.legal_status),
                new=labels.vocab(LegalStatus, legal)))
        lines = []
        if said:
            lines.append(tr("Saving records on the chronology: {events}.").format(
                events="; ".join(said)))
        else:
            lines.append(tr("A new risk level or legal status goes on the chronology as a "
                            "significant event."))
        band = self.band.currentData()
        if band != c.eligibility_band and c.status != "referral":
            if band in TARGET_BANDS and not (c.eligibility_band in TARGET_BANDS
                                             and s.band_target_on):
                lines.append(tr("A {band} need: the target for personal care becomes "
                                "{date}.").format(
                    band=labels.vocab(EligibilityBand, band).lower(),
                    date=show_date(band_target(band, self._me.today()))))
            elif band not in TARGET_BANDS and s.band_target_on:
                lines.append(tr("The target date for personal care ({date}) is removed.")
                             .format(date=show_date(s.band_target_on)))
        self.changes.setText(" ".join(lines))

    def _local_problems(self) -> dict[str, str]:
        problems = self._reserved_problems()
        if (problem := too_long(self.summary_edit.toPlainText().strip(), fields.LONG_TEXT)):
            problems["summary"] = problem
        return problems

    def data(self) -> dto.CaseDetailsInput:
        return dto.CaseDetailsInput(
            risk_level=self.risk.currentData(), eligibility_band=self.band.currentData(),
            legal_status=self.legal.currentData(),
            summary=self.summary_edit.toPlainText().strip())

    def _request(self) -> tuple:
        return self._me.cases.update_details, self._case_id, self.data(), self._row_version()


# -- closing ------------------------------------------------------------------------------

class CloseCaseDialog(_CaseDialog):
    """Close a case with a closing summary. Under a statutory order it says first that
    closing is reserved, and whether the signed-in person qualifies today."""

    def _texts(self) -> tuple[str, str | None]:
        return self.tr("Close the case"), self.tr("&Close case")

    def _build(self) -> None:
        tr = self.tr
        self.closing = text_box(self, tr("Why the case is closing, what was achieved, the "
                                         "person's own supports, and how to seek help again"),
                                min_height=180)
        self.errors.add_row(self.form, "closing_summary", tr("Closing &summary:"),
                            self.closing)
        self.closing.textChanged.connect(lambda: self._edited("closing_summary"))
        self.standing: dto.ReservedStanding | None = None
        # Under a statutory order: who may close, kept in view (the banner is for what the
        # service says).
        self.reserved_notice = MessageBanner(self, closable=False)
        self.reserved_notice.setAccessibleName(self.tr("Who may close this case"))

    def _lay_out(self, layout: QVBoxLayout) -> None:
        layout.addWidget(self.reserved_notice)
        layout.addLayout(self.form, 1)

    def _fill(self, s: dto.CaseSummary, keep: set[str]) -> None:
        tr = self.tr
        c = s.case
        legal = labels.vocab(LegalStatus, c.legal_status)
        worker = c.named_worker_name or tr("none (in the team's queue)")
        self.about.setText(tr("Legal status: {legal}. Named worker: {worker}. Closing ends "
                              "the team's involvement; the record is kept.").format(
            legal=legal, worker=worker))
        if self.statutory:
            self._runner.run(self._me.account.reserved_functions,
                             on_done=self._standings_arrived, on_error=self._load_failed,
                             owner=self)

    @property
    def statutory(self) -> bool:
        return self.summary is not None and _under_order(self.summary.case.legal_status)

    def _standings_arrived(self, standings: tuple[dto.ReservedStanding, ...]) -> None:
        tr = self.tr
        assert self.summary is not None
        legal = labels.vocab(LegalStatus, self.summary.case.legal_status).lower()
        code = perm.ReservedFunction.CLOSE_STATUTORY_CASE
        self.standing = next((x for x in standings if x.code == code), None)
        notice = self.reserved_notice
        if self.standing is not None and self.standing.allowed:
            notice.show_message(tr("This case is under a {legal}: closing it is reserved to a "
                                   "registered social worker. You qualify.")
                                .format(legal=legal), Tone.INFO)
            return
        message = self.standing.message if self.standing else ""
        notice.show_message(tr("This case is under a {legal}: you may not close it. "
                               "{why}").format(legal=legal, why=message).strip(), Tone.WARNING)
        self.save_button.setEnabled(False)
        self.save_button.setToolTip(message)
        self.save_button.setAccessibleDescription(message)

    def _show(self, s: dto.CaseSummary, keep: set[str]) -> None:
        super()._show(s, keep)
        if self.standing is not None and not self.standing.allowed:
            self.save_button.setEnabled(False)

    def _local_problems(self) -> dict[str, str]:
        tr = self.tr
        text = self.closing.toPlainText().strip()
        if not text:
            return {"closing_summary": tr("say why the case is closing, what was achieved "
                                          "and how to seek help again")}
        if (problem := too_long(text, fields.LONG_TEXT)):
            return {"closing_summary": problem}
        return {}

    def _confirmed(self) -> bool:
        tr = self.tr
        assert self.summary is not None
        return Confirm.ask(self, tr("Close this case?"),
                           tr("{person}'s case will be closed today. It cannot be reopened: "
                              "a new referral starts a new case.").format(
                               person=self.summary.person.full_name),
                           tr("Close case"))

    def _failed(self, exc: BaseException) -> None:
        super()._failed(exc)
        if isinstance(exc, PermissionDenied):
            # Said plainly in the banner; asking again would be refused again.
            self.save_button.setEnabled(False)

    def _request(self) -> tuple:
        return (self._me.cases.close, self._case_id, self.closing.toPlainText().strip(),
                self._row_version())


# -- from a case window -------------------------------------------------------------------

def open_case(ctx: CaseContext, parent: QWidget) -> OpenCaseDialog:
    return open_dialog(OpenCaseDialog(ctx.me, ctx.runner, ctx.case_id, ctx.summary(), parent))


def edit_case(ctx: CaseContext, parent: QWidget) -> EditCaseDialog:
    return open_dialog(EditCaseDialog(ctx.me, ctx.runner, ctx.case_id, ctx.summary(), parent))


def close_case(ctx: CaseContext, parent: QWidget) -> CloseCaseDialog:
    return open_dialog(CloseCaseDialog(ctx.me, ctx.runner, ctx.case_id, ctx.summary(), parent))
