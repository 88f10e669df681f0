"""Where one read's time goes: each caseload page and each case-window read, called many
times under cProfile, with the profile's main lines.

    PYTHONPATH=$PWD .venv/bin/python bench/profile_reads.py [--scale council|team]
        [--data bench/data] [--calls 200] [--lines 25] [--sort tottime]

Uses the data files bench/foundation.py makes (it never builds one: run that first). Prints,
for each read, the milliseconds per call without the profiler and the profile's top lines
with the profiler on (which slows Python code, not SQLite, so read them as shares). Never
run by the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

import foundation  # noqa: E402  (bench/ is the script's folder)
from foundation import SOCIAL_WORKER, TEAM_LEADER, TEXT, dto, say

from casework import synthetic
from casework.services import open_workspace


def reads(path: Path):
    """(name, call) for the eight reads, on a workspace opened here (closed by the caller)."""
    ws = open_workspace(path)
    leader = ws.login(TEAM_LEADER, synthetic.DEMO_PASSWORD)
    worker = ws.login(SOCIAL_WORKER, synthetic.DEMO_PASSWORD)
    actor = leader.actor
    teams = sorted(actor.managed_team_ids | ({actor.team_id} if actor.team_id else set()))
    from casework.db import connect_sqlcipher

    conn = connect_sqlcipher(path, ws.key)
    marks = ", ".join("?" * len(teams))
    case_id = conn.execute(
        f"SELECT c.id FROM case_file c JOIN case_note n ON n.case_id = c.id "
        f"WHERE c.team_id IN ({marks}) AND c.deleted_at IS NULL "
        f"AND c.status IN ('referral', 'open', 'closing') "
        f"GROUP BY c.id ORDER BY COUNT(n.id) DESC, c.id LIMIT 1", teams).fetchone()[0]
    conn.close()
    q = dto.CaseQuery
    high = q(scope=dto.CaseScope.TEAM, risk_levels=("high",), sort=dto.CaseSort.NEXT_REVIEW)
    calls = {
        "page team_high_risk_by_review": lambda: leader.cases.page(high, 0, 100),
        "page team_high_risk_text_by_review": lambda: leader.cases.page(
            q(scope=dto.CaseScope.TEAM, risk_levels=("high",), text=TEXT,
              sort=dto.CaseSort.NEXT_REVIEW), 0, 100),
        "page my_caseload_social_worker": lambda: worker.cases.page(
            q(scope=dto.CaseScope.MINE, sort=dto.CaseSort.NEXT_REVIEW), 0, 100),
        "page unallocated_queue_by_waiting": lambda: leader.cases.page(
            q(scope=dto.CaseScope.UNALLOCATED, sort=dto.CaseSort.WAITING), 0, 100),
        "cases.summary": lambda: leader.cases.summary(case_id),
        "assessments.list": lambda: leader.assessments.list(case_id),
        "plans.plan": lambda: leader.plans.plan(case_id),
        "notes.page": lambda: leader.notes.page(case_id, dto.NoteQuery(), 0, 100),
    }
    return ws, calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("council", "team"), default="council")
    parser.add_argument("--data", type=Path, default=foundation.DATA,
                        help="the folder holding the data files")
    parser.add_argument("--calls", type=int, default=200, help="calls of each read")
    parser.add_argument("--lines", type=int, default=25, help="profile lines shown")
    parser.add_argument("--sort", default="tottime", help="pstats sort key")
    parser.add_argument("--only", default="", help="profile only reads whose name has this")
    parser.add_argument("--filter", default="",
                        help="show only lines whose file or function matches this regex "
                             "(e.g. 'casework|execute')")
    args = parser.parse_args()
    foundation.DATA = args.data.resolve()
    scale = synthetic.COUNCIL if args.scale == "council" else synthetic.TEAM
    path = foundation.data_file(scale)
    if not path.exists():
        parser.error(f"{path} is missing: run bench/foundation.py first")
    ws, calls = reads(path)
    try:
        for name, fn in calls.items():
            if args.only not in name:
                continue
            for _ in range(10):  # warm-up: statement caches, the file's pages
                fn()
            started = time.perf_counter()
            for _ in range(args.calls):
                fn()
            plain = (time.perf_counter() - started) / args.calls * 1000
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.calls):
                fn()
            profile.disable()
            out = io.StringIO()
            stats = pstats.Stats(profile, stream=out)
            restrictions = (args.filter, args.lines) if args.filter else (args.lines,)
            stats.sort_stats(args.sort).print_stats(*restrictions)
            print(f"=== {name}: {plain:.3f} ms per call without the profiler "
                  f"({args.calls} calls, {path.name})")
            text = out.getvalue()
            print(text[text.find("   ncalls"):].rstrip() + "\n")
            say(f"{name}: {plain:.3f} ms")
    finally:
        ws.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
