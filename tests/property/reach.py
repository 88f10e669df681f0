"""What a run of a stateful property test reached.

Hypothesis's statistics report covers only tests decorated with `@given`, not a state machine
that a test runs itself; these count the same events, and at the end of the run check that
every outcome whose assertions matter happened at least once (an outcome named by how
its events begin), so a run that never gets past
the checks fails instead of passing on nothing. `pytest -s` prints the counts."""

from __future__ import annotations

from collections import Counter

from hypothesis import event


class Reach:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def __call__(self, what: str) -> None:
        event(what)
        self.counts[what] += 1

    def check(self, *required: str) -> None:
        print("reached:", ", ".join(f"{k} ×{v}" for k, v in sorted(self.counts.items())))
        missing = [r for r in required
                   if not any(k.startswith(r) for k in self.counts)]
        assert not missing, f"this run never reached {missing}: {dict(self.counts)}"
