"""Migrations against real databases: an encrypted SQLite workspace file and PostgreSQL.

- every revision, holding data, upgrades to head with its rows intact;
- head matches the models (alembic check) on both databases;
- the history tables are insert-only in the database itself;
- a migration that fails part-way leaves the database exactly as it was;
- the app's backup hook runs only when an upgrade is needed.

When a revision adds a required column or a table, add an entry for it to SAMPLE_DATA; every
revision without its own entry uses the newest earlier one.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, Integer, MetaData, Table, inspect, text
from sqlalchemy.exc import DBAPIError

from casework import migrations
from casework.db import Database, make_engine
from casework.secrets import WorkspaceKey

Rows = list[tuple[str, dict[str, Any]]]  # (table, row) in foreign-key order

REVISIONS = migrations.all_revisions()
HEAD = migrations.head_revision()
INSERT_ONLY = {"case_note": "subject", "allocation": "reason", "audit_event": "detail"}

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
SYNCED = {"row_version": 1, "updated_at": T0, "updated_by": None, "deleted_at": None}


def _rows_0001() -> Rows:
    team, worker, person, case = "t-0001", "s-0001", "p-0001", "c-0001"
    return [
        ("workspace_info", {"id": 1, "workspace_id": "w-0001", "name": "Leith duty team",
                            "is_demo": False, "device_id": "d-0001", "created_at": T0}),
        ("team", {"id": team, "name": "Leith Children and Families",
                  "service_area": "children_and_families", "team_id": team, **SYNCED}),
        ("staff", {"id": worker, "username": "a.macleod", "display_name": "Ailsa MacLeod",
                   "email": "ailsa@example.org", "role": "social_worker", "team_id": team,
                   "fte_percent": 80, "sssc_number": "1234567", "sssc_part": "social_worker",
                   "sssc_expiry": date(2028, 3, 31), "qualified_on": date(2019, 6, 30),
                   "password_hash": "$argon2id$fake", "must_change_password": True,
                   "failed_logins": 0, "active": True, **SYNCED}),
        ("person", {"id": person, "given_name": "Mòrag", "family_name": "Ó Briain",
                    "name_key": "o briain morag",
                    "date_of_birth": date(2015, 4, 1), "chi": "0104150000",
                    "postcode": "EH6 6QU", "what_matters": "Staying at her school",
                    "team_id": team, **SYNCED}),
        ("case_file", {"id": case, "team_id": team, "reference": "CF-0001",
                       "person_id": person, "service_area": "children_and_families",
                       "status": "open", "risk_level": "medium", "legal_status": "none",
                       "named_worker_id": worker, "referred_on": date(2026, 10, 1),
                       "opened_on": date(2026, 10, 3), "summary": "Referral from school",
                       **SYNCED}),
        ("allocation", {"id": "a-0001", "case_id": case, "worker_id": worker,
                        "started_at": T0, "reason": "New referral", "allocated_by": worker,
                        "team_id": team, **SYNCED}),
        ("case_note", {"id": "n-0001", "case_id": case, "author_id": worker,
                       "note_type": "visit", "occurred_at": T0, "subject": "Home visit",
                       "body": "Seen at home with her mother.", "significant": True,
                       "team_id": team, **SYNCED}),
        ("audit_event", {"id": "e-0001", "device_id": "d-0001", "seq": 1, "at": T0,
                         "actor_id": worker, "actor_name": "Ailsa MacLeod",
                         "action": "case.note.add", "outcome": "ok", "entity_type": "case",
                         "entity_id": case, "detail": "{}", "prev_hash": "0" * 64,
                         "hash": "a" * 64}),
        ("audit_head", {"device_id": "d-0001", "seq": 1, "hash": "a" * 64}),
    ]


def _rows_0002() -> Rows:
    team, worker, person, case = "t-0001", "s-0001", "p-0001", "c-0001"
    rows = []
    for name, row in _rows_0001():
        if name == "case_file":
            row = {**row, "band_target_on": date(2026, 11, 14), "referral_source": "School",
                   "referral_reason": "Not attending", "closing_summary": None}
        if name == "case_note":
            row = {**row, "contact_with": "Mòrag and her mother"}
        rows.append((name, row))
        if name == "case_note":
            rows += [
                ("key_person", {"id": "k-0002", "person_id": person, "kind": "unpaid_carer",
                                "given_name": "Siobhán", "family_name": "Ó Briain",
                                "relationship": "Mother", "lives_with_person": True,
                                "support_plan": "offered", "team_id": team, **SYNCED}),
                ("assessment", {"id": "as-0002", "case_id": case, "kind": "carers",
                                "status": "signed_off", "started_on": date(2026, 10, 5),
                                "carer_id": "k-0002", "risk_level": "medium",
                                "needs": "A break at weekends", "created_by": worker,
                                "signed_off_by": worker, "signed_off_at": T0,
                                "team_id": team, **SYNCED}),
                ("assessment_contribution", {"id": "ac-0002", "assessment_id": "as-0002",
                                             "contributor": "carer", "name": "Siobhán Ó Briain",
                                             "key_person_id": "k-0002",
                                             "contribution": "I need a night's sleep.",
                                             "given_on": date(2026, 10, 5), "team_id": team,
                                             **SYNCED}),
                ("plan_outcome", {"id": "po-0002", "case_id": case, "position": 1,
                                  "description": "Mòrag goes to school every day",
                                  "team_id": team, **SYNCED}),
                ("plan_action", {"id": "pa-0002", "outcome_id": "po-0002",
                                 "description": "Meet the guidance teacher",
                                 "owner_staff_id": worker, "owner_name": "Ailsa MacLeod",
                                 "due_on": date(2026, 11, 1), "team_id": team, **SYNCED}),
                ("plan_review", {"id": "pr-0002", "case_id": case, "held_on": date(2026, 11, 10),
                                 "reviewer_id": worker, "summary": "Going better",
                                 "next_review_on": date(2027, 2, 10), "team_id": team,
                                 **SYNCED}),
                ("outcome_rating", {"id": "or-0002", "review_id": "pr-0002",
                                    "outcome_id": "po-0002", "rating": "partly_met", "score": 3,
                                    "comment": "Four days in five", "team_id": team,
                                    **SYNCED}),
            ]
    return rows


def _rows_0006() -> Rows:
    """A keyed chain's head (where keying starts, the head's own MAC) and the KDF settings
    of a passphrase-derived audit secret."""
    rows = [(name, {**row, "keyed_from": 1, "mac": "b" * 64} if name == "audit_head" else row)
            for name, row in _rows_0002()]
    rows.append(("audit_key_params",
                 {"id": 1, "kdf": "argon2id$v=19$m=19456,t=2,p=1$c2FsdCBvZiBzaXh0ZWVuIQ=="}))
    return rows


# Revision -> the rows a database at that revision can hold.
SAMPLE_DATA: dict[str, Callable[[], Rows]] = {
    "0001": _rows_0001,
    "0002": _rows_0002,
    "0006": _rows_0006,
}


def sample_rows(revision: str) -> Rows:
    """The fixture of `revision`, else of the newest earlier revision that has one."""
    upto = REVISIONS[: REVISIONS.index(revision) + 1]
    keyed = [r for r in upto if r in SAMPLE_DATA]
    assert keyed, f"no SAMPLE_DATA entry at or before revision {revision}"
    return SAMPLE_DATA[keyed[-1]]()


# --- databases --------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request, tmp_path) -> Iterator[Engine]:
    """An empty database: an encrypted workspace file, or a fresh PostgreSQL database."""
    if request.param == "postgres":
        yield request.getfixturevalue("pg_engine")
        return
    eng = make_engine(tmp_path / "workspace.db", WorkspaceKey.new_raw())
    yield eng
    eng.dispose()


def _required_columns(table: Table) -> set[str]:
    return {
        c.name for c in table.c
        if not c.nullable and c.server_default is None
        and not (c.primary_key and isinstance(c.type, Integer) and c.autoincrement is True)
    }


def insert_rows(conn: Connection, rows: Rows) -> None:
    """Insert through the tables as they exist now, giving only the columns they have."""
    meta = MetaData()
    for name, row in rows:
        table = Table(name, meta, autoload_with=conn)
        values = {k: v for k, v in row.items() if k in table.c}
        missing = _required_columns(table) - values.keys()
        assert not missing, (
            f"{name} needs {sorted(missing)} at revision "
            f"{migrations.current_revision(conn.engine)}: add a SAMPLE_DATA entry for it"
        )
        conn.execute(table.insert().values(values))


def read_rows(conn: Connection, rows: Rows) -> dict[tuple[str, str], dict[str, Any]]:
    """Each sample row as stored now, by (table, primary key), over the columns both have."""
    meta = MetaData()
    found = {}
    for name, row in rows:
        table = Table(name, meta, autoload_with=conn)
        pk = table.primary_key.columns.values()[0]
        cols = [table.c[k] for k in row if k in table.c]
        stored = conn.execute(
            table.select().with_only_columns(*cols).where(pk == row[pk.name])
        ).mappings().one_or_none()
        found[(name, str(row[pk.name]))] = dict(stored) if stored is not None else None
    return found


def _plain(value: Any) -> Any:
    """A value as both databases give it back: timestamps as naive UTC."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def unlike_the_sample(conn: Connection, rows: Rows) -> dict[tuple[str, str], Any]:
    """Each sample row as stored now, where it is not what was put in over the columns its
    table still has: None for a row gone, else (stored, put in)."""
    found = read_rows(conn, rows)
    unlike = {}
    for (_name, row), (key, stored) in zip(rows, found.items(), strict=True):
        if stored is None:
            unlike[key] = None
        elif {c: _plain(v) for c, v in stored.items()} != {c: _plain(row[c]) for c in stored}:
            unlike[key] = (stored, {c: row[c] for c in stored})
    return unlike


