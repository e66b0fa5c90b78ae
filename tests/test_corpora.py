"""Every real post in ../shared/corpora runs through `coach check --lines` without an error.

The corpora are not part of the project (their licences forbid redistribution), so this
test runs only where the shared folder sits beside the checkout, as on the team's machines.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"

pytestmark = pytest.mark.skipif(not CORPORA.is_dir(), reason="../shared/corpora not present")


@pytest.mark.parametrize("lang", ["en", "id", "es", "de"])
def test_every_corpus_post_is_checked(lang):
    path = CORPORA / f"{lang}.txt"
    result = subprocess.run(
        [sys.executable, "-m", "coach", "check", "--lines", "--format", "jsonl",
         "--fail-on", "never", "--platform", "x", str(path)],
        capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stderr == ""
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    lines = path.read_text(encoding="utf-8").split("\n")
    expected = sum(1 for line in lines if line.strip())
    assert len(rows) == expected
    for row in rows:
        text = lines[row["line"] - 1].removesuffix("\r")
        for f in row["findings"]:
            assert text[f["start"]:f["end"]] == f["match"]
