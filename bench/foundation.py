"""Foundation benchmark: council-scale generation, start-up, caseload pages, peak memory,
memory over many case windows, the backup before an upgrade.

    .venv/bin/python bench/foundation.py [--runs 5] [--query-runs 9] [--rebuild]
                                         [--only startup memory ...] [--base /path/to/checkout]
                                         [--bytecode cached|fresh|both] [--windows 400]

Builds the council-scale workspace under bench/data/ (or reuses the one made by the same
generator version and seed), measures, prints ONE JSON object on stdout and keeps a copy in
bench/out/foundation.json. Progress goes to stderr. With --base, the start-up, memory and
backup figures are measured for that checkout's code too, its runs interleaved with this
one's, so that "before" and "after" come from the same sitting. See bench/README.md for what
each figure means. Never run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from casework import synthetic
from casework.db import connect_sqlcipher
from casework.secrets import KeyringStore, forget_key
from casework.services import Workspace, open_workspace
from casework.vocab import LIVE_STATUSES

try:
    from casework import dto
except ImportError:  # a checkout from before the DTOs had their own package (for "before" runs)
    from casework.services import dto  # type: ignore[no-redef]

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"
OUT = BENCH / "out"
SEED = synthetic.DEFAULT_SEED
TEAM_LEADER = "tl.macleod"  # named in both scales, so both files answer to the same account
SOCIAL_WORKER = "sw.campbell"
TEXT = "mac"  # matches a word start in many names (MacLeod, MacDonald, MacInnes…)
LIVE = tuple(s.value for s in LIVE_STATUSES)


def say(message: str, end: str = "\n") -> None:
    print(message, end=end, file=sys.stderr, flush=True)


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


# -- the data files -----------------------------------------------------------------------


def use_data(folder: Path) -> None:
    """Read and build the data files in `folder` instead of bench/data (a copy kept at an
    older schema, say, to measure the code before a change against the code after it)."""
    global DATA
    DATA = folder.resolve()


def data_file(scale: synthetic.Scale) -> Path:
    return DATA / f"{scale.name}-v{synthetic.GENERATOR_VERSION}-seed{SEED}.db"


def manifest_of(path: Path) -> Path:
    return path.with_suffix(".json")


def ensure_workspace(scale: synthetic.Scale, rebuild: bool) -> tuple[dict, bool]:
    """The scale's file and what it holds: reused when this generator version and seed made
    it, built (with a progress line on stderr) otherwise. Returns (manifest, built now)."""
    path, manifest = data_file(scale), manifest_of(data_file(scale))
    if path.exists() and manifest.exists() and not rebuild:
        return json.loads(manifest.read_text()), False
    remove_workspace(path)
    DATA.mkdir(parents=True, exist_ok=True)
    last = [-1.0]

    def progress(stage: str, fraction: float) -> None:
        if fraction - last[0] >= 0.005 or fraction >= 1:
            last[0] = fraction
            say(f"\r{scale.name}: {stage:<26} {fraction * 100:5.1f}%", end="")

    started = time.perf_counter()
    create = (synthetic.create_council_workspace if scale is synthetic.COUNCIL
              else synthetic.create_demo_workspace)
    ws = create(path, progress=progress)
    seconds = time.perf_counter() - started
    try:
        report = ws_report(ws)
    finally:
        ws.close()
    say(f"\r{scale.name}: built in {seconds:.1f} s{' ' * 30}")
    record = {"file": path.name, "scale": scale.name, "seed": SEED,
              "generator_version": synthetic.GENERATOR_VERSION,
              "as_of": report["as_of"], "generation_seconds": round(seconds, 1),
              "counts": report["counts"]}
    manifest.write_text(json.dumps(record, indent=2))
    return record, True


def ws_report(ws: Workspace) -> dict:
    """The generation's own audit record: its as_of and row counts."""
    from sqlalchemy import select

    from casework.models import AuditEvent

    with ws.db.read() as s:
        detail = s.scalar(select(AuditEvent.detail)
                          .where(AuditEvent.action == "generate_synthetic_data"))
    return json.loads(detail)


