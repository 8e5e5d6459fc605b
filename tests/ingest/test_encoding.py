"""Bytes to text: which files are refused before parsing, and which encodings are read."""

import pytest

from autograder.feedback import msg
from autograder.ingest import IngestError, ingest
from tests.ingest.conftest import notebook_bytes

KOREAN_CELL = "def 소프트맥스(x):\n    return x  # 한국어 주석\n"


@pytest.mark.parametrize("encoding, reported", [("utf-8", "utf-8"), ("cp949", "cp949"),
                                                 ("euc-kr", "cp949")])
def test_korean_encodings_are_read(write, encoding, reported):
    """Is a notebook saved as UTF-8, CP949 or EUC-KR read, with the encoding reported?"""
    result = ingest(write(notebook_bytes(KOREAN_CELL, encoding=encoding)))
    assert result.report.encoding == reported
    assert "소프트맥스" in result.definitions


def test_bom_is_accepted_and_reported(write):
    """Does a UTF-8 BOM (Notepad's habit) still read, reported as utf-8-sig?"""
    result = ingest(write(b"\xef\xbb\xbf" + notebook_bytes("x = 1")))
    assert result.report.encoding == "utf-8-sig"
    assert result.definitions["x"].kind == "constant"


@pytest.mark.parametrize("head, kind", [(b"PK\x03\x04rest-of-zip", "zip"),
                                        (b"\x89PNG\r\n\x1a\n....", "PNG image"),
                                        (b"%PDF-1.7 ...", "PDF")])
def test_binary_files_are_unsupported(write, head, kind):
    """Is a zip, an image or a PDF refused with its kind named?"""
    with pytest.raises(IngestError) as caught:
        ingest(write(head))
    assert caught.value.code == "unsupported_type"
    assert caught.value.message == msg("ingest.error.unsupported_type", kind=kind)


def test_undecodable_bytes_are_refused(write):
    """Do bytes that are neither UTF-8 nor CP949 give unknown_encoding?"""
    with pytest.raises(IngestError) as caught:
        ingest(write(b'{"cells": "\xff\xff\xff"}'))
    assert caught.value.code == "unknown_encoding"


def test_missing_file_is_unreadable(tmp_path):
    """Does a path that is not there give unreadable rather than a crash?"""
    with pytest.raises(IngestError) as caught:
        ingest(tmp_path / "nowhere.ipynb")
    assert caught.value.code == "unreadable"


def test_folder_is_no_notebook(tmp_path):
    """Does a student folder without a notebook give no_notebook?"""
    with pytest.raises(IngestError) as caught:
        ingest(tmp_path)
    assert caught.value.code == "no_notebook"
