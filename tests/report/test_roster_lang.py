"""Is a roster the grader refuses (two rows for one student, no known column, unreadable)
said in the console's language, with the facts the instructor needs to fix it?"""

import re

import pytest

from autograder import cli
from autograder.messages import LANG_ENV
from autograder.report.roster import ROSTER_COLUMNS, RosterError, read_roster

HANGUL = re.compile("[\uac00-\ud7a3]")
# Three English words in a row: a sentence of ours, not a path, a column or a value.
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}")


def _refused(tmp_path, capsys, roster_text: str, lang: str) -> str:
    roster = tmp_path / f"roster-{lang}.csv"
    roster.write_text(roster_text, encoding="utf-8")
    code = cli.main(["grade", str(tmp_path / "class"), "--roster", str(roster), "--lang", lang,
                     "--out", str(tmp_path / "out")])
    assert code == cli.EXIT_MISUSE
    assert not (tmp_path / "out").exists()          # refused before grading anything
    return capsys.readouterr().err.replace(str(roster), "ROSTER")


@pytest.fixture(autouse=True)
def _class(tmp_path, monkeypatch):
    monkeypatch.delenv(LANG_ENV, raising=False)
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "kim.ipynb").write_text("{}", encoding="utf-8")


DUPLICATE = "name,canvas_id\nA,1002\nB,1001\nC,1002\n"
NO_COLUMN = "who,id\nkim,1\n"


def test_two_rows_for_one_id_are_refused_in_korean(tmp_path, capsys):
    said = _refused(tmp_path, capsys, DUPLICATE, "ko")
    assert HANGUL.search(said.replace("오류", "")), said
    assert not ENGLISH_RUN.search(said), said
    assert "ROSTER" in said and "canvas_id" in said and "1002" in said and "4" in said and "2" in said


def test_two_rows_for_one_id_are_refused_in_english(tmp_path, capsys):
    said = _refused(tmp_path, capsys, DUPLICATE, "en")
    assert not HANGUL.search(said), said
    assert re.search(r"line 4\b.*canvas_id.*1002.*line 2\b", said), said


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_header_naming_no_column_and_an_unreadable_file_speak_one_language(tmp_path, capsys, lang):
    for text in (NO_COLUMN, "student\n\udcff"):
        roster = tmp_path / "roster.csv"
        if text.startswith("student"):
            roster.write_bytes(b"student\nkim\xff\xfe\n")   # not UTF-8
        else:
            roster.write_text(text, encoding="utf-8")
        code = cli.main(["grade", str(tmp_path / "class"), "--roster", str(roster), "--lang", lang,
                         "--out", str(tmp_path / "out")])
        assert code == cli.EXIT_MISUSE
        said = capsys.readouterr().err.replace(str(roster), "ROSTER")
        assert "ROSTER" in said
        for column in sorted(ROSTER_COLUMNS, key=len, reverse=True):   # names, in any language
            said = said.replace(column, "")
        if lang == "ko":
            assert HANGUL.search(said.replace("오류", "")) and not ENGLISH_RUN.search(said), said
        else:
            assert not HANGUL.search(said) and ENGLISH_RUN.search(said), said


def test_the_refusal_carries_its_message_for_whoever_stores_it(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text(DUPLICATE, encoding="utf-8")
    with pytest.raises(RosterError) as raised:
        read_roster(roster)
    assert raised.value.message.key == "report.roster.duplicate"
    assert raised.value.message.render("en") != raised.value.message.render("ko")
