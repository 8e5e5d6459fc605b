"""Can an archive stop or swamp the batch? Each bad one becomes that student's refusal.

Caps are passed small, so the bombs here are kilobytes on disk."""

import zipfile
from pathlib import Path

import pytest

from autograder.feedback import msg
from autograder.submissions import Caps, discover, sha256_of
from autograder.submissions.archives import ArchiveRefused, Unpacker

from .builders import (NOTEBOOK, bytes_under, files_under, is_inert, make_zip, replace_name_bytes,
                       set_encrypted_flag, touch, unpacked_bytes, zip_bytes, zip_with_symlink)

ZEROS = b"\0" * (1 << 20)   # 1 MiB that deflates to about 1 KiB
SMALL = Caps(batch_bytes=256 << 10, archive_bytes=128 << 10, member_bytes=64 << 10,
             other_member_bytes=4 << 10, members=50, directory_bytes=16 << 10)


def _class(tmp_path: Path, bad: dict[str, bytes]) -> Path:
    """A class folder: one good notebook and the given archives."""
    touch(tmp_path / "class" / "good.ipynb")
    for name, data in bad.items():
        (tmp_path / "class" / name).write_bytes(data)
    return tmp_path / "class"


def _grade_class(tmp_path, bad, caps=SMALL):
    """Discover a class and check what every archive test needs: the good one is untouched,
    nothing is written outside scratch, scratch stays within the caps."""
    folder = _class(tmp_path, bad)
    before = files_under(tmp_path)
    subs = {s.student_id: s for s in discover([folder], tmp_path / "scratch", caps)}
    assert subs.pop("good").refusal is None
    assert {p for p in files_under(tmp_path) if not p.startswith("scratch")} == before
    if (tmp_path / "scratch").exists():
        assert bytes_under(tmp_path / "scratch") <= caps.batch_bytes + (1 << 20)
    return subs


def _code(subs, sid):
    refusal = subs[sid].refusal
    assert refusal is not None, subs[sid]
    assert refusal.message()  # renders in both languages
    assert is_inert(subs[sid].path)
    return refusal.code