def remove_workspace(path: Path) -> None:
    """The file, its WAL, its key (keychain or key file) and its manifest."""
    forget_key(KeyringStore(), path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    manifest_of(path).unlink(missing_ok=True)


# -- subprocesses, each measured from its own small wrapper --------------------------------

# A fresh interpreter per measurement, so that RUSAGE_CHILDREN holds that one child only.
# Each line the child prints is timed as it arrives (seconds from spawning it), so that a
# moment inside the child (the sign-in window on screen, ready) is measured on the same clock
# for the app and for its floor.
WRAPPER = textwrap.dedent("""
    import json, resource, subprocess, sys, threading, time
    cmd, env, cwd = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3] or None
    started = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, bufsize=1)
    err = []
    reader = threading.Thread(target=lambda: err.append(p.stderr.read()))
    reader.start()
    lines = []
    for line in p.stdout:
        lines.append([time.perf_counter() - started, line.rstrip("\\n")])
    p.wait()
    wall = time.perf_counter() - started
    reader.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"rc": p.returncode, "wall_s": wall, "maxrss": usage.ru_maxrss,
                      "lines": lines[-40:], "stdout": "\\n".join(l for _, l in lines)[-4000:],
                      "stderr": "".join(err)[-4000:]}))
""")

# The floor for start-up: a bare window, shown, once the event loop has run; it says so.
BARE_QT = textwrap.dedent("""
    import time
    t0 = time.perf_counter()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication([])
    w = QMainWindow()
    w.setCentralWidget(QTableView())
    w.resize(1200, 800)
    w.show()
    QTimer.singleShot(0, app.quit)
    app.exec()
    print(round((time.perf_counter() - t0) * 1000), flush=True)
""")

# The sign-in window of `casework --demo` as a person starts it, in any version of the code:
# when the first sign-in dialog has been shown and the event loop has run, say so and end.
SIGN_IN_SHOWN = textwrap.dedent("""
    import os, sys
    from PySide6.QtCore import QTimer
    import casework.ui.dialogs.login as login
    made = login.LoginDialog.__init__
    def timed(self, *args, **kwargs):
        made(self, *args, **kwargs)
        QTimer.singleShot(0, lambda: (print("sign-in window shown", flush=True), os._exit(0)))
    login.LoginDialog.__init__ = timed
    from casework.app import main
    sys.argv = ["casework", "--demo"]
    sys.exit(main(["--demo"]))
""")


def subprocess_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # each Tree names its own code
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["CASEWORK_HOME"] = str(home)  # the app's own demo goes here, not into the user's
    env["CASEWORK_PASSWORD"] = synthetic.DEMO_PASSWORD
    env.pop("CASEWORK_FAST_PASSWORD_HASH", None)  # the real argon2 cost is part of start-up
    return env


def measured(cmd: list[str], env: dict[str, str]) -> dict:
    """Run `cmd` under WRAPPER. It runs in the folder of the code on its PYTHONPATH (so that
    `python -m casework` and `python -c` find that code first, not this checkout's), else
    in bench/data."""
    cwd = env.get("PYTHONPATH") or str(DATA)
    out = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(cmd), json.dumps(env), cwd],
                         stdout=subprocess.PIPE, text=True, check=True)
    result = json.loads(out.stdout)
    # ru_maxrss is KiB on Linux, bytes on macOS.
    result["maxrss_mb"] = result["maxrss"] / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return result


def casework_command() -> list[str]:
    # `python -m casework`: the code comes from PYTHONPATH (a Tree's copy), never from
    # wherever the installed `casework` script's package points.
    return [sys.executable, "-m", "casework"]


# -- code trees: this checkout's code, and another's to compare with ------------------------


@dataclass(frozen=True)
class Tree:
    """A checkout whose code is measured: `name` says which in the results."""

    name: str
    source: Path

    def code(self, cached: bool) -> Path:
        """A copy of its casework/ and migrations/ under bench/data/code/, with bytecode
        compiled (as an installed app has it) or none (as every start here has it with
        PYTHONDONTWRITEBYTECODE=1: each start compiles the project's modules again). Copies
        keep the checkouts themselves untouched."""
        where = DATA / "code" / f"{self.name}-{'cached' if cached else 'fresh'}"
        if where.exists():
            shutil.rmtree(where)
        where.mkdir(parents=True)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for part in ("casework", "migrations"):
            shutil.copytree(self.source / part, where / part, ignore=ignore)
        if cached:
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(where)], check=True,
                           stdout=subprocess.DEVNULL)
        return where

    def env(self, base_env: dict[str, str], code: Path, home: Path) -> dict[str, str]:
        env = dict(base_env)
        env["PYTHONPATH"] = str(code)
        env["PYTHONDONTWRITEBYTECODE"] = "1"  # a fresh copy stays fresh
        env["CASEWORK_HOME"] = str(home)
        return env


