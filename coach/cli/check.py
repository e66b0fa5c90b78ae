"""``coach check``: run the coaching engine on files or standard input.

Exit status: 0 when no finding reaches ``--fail-on``, 1 when one does, 2 for a usage
error or an input that cannot be read (each such input gets a one-line message naming it;
the other inputs are still checked).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import sys
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import Any, NamedTuple, TextIO

from coach.analysis import KINDS, LANGUAGES, Report, Settings, Severity, analyze
from coach.analysis.house import HousePack, load_pack
from coach.analysis.packs import PackError, catalogue
from coach.analysis.platforms import PLATFORMS
from coach.analysis.scoring import label
from coach.analysis.settings import param_spec
from coach.textfile import STDIN, FileTooBig, UnreadableFile, display_name, read_text_file

from .parallel import BrokenProcessPool, Progress, ordered_map, usable_cores
from .terminal import safe_json, visible

FAIL_ON = ("error", "warning", "suggestion", "never")
# The longest post (in UTF-8) that is checked: 30 times the longest any platform takes
# (Facebook's 63,206 characters). The engine works in about a hundred times the text
# (some 270 MB at this size, tests/benchmarks/bench_check.py): a longer file is refused
# before it is read, a longer line of --lines before it is checked.
MAX_POST_BYTES = 2_000_000
# The biggest file of posts (--lines): it is read whole, and workers share its text, so
# a run holds about five times it (1 GB at this size).
MAX_LINES_BYTES = 200_000_000
# Posts sent to a worker process at a time: large enough that sending them costs little
# next to checking them, small enough to keep every core busy and the order cheap.
BATCH_POSTS = 200
BATCH_CHARS = 100_000  # (about 0.3 s of work: how long Ctrl+C may wait)
MAX_JOBS = 256


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
    p.add_argument("--kind", default=None, choices=KINDS,
                   help="a post, or a reply to a comment (default: post, or reply with "
                        "--comment)")
    p.add_argument("--comment", default=None, metavar="TEXT",
                   help="the comment a reply answers (implies --kind reply)")
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
    p.add_argument("--jobs", type=_jobs, default=usable_cores(), metavar="N",
                   help="check posts in N processes at once; results keep the input's "
                        "order (default: the number of cores, here %(default)s)")
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
    # Messages quote the post's words, and a file name can hold anything: both are shown
    # with their control characters visible (coach.cli.terminal).
    where = visible(data["path"])
    for f in data["findings"]:
        sev = f["severity"]
        tag = f"{_COLOURS[sev]}{sev}{_RESET}" if colour else sev
        out.write(f"{where}:{f['line']}:{f['column']}: {tag} {visible(f['rule'])}: "
                  f"{visible(f['message'])}\n")
        if f["suggestion"]:
            out.write(f"    → {visible(f['suggestion'])}\n")
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
    text = json.dumps(data, ensure_ascii=ascii_only, indent=2).replace("\n", "\n  ")
    return "  " + safe_json(text)


def write_nothing_to_check(out: TextIO, data: dict[str, Any]) -> None:
    """The text output for an empty post: it has no findings and no scores."""
    line = f":{data['line']}" if data["line"] else ""
    out.write(f"{visible(data['path'])}{line}: the post is empty, so there is nothing to "
              "check.\n")


def _threshold(fail_on: str) -> Severity | None:
    return None if fail_on == "never" else Severity.parse(fail_on)


def list_rules(out: TextIO) -> int:
    for rule_id, spec in sorted(catalogue().items()):
        out.write(f"{rule_id:32} {spec.area:12} {spec.severity.label:11} {spec.title}\n")
    return 0


@dataclass(frozen=True)
class Options:
    """How every post is checked and written, from the command line: plain values, so
    that each worker process gets them and builds its own :class:`Checker` once."""

    language: str
    platform: str
    kind: str
    comment: str
    packs: tuple[str, ...]
    disable: tuple[str, ...]
    enable: tuple[str, ...]
    params: tuple[str, ...]
    format: str
    fail_on: str
    colour: bool
    ascii_only: bool  # JSON with \u escapes, for an output that cannot take UTF-8
    terminal: bool  # what standard output is, for the text written ahead of it
    encoding: str | None


class Outcome(NamedTuple):
    """What one post (or one input that cannot be read) gives."""

    out: str = ""  # for standard output (with --format json: one element of the array)
    err: str = ""  # a one-line message for standard error
    fails: bool = False  # a finding reached --fail-on
    unreadable: bool = False  # not checked: exit status 2


@dataclass(frozen=True)
class Batch:
    """Posts checked together by one worker (with the messages that come between them,
    so that every line of output keeps its place)."""

    items: tuple[Post | Outcome, ...]
    path: str  # the input of the last item, and how much of it is read (for progress)
    share: float
    posts: int


class Checker:
    """Loads the packs and settings once, then checks posts and writes each result."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.packs: list[HousePack] = [load_pack(p) for p in options.packs]
        self.settings = Settings(disabled=frozenset(options.disable),
                                 enabled=frozenset(options.enable),
                                 params=_parse_params(list(options.params)))
        self.threshold = _threshold(options.fail_on)

    def check(self, post: Post) -> Outcome:
        o = self.options
        report = analyze(post.text, language=o.language, platform=o.platform, kind=o.kind,
                         packs=self.packs, settings=self.settings, comment=o.comment)
        fails = self.threshold is not None and any(f.severity >= self.threshold
                                                   for f in report.findings)
        return Outcome(self.render(result_dict(post, report)), fails=fails)

    def render(self, data: dict[str, Any]) -> str:
        fmt = self.options.format
        if fmt == "json":
            return json_item(data, ascii_only=self.options.ascii_only)
        if fmt == "jsonl":
            return safe_json(json.dumps(data, ensure_ascii=self.options.ascii_only)) + "\n"
        buffer = _Ahead(self.options.terminal, self.options.encoding)
        if data["scores"] is None:
            write_nothing_to_check(buffer, data)
        else:
            write_text(buffer, data, colour=self.options.colour)
        return buffer.getvalue()

    def check_batch(self, batch: Batch) -> list[Outcome]:
        return [self.check(item) if isinstance(item, Post) else item for item in batch.items]