def test_a_corrupt_or_cut_off_zip_is_that_students_refusal(tmp_path):
    whole = zip_bytes({"hw.ipynb": NOTEBOOK})
    subs = _grade_class(tmp_path, {"garbage.zip": b"PK\x03\x04 not really", "cut.zip": whole[: len(whole) // 2],
                                   "empty.zip": b""})
    assert {sid: _code(subs, sid) for sid in subs} == {"garbage": "bad_archive", "cut": "bad_archive",
                                                        "empty": "bad_archive"}


def test_a_corrupt_zip_on_the_command_line_is_a_refusal_not_misuse(tmp_path):
    (tmp_path / "bulk.zip").write_bytes(b"not a zip at all")
    subs = discover([tmp_path / "bulk.zip"], tmp_path / "scratch")
    assert [(s.student_id, s.refusal.code) for s in subs] == [("bulk", "bad_archive")]


@pytest.mark.parametrize("member", ["../../escaped.ipynb", "..\\..\\escaped.ipynb", "/tmp/escaped.ipynb",
                                    "C:/escaped.ipynb", "c:\\escaped.ipynb", "kim/../../escaped.ipynb"])
def test_a_member_leading_outside_refuses_the_whole_archive(tmp_path, member):
    subs = _grade_class(tmp_path, {"evil.zip": zip_bytes({"hw.ipynb": NOTEBOOK, member: NOTEBOOK})})
    assert _code(subs, "evil") == "archive_unsafe_member"
    assert not (tmp_path / "escaped.ipynb").exists()
    # The refused archive's folder is gone: nothing half-unpacked is left to grade.
    assert not list((tmp_path / "scratch").glob("archive-*"))
    assert is_inert(subs["evil"].path)


def test_a_nul_in_a_member_name_is_refused(tmp_path):
    archive = make_zip(tmp_path / "evil.zip", {"hwXipynb": NOTEBOOK})
    replace_name_bytes(archive, "hwXipynb", b"hw\0ipynb")
    subs = _grade_class(tmp_path, {"evil.zip": archive.read_bytes()})
    assert _code(subs, "evil") == "archive_unsafe_member"


def test_a_symlink_member_is_refused_and_never_created(tmp_path):
    zip_with_symlink(tmp_path / "link.zip", "answers.ipynb", "/etc/passwd")
    subs = _grade_class(tmp_path, {"link.zip": (tmp_path / "link.zip").read_bytes()})
    assert _code(subs, "link") == "archive_unsafe_member"
    detail = subs["link"].refusal.detail
    assert detail.key == "submissions.detail.unsafe" and detail.field("reason") == msg("submissions.unsafe.symlink")
    # Said in one language at a time, the member's name as it is.
    assert "symbolic link" in detail.render("en") and "심볼릭 링크" in detail.render("ko")


def test_a_repeated_member_name_is_refused(tmp_path):
    with pytest.warns(UserWarning, match="Duplicate name"):
        data = _duplicate_zip()
    subs = _grade_class(tmp_path, {"twice.zip": data})
    assert _code(subs, "twice") == "archive_unsafe_member"


def _duplicate_zip() -> bytes:
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hw.ipynb", NOTEBOOK)
        zf.writestr("hw.ipynb", "{}")
    return buf.getvalue()


def test_an_encrypted_zip_is_refused(tmp_path):
    archive = set_encrypted_flag(make_zip(tmp_path / "locked.zip", {"hw.ipynb": NOTEBOOK}))
    subs = _grade_class(tmp_path, {"locked.zip": archive.read_bytes()})
    assert _code(subs, "locked") == "archive_encrypted"


def test_a_zip_bomb_is_refused_from_its_declared_sizes_without_unpacking(tmp_path):
    subs = _grade_class(tmp_path, {"bomb.zip": zip_bytes({"hw.ipynb": ZEROS}),
                                   "wide.zip": zip_bytes({f"hw{n}.py": ZEROS[: 60 << 10] for n in range(4)})})
    assert _code(subs, "bomb") == "archive_too_large"
    assert _code(subs, "wide") == "archive_too_large"
    assert unpacked_bytes(tmp_path / "scratch") == 0


def test_declared_sizes_that_lie_are_caught_while_streaming(tmp_path, monkeypatch):
    import io

    class Liar(zipfile.ZipFile):
        def open(self, info, *args, **kwargs):  # a stream longer than the member declares
            return io.BytesIO(b"{" * (200 << 10))

    data = zip_bytes({"hw.ipynb": NOTEBOOK})
    monkeypatch.setattr(zipfile, "ZipFile", Liar)
    subs = _grade_class(tmp_path, {"liar.zip": data})
    assert _code(subs, "liar") == "archive_unsafe_member"
    assert subs["liar"].refusal.detail.key == "submissions.detail.past_declared"
    assert unpacked_bytes(tmp_path / "scratch") == 0


def test_too_many_members_are_refused_before_the_directory_is_read(tmp_path):
    subs = _grade_class(tmp_path, {"many.zip": zip_bytes({f"f{n}.txt": "" for n in range(60)})})
    assert _code(subs, "many") == "archive_too_many_members"


def test_large_files_grading_cannot_use_are_skipped_not_unpacked(tmp_path):
    subs = _grade_class(tmp_path, {"kim.zip": zip_bytes({"hw.ipynb": NOTEBOOK, "mnist.pkl": b"\1" * (32 << 10)})})
    assert subs["kim"].refusal is None and subs["kim"].path.name == "hw.ipynb"
    assert not (subs["kim"].path.parent / "mnist.pkl").exists()


def test_nested_archives_are_opened_to_a_fixed_depth_only(tmp_path):
    # Three archives deep, zeros at the bottom: the third is never opened.
    inner = zip_bytes({"zeros.ipynb": ZEROS})
    middle = zip_bytes({"inner.zip": inner})
    outer = zip_bytes({"middle.zip": middle})
    subs = _grade_class(tmp_path, {"nested.zip": outer})
    assert _code(subs, "nested") == "archive_too_deep"
    assert "middle.zip/inner.zip" in subs["nested"].refusal.detail
    assert unpacked_bytes(tmp_path / "scratch") < 16 << 10


def test_a_zip_holding_zips_of_its_own_name_ends_quickly(tmp_path):
    data = zip_bytes({"hw.ipynb": NOTEBOOK})
    for _ in range(30):
        data = zip_bytes({"self.zip": data})
    subs = _grade_class(tmp_path, {"self.zip": data})
    assert _code(subs, "self") == "archive_too_deep"


def test_an_archive_is_never_opened_inside_itself(tmp_path):
    archive = make_zip(tmp_path / "quine.zip", {"hw.ipynb": NOTEBOOK})
    unpacker = Unpacker(tmp_path / "scratch", SMALL)
    with pytest.raises(ArchiveRefused) as refused:
        unpacker.unpack(archive, "quine.zip", ancestors=(sha256_of(archive, 1 << 20),))
    assert refused.value.refusal.code == "archive_recursive"


def test_one_budget_for_the_whole_batch(tmp_path):
    caps = Caps(batch_bytes=100 << 10, archive_bytes=64 << 10, member_bytes=64 << 10)
    member = b"{" + b" " * (60 << 10) + b"}"
    subs = _grade_class(tmp_path, {"a.zip": zip_bytes({"hw.ipynb": member}),
                                   "b.zip": zip_bytes({"hw.ipynb": member + b" "})}, caps)
    assert subs["a"].refusal is None
    assert _code(subs, "b") == "batch_budget_exhausted"


def test_byte_identical_archives_unpack_once_and_cost_the_budget_once(tmp_path):
    caps = Caps(batch_bytes=100 << 10, archive_bytes=64 << 10, member_bytes=64 << 10)
    data = zip_bytes({"hw.ipynb": b"{" + b" " * (60 << 10) + b"}"})
    subs = _grade_class(tmp_path, {"a.zip": data, "b.zip": data}, caps)
    assert subs["a"].refusal is None and subs["b"].refusal is None
    assert subs["a"].path == subs["b"].path
    assert len(list((tmp_path / "scratch").glob("archive-*"))) == 1


def test_each_archive_unpacks_into_its_own_fresh_folder(tmp_path):
    subs = _grade_class(tmp_path, {"a.zip": zip_bytes({"hw.ipynb": NOTEBOOK}),
                                   "b.zip": zip_bytes({"hw.ipynb": NOTEBOOK + " "})})
    folders = {subs[s].path.parent for s in ("a", "b")}
    assert len(folders) == 2 and all(f.parent == tmp_path / "scratch" for f in folders)


def test_a_student_archive_too_big_as_a_file_is_refused_before_hashing(tmp_path):
    caps = Caps(archive_bytes=1 << 10)
    subs = _grade_class(tmp_path, {"big.zip": zip_bytes({"hw.ipynb": b"x" * (8 << 10)},
                                                        compression=zipfile.ZIP_STORED)}, caps)
    assert _code(subs, "big") == "archive_too_large"


def test_an_lms_zip_counts_as_the_first_of_the_nested_levels(tmp_path):
    bottom = zip_bytes({"zeros.ipynb": ZEROS})
    bulk = make_zip(tmp_path / "bulk.zip", {"kim.zip": zip_bytes({"inner.zip": bottom}),
                                            "lee.zip": zip_bytes({"hw.ipynb": NOTEBOOK})})
    subs = {s.student_id: s for s in discover([bulk], tmp_path / "scratch", SMALL)}
    assert subs["lee"].refusal is None
    assert _code(subs, "kim") == "archive_too_deep"
    assert unpacked_bytes(tmp_path / "scratch") < 16 << 10


def test_copies_of_one_bad_archive_are_refused_each_under_its_own_name(tmp_path):
    data = zip_bytes({"hw.ipynb": NOTEBOOK, "../x.ipynb": NOTEBOOK})
    subs = _grade_class(tmp_path, {"a.zip": data, "b.zip": data})
    assert _code(subs, "a") == _code(subs, "b") == "archive_unsafe_member"
    detail = subs["b"].refusal.detail
    assert detail.key == "submissions.detail.same_bytes" and detail.field("name") == str(tmp_path / "class" / "b.zip")
    assert detail.field("first").field("name") == str(tmp_path / "class" / "a.zip")


def test_a_students_archive_writes_only_what_grading_reads(tmp_path):
    subs = _grade_class(tmp_path, {"kim.zip": zip_bytes({"hw.ipynb": NOTEBOOK, "notes.txt": b"x" * 100,
                                                         **{f"junk{n}.txt": b"" for n in range(20)}})})
    assert subs["kim"].refusal is None
    assert sorted(p.name for p in subs["kim"].path.parent.iterdir()) == ["hw.ipynb"]


def test_a_class_zips_files_that_are_no_submission_are_skipped_with_one_line(tmp_path, caplog):
    """Are a class zip's files that are not notebooks, .py or zips (an instructor's README,
    a video too large to unpack) left out with one line naming them, not graded?"""
    bulk = make_zip(tmp_path / "bulk.zip", {"kim.docx": b"PK\x03\x04 word", "lee.ipynb": NOTEBOOK,
                                            "park.mp4": b"\0" * (8 << 10), "README.md": "# hw"})
    subs = {s.student_id: s for s in discover([bulk], tmp_path / "scratch", SMALL)}
    assert sorted(subs) == ["lee"]
    skipped = [r.getMessage() for r in caplog.records if "README.md" in r.getMessage()]
    assert len(skipped) == 1 and all(n in skipped[0] for n in ("README.md", "kim.docx", "park.mp4"))
    # Said in the console's language (Korean unless --lang en), not in both.
    assert "3" in skipped[0] and "skipped" not in skipped[0] and "채점하지 않은" in skipped[0]
    assert unpacked_bytes(tmp_path / "scratch") < 4 << 10


def test_a_class_zips_student_folder_exists_even_if_nothing_in_it_was_unpacked(tmp_path):
    bulk = make_zip(tmp_path / "bulk.zip", {"kim/lecture.mp4": b"\0" * (8 << 10), "lee/": b"",
                                            "park/hw.ipynb": NOTEBOOK})
    subs = {s.student_id: s for s in discover([bulk], tmp_path / "scratch", SMALL)}
    assert sorted(subs) == ["kim", "lee", "park"]
    assert subs["kim"].path.is_dir() and subs["kim"].refusal is None  # ingest: "no notebook"
    assert not list(subs["kim"].path.iterdir())
