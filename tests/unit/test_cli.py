"""casework-admin, run as an administrator would: secrets from the environment, plain
output, exit codes that scripts can rely on."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from casework import cli


@pytest.fixture
def no_keychain():
    """CI and many servers have no keychain; tests/conftest.py sets keyring's fail backend."""
    import keyring
    from keyring.backends.fail import Keyring as Fail

    assert isinstance(keyring.get_keyring(), Fail)


@pytest.fixture
def ws_path(tmp_path, monkeypatch, no_keychain):
    path = tmp_path / "team.db"
    monkeypatch.setenv("ADMIN_PW", "admin-password-1")
    monkeypatch.setenv("PHRASE", "a passphrase of some length")
    assert cli.main(["init", "--workspace", str(path), "--name", "North",
                     "--admin-password-env", "ADMIN_PW", "--passphrase-env", "PHRASE"]) == 0
    monkeypatch.setenv("CASEWORK_WORKSPACE", str(path))
    monkeypatch.setenv("CASEWORK_PASSWORD", "admin-password-1")
    monkeypatch.setenv("CASEWORK_PASSPHRASE", "a passphrase of some length")
    monkeypatch.setenv("NEW_PW", "temporary-pass-1")
    return path


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_needs_a_passphrase_where_there_is_no_keychain(tmp_path, monkeypatch, capsys, no_keychain):
    monkeypatch.setenv("ADMIN_PW", "admin-password-1")
    code, out, err = run(capsys, "init", "--workspace", str(tmp_path / "x.db"), "--name", "X",
                         "--admin-password-env", "ADMIN_PW")
    assert code == cli.EXIT_ERROR and "passphrase" in err
    assert not (tmp_path / "x.db").exists()  # nothing half-made


def test_init_refuses_a_weak_password_and_names_it(tmp_path, monkeypatch, capsys, no_keychain):
    monkeypatch.setenv("ADMIN_PW", "short")
    monkeypatch.setenv("PHRASE", "phrase phrase")
    code, _, err = run(capsys, "init", "--workspace", str(tmp_path / "x.db"), "--name", "X",
                       "--admin-password-env", "ADMIN_PW", "--passphrase-env", "PHRASE")
    assert code == cli.EXIT_INVALID and "admin_password: must be at least 10" in err
    assert not (tmp_path / "x.db").exists()


def test_teams_and_staff_round_trip(ws_path, capsys):
    assert run(capsys, "teams", "create", "--name", "North Adult",
               "--service-area", "adult_community_care")[0] == 0
    code, out, _ = run(capsys, "staff", "create", "--username", "sw.one", "--name",
                       "Siobhán Ní Bhriain", "--role", "social_worker", "--team", "north adult",
                       "--sssc-number", "123456", "--sssc-part", "social_worker",
                       "--sssc-expiry", "2030-03-01", "--qualified", "2015-01-01",
                       "--accreditation", "mho", "--password-env-new", "NEW_PW")
    assert code == 0 and "Siobhán Ní Bhriain" in out
    assert run(capsys, "staff", "edit", "sw.one", "--fte", "60")[0] == 0
    code, out, _ = run(capsys, "staff", "list")
    line = next(l for l in out.splitlines() if l.startswith("sw.one"))
    assert "60%" in line and "Mental Health Officer" in line and "North Adult" in line
    assert run(capsys, "staff", "deactivate", "sw.one")[0] == 0
    assert "sw.one" not in run(capsys, "staff", "list")[1]
    assert "deactivated" in run(capsys, "staff", "list", "--all")[1]
    code, out, _ = run(capsys, "teams", "list")
    assert "North Adult" in out


def test_bad_staff_input_names_each_field(ws_path, capsys):
    code, _, err = run(capsys, "staff", "create", "--username", "Bad Name", "--name", "X",
                       "--role", "social_worker", "--sssc-number", "12x",
                       "--password-env-new", "NEW_PW")
    assert code == cli.EXIT_INVALID
    for field in ("username:", "team_id:", "sssc_number:", "sssc_part:", "sssc_expiry:"):
        assert field in err


def test_wrong_password_is_refused(ws_path, capsys, monkeypatch):
    monkeypatch.setenv("CASEWORK_PASSWORD", "not-the-password")
    code, _, err = run(capsys, "teams", "list")
    assert code == cli.EXIT_REFUSED and "Wrong username or password" in err


def test_reset_password_then_sign_in(ws_path, capsys, monkeypatch):
    run(capsys, "teams", "create", "--name", "T", "--service-area", "justice")
    run(capsys, "staff", "create", "--username", "pp.one", "--name", "Para One", "--role",
        "para_professional", "--team", "T", "--password-env-new", "NEW_PW")
    monkeypatch.setenv("RESET_PW", "reset-password-9")
    assert run(capsys, "reset-password", "pp.one", "--new-password-env", "RESET_PW")[0] == 0
    monkeypatch.setenv("CASEWORK_PASSWORD", "reset-password-9")
    code, _, err = run(capsys, "staff", "list", "--as", "pp.one")
    assert code == cli.EXIT_REFUSED and "Choose your own password first" in err


def test_backup_restore_and_audit(ws_path, capsys):
    code, out, _ = run(capsys, "backup", "--label", "before-change")
    assert code == 0
    backup = out.strip().split()[-1]
    run(capsys, "teams", "create", "--name", "Made After", "--service-area", "justice")
    assert "Made After" in run(capsys, "teams", "list")[1]
    assert run(capsys, "restore", backup)[0] == 0
    assert "Made After" not in run(capsys, "teams", "list")[1]
    listing = run(capsys, "backup", "list")[1]
    assert "before-change" in listing and "before-restore" in listing
    code, out, _ = run(capsys, "verify-audit")
    assert code == 0 and "intact" in out


def test_verify_audit_reports_tampering_with_exit_4(ws_path, capsys):
    from casework.services import open_workspace

    ws = open_workspace(ws_path, passphrase="a passphrase of some length")
    with ws.db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_event_no_update")
        conn.execute(text("UPDATE audit_event SET actor_name = 'Nobody' WHERE seq = 1"))
    ws.close()
    code, out, _ = run(capsys, "verify-audit")
    assert code == cli.EXIT_TAMPERED
    assert "[edited]" in out and "#1" in out


def test_wrong_passphrase_is_a_clear_error(ws_path, capsys, monkeypatch):
    monkeypatch.setenv("CASEWORK_PASSPHRASE", "not the passphrase")
    code, _, err = run(capsys, "verify-audit")
    assert code == cli.EXIT_ERROR and "cannot be opened" in err


def test_no_terminal_and_no_variable_is_explained(ws_path, capsys, monkeypatch):
    monkeypatch.delenv("CASEWORK_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code, _, err = run(capsys, "teams", "list")
    assert code == cli.EXIT_ERROR and "environment variable" in err

