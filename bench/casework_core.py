"""Core casework benchmark: opening a case window on the council file, and a 1,000-entry
chronology PDF against plain ReportLab drawing the same table.

    .venv/bin/python bench/casework_core.py [--scale council|team] [--cases 20] [--runs 3]
                                            [--pdf-runs 5] [--entries 1000]
                                            [--file-pdf-runs 3] [--no-window]

Uses the council-scale file that bench/foundation.py builds under bench/data/ (or reuses, when
the same generator version and seed made it), prints ONE JSON object on stdout and keeps a
copy in bench/out/casework_core.json (casework_core-team.json for the team scale). Progress
goes to stderr. See bench/README.md for what each figure means. Never run by the test suite.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import foundation  # noqa: E402  (bench/ is the script's folder)
import floors  # noqa: E402
from foundation import OUT, TEAM_LEADER, data_file, dto, ensure_workspace, say  # noqa: E402

from casework import synthetic  # noqa: E402
from casework.db import connect_sqlcipher  # noqa: E402
from casework.services import open_workspace  # noqa: E402

CHRONOLOGY_ENTRIES = 1_000


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def spread(samples: list[float]) -> dict:
    return {"median_ms": ms(statistics.median(samples)), "p95_ms": ms(percentile(samples, 95)),
            "max_ms": ms(max(samples)), "samples": len(samples)}


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


# -- 1. opening a case window -------------------------------------------------------------


def busiest_cases(path: Path, key, team_ids: list[str], n: int) -> list[tuple[str, int]]:
    """The live cases of the teams with the most notes, most first: the case windows that
    have the most to read."""
    conn = connect_sqlcipher(path, key)
    try:
        marks = ", ".join("?" * len(team_ids))
        return [(r[0], r[1]) for r in conn.execute(
            f"SELECT c.id, COUNT(n.id) AS notes FROM case_file c "
            f"JOIN case_note n ON n.case_id = c.id "
            f"WHERE c.team_id IN ({marks}) AND c.deleted_at IS NULL "
            f"AND c.status IN ('referral', 'open', 'closing') "
            f"GROUP BY c.id ORDER BY notes DESC, c.id LIMIT ?", [*team_ids, n]).fetchall()]
    finally:
        conn.close()


def bench_case_window(path: Path, cases: int, runs: int, window: bool) -> dict:
    ws = open_workspace(path)
    conn = connect_sqlcipher(path, ws.key)
    floor = None
    try:
        me = ws.login(TEAM_LEADER, synthetic.DEMO_PASSWORD)
        actor = me.actor
        teams = sorted(actor.managed_team_ids | ({actor.team_id} if actor.team_id else set()))
        sample = busiest_cases(path, ws.key, teams, cases)
        say(f"case window: {len(sample)} cases with {sample[-1][1]}–{sample[0][1]} notes")
        calls: dict[str, Callable[[str], object]] = {
            "cases.summary": lambda cid: me.cases.summary(cid),
            "assessments.list": lambda cid: me.assessments.list(cid),
            "plans.plan": lambda cid: me.plans.plan(cid),
            "notes.page": lambda cid: me.notes.page(cid, dto.NoteQuery(), 0, 100),
        }
        floor = floors.CaseWindowFloors(conn, actor.id, actor.display_name)
        raw: dict[str, Callable[[str], object]] = {
            "cases.summary": floor.summary, "assessments.list": floor.assessments,
            "plans.plan": floor.plan, "notes.page": floor.notes,
        }
        same = {name: True for name in calls}
        for name, fn in calls.items():  # warm-up: statement caches, the pages of the file
            for cid, _notes in sample:  # and the floors answer as the services do
                same[name] &= floors.service_ids(name, fn(cid)) == raw[name](cid)
        samples: dict[str, list[float]] = {name: [] for name in calls}
        raw_samples: dict[str, list[float]] = {name: [] for name in calls}
        totals: list[float] = []
        raw_totals: list[float] = []
        for run in range(runs):
            for i, (cid, _notes) in enumerate(sample):
                say(f"\rcase window: run {run + 1}/{runs}, case {i + 1}/{len(sample)}", end="")
                # The window's four reads, then their four floors: each side opens the
                # case as a window does (the audited summary's commit, then the reads on
                # the connection it used), and each follows the other's commit alike.
                for side, out, sums in ((calls, samples, totals), (raw, raw_samples, raw_totals)):
                    total = 0.0
                    for name, fn in side.items():
                        seconds, _ = timed(lambda: fn(cid))
                        out[name].append(seconds)
                        total += seconds
                    sums.append(total)
        say("")

        def against_floor(s: list[float], r: list[float], **more) -> dict:
            return {**spread(s), "raw_sql_median_ms": ms(statistics.median(r)),
                    "ratio": round(statistics.median(s) / statistics.median(r), 2), **more}

        result = {
            "scale": path.name, "signed_in_as": TEAM_LEADER, "cases": len(sample),
            "runs": runs, "notes_per_case": {"min": sample[-1][1], "max": sample[0][1]},
            "service_calls": {name: against_floor(samples[name], raw_samples[name],
                                                  same_rows=same[name]) for name in calls},
            "all_four_calls": against_floor(totals, raw_totals),
        }
        if window:
            result["real_window"] = bench_real_window(me, ws, [c for c, _n in sample], runs)
        return result
    finally:
        if floor is not None:
            floor.close()
        conn.close()
        ws.close()


def bench_real_window(me, ws, case_ids: list[str], runs: int) -> dict:
    """A real CaseWindow, offscreen, with the synchronous runner: reading the summary,
    building the window and showing it; then each tab shown once (its first load)."""
    try:
        from PySide6.QtWidgets import QApplication

        from casework.ui.case_window import opener
        from casework.ui.case_window.window import CaseWindow
        from casework.ui.event_bridge import EventBridge
        from casework.ui.page_context import PageContext
        from casework.ui.tasks import SyncTaskRunner
    except ImportError as exc:  # no Qt here: the service figures still stand
        return {"error": f"Qt unavailable: {exc}"}
    app = QApplication.instance() or QApplication([])
    runner = SyncTaskRunner()
    events = EventBridge(ws.bus)
    ctx = PageContext(ws, me, runner, events, lambda _ws: None, opener.open_case)

    def open_one(cid: str, all_tabs: bool) -> float:
        started = time.perf_counter()
        window = CaseWindow(ctx, me.cases.summary(cid))
        window.show()
        app.processEvents()
        if all_tabs:
            for i in range(window.tabs.count()):
                window.tabs.setCurrentIndex(i)
                app.processEvents()
        seconds = time.perf_counter() - started
        window.close()
        app.processEvents()
        return seconds

    open_one(case_ids[0], True)  # warm-up: widget classes, fonts, styles
    shown, tabs = [], []
    for run in range(runs):
        for i, cid in enumerate(case_ids):
            say(f"\rreal window: run {run + 1}/{runs}, case {i + 1}/{len(case_ids)}", end="")
            shown.append(open_one(cid, False))
            tabs.append(open_one(cid, True))
    say("")
    events.detach()
    return {"summary_built_and_shown": spread(shown), "with_every_tab_loaded": spread(tabs),
            "platform": os.environ.get("QT_QPA_PLATFORM", "")}


# -- 2. a 1,000-entry chronology PDF ---------------------------------------------------------

_SENTENCES = (
    "Siobhán was at home with her sister Máire, who does most of the caring.",
    "Łukasz from the GP practice phoned about the new medication.",
    "We talked through the falls and what would help at night.",
    "The community alarm is fitted and tested; she knows how to use it.",
    "Her daughter Niamh Ní Bhriain asked for a carer's assessment of her own.",
    "Mr MacDhòmhnaill next door has a key and checks on her each evening.",
    "She wants to keep going to the lunch club on Tuesdays.",
    "Agreed to review the plan in four weeks, sooner if anything changes.",
)


def chronology_workspace(folder: Path, entries: int):
    """A workspace holding one case whose chronology has `entries` significant notes of
    varied length (one to six sentences), an hour apart. Returns (workspace, me, case id)."""
    from sqlalchemy import update

    from casework.models import Allocation, Case, CaseNote, Person, Staff
    from casework.models.base import new_id
    from casework.secrets import MemoryStore
    from casework.services import create_workspace
    from casework.text import name_key

    password = "bench-password-1"
    ws = create_workspace(folder / "chronology.db", name="Chronology benchmark",
                          admin_username="admin", admin_password=password,
                          credentials=MemoryStore())
    admin = ws.login("admin", password)
    team = admin.admin.create_team("North Adult Team", "adult_community_care")
    worker = admin.admin.create_staff(dto.StaffInput(
        "sw.bench", "Ruaridh Campbell", "social_worker", team_id=team.id,
        sssc_number="1234567", sssc_part="social_worker",
        sssc_expiry=date.today() + timedelta(days=365), qualified_on=date(2015, 6, 1)),
        password)
    rng = Random(synthetic.DEFAULT_SEED)
    now = datetime.now(UTC)
    start = now - timedelta(hours=entries + 1)
    with ws.db.write() as s:
        s.execute(update(Staff).values(must_change_password=False))
        person = Person(id=new_id(), team_id=team.id, given_name="Siobhán",
                        family_name="Ní Bhriain", name_key=name_key("Siobhán", "Ní Bhriain"),
                        date_of_birth=date(1948, 3, 14), chi="1403481236", updated_at=now)
        s.add(person)
        s.flush()
        case = Case(id=new_id(), team_id=team.id, reference="CW-000001", person_id=person.id,
                    service_area="adult_community_care", status="open",
                    eligibility_band="substantial", risk_level="medium",
                    legal_status="voluntary", named_worker_id=worker.id,
                    referred_on=start.date(), opened_on=start.date(), updated_at=now)
        s.add(case)
        s.flush()
        s.add(Allocation(id=new_id(), team_id=team.id, case_id=case.id, worker_id=worker.id,
                         started_at=start, reason="New referral", updated_at=start))
        for i in range(entries):
            at = start + timedelta(hours=i)
            body = " ".join(rng.choice(_SENTENCES) for _ in range(rng.randint(1, 6)))
            s.add(CaseNote(id=new_id(), case_id=case.id, team_id=team.id,
                           author_id=worker.id, note_type=rng.choice(("visit", "phone",
                                                                     "meeting", "letter")),
                           occurred_at=at, subject=f"Contact {i + 1}: {rng.choice(_SENTENCES)[:40]}",
                           body=body, significant=True, updated_at=at, updated_by=worker.id))
    return ws, ws.login("sw.bench", password), case.id


def plain_reportlab(rows: list[dto.NoteRow]) -> tuple[bytes, int]:
    """The same table drawn with nothing of Casework's page: a SimpleDocTemplate holding
    one Table, same rows, same font, same column widths; no footer, no page numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    from xml.sax.saxutils import escape

    from casework.reports import chronology, fonts, page
    from casework.timeutil import show_datetime

    style = page.styles().cell
    data = [[Paragraph(h, page.styles().cell_head) for h in chronology.HEADERS]]
    for i, r in enumerate(rows, start=1):
        day, _, clock = show_datetime(r.occurred_at).rpartition(" ")
        data.append([
            Paragraph(str(i), style),
            Paragraph(f"{day}<br/>{clock}", style),
            Paragraph(escape(r.note_type.capitalize()), style),
            Paragraph(escape(r.author_name), style),
            Paragraph(f"<b>{escape(r.subject)}</b><br/>{escape(r.body)}", style),
        ])
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=page.MARGIN,
                            rightMargin=page.MARGIN, topMargin=page.MARGIN,
                            bottomMargin=page.MARGIN + page.FOOTER_HEIGHT)
    table = Table(data, colWidths=[w * page.TEXT_WIDTH for w in chronology.WIDTHS],
                  repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    doc.build([table])
    return buffer.getvalue(), doc.page


def bench_chronology_pdf(entries: int, runs: int) -> dict:
    from casework.reports.chronology import render_chronology

    with tempfile.TemporaryDirectory() as folder:
        say(f"chronology PDF: a case with {entries:,} entries")
        ws, me, cid = chronology_workspace(Path(folder), entries)
        try:
            summary = me.cases.summary(cid)
            rows = [*me.notes.page(cid, dto.CHRONOLOGY, 0, 500).rows,
                    *me.notes.page(cid, dto.CHRONOLOGY, 500, 500).rows,
                    *me.notes.page(cid, dto.CHRONOLOGY, 1000, 500).rows][:entries]
            report = dto.ChronologyReport(
                case=summary.case, person=summary.person, entries=tuple(rows), related=(),
                stamp=dto.ReportStamp(me.actor.display_name, datetime.now(UTC)))
            me.reports.chronology_pdf(cid)  # warm-up: fonts registered, caches filled
            plain_reportlab(rows)
            service, render, plain = [], [], []
            pdf = rendered = None
            plain_pages = 0
            for i in range(runs):  # interleaved, so that drift in the machine hits all alike
                say(f"\rchronology PDF: run {i + 1}/{runs}", end="")
                seconds, pdf = timed(lambda: me.reports.chronology_pdf(cid))
                service.append(seconds)
                seconds, rendered = timed(lambda: render_chronology(report))
                render.append(seconds)
                seconds, (content, plain_pages) = timed(lambda: plain_reportlab(rows))
                plain.append(seconds)
            say("")
            service_ms = ms(statistics.median(service))
            plain_ms = ms(statistics.median(plain))
            return {
                "entries": len(rows), "runs": runs,
                "service_ms": service_ms,
                "render_only_ms": ms(statistics.median(render)),
                "plain_reportlab_ms": plain_ms,
                "ratio_service_to_plain": round(service_ms / plain_ms, 2),
                "ratio_render_to_plain": round(ms(statistics.median(render)) / plain_ms, 2),
                "pages": pdf.page_count, "plain_pages": plain_pages,
                "pdf_bytes": len(pdf.content), "plain_pdf_bytes": len(content),
                "render_pages": rendered.page_count,
            }
        finally:
            ws.close()


def bench_largest_real_chronology(path: Path, runs: int) -> dict:
    """The chronology PDF of the case with the most significant entries in the team
    leader's teams, on the scale's own data."""
    ws = open_workspace(path)
    try:
        me = ws.login(TEAM_LEADER, synthetic.DEMO_PASSWORD)
        actor = me.actor
        teams = sorted(actor.managed_team_ids | ({actor.team_id} if actor.team_id else set()))
        conn = connect_sqlcipher(path, ws.key)
        try:
            marks = ", ".join("?" * len(teams))
            cid, n = conn.execute(
                f"SELECT c.id, COUNT(n.id) FROM case_file c JOIN case_note n ON n.case_id = c.id "
                f"WHERE c.team_id IN ({marks}) AND n.significant = 1 AND n.deleted_at IS NULL "
                f"GROUP BY c.id ORDER BY 2 DESC, c.id LIMIT 1", teams).fetchone()
        finally:
            conn.close()
        say(f"largest chronology on the file: {n} entries")
        me.reports.chronology_pdf(cid)  # warm-up
        samples, pdf = [], None
        for _ in range(runs):
            seconds, pdf = timed(lambda: me.reports.chronology_pdf(cid))
            samples.append(seconds)
        return {"entries": n, "pages": pdf.page_count, "median_ms": ms(statistics.median(samples)),
                "runs": runs}
    finally:
        ws.close()


# -- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("council", "team"), default="council",
                        help="the data file the case windows open on")
    parser.add_argument("--cases", type=int, default=20, help="cases in the sample")
    parser.add_argument("--runs", type=int, default=3, help="passes over the sample")
    parser.add_argument("--pdf-runs", type=int, default=5, help="runs of each PDF (≥5)")
    parser.add_argument("--entries", type=int, default=CHRONOLOGY_ENTRIES,
                        help="entries in the benchmark's chronology")
    parser.add_argument("--file-pdf-runs", type=int, default=3,
                        help="runs of the chronology PDF of the data file's largest case")
    parser.add_argument("--no-window", action="store_true",
                        help="service calls only: no real CaseWindow")
    parser.add_argument("--window-reads-only", action="store_true",
                        help="only the case window's reads against their floors (no PDFs)")
    parser.add_argument("--data", type=Path, default=foundation.DATA,
                        help="the folder holding the data files (default bench/data)")
    args = parser.parse_args()
    if args.pdf_runs < 5:
        parser.error("medians need at least five runs")
    foundation.use_data(args.data)

    scale = synthetic.COUNCIL if args.scale == "council" else synthetic.TEAM
    manifest, built = ensure_workspace(scale, rebuild=False)
    path = data_file(scale)
    result = {
        "generator_version": synthetic.GENERATOR_VERSION,
        "seed": foundation.SEED,
        "data_file": manifest["file"],
        "data_as_of": manifest["as_of"],
        "data_built_this_run": built,
        "case_window": bench_case_window(path, args.cases, args.runs, not args.no_window),
    }
    if not args.window_reads_only:
        result["chronology_pdf"] = bench_chronology_pdf(args.entries, args.pdf_runs)
        result["largest_chronology_on_file"] = bench_largest_real_chronology(
            path, args.file_pdf_runs)
    result |= {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load_average": os.getloadavg(),
                    "measured_on": date.today().isoformat()},
    }
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, indent=2)
    name = "casework_core.json" if scale is synthetic.COUNCIL else f"casework_core-{scale.name}.json"
    (OUT / name).write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
