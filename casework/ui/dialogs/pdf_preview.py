"""A case PDF (the case summary or the chronology), made in the background and previewed
inside Casework before anything is written to disk.

The service makes the PDF off the GUI thread while a progress bar fills; the preview pages
and zooms through it; "Save as…" writes exactly the bytes shown to a file the person
chooses. Closing without saving leaves nothing behind. A refusal (need to know: a case of
another team opened without a stated reason, say) is shown in the banner.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QStandardPaths, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from casework import dto
from casework.ui.case_window.context import CaseContext
from casework.ui.widgets.banner import MessageBanner, Tone
from casework.ui.widgets.feedback import show_failure
from casework.ui.widgets.tables import button

ZOOM_STEP = 1.25
ZOOM_RANGE = (0.25, 4.0)


def preview_case_pdf(ctx: CaseContext, kind: str, parent: QWidget) -> "PdfPreviewDialog":
    """Make the case's PDF of `kind` ("summary" or "chronology") and preview it in a window
    of its own beside the case window, which stays usable meanwhile."""
    dialog = PdfPreviewDialog(ctx, dto.PdfKind(kind), parent)
    dialog.show()
    dialog.start()
    return dialog


class PdfPreviewDialog(QDialog):
    def __init__(self, ctx: CaseContext, kind: dto.PdfKind, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._ctx, self._kind = ctx, kind
        self.pdf: dto.PdfDocument | None = None
        self.saved_to: Path | None = None
        tr = self.tr
        summary = ctx.summary()
        if kind == dto.PdfKind.SUMMARY:
            what, self._making = tr("Case summary PDF"), tr("Making the case summary PDF…")
        else:
            what, self._making = tr("Chronology PDF"), tr("Making the chronology PDF…")
        self.setWindowTitle(tr("{what}: {person}, {reference} — Casework").format(
            what=what, person=summary.person.full_name, reference=summary.case.reference))
        self.setAccessibleName(what)

        self.banner = MessageBanner(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(tr("What the preview shows"))
        # Until the PDF arrives: what is happening, and how far it has got.
        self.waiting = QWidget(self)
        self.waiting_label = QLabel(self.waiting)
        self.waiting_label.setWordWrap(True)
        self.waiting_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.waiting_label.setAccessibleName(tr("What is happening"))
        self.progress = QProgressBar(self.waiting)
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName(tr("Progress of making the PDF"))
        self.progress.setMaximumWidth(420)
        waiting = QVBoxLayout(self.waiting)
        waiting.addStretch(1)
        waiting.addWidget(self.waiting_label)
        waiting.addWidget(self.progress, 0, Qt.AlignmentFlag.AlignHCenter)
        waiting.addStretch(2)

        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)  # QPdfDocument reads from it for as long as it shows
        self.view = QPdfView(self)
        self.view.setAccessibleName(tr("Preview of the PDF"))
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrows and Page Down scroll it

        self.previous_button = button(tr("&Previous page"), self)
        self.next_button = button(tr("&Next page"), self)
        self.page_label = QLabel(self)
        self.page_label.setAccessibleName(tr("Page shown"))
        self.zoom_out_button = button(tr("Zoom &out"), self)
        self.zoom_in_button = button(tr("Zoom &in"), self)
        self.fit_button = button(tr("Fit &width"), self)
        self.save_button = button(tr("&Save as…"), self)
        self.close_button = button(tr("&Close"), self)
        self.previous_button.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageUp))
        self.next_button.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_PageDown))
        self.zoom_in_button.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomIn))
        self.zoom_out_button.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        for b in (self.previous_button, self.next_button, self.zoom_out_button,
                  self.zoom_in_button, self.fit_button, self.save_button):
            b.setEnabled(False)
            b.setAutoDefault(False)
        self.close_button.setAutoDefault(False)

        self.previous_button.clicked.connect(lambda: self.go_to_page(self.current_page - 1))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page + 1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.fit_button.clicked.connect(self.fit_width)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.close)
        self.view.pageNavigator().currentPageChanged.connect(self._show_page_number)

        self.tools = QWidget(self)
        tools = QHBoxLayout(self.tools)
        tools.setContentsMargins(0, 0, 0, 0)
        for w in (self.previous_button, self.next_button, self.page_label):
            tools.addWidget(w)
        tools.addStretch(1)
        for w in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            tools.addWidget(w)
        self.tools.hide()
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.waiting)
        self.pages.addWidget(self.view)
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.save_button)
        actions.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tools)
        layout.addWidget(self.pages, 1)
        layout.addLayout(actions)
        self.resize(900, 860)

    # -- making the PDF -------------------------------------------------------------------

    def start(self) -> None:
        self.waiting_label.setText(self._making)
        self.progress.setValue(0)
        self.progress.show()
        self.pages.setCurrentWidget(self.waiting)
        make = (self._ctx.me.reports.case_summary_pdf if self._kind == dto.PdfKind.SUMMARY
                else self._ctx.me.reports.chronology_pdf)
        self._ctx.runner.run(make, self._ctx.case_id, on_done=self._arrived,
                             on_error=self._failed, on_progress=self._progressed, owner=self)

    def _progressed(self, fraction: float) -> None:
        self.progress.setValue(round(max(0.0, min(1.0, fraction)) * 100))

    def _arrived(self, pdf: dto.PdfDocument) -> None:
        self.pdf = pdf
        self.progress.hide()
        self.pages.setCurrentWidget(self.view)
        self.tools.show()
        self._buffer.setData(QByteArray(pdf.content))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            self.banner.show_message(self.tr("The PDF was made but cannot be shown here; you "
                                             "can still save it."), Tone.WARNING)
        self.view.setFocus()
        pages = pdf.page_count
        self.status.setText(self.tr("{n} pages. Nothing is saved until you choose Save as.")
                            .format(n=pages) if pages != 1 else
                            self.tr("One page. Nothing is saved until you choose Save as."))
        for b in (self.zoom_out_button, self.zoom_in_button, self.fit_button, self.save_button):
            b.setEnabled(True)
        self._show_page_number(0)

    def _failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.waiting_label.setText(self.tr("No PDF was made."))
        self.close_button.setFocus()
        show_failure(exc, self.banner)

    # -- reading it -----------------------------------------------------------------------

    @property
    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def go_to_page(self, page: int) -> None:
        if 0 <= page < self.page_count:
            navigator = self.view.pageNavigator()
            navigator.jump(page, QPointF(), navigator.currentZoom())
            self._show_page_number(page)

    def zoom_by(self, factor: float) -> None:
        low, high = ZOOM_RANGE
        zoom = min(high, max(low, self.view.zoomFactor() * factor))
        self._keeping_place(lambda: (self.view.setZoomMode(QPdfView.ZoomMode.Custom),
                                     self.view.setZoomFactor(zoom)))

    def fit_width(self) -> None:
        self._keeping_place(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))

    def _keeping_place(self, change) -> None:
        """Zoom without losing one's place: the same share of the document stays at the
        top (the pages are all A4, so that is the same place on the same page)."""
        bar = self.view.verticalScrollBar()
        share = bar.value() / bar.maximum() if bar.maximum() else 0.0
        change()
        bar.setValue(round(share * bar.maximum()))

    def _show_page_number(self, page: int) -> None:
        total = self.page_count
        if total == 0:
            self.page_label.clear()
            return
        self.page_label.setText(self.tr("Page {page} of {total}").format(page=page + 1,
                                                                         total=total))
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page < total - 1)

    # -- saving it ------------------------------------------------------------------------

    @classmethod
    def ask_path(cls, parent: QWidget, suggested: str) -> str | None:
        """Where to save the PDF, or None when the person cancelled. Tests replace this."""
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        path, _filter = QFileDialog.getSaveFileName(
            parent, parent.tr("Save the PDF as"), str(Path(folder) / suggested),
            parent.tr("PDF documents (*.pdf)"))
        return path or None

    def save_as(self) -> None:
        if self.pdf is None:
            return
        path = self.ask_path(self, self.pdf.file_name)
        if path is None:
            return
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        try:
            target.write_bytes(self.pdf.content)
        except OSError as exc:
            self.banner.show_message(self.tr("The PDF was not saved to {path}: {reason}").format(
                path=str(target), reason=exc.strerror or str(exc)), Tone.ERROR)
            return
        self.saved_to = target
        self.banner.show_message(self.tr("Saved to {path}. Keep it as safe as the case file.")
                                 .format(path=str(target)), Tone.SUCCESS)