def schema_of(engine: Engine) -> dict[str, Any]:
    """Tables, columns and indexes, plus SQLite's own schema text, for exact comparison."""
    insp = inspect(engine)
    schema: dict[str, Any] = {
        t: ([c["name"] for c in insp.get_columns(t)],
            sorted(i["name"] for i in insp.get_indexes(t)))
        for t in sorted(insp.get_table_names())
    }
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            schema["sqlite_master"] = conn.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
            ).all()
    return schema


def integrity(engine: Engine) -> str:
    return Database(engine).integrity_check()


# --- upgrades ---------------------------------------------------------------------------


def test_sample_data_is_keyed_by_real_revisions():
    unknown = set(SAMPLE_DATA) - set(REVISIONS)
    assert not unknown, f"SAMPLE_DATA names revisions that do not exist: {sorted(unknown)}"
    assert REVISIONS[0] in SAMPLE_DATA, "the first revision needs sample data"


def test_empty_database_upgrades_to_head_without_drift(engine):
    assert migrations.current_revision(engine) is None
    assert migrations.upgrade(engine) is True
    assert migrations.current_revision(engine) == HEAD
    migrations.check(engine)  # raises alembic's AutogenerateDiffsDetected on drift
    assert integrity(engine) == "ok"


@pytest.mark.parametrize("revision", REVISIONS)
def test_revision_with_data_upgrades_to_head_intact(engine, revision):
    migrations.upgrade(engine, revision)
    rows = sample_rows(revision)
    with engine.begin() as conn:
        insert_rows(conn, rows)
    with engine.connect() as conn:
        before = read_rows(conn, rows)

    migrations.upgrade(engine)

    assert migrations.current_revision(engine) == HEAD
    with engine.connect() as conn:
        after = read_rows(conn, rows)
    lost = [key for key, row in after.items() if row is None]
    assert not lost, f"rows lost upgrading from {revision} to head: {lost}"
    changed = {k: (before[k], after[k]) for k in before
               if {c: v for c, v in before[k].items() if c in after[k]} != after[k]}
    assert not changed, f"rows changed upgrading from {revision} to head: {changed}"
    # And what is there is what was put in, not only what the first read saw.
    with engine.connect() as conn:
        assert unlike_the_sample(conn, rows) == {}
    assert integrity(engine) == "ok"