def trees(base: Path | None) -> list[Tree]:
    here = Tree("new", BENCH.parent)
    return [here, Tree("base", base.resolve())] if base else [here]


def tree_file(tree: Tree, scale: synthetic.Scale) -> Path:
    """The scale's data file for `tree`: this checkout's own, or for another checkout a copy
    of it (taken from bench/data/pristine/ when one is there, as the data was built), so
    that code of one schema never opens, and upgrades, the other's file."""
    own = data_file(scale)
    if tree.name == "new":
        return own
    copy = DATA / tree.name / own.name
    if not copy.exists():
        origin = DATA / "pristine" / own.name
        origin = origin if origin.exists() else own
        copy.parent.mkdir(parents=True, exist_ok=True)
        say(f"copying {origin.name} for {tree.name}")
        shutil.copyfile(origin, copy)
        shutil.copyfile(f"{origin}.key", f"{copy}.key")
    return copy


def arrival(result: dict, text: str) -> float | None:
    """Seconds from spawning the child to the first line it printed that starts with
    `text` ('' for any)."""
    return next((t for t, line in result.get("lines", []) if line.startswith(text)), None)


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def last_line_number(stdout: str) -> float | None:
    lines = [line for line in stdout.strip().splitlines() if line.strip()]
    try:
        return float(lines[-1])
    except (IndexError, ValueError):
        return None


def failure(result: dict) -> str:
    tail = (result["stderr"].strip().splitlines() or ["(no output)"])[-1]
    return f"exit {result['rc']}: {tail}"


def bench_startup(runs: int, base_env: dict[str, str], tree_list: list[Tree],
                  variants: list[bool]) -> dict:
    """For each code tree and bytecode variant, against the bare Qt window, runs interleaved:
    - the sign-in window of `casework --demo` on screen (SIGN_IN_SHOWN), spawn to the line;
    - `casework --demo --smoke tl.macleod`: spawn to its ready line, and to the process's end.
    Each tree has its own CASEWORK_HOME (its demo made by its own code in the warm-up)."""
    bare_cmd = [sys.executable, "-c", BARE_QT]
    smoke_cmd = [*casework_command(), "--demo", "--smoke", TEAM_LEADER]
    signin_cmd = [sys.executable, "-c", SIGN_IN_SHOWN]
    out: dict = {"runs": runs}
    for cached in variants:
        label = "bytecode_cached" if cached else "bytecode_fresh"
        envs = {t.name: t.env(base_env, t.code(cached), DATA / f"home-{t.name}")
                for t in tree_list}
        say(f"startup ({label}): warm-up (creates each tree's demo if missing)")
        for t in tree_list:
            warm = measured(smoke_cmd, envs[t.name])
            if warm["rc"] != 0:
                out[label] = {"error": f"{t.name}: casework --demo --smoke failed: {failure(warm)}"}
                break
            measured(signin_cmd, envs[t.name])
        else:
            measured(bare_cmd, base_env)
            samples: dict[str, list[dict]] = {"bare": []}
            for t in tree_list:
                samples[f"{t.name}_signin"], samples[f"{t.name}_smoke"] = [], []
            for i in range(runs):  # interleaved, so that drift in the machine hits all alike
                say(f"\rstartup ({label}): run {i + 1}/{runs}", end="")
                samples["bare"].append(measured(bare_cmd, base_env))
                for t in tree_list:
                    samples[f"{t.name}_signin"].append(measured(signin_cmd, envs[t.name]))
                    samples[f"{t.name}_smoke"].append(measured(smoke_cmd, envs[t.name]))
            say("")
            bad = next((r for rs in samples.values() for r in rs if r["rc"] != 0), None)
            if bad is not None:
                out[label] = {"error": failure(bad)}
                continue
            out[label] = startup_figures(samples, tree_list)
    return out


