"""The coaching engine: text in, findings and scores out. Pure Python, no Qt.

>>> from coach.analysis import analyze
>>> report = analyze("We launched our new app today.", language="en")
>>> [f.rule for f in report.findings][:1]
['question.none']
"""

from .engine import Check, Context, analyze
from .model import AREAS, KINDS, LANGUAGES, Finding, Report, Scores, Severity
from .settings import Settings

__all__ = [
    "AREAS", "KINDS", "LANGUAGES", "Check", "Context", "Finding", "Report", "Scores",
    "Settings", "Severity", "analyze",
]
