"""The assessment editor: one assessment's sections, its contributions in the contributors'
own words, and sign-off.

The editor says before anyone tries who may sign this kind of assessment off and whether the
signed-in person may (`assessment_sign_off`): a para-professional prepares drafts, and
statutory kinds and high assessed risk are reserved to a qualified registered social
worker; so is lowering a risk someone assessed as high. The service still decides; a refusal
it makes (a registration that lapsed since the editor opened, say) is shown in the banner
and nothing typed is lost. Saving what is typed and signing off are one service call:
refused, neither is kept.

Starting an assessment is `assessment_start`; a contribution's dialog is
`contribution_editor`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QWidget,
)

from casework import dto, fields
from casework.errors import PermissionDenied, ValidationError
from casework.services import Me
from casework.sign_off_rules import still_needed
from casework.timeutil import show_date, show_datetime
from casework.ui import labels
from casework.ui.dialogs.assessment_editor_ui import build
from casework.ui.dialogs.assessment_sign_off import SignOffStanding
from casework.ui.dialogs.contribution_editor import ContributionDialog
from casework.ui.item_models.assessment_table import ContributionColumn
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import Tone
from casework.ui.widgets.confirm import Confirm
from casework.ui.widgets.text_box import too_long
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.form_dialog import FormDialog
from casework.ui.widgets.open_dialog import open_dialog
from casework.vocab import AssessmentKind, RiskLevel

__all__ = ["AssessmentEditor", "Confirm"]

WHO_WIDTH = 180  # pixels at most for a contributor's name in the table


# (Signed-in person, assessment id) -> its open editor: opening it again brings that one
# forward, with whatever was typed in it.
_open_editors: dict[tuple[str, str], "AssessmentEditor"] = {}


class AssessmentEditor(FormDialog):
    """One assessment: its sections, its contributions, and sign-off. Opened beside the
    case window (not modal), so the case stays readable while writing.

    A form dialog that stays open when it saves: Save draft is the form's save (problems
    under their fields, a refusal or conflict shown in the banner with nothing typed lost);
    Sign off saves what is on screen and signs it off in one service call."""

    loaded = Signal()  # the assessment arrived (or failed to)
    changed = Signal(object)  # a dto.AssessmentDetail the service returned after a change

    @classmethod
    def present(cls, me: Me, runner: Runner, assessment_id: str,
                parent: QWidget | None = None) -> "AssessmentEditor":
        """Open the editor for an assessment (or bring forward the one already open)."""
        key = (me.staff_id, assessment_id)
        existing = _open_editors.get(key)
        if existing is not None and not existing._done:  # open, or hidden with typing
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
        editor = cls(me, runner, assessment_id, parent)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _open_editors[key] = editor
        # Closed, it goes when Qt deletes it; one opened since for the same assessment stays.
        editor.destroyed.connect(
            lambda *_: _open_editors.pop(key) if _open_editors.get(key) is editor else None)
        editor.show()
        return editor

    def __init__(self, me: Me, runner: Runner, assessment_id: str,
                 parent: QWidget | None = None):
        super().__init__(me, runner, parent)
        self.setWindowFlags(Qt.WindowType.Window)
        self._id = assessment_id
        self.detail: dto.AssessmentDetail | None = None
        self.is_loaded = False
        self.dialog: QDialog | None = None  # a contribution dialog, while one is open
        self.sign_off_allowed = False
        self._saved_input: dto.AssessmentInput | None = None
        # The version the sections on screen were read at: a save against it fails when
        # someone else saved since, even if a contribution was added in between.
        self._version = 0
        self._wants_sign_off = False  # a sign-off was asked for: show what it still needs
        self.standing = SignOffStanding(me, self.tr)
        self.setWindowTitle(self.tr("Assessment"))
        self.setAccessibleName(self.tr("Assessment"))
        self._build()
        self._set_editable(False)
        self.banner.show_message(self.tr("Loading the assessment…"))
        runner.run(_load, me, assessment_id, on_done=self._arrived,
                   on_error=self._load_failed, owner=self)

    # -- building -------------------------------------------------------------------------

    def _build(self) -> None:
        build(self)
        for key, edit in self.sections.items():
            edit.textChanged.connect(lambda k=key: self._edited(k))
        self.risk.currentIndexChanged.connect(lambda _i: self._edited("risk_level"))
        self.add_button.clicked.connect(self.add_contribution)
        self.edit_button.clicked.connect(self.edit_contribution)
        self.remove_button.clicked.connect(self.remove_contribution)
        self.contributions.activated.connect(lambda _i: self.edit_contribution())
        self.contributions.selectionModel().selectionChanged.connect(self._update_buttons)
        self.sign_off_button.clicked.connect(self.sign_off)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)

    # -- showing the assessment -------------------------------------------------------------

    def _arrived(self, loaded: tuple[dto.AssessmentDetail, tuple[dto.ReservedStanding, ...]]
                 ) -> None:
        detail, standings = loaded
        self.standing.set_standings(standings)
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
            edit.setPlaceholderText(self.placeholders[key] if editable else tr("Not recorded."))
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
        allowed, text = self.standing.sign_off_rule(d.kind, d.risk_level,
                                                    self.risk.currentData())
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

    def _lowering_refused(self) -> str | None:
        """Why the risk on screen may not be saved (it lowers a draft assessed as high, and I
        may not), or None."""
        d = self.detail
        if d is None or not d.is_draft:
            return None
        return self.standing.lowering_refused(d.risk_level, self.risk.currentData())

    def _show_risk_rule(self) -> None:
        d = self.detail
        text = self.standing.risk_rule(d.risk_level) if d is not None and d.is_draft else None
        self.risk_rule.setText(text or "")
        self.risk_rule.setVisible(text is not None)

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
        super()._edited(key)
        if self.detail is not None:
            self._update_sign_off()

    def _local_problems(self) -> dict[str, str]:
        """What the service would refuse in what is typed: a section too long, or a risk
        assessed as high lowered by someone who may not."""
        problems = {k: problem for k, e in self.sections.items()
                    if (problem := too_long(e.toPlainText().strip(), fields.LONG_TEXT))}
        if self._lowering_refused():
            problems["risk_level"] = self.tr("you may not lower a risk assessed as high "
                                             "(see below)")
        return problems

    def _show_touched_problems(self) -> None:
        """Problems with what is typed, under the fields already touched; after a sign-off
        was asked for, also what it still needs, until it is there."""
        problems = {k: v for k, v in self._local_problems().items() if k in self._touched}
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

    def _discard_warning(self) -> str:
        return self.tr("What you typed since the draft was last saved will be lost.")

    def _can_save(self) -> bool:
        return self.detail is not None and self.detail.is_draft

    def _request(self) -> tuple:
        return self._me.assessments.update_draft, self._id, self.data(), self._version

    def save_draft(self) -> None:
        self.save()

    def _saved(self, detail: dto.AssessmentDetail) -> None:
        # Saved, the editor stays open for more.
        self._busy = False
        self._show(detail, fill=True)
        self.banner.show_message(self.tr("Draft saved."), Tone.SUCCESS)
        self.changed.emit(detail)

    def _save_ended(self) -> None:
        super()._save_ended()
        self._update_buttons()
        self._update_sign_off()

    def _conflict_reload(self):
        return self.reload

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
        self._show_touched_problems()
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
                self._show_touched_problems()
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
        # Asked only of someone who may sign off: when the editor already says it is
        # refused, the service's answer (and its audit) follows without a question first.
        if self.sign_off_allowed and not Confirm.ask(
                self, tr("Sign off this assessment?"),
                tr("Once signed off, this assessment can no longer change, and you stay "
                   "accountable for it."), tr("Sign off")):
            return
        self._start_saving()
        self.sign_off_button.setEnabled(False)
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
            self.standing.refused(self.detail.kind, self.risk.currentData(), str(exc))
            self._save_ended()
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
        self._busy = False
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

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() == Qt.Key.Key_Escape:  # closes, asking first when something is unsaved
            self.close()
            return
        super().keyPressEvent(event)

    def dismiss(self) -> None:
        """The window locks or the person signs out: no question may sit on top of a lock.
        Unsaved typing is kept in the hidden editor, which comes back when the assessment is
        opened again."""
        if self.is_dirty:
            self.hide()
            return
        self._done = True
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
