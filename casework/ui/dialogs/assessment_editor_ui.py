"""The assessment editor's widgets and their layout, made in one place (as Qt Designer's
setupUi would): the sections in a scroll area with the assessed risk after Risks, the
contributions table with its buttons, the sign-off box, and the footer. The editor connects
them to what they do."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from casework.ui import labels
from casework.ui.dialogs.assessment_widgets import SECTIONS, text_edit, wrapping_label
from casework.ui.item_models.assessment_table import ContributionColumn, ContributionTableModel
from casework.ui.widgets.form import plain
from casework.ui.widgets.heading import heading
from casework.ui.widgets.tables import button, make_table
from casework.vocab import RiskLevel


def build(editor: Any) -> None:
    """Make the AssessmentEditor's widgets (as its attributes) and lay them out."""
    tr = editor.tr
    editor.heading = heading(editor)
    editor.heading.setWordWrap(True)
    editor.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    editor.heading.setAccessibleName(tr("Assessment"))
    editor.status_label = wrapping_label(editor, tr("Status"))

    # Sections, in a scroll area: long text must never squeeze the rest out.
    editor.sections = {}  # key -> QPlainTextEdit, in SECTIONS order
    content = QWidget(editor)
    column = QVBoxLayout(content)
    captions = {
        "strengths": (tr("S&trengths"),
                      tr("What is going well; who and what helps")),
        "needs": (tr("&Needs"), tr("What the person needs support with")),
        "risks": (tr("Ris&ks"), tr("Risks to the person or to others, and what reduces "
                                  "them")),
        "outcomes_wanted": (tr("&Outcomes the person wants"),
                            tr("What the person wants to achieve, in their words where "
                               "possible")),
        "analysis": (tr("Anal&ysis"), tr("Your analysis and professional view")),
    }
    editor.placeholders = {}  # key -> what an empty, editable section says
    for key in SECTIONS:
        caption_text, placeholder = captions[key]
        edit = text_edit(content, placeholder, section=True)
        edit.setMinimumHeight(72)
        caption = QLabel(caption_text, content)
        caption.setBuddy(edit)
        editor.sections[key] = edit
        editor.placeholders[key] = placeholder
        column.addWidget(caption)
        column.addWidget(edit, 1)
        column.addWidget(editor.errors.add(key, plain(caption_text), edit))
        if key == "risks":
            # The assessed risk is decided from the risks just written: it comes next
            # (made here, so that Tab reaches it next too).
            editor.risk = QComboBox(content)
            editor.risk.addItem(tr("Not yet assessed"), None)
            for level in RiskLevel:
                editor.risk.addItem(labels.vocab(RiskLevel, level), level.value)
            risk_row = QHBoxLayout()
            risk_caption = QLabel(tr("Assessed &risk:"), content)
            risk_caption.setBuddy(editor.risk)
            editor.risk_value = QLabel(content)  # the risk of a signed-off assessment
            editor.risk_value.setAccessibleName(tr("Assessed risk"))
            font = QFont(editor.risk_value.font())
            font.setBold(True)
            editor.risk_value.setFont(font)
            risk_row.addWidget(risk_caption)
            risk_row.addWidget(editor.risk)
            risk_row.addWidget(editor.risk_value)
            risk_row.addStretch(1)
            column.addLayout(risk_row)
            column.addWidget(editor.errors.add("risk_level", tr("Assessed risk"), editor.risk))
            # A draft assessed as high: who may lower it, said before anyone tries.
            editor.risk_rule = wrapping_label(content, tr("Who may lower the assessed risk"))
            editor.risk_rule.hide()
            column.addWidget(editor.risk_rule)
            column.addSpacing(6)
    editor.scroll = scroll = QScrollArea(editor)
    scroll.setWidgetResizable(True)
    scroll.setWidget(content)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    # Contributions: who said what, in their words (wrapped, so the words can be read).
    contributions_box = QGroupBox(tr("Contributions"), editor)
    editor.contributions_model = ContributionTableModel(editor)
    editor.contributions = make_table(editor.contributions_model, tr("Contributions"),
                                    contributions_box, stretch=ContributionColumn.WORDS)
    editor.contributions.setWordWrap(True)
    header = editor.contributions.horizontalHeader()
    for c in (ContributionColumn.ROLE, ContributionColumn.GIVEN):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    editor.contributions.verticalHeader().setSectionResizeMode(
        QHeaderView.ResizeMode.ResizeToContents)
    editor.no_contributions = QLabel(tr("No contributions yet. Record the person's own "
                                      "view, and a carer's or another agency's, in their "
                                      "words."), contributions_box)
    editor.no_contributions.setWordWrap(True)
    editor.no_contributions.setAccessibleName(tr("No contributions yet"))
    editor.add_button = button(tr("&Add contribution…"), contributions_box)
    editor.edit_button = button(tr("&Edit…"), contributions_box)
    editor.remove_button = button(tr("Re&move"), contributions_box)
    editor.edit_button.setAccessibleName(tr("Edit the selected contribution"))
    editor.remove_button.setAccessibleName(tr("Remove the selected contribution"))
    row = QHBoxLayout()
    for b in (editor.add_button, editor.edit_button, editor.remove_button):
        row.addWidget(b)
    row.addStretch(1)
    box_layout = QVBoxLayout(contributions_box)
    box_layout.addWidget(editor.contributions, 1)
    box_layout.addWidget(editor.no_contributions)
    box_layout.addWidget(editor.errors.add("contributions", tr("Contributions"),
                                         editor.contributions))
    box_layout.addLayout(row)

    # Sign-off: who may, whether I may, what is still missing, and the button beside
    # the reason it is disabled.
    editor.sign_off_box = QGroupBox(tr("Sign-off"), editor)
    editor.sign_off_rule = wrapping_label(editor.sign_off_box, tr("Who signs this off"))
    editor.missing = wrapping_label(editor.sign_off_box,
                                   tr("What is still needed before sign-off"))
    editor.sign_off_button = button(tr("Sign o&ff…"), editor.sign_off_box)
    editor.sign_off_button.setAutoDefault(False)
    sign_layout = QVBoxLayout(editor.sign_off_box)
    sign_layout.addWidget(editor.sign_off_rule)
    sign_layout.addWidget(editor.missing)
    sign_row = QHBoxLayout()
    sign_row.addWidget(editor.sign_off_button)
    sign_row.addStretch(1)
    sign_layout.addLayout(sign_row)

    right = QVBoxLayout()
    right.addWidget(contributions_box, 1)
    right.addWidget(editor.sign_off_box)
    columns = QHBoxLayout()
    columns.addWidget(scroll, 1)
    columns.addLayout(right, 1)

    editor.save_button = button(tr("Save &draft"), editor)
    editor.close_button = button(tr("&Close"), editor)
    for b in (editor.save_button, editor.close_button):
        b.setAutoDefault(False)  # Enter in a field never saves or closes by surprise
    footer = QHBoxLayout()
    footer.addWidget(editor.save_button)
    footer.addStretch(1)
    footer.addWidget(editor.close_button)

    layout = QVBoxLayout(editor)
    layout.addWidget(editor.banner)
    layout.addWidget(editor.heading)
    layout.addWidget(editor.status_label)
    layout.addLayout(columns, 1)
    layout.addLayout(footer)
    editor.resize(1120, 800)
