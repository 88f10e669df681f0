"""Every control in the window, its pages and dialogs has a name a screen reader can say,
and the main window's controls are reachable with Tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from accessibility import unnamed
from casework.ui.dialogs.access_reason import AccessReasonDialog
from casework.ui.dialogs.login import LoginDialog
from casework.ui.dialogs.passphrase import PassphraseDialog
from casework.ui.main_window import MainWindow
from ui_world import page_context


def test_the_window_and_every_page_name_their_controls(fx, runner, qtbot):
    window = MainWindow(fx.ws, fx.login("tl.north"), runner)
    qtbot.addWidget(window)
    window.show()
    for spec in window.specs:
        window.show_page(spec.key)
    assert unnamed(window) == []
    window.lock()
    assert unnamed(window.lock_panel) == []


def test_tab_reaches_the_caseload_controls_in_order(fx, runner, qtbot):
    window = MainWindow(fx.ws, fx.login("tl.north"), runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = window.show_page("team_caseload")
    order, widget = [], page.search
    while len(order) < 6:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible():
            order.append(widget)
        widget = widget.nextInFocusChain()
    assert order[:5] == [page.search, page.status_filter, page.risk_filter, page.area_filter,
                         page.table]


def test_dialogs_name_their_controls(fx, runner, qtbot):
    dialogs: list[QDialog] = [
        LoginDialog(fx.ws, runner),
        PassphraseDialog("casework.db"),
        AccessReasonDialog("This case belongs to another team."),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        assert unnamed(dialog) == [], type(dialog).__name__


def test_the_case_window_names_its_controls(fx, runner, qtbot):
    from casework.ui.case_window.window import CaseWindow

    me = fx.login("tl.north")
    ctx = page_context(fx, me, runner)
    window = CaseWindow(ctx, me.cases.summary(fx.cases["Morag Henderson"]))
    qtbot.addWidget(window)
    window.show()
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        assert unnamed(window) == [], window.tabs.tabText(i)
