"""Render every text a person reads from Jinja templates, and write files atomically."""

from __future__ import annotations

import csv
import io
import os
import secrets
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from ..messages import say
from ..result import GradingResult
from .results_json import dumps, to_dict
from ..text import csv_cell, fence, md_inline
from .page import labels, submission_view
from .dashboard import dashboard_view
from .view import batch_rows, identical_groups
from ..messages import DEFAULT_LANG

_env = Environment(loader=PackageLoader("autograder.report", "templates"),
                   autoescape=select_autoescape(enabled_extensions=("html", "html.j2")), keep_trailing_newline=True,
                   trim_blocks=True, lstrip_blocks=True)


def display_width(text: str) -> int:
    """Terminal columns: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(value, width: int) -> str:
    """Cut or pad to `width` terminal columns, so Korean student ids keep the table straight."""
    text, out, used = str(value), [], 0
    for ch in text:
        w = display_width(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * (width - used)


_env.filters["pad"] = pad
_env.filters["fence"] = fence
_env.filters["md"] = md_inline


PAGE_FORMATS = ("md", "html")


def render_feedback(result: GradingResult, fmt: str, lang: str = DEFAULT_LANG,
                    visibility: dict[str, str] | None = None, history: list[dict] | None = None) -> str:
    """The student's page in one language ("ko" or "en"), visible tests only; `history`:
    report.history.history_rows of the student's earlier runs."""
    slot = _new_slot()
    return _fill(_page(result, fmt, lang, visibility, slot), slot, fmt, lang, history)


def _page(result: GradingResult, fmt: str, lang: str, visibility: dict[str, str] | None, slot: str) -> str:
    return _env.get_template(f"feedback.{fmt}.j2").render(v=submission_view(result, lang, visibility),
                                                          labels=labels(lang), history_block=slot)


def _new_slot() -> str:
    # Random, so that nothing a student wrote onto the page can name it.
    return f"run-history-{secrets.token_hex(16)}"


def _fill(page: str, slot: str, fmt: str, lang: str, history: list[dict] | None) -> str:
    """The page with its run history in the slot it left for it."""
    block = _env.get_template(f"feedback_history.{fmt}.j2").render(labels=labels(lang), history=history or [])
    return page.replace(slot, block, 1)


@dataclass(frozen=True)
class StudentFiles:
    """One student's results.json and pages, rendered wherever the result was made (a
    worker, another machine) and written by the batch, which alone owns OUT.

    The pages show the student's run history, which comes from the gradebook once this
    run is recorded there, so only the batch knows it: each page holds `slot` where
    write_student_files puts it. No pages: results.json alone (poststage's plain one)."""
    lang: str
    results_json: str
    pages: dict[str, str] = field(default_factory=dict)     # "md"/"html" -> the page
    slot: str = ""


def render_student_files(result: GradingResult, lang: str = DEFAULT_LANG,
                         visibility: dict[str, str] | None = None) -> StudentFiles:
    slot = _new_slot()
    return StudentFiles(lang, dumps(to_dict(result, visibility, lang), indent=2),
                        {fmt: _page(result, fmt, lang, visibility, slot) for fmt in PAGE_FORMATS}, slot)


# The terminal's table: its columns, and the width past which the last column's list of
# items is shortened (whole names, then "+N"); no other cell is ever cut.
SUMMARY_COLUMNS = ("student_id", "assignment", "score", "max_score", "percent", "status", "problem")
PROBLEM_WIDTH = 48
CONSOLE_TITLES = {"student_id": "report.label.student", "assignment": "report.label.assignment",
                  "score": "report.label.score", "status": "report.label.status"}


