"""Notebooks built on the fly with nbformat, written as bytes the way students submit them."""

from __future__ import annotations

import nbformat
import pytest
from nbformat import v3, v4


def notebook_bytes(*cells: str, markdown_first: bool = True, metadata: dict | None = None,
                   encoding: str = "utf-8") -> bytes:
    nb = v4.new_notebook(metadata=metadata or {})
    if markdown_first:
        nb.cells.append(v4.new_markdown_cell("# 밑바닥부터 시작하는 딥러닝"))
    nb.cells += [v4.new_code_cell(src) for src in cells]
    return nbformat.writes(nb).encode(encoding)


def v3_notebook_bytes(*cells: str) -> bytes:
    ws = v3.new_worksheet(cells=[v3.new_code_cell(input=src) for src in cells])
    return v3.writes_json(v3.new_notebook(worksheets=[ws])).encode()


@pytest.fixture
def write(tmp_path):
    def _write(data: bytes | str, name: str = "submission.ipynb"):
        path = tmp_path / name
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return path
    return _write