# --- insert-only history ----------------------------------------------------------------


@pytest.mark.parametrize("table", sorted(INSERT_ONLY))
def test_history_tables_refuse_update_and_delete(engine, table):
    migrations.upgrade(engine)
    rows = sample_rows(HEAD)
    with engine.begin() as conn:
        insert_rows(conn, rows)
    row_id = next(r["id"] for name, r in rows if name == table)
    column = INSERT_ONLY[table]

    for statement in (f"UPDATE {table} SET {column} = 'changed' WHERE id = :id",
                      f"DELETE FROM {table} WHERE id = :id"):
        with engine.connect() as conn:
            with pytest.raises(DBAPIError, match="insert-only table"):
                conn.execute(text(statement), {"id": row_id})
            conn.rollback()

    with engine.connect() as conn:
        kept = conn.execute(text(f"SELECT {column} FROM {table} WHERE id = :id"),
                            {"id": row_id}).scalar_one()
    assert kept != "changed"
    # Insert-only, not read-only: a new row (a correction, a new allocation) goes in.
    second = {**dict(rows)[table], "id": f"{row_id}-2"}
    if table == "audit_event":
        second["seq"] = 2
    with engine.begin() as conn:
        insert_rows(conn, [(table, second)])
    with engine.connect() as conn:
        assert unlike_the_sample(conn, [(table, dict(rows)[table]), (table, second)]) == {}


