"""``coach check``: run the coaching engine on files or standard input.

Exit status: 0 when no finding reaches ``--fail-on``, 1 when one does, 2 for a usage
error or an input that cannot be read (each such input gets a one-line message naming it;
the other inputs are still checked).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from coach.analysis import KINDS, LANGUAGES, Report, Settings, Severity, analyze
from coach.analysis.house import HousePack, load_pack
from coach.analysis.packs import PackError, catalogue
from coach.analysis.platforms import PLATFORMS
from coach.analysis.scoring import label
from coach.textfile import STDIN, UnreadableFile, display_name, read_text_file

FAIL_ON = ("error", "warning", "suggestion", "never")
# The longest post (in UTF-8) that is checked. The engine's working memory is about a
# hundred times the text (1 GB at this size) and its time about 3 s a MB: a longer file
# is refused before it is read, a longer line of --lines before it is checked.
MAX_POST_BYTES = 10_000_000


@dataclass(frozen=True, slots=True)
class Post:
    """One post to check: its text and where it came from."""

    path: str
    text: str
    line: int | None  # 1-based input line with --lines, else None
    offset_line: int = 1  # the input line where the text starts



def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check", help="check posts in files or standard input",
        description="Check posts and say what to look at. Reads each PATH (UTF-8), or "
                    "standard input when no PATH or '-' is given.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="text files; '-' is standard input")
    p.add_argument("--lang", default="auto", choices=("auto", *LANGUAGES),
                   help="language of the posts (default: detect each post)")
    p.add_argument("--platform", default="none", choices=("none", *PLATFORMS),
                   help="platform to check limits, fold and hashtags for (default: none)")
    p.add_argument("--kind", default="post", choices=KINDS,
                   help="a post, or a reply to a comment (default: post)")
    p.add_argument("--comment", default="", metavar="TEXT",
                   help="for --kind reply: the comment being answered")
    p.add_argument("--pack", action="append", default=[], metavar="FILE",
                   help="a house-style pack (TOML); repeatable")
    p.add_argument("--disable", action="append", default=[], metavar="RULE",
                   help="switch a rule off (e.g. question.none); repeatable")
    p.add_argument("--enable", action="append", default=[], metavar="RULE",
                   help="switch a rule back on that a pack switched off; repeatable")
    p.add_argument("--set", action="append", default=[], metavar="RULE.PARAM=VALUE",
                   dest="params", help="change a threshold, e.g. "
                   "readability.long_sentence.max_words=20; repeatable")
    p.add_argument("--lines", action="store_true",
                   help="each non-empty line is a separate post (batches, content calendars)")
    p.add_argument("--format", default="text", choices=("text", "json", "jsonl"),
                   help="text for people, json (one array) or jsonl (one object a line)")
    p.add_argument("--fail-on", default="error", choices=FAIL_ON,
                   help="exit 1 when a finding is at least this severe (default: error)")
    p.add_argument("--list-rules", action="store_true",
                   help="list every rule with its area, severity and title, then exit")
    p.set_defaults(func=run)


def _parse_params(items: list[str]) -> dict[str, dict[str, Any]]:
    params: dict[str, dict[str, Any]] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        rule, _, param = name.strip().rpartition(".")
        if not sep or not rule or not param:
            raise ValueError(f"--set {item!r}: expected RULE.PARAM=VALUE")
        value: Any = raw.strip()
        for convert in (int, float):
            try:
                value = convert(raw)
                break
            except ValueError:
                continue
        if raw.strip().lower() in ("true", "false"):
            value = raw.strip().lower() == "true"
        params.setdefault(rule, {})[param] = value
    return params


def posts_of(path: str, text: str, *, lines: bool) -> Iterator[Post]:
    name = display_name(path)
    if not lines:
        yield Post(name, text, None)
        return
    for number, line in enumerate(_split_lines(text), start=1):
        line = line.removesuffix("\r")
        if line.strip():
            yield Post(name, line, number, offset_line=number)


def _split_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time (never a list of them all), split on "\n" only:
    editors and spreadsheets count lines that way, while str.splitlines() would also split
    on form feeds and U+2028 inside a post."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end]
        start = end + 1
    yield text[start:]


def oversized(post: Post) -> str:
    """Why ``post`` is too long to check (see MAX_POST_BYTES), or "" when it is not."""
    if len(post.text) * 4 <= MAX_POST_BYTES:  # (a code point is at most 4 bytes of UTF-8)
        return ""
    size = len(post.text.encode("utf-8", "surrogatepass"))
    if size <= MAX_POST_BYTES:
        return ""
    where = f"{post.path}:{post.line}" if post.line else post.path
    return (f"{where}: this post is {size:,} bytes long; coach check takes posts of at "
            f"most {MAX_POST_BYTES:,} bytes.")


class LineIndex:
    """Where each line of a text starts (one pass over the text), so that the line and
    column of any offset is a bisection, not a count from the start for every finding."""

    def __init__(self, text: str) -> None:
        self.starts = array("q", [0])
        self.starts.extend(m.end() for m in _NEWLINE.finditer(text))

    def line_col(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of a code-point offset."""
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


_NEWLINE = re.compile("\n")