def startup_figures(samples: dict[str, list[dict]], tree_list: list[Tree]) -> dict:
    def med(values: list[float | None]) -> float | None:
        values = [v for v in values if v is not None]
        return round(statistics.median(values) * 1000, 1) if values else None

    bare_shown = med([arrival(r, "") for r in samples["bare"]])
    bare_wall = med([r["wall_s"] for r in samples["bare"]])
    figures: dict = {"bare_qt_shown_ms": bare_shown, "bare_qt_process_wall_ms": bare_wall,
                     "bare_qt_peak_memory_mb": round(statistics.median(
                         r["maxrss_mb"] for r in samples["bare"]), 1)}
    for t in tree_list:
        smoke = samples[f"{t.name}_smoke"]
        signin = med([arrival(r, "sign-in window shown") for r in samples[f"{t.name}_signin"]])
        # The ready line is the smoke's last; the newer code prints a sign-in line first.
        ready = med([r["lines"][-1][0] if r.get("lines") else None for r in smoke])
        wall = med([r["wall_s"] for r in smoke])
        reported = [last_line_number(r["stdout"]) for r in smoke]
        figures[t.name] = {
            "signin_shown_ms": signin,
            "signin_ratio": ratio(signin, bare_shown),
            "smoke_ready_ms": ready,
            "smoke_ready_ratio": ratio(ready, bare_shown),
            "smoke_process_wall_ms": wall,
            "smoke_process_wall_ratio": ratio(wall, bare_wall),
            "smoke_exit_after_ready_ms": round(wall - ready, 1) if wall and ready else None,
            "app_reported_ready_ms": (statistics.median(reported)
                                      if None not in reported else None),
            "smoke_signin_reported_ms": statistics.median(
                [v for v in (signin_line_ms(r["stdout"]) for r in smoke) if v is not None]
                or [0]) or None,
            "peak_memory_mb": round(statistics.median(r["maxrss_mb"] for r in smoke), 1),
        }
    return figures


def signin_line_ms(stdout: str) -> float | None:
    """What the newer smoke prints first: 'sign-in window shown at N ms'."""
    for line in stdout.splitlines():
        if line.startswith("sign-in window shown at "):
            return float(line.split()[-2])
    return None


def bench_peak_memory(files: dict[str, synthetic.Scale], base_env: dict[str, str],
                      tree_list: list[Tree]) -> dict:
    """Peak resident memory of `casework --workspace F --smoke tl.macleod`, per scale and
    code tree (bytecode cached)."""
    out: dict = {}
    for t in tree_list:
        env = t.env(base_env, t.code(True), DATA / f"home-{t.name}")
        for name, scale in files.items():
            say(f"peak memory: {t.name} {name}")
            cmd = [*casework_command(), "--workspace", str(tree_file(t, scale)), "--smoke",
                   TEAM_LEADER]
            measured(cmd, env)  # warm-up: the first open may upgrade or back up the file
            result = measured(cmd, env)
            key = f"{t.name}_{name}"
            out[key] = round(result["maxrss_mb"], 1) if result["rc"] == 0 else failure(result)
            if result["rc"] == 0:
                out[f"{key}_ready_ms"] = last_line_number(result["stdout"])
    return out


# -- memory over many case windows ----------------------------------------------------------

