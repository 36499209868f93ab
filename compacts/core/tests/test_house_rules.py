"""House rules checked over the source (styleguide §1, §3, §5, §10): imports go one way, state
changes only in ``*_transition`` services, migrations never import app code."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]

# An app may import apps of a lower level only (docs/architecture.md). The API's plumbing
# modules are shared by every app's endpoints; only compacts.api.api mounts every router.
LEVEL = {
    "core": 0,
    "config": 0,
    "framework": 1,
    "actors": 2,
    "fund": 3,
    "programmes": 4,
    "results": 5,
    "network": 5,
    "tracking": 5,
    "iati": 6,
    "gateway": 7,
    "api": 8,
}
SHARED = {"compacts.api.auth", "compacts.api.pagination", "compacts.api.schemas", "compacts.core"}


def source_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def imported_modules(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def test_imports_go_one_way():
    wrong = []
    for path in source_files():
        parts = path.relative_to(PACKAGE).parts
        app = parts[0] if len(parts) > 1 else None
        if app not in LEVEL or (app == "api" and parts[-1] == "api.py") or app == "config":
            continue
        for lineno, module in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            names = module.split(".")
            if names[0] != "compacts" or len(names) < 2 or names[1] == app:
                continue
            if any(module == s or module.startswith(s + ".") for s in SHARED):
                continue
            target = names[1]
            if target in LEVEL and LEVEL[target] >= LEVEL[app]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{lineno} imports {module}")
    assert not wrong, "imports against the direction of docs/architecture.md:\n" + "\n".join(wrong)


def _functions_assigning_state(tree: ast.AST):
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else ([node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else [])
            )
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "state":
                    yield function.name, node.lineno


def test_state_is_only_set_by_transition_services():
    wrong = [
        f"{path.relative_to(PACKAGE)}:{lineno} in {name}()"
        for path in source_files()
        for name, lineno in _functions_assigning_state(ast.parse(path.read_text(encoding="utf-8")))
        if not name.endswith("_transition")
    ]
    assert not wrong, "`.state =` outside a *_transition service:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    "path",
    sorted(PACKAGE.glob("*/migrations/0*.py")),
    ids=lambda p: f"{p.parent.parent.name}/{p.name}",
)
def test_migrations_do_not_import_app_code(path):
    modules = [m for _l, m in imported_modules(ast.parse(path.read_text(encoding="utf-8")))]
    assert not [m for m in modules if m.startswith("compacts.")], modules


def test_migrations_have_descriptive_names():
    auto = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.glob("*/migrations/0*_auto_*.py"))
    assert not auto, f"name migrations with --name: {auto}"


TITLE_BLOCK = re.compile(r"\{%\s*block title\s*%\}(.*?)\{%\s*endblock", re.S)


def test_page_titles_are_plain_text():
    """A ``{% block title %}`` holds text only: markup there (a form or section pasted into the
    block) would end up inside the page's ``<title>``."""
    wrong = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.glob("*/templates/**/*.html"))
        for block in TITLE_BLOCK.findall(path.read_text(encoding="utf-8"))
        if "<" in block
    ]
    assert not wrong, "markup inside {% block title %}:\n" + "\n".join(wrong)
