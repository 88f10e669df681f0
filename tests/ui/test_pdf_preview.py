"""The case PDF preview: made through the runner with a progress bar, shown with QtPdf,
paged and zoomed, saved byte for byte where the person chooses; a refusal shown plainly."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from casework.models import AuditEvent
from casework import dto
from casework.ui.case_window.context import CaseContext
from casework.ui.case_window.window import CaseWindow
from casework.ui.dialogs.pdf_preview import PdfPreviewDialog
from casework.ui.event_bridge import EventBridge
from casework.ui.widgets.banner import Tone
from accessibility import unnamed
from ui_world import add_note, page_context

MORAG = "Morag Henderson"


@pytest.fixture
def notes(fx):
    """Enough of a chronology for several pages."""
    for i in range(40):
        add_note(fx, MORAG, f"Visit {i + 1:02d} to Morag", significant=True,
                 hours_ago=200 - i, body="Morag was at home with her daughter. " * 12)


def context(fx, runner, username: str, case: str = MORAG) -> CaseContext:
    me = fx.login(username)
    # The window's summary as its own team reads it: the dialog names the person from it.
    summary = fx.login("sw.one").cases.summary(fx.cases[case])
    return CaseContext(me=me, runner=runner, events=EventBridge(fx.ws.bus),
                       case_id=fx.cases[case], summary=lambda: summary, today=me.today)


@pytest.fixture
def host(qtbot) -> QWidget:
    """The window the dialog belongs to (held here: qtbot keeps only a weak reference)."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def open_dialog(qtbot, host: QWidget, ctx: CaseContext, kind: str = "chronology"
                ) -> tuple[PdfPreviewDialog, list[int]]:
    dialog = PdfPreviewDialog(ctx, dto.PdfKind(kind), host)
    values: list[int] = []
    dialog.progress.valueChanged.connect(values.append)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.start()
    return dialog, values


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_the_chronology_is_made_with_progress_and_previewed(fx, runner, qtbot, host, notes):
    dialog, values = open_dialog(qtbot, host, context(fx, runner, "sw.one"))
    assert dialog.document.status() == QPdfDocument.Status.Ready
    assert dialog.pdf is not None and dialog.pdf.kind == dto.PdfKind.CHRONOLOGY
    assert dialog.document.pageCount() == dialog.pdf.page_count > 1
    # The progress bar filled as the rows were laid out, then made way for the preview.
    assert values == sorted(values) and values[-1] == 100 and len(values) > 3
    assert dialog.progress.isHidden() and dialog.pages.currentWidget() is dialog.view
    assert "Morag Henderson" in dialog.windowTitle() and "CW-000001" in dialog.windowTitle()
    assert dialog.status.text().startswith(f"{dialog.pdf.page_count} pages.")
    assert dialog.save_button.isEnabled()
    assert unnamed(dialog) == []


def test_pages_can_be_turned_and_zoomed(fx, runner, qtbot, host, notes):
    dialog, _ = open_dialog(qtbot, host, context(fx, runner, "sw.one"))
    total = dialog.page_count
    assert dialog.current_page == 0 and dialog.page_label.text() == f"Page 1 of {total}"
    assert not dialog.previous_button.isEnabled() and dialog.next_button.isEnabled()
    click(qtbot, dialog.next_button)
    assert dialog.current_page == 1 and dialog.page_label.text() == f"Page 2 of {total}"
    assert dialog.previous_button.isEnabled()
    click(qtbot, dialog.previous_button)
    assert dialog.current_page == 0
    dialog.go_to_page(total - 1)
    assert dialog.page_label.text() == f"Page {total} of {total}"
    assert not dialog.next_button.isEnabled()
    dialog.go_to_page(total)  # beyond the last page: stays
    assert dialog.current_page == total - 1

    dialog.go_to_page(1)
    click(qtbot, dialog.zoom_in_button)
    assert dialog.current_page == 1  # zooming stays on the page being read
    zoomed = dialog.view.zoomFactor()
    click(qtbot, dialog.zoom_in_button)
    assert dialog.view.zoomFactor() == pytest.approx(zoomed * 1.25)
    click(qtbot, dialog.zoom_out_button)
    assert dialog.view.zoomFactor() == pytest.approx(zoomed)
    click(qtbot, dialog.fit_button)
    assert dialog.view.zoomMode() == dialog.view.ZoomMode.FitToWidth


