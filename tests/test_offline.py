"""Analysis never reaches for the network: not for NLTK data, not for anything.

Each test runs Python in a subprocess with an empty HOME, no NLTK_DATA, and every way out
blocked: an audit hook refuses (and records) socket connects, DNS look-ups, sends and
urllib/http requests, socket.create_connection and socket.socket.connect are replaced, and
NLTK's downloader is replaced the moment NLTK is imported. The control tests prove that the
guard does catch an attempt, so a pass means something.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

GUARD = r'''
import builtins, json, socket, sys

ATTEMPTS = []
BLOCKED = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
           "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto",
           "socket.sendmsg", "urllib.Request", "http.client.connect")


def audit(event, args):
    if event in BLOCKED:
        ATTEMPTS.append(event)
        raise OSError(f"network blocked by test_offline ({event})")


sys.addaudithook(audit)


def refuse(*args, **kwargs):
    ATTEMPTS.append("socket.create_connection")
    raise OSError("network blocked by test_offline")


socket.create_connection = refuse
socket.socket.connect = refuse
_import = builtins.__import__


def no_download(*args, **kwargs):
    ATTEMPTS.append("nltk.download")
    raise OSError("NLTK download blocked by test_offline")


def guarded_import(name, *args, **kwargs):
    module = _import(name, *args, **kwargs)
    nltk = sys.modules.get("nltk")
    # Set again after NLTK's own __init__ has bound its real downloader.
    if nltk is not None and getattr(nltk, "download", None) not in (None, no_download):
        nltk.download = no_download
    return module


builtins.__import__ = guarded_import
RESULT = {}
try:
    exec(compile(BODY, "<offline body>", "exec"))
except BaseException as exc:  # report, do not hide: the test decides
    RESULT["error"] = f"{type(exc).__name__}: {exc}"
RESULT["attempts"] = ATTEMPTS
RESULT["nltk_imported"] = "nltk" in sys.modules
print(json.dumps(RESULT))
'''


def run_offline(body: str, tmp_path) -> dict:
    """Run ``body`` (Python source that fills the dict RESULT) behind the network guard."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NLTK", "XDG_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"),
               XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               NLTK_DATA="")
    script = f"BODY = {textwrap.dedent(body)!r}\n{GUARD}"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


ANALYZE_ALL = """
from coach.analysis import analyze
from coach.analysis.readability import syllables
texts = {
    "en": "Readability matters. We rewrote every beautiful sentence of our education "
          "guide so that everything is plain. What should we simplify next?",
    "de": "Wir haben den Leitfaden umgeschrieben. Was sollen wir als Nächstes vereinfachen?",
    "es": "Reescribimos la guía para que todo sea sencillo. ¿Qué simplificamos ahora?",
    "id": "Kami menulis ulang panduan supaya semuanya mudah. Apa yang harus kami ubah?",
}
for lang, text in texts.items():
    report = analyze(text, language=lang)
    RESULT[lang] = dict(report.metrics["readability"])
    RESULT[lang + "_rules"] = sorted({f.rule for f in report.findings})
words = ["readability", "beautiful", "education", "everything", "syllable", "the", "idea",
         "doesn't", "Wednesday", "community"]
RESULT["syllables"] = {w: syllables(w, "en") for w in words}
RESULT["detected"] = analyze(texts["de"]).language  # language detection is offline too
"""


def test_analysis_never_touches_the_network(tmp_path):
    result = run_offline(ANALYZE_ALL, tmp_path)
    assert "error" not in result, result.get("error")
    assert result["attempts"] == []
    # Loading NLTK alone costs ~0.25 s of the engine's 300 ms first-call budget.
    assert not result["nltk_imported"]
    assert result["syllables"] == {
        "readability": 5, "beautiful": 3, "education": 4, "everything": 3, "syllable": 3,
        "the": 1, "idea": 3, "doesn't": 2, "Wednesday": 2, "community": 4}
    assert result["detected"] == "de"
    english = result["en"]
    assert english["formula"] == "Flesch reading ease"
    assert 1.2 < english["syllables_per_word"] < 2.0
    for lang in ("en", "de", "es", "id"):
        assert result[lang]["words"] > 5 and result[lang]["label"] in ("easy", "plain", "hard")


def test_guard_catches_a_connection(tmp_path):
    body = """
    import socket
    try:
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    except OSError:
        pass
    import urllib.request
    try:
        urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
    except OSError:
        pass
    """
    attempts = run_offline(body, tmp_path)["attempts"]
    assert "socket.create_connection" in attempts and "urllib.Request" in attempts


def _nltk_has_cmudict() -> bool:
    nltk = pytest.importorskip("nltk")
    try:
        nltk.data.find("corpora/cmudict")
    except LookupError:
        return False
    return True


def test_textstat_english_would_download_and_is_not_used(tmp_path):
    """Why readability counts its own syllables: textstat's English path asks NLTK to
    download cmudict when it is missing. Behind the guard the attempt is caught."""
    pytest.importorskip("textstat")
    if _nltk_has_cmudict():
        pytest.skip("NLTK's cmudict is installed here, so textstat would not download it")
    body = """
    from textstat.backend.counts import count_syllables
    try:
        count_syllables("readability", "en")
    except Exception as exc:
        RESULT["textstat_error"] = type(exc).__name__
    """
    result = run_offline(body, tmp_path)
    assert "nltk.download" in result["attempts"]
