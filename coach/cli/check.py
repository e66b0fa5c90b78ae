"""``coach check``: run the coaching engine on files or standard input.

Exit status: 0 when no finding reaches ``--fail-on``, 1 when one does, 2 for a usage
error or an input that cannot be read (each such input gets a one-line message naming it;
the other inputs are still checked).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from coach.analysis import KINDS, LANGUAGES, Report, Settings, Severity, analyze
from coach.analysis.house import HousePack, load_pack
from coach.analysis.packs import PackError, catalogue
from coach.analysis.platforms import PLATFORMS
from coach.analysis.scoring import label
from coach.analysis.settings import param_spec
from coach.textfile import STDIN, UnreadableFile, display_name, read_text_file

FAIL_ON = ("error", "warning", "suggestion", "never")


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
    """``--set RULE.PARAM=VALUE`` items as settings' params, each value read as the type
    its parameter declares. ValueError (a usage error) for an unknown rule or parameter,
    or a value that is not allowed."""
    params: dict[str, dict[str, Any]] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        rule, _, param = name.strip().rpartition(".")
        if not sep or not rule or not param:
            raise ValueError(f"--set {item!r}: expected RULE.PARAM=VALUE")
        try:
            spec = param_spec(rule, param)
        except ValueError as exc:
            raise ValueError(f"--set: {exc}") from None
        try:
            value = spec.parse(raw.strip())
        except ValueError as exc:
            raise ValueError(f"--set: {rule}.{param} {exc}") from None
        params.setdefault(rule, {})[param] = value
    return params


def posts_of(path: str, text: str, *, lines: bool) -> Iterator[Post]:
    name = display_name(path)
    if not lines:
        yield Post(name, text, None)
        return
    # Split on "\n" only: editors and spreadsheets count lines that way, while
    # str.splitlines() would also split on form feeds and U+2028 inside a post.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.strip():
            yield Post(name, line, number, offset_line=number)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return line + 1, offset - start + 1


def result_dict(post: Post, report: Report) -> dict[str, Any]:
    """The JSON object for one post (the format documented in the README)."""
    findings = []
    for f in report.findings:
        line, column = _line_col(post.text, f.start)
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
        "scores": report.scores.to_dict(),
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
    results: list[dict[str, Any]] = []
    for path in args.paths or [STDIN]:
        try:
            text = read_text_file(path)
        except UnreadableFile as exc:
            err.write(f"coach check: {exc}\n")
            unreadable = True
            continue
        for post in posts_of(path, text, lines=args.lines):
            report = analyze(post.text, language=args.lang, platform=args.platform,
                             kind=args.kind, packs=packs, settings=settings,
                             comment=args.comment)
            if threshold is not None and any(f.severity >= threshold for f in report.findings):
                status = 1
            data = result_dict(post, report)
            if args.format == "json":
                results.append(data)
            elif args.format == "jsonl":
                out.write(json.dumps(data, ensure_ascii=not utf8) + "\n")
            else:
                write_text(out, data, colour=colour)
    if args.format == "json":
        json.dump(results, out, ensure_ascii=not utf8, indent=2)
        out.write("\n")
    out.flush()
    return 2 if unreadable else status