def render_summary(all_results: list[GradingResult], elapsed: float, cached: int = 0,
                   lang: str = DEFAULT_LANG) -> str:
    """The batch's table and footer for the terminal, in one language."""
    rows = [dict(row, problem=_fit_names(row["problem"], PROBLEM_WIDTH)) for row in batch_rows(all_results)]
    header = {key: say(CONSOLE_TITLES.get(key, f"report.console.{key}"), lang=lang) for key in SUMMARY_COLUMNS}
    columns = [{"key": key, "width": max(display_width(str(r[key])) for r in [header, *rows])}
               for key in SUMMARY_COLUMNS]
    graded = sum(1 for r in all_results if r.graded)
    footer = "\n".join([say("batch.footer", lang=lang, total=len(all_results), graded=graded, cached=cached,
                             errors=len(all_results) - graded, seconds=f"{elapsed:.1f}")]
                        + [say("batch.identical", lang=lang, students=group)
                           for group in identical_groups(all_results)])
    rule = {c["key"]: "-" * c["width"] for c in columns}
    return _env.get_template("summary.txt.j2").render(columns=columns, table=[header, rule, *rows],
                                                      footer=footer)


def render_dashboard(all_results: list[GradingResult], students_dir: str, lang: str = DEFAULT_LANG,
                     similar: list[dict] | None = None, faults: list | None = None,
                     roster: tuple[list[str], list[str]] | None = None,
                     similar_skipped: list | None = None) -> str:
    return _env.get_template("dashboard.html.j2").render(
        labels=labels(lang), **dashboard_view(all_results, students_dir, lang, similar, faults, roster,
                                              similar_skipped))


def _fit_names(listed: str, width: int) -> str:
    """A comma-separated list cut between names, never inside one: "a, b +3"."""
    names = [n for n in listed.split(", ") if n]
    kept: list[str] = []
    for name in names:
        left = len(names) - len(kept) - 1
        tail = f" +{left}" if left else ""
        if kept and display_width(", ".join([*kept, name]) + tail) > width:
            break
        kept.append(name)
    rest = len(names) - len(kept)
    return ", ".join(kept) + (f" +{rest}" if rest else "")


def atomic_write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes 0600 files; reports are for TAs and a web server to read as well.
        os.fchmod(fd, 0o644)
        # backslashreplace: a lone surrogate that reached a page (a student's text) is shown
        # as \udXXX instead of ending the batch; JSON writers escape theirs already.
        opened = os.fdopen(fd, "wb") if isinstance(text, bytes) else \
            os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="")
        with opened as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def write_submission(students_dir: Path, result: GradingResult, lang: str = DEFAULT_LANG,
                     visibility: dict[str, str] | None = None, history: list[dict] | None = None) -> Path:
    """<students_dir>/<student>/results.json plus feedback.md/.html, all in `lang`; an
    earlier results.json is kept in history/."""
    return write_student_files(students_dir, result.student_id,
                               render_student_files(result, lang, visibility), history)


def write_student_files(students_dir: Path, student_id: str, files: StudentFiles,
                        history: list[dict] | None = None) -> Path:
    """Write what render_student_files made, the pages with `history` (report.history.
    history_rows) in their slot; an earlier, different results.json is kept in history/."""
    folder = students_dir / student_id
    target = folder / "results.json"
    if target.exists() and target.read_text(encoding="utf-8", errors="replace") != files.results_json:
        kept = folder / "history"
        kept.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(target.stat().st_mtime))
        os.replace(target, kept / f"results-{stamp}-{os.getpid()}.json")
    atomic_write(target, files.results_json)
    for fmt, page in files.pages.items():
        atomic_write(folder / f"feedback.{fmt}", _fill(page, files.slot, fmt, files.lang, history))
    return target


def write_summary_csv(path: Path, all_results: list[GradingResult]) -> None:
    atomic_write(path, summary_csv(all_results))


def summary_csv(all_results: list[GradingResult]) -> str:
    items: list[str] = []
    for result in all_results:
        for i in (result.score.items if result.score else ()):
            if i.item not in items:
                items.append(i.item)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["student_id", "assignment", "status", "score", "max_score", "error",
                     "sha256", *items])
    for result in all_results:
        prov = result.provenance
        per_item = {i.item: i.points for i in (result.score.items if result.score else ())}
        writer.writerow([csv_cell(v) for v in (
            prov.student_id, prov.assignment_id or "", result.status.value, result.points,
            "" if result.max_points is None else result.max_points,
            result.error.code.value if result.error else "", prov.sha256,
            *[per_item.get(i, "") for i in items])])
    # utf-8-sig: Excel on Korean Windows opens it with names intact.
    return "\ufeff" + buf.getvalue()
