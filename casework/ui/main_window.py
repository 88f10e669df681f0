"""The main window: navigation by role on the left, the chosen page on the right, who is
signed in (and whether work is under way) in the status bar; it locks after idle time."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

import casework
from casework.permissions import Action
from casework import dto
from casework.services import Me, Workspace
from casework.ui import labels
from casework.ui.case_window import opener
from casework.ui.dialogs.login import DEMO_STYLE
from casework.ui.event_bridge import EventBridge
from casework.ui.idle import IdleWatcher
from casework.ui.page_context import PageContext
from casework.ui.pages import PAGES, PageSpec
from casework.ui.settings import IDLE_LOCK_MINUTES
from casework.ui.tasks import Runner
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.heading import heading
from casework.ui.widgets.lock_panel import LockPanel

BUSY_DELAY_MS = 250  # quick calls finish before the indicator would only flicker


class MainWindow(QMainWindow):
    signed_out = Signal()  # the person chose to sign out (the window closes itself)
    closed = Signal()  # the window has closed, for any reason
    ready = Signal()  # the first page has its data
    workspace_replaced = Signal(object)  # a restore closed ws; sign in to this one instead

    def __init__(self, ws: Workspace, me: Me, runner: Runner, *,
                 idle_minutes: float | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws, self.me, self.runner = ws, me, runner
        self.info: dto.WorkspaceInfo | None = None
        self.profile: dto.StaffInfo | None = None
        self.is_ready = False
        self.locked = False
        self._signing_out = False
        self._closed = False
        self.idle_minutes = idle_minutes if idle_minutes is not None else IDLE_LOCK_MINUTES.value()

        self.events = EventBridge(ws.bus, self)
        self.ctx = PageContext(ws, me, runner, self.events, self._workspace_restored,
                               opener.open_case)
        self.specs: list[PageSpec] = [p for p in PAGES if p.action is None or me.can(p.action)]
        self.pages: dict[str, QWidget] = {}

        self._build_content()
        self._build_menus()
        self._build_status_bar()
        self.lock_panel: LockPanel | None = None
        self.idle = IdleWatcher(self.idle_minutes, self)
        self.idle.idle.connect(lambda: self.lock(after_idle=True))
        runner.busy_changed.connect(self._busy_changed)
        runner.failed.connect(self._task_failed)
        self.events.changed.connect(self._on_changed)

        self._update_title()
        self.resize(1280, 800)
        self.runner.run(lambda: (ws.info, me.account.profile()), on_done=self._identity_arrived,
                        on_error=self._task_failed, owner=self)
        self.nav.setCurrentRow(0)
        self.nav.setFocus()

    # -- layout -----------------------------------------------------------------------

    def _build_content(self) -> None:
        self.nav = QListWidget(self)
        self.nav.setAccessibleName(self.tr("Navigation"))
        self.nav.setObjectName("navigation")
        self.nav.setStyleSheet("QListWidget#navigation::item { padding: 5px 8px; }")
        self.nav.currentRowChanged.connect(self._show_page)

        self.heading = heading(self, scale=1.4)
        self.banner = MessageBanner(self)
        self.stack = QStackedWidget(self)

        # Recording a referral is wanted from any page: it sits at the right of the heading.
        self.referral_button = QPushButton(self.tr("New referral…"), self)
        self.referral_button.setAccessibleName(self.tr("New referral"))
        self.referral_button.clicked.connect(self.new_referral)
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.heading, 1)
        heading_row.addWidget(self.referral_button)
        right = QVBoxLayout()
        right.addLayout(heading_row)
        right.addWidget(self.banner)
        right.addWidget(self.stack, 1)
        content = QWidget(self)
        row = QHBoxLayout(content)
        row.addWidget(self.nav)
        row.addLayout(right, 1)
        self.content = content

        self.outer = QStackedWidget(self)
        self.outer.addWidget(content)
        self.setCentralWidget(self.outer)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.referral_action = QAction(self.tr("&New referral…"), self)
        self.referral_action.setShortcut(QKeySequence(self.tr("Ctrl+N")))
        self.referral_action.triggered.connect(self.new_referral)
        self.referral_action.enabledChanged.connect(self.referral_button.setEnabled)
        file_menu.addAction(self.referral_action)
        file_menu.addSeparator()
        self.lock_action = QAction(self.tr("&Lock now"), self)
        self.lock_action.setShortcut(QKeySequence(self.tr("Ctrl+L")))
        self.lock_action.triggered.connect(lambda: self.lock())
        self.sign_out_action = QAction(self.tr("Sign &out"), self)
        self.sign_out_action.triggered.connect(self.sign_out)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.sign_out_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self._show_referral()

        view_menu = bar.addMenu(self.tr("&View"))
        self.refresh_action = QAction(self.tr("&Refresh"), self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.refresh_current)
        view_menu.addAction(self.refresh_action)
        view_menu.addSeparator()
        self.view_menu = view_menu
        self.go_actions: list[QAction] = []
        self._list_pages()

        help_menu = bar.addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About Casework"), self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    @property
    def _guarded(self) -> list[QAction]:
        """What a locked window must not offer."""
        return [self.referral_action, self.lock_action, self.refresh_action, *self.go_actions]

    def _show_referral(self) -> None:
        allowed = self.me.can(Action.RECORD_REFERRAL)
        self.referral_action.setVisible(allowed)
        self.referral_button.setVisible(allowed)

    def new_referral(self) -> None:
        if self.locked or not self.referral_action.isEnabled():
            return
        from casework.ui.dialogs import referral

        referral.record_referral(self.ctx, self)

    def _list_pages(self) -> None:
        """Fill the navigation and the View menu's Ctrl+1, Ctrl+2, ... (straight to a page
        from anywhere in the window) from `self.specs`."""
        self.nav.blockSignals(True)
        self.nav.clear()
        for spec in self.specs:
            item = QListWidgetItem(self._title(spec))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self.nav.blockSignals(False)
        self.nav.setFixedWidth(max(180, self.nav.sizeHintForColumn(0) + 40))
        for action in self.go_actions:
            self.view_menu.removeAction(action)
            action.deleteLater()
        self.go_actions = []
        for i, spec in enumerate(self.specs):
            action = QAction(self._title(spec), self)
            if i < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _checked=False, row=i: self.nav.setCurrentRow(row))
            self.view_menu.addAction(action)
            self.go_actions.append(action)

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.identity_label = QLabel(self)
        self.identity_label.setAccessibleName(self.tr("Signed in as"))
        status.addWidget(self.identity_label, 1)
        # Said in the window too, not only in its title: some desktops hide titles.
        self.demo_badge = QLabel(self.tr("DEMO — fictional data"), self)
        self.demo_badge.setStyleSheet(DEMO_STYLE)
        self.demo_badge.hide()
        status.addPermanentWidget(self.demo_badge)
        self.busy_label = QLabel(self.tr("Working…"), self)
        self.busy_bar = QProgressBar(self)
        self.busy_bar.setRange(0, 0)  # busy: no percentage to show
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setAccessibleName(self.tr("Working"))
        status.addPermanentWidget(self.busy_label)
        status.addPermanentWidget(self.busy_bar)
        self.busy_label.hide()
        self.busy_bar.hide()
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.setInterval(BUSY_DELAY_MS)
        self._busy_timer.timeout.connect(lambda: self._show_busy(True))

    # -- pages ------------------------------------------------------------------------

    @staticmethod
    def _title(spec: PageSpec) -> str:
        return QCoreApplication.translate("pages", spec.title)

    @property
    def page_titles(self) -> list[str]:
        return [self._title(s) for s in self.specs]

    def page(self, key: str) -> QWidget:
        """The page with `key`, built if it has not been shown yet."""
        if key not in self.pages:
            spec = next(s for s in self.specs if s.key == key)
            widget = spec.factory(self.ctx)
            self.pages[key] = widget
            self.stack.addWidget(widget)
            if len(self.pages) == 1:
                self._watch_first_page(widget)
        return self.pages[key]

    def show_page(self, key: str) -> QWidget:
        self.nav.setCurrentRow(next(i for i, s in enumerate(self.specs) if s.key == key))
        return self.pages[key]

    def current_page(self) -> QWidget | None:
        widget = self.stack.currentWidget()
        return widget if widget in self.pages.values() else None

    def refresh_current(self) -> None:
        page = self.current_page()
        if page is not None and hasattr(page, "refresh"):
            page.refresh()

    def _show_page(self, row: int) -> None:
        if not 0 <= row < len(self.specs):
            return
        spec = self.specs[row]
        widget = self.page(spec.key)
        self.stack.setCurrentWidget(widget)
        self.heading.setText(self._title(spec))

    def _watch_first_page(self, widget: QWidget) -> None:
        if getattr(widget, "is_ready", True):
            QTimer.singleShot(0, self._first_page_ready)
        else:
            widget.ready.connect(self._first_page_ready)  # type: ignore[attr-defined]

    def _first_page_ready(self) -> None:
        if not self.is_ready:
            self.is_ready = True
            self.ready.emit()

    @property
    def first_page(self) -> QWidget | None:
        return self.page(self.specs[0].key) if self.specs else None

    # -- identity, title, status ------------------------------------------------------

    def _identity_arrived(self, result: tuple[dto.WorkspaceInfo, dto.StaffInfo]) -> None:
        self.info, self.profile = result
        self._update_title()
        p = self.profile
        where = f", {p.team_name}" if p.team_name else ""
        self.identity_label.setText(self.tr("Signed in as {name} — {role}{where}").format(
            name=p.display_name, role=labels.role(p.role), where=where))

    def _update_title(self) -> None:
        self.demo_badge.setVisible(self.info is not None and self.info.is_demo)
        parts = [self.tr("Casework")]
        if self.info is not None:
            parts.append(self.info.name)
        if self.profile is not None:
            parts.append(self.profile.display_name)
        if self.info is not None and self.info.is_demo:
            parts.append(self.tr("DEMO — fictional data"))
        self.setWindowTitle(" — ".join(parts))

    def _busy_changed(self, busy: bool) -> None:
        if busy:
            self._busy_timer.start()
        else:
            self._busy_timer.stop()
            self._show_busy(False)

    def _show_busy(self, shown: bool) -> None:
        self.busy_label.setVisible(shown)
        self.busy_bar.setVisible(shown)

    def _task_failed(self, exc: BaseException) -> None:
        self.banner.show_message(str(exc) or type(exc).__name__, Tone.ERROR)

    def _on_changed(self, event) -> None:
        if event.kind == "staff" and self.me.staff_id in event.ids:
            self.runner.run(self.me.account.profile, on_done=self._profile_changed, owner=self)

    def _profile_changed(self, profile: dto.StaffInfo) -> None:
        if self.info is None:
            return  # the first identity call is still on its way and brings the same
        had_temporary = self.profile is not None and self.profile.must_change_password
        self._identity_arrived((self.info, profile))
        if not profile.must_change_password:
            self.banner.clear()
            if had_temporary:
                # Their own password now: the pages their role gives them open up.
                self.runner.run(self.me.refresh_capabilities, on_done=self._capabilities_changed,
                                owner=self)

    def _capabilities_changed(self, _caps: dto.Capabilities) -> None:
        current = self.current_spec_key()
        self._show_referral()
        self.specs = [p for p in PAGES if p.action is None or self.me.can(p.action)]
        self._list_pages()
        if current is not None:
            self.show_page(current)

    def current_spec_key(self) -> str | None:
        page = self.current_page()
        return next((k for k, w in self.pages.items() if w is page), None)

    # -- lock, sign out, quit ---------------------------------------------------------

    def lock(self, *, after_idle: bool = False) -> None:
        """Hide every record until the person types their password again."""
        if self.locked or self._signing_out:
            return
        self.locked = True
        self.idle.pause()
        self._close_case_files()
        username = self.profile.username if self.profile else ""
        self.lock_panel = LockPanel(self.ws, self.runner, username,
                                    round(self.idle_minutes) if after_idle else 0, self)
        self.lock_panel.unlocked.connect(self._unlocked)
        self.lock_panel.sign_out_requested.connect(self.sign_out)
        self.outer.addWidget(self.lock_panel)
        self.outer.setCurrentWidget(self.lock_panel)
        for action in self._guarded:
            action.setEnabled(False)
        self.lock_panel.focus_password()

    def _close_case_files(self) -> None:
        """Nothing of a case stays on screen behind a lock or after signing out: dialogs
        are dismissed and case windows closed."""
        from casework.ui.case_window.window import CaseWindow

        for dialog in self.findChildren(QDialog):
            # A form dismissed this way does not ask about unsaved typing.
            getattr(dialog, "dismiss", dialog.reject)()
        for window in self.findChildren(CaseWindow):
            window.close_now()

    def _unlocked(self, me: Me) -> None:
        if me.staff_id != self.me.staff_id:
            return  # the username box is fixed; this only guards against a changed account
        self.locked = False
        panel, self.lock_panel = self.lock_panel, None
        self.outer.setCurrentWidget(self.content)
        if panel is not None:
            self.outer.removeWidget(panel)
            panel.deleteLater()
        for action in self._guarded:
            action.setEnabled(True)
        self.idle.resume()
        self.nav.setFocus()

    def _workspace_restored(self, new_ws: Workspace) -> None:
        QMessageBox.information(self, self.tr("Workspace restored"), self.tr(
            "The workspace was restored from the backup. Everyone must sign in again."))
        self.workspace_replaced.emit(new_ws)
        self.sign_out()

    def sign_out(self) -> None:
        self._signing_out = True
        self.signed_out.emit()
        self.close()

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About Casework"), self.tr(
            "<p><b>Casework</b> {version}</p>"
            "<p>Case and workload management for front-line social work teams in Scotland.</p>"
            "<p>Records are kept encrypted on this computer. Every change and every opening "
            "of a case file is recorded in the audit trail.</p>").format(
                version=casework.__version__))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        super().closeEvent(event)
        if self._closed:
            return
        self._closed = True
        self._close_case_files()
        self.idle.pause()
        self.events.detach()
        # The runner outlives this window (the next person to sign in uses it).
        self.runner.busy_changed.disconnect(self._busy_changed)
        self.runner.failed.disconnect(self._task_failed)
        self.closed.emit()