# Opens `n` case windows one after another (each shown, every tab loaded, then closed and
# deleted) with the synchronous runner, and prints resident memory along the way as JSON.
CASE_WINDOWS = textwrap.dedent("""
    import dataclasses, gc, json, os, statistics, sys, time
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    path, user, password, ids_file, n, warm = sys.argv[1:7]
    n, warm = int(n), int(warm)
    ids = json.load(open(ids_file))

    def rss_mb():
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024

    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication
    from casework.services import open_workspace
    from casework.ui.case_window.window import CaseWindow
    from casework.ui.event_bridge import EventBridge
    from casework.ui.tasks import SyncTaskRunner
    try:  # where the page context lives, and what it holds, depends on the version
        from casework.ui.page_context import PageContext
    except ImportError:
        from casework.ui.pages import PageContext

    app = QApplication.instance() or QApplication([])
    ws = open_workspace(path)
    me = ws.login(user, password)
    runner = SyncTaskRunner()
    events = EventBridge(ws.bus)
    more = []
    if "case_opener" in {f.name for f in dataclasses.fields(PageContext)}:
        from casework.ui.case_window import opener
        more.append(opener.open_case)
    ctx = PageContext(ws, me, runner, events, lambda _ws: None, *more)

    def open_one(cid):
        started = time.perf_counter()
        window = CaseWindow(ctx, me.cases.summary(cid))
        window.show()
        app.processEvents()
        for i in range(window.tabs.count()):
            window.tabs.setCurrentIndex(i)
            app.processEvents()
        seconds = time.perf_counter() - started
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        return seconds

    samples, times = [], []
    for i in range(warm + n):
        if i == warm:
            gc.collect()
            samples.append([0, rss_mb()])
        seconds = open_one(ids[i % len(ids)])
        if i >= warm:
            times.append(seconds)
            done = i - warm + 1
            if done % 50 == 0 or done == n:
                gc.collect()
                samples.append([done, rss_mb()])
    events.detach()
    ws.close()
    print(json.dumps({"samples": samples, "window_ms": statistics.median(times) * 1000,
                      "distinct_cases": min(len(ids), n)}), flush=True)
""")


def team_leader_cases(path: Path, limit: int) -> list[str]:
    """The live cases of the team leader's teams (managed, and their own), by reference."""
    ws = open_workspace(path)
    conn = connect_sqlcipher(path, ws.key)
    try:
        actor = ws.login(TEAM_LEADER, synthetic.DEMO_PASSWORD).actor
        teams = sorted(actor.managed_team_ids | ({actor.team_id} if actor.team_id else set()))
        marks = ", ".join("?" * len(teams))
        return [r[0] for r in conn.execute(
            f"SELECT id FROM case_file WHERE team_id IN ({marks}) AND deleted_at IS NULL "
            f"AND status IN ({', '.join('?' * len(LIVE))}) ORDER BY reference LIMIT ?",
            [*teams, *LIVE, limit]).fetchall()]
    finally:
        conn.close()
        ws.close()


def bench_case_window_memory(files: dict[str, synthetic.Scale], base_env: dict[str, str],
                             tree_list: list[Tree], windows: int, warm: int = 20) -> dict:
    """Resident memory over `windows` case windows opened and closed in one process, per
    scale and code tree (the trees alternate per scale)."""
    out: dict = {"windows": windows, "warm_up_windows": warm}
    envs = {t.name: t.env(base_env, t.code(True), DATA / f"home-{t.name}") for t in tree_list}
    for name, scale in files.items():
        ids_file = DATA / f"case-ids-{name}.json"
        ids_file.write_text(json.dumps(team_leader_cases(data_file(scale), windows + warm)))
        for t in tree_list:
            say(f"case window memory: {t.name} {name} ({windows} windows)")
            cmd = [sys.executable, "-c", CASE_WINDOWS, str(tree_file(t, scale)), TEAM_LEADER,
                   synthetic.DEMO_PASSWORD, str(ids_file), str(windows), str(warm)]
            result = measured(cmd, envs[t.name])
            if result["rc"] != 0:
                out[f"{t.name}_{name}"] = {"error": failure(result)}
                continue
            report = json.loads(result["stdout"].strip().splitlines()[-1])
            first, last = report["samples"][0][1], report["samples"][-1][1]
            out[f"{t.name}_{name}"] = {
                "rss_after_warm_up_mb": round(first, 1), "rss_after_mb": round(last, 1),
                "growth_mb": round(last - first, 1),
                "rss_every_50_mb": [round(mb, 1) for _, mb in report["samples"]],
                "window_median_ms": round(report["window_ms"], 1),
                "distinct_cases": report["distinct_cases"],
                "peak_memory_mb": round(result["maxrss_mb"], 1),
            }
    return out


# -- the backup before an upgrade -------------------------------------------------------------

