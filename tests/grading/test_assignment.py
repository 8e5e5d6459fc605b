"""Does the assignment loader find, check and describe what instructors wrote?"""

import pytest

from autograder.assignment import (AssignmentConfigError, UnknownAssignment, list_assignments,
                                   load_assignment, load_assignment_file)

GOOD = """
id = "chX"
version = "0.1"
suite = "suite"
[title]
ko = "제목"
en = "Title"
[limits]
call_seconds = 3
[items]
softmax = ["softmax_function"]
relu = []
"""


def write(tmp_path, text, name="chX_demo"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "suite").mkdir()
    (folder / "assignment.toml").write_text(text, encoding="utf-8")
    return folder


def test_project_assignments_load_by_id():
    ch03, ch04 = load_assignment("ch03"), load_assignment("ch04")
    ids = [a.id for a in list_assignments()]
    # Other chapters (ch02 before these) come and go; the list stays sorted by id.
    assert ids == sorted(ids) and {"ch03", "ch04"} <= set(ids)
    assert "softmax" in ch03.items and ch03.suite_dir.is_dir()
    assert ch03.suite_dir.parent.name == "ch03_neural_networks" and ch03.package == "reference.ch03_neural_networks"
    assert "cee" in ch04.aliases["cross_entropy_error"]
    assert "num_grad" in ch04.aliases["numerical_gradient"]
    assert ch04.limits.call_seconds > 0 and ch04.limits.submission_seconds > 0
    assert ch03.title["ko"] and ch03.title["en"] and ch03.version


def test_load_by_directory_name_or_path(tmp_path):
    folder = write(tmp_path, GOOD)
    by_name = load_assignment("chX_demo", root=tmp_path)
    by_dir = load_assignment_file(folder)
    by_file = load_assignment_file(folder / "assignment.toml")
    assert by_name == by_dir == by_file
    assert by_name.items == ("softmax", "relu")
    assert by_name.aliases == {"softmax": ["softmax_function"], "relu": []}
    assert by_name.suite_dir == (folder / "suite").resolve()
    assert by_name.display_title == "제목 / Title"


def test_an_id_is_never_read_as_a_path(tmp_path):
    """Can a name that happens to be a folder with a config (a notebook's metadata, say) load it?"""
    folder = write(tmp_path, GOOD)
    with pytest.raises(UnknownAssignment):
        load_assignment(str(folder))
    with pytest.raises(UnknownAssignment):
        load_assignment(str(folder / "assignment.toml"))


def test_an_edit_to_another_chapter_leaves_the_cache_key_alone():
    """Does ch03's cache key cover only the files ch03's grading reads?"""
    from autograder.assignment import _content_digest, _reference_closure
    ch03 = load_assignment("ch03")
    chapter = ch03.config_path.parent
    read = _reference_closure(sorted(ch03.suite_dir.glob("*.py")) + [chapter / "__init__.py"])
    names = {p.relative_to(chapter.parent).as_posix() for p in read}
    assert "ch03_neural_networks/activations.py" in names
    assert not any(n.startswith(("ch05", "ch06", "ch07")) for n in names)
    assert _content_digest(ch03.config_path, ch03.suite_dir)


def test_unknown_id_lists_the_known_ones():
    with pytest.raises(UnknownAssignment) as info:
        load_assignment("ch99")
    assert "ch99" in str(info.value) and "ch03" in str(info.value) and "ch04" in str(info.value)


@pytest.mark.parametrize("change, detail", [
    (('relu = []', 'relu = ["softmax_function"]'), "softmax_function"),
    (('relu = []', 'relu = ["softmax"]'), "softmax"),
    (('call_seconds = 3', 'call_secs = 3'), "call_secs"),
    (('call_seconds = 3', 'call_seconds = -1'), "call_seconds"),
    (('ko = "제목"', ''), "title"),
    (('suite = "suite"', 'suite = "nowhere"'), "nowhere"),
    (('[items]', '[items]\nbroken = "x"'), "broken"),
    (('id = "chX"', 'id = chX'), ""),
])
def test_bad_configs_say_what_is_wrong(tmp_path, change, detail):
    folder = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(AssignmentConfigError) as info:
        load_assignment_file(folder)
    assert str(folder / "assignment.toml") in str(info.value)
    assert detail in str(info.value)


def test_duplicate_ids_are_refused(tmp_path):
    write(tmp_path, GOOD, "one")
    write(tmp_path, GOOD, "two")
    with pytest.raises(AssignmentConfigError, match="chX"):
        list_assignments(tmp_path)


def test_grading_version_follows_the_suite_content(tmp_path):
    """Is a suite edited without a version bump kept out of the gradebook's cache?"""
    folder = write(tmp_path, GOOD)
    (folder / "suite" / "test_softmax.py").write_text("def test_a(): pass\n", encoding="utf-8")
    before = load_assignment_file(folder).grading_version
    assert before.startswith("0.1+")
    (folder / "suite" / "test_softmax.py").write_text("def test_b(): pass\n", encoding="utf-8")
    # The digest is cached per process for speed; a new process (the next run) sees the edit.
    from autograder import assignment as module
    module._content_digest.cache_clear()
    assert load_assignment_file(folder).grading_version != before


def test_checks_policy_is_read_and_checked(tmp_path):
    """Does [checks] reach the assignment, and is a typo refused rather than ignored?"""
    folder = write(tmp_path, GOOD + "\n[checks]\nallow_float32 = false\n")
    assert load_assignment_file(folder).checks == {"allow_float32": False}
    bad = write(tmp_path, GOOD + "\n[checks]\nallow_float64 = false\n", name="chY_bad")
    with pytest.raises(AssignmentConfigError, match="checks"):
        load_assignment_file(bad)
