"""Which way the package's imports may go (ARCHITECTURE.md, "Which way things depend").

Imports are read with `ast`, so comments and strings never count, and every import counts
wherever it sits (inside functions and `if TYPE_CHECKING:` blocks too).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import casework

PACKAGE_DIR = Path(casework.__file__).resolve().parent
QT = ("PySide6", "shiboken6")
LEAF_MODULES = ("permissions.py", "errors.py", "events.py", "vocab.py")

# What casework/ui may import from the project: itself, the services and what they hand out
# and take in, and a few pure modules (below) that it needs, each for a reason. Everything
# else (the database, the models, the keychain store, the paths, the demo maker, backups)
# is the services' or the composition root's (casework/app.py) to use.
UI_MAY_IMPORT = {
    "casework.ui": "the UI itself",
    "casework.services": "the only door to the data",
    "casework.dto": "what the services hand out and take in",
    "casework.permissions": "the same can() the services enforce, asked to hide or disable",
    "casework.errors": "what the services raise",
    "casework.events": "Changed, which the services publish and the UI bridges onto signals",
    "casework.vocab": "the kinds and statuses a person sees and chooses from",
    "casework.timeutil": "dates and times shown in Europe/London",
    "casework.chi": "a CHI number checked as it is typed",
    "casework.passwords": "the length a new password or passphrase needs, said as it is typed",
    "casework.weighting": "the workload rule, put in words where a case is allocated",
    "casework.sign_off_rules": "what an assessment still needs before sign-off, said as edited",
    "casework.fields": "the limits each field takes, the ones the service checks",
    "casework.birth": "the date-of-birth rule, said as it is typed",
}
UI_MAY_IMPORT_PACKAGE = "casework"  # `import casework` for its version; `from casework import dto`
# Of those, the single modules must be pure: they import only the standard library, one
# another, and (passwords) argon2's hashing, which is computation. No data, no keychain, no
# files, no Qt: whatever the UI takes from them cannot reach past the services.
PURE_FOR_THE_UI = ("permissions", "errors", "events", "vocab", "timeutil", "chi", "passwords",
                   "weighting", "sign_off_rules", "fields", "birth")
PURE_THIRD_PARTY = ("argon2",)


@dataclass(frozen=True)
class Violation:
    file: str  # relative to the folder holding the package
    line: int
    imported: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} imports {self.imported}: {self.rule}"


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, root: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) for each import in the file, relative imports resolved.
    `from a import b` yields both `a` and `a.b`, since b may be a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(p for p in [*base_parts, node.module or ""] if p)
            else:
                base = node.module or ""
            yield node.lineno, base
            for alias in node.names:
                if alias.name != "*":
                    yield node.lineno, f"{base}.{alias.name}"


def _is(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def rules_for(rel: Path) -> list[tuple[tuple[str, ...], str]]:
    """(forbidden module prefixes, why) for a file at `rel` inside the package folder."""
    top = rel.parts[0] if len(rel.parts) > 1 else None
    rules = []
    if top != "ui":
        rules.append((QT, "Qt belongs in casework/ui only"))
    if top == "ui":
        rules.append((("sqlalchemy", "casework.models", "casework.db"),
                      "the UI reaches data only through services and their DTOs"))
    if top is None and rel.name in LEAF_MODULES:
        rules.append((("casework",), f"{rel.name} imports nothing from the project"))
    if top == "reports":
        rules.append((QT + ("sqlalchemy",), "reports are built from DTOs: no Qt, no Session"))
        rules.append((("casework.services",), "reports take DTOs (casework.dto), not services"))
    if top == "dto":
        rules.append((("casework.services", "casework.models", "casework.db", "sqlalchemy"),
                      "DTOs are plain data: they import nothing that reaches the database"))
    return rules


def ui_reaches_past_the_services(name: str) -> bool:
    """Whether a module of casework/ui importing `name` breaks UI_MAY_IMPORT."""
    if not _is(name, "casework") or name == UI_MAY_IMPORT_PACKAGE:
        return False
    return not _is(name, *UI_MAY_IMPORT)


def find_violations(package_dir: Path) -> list[Violation]:
    root = package_dir.parent
    found = []
    for path in sorted(package_dir.rglob("*.py")):
        rel = path.relative_to(package_dir)
        rules = rules_for(rel)
        in_ui = len(rel.parts) > 1 and rel.parts[0] == "ui"
        for line, name in imported_names(path, root):
            for forbidden, why in rules:
                if _is(name, *forbidden):
                    found.append(Violation(str(path.relative_to(root)), line, name, why))
            if in_ui and ui_reaches_past_the_services(name):
                found.append(Violation(
                    str(path.relative_to(root)), line, name,
                    "the UI imports only services, DTOs, permissions, errors and the pure "
                    "modules in UI_MAY_IMPORT (a new pure module goes there, with why the UI "
                    "needs it); the composition root wires the rest"))
    # `from a import b` can break one rule twice (a and a.b); report each line once per rule.
    unique: dict[tuple[str, int, str], Violation] = {}
    for v in found:
        unique.setdefault((v.file, v.line, v.rule), v)
    return sorted(unique.values(), key=lambda v: (v.file, v.line))


def test_the_package_keeps_its_layers():
    violations = find_violations(PACKAGE_DIR)
    assert not violations, "layering broken:\n" + "\n".join(map(str, violations))


def test_what_the_ui_may_import_is_pure():
    """The single modules the UI may import reach nothing outside the process."""
    stdlib = sys.stdlib_module_names
    impure = []
    for module in PURE_FOR_THE_UI:
        path = PACKAGE_DIR / f"{module}.py"
        for line, name in imported_names(path, PACKAGE_DIR.parent):
            top = name.split(".")[0]
            if top in stdlib or top in PURE_THIRD_PARTY or name == "__future__.annotations":
                continue
            if _is(name, *(f"casework.{m}" for m in PURE_FOR_THE_UI)):
                continue
            impure.append(f"{module}.py:{line} imports {name}")
    assert not impure, "not pure:\n" + "\n".join(impure)
    assert set(PURE_FOR_THE_UI) <= {name.removeprefix("casework.") for name in UI_MAY_IMPORT}


def test_the_checker_sees_the_whole_package():
    checked = list(PACKAGE_DIR.rglob("*.py"))
    assert PACKAGE_DIR / "db.py" in checked and PACKAGE_DIR / "permissions.py" in checked


def _plant(root: Path, files: dict[str, str]) -> Path:
    package = root / "casework"
    for rel, source in files.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return package


def test_the_checker_catches_planted_violations(tmp_path):
    package = _plant(tmp_path, {
        "__init__.py": "",
        "services/__init__.py": "",
        "services/cases.py": (
            "# from PySide6 import QtCore  (a comment: not an import)\n"
            "NOTE = 'import PySide6'\n"
            "def later():\n"
            "    from PySide6.QtCore import QObject\n"
        ),
        "ui/__init__.py": "",
        "ui/pages/__init__.py": "",
        "ui/pages/caseload.py": (
            "from casework import dto\n"
            "from casework import db\n"
            "from ...models.case import Case\n"
            "import sqlalchemy.orm\n"
            "from PySide6.QtWidgets import QWidget\n"
        ),
        "permissions.py": "from dataclasses import dataclass\nfrom . import vocab\n",
        "vocab.py": "from enum import StrEnum\n",
        "reports/__init__.py": "",
        "reports/caseload.py": "from sqlalchemy import select\nfrom casework.services import dto\n",
        "dto/__init__.py": "",
        "dto/cases.py": "from casework.permissions import Role\nfrom casework.models import Case\n",
        "ui/startup.py": (
            "import casework\n"
            "from casework.errors import CaseworkError\n"
            "from casework.services import open_workspace\n"
            "from casework.secrets import KeyringStore\n"
            "from casework import paths\n"
            "def demo():\n"
            "    from casework.synthetic import DEMO_PASSWORD\n"
            "from ..backups import BackupInfo\n"
        ),
        "ui/settings.py": "from casework.paths import home\nfrom casework.timeutil import LONDON\n",
    })

    found = {(v.file, v.line, v.imported) for v in find_violations(package)}

    assert found == {
        ("casework/services/cases.py", 4, "PySide6.QtCore"),
        ("casework/ui/pages/caseload.py", 2, "casework.db"),
        ("casework/ui/pages/caseload.py", 3, "casework.models.case"),
        ("casework/ui/pages/caseload.py", 4, "sqlalchemy.orm"),
        ("casework/permissions.py", 2, "casework"),
        ("casework/reports/caseload.py", 1, "sqlalchemy"),
        ("casework/reports/caseload.py", 2, "casework.services"),
        ("casework/dto/cases.py", 2, "casework.models"),
        ("casework/ui/startup.py", 4, "casework.secrets"),
        ("casework/ui/startup.py", 5, "casework.paths"),
        ("casework/ui/startup.py", 7, "casework.synthetic"),
        ("casework/ui/startup.py", 8, "casework.backups"),
        ("casework/ui/settings.py", 1, "casework.paths"),
    }


def test_relative_imports_resolve_from_the_importing_package(tmp_path):
    package = _plant(tmp_path, {"ui/widgets/chart.py": "from ..tasks import run\n",
                                "ui/__init__.py": "from . import tasks\n"})
    root = package.parent
    assert set(imported_names(package / "ui/widgets/chart.py", root)) == {
        (1, "casework.ui.tasks"), (1, "casework.ui.tasks.run")}
    assert set(imported_names(package / "ui/__init__.py", root)) == {
        (1, "casework.ui"), (1, "casework.ui.tasks")}