# Backs up a workspace file the way open_workspace does before an upgrade (through an open
# engine), while another process (DISK_WATCH: SQLite may hold the interpreter's lock through a
# whole checkpoint, so a thread here could miss the peak) watches the disk its folders use.
UPGRADE_BACKUP = textwrap.dedent("""
    import json, subprocess, sys, time
    from pathlib import Path
    src, dest, watch = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    from casework import backups
    from casework.db import make_engine
    from casework.secrets import WorkspaceKey
    key = WorkspaceKey(raw_hex=Path(f"{src}.key").read_text().strip())
    watcher = subprocess.Popen([sys.executable, "-c", watch, str(src.parent), str(dest)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert watcher.stdout.readline().strip() == "watching"
    engine = make_engine(src, key)
    stages = {}
    started = time.perf_counter()
    def progress(stage, fraction):
        stages.setdefault(stage, time.perf_counter() - started)
    try:
        made = backups.backup(engine, key, dest, label="before-upgrade-0002", progress=progress)
    except TypeError:  # a version whose backups say nothing as they go
        made = backups.backup(engine, key, dest, label="before-upgrade-0002")
    seconds = time.perf_counter() - started
    engine.dispose()
    peak = int(watcher.communicate("stop\\n")[0].strip())
    print(json.dumps({"seconds": seconds, "peak_extra_disk_bytes": peak,
                      "backup_bytes": made.stat().st_size, "source_bytes": src.stat().st_size,
                      "check_started_s": stages.get("check")}), flush=True)
""")

# Samples the disk the given folders' files take every 20 ms until a line arrives on stdin,
# then prints the most they took beyond what they took at the start.
DISK_WATCH = textwrap.dedent("""
    import os, sys, threading
    folders = sys.argv[1:]
    def used():  # each file once, however many names it has (a backup is named by a link)
        blocks = {}
        for folder in folders:
            if os.path.isdir(folder):
                for entry in os.scandir(folder):
                    try:
                        if entry.is_file(follow_symlinks=False):
                            st = entry.stat(follow_symlinks=False)
                            blocks[(st.st_dev, st.st_ino)] = st.st_blocks * 512
                    except FileNotFoundError:
                        pass
        return sum(blocks.values())
    before = used()
    peak = 0
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
    print("watching", flush=True)
    while not stop.is_set():
        peak = max(peak, used() - before)
        stop.wait(0.02)
    print(max(peak, used() - before), flush=True)
""")


def bench_upgrade_backup(scale: synthetic.Scale, base_env: dict[str, str],
                         tree_list: list[Tree], runs: int) -> dict:
    """The backup open_workspace takes before an upgrade, on a fresh copy of the scale's file
    for each run and tree: seconds, and the extra disk used at the peak."""
    origin = DATA / "pristine" / data_file(scale).name
    origin = origin if origin.exists() else data_file(scale)
    out: dict = {"file": origin.name, "runs": runs}
    samples: dict[str, list[dict]] = {t.name: [] for t in tree_list}
    for i in range(runs):
        for t in tree_list:
            scratch = DATA / "upgrade" / t.name
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir(parents=True)
            copy = scratch / "casework.db"
            say(f"upgrade backup: {t.name} run {i + 1}/{runs} (copying the file)")
            shutil.copyfile(origin, copy)
            shutil.copyfile(f"{origin}.key", f"{copy}.key")
            say(f"upgrade backup: {t.name} run {i + 1}/{runs} (backing up)")
            env = t.env(base_env, t.code(True), DATA / f"home-{t.name}")
            result = measured([sys.executable, "-c", UPGRADE_BACKUP, str(copy),
                               str(scratch / "backups"), DISK_WATCH], env)
            shutil.rmtree(scratch, ignore_errors=True)
            if result["rc"] != 0:
                samples[t.name].append({"error": failure(result)})
                continue
            samples[t.name].append(json.loads(result["stdout"].strip().splitlines()[-1]))
    for t in tree_list:
        good = [r for r in samples[t.name] if "error" not in r]
        if not good:
            out[t.name] = samples[t.name][0] if samples[t.name] else {"error": "no runs"}
            continue
        source = good[0]["source_bytes"]
        peak = statistics.median(r["peak_extra_disk_bytes"] for r in good)
        checks = [r["check_started_s"] for r in good if r.get("check_started_s") is not None]
        out[t.name] = {
            "seconds": round(statistics.median(r["seconds"] for r in good), 1),
            "copy_seconds": round(statistics.median(checks), 1) if checks else None,
            "peak_extra_disk_gb": round(peak / 1e9, 2),
            "peak_extra_disk_per_file_size": round(peak / source, 2),
            "backup_gb": round(good[0]["backup_bytes"] / 1e9, 2),
            "file_gb": round(source / 1e9, 2),
        }
    if len(tree_list) > 1 and all("seconds" in out.get(t.name, {}) for t in tree_list):
        out["seconds_ratio_new_to_base"] = ratio(out["new"]["seconds"], out["base"]["seconds"])
    return out


