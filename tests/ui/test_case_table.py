"""CaseTableModel: pages through me.cases in SQL order, checked by QAbstractItemModelTester."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt

from casework import dto
from casework.ui.item_models.case_table import CaseRole, CaseTableModel, IdRole, WARNING_COLOUR
from ui_world import add_filler_cases


def names(model: CaseTableModel) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_model_passes_the_tester_through_fetch_sort_and_filter(fx, runner, qtmodeltester):
    add_filler_cases(fx, "sw.one", 25)
    me = fx.login("sw.one")
    model = CaseTableModel(me.cases, runner, page_size=10)
    qtmodeltester.check(model)  # empty, before anything is loaded
    model.set_query(dto.CaseQuery(scope=dto.CaseScope.MINE))
    assert model.rowCount() == 10 and model.total == 28  # 25 fillers + 3 live cases
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 20

    qtmodeltester.check(model)  # which itself fetches the rest through fetchMore
    assert model.rowCount() == 28 and not model.canFetchMore(QModelIndex())
    assert len({model.index(r, 0).data(IdRole) for r in range(28)}) == 28

    model.sort(model.column_of(dto.CaseSort.PERSON), Qt.SortOrder.DescendingOrder)
    assert model.query.sort == dto.CaseSort.PERSON and model.query.descending
    assert names(model)[:3] == ["Hamish Ross", "Morag Henderson", "Alasdair Grant"]  # by surname
    qtmodeltester.check(model)

    model.set_query(replace(model.query, text="morag"))
    assert names(model) == ["Morag Henderson"] and model.total == 1
    qtmodeltester.check(model)


def test_overdue_review_has_a_text_cue_and_colour_and_high_risk_is_bold(fx, runner):
    me = fx.login("sw.one")
    model = CaseTableModel(me.cases, runner)
    model.set_query(dto.CaseQuery(scope=dto.CaseScope.MINE))
    review = model.column_of(dto.CaseSort.NEXT_REVIEW)
    risk = model.column_of(dto.CaseSort.RISK)
    first = model.index(0, 0).data(CaseRole)
    assert first.person_name == "Morag Henderson"  # next review first, the overdue one on top
    assert model.index(0, review).data().endswith("overdue")
    assert model.index(0, review).data(Qt.ItemDataRole.ForegroundRole).color() == WARNING_COLOUR
    assert model.index(0, risk).data() == "High"
    assert model.index(0, risk).data(Qt.ItemDataRole.FontRole).bold()
    second = model.index(1, review)
    assert "overdue" not in second.data() and second.data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(1, risk).data(Qt.ItemDataRole.FontRole) is None


def test_a_review_within_a_fortnight_says_it_is_due(fx, runner):
    me = fx.login("sw.one")
    model = CaseTableModel(me.cases, runner)
    model.set_query(dto.CaseQuery(scope=dto.CaseScope.MINE))
    review = model.column_of(dto.CaseSort.NEXT_REVIEW)
    shown = {model.index(r, 0).data(): model.index(r, review) for r in range(model.rowCount())}
    due = shown["Alasdair Grant"]  # in ten days
    assert due.data().endswith("– due") and due.data(Qt.ItemDataRole.FontRole).bold()
    assert due.data(Qt.ItemDataRole.ToolTipRole) == "Review due in 10 days"
    later = shown["Hamish Ross"]  # in sixty days
    assert "due" not in later.data() and later.data(Qt.ItemDataRole.FontRole) is None


def test_columns_follow_the_scope(fx, runner):
    me = fx.login("tl.north")
    model = CaseTableModel(me.cases, runner)
    model.set_query(dto.CaseQuery(scope=dto.CaseScope.UNALLOCATED, sort=dto.CaseSort.WAITING))
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[2] == "Waiting" and "Named worker" not in headers  # early in the row
    assert names(model) == ["Ewan Stewart", "Shona McKay"]  # longest wait first
    assert model.index(0, model.column_of(dto.CaseSort.WAITING)).data() == "10 days"

    model.set_query(dto.CaseQuery(scope=dto.CaseScope.TEAM))
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[-1] == "Named worker"
    assert model.total == 8