def result_dict(post: Post, report: Report) -> dict[str, Any]:
    """The JSON object for one post (the format documented in the README)."""
    findings = []
    lines = LineIndex(post.text)
    for f in report.findings:
        line, column = lines.line_col(f.start)
        findings.append({
            "rule": f.rule, "severity": f.severity.label, "start": f.start, "end": f.end,
            "line": line + post.offset_line - 1, "column": column,
            "match": post.text[f.start:f.end], "message": f.message,
            "suggestion": f.suggestion, "fix": f.fix,
        })
    return {
        "path": post.path,
        "line": post.line,
        "language": report.language,
        "language_source": report.language_source,
        "platform": report.platform,
        "scores": None if report.scores is None else report.scores.to_dict(),
        "metrics": _plain(report.metrics),
        "findings": findings,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


_COLOURS = {"error": "\033[1;31m", "warning": "\033[33m", "suggestion": "\033[36m",
            "info": "\033[2m"}
_RESET = "\033[0m"


def _use_colour(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def write_text(out: TextIO, data: dict[str, Any], *, colour: bool) -> None:
    where = data["path"]
    for f in data["findings"]:
        sev = f["severity"]
        tag = f"{_COLOURS[sev]}{sev}{_RESET}" if colour else sev
        out.write(f"{where}:{f['line']}:{f['column']}: {tag} {f['rule']}: {f['message']}\n")
        if f["suggestion"]:
            out.write(f"    → {f['suggestion']}\n")
    s = data["scores"]
    source = "detected" if data["language_source"] == "detected" else "set"
    platform = f" · {data['platform']}" if data["platform"] else ""
    line = f":{data['line']}" if data["line"] else ""
    count = len(data["findings"])
    out.write(
        f"{where}{line}: conversation score {s['overall']} ({label(s['overall'])}) · "
        f"dialogue {s['dialogue']} · tone {s['tone']} · readability {s['readability']} · "
        f"platform {s['platform']} · {data['language']} ({source}){platform} · "
        f"{count} finding{'s' if count != 1 else ''}\n")


def json_item(data: dict[str, Any], *, ascii_only: bool) -> str:
    """One post as an element of the output array, indented as ``json.dump(results,
    indent=2)`` writes it, so that the array can be written one post at a time."""
    # (JSON escapes every newline inside a string: each "\n" here is between lines.)
    return "  " + json.dumps(data, ensure_ascii=ascii_only, indent=2).replace("\n", "\n  ")


def write_nothing_to_check(out: TextIO, data: dict[str, Any]) -> None:
    """The text output for an empty post: it has no findings and no scores."""
    line = f":{data['line']}" if data["line"] else ""
    out.write(f"{data['path']}{line}: the post is empty, so there is nothing to check.\n")


def _threshold(fail_on: str) -> Severity | None:
    return None if fail_on == "never" else Severity.parse(fail_on)


def list_rules(out: TextIO) -> int:
    for rule_id, spec in sorted(catalogue().items()):
        out.write(f"{rule_id:32} {spec.area:12} {spec.severity.label:11} {spec.title}\n")
    return 0


def run(args: argparse.Namespace) -> int:
    out = sys.stdout
    err = sys.stderr
    # A terminal or pipe that cannot take UTF-8 still gets every result: JSON falls back to
    # \u escapes, text to replacement characters, instead of a crash halfway through.
    utf8 = (getattr(out, "encoding", "") or "").lower().replace("-", "") == "utf8"
    if not utf8 and hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")
    if args.list_rules:
        return list_rules(out)
    try:
        packs: list[HousePack] = [load_pack(p) for p in args.pack]
        settings = Settings(disabled=frozenset(args.disable), enabled=frozenset(args.enable),
                            params=_parse_params(args.params))
    except PackError as exc:
        err.write(f"coach check: pack {exc}\n")
        return 2
    except ValueError as exc:
        err.write(f"coach check: {exc}\n")
        return 2

    threshold = _threshold(args.fail_on)
    status = 0
    unreadable = False
    colour = args.format == "text" and _use_colour(out)
    items = 0
    for path in args.paths or [STDIN]:
        try:
            text = read_text_file(path, max_bytes=None if args.lines else MAX_POST_BYTES)
        except UnreadableFile as exc:
            err.write(f"coach check: {exc}\n")
            unreadable = True
            continue
        for post in posts_of(path, text, lines=args.lines):
            if problem := oversized(post):
                err.write(f"coach check: {problem}\n")
                unreadable = True
                continue
            report = analyze(post.text, language=args.lang, platform=args.platform,
                             kind=args.kind, packs=packs, settings=settings,
                             comment=args.comment)
            if threshold is not None and any(f.severity >= threshold for f in report.findings):
                status = 1
            data = result_dict(post, report)
            if args.format == "json":
                out.write(",\n" if items else "[\n")
                out.write(json_item(data, ascii_only=not utf8))
                items += 1
            elif args.format == "jsonl":
                out.write(json.dumps(data, ensure_ascii=not utf8) + "\n")
            elif data["scores"] is None:
                write_nothing_to_check(out, data)
            else:
                write_text(out, data, colour=colour)
    if args.format == "json":
        out.write("\n]\n" if items else "[]\n")
    out.flush()
    return 2 if unreadable else status
