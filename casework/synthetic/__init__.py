"""Deterministic synthetic data for the demo, tests and benchmarks. No Qt.

    ws = create_demo_workspace(path)                # the Riverside demo (TEAM scale)
    ws = create_council_workspace(path)             # a council's worth, for benchmarks
    report = generate(ws, TEAM, seed=7, as_of=date(2026, 11, 22))

Everything is drawn from one `random.Random(seed)` and every date counts back from `as_of`,
so the same seed and as_of give the same rows (only the administrator, made by
create_workspace, differs between files). Every person, case, allocation and note is
fictional. Care records (key people and carers, assessments, plans, reviews, the
chronology's events) come from `care`, drawn from Randoms of their own so that adding them
left the other rows as they were.

Council scale (150,000 cases, 2,000,000 notes) must build in minutes on a small laptop, so:
rows go in through SQLAlchemy Core `insert()` executemany in large batches inside a few
transactions (no ORM unit of work), every synthetic account shares one argon2 hash of
DEMO_PASSWORD, and note text is assembled from short templates.

The modules, in the order generation uses them: `scales` (how much), `accounts` (the named
demo accounts), `plan` (what is planned in memory), `staff` and `cases` (planning them),
`draws` and `words` (what every part draws from), `rows` (the plan as rows), `writer`
(batched inserts), `care` (the care records), `notes` (the notes stream) and `generator`
(the entry points).
"""

from casework.chi import chi_check_digit
from casework.synthetic.accounts import (
    DEMO_ACCOUNTS,
    DEMO_LOCALITY,
    DEMO_PASSWORD,
    DemoAccount,
)
from casework.synthetic.generator import (
    COUNCIL_WORKSPACE_NAME,
    DEFAULT_SEED,
    DEMO_WORKSPACE_NAME,
    GENERATOR_VERSION,
    GenerationReport,
    create_council_workspace,
    create_demo_workspace,
    generate,
)
from casework.synthetic.scales import COUNCIL, TEAM, Scale
from casework.synthetic.writer import Progress

__all__ = [
    "COUNCIL", "COUNCIL_WORKSPACE_NAME", "DEFAULT_SEED", "DEMO_ACCOUNTS", "DEMO_LOCALITY",
    "DEMO_PASSWORD", "DEMO_WORKSPACE_NAME", "GENERATOR_VERSION", "TEAM", "DemoAccount",
    "GenerationReport", "Progress", "Scale", "chi_check_digit", "create_council_workspace",
    "create_demo_workspace", "generate",
]