def test_save_as_writes_the_same_bytes_where_asked(fx, runner, qtbot, host, notes, tmp_path,
                                                   monkeypatch):
    asked: list[str] = []
    target = tmp_path / "for the handover"  # no suffix: .pdf is added

    def ask_path(cls, parent, suggested):
        asked.append(suggested)
        return str(target)

    monkeypatch.setattr(PdfPreviewDialog, "ask_path", classmethod(ask_path))
    dialog, _ = open_dialog(qtbot, host, context(fx, runner, "sw.one"), "summary")
    click(qtbot, dialog.save_button)
    saved = tmp_path / "for the handover.pdf"
    assert saved.read_bytes() == dialog.pdf.content
    assert saved.read_bytes().startswith(b"%PDF-")
    assert asked == [dialog.pdf.file_name] and asked[0].startswith("CW-000001 case summary ")
    assert dialog.banner.tone == Tone.SUCCESS and str(saved) in dialog.banner.text


def test_cancelling_save_as_writes_nothing(fx, runner, qtbot, host, tmp_path, monkeypatch):
    monkeypatch.setattr(PdfPreviewDialog, "ask_path", classmethod(lambda cls, p, s: None))
    dialog, _ = open_dialog(qtbot, host, context(fx, runner, "sw.one"))
    click(qtbot, dialog.save_button)
    assert dialog.saved_to is None and dialog.banner.isHidden()


def test_a_file_that_cannot_be_written_is_said_and_the_preview_stays(fx, runner, qtbot, host,
                                                                     tmp_path, monkeypatch):
    missing = tmp_path / "no such folder" / "x.pdf"
    monkeypatch.setattr(PdfPreviewDialog, "ask_path",
                        classmethod(lambda cls, p, s: str(missing)))
    dialog, _ = open_dialog(qtbot, host, context(fx, runner, "sw.one"))
    click(qtbot, dialog.save_button)
    assert not missing.exists()
    assert dialog.banner.tone == Tone.ERROR and "was not saved" in dialog.banner.text
    assert dialog.save_button.isEnabled() and dialog.document.pageCount() > 0


@pytest.mark.parametrize("username, reason", [
    ("tl.south", "outside_team_needs_reason"),
    ("pp.one", "role_not_permitted"),
])
def test_a_refusal_is_shown_plainly_and_nothing_is_made(fx, runner, qtbot, host, username, reason):
    dialog, _ = open_dialog(qtbot, host, context(fx, runner, username))
    assert dialog.pdf is None and dialog.document.pageCount() == 0
    assert dialog.banner.tone == Tone.ERROR and dialog.banner.isVisible()
    assert dialog.banner.text  # the service's own words
    assert dialog.waiting_label.text() == "No PDF was made."
    assert dialog.pages.currentWidget() is dialog.waiting and dialog.tools.isHidden()
    assert not dialog.save_button.isEnabled() and dialog.progress.isHidden()
    with fx.ws.db.read() as s:
        refused = s.scalars(select(AuditEvent).where(AuditEvent.action == "export_case_pdf")
                            ).all()
    assert [(e.outcome, e.reason) for e in refused] == [("refused", reason)]


def test_the_case_window_s_buttons_open_the_preview(fx, runner, qtbot):
    me = fx.login("sw.one")
    window = CaseWindow(page_context(fx, me, runner),
                        me.cases.summary(fx.cases[MORAG]))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    click(qtbot, window.chronology_pdf_button)
    click(qtbot, window.summary_pdf_button)
    dialogs = window.findChildren(PdfPreviewDialog)
    assert all(d.isVisible() and d.isWindow() for d in dialogs)
    assert sorted(d.pdf.kind for d in dialogs) == [dto.PdfKind.CHRONOLOGY, dto.PdfKind.SUMMARY]
    assert all(d.document.status() == QPdfDocument.Status.Ready for d in dialogs)
    # Closing leaves nothing behind.
    for d in dialogs:
        d.close()
    qtbot.waitUntil(lambda: not window.findChildren(PdfPreviewDialog), timeout=2000)
