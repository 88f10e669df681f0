"""Every control on the admin pages and dialogs has a name a screen reader can say, and a
title for the navigation."""

from __future__ import annotations

import pytest

from accessibility import unnamed
from admin_fixtures import me, runner, world, ws  # noqa: F401 (fixtures)
from casework.ui.dialogs.staff_editor import ResetPasswordDialog, StaffEditor
from casework.ui.pages import PAGES
from casework.ui.pages.admin_audit import AuditPage
from casework.ui.pages.admin_backups import BackupsPage
from casework.ui.pages.admin_reserved import ReservedRulesPage, RuleDialog
from casework.ui.pages.admin_staff import StaffPage
from casework.ui.pages.admin_teams import TeamDialog, TeamsPage


@pytest.mark.parametrize("page_class", [StaffPage, TeamsPage, AuditPage, BackupsPage,
                                        ReservedRulesPage])
def test_pages_name_every_control_and_have_a_title(qtbot, me, runner, ws, world, page_class):
    page = page_class(me, runner)
    qtbot.addWidget(page)
    assert unnamed(page) == []
    # Listed in the navigation under the same title, for an action the administrator has.
    spec = next(p for p in PAGES if p.title == page.title())
    assert spec.action is not None and me.can(spec.action)


def test_dialogs_name_every_control(qtbot, me, runner, world):
    rules = me.admin.reserved_rules()
    for dialog in (StaffEditor(me, runner), StaffEditor(me, runner, world.worker),
                   ResetPasswordDialog(me, runner, world.worker),
                   TeamDialog(me, runner), TeamDialog(me, runner, world.team),
                   RuleDialog(me, runner, rules)):
        qtbot.addWidget(dialog)
        assert unnamed(dialog) == [], type(dialog).__name__
