"""What an audited write costs: this code against another checkout of Casework (by default
the code before the keyed audit chain), on real workspace files.

    PYTHONPATH=$PWD .venv/bin/python bench/audit_write.py --before /path/to/old/checkout
                    [--calls 2000] [--rounds 5] [--modes passphrase,keychain]

Each run is a fresh process on a fresh workspace file, timing `--calls` audited writes of
two kinds: `notes.add` through the services (a note and its audit event in one transaction,
as a worker records a contact), and a bare audit event in its own transaction
(`Context.audit` in `db.write()`, the floor every audited action pays). Runs of the two
checkouts are interleaved, round after round, and the figures are ratios of medians (the
machine is shared and noisy). Modes: `passphrase` (the audit secret derived from the
passphrase, the outside head in a file: one extra fsync per commit), `keychain` (secret and
head in an in-memory keychain: the code's own cost, without a real keychain's).

Prints one JSON object on stdout and keeps a copy in bench/out/audit_write.json. Never run
by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

CHILD = r'''
import json, os, sys, time
from datetime import UTC, datetime, timedelta
os.environ["CASEWORK_FAST_PASSWORD_HASH"] = "1"  # sign-in cost is not what is measured
mode, calls, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.environ["CASEWORK_HOME"] = folder
import keyring
from keyring.backend import KeyringBackend
class Memory(KeyringBackend):
    priority = 1
    def __init__(self):
        super().__init__(); self.items = {}
    def get_password(self, s, u): return self.items.get((s, u))
    def set_password(self, s, u, p): self.items[(s, u)] = p
    def delete_password(self, s, u): self.items.pop((s, u), None)
if mode == "keychain":
    keyring.set_keyring(Memory())
else:
    from keyring.backends.fail import Keyring as Fail
    keyring.set_keyring(Fail())
try:
    from casework import dto
except ImportError:
    from casework.services import dto
from casework.models import Allocation, Case, Person
from casework.models.base import new_id
from casework.services import create_workspace
path = os.path.join(folder, "ws.db")
ws = create_workspace(path, name="Bench", admin_username="admin", admin_password="admin-password-1",
                      passphrase="a bench passphrase" if mode == "passphrase" else None)
admin = ws.login("admin", "admin-password-1")
team = admin.admin.create_team("North Adult Team", "adult_community_care")
sw = admin.admin.create_staff(dto.StaffInput(
    username="sw.one", display_name="Social Worker", role="social_worker", team_id=team.id,
    sssc_number="1234567", sssc_part="social_worker",
    sssc_expiry=datetime.now(UTC).date() + timedelta(days=300),
    qualified_on=datetime(2015, 1, 1).date()), "temporary-pass-1")
from sqlalchemy import update
from casework.models import Staff
now = datetime.now(UTC)
with ws.db.write() as s:
    s.execute(update(Staff).values(must_change_password=False))
    person = Person(id=new_id(), team_id=team.id, given_name="Ann", family_name="Bench",
                    name_key="bench ann", updated_at=now)
    s.add(person); s.flush()
    case = Case(id=new_id(), team_id=team.id, reference="CW-000001", person_id=person.id,
                service_area="adult_community_care", status="open", eligibility_band="substantial",
                risk_level="medium", legal_status="voluntary", named_worker_id=sw.id,
                referred_on=now.date(), opened_on=now.date(), updated_at=now)
    s.add(case); s.flush()
    s.add(Allocation(id=new_id(), team_id=team.id, case_id=case.id, worker_id=sw.id,
                     started_at=now, reason="Bench", updated_at=now))
me = ws.login("sw.one", "temporary-pass-1")
when = now - timedelta(hours=1)
ctx = ws._ctx
result = {}
def timed(label, one):
    for _ in range(20):  # warm up
        one()
    laps = []
    for _ in range(calls):
        t = time.perf_counter(); one(); laps.append(time.perf_counter() - t)
    laps.sort()
    result[label] = {"median_ms": laps[len(laps) // 2] * 1000, "p90_ms": laps[int(len(laps) * .9)] * 1000}
def note():
    me.notes.add(case.id, dto.NoteInput("visit", when, "Home visit", "Seen at home."))
def bare():
    with ws.db.write() as s:
        ctx.audit(s, None, "bench_event", actor_name="Bench", entity_type="case",
                  entity_id=case.id, detail={"n": 1})
timed("notes_add", note)
timed("audit_event", bare)
report = ws.verify_audit()
assert report.ok, report.problems
t = time.perf_counter(); ws.verify_audit(); result["verify_ms"] = (time.perf_counter() - t) * 1000
result["events"] = report.events_checked
ws.close()
print(json.dumps(result))
'''


def run(checkout: Path, mode: str, calls: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="audit-bench-") as folder:
        env = {**os.environ, "PYTHONPATH": str(checkout), "PYTHONDONTWRITEBYTECODE": "1"}
        out = subprocess.run([sys.executable, "-c", CHILD, mode, str(calls), folder],
                             capture_output=True, text=True, env=env, cwd=folder)
        if out.returncode != 0:
            raise SystemExit(f"{checkout} ({mode}) failed:\n{out.stderr}")
        return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--after", type=Path, default=HERE.parent)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--modes", default="passphrase,keychain")
    args = parser.parse_args()
    modes = args.modes.split(",")
    runs: dict[str, dict[str, list[dict]]] = {m: {"before": [], "after": []} for m in modes}
    for r in range(args.rounds):
        for mode in modes:
            for side in ("before", "after") if r % 2 == 0 else ("after", "before"):
                checkout = args.before if side == "before" else args.after
                print(f"round {r + 1}/{args.rounds} {mode} {side}", file=sys.stderr, flush=True)
                runs[mode][side].append(run(checkout, mode, args.calls))
    summary: dict = {"calls": args.calls, "rounds": args.rounds, "before": str(args.before),
                     "after": str(args.after), "started": time.strftime("%Y-%m-%d %H:%M")}
    for mode in modes:
        summary[mode] = {}
        for label in ("notes_add", "audit_event"):
            med = {side: statistics.median(x[label]["median_ms"] for x in runs[mode][side])
                   for side in ("before", "after")}
            summary[mode][label] = {"before_median_ms": round(med["before"], 3),
                                    "after_median_ms": round(med["after"], 3),
                                    "ratio": round(med["after"] / med["before"], 3)}
        summary[mode]["verify_ms"] = {side: round(statistics.median(x["verify_ms"] for x in
                                                                     runs[mode][side]), 1)
                                      for side in ("before", "after")}
        summary[mode]["events_verified"] = runs[mode]["after"][0]["events"]
    OUT.mkdir(exist_ok=True)
    (OUT / "audit_write.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
