"""Does the console speak one language: --lang's (passed on to worker processes), else Korean?

The attack is a sentence that slips through in the other language: a log line said in
both, a misuse message written in English only, a worker process that never heard --lang.
"""

import logging
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import cli
from autograder.class_chapter import Signals, class_chapter
from autograder.executor import LocalPoolExecutor
from autograder.messages import CATALOG, LANG_ENV, console_lang, say
from autograder.submissions import discover

ROOT = Path(__file__).resolve().parents[1]
HANGUL = re.compile("[\uac00-\ud7a3]")


def english_sentences() -> set[str]:
    """The literal stretches of the catalog's English (between placeholders) long enough to
    be a sentence of ours rather than a name: three words or more, with a word of letters,
    and not also in the entry's Korean (code such as `[1000, 0, -1000]` is said in both)."""
    found = set()
    for entry in CATALOG.values():
        for literal, *_ in string.Formatter().parse(entry["en"]):
            for piece in re.split(r"[.;:()]", literal):
                piece = piece.strip()
                if len(piece.split()) >= 3 and re.search(r"[A-Za-z]{3}", piece) \
                        and piece not in entry["ko"]:
                    found.add(piece)
    return found


ENGLISH = english_sentences()


def assert_english_only(text: str) -> None:
    assert text.strip() and not HANGUL.search(text), text


def assert_korean_only(text: str) -> None:
    assert HANGUL.search(text), text
    said = sorted(s for s in ENGLISH if s in text)
    assert not said, (said, text)


def _grade(*args: str, lang: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != LANG_ENV}
    argv = [sys.executable, "-m", "autograder", "grade", *args] + (["--lang", lang] if lang else [])
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120, env=env)


def test_the_english_sentences_are_found_at_all():
    """The check below must be able to fail: a line of the catalog's English is caught."""
    line = say("cli.results_kept", "en")
    with pytest.raises(AssertionError):
        assert_korean_only("채점 " + line)


def test_misuse_is_said_in_the_chosen_language(tmp_path):
    missing = tmp_path / "nope.ipynb"
    english = _grade(str(missing), lang="en")
    assert english.returncode == cli.EXIT_MISUSE
    assert english.stderr.strip() == say("cli.error", "en", detail=say("submissions.no_such_path", "en",
                                                                       path=missing))
    assert_english_only(english.stderr + english.stdout)
    korean = _grade(str(missing))
    assert korean.returncode == cli.EXIT_MISUSE
    assert_korean_only(korean.stderr + korean.stdout)
    jobs = _grade(str(ROOT / "examples"), "--jobs", "0", lang="en")
    assert jobs.returncode == cli.EXIT_MISUSE and jobs.stderr.strip() == say("cli.bad_jobs", "en")
    unknown = _grade(str(ROOT / "examples"), "--assignment", "ch99")
    assert unknown.returncode == cli.EXIT_MISUSE
    assert_korean_only(unknown.stderr)


def test_log_lines_speak_the_consoles_language(tmp_path, monkeypatch, caplog):
    """Lines the stages log from the catalog (files skipped, a class of mixed chapters) are
    said in console_lang() only."""
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "kim.ipynb").write_text("{}", encoding="utf-8")
    (folder / "README.txt").write_text("read me", encoding="utf-8")
    for lang, check in (("en", assert_english_only), ("ko", assert_korean_only)):
        monkeypatch.setenv(LANG_ENV, lang)
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            discover([folder], tmp_path / f"scratch-{lang}")
            assert class_chapter([Signals("ch03", None), Signals(None, "ch04")]) is None
        lines = [r.getMessage() for r in caplog.records]
        assert len(lines) == 2 and "README.txt" in lines[0] and "ch03 (1), ch04 (1)" in lines[1]
        for line in lines:
            check(line.replace("README.txt", ""))


def _lang_here(_unit) -> str:
    return console_lang()


def test_lang_reaches_the_worker_processes_and_the_caller_keeps_its_own(monkeypatch, capsys):
    """`grade --lang en`: do the batch's worker processes speak English, and is what the
    CLI prints when the batch stops English too? Called in-process, is the environment
    given back as it was?"""
    monkeypatch.delenv(LANG_ENV, raising=False)
    heard = []

    def batch(*_args, **_kwargs):
        heard.extend(outcome for _unit, outcome in LocalPoolExecutor(2).run(_lang_here, [1, 2, 3]))
        raise KeyboardInterrupt   # stop as Ctrl-C would: the CLI says the results are kept

    monkeypatch.setattr(cli, "run_batch", batch)
    notebook = str(ROOT / "examples" / "kim_minsu_ch03.ipynb")
    assert cli.main(["grade", notebook, "--lang", "en", "--assignment", "ch03"]) == cli.EXIT_FAULT
    assert heard == ["en", "en", "en"]
    assert capsys.readouterr().err.strip() == say("cli.results_kept", "en")
    assert LANG_ENV not in os.environ
    heard.clear()
    assert cli.main(["grade", notebook, "--assignment", "ch03"]) == cli.EXIT_FAULT
    assert heard == ["ko", "ko", "ko"]
    assert capsys.readouterr().err.strip() == say("cli.results_kept", "ko")
