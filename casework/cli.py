"""casework-admin: set up and look after a workspace from the command line.

Every command goes through the same services as the app, so the same permissions, validation
and audit apply. Secrets never come as arguments (they would sit in the shell history):
passwords come from an environment variable named by an option, or are asked for.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from casework import paths
from casework.errors import (
    AuthenticationFailed,
    CaseworkError,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationError,
    WorkspaceKeyError,
)
from casework.permissions import Accreditation, RegisterPart, Role
from casework.services import Me, PassphraseNeeded, Workspace, create_workspace, open_workspace
from casework import dto
from casework.timeutil import show_date, show_datetime
from casework.vocab import ServiceArea

EXIT_ERROR, EXIT_INVALID, EXIT_REFUSED, EXIT_TAMPERED = 1, 2, 3, 4


class CliError(CaseworkError):
    pass


# -- secrets and sign-in ---------------------------------------------------------------------


def _secret(env_var: str | None, prompt: str, *, confirm: bool = False) -> str:
    if env_var:
        value = os.environ.get(env_var)
        if value is None:
            raise CliError(f"the environment variable {env_var} is not set")
        return value
    if not sys.stdin.isatty():
        raise CliError(f"{prompt.rstrip(': ')}: no terminal to ask on; name an environment "
                       "variable that holds it instead (see --help)")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != value:
        raise CliError("the two entries differ")
    return value


def _workspace_path(args) -> Path:
    return Path(args.workspace or os.environ.get("CASEWORK_WORKSPACE") or paths.default_workspace())


def _open(args) -> Workspace:
    path = _workspace_path(args)
    try:
        return open_workspace(path)
    except PassphraseNeeded:
        passphrase = _secret(args.passphrase_env or _env_if_set("CASEWORK_PASSPHRASE"),
                             f"Passphrase for {path.name}: ")
        return open_workspace(path, passphrase=passphrase)


def _env_if_set(name: str) -> str | None:
    return name if name in os.environ else None


def _sign_in(args, ws: Workspace) -> Me:
    password = _secret(args.password_env or _env_if_set("CASEWORK_PASSWORD"),
                       f"Password for {args.as_user}: ")
    return ws.login(args.as_user, password)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


# -- output ------------------------------------------------------------------------------------


def _table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(c) if c is not None else "" for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, cells)])


def _staff_line(s: dto.StaffInfo) -> list[object]:
    reg = ""
    if s.sssc_number:
        reg = f"{s.sssc_number} to {show_date(s.sssc_expiry)}"
    status = "active" if s.active else "deactivated"
    return [s.username, s.display_name, s.role.label, s.team_name, f"{s.fte_percent}%", reg,
            ", ".join(a.label for a in s.accreditations), status]


# -- commands ----------------------------------------------------------------------------------


def cmd_init(args) -> int:
    path = _workspace_path(args)
    password = _secret(args.admin_password_env, "Password for the first administrator: ",
                       confirm=True)
    passphrase = None
    if args.passphrase_env:
        passphrase = _secret(args.passphrase_env, "")
    try:
        ws = create_workspace(path, name=args.name, admin_username=args.admin_username,
                              admin_password=password, admin_display_name=args.admin_name,
                              passphrase=passphrase)
    except PassphraseNeeded as exc:
        raise CliError(f"{exc} Run again with --passphrase-env VAR.") from None
    info = ws.info
    ws.close()
    where = "a passphrase" if passphrase else "a key in this computer's keychain"
    print(f"Created workspace {info.name!r} at {path}, protected by {where}.")
    print(f"Sign in as {args.admin_username.strip().lower()} to add teams and staff.")
    return 0


def cmd_demo(args) -> int:
    from casework import synthetic

    path = Path(args.workspace) if args.workspace else paths.demo_workspace()
    if path.exists():
        if not args.force:
            raise CliError(f"{path} exists; add --force to make it again")
        from casework.secrets import KeyringStore, forget_key

        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        forget_key(KeyringStore(), path)

    def progress(stage: str, fraction: float) -> None:
        print(f"\r{stage:<40} {fraction:6.1%}", end="", file=sys.stderr, flush=True)

    make = synthetic.create_council_workspace if args.scale == "council" else synthetic.create_demo_workspace
    ws = make(path, progress=progress)
    print(file=sys.stderr)
    ws.close()
    print(f"Demo workspace ({args.scale} scale, fictional data) at {path}.")
    print(f"Every demo account's password is {synthetic.DEMO_PASSWORD!r}.")
    return 0


def cmd_teams(args) -> int:
    ws = _open(args)
    try:
        me = _sign_in(args, ws)
        if args.action == "create":
            manager = _staff_id(me, args.manager) if args.manager else None
            t = me.admin.create_team(args.name, args.service_area, manager)
            print(f"Created team {t.name!r} ({ServiceArea(t.service_area).label}).")
        else:
            print(_table(["Team", "Service area", "Service manager", "Staff", "Live cases"],
                         [[t.name, ServiceArea(t.service_area).label, t.service_manager_name,
                           t.staff_count, t.live_cases] for t in me.admin.teams()]))
    finally:
        ws.close()
    return 0


def _team_id(me: Me, name: str | None) -> str | None:
    if not name:
        return None
    for t in me.admin.teams():
        if name in (t.id, t.name) or name.lower() == t.name.lower():
            return t.id
    raise CliError(f"no team called {name!r} (see 'casework-admin teams list')")


def _staff_id(me: Me, username: str) -> str:
    return me.admin.staff_by_username(username).id


def _staff_input(me: Me, args, base: dto.StaffInfo | None) -> dto.StaffInput:
    def pick(value, old):
        return old if value is None else value

    accreditations = (frozenset(args.accreditation) if args.accreditation is not None
                      else frozenset(a.value for a in base.accreditations) if base else frozenset())
    if args.no_accreditations:
        accreditations = frozenset()
    return dto.StaffInput(
        username=pick(args.username, base.username if base else None) or "",
        display_name=pick(args.name, base.display_name if base else None) or "",
        role=pick(args.role, base.role.value if base else None) or "",
        team_id=_team_id(me, args.team) if args.team else (base.team_id if base else None),
        email=pick(args.email, base.email if base else None),
        fte_percent=pick(args.fte, base.fte_percent if base else 100),
        supervisor_id=(_staff_id(me, args.supervisor) if args.supervisor
                       else base.supervisor_id if base else None),
        sssc_number=pick(args.sssc_number, base.sssc_number if base else None),
        sssc_part=pick(args.sssc_part, base.sssc_part.value if base and base.sssc_part else None),
        sssc_expiry=pick(args.sssc_expiry, base.sssc_expiry if base else None),
        qualified_on=pick(args.qualified, base.qualified_on if base else None),
        accreditations=accreditations,
    )


def cmd_staff(args) -> int:
    ws = _open(args)
    try:
        me = _sign_in(args, ws)
        if args.action == "list":
            q = dto.StaffQuery(text=args.filter or "", include_inactive=args.all)
            rows, offset = [], 0
            while True:
                page = me.admin.staff_page(q, offset, 200)
                rows += page.rows
                offset += page.limit
                if page.exhausted:
                    break
            print(_table(["Username", "Name", "Role", "Team", "FTE", "SSSC registration",
                          "Accreditations", "Status"], [_staff_line(s) for s in rows]))
        elif args.action == "create":
            data = _staff_input(me, args, None)
            password = _secret(args.password_env_new, f"Temporary password for {data.username}: ",
                               confirm=True)
            s = me.admin.create_staff(data, password)
            print(f"Created {s.display_name} ({s.username}), {s.role.label}. "
                  "They choose their own password at first sign-in.")
        elif args.action == "edit":
            base = me.admin.staff_by_username(args.target)
            s = me.admin.update_staff(base.id, base.row_version, _staff_input(me, args, base))
            print(f"Saved {s.display_name} ({s.username}).")
        elif args.action in ("deactivate", "activate"):
            base = me.admin.staff_by_username(args.target)
            s = me.admin.set_active(base.id, base.row_version, args.action == "activate")
            print(f"{s.display_name} is now {'active' if s.active else 'deactivated'}.")
    finally:
        ws.close()
    return 0


def cmd_reset_password(args) -> int:
    ws = _open(args)
    try:
        me = _sign_in(args, ws)
        target = me.admin.staff_by_username(args.target)
        password = _secret(args.new_password_env, f"Temporary password for {target.username}: ",
                           confirm=True)
        me.admin.reset_password(target.id, password)
        print(f"Password reset and account unlocked for {target.display_name}; "
              "they must choose a new one at next sign-in.")
    finally:
        ws.close()
    return 0


def cmd_backup(args) -> int:
    ws = _open(args)
    try:
        me = _sign_in(args, ws)
        if args.action == "list":
            print(_table(["Backup", "Made", "Label", "Size"],
                         [[Path(b.path).name, show_datetime(b.created_at), b.label,
                           f"{b.size / 1e6:.1f} MB"] for b in me.admin.backups()]))
        else:
            print(f"Backed up to {me.admin.backup_now(args.label)}")
    finally:
        ws.close()
    return 0


def cmd_restore(args) -> int:
    ws = _open(args)
    me = _sign_in(args, ws)
    backup = Path(args.backup)
    if not backup.exists():
        ws.close()
        raise CliError(f"no backup at {backup}")
    ws = ws.restore(me, backup)
    ws.close()
    print(f"Restored {_workspace_path(args)} from {backup.name}. The file as it was is kept "
          "among the backups, labelled before-restore.")
    return 0


def cmd_verify_audit(args) -> int:
    ws = _open(args)
    try:
        report = ws.verify_audit()
    finally:
        ws.close()
    if report.ok:
        print(f"Audit chain intact: {report.events_checked} events on {report.devices} "
              f"device{'s' if report.devices != 1 else ''}.")
    else:
        print(f"Audit chain BROKEN: {len(report.problems)} problem(s) in "
              f"{report.events_checked} events.")
        for p in report.problems:
            print(f"- [{p.kind}] {p.message}")
    for note in report.notes:  # checked less than fully, and why: not problems
        print(f"Note: {note}")
    return 0 if report.ok else EXIT_TAMPERED


# -- parser ------------------------------------------------------------------------------------


def _add_common(p: argparse.ArgumentParser, *, sign_in: bool = True) -> None:
    p.add_argument("--workspace", help="the workspace file (default: CASEWORK_WORKSPACE or the "
                                       "user's data folder)")
    p.add_argument("--passphrase-env", metavar="VAR",
                   help="environment variable holding the workspace passphrase, where there "
                        "is no keychain (default: CASEWORK_PASSPHRASE if set, else asked)")
    if sign_in:
        p.add_argument("--as", dest="as_user", default="admin", metavar="USERNAME",
                       help="sign in as this administrator (default: admin)")
        p.add_argument("--password-env", metavar="VAR",
                       help="environment variable holding that person's password "
                            "(default: CASEWORK_PASSWORD if set, else asked)")


def _add_staff_fields(p: argparse.ArgumentParser, *, creating: bool) -> None:
    p.add_argument("--username", required=creating)
    p.add_argument("--name", required=creating, help="display name")
    p.add_argument("--role", required=creating, choices=[r.value for r in Role])
    p.add_argument("--team", help="team name")
    p.add_argument("--email")
    p.add_argument("--fte", type=int, help="per cent of full time (1-100)")
    p.add_argument("--supervisor", metavar="USERNAME")
    p.add_argument("--sssc-number")
    p.add_argument("--sssc-part", choices=[r.value for r in RegisterPart])
    p.add_argument("--sssc-expiry", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--qualified", type=_date, metavar="YYYY-MM-DD", help="date of qualifying")
    p.add_argument("--accreditation", action="append", choices=[a.value for a in Accreditation],
                   help="repeat for each; replaces the current set")
    p.add_argument("--no-accreditations", action="store_true", help="remove all accreditations")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casework-admin", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create a workspace with its first administrator")
    _add_common(p, sign_in=False)
    p.add_argument("--name", required=True, help="the workspace's name, e.g. the team or area")
    p.add_argument("--admin-username", default="admin")
    p.add_argument("--admin-name", default="Administrator", help="display name")
    p.add_argument("--admin-password-env", metavar="VAR",
                   help="environment variable holding the first administrator's password")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("demo", help="make a demo workspace of fictional data")
    p.add_argument("--workspace", help="where (default: the demo folder in the data folder)")
    p.add_argument("--scale", choices=["team", "council"], default="team")
    p.add_argument("--force", action="store_true", help="replace an existing demo file")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("teams", help="list or create teams")
    p.add_argument("action", choices=["list", "create"])
    _add_common(p)
    p.add_argument("--name")
    p.add_argument("--service-area", choices=[a.value for a in ServiceArea])
    p.add_argument("--manager", metavar="USERNAME", help="the team's service manager")
    p.set_defaults(func=cmd_teams)

    p = sub.add_parser("staff", help="list, create, edit, deactivate or reactivate staff")
    staff = p.add_subparsers(dest="action", required=True)
    q = staff.add_parser("list")
    _add_common(q)
    q.add_argument("--filter", help="part of a name or username")
    q.add_argument("--all", action="store_true", help="include deactivated accounts")
    q = staff.add_parser("create")
    _add_common(q)
    _add_staff_fields(q, creating=True)
    q.add_argument("--password-env-new", dest="password_env_new", metavar="VAR",
                   help="environment variable holding the new person's temporary password")
    q = staff.add_parser("edit")
    _add_common(q)
    q.add_argument("target", metavar="USERNAME")
    _add_staff_fields(q, creating=False)
    for verb in ("deactivate", "activate"):
        q = staff.add_parser(verb)
        _add_common(q)
        q.add_argument("target", metavar="USERNAME")
    p.set_defaults(func=cmd_staff)

    p = sub.add_parser("reset-password", help="set a temporary password and unlock an account")
    _add_common(p)
    p.add_argument("target", metavar="USERNAME")
    p.add_argument("--new-password-env", metavar="VAR",
                   help="environment variable holding the temporary password")
    p.set_defaults(func=cmd_reset_password)

    p = sub.add_parser("backup", help="back up the workspace, or list its backups")
    p.add_argument("action", choices=["now", "list"], nargs="?", default="now")
    _add_common(p)
    p.add_argument("--label", default="manual")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace the workspace with a backup")
    _add_common(p)
    p.add_argument("backup", help="the backup file")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("verify-audit", help="check the audit chain with its audit secret "
                                            "(keychain or passphrase; exit 4 when broken)")
    _add_common(p, sign_in=False)
    p.set_defaults(func=cmd_verify_audit)
    return parser


def _explain(exc: Exception) -> tuple[str, int]:
    if isinstance(exc, ValidationError):
        return "\n".join(f"{f}: {p}" for f, p in exc.problems.items()), EXIT_INVALID
    if isinstance(exc, PermissionDenied | AuthenticationFailed):
        return str(exc), EXIT_REFUSED
    if isinstance(exc, NotFound | Conflict | WorkspaceKeyError | CaseworkError):
        return str(exc), EXIT_ERROR
    raise exc


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CaseworkError, argparse.ArgumentTypeError) as exc:
        message, code = _explain(exc) if isinstance(exc, CaseworkError) else (str(exc), EXIT_INVALID)
        print(f"casework-admin: {message}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
