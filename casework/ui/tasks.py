"""Background work: service calls run on one serial worker thread, and their results come
back on the GUI thread, so the window never freezes.

    runner.run(me.cases.page, query, 0, 100, on_done=show_rows, on_error=show_problem)

One worker, not a pool: the workspace has one writer, and requests finish in the order they
were made. What crosses between the threads is a frozen DTO (or the exception raised).
Tests use `SyncTaskRunner`, which has the same interface and runs each call at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import shiboken6
from PySide6.QtCore import SIGNAL, QEventLoop, QObject, Qt, QThreadPool, Signal, Slot

Callback = Callable[[Any], None]


@dataclass
class _Job:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    on_done: Callback | None = None
    on_error: Callback | None = None
    on_progress: Callable[..., None] | None = None
    owner: QObject | None = None


class Runner(QObject):
    """What both runners share: bookkeeping of pending jobs, delivery, the busy state."""

    busy_changed = Signal(bool)
    # Errors of tasks started without `on_error`; the main window shows them. With nobody
    # listening the error is raised on the GUI thread instead, so it is never lost.
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._jobs: dict[int, _Job] = {}
        self._ids = itertools.count(1)

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def run(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callback | None = None,
        on_error: Callback | None = None,
        on_progress: Callable[..., None] | None = None,
        owner: QObject | None = None,
    ) -> int:
        """Run `fn(*args)` off the GUI thread; then `on_done(result)` or `on_error(exc)` on it.
        With `on_progress`, `fn` also gets a `progress=` callable: whatever it is called with
        reaches `on_progress` on the GUI thread. When `owner` has been deleted by then,
        nothing is delivered (a closed page must not be called back)."""
        job_id = next(self._ids)
        job = _Job(fn, args, {}, on_done, on_error, on_progress, owner)
        if on_progress is not None:
            job.kwargs["progress"] = partial(self._report, job_id)
        was_busy = self.busy
        self._jobs[job_id] = job
        if not was_busy:
            self.busy_changed.emit(True)
        self._start(job_id, job)
        return job_id

    def call(self, fn: Callable[..., Any], *args: Any,
             on_progress: Callable[..., None] | None = None) -> Any:
        """Run `fn(*args)` through the worker and wait for its result while the event loop
        keeps running (for start-up steps that need an answer before going on). Raises
        what `fn` raised."""
        outcome: dict[str, Any] = {}
        loop = QEventLoop()

        def finish(key: str, value: Any) -> None:
            outcome[key] = value
            loop.quit()

        self.run(fn, *args, on_done=partial(finish, "result"), on_error=partial(finish, "error"),
                 on_progress=on_progress)
        if not outcome:
            loop.exec()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["result"]

    def shutdown(self) -> None:
        """Drop work not yet started and wait for the running call, before the workspace
        closes. Nothing more is delivered."""
        was_busy = self.busy
        self._jobs.clear()
        if was_busy:
            self.busy_changed.emit(False)

    # -- shared by both runners --------------------------------------------------------

    def _start(self, job_id: int, job: _Job) -> None:
        raise NotImplementedError

    def _report(self, job_id: int, *args: Any) -> None:
        raise NotImplementedError

    @staticmethod
    def _execute(job: _Job) -> tuple[bool, Any]:
        try:
            return True, job.fn(*job.args, **job.kwargs)
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            return False, exc

    def _alive(self, job: _Job) -> bool:
        return job.owner is None or shiboken6.isValid(job.owner)

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, payload: Any) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None:
            return
        try:
            if not self._alive(job):
                return
            if ok:
                if job.on_done is not None:
                    job.on_done(payload)
            elif job.on_error is not None:
                job.on_error(payload)
            elif self.receivers(SIGNAL("failed(PyObject)")):
                self.failed.emit(payload)
            else:
                raise payload
        finally:
            # After the callbacks: one that starts the next call keeps the runner busy
            # without a flicker of the indicator.
            if not self._jobs:
                self.busy_changed.emit(False)

    @Slot(int, object)
    def _deliver_progress(self, job_id: int, args: tuple) -> None:
        job = self._jobs.get(job_id)
        if job is not None and job.on_progress is not None and self._alive(job):
            job.on_progress(*args)


class TaskRunner(Runner):
    """Runs calls on one worker thread, in the order they were made."""

    _finished = Signal(int, bool, object)
    _progressed = Signal(int, object)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)  # keep the worker (and its database connection) warm
        # Emitted on the worker thread; queued, so the slots run on the GUI thread.
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._progressed.connect(self._deliver_progress, Qt.ConnectionType.QueuedConnection)

    def _start(self, job_id: int, job: _Job) -> None:
        self._pool.start(partial(self._work, job_id, job))

    def _work(self, job_id: int, job: _Job) -> None:  # on the worker thread
        ok, payload = self._execute(job)
        self._finished.emit(job_id, ok, payload)

    def _report(self, job_id: int, *args: Any) -> None:  # on the worker thread
        self._progressed.emit(job_id, args)

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        super().shutdown()
        self._pool.clear()
        self._pool.waitForDone(timeout_ms)


class SyncTaskRunner(Runner):
    """The same interface, run at once on the calling thread: for tests."""

    def _start(self, job_id: int, job: _Job) -> None:
        self._deliver(job_id, *self._execute(job))

    def _report(self, job_id: int, *args: Any) -> None:
        self._deliver_progress(job_id, args)