# -- caseload pages: through the services against the same SQL run directly -----------------

_PAGE_SQL = """
SELECT c.id, c.reference, c.person_id, p.given_name || ' ' || p.family_name, c.service_area,
       c.status, c.risk_level, c.eligibility_band, c.legal_status, c.next_review_on,
       c.named_worker_id, w.display_name, c.team_id, t.name, c.unallocated_since, c.referred_on
FROM case_file c
JOIN person p ON p.id = c.person_id
JOIN team t ON t.id = c.team_id
LEFT JOIN staff w ON w.id = c.named_worker_id
WHERE c.deleted_at IS NULL AND c.status IN ({statuses}) {where}
ORDER BY {order}, c.id
LIMIT 100 OFFSET 0
"""
_BY_REVIEW = "c.next_review_on IS NULL, c.next_review_on"
_BY_WAITING = "c.unallocated_since IS NULL, c.unallocated_since"
_TEXT_WHERE = (" AND (p.name_key LIKE ? ESCAPE '\\' OR p.name_key LIKE ? ESCAPE '\\')")


def raw_page(conn, where: str, params: list, order: str) -> list[str]:
    sql = _PAGE_SQL.format(statuses=", ".join("?" * len(LIVE)), where=where, order=order)
    return [r[0] for r in conn.execute(sql, [*LIVE, *params]).fetchall()]


def compare(service: Callable[[], list[str]], raw: Callable[[], list[str]], runs: int) -> dict:
    """Medians of `runs` calls of each, interleaved (so that drift in a shared machine hits
    both alike), after a warm-up of each (caches, statement compilation, the file's pages)."""
    service_ids, raw_ids = service(), raw()
    service_s, raw_s = [], []
    for _ in range(runs):
        started = time.perf_counter()
        service_ids = service()
        service_s.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw_ids = raw()
        raw_s.append(time.perf_counter() - started)
    service_ms, raw_ms = median_ms(service_s), median_ms(raw_s)
    return {"service_ms": service_ms, "raw_sql_ms": raw_ms,
            "ratio": round(statistics.median(service_s) / statistics.median(raw_s), 2)
            if raw_ms else None,
            "rows": len(service_ids), "same_rows": service_ids == raw_ids}


def bench_caseload_pages(path: Path, runs: int) -> dict:
    ws = open_workspace(path)
    conn = connect_sqlcipher(path, ws.key)
    try:
        leader = ws.login(TEAM_LEADER, synthetic.DEMO_PASSWORD)
        actor = leader.actor
        teams = sorted(actor.managed_team_ids | {actor.team_id})
        in_teams = f" AND c.team_id IN ({', '.join('?' * len(teams))})"
        worker = ws.login(SOCIAL_WORKER, synthetic.DEMO_PASSWORD)

        def page(me, query: dto.CaseQuery) -> Callable[[], list[str]]:
            return lambda: [r.id for r in me.cases.page(query, 0, 100).rows]

        high = dto.CaseQuery(scope=dto.CaseScope.TEAM, risk_levels=("high",), sort=dto.CaseSort.NEXT_REVIEW)
        high_text = dto.CaseQuery(scope=dto.CaseScope.TEAM, risk_levels=("high",), text=TEXT,
                                  sort=dto.CaseSort.NEXT_REVIEW)
        mine = dto.CaseQuery(scope=dto.CaseScope.MINE, sort=dto.CaseSort.NEXT_REVIEW)
        queue = dto.CaseQuery(scope=dto.CaseScope.UNALLOCATED, sort=dto.CaseSort.WAITING)
        say(f"caseload pages: {path.name}")
        return {
            "team_high_risk_by_review": compare(
                page(leader, high),
                lambda: raw_page(conn, in_teams + " AND c.risk_level = ?", [*teams, "high"], _BY_REVIEW),
                runs),
            "team_high_risk_text_by_review": compare(
                page(leader, high_text),
                lambda: raw_page(conn, in_teams + " AND c.risk_level = ?" + _TEXT_WHERE,
                                 [*teams, "high", f"{TEXT}%", f"% {TEXT}%"], _BY_REVIEW),
                runs),
            "my_caseload_social_worker": compare(
                page(worker, mine),
                lambda: raw_page(conn, " AND c.named_worker_id = ?", [worker.staff_id], _BY_REVIEW),
                runs),
            "unallocated_queue_by_waiting": compare(
                page(leader, queue),
                lambda: raw_page(conn, in_teams + " AND c.named_worker_id IS NULL", teams, _BY_WAITING),
                runs),
            "runs": runs, "text_filter": TEXT, "team_leader": TEAM_LEADER, "social_worker": SOCIAL_WORKER,
        }
    finally:
        conn.close()
        ws.close()