class _Ahead(io.StringIO):
    """Text written ahead of standard output (maybe in another process), which says it is
    what standard output is: a terminal or not, with its encoding."""

    def __init__(self, terminal: bool, encoding: str | None) -> None:
        super().__init__()
        self._terminal, self._encoding = terminal, encoding

    def isatty(self) -> bool:
        return self._terminal

    @property
    def encoding(self) -> str | None:  # type: ignore[override]
        return self._encoding


_checker: Checker | None = None  # this process's (each worker process makes its own)


def _start(options: Options) -> None:
    global _checker
    _checker = Checker(options)


def _check_batch(batch: Batch) -> list[Outcome]:
    assert _checker is not None, "_start() runs first in every process"
    return _checker.check_batch(batch)


def _inputs(paths: list[str], *, lines: bool) -> Iterator[tuple[Post | Outcome, str, float]]:
    """Every post of every input, or the message for one that cannot be read, with the
    input's name and how much of it is read."""
    for path in paths:
        name = display_name(path)
        try:
            text = read_text_file(path, max_bytes=MAX_LINES_BYTES if lines else MAX_POST_BYTES)
        except UnreadableFile as exc:
            hint = ("" if lines or not isinstance(exc, FileTooBig)
                    else " (for a file of posts, one a line: --lines)")
            yield Outcome(err=f"coach check: {exc}{hint}\n", unreadable=True), name, 1.0
            continue
        total = text.count("\n") + 1
        for post in posts_of(path, text, lines=lines):
            problem = oversized(post)
            item = Outcome(err=f"coach check: {problem}\n", unreadable=True) if problem \
                else post
            yield item, name, (post.line or total) / total


def _batches(inputs: Iterator[tuple[Post | Outcome, str, float]]) -> Iterator[Batch]:
    items: list[Post | Outcome] = []
    chars = posts = 0
    name, share = "", 0.0
    for item, name, share in inputs:
        items.append(item)
        if isinstance(item, Post):
            chars += len(item.text)
            posts += 1
        if len(items) >= BATCH_POSTS or chars >= BATCH_CHARS:
            yield Batch(tuple(items), name, share, posts)
            items, chars, posts = [], 0, 0
    if items:
        yield Batch(tuple(items), name, share, posts)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if not 1 <= jobs <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"expected a number of processes from 1 to "
                                         f"{MAX_JOBS}, not {value!r}")
    return jobs


def _kind(args: argparse.Namespace) -> str:
    """The kind of the posts: ``--comment`` means a reply, and cannot go with a post."""
    if args.comment is None:
        return args.kind or "post"
    if args.kind == "post":
        raise ValueError("--comment is the comment a reply answers, so it cannot go with "
                         "--kind post.")
    return "reply"


def _options(args: argparse.Namespace, out: TextIO, *, utf8: bool) -> Options:
    return Options(
        language=args.lang, platform=args.platform, kind=_kind(args),
        comment=args.comment or "",
        packs=tuple(args.pack), disable=tuple(args.disable), enable=tuple(args.enable),
        params=tuple(args.params), format=args.format, fail_on=args.fail_on,
        colour=args.format == "text" and _use_colour(out), ascii_only=not utf8,
        terminal=out.isatty(), encoding=getattr(out, "encoding", None))


def _write_all(results: Iterator[tuple[Batch, list[Outcome]]], out: TextIO, err: TextIO, *,
               fmt: str, progress: Progress) -> int:
    """Write every outcome in input order; the exit status they add up to."""
    fails = unreadable = False
    items = posts = 0
    for batch, outcomes in results:
        for outcome in outcomes:
            if outcome.err:
                progress.clear()
                err.write(outcome.err)
            if outcome.out:
                if fmt == "json":
                    out.write(",\n" if items else "[\n")
                    items += 1
                out.write(outcome.out)
            fails |= outcome.fails
            unreadable |= outcome.unreadable
        posts += batch.posts
        progress.update(lambda n=posts, b=batch: f"coach check: {n:,} posts checked "
                                                 f"({round(100 * b.share)} % of {b.path})")
    if fmt == "json":
        out.write("\n]\n" if items else "[]\n")
    return 2 if unreadable else 1 if fails else 0


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
        options = _options(args, out, utf8=utf8)
        _start(options)  # packs and settings checked here, before any worker starts
    except PackError as exc:
        err.write(f"coach check: pack {exc}\n")
        return 2
    except ValueError as exc:
        err.write(f"coach check: {exc}\n")
        return 2
    batches = _batches(_inputs(args.paths or [STDIN], lines=args.lines))
    progress = Progress(err)
    results = ordered_map(_check_batch, batches, jobs=args.jobs, initializer=_start,
                          initargs=(options,))
    try:
        with closing(results):
            status = _write_all(results, out, err, fmt=args.format, progress=progress)
            out.flush()
    except KeyboardInterrupt:
        progress.clear()
        err.write("coach check: interrupted\n")
        return 130
    except BrokenProcessPool:
        progress.clear()
        err.write("coach check: a worker process ended unexpectedly (perhaps out of "
                  "memory), so the posts from there on were not checked.\n")
        return 2
    progress.clear()
    return status
