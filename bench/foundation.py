"""Foundation benchmark: council-scale generation, start-up, caseload pages, peak memory.

    .venv/bin/python bench/foundation.py [--runs 5] [--query-runs 9] [--rebuild]

Builds the council-scale workspace under bench/data/ (or reuses the one made by the same
generator version and seed), measures, prints ONE JSON object on stdout and keeps a copy in
bench/out/foundation.json. Progress goes to stderr. See bench/README.md for what each figure
means. Never run by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
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
WRAPPER = textwrap.dedent("""
    import json, resource, subprocess, sys, time
    cmd, env = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    started = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"rc": p.returncode, "wall_s": wall, "maxrss": usage.ru_maxrss,
                      "stdout": p.stdout[-4000:], "stderr": p.stderr[-4000:]}))
""")

# The floor for start-up: a bare window, shown, once the event loop has run.
BARE_QT = textwrap.dedent("""
    import time
    t0 = time.perf_counter()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication([])
    w = QMainWindow()
    w.resize(1200, 800)
    w.show()
    QTimer.singleShot(0, app.quit)
    app.exec()
    print(round((time.perf_counter() - t0) * 1000))
""")


def subprocess_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["CASEWORK_HOME"] = str(home)  # the app's own demo goes here, not into the user's
    env["CASEWORK_PASSWORD"] = synthetic.DEMO_PASSWORD
    env.pop("CASEWORK_FAST_PASSWORD_HASH", None)  # the real argon2 cost is part of start-up
    return env


def measured(cmd: list[str], env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", WRAPPER, json.dumps(cmd), json.dumps(env)],
                         stdout=subprocess.PIPE, text=True, check=True)
    result = json.loads(out.stdout)
    # ru_maxrss is KiB on Linux, bytes on macOS.
    result["maxrss_mb"] = result["maxrss"] / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return result


def casework_command() -> list[str]:
    script = Path(sys.executable).with_name("casework")
    return [str(script)] if script.exists() else [sys.executable, "-m", "casework"]


def last_line_number(stdout: str) -> float | None:
    lines = [line for line in stdout.strip().splitlines() if line.strip()]
    try:
        return float(lines[-1])
    except (IndexError, ValueError):
        return None


def failure(result: dict) -> str:
    tail = (result["stderr"].strip().splitlines() or ["(no output)"])[-1]
    return f"exit {result['rc']}: {tail}"


def bench_startup(runs: int, env: dict[str, str]) -> dict:
    """`casework --demo --smoke tl.macleod` against a bare QMainWindow, both from a fresh
    interpreter. The warm-up run also creates the demo workspace when missing."""
    app_cmd = [*casework_command(), "--demo", "--smoke", TEAM_LEADER]
    bare_cmd = [sys.executable, "-c", BARE_QT]
    say("startup: warm-up (creates the demo if missing)")
    warm = measured(app_cmd, env)
    if warm["rc"] != 0:
        return {"error": f"casework --demo --smoke {TEAM_LEADER} failed: {failure(warm)}"}
    measured(bare_cmd, env)
    app, bare = [], []
    for i in range(runs):  # interleaved, so that drift in the machine hits both alike
        say(f"\rstartup: run {i + 1}/{runs}", end="")
        app.append(measured(app_cmd, env))
        bare.append(measured(bare_cmd, env))
    say("")
    bad = next((r for r in app + bare if r["rc"] != 0), None)
    if bad is not None:
        return {"error": failure(bad)}
    app_wall = median_ms([r["wall_s"] for r in app])
    bare_wall = median_ms([r["wall_s"] for r in bare])
    reported = [last_line_number(r["stdout"]) for r in app]
    return {
        "runs": runs,
        "app_process_wall_ms": app_wall,
        "bare_qt_process_wall_ms": bare_wall,
        "ratio": round(app_wall / bare_wall, 2),
        "app_reported_ready_ms": (statistics.median(reported) if None not in reported else None),
        "bare_qt_reported_ready_ms": statistics.median(last_line_number(r["stdout"]) for r in bare),
        "app_peak_memory_mb": round(statistics.median(r["maxrss_mb"] for r in app), 1),
        "bare_qt_peak_memory_mb": round(statistics.median(r["maxrss_mb"] for r in bare), 1),
    }


def bench_peak_memory(files: dict[str, Path], env: dict[str, str]) -> dict:
    """Peak resident memory of `casework --workspace F --smoke tl.macleod`, per scale."""
    out: dict[str, float | str] = {}
    for name, path in files.items():
        say(f"peak memory: {name}")
        cmd = [*casework_command(), "--workspace", str(path), "--smoke", TEAM_LEADER]
        measured(cmd, env)  # warm-up: the first open may upgrade or back up the file
        result = measured(cmd, env)
        out[name] = round(result["maxrss_mb"], 1) if result["rc"] == 0 else failure(result)
        if result["rc"] == 0:
            out[f"{name}_ready_ms"] = last_line_number(result["stdout"])
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each subprocess (≥5)")
    parser.add_argument("--query-runs", type=int, default=25, help="measured runs of each page query")
    parser.add_argument("--rebuild", action="store_true", help="build the council file even if one exists")
    parser.add_argument("--data", type=Path, default=DATA,
                        help="the folder holding the data files (default bench/data)")
    parser.add_argument("--caseload-only", action="store_true",
                        help="only the caseload pages (no start-up or memory runs)")
    args = parser.parse_args()
    if args.runs < 5 or args.query_runs < 5:
        parser.error("medians need at least five runs")
    use_data(args.data)

    council, built = ensure_workspace(synthetic.COUNCIL, args.rebuild)
    team, _ = ensure_workspace(synthetic.TEAM, args.rebuild)
    home = DATA / "home"
    env = subprocess_env(home)
    result = {
        "generator_version": synthetic.GENERATOR_VERSION,
        "seed": SEED,
        "council_file": council["file"],
        "council_as_of": council["as_of"],
        "council_generation_seconds": council["generation_seconds"] if built else None,
        "council_generation_seconds_when_built": council["generation_seconds"],
        "rows": council["counts"],
        "caseload_page": {
            scale.name: bench_caseload_pages(data_file(scale), args.query_runs)
            for scale in (synthetic.COUNCIL, synthetic.TEAM)},
    }
    if not args.caseload_only:
        result["startup"] = bench_startup(args.runs, env)
        result["peak_memory_mb"] = bench_peak_memory(
            {"team": data_file(synthetic.TEAM), "council": data_file(synthetic.COUNCIL)}, env)
    result |= {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "measured_on": date.today().isoformat()},
    }
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2)
    (OUT / ("foundation-caseload.json" if args.caseload_only else "foundation.json")).write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