# -- main -----------------------------------------------------------------------------------


SECTIONS = ("caseload", "startup", "memory", "case_windows", "backup")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each subprocess (≥5)")
    parser.add_argument("--query-runs", type=int, default=25, help="measured runs of each page query")
    parser.add_argument("--rebuild", action="store_true", help="build the council file even if one exists")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="the folder holding the data files (default bench/data)")
    parser.add_argument("--caseload-only", action="store_true",
                        help="only the caseload pages (the same as --only caseload)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS),
                        help="measure only these (default: all)")
    parser.add_argument("--base", type=Path,
                        help="another checkout (e.g. the code before a change) to measure too")
    parser.add_argument("--bytecode", choices=("cached", "fresh", "both"), default="both",
                        help="start-up with the project's bytecode compiled, not, or both")
    parser.add_argument("--windows", type=int, default=400, help="case windows for memory")
    parser.add_argument("--backup-runs", type=int, default=1, help="runs of the upgrade backup")
    args = parser.parse_args()
    if args.runs < 5 or args.query_runs < 5:
        parser.error("medians need at least five runs")
    if args.caseload_only:
        args.only = ["caseload"]
    use_data(args.data)

    council, built = ensure_workspace(synthetic.COUNCIL, args.rebuild)
    team, _ = ensure_workspace(synthetic.TEAM, args.rebuild)
    env = subprocess_env(DATA / "home")
    tree_list = trees(args.base)
    variants = {"cached": [True], "fresh": [False], "both": [True, False]}[args.bytecode]
    scales = {"team": synthetic.TEAM, "council": synthetic.COUNCIL}
    result = {
        "generator_version": synthetic.GENERATOR_VERSION,
        "seed": SEED,
        "council_file": council["file"],
        "council_as_of": council["as_of"],
        "council_generation_seconds": council["generation_seconds"] if built else None,
        "council_generation_seconds_when_built": council["generation_seconds"],
        "rows": council["counts"],
        "trees": {t.name: str(t.source) for t in tree_list},
    }
    if "caseload" in args.only:
        result["caseload_page"] = {
            scale.name: bench_caseload_pages(data_file(scale), args.query_runs)
            for scale in (synthetic.COUNCIL, synthetic.TEAM)}
    if "startup" in args.only:
        result["startup"] = bench_startup(args.runs, env, tree_list, variants)
    if "memory" in args.only:
        result["peak_memory_mb"] = bench_peak_memory(scales, env, tree_list)
    if "case_windows" in args.only:
        result["case_window_memory"] = bench_case_window_memory(scales, env, tree_list,
                                                                args.windows)
    if "backup" in args.only:
        result["upgrade_backup"] = bench_upgrade_backup(synthetic.COUNCIL, env, tree_list,
                                                        args.backup_runs)
    result["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                         "platform": platform.platform(), "load_average": os.getloadavg(),
                         "measured_on": date.today().isoformat()}
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2)
    (OUT / ("foundation-caseload.json" if args.caseload_only else "foundation.json")).write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