# --- a failed migration -----------------------------------------------------------------

FAILING_REVISION = '''
"""Creates a table, rebuilds another, then fails: nothing of it may remain."""
import sqlalchemy as sa
from alembic import op

revision = "zz_fails"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("INSERT INTO half_done (id) VALUES (1)")
    # On SQLite this rebuilds the table (move and copy), the step most likely to be left half-done.
    recreate = "always" if op.get_bind().dialect.name == "sqlite" else "auto"
    with op.batch_alter_table("workspace_info", recreate=recreate) as batch:
        batch.add_column(sa.Column("half_done_flag", sa.Integer))
    raise RuntimeError("deliberate failure part-way through a migration")


def downgrade():
    pass
'''

EXTRA_REVISION = '''
"""A harmless revision on top of head."""
import sqlalchemy as sa
from alembic import op

revision = "zz_extra"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("extra", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("extra")
'''


@pytest.fixture
def add_revision(tmp_path, monkeypatch) -> Callable[[str], None]:
    """Point the app's migrations at a copy of the real ones with one more revision on top."""

    def add(source: str) -> None:
        real = Path(migrations.alembic_config().get_main_option("script_location"))
        copy = tmp_path / "migrations"
        shutil.copytree(real, copy, ignore=shutil.ignore_patterns("__pycache__"))
        (copy / "versions" / "zz_added.py").write_text(source.format(head=HEAD))
        monkeypatch.setattr(migrations, "_script_location", lambda: copy)
        # A release that adds a revision declares it as HEAD too.
        monkeypatch.setattr(migrations, "HEAD", migrations.head_revision())

    return add


@pytest.mark.parametrize("start", ["empty", "head with data"])
def test_failed_migration_leaves_database_as_it_was(engine, add_revision, start):
    if start != "empty":
        migrations.upgrade(engine)
        with engine.begin() as conn:
            insert_rows(conn, sample_rows(HEAD))
    revision, schema = migrations.current_revision(engine), schema_of(engine)
    with engine.connect() as conn:
        rows = read_rows(conn, sample_rows(HEAD)) if start != "empty" else {}

    add_revision(FAILING_REVISION)
    with pytest.raises(RuntimeError, match="deliberate failure"):
        migrations.upgrade(engine)

    assert migrations.current_revision(engine) == revision
    assert schema_of(engine) == schema
    if rows:
        with engine.connect() as conn:
            assert read_rows(conn, sample_rows(HEAD)) == rows
    assert integrity(engine) == "ok"


