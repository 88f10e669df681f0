"""An open case always has exactly one named worker, or sits visibly in its team's queue.

Random sequences of referrals, openings, allocations, reallocations, returns to the queue and
closings — by every role, to any worker, with blank reasons and stale versions among them —
go through the services. After every step: each live case has a named worker or waits in its
team's queue (never both, never neither), and its named worker is the worker of its latest
allocation row; no allocation row ever changes or disappears, and a new one appears only for
a change the service accepted; a closed case says who closed it, when, and how it ended. A
refusal is exactly the one the policy makes, audited once, and writes nothing else.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from casework import permissions as perm
from casework.errors import Conflict, PermissionDenied, ValidationError
from casework.models import Allocation, Case
from casework import dto
from casework.vocab import LIVE_STATUSES, LegalStatus
from reach import Reach
from refusals import assert_refused
from service_world import TODAY, add_case, build_world

# Who acts, by the case's team: mostly someone who may (its leaders, its practitioners),
# sometimes anyone at all — another team's leader, a para-professional, an administrator.
LEADERS = {"north": ("tl.north", "sm"), "south": ("tl.south", "sm")}
PRACTITIONERS = {"north": ("sw.north", "sp.north", "sw.lapsed", "sw.mho", "tl.north", "sm"),
                 "south": ("sw.south", "tl.south", "sm")}
# The case holders of each team, whom a case may be allocated to.
HOLDERS = {"north": ("sw.north", "sw.nq", "sp.north", "tl.north", "sw.mho", "sw.lapsed"),
           "south": ("sw.south", "tl.south")}
ANYONE = ("tl.north", "tl.south", "sm", "sw.north", "sp.north", "sw.lapsed", "sw.mho",
          "sw.nq", "sw.south", "pp.north", "admin2")
LEGAL = ("voluntary", "voluntary", "child_protection_plan", "compulsory_supervision_order")
# Each example starts with cases of its own (team, named worker, status, legal status), since
# the world outlives the examples and its cases end up closed.
STARTING_CASES = (
    ("north", None, "referral", "voluntary"),
    ("north", "sw.north", "open", "voluntary"),
    ("north", "sw.lapsed", "open", "compulsory_supervision_order"),
    ("south", "sw.south", "open", "child_protection_plan"),
    ("south", None, "referral", "compulsory_supervision_order"),
)
_LIVE = {s.value for s in LIVE_STATUSES}
# Each step, as its refusals are audited.
ACTIONS = {"allocate": "allocate_case", "return": "return_case_to_queue", "open": "open_case",
           "close": "close_case"}
_names = itertools.count(1)  # the world outlives each example: every new person is new


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    w = build_world(tmp_path_factory.mktemp("named-worker"))
    yield w
    w.ws.close()


def mostly(common, *rare) -> st.SearchStrategy:
    """`common` four times in five: enough steps get past the checks to change something."""
    return st.sampled_from([common] * 4 + list(rare))


def reasons() -> st.SearchStrategy[str]:
    """Mostly a reason; sometimes none, which is refused."""
    return st.sampled_from(["Allocation meeting", "Worker leaving", "Continuity",
                            "Allocation meeting", "", "  "])


# Who acts and to whom: a pool ("fitting" for the case's team, or anyone) and an index
# into it, so that every example draws the same way whatever the team.
picks = st.tuples(mostly(True, False), st.integers(0, 63))


class NamedWorker(RuleBasedStateMachine):
    cases = Bundle("cases")

    def __init__(self, world):
        super().__init__()
        self.world = world
        self.me = {}
        self.rows = self._allocations()  # every allocation row as first seen
        self.accepted = 0  # allocation changes the service made since the last check
        # Closed before the run, inserted as such by the test world (not through a service).
        with world.ws.db.read() as s:
            self.closed_before = set(s.scalars(select(Case.id).where(Case.status == "closed")))

    # -- reading the database directly (the check must not lean on the services) --------

    def _allocations(self) -> dict[str, tuple]:
        columns = Allocation.__table__.columns
        with self.world.ws.db.read() as s:
            return {a.id: tuple(getattr(a, c.key) for c in columns)
                    for a in s.scalars(select(Allocation))}

    def _case(self, case_id: str) -> tuple:
        columns = Case.__table__.columns
        with self.world.ws.db.read() as s:
            c = s.get(Case, case_id)
            return tuple(getattr(c, k.key) for k in columns)

    def _stored(self, case_id: str) -> Case:
        with self.world.ws.db.read() as s:
            return s.get(Case, case_id)

    def _login(self, username: str):
        if username not in self.me:
            self.me[username] = self.world.login(username)
        return self.me[username]

    def _attempt(self, what: str, case_id: str, me, decision: perm.Decision, call) -> bool:
        """Make the call; True when the service accepted it. A refusal must be the policy's
        own, audited once and writing nothing else; nothing invalid may change the case."""
        if not decision:
            REACH(f"{what}: refused ({decision.reason})")
            assert_refused(self.world, me, call, ACTIONS[what], decision.reason,
                           entity_id=case_id)
            return False
        before = self._case(case_id)
        try:
            call()
        except PermissionDenied as e:
            raise AssertionError(f"refused ({e.reason}) what the policy allows") from e
        except (ValidationError, Conflict) as e:
            REACH(f"{what}: {type(e).__name__}")
            assert self._case(case_id) == before, "an invalid call changed the case"
            return False
        REACH(f"{what}: done")
        return True

    # -- steps ---------------------------------------------------------------------------

    def _insert(self, team: str, worker: str | None, status: str, legal: str) -> str:
        """A case inserted as the test world does it, with its first allocation row."""
        n = next(_names)
        case_id = add_case(self.world, team=team, worker=worker, name=(f"Person{n}", "Case"),
                           status=status, legal=legal)
        self.rows = self.rows | {k: v for k, v in self._allocations().items()
                                 if k not in self.rows}
        return case_id

    @initialize(target=cases)
    def starting_cases(self):
        # The same number every time, so that the examples draw alike; and one the world
        # began with, closed.
        made = [self._insert(*spec) for spec in STARTING_CASES]
        self._every_step_once(*made)
        return multiple(*made, self.world.cases["Ann Closed"])

    def _every_step_once(self, referral, open_north, _lapsed, open_south, referral_south):
        """As `@example` does for a plain property test: every example tries each step once
        refused (a para-professional) and once accepted, whatever the rules draw next."""
        anyone = (False, ANYONE.index("pp.north"))
        first, second = (True, 0), (True, 1)
        self.allocate(open_south, anyone, first, "Allocation meeting", False)
        self.return_to_queue(open_north, anyone, "Worker leaving", False)
        self.open(referral_south, anyone, "critical")
        self.close(open_south, anyone, "Outcomes met.", False)
        self.open(referral, first, "critical")  # sw.north, of the team
        self.allocate(referral, first, second, "Allocation meeting", False)  # to sw.nq
        self.return_to_queue(open_north, first, "Worker leaving", False)
        self.close(open_south, first, "Outcomes met; knows how to get in touch.", False)

    @rule(target=cases, team=st.sampled_from(["north", "south"]), legal=st.sampled_from(LEGAL))
    def refer(self, team, legal):
        return self._insert(team, None, "referral", legal)

    def _team(self, c: Case) -> str:
        return next(k for k, team in self.world.teams.items() if team.id == c.team_id)

    def _pick(self, pick: tuple[bool, int], fitting: tuple[str, ...]) -> str:
        fits, index = pick
        pool = fitting if fits and fitting else ANYONE
        return pool[index % len(pool)]

    @rule(case=cases, actor=picks, worker=picks, reason=reasons(), stale=mostly(False, True))
    def allocate(self, case, actor, worker, reason, stale):
        c = self._stored(case)
        me = self._login(self._pick(actor, LEADERS[self._team(c)]))
        worker_id = self.world.staff[self._pick(worker, HOLDERS[self._team(c)])].id
        if self._attempt("allocate", case, me, perm.decide_allocation(me.actor, c.team_id),
                         lambda: me.cases.allocate(case, worker_id, reason,
                                                   c.row_version - stale)):
            after = self._stored(case)
            assert not stale and reason.strip() and c.status in _LIVE
            assert after.named_worker_id == worker_id != c.named_worker_id
            self.accepted += 1

    @rule(case=cases, actor=picks, reason=reasons(), stale=mostly(False, True))
    def return_to_queue(self, case, actor, reason, stale):
        c = self._stored(case)
        me = self._login(self._pick(actor, LEADERS[self._team(c)]))
        if self._attempt("return", case, me, perm.decide_allocation(me.actor, c.team_id),
                         lambda: me.cases.return_to_queue(case, reason, c.row_version - stale)):
            assert c.named_worker_id is not None and not stale
            assert self._stored(case).named_worker_id is None
            self.accepted += 1

    @rule(case=cases, actor=picks, band=st.sampled_from(["critical", "moderate"]))
    def open(self, case, actor, band):
        c = self._stored(case)
        me = self._login(self._pick(actor, PRACTITIONERS[self._team(c)]))
        data = dto.OpenCaseInput(c.service_area, band, "medium", c.legal_status, TODAY)
        decision = perm.decide_case_work(me.actor, perm.CaseRef(c.team_id, c.named_worker_id))
        if self._attempt("open", case, me, decision,
                         lambda: me.cases.open_case(case, data, c.row_version)):
            assert c.status == "referral"
            after = self._stored(case)
            assert after.status == "open" and after.named_worker_id == c.named_worker_id

    @rule(case=cases, actor=picks, summary=mostly("Outcomes met; knows how to get in touch.",
                                                  "", " "),
          stale=mostly(False, True))
    def close(self, case, actor, summary, stale):
        c = self._stored(case)
        named = tuple(u for u, info in self.world.staff.items() if info.id == c.named_worker_id)
        me = self._login(self._pick(actor, named + LEADERS[self._team(c)] + ("sw.lapsed",)))
        decision = perm.decide_close(
            me.actor, perm.CaseRef(c.team_id, c.named_worker_id),
            LegalStatus(c.legal_status).statutory_order, today=TODAY)
        if self._attempt("close", case, me, decision,
                         lambda: me.cases.close(case, summary, c.row_version - stale)):
            assert c.status in _LIVE and summary.strip() and not stale
            assert self._stored(case).closed_by == me.staff_id

    # -- what always holds ---------------------------------------------------------------

    @invariant()
    def each_live_case_has_one_named_worker_or_waits_in_the_queue(self):
        with self.world.ws.db.read() as s:
            latest = {}
            for a in s.scalars(select(Allocation).order_by(Allocation.started_at)):
                if a.case_id in latest:
                    assert a.started_at > latest[a.case_id].started_at, "two rows begin at once"
                latest[a.case_id] = a
            for c in s.scalars(select(Case).where(Case.deleted_at.is_(None))):
                if c.status in _LIVE:
                    assert (c.named_worker_id is None) == (c.unallocated_since is not None), (
                        f"{c.reference}: worker {c.named_worker_id}, waiting since "
                        f"{c.unallocated_since}")
                    assert c.id in latest, f"{c.reference} has no allocation history"
                    assert c.named_worker_id == latest[c.id].worker_id, (
                        f"{c.reference}: named worker is not the latest allocation's")
                elif c.id not in self.closed_before:
                    assert c.status == "closed"
                    assert c.closed_by and c.closed_on and (c.closing_summary or "").strip()

    @invariant()
    def allocation_rows_never_change_or_disappear(self):
        now = self._allocations()
        missing = set(self.rows) - set(now)
        assert not missing, "an allocation row disappeared"
        for row_id, first in self.rows.items():
            assert now[row_id] == first, "an allocation row changed"
        new = {k: v for k, v in now.items() if k not in self.rows}
        assert len(new) == self.accepted, "allocation rows appeared for changes not accepted"
        self.rows = now
        self.accepted = 0


REACH = Reach()


def test_a_live_case_always_has_one_named_worker_or_its_place_in_the_queue(world):
    run_state_machine_as_test(
        lambda: NamedWorker(world),
        settings=settings(max_examples=25, stateful_step_count=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow]))
    # Each change accepted, and each refused, at least once in the run (see _every_step_once).
    REACH.check(*(f"{what}: {outcome}" for what in ("allocate", "return", "open", "close")
                  for outcome in ("done", "refused")))
