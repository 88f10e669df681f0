"""`FormDialog`: a dialog that edits something and saves it with one service call; and
`FittingDialog`, a form dialog that grows to show what appears in it.

Every editor checks, saves and is refused the same way, so that way is written once here:
problems show under the field they name, as the person types only under the fields they
have touched, all of them on Save; a refused save keeps everything typed; a conflict offers
to reload; closing with unsaved typing asks first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from casework.services import Me
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner
from casework.ui.widgets.confirm import Confirm
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.form import FieldErrors


class FormDialog(QDialog):
    """The banner (made first, so it heads the dialog and its tab order), the field errors,
    checking as the person types, saving through the runner, and asking before unsaved
    typing is thrown away.

    A subclass lays out `banner`, registers its fields with `errors`, makes `save_button`
    (`save_cancel`), and says what differs: `_local_problems()` (what the service would
    refuse, said before asking it), `_request()` (the call that saves), and where it applies
    `_can_save()`, `_confirmed()`, `_conflict_reload()` and `is_dirty`."""

    saved = Signal(object)  # what the service returned
    save_button: QPushButton  # made by the subclass, with save_cancel()

    def __init__(self, me: Me, runner: Runner, parent: QWidget | None = None):
        super().__init__(parent)
        self._me, self._runner = me, runner
        self._touched: set[str] = set()  # fields typed in, or named by a refused save
        self._busy = False  # a save is on its way
        self._done = False  # saved or dismissed: nothing left to ask about
        self.banner = MessageBanner(self)
        self.errors = FieldErrors()

    # -- what a subclass says ---------------------------------------------------------------

    def _local_problems(self) -> dict[str, str]:
        return {}

    def _request(self) -> tuple[Any, ...]:
        """The service call that saves, as (function, *args)."""
        raise NotImplementedError

    def _can_save(self) -> bool:
        """Whether what saving needs is here (choices the service sends, say)."""
        return True

    def _confirmed(self) -> bool:
        """Asked once the form is complete, before saving."""
        return True

    def _conflict_reload(self) -> Callable[[], None] | None:
        """What a conflict offers: reading the record as saved now (None: nothing)."""
        return None

    @property
    def is_dirty(self) -> bool:
        """Whether closing now would lose something typed."""
        return False

    def _discard_warning(self) -> str:
        return self.tr("What you typed here will be lost.")

    # -- checking as the person types -------------------------------------------------------

    def _edited(self, key: str) -> None:
        self._touched.add(key)
        self._show_touched_problems()

    def _show_touched_problems(self) -> None:
        """Every problem under a field already touched; the rest of the form stays quiet."""
        problems = self._local_problems()
        self.errors.show({k: v for k, v in problems.items() if k in self._touched},
                         focus=False)

    def _recheck(self, keys: Iterable[str]) -> None:
        """The problems of `keys` that were touched, each under its field; every other
        message (one the service gave, say) stays as it is."""
        problems = self._local_problems()
        for k in keys:
            if k in self._touched and k in self.errors:
                self.errors.set(k, problems.get(k, ""))

    def _refuse(self, problems: dict[str, str]) -> None:
        """Problems found on saving: all of them shown, the first field focused."""
        self._touched.update(problems)
        self.errors.show(problems)

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> None:
        if self._busy or not self._can_save():
            return
        problems = self._local_problems()
        if problems:
            self._refuse(problems)
            return
        if not self._confirmed():
            return
        self._start_saving()
        fn, *args = self._request()
        self._runner.run(fn, *args, on_done=self._saved, on_error=self._failed, owner=self)

    def _start_saving(self) -> None:
        self._busy = True
        self.errors.clear()
        self.banner.clear()
        self.save_button.setEnabled(False)

    def _saved(self, result: Any) -> None:
        self._busy = False
        self._done = True
        self.saved.emit(result)
        self.accept()

    def _save_ended(self) -> None:
        """The call came back refused (or a read failed): Save may be pressed again."""
        self._busy = False
        self.save_button.setEnabled(self._can_save())

    def _failed(self, exc: BaseException) -> None:
        # Everything typed stays: the person may put it right, or copy it elsewhere.
        self._save_ended()
        show_failure(exc, self.banner, self.errors, on_reload=self._conflict_reload())

    # -- closing ----------------------------------------------------------------------------

    def reject(self) -> None:
        """Escape, Cancel and the window's close button (QDialog's closeEvent calls this)
        all come here: ask first when something typed would be lost."""
        tr = self.tr
        if not self._done and self.is_dirty and not Confirm.ask(
                self, tr("Close without saving?"), self._discard_warning(),
                tr("Close without saving")):
            return
        self._done = True
        super().reject()

    def dismiss(self) -> None:
        """Close without asking: the window locks or the person signs out, and no question
        may wait on top of a lock with a case on screen."""
        self._done = True
        super().reject()


class FittingDialog(FormDialog):
    """A form dialog that grows to show what appears in it (a problem under a field, a list
    of matches) instead of squeezing its fields: wrapped text needs height for its width,
    which a window's minimum size does not account for."""

    def event(self, e: QEvent) -> bool:
        handled = super().event(e)
        if e.type() == QEvent.Type.LayoutRequest and self.layout() is not None:
            needed = self.heightForWidth(self.width())
            if needed < 0:
                needed = self.sizeHint().height()
            if self.height() < needed:
                self.resize(self.width(), needed)
        return handled
