"""``coach check`` on big inputs: time linear in the size, memory bounded, a clear limit.

Line and column of every finding come from one table of line starts (a count from the
start of the text for each finding was quadratic: 8 MB took 188 s); a post longer than
MAX_POST_BYTES is refused before it is read or checked (and a file of posts longer than
MAX_LINES_BYTES); results are written as they come
(the JSON array too), never all held until the end.
"""

from __future__ import annotations

import io
import json
import sys

from hypothesis import given
from hypothesis import strategies as st

from coach.analysis import analyze
from coach.cli import check, main
from coach.cli.check import MAX_LINES_BYTES, MAX_POST_BYTES, LineIndex, Post, result_dict


class Scanned(str):
    """A str that adds up how many characters its searches look at."""

    scanned = 0

    def _span(self, start, end):
        start, end, _ = slice(start, end).indices(len(self))
        Scanned.scanned += max(0, end - start)

    def count(self, sub, start=None, end=None):
        self._span(start, end)
        return str.count(self, sub, start, end)

    def find(self, sub, start=None, end=None):
        self._span(start, end)
        return str.find(self, sub, start, end)

    def rfind(self, sub, start=None, end=None):
        self._span(start, end)
        return str.rfind(self, sub, start, end)

    def index(self, sub, start=None, end=None):
        self._span(start, end)
        return str.index(self, sub, start, end)

    def rindex(self, sub, start=None, end=None):
        self._span(start, end)
        return str.rindex(self, sub, start, end)


def test_line_and_column_cost_one_pass_over_the_text_not_one_per_finding():
    text = "BUY NOW!!! Great deal!!!\n" * 2000
    report = analyze(text)
    assert len(report.findings) > 500
    Scanned.scanned = 0
    data = result_dict(Post("big.txt", Scanned(text), None), report)
    assert len(data["findings"]) == len(report.findings)
    assert Scanned.scanned <= 2 * len(text)
    last = data["findings"][-1]
    assert (last["line"], last["column"]) == (2000, text.rfind("!!!") - text.rfind("\n", 0,
                                                                               -1))


def _obvious(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    return line + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


@given(st.text(alphabet="ab\n\r\u2028😀", max_size=60))
def test_line_index_agrees_with_the_obvious_count(text):
    lines = LineIndex(text)
    for offset in range(len(text) + 1):
        assert lines.line_col(offset) == _obvious(text, offset)


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, capsys, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(MAX_POST_BYTES + 1)  # sparse: no disk used
    read = []
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: read.append(self) or b"")
    status = main(["check", str(big)])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == "" and not read
    assert captured.err == (f"coach check: {big}: is {MAX_POST_BYTES + 1:,} bytes; at most "
                            f"{MAX_POST_BYTES:,} can be read (for a file of posts, one a "
                            "line: --lines)\n")


def test_a_file_of_posts_over_its_limit_is_refused_before_it_is_read(tmp_path, capsys,
                                                                     monkeypatch):
    big = tmp_path / "posts.txt"
    with open(big, "wb") as f:
        f.truncate(MAX_LINES_BYTES + 1)
    read = []
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: read.append(self) or b"")
    status = main(["check", "--lines", str(big)])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == "" and not read
    assert captured.err == (f"coach check: {big}: is {MAX_LINES_BYTES + 1:,} bytes; at most "
                            f"{MAX_LINES_BYTES:,} can be read\n")


def test_a_post_of_the_limit_itself_is_checked(tmp_path, capsys):
    path = tmp_path / "post.txt"
    line = "Buy now!!! What do you think?\n"
    path.write_text(line + " " * (MAX_POST_BYTES - len(line)), encoding="utf-8")
    assert main(["check", "--format", "json", "--fail-on", "never", str(path)]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert result["scores"] is not None and result["findings"]


def test_standard_input_over_the_limit_is_not_read_to_its_end(monkeypatch, capsys):
    class Endless(io.RawIOBase):
        given = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            if Endless.given > 4 * MAX_POST_BYTES:
                raise AssertionError("read far past the limit")
            buffer[:] = b"a" * len(buffer)
            Endless.given += len(buffer)
            return len(buffer)

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(Endless())))
    status = main(["check", "-"])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert captured.err == (f"coach check: <stdin>: is more than {MAX_POST_BYTES:,} bytes, "
                            "the most that can be read (for a file of posts, one a line: "
                            "--lines)\n")


def test_a_line_over_the_limit_is_refused_and_the_others_are_checked(tmp_path, capsys,
                                                                      monkeypatch):
    path = tmp_path / "batch.txt"
    path.write_text("First post!!\n" + "ä" * (MAX_POST_BYTES // 2 + 1) + "\nThird!!\n",
                    encoding="utf-8")
    checked = []
    real = check.analyze
    monkeypatch.setattr(check, "analyze", lambda text, **kw: checked.append(len(text))
                        or real(text, **kw))
    status = main(["check", "--lines", "--format", "jsonl", str(path)])
    captured = capsys.readouterr()
    assert status == 2
    assert [json.loads(row)["line"] for row in captured.out.splitlines()] == [1, 3]
    assert captured.err == (f"coach check: {path}:2: this post is {MAX_POST_BYTES + 2:,} "
                            f"bytes long; coach check takes posts of at most "
                            f"{MAX_POST_BYTES:,} bytes.\n")
    assert max(checked) < 100  # the long line never reached the engine


class Recorder(io.StringIO):
    """Standard output that notes how many posts had been analysed at each write."""

    encoding = "utf-8"

    def __init__(self, analysed):
        super().__init__()
        self.analysed = analysed
        self.at = []

    def write(self, s):
        self.at.append(len(self.analysed))
        return super().write(s)


def test_results_are_written_as_they_come_not_held_to_the_end(tmp_path, monkeypatch):
    path = tmp_path / "batch.txt"
    path.write_text("".join(f"Post number {i}!!\n" for i in range(2000)), encoding="utf-8")
    analysed = []
    real = check.analyze
    monkeypatch.setattr(check, "analyze", lambda text, **kw: analysed.append(1)
                        or real(text, **kw))
    for fmt in ("text", "json", "jsonl"):
        analysed.clear()
        out = Recorder(analysed)
        monkeypatch.setattr(sys, "stdout", out)
        assert main(["check", "--lines", "--jobs", "1", "--format", fmt, str(path)]) == 0
        assert len(analysed) == 2000
        assert min(out.at) < 1000, fmt  # output began before half the posts were analysed
        if fmt == "json":
            value = out.getvalue()
            assert value == json.dumps(json.loads(value), indent=2, ensure_ascii=False) + "\n"


def test_an_empty_json_array_is_still_an_array(tmp_path, capsys):
    path = tmp_path / "blank.txt"
    path.write_text("\n \n", encoding="utf-8")
    assert main(["check", "--lines", "--format", "json", str(path)]) == 0
    assert capsys.readouterr().out == "[]\n"
