"""Reading a person's file: one clear message per problem, wherever it is read."""

from __future__ import annotations

import io
import sys

import pytest

from coach.textfile import UnreadableFile, read_text_file


def test_utf8_text_without_its_byte_order_mark(tmp_path):
    path = tmp_path / "post.txt"
    path.write_bytes("\ufeffHallo 👋🏽\r\n".encode())
    assert read_text_file(path) == "Hallo 👋🏽\r\n"


def test_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("¿Qué?".encode())))
    assert read_text_file("-") == "¿Qué?"


@pytest.mark.parametrize(("make", "problem", "line"), [
    (lambda d: d / "missing.txt", "no such file", None),
    (lambda d: d, "is a folder, not a file", None),
    (lambda d: (d / "latin1.txt").write_bytes(b"ok\ncaf\xe9") and d / "latin1.txt",
     "not UTF-8 text (line 2, byte 6)", 2),
    (lambda d: (d / "big.txt").write_bytes(b"x" * 11) and d / "big.txt",
     "is 11 bytes; at most 10 can be read", None),
])
def test_problems_name_the_file(tmp_path, make, problem, line):
    path = make(tmp_path)
    with pytest.raises(UnreadableFile) as caught:
        read_text_file(path, max_bytes=10)
    assert str(caught.value) == f"{path}: {problem}"
    assert caught.value.line == line


def test_stdin_is_named_for_people(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xff")))
    with pytest.raises(UnreadableFile, match=r"^<stdin>: not UTF-8 text"):
        read_text_file("-")
