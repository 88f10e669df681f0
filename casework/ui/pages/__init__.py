"""The pages the main window can show, in navigation order, each with the action a person
needs for it to be listed. The window lists a page only when `me.can(action)`; the
services still decide every call the page makes.

A factory takes a `PageContext` (casework.ui.page_context) and returns the page widget.
The window builds a page the first time it is shown. A page may also offer:
  - `ready` (a Signal) and `is_ready` (bool): its first data has arrived (start-up waits
    for the first page's);
  - `refresh()`: load again (View > Refresh, F5).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QWidget

from casework.permissions import Action
from casework import dto
from casework.ui.page_context import PageContext


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str  # English, marked for translation in the "pages" context
    action: Action | None  # None: every signed-in person
    factory: Callable[[PageContext], QWidget]


def _caseload(scope: dto.CaseScope) -> Callable[[PageContext], QWidget]:
    def build(ctx: PageContext) -> QWidget:
        from casework.ui.pages.caseload import CaseloadPage

        return CaseloadPage(ctx, scope)

    return build


def _following(page, ctx: PageContext) -> QWidget:
    """An administrator page kept up to date with changes made on the other pages."""
    page.follow(ctx.events)
    return page


def _staff(ctx: PageContext) -> QWidget:
    from casework.ui.pages.admin_staff import StaffPage

    return _following(StaffPage(ctx.me, ctx.runner), ctx)


def _teams(ctx: PageContext) -> QWidget:
    from casework.ui.pages.admin_teams import TeamsPage

    return _following(TeamsPage(ctx.me, ctx.runner), ctx)


def _reserved(ctx: PageContext) -> QWidget:
    from casework.ui.pages.admin_reserved import ReservedRulesPage

    return _following(ReservedRulesPage(ctx.me, ctx.runner), ctx)


def _audit(ctx: PageContext) -> QWidget:
    from casework.ui.pages.admin_audit import AuditPage

    return _following(AuditPage(ctx.me, ctx.runner), ctx)


def _backups(ctx: PageContext) -> QWidget:
    from casework.ui.pages.admin_backups import BackupsPage

    return BackupsPage(ctx.me, ctx.runner, workspace=ctx.workspace,
                       on_restored=ctx.workspace_restored)


def _drafts(ctx: PageContext) -> QWidget:
    from casework.ui.pages.drafts import DraftsPage

    return DraftsPage(ctx)


def _account(ctx: PageContext) -> QWidget:
    from casework.ui.pages.account import AccountPage

    return AccountPage(ctx)


PAGES: list[PageSpec] = [
    PageSpec("my_caseload", QT_TRANSLATE_NOOP("pages", "My caseload"),
             Action.VIEW_OWN_CASELOAD, _caseload(dto.CaseScope.MINE)),
    PageSpec("team_caseload", QT_TRANSLATE_NOOP("pages", "Team caseload"),
             Action.VIEW_TEAM_CASELOAD, _caseload(dto.CaseScope.TEAM)),
    PageSpec("unallocated", QT_TRANSLATE_NOOP("pages", "Unallocated"),
             Action.VIEW_UNALLOCATED, _caseload(dto.CaseScope.UNALLOCATED)),
    PageSpec("drafts", QT_TRANSLATE_NOOP("pages", "Drafts for me"), Action.VIEW_OWN_DRAFTS,
             _drafts),
    PageSpec("staff", QT_TRANSLATE_NOOP("pages", "Staff"), Action.MANAGE_STAFF, _staff),
    PageSpec("teams", QT_TRANSLATE_NOOP("pages", "Teams"), Action.MANAGE_TEAMS, _teams),
    PageSpec("reserved", QT_TRANSLATE_NOOP("pages", "Reserved functions"),
             Action.MANAGE_RESERVED_RULES, _reserved),
    PageSpec("audit", QT_TRANSLATE_NOOP("pages", "Audit trail"), Action.VIEW_AUDIT, _audit),
    PageSpec("backups", QT_TRANSLATE_NOOP("pages", "Backups"), Action.BACKUP_WORKSPACE, _backups),
    PageSpec("account", QT_TRANSLATE_NOOP("pages", "My account"), None, _account),
]
