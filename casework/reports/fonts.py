"""The DejaVu Sans family, embedded in every PDF so that names such as Siobhán, Łukasz,
Ní Bhriain and MacDhòmhnaill print the same on any machine (the PDF standard fonts cover
Latin-1 only and are not embedded)."""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf",
          ITALIC: "DejaVuSans-Oblique.ttf", BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf"}

_lock = threading.Lock()
_registered = False


def register() -> str:
    """Register the four faces once, as one family (so that <b> and <i> in a Paragraph pick
    the right face), and return the family's name. Safe from any thread: PDFs are made on
    the task runner's worker."""
    global _registered
    with _lock:
        if not _registered:
            for name, file in _FILES.items():
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
            pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC,
                                          boldItalic=BOLD_ITALIC)
            _registered = True
    return REGULAR
