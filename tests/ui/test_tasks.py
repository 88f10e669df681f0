"""The TaskRunner runs calls off the GUI thread, one at a time, and answers on the GUI
thread; the event bridge brings service events over the same way."""

from __future__ import annotations

import threading

import pytest
import shiboken6
from PySide6.QtCore import QObject

from casework.events import Bus, Changed
from casework import dto
from casework.ui.event_bridge import EventBridge
from casework.ui.item_models.case_table import CaseTableModel
from casework.ui.tasks import SyncTaskRunner, TaskRunner


@pytest.fixture
def threaded(qtbot):
    runner = TaskRunner()
    yield runner
    runner.shutdown()
    runner.deleteLater()


def test_results_arrive_on_the_gui_thread(threaded, qtbot):
    gui = threading.get_ident()
    seen: dict[str, int] = {}

    def work(x):
        seen["worker"] = threading.get_ident()
        return x * 2

    results = []
    threaded.run(work, 21, on_done=lambda r: (results.append(r), seen.update(done=threading.get_ident())))
    qtbot.waitUntil(lambda: results == [42], timeout=3000)
    assert seen["worker"] != gui and seen["done"] == gui


def test_errors_are_delivered_on_the_gui_thread(threaded, qtbot):
    errors = []
    threaded.run(lambda: 1 / 0, on_done=lambda r: pytest.fail("no result expected"),
                 on_error=lambda e: errors.append((e, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    exc, thread = errors[0]
    assert isinstance(exc, ZeroDivisionError) and thread == threading.get_ident()


def test_errors_without_a_handler_go_to_the_failed_signal(threaded, qtbot):
    with qtbot.waitSignal(threaded.failed, timeout=3000) as blocker:
        threaded.run(lambda: int("x"))
    assert isinstance(blocker.args[0], ValueError)


def test_calls_run_one_at_a_time_in_order_and_busy_says_so(threaded, qtbot):
    """Each call is held running until the test has seen it start and let it go, so a
    runner that started the next one alongside would be caught with two running."""
    running = 0
    overlap = []
    lock = threading.Lock()
    let_go = [threading.Event() for _ in range(5)]

    def work(i):
        nonlocal running
        with lock:
            running += 1
            overlap.append(running)
        assert let_go[i].wait(30), f"call {i} was never let go"
        with lock:
            running -= 1
        return i

    busy = []
    threaded.busy_changed.connect(busy.append)
    results = []
    for i in range(5):
        threaded.run(work, i, on_done=results.append)
    assert threaded.busy
    for i in range(5):
        qtbot.waitUntil(lambda: len(overlap) > i, timeout=3000)
        assert overlap[-1] == 1, f"call {i} started while another was running"
        let_go[i].set()
    qtbot.waitUntil(lambda: len(results) == 5, timeout=3000)
    assert results == [0, 1, 2, 3, 4] and overlap == [1] * 5
    assert busy == [True, False] and not threaded.busy


def test_progress_reaches_the_gui_thread(threaded, qtbot):
    reports = []

    def long_work(progress):
        for step in range(3):
            progress(step, 3, f"step {step}")
        return "done"

    threaded.run(long_work, on_progress=lambda *a: reports.append((a, threading.get_ident())),
                 on_done=lambda r: reports.append(r))
    qtbot.waitUntil(lambda: "done" in reports, timeout=3000)
    assert [r[0] for r in reports[:-1]] == [(0, 3, "step 0"), (1, 3, "step 1"), (2, 3, "step 2")]
    assert {r[1] for r in reports[:-1]} == {threading.get_ident()}


def test_nothing_is_delivered_to_a_deleted_owner(threaded, qtbot):
    owner = QObject()
    gate = threading.Event()
    delivered = []
    threaded.run(gate.wait, 5, on_done=delivered.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner), timeout=3000)
    gate.set()
    qtbot.waitUntil(lambda: not threaded.busy, timeout=3000)
    assert delivered == []


def test_call_waits_for_the_answer_with_the_event_loop_running(threaded):
    assert threaded.call(sum, [1, 2, 3]) == 6
    with pytest.raises(KeyError):
        threaded.call({}.__getitem__, "missing")


def test_the_sync_runner_raises_what_nobody_handles(qtbot):
    runner = SyncTaskRunner()
    with pytest.raises(ZeroDivisionError):
        runner.run(lambda: 1 / 0)
    assert not runner.busy


def test_the_case_model_loads_through_the_threaded_runner(fx, threaded, qtbot):
    model = CaseTableModel(fx.login("sw.one").cases, threaded)
    with qtbot.waitSignal(model.loaded, timeout=3000):
        model.set_query(dto.CaseQuery(scope=dto.CaseScope.MINE))
        assert model.rowCount() == 0 and model.is_loading  # the answer comes later
    assert model.rowCount() == 3 and model.total == 3 and not model.is_loading


def test_a_stale_answer_is_dropped_when_the_query_changed(fx, threaded, qtbot):
    model = CaseTableModel(fx.login("tl.north").cases, threaded)
    model.set_query(dto.CaseQuery(scope=dto.CaseScope.TEAM))
    with qtbot.waitSignal(model.loaded, timeout=3000):
        model.set_query(dto.CaseQuery(scope=dto.CaseScope.TEAM, text="munro"))
    qtbot.waitUntil(lambda: not threaded.busy, timeout=3000)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Iain Munro"]


def test_the_bridge_brings_events_to_the_gui_thread(qtbot):
    bus = Bus()
    bridge = EventBridge(bus)
    received = []
    bridge.changed.connect(lambda e: received.append((e, threading.get_ident())))
    worker = threading.Thread(target=bus.publish, args=(Changed("case", ("c1",)),))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(received), timeout=3000)
    assert received == [(Changed("case", ("c1",)), threading.get_ident())]
    bridge.detach()
    bus.publish(Changed("case"))
    qtbot.wait(20)
    assert len(received) == 1
