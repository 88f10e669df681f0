"""A throwaway PostgreSQL cluster for the test run (a pytest plugin).

`pg_url` starts one cluster per session: initdb into a temporary folder, trust auth, TCP on
127.0.0.1 at a free high port, durability off (fsync, full_page_writes) because the data is
thrown away. `pg_engine` gives each test a fresh database in it and drops it afterwards.

initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` OS user in a
folder it owns. Missing binaries fail the test, never skip it: the project's set-up
(scripts/bootstrap.sh) installs the Debian package `postgresql`.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from casework.db import make_engine

SERVER_TOOLS = ("initdb", "pg_ctl", "postgres")
START_ATTEMPTS = 3  # a free port can be taken by someone else before the server binds it


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: pg_config's answer, else the newest Debian one."""
    candidates: list[Path] = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            candidates.append(Path(out.stdout.strip()))
    debian = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted((Path(d) for d in debian), key=_major_version, reverse=True)
    for bindir in candidates:
        if all((bindir / tool).is_file() for tool in SERVER_TOOLS):
            return bindir
    return None


def _major_version(bindir: Path) -> int:
    name = bindir.parent.name
    return int(name) if name.isdigit() else -1


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    bindir: Path
    base: Path  # owned by the server's OS user; holds data/, the log and the socket
    as_postgres_user: bool
    port: int = 0

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def log(self) -> Path:
        return self.base / "server.log"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / tool), *args]
        if self.as_postgres_user:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        # cwd: the server's user may not be allowed into the caller's working directory.
        return subprocess.run(cmd, cwd=self.base, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, env={**os.environ, "LC_ALL": "C"})

    def init(self) -> None:
        done = self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                        "--encoding=UTF8", "--no-locale", "--no-sync")
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")

    def configure(self) -> None:
        # The port is given at each start instead, so that a retry can take another one.
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.base}'",
            "fsync": "off",
            "full_page_writes": "off",
            "synchronous_commit": "off",
            "max_connections": "50",
        }
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\n# casework tests: a throwaway cluster\n")
            conf.writelines(f"{k} = {v}\n" for k, v in settings.items())

    def start(self) -> None:
        failures = []
        for _ in range(START_ATTEMPTS):
            self.port = free_port()
            done = self.run("pg_ctl", "start", "-w", "-t", "30", "-D", str(self.data),
                            "-l", str(self.log), "-o", f"-p {self.port}")
            if done.returncode == 0:
                return
            failures.append(self.log.read_text() if self.log.exists() else done.stderr)
        raise RuntimeError("PostgreSQL did not start:\n" + "\n---\n".join(failures))

    def stop(self) -> None:
        self.run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")


def _make_base_dir() -> tuple[Path, bool]:
    """A temporary folder for the cluster, and whether the server must run as `postgres`."""
    base = Path(tempfile.mkdtemp(prefix="casework-pg-"))
    if os.geteuid() != 0:
        return base, False
    try:
        shutil.chown(base, user="postgres", group="postgres")
    except LookupError:
        shutil.rmtree(base)
        pytest.fail("Running as root, but there is no 'postgres' OS user to run the test "
                    "PostgreSQL server: install the Debian package 'postgresql'.")
    return base, True


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of the maintenance database of a PostgreSQL cluster started for this test run."""
    bindir = find_bindir()
    if bindir is None:
        pytest.fail(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found by "
            "`pg_config --bindir` or in /usr/lib/postgresql/*/bin. Install the Debian package "
            "'postgresql' (scripts/bootstrap.sh test does).",
            pytrace=False,
        )
    base, as_postgres = _make_base_dir()
    cluster = Cluster(bindir=bindir, base=base, as_postgres_user=as_postgres)
    try:
        cluster.init()
        cluster.configure()
        cluster.start()
        yield cluster.url
    finally:
        if cluster.data.exists():
            cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    """An engine (casework.db.make_engine) on a fresh, empty database, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(pg_url.rsplit("/", 1)[0] + f"/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the cluster `postgres`, so `-m "not postgres"` works."""
    for item in items:
        if "pg_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
