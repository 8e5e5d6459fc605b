"""Does every module below the report leave the report alone? The report renders what the
stages made; a stage that imported from it would render before the edge (in some
language) or depend on a page's shape."""

import ast
from pathlib import Path

import autograder

PACKAGE = Path(autograder.__file__).resolve().parent
# The edges that may use the report: the command line, the batch that writes every file
# and its units (the workers render each student's files), the report itself and the
# Gradescope package (an edge of its own).
ALLOWED = ("cli.py", "batch.py", "units.py", "__main__.py", "report/", "gradescope/")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, relative ones resolved."""
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if node.module:
                found.append((node.lineno, module))
            else:       # `from .. import report`: the package is named in the alias
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _offenders(root: Path) -> list[str]:
    offenders = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative in ALLOWED or relative.startswith(tuple(a for a in ALLOWED if a.endswith("/"))):
            continue
        for line, module in _imports(path, root):
            if module == "autograder.report" or module.startswith("autograder.report."):
                offenders.append(f"{relative}:{line} imports {module}")
    return offenders


def test_no_module_below_the_report_imports_from_it():
    assert _offenders(PACKAGE) == []


def test_the_check_sees_an_import_from_the_report(tmp_path):
    """The walk itself: a stage that imports the report, relatively or not, is named."""
    root = tmp_path / "autograder"
    (root / "report").mkdir(parents=True)
    (root / "grading").mkdir()
    for name in ("__init__.py", "report/__init__.py", "report/page.py", "grading/__init__.py", "cli.py"):
        (root / name).write_text("")
    (root / "grading" / "checks.py").write_text("from ..report.page import number\n")
    (root / "grading" / "plain.py").write_text("import autograder.report.lang\n")
    (root / "grading" / "package.py").write_text("from .. import report\n")
    (root / "cli.py").write_text("from .report import page\n")
    assert _offenders(root) == ["grading/checks.py:1 imports autograder.report.page",
                                "grading/package.py:1 imports autograder.report",
                                "grading/plain.py:1 imports autograder.report.lang"]
