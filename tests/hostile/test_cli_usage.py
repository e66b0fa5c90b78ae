"""Usage errors of the command line name the command they belong to.

``--comment`` means a reply (it implies ``--kind reply``; with ``--kind post`` it is a
usage error), and an unknown option prints the usage of the command it was given to.
"""

from __future__ import annotations

import io
import json
import sys

import pytest

from coach.cli import main


def run(argv, capsys, monkeypatch, stdin=b"Thanks for asking!"):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        status = exc.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def rules(out):
    return [f["rule"] for f in json.loads(out)[0]["findings"]]


def test_comment_alone_implies_a_reply(capsys, monkeypatch):
    _, post, _ = run(["check", "--format", "json", "-"], capsys, monkeypatch)
    assert "reply.no_next_step" not in rules(post)
    _, alone, _ = run(["check", "--format", "json", "--comment", "Why so late?", "-"],
                      capsys, monkeypatch)
    _, reply, _ = run(["check", "--format", "json", "--kind", "reply", "--comment",
                       "Why so late?", "-"], capsys, monkeypatch)
    assert alone == reply and "reply.no_next_step" in rules(alone)


def test_comment_with_kind_post_is_a_usage_error(capsys, monkeypatch):
    status, out, err = run(["check", "--kind", "post", "--comment", "Why?", "-"], capsys,
                           monkeypatch)
    assert status == 2 and out == ""
    assert err == ("coach check: --comment is the comment a reply answers, so it cannot go "
                   "with --kind post.\n")


def test_an_empty_comment_still_means_a_reply(capsys, monkeypatch):
    _, out, _ = run(["check", "--format", "json", "--comment", "", "-"], capsys, monkeypatch)
    _, reply, _ = run(["check", "--format", "json", "--kind", "reply", "-"], capsys,
                      monkeypatch)
    assert json.loads(out) == json.loads(reply)


@pytest.mark.parametrize(("argv", "usage"), [
    (["check", "--bogus"], "usage: coach check "),
    (["check", "--bogus", "-"], "usage: coach check "),
    (["check", "-", "--lines", "extra", "--nope"], "usage: coach check "),
    (["library", "list", "--bogus"], "usage: coach library list "),
    (["library", "show", "1", "--bogus"], "usage: coach library show "),
    (["library", "--bogus", "list"], "usage: coach library "),
    (["--bogus"], "usage: coach "),
])
def test_an_unknown_option_prints_the_usage_of_its_command(argv, usage, capsys, monkeypatch):
    status, out, err = run(argv, capsys, monkeypatch)
    assert status == 2 and out == ""
    assert err.startswith(usage), err
    assert err.rstrip().endswith("unrecognized arguments: --bogus") or "--nope" in err
    assert err.count("usage:") == 1
