"""Can a name a student chose become anything but one readable, safe folder name of their own?"""

import unicodedata

import pytest

from autograder.submissions.ids import MAX_ID_BYTES, REFUSED_MARK, collision_key, safe_id

HOSTILE = [
    "gradebook.sqlite", "SUMMARY.CSV", "dashboard.html", "students", "history", "CON", "nul.txt",
    "lpt1", "..", ".", "...", "-rf", "--help", ".bashrc", "../../etc/passwd", "a/b", "a\\b",
    "C:\\Windows", "=HYPERLINK(\"http://evil\",\"click\")", "+cmd|' /C calc'!A0", "@SUM(1)",
    "kim\x00lee", "kim\x1b[31mred", "kim\nlee", "kim\r\nlee", "\u202egnp.exe", "ki\u200bm",
    "\ufeffkim", "kim~1", "~", "<script>", "a" * 400, "김" * 200, "\udcb1\udce8", "",
    "   ", "\t", "😀😀", "kim (1)", "kim__lee", "_kim_", "O'Brien", "$(reboot)", "`id`",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_every_id_is_one_safe_visible_folder_name(raw, tmp_path):
    sid = safe_id(raw)
    assert sid and sid == sid.strip()
    assert not any(ch in sid for ch in "/\\\x00:*?\"<>|'`$ ")
    assert REFUSED_MARK not in sid, "refused-collision ids must stay unclaimable"
    assert sid[0] not in ".-_", "no hidden folder, no option to a shell tool"
    assert sid[0] not in "=+@", "no spreadsheet formula"
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in sid)
    assert len(sid.encode("utf-8")) <= MAX_ID_BYTES + len("student-")
    assert sid.casefold() not in ("gradebook.sqlite", "summary.csv", "dashboard.html", "students", "history")
    assert sid.casefold().split(".")[0] not in ("con", "nul", "lpt1")
    assert safe_id(sid) == sid, "an id is a fixed point: cleaning it again changes nothing"
    (tmp_path / sid).mkdir()
    assert [p.name for p in tmp_path.iterdir()] == [sid]


def test_korean_names_stay_readable_and_nfd_becomes_nfc():
    assert safe_id("김민수") == "김민수"
    assert safe_id(unicodedata.normalize("NFD", "김민수")) == "김민수"
    assert safe_id("김민수 과제4") == "김민수_과제4"


def test_ordinary_names_are_kept():
    assert safe_id("kim_minsu_ch03") == "kim_minsu_ch03"
    assert safe_id("park.jiwoo-2024") == "park.jiwoo-2024"


def test_invisible_characters_cannot_make_a_look_alike_of_a_name():
    assert safe_id("ki\u200bm") == safe_id("kim\u202e") == safe_id("\x1bkim") == "kim"


def test_the_outputs_own_file_names_and_device_names_are_moved_aside():
    assert safe_id("gradebook.sqlite") == "student-gradebook.sqlite"
    assert safe_id("Summary.csv") == "student-Summary.csv"
    assert safe_id("CON") == "student-CON"


def test_a_name_with_nothing_left_gets_a_stable_id_of_its_own():
    assert safe_id("...") == safe_id("...")
    assert safe_id("...") != safe_id("---")
    assert safe_id("...").startswith("student-")


def test_long_names_are_cut_on_a_character_boundary():
    sid = safe_id("김" * 200)
    assert sid == "김" * (MAX_ID_BYTES // 3)


def test_undecodable_cp949_bytes_from_disk_are_recovered():
    raw = "김민수".encode("cp949").decode("utf-8", "surrogateescape")
    assert safe_id(raw) == "김민수"


def test_collision_keys_ignore_case_and_normal_form():
    assert collision_key("Victim_Lee") == collision_key("victim_lee")
    assert collision_key(safe_id(unicodedata.normalize("NFD", "김민수"))) == collision_key("김민수")