# --- the backup hook --------------------------------------------------------------------


def test_before_hook_runs_only_when_an_upgrade_is_needed(tmp_path, add_revision):
    engine = make_engine(tmp_path / "workspace.db", WorkspaceKey.new_raw())
    seen: list[str | None] = []
    try:
        assert migrations.upgrade(engine, HEAD, before=seen.append) is True
        assert seen == [None]  # called with the revision found: none yet
        assert migrations.upgrade(engine, HEAD, before=seen.append) is False
        assert seen == [None]

        add_revision(EXTRA_REVISION)  # a newer app version brings one more revision
        assert migrations.upgrade(engine, before=seen.append) is True
        assert seen == [None, HEAD]
        assert migrations.current_revision(engine) == "zz_extra"
        assert migrations.upgrade(engine, before=seen.append) is False
        assert seen == [None, HEAD]
    finally:
        engine.dispose()


def test_before_hook_failure_stops_the_upgrade(tmp_path):
    engine = make_engine(tmp_path / "workspace.db", WorkspaceKey.new_raw())

    def backup_fails(current):
        raise OSError("disk full")

    try:
        with pytest.raises(OSError, match="disk full"):
            migrations.upgrade(engine, before=backup_fails)
        assert migrations.current_revision(engine) is None
    finally:
        engine.dispose()


# --- repairs ----------------------------------------------------------------------------


def test_bytes_in_text_columns_become_text_and_long_name_keys_fit(engine):
    """Before input was checked at the service boundary, a script could leave bytes in a
    text column (SQLite keeps them), after which every read of the record failed; a folded
    name key could outgrow its column. The upgrade repairs both; PostgreSQL never took
    bytes or an over-long key, and its rows are left as they were."""
    migrations.upgrade(engine, "0003")
    rows = sample_rows("0003")
    with engine.begin() as conn:
        insert_rows(conn, rows)
        person = next(r for name, r in rows if name == "person")
        note = next(r for name, r in rows if name == "case_note")
        if engine.dialect.name == "sqlite":
            conn.execute(text("UPDATE person SET name_key = :k WHERE id = :id"),
                         {"k": "k" * 300, "id": person["id"]})
            conn.execute(text("UPDATE person SET given_name = :g, address = :a WHERE id = :id"),
                         {"g": "Siobhán".encode(), "a": b"\xff12 High St", "id": person["id"]})
            trigger = conn.execute(text("SELECT sql FROM sqlite_master WHERE name = "
                                        "'case_note_no_update'")).scalar_one()
            conn.exec_driver_sql("DROP TRIGGER case_note_no_update")
            conn.execute(text("UPDATE case_note SET subject = :s WHERE id = :id"),
                         {"s": b"Home visit", "id": note["id"]})
            conn.exec_driver_sql(trigger)

    migrations.upgrade(engine)

    with engine.connect() as conn:
        got = conn.execute(text("SELECT given_name, address, name_key FROM person WHERE id = :id"),
                           {"id": person["id"]}).one()
        subject = conn.execute(text("SELECT subject FROM case_note WHERE id = :id"),
                               {"id": note["id"]}).scalar_one()
    if engine.dialect.name == "sqlite":
        assert got.name_key == "k" * 201
        assert (got.given_name, got.address, subject) == ("Siobhán", "\ufffd12 High St",
                                                          "Home visit")
    else:
        assert got.given_name == person["given_name"] and subject == note["subject"]
    assert integrity(engine) == "ok"
    with pytest.raises(DBAPIError):  # the insert-only trigger is back
        with engine.begin() as conn:
            conn.execute(text("UPDATE case_note SET subject = 'x' WHERE id = :id"),
                         {"id": note["id"]})
