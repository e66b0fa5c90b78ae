"""``coach library``: the drafts library from the command line.

Every command opens the library (``--library PATH``, else ``$COACH_LIBRARY``, else the
user's data folder), does one thing, and closes it. Commands whose output is data take
``--format text|json``. Exit status: 0 done, 1 the check found problems, 2 a usage error,
an input that cannot be read, or a library that cannot be used (one line on stderr, no
traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from coach.analysis import KINDS, LANGUAGES
from coach.analysis.platforms import PLATFORMS
from coach.library import (
    STATUS_LABELS,
    CorruptLibraryError,
    Draft,
    DraftStore,
    LibraryError,
    default_library_path,
    list_backups,
    restore_file,
)
from coach.library.errors import LibraryNeedsUpgrade, SearchIndexDamaged
from coach.library.formats import FORMATS, write_bundle, write_csv
from coach.library.model import STATUSES
from coach.library.query import SORTS
from coach.library.store import INDEX_PROBLEM
from coach.textfile import STDIN, UnreadableFile, read_text_file

from .terminal import safe_json, visible, visible_lines

PROG = "coach library"


class UsageError(Exception):
    """A command line that asks for something impossible; the message says what."""


# --- arguments ----------------------------------------------------------------------------------

def _library_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument("--library", metavar="PATH", default=default,
                        help="the library file (default: $COACH_LIBRARY or the user's data "
                             "folder)")


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for people, json for programs")


def _filter_options(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("filters (repeat an option for 'any of')")
    g.add_argument("--client", action="append", metavar="NAME")
    g.add_argument("--platform", action="append", choices=PLATFORMS)
    g.add_argument("--status", action="append", metavar="STATUS",
                   help=f"one of: {', '.join(STATUS_LABELS.values())}")
    g.add_argument("--language", action="append", choices=LANGUAGES)
    g.add_argument("--kind", action="append", choices=KINDS)
    g.add_argument("--tag", action="append", metavar="TAG")
    g.add_argument("--planned-from", metavar="YYYY-MM-DD")
    g.add_argument("--planned-to", metavar="YYYY-MM-DD")
    g.add_argument("--updated-from", metavar="YYYY-MM-DD")
    g.add_argument("--updated-to", metavar="YYYY-MM-DD")
    g.add_argument("--trash", action="store_true", help="look in the trash instead")


def _list_options(parser: argparse.ArgumentParser) -> None:
    _filter_options(parser)
    parser.add_argument("--sort", default="-updated", metavar="KEY",
                        help=f"one of {', '.join(SORTS)}; a leading - sorts descending "
                             "(default: -updated, newest first)")
    parser.add_argument("--limit", type=int, default=None, metavar="N",
                        help="at most N drafts (default: all)")
    parser.add_argument("--offset", type=int, default=0, metavar="N", help=argparse.SUPPRESS)
    _format_option(parser)


def _field_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--title")
    parser.add_argument("--client")
    parser.add_argument("--platform", choices=(*PLATFORMS, "none"))
    parser.add_argument("--tags", metavar="A,B", help="comma-separated tags")
    parser.add_argument("--status", help=f"one of: {', '.join(STATUS_LABELS.values())}")
    parser.add_argument("--planned", metavar="YYYY-MM-DD", help="planned publish date")
    parser.add_argument("--language", choices=(*LANGUAGES, "auto"),
                        help="pin the language (default: detect it)")
    parser.add_argument("--kind", choices=KINDS)
    parser.add_argument("--comment", metavar="TEXT",
                        help="the comment a reply answers (implies --kind reply)")
    parser.add_argument("--no-score", action="store_true",
                        help="do not run the coach to store the draft's scores")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "library", help="list, search, add, export and import drafts",
        description="The drafts library: every draft kept, found and never lost.")
    _library_option(parser, None)
    commands = parser.add_subparsers(dest="library_command", metavar="COMMAND")
    # --library is accepted before or after the command.
    common = argparse.ArgumentParser(add_help=False)
    _library_option(common, argparse.SUPPRESS)

    def command(name: str, func: Callable[..., int], help: str, **kw: Any
                ) -> argparse.ArgumentParser:
        p = commands.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                                parents=[common], **kw)
        p.set_defaults(handler=func)
        return p

    p = command("list", cmd_list, "list drafts, newest first")
    _list_options(p)
    p = command("search", cmd_list, "search drafts (words match as prefixes, accents ignored)")
    p.add_argument("query", help='words, "exact phrases", -word to leave out')
    _list_options(p)
    p = command("show", cmd_show, "show one draft")
    p.add_argument("id", type=int)
    p.add_argument("--versions", action="store_true", help="also list its versions")
    _format_option(p)
    p = command("add", cmd_add, "add a draft from a text file or standard input")
    p.add_argument("file", metavar="FILE", help="a UTF-8 text file, or - for standard input")
    _field_options(p)
    _format_option(p)
    p = command("edit", cmd_edit, "change a draft's text (from FILE) or its fields")
    p.add_argument("id", type=int)
    p.add_argument("file", metavar="FILE", nargs="?", help="new text (a file or -)")
    _field_options(p)
    p.add_argument("--expect-revision", type=int, metavar="N",
                   help="refuse when the draft changed since revision N")
    _format_option(p)
    p = command("versions", cmd_versions, "list a draft's versions with their scores")
    p.add_argument("id", type=int)
    _format_option(p)
    p = command("diff", cmd_diff, "compare two versions of a draft")
    p.add_argument("id", type=int)
    p.add_argument("old", type=int, help="a version number")
    p.add_argument("new", type=int, nargs="?", help="a version number (default: current)")
    p.add_argument("--words", action="store_true", help="word by word: [-old-]{+new+}")
    p = command("revert", cmd_revert, "make an old version the current text again")
    p.add_argument("id", type=int)
    p.add_argument("version", type=int)
    p = command("duplicate", cmd_duplicate, "copy a draft into a new one")
    p.add_argument("id", type=int)
    p = command("trash", cmd_trash, "move drafts to the trash")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p = command("untrash", cmd_untrash, "take drafts out of the trash")
    p.add_argument("ids", type=int, nargs="+", metavar="ID")
    p = command("empty-trash", cmd_empty_trash, "delete the drafts in the trash for good")
    p.add_argument("--older-than", type=int, metavar="DAYS",
                   help="only those trashed more than DAYS days ago")
    p = command("export", cmd_export, "export drafts to a JSON bundle, CSV or Markdown files")
    p.add_argument("target", metavar="PATH",
                   help="a .json or .csv file, a folder for Markdown, or - for standard output")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="default: from the name (.json, .csv, else a Markdown folder)")
    p.add_argument("--query", default="", help="only drafts matching this search")
    _filter_options(p)
    p = command("import", cmd_import, "import drafts (all or nothing)")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="JSON bundles, CSV files, Markdown files or folders of them")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="default: from each name")
    p.add_argument("--on-existing", choices=("skip-identical", "skip", "copy"),
                   default="skip-identical",
                   help="a draft whose id is already in the library: skip it when its text "
                        "is the same, else import a copy (default); always skip; always copy")
    p.add_argument("--dry-run", action="store_true", help="check the files, write nothing")
    p = command("backup", cmd_backup, "back the library up now, or list its backups")
    p.add_argument("--list", action="store_true", help="list the backups instead")
    _format_option(p)
    p = command("restore", cmd_restore,
                "replace the library with a backup (the current file is kept aside)")
    p.add_argument("backup", nargs="?", metavar="BACKUP", help="a backup file")
    p.add_argument("--newest", action="store_true", help="the newest backup")
    p = command("recover", cmd_recover, "list unsaved texts left by a crash; save or drop one")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--save", type=int, metavar="SLOT", help="save this text as a draft")
    action.add_argument("--discard", type=int, metavar="SLOT", help="forget this text")
    _format_option(p)
    p = command("info", cmd_info, "where the library is, what it holds, its backups")
    _format_option(p)
    p = command("check", cmd_check, "check the library file for damage")
    p.add_argument("--repair", action="store_true",
                   help="rebuild the search index when only the index is damaged")
    parser.set_defaults(func=run, library_parser=parser)


# --- running -------------------------------------------------------------------------------------

def _utf8(out: TextIO) -> bool:
    return (getattr(out, "encoding", "") or "").lower().replace("-", "") == "utf8"


def _out() -> TextIO:
    """Standard output; a terminal that cannot take UTF-8 gets replacement characters
    instead of a crash halfway (JSON output is ASCII-escaped there, so it stays exact)."""
    out = sys.stdout
    if not _utf8(out) and hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")
    return out


def _path(args: argparse.Namespace) -> Path:
    return Path(args.library).expanduser() if args.library else default_library_path()


# Commands that only read the library: they never write a byte of it.
READ_ONLY = {"list", "search", "show", "versions", "diff", "export", "info", "backup"}


def _only_reads(args: argparse.Namespace) -> bool:
    name = args.library_command
    if name == "check":
        return not args.repair
    if name == "recover":
        return args.save is None and args.discard is None
    return name in READ_ONLY


def _open(args: argparse.Namespace, **kw: Any) -> DraftStore:
    path = _path(args)
    if not _only_reads(args):
        return DraftStore(path, **kw)
    if not path.exists():
        backups = list_backups(path)
        if backups:  # it was moved aside as damaged, or deleted: say where its copies are
            raise UsageError(f"there is no library at {path}, but it has backups (the newest "
                             f"is {backups[0].path}); coach library restore --newest puts "
                             "it in its place")
        raise UsageError(f"there is no library at {path} yet (coach library add FILE "
                         "makes it)")
    kw.setdefault("auto_backup", False)  # looking never costs a backup; saving does
    try:
        return DraftStore(path, read_only=True, **kw)
    except LibraryNeedsUpgrade:
        # The one write a command that only reads may make: the upgrade, after a backup.
        return DraftStore(path, **kw)


def run(args: argparse.Namespace) -> int:
    handler = getattr(args, "handler", None)
    if handler is None:
        args.library_parser.print_help(sys.stderr)
        return 2
    try:
        return int(handler(args) or 0)
    except (UsageError, UnreadableFile, LibraryError) as exc:
        hint = ""
        if isinstance(exc, CorruptLibraryError) and exc.backups:
            hint = " (coach library restore --newest puts the newest backup in its place)"
        elif isinstance(exc, SearchIndexDamaged):
            hint = " (coach library check --repair rebuilds it)"
        sys.stderr.write(f"{PROG}: {_one_line(str(exc))}{hint}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    for name in ("client", "platform", "status", "language", "kind", "tag", "planned_from",
                 "planned_to", "updated_from", "updated_to"):
        value = getattr(args, name, None)
        if value:
            filters[name] = value
    filters["trashed"] = bool(getattr(args, "trash", False))
    return filters


def _short(text: str, width: int) -> str:
    """A person's text on one line, cut to ``width``, its control characters shown."""
    text = " ".join(text.split())
    return visible(text if len(text) <= width else text[: width - 1] + "…")


def _write_json(out: TextIO, data: Any) -> None:
    out.write(safe_json(json.dumps(data, ensure_ascii=not _utf8(out), indent=2)) + "\n")


def _table(out: TextIO, drafts: Sequence[Draft]) -> None:
    if not drafts:
        out.write("no drafts\n")
        return
    out.write(f"{'ID':>6}  {'STATUS':10} {'UPDATED':10} {'PLANNED':10} {'CLIENT':14} "
              f"{'PLATFORM':9} {'SCORE':>5}  TITLE\n")
    for d in drafts:
        score = "" if d.score is None else f"{d.score:.0f}"
        out.write(f"{d.id:>6}  {STATUS_LABELS.get(d.status, d.status):10} "
                  f"{d.updated.astimezone():%Y-%m-%d} "
                  f"{d.planned.isoformat() if d.planned else '':10} "
                  f"{_short(d.client or '', 14):14} {d.platform or '':9} {score:>5}  "
                  f"{_short(d.title or '(untitled)', 60)}\n")


def cmd_list(args: argparse.Namespace) -> int:
    out = _out()
    with _open(args) as store:
        drafts = store.search(getattr(args, "query", ""), sort=args.sort, limit=args.limit,
                              offset=args.offset, **_filters(args))
    if args.format == "json":
        _write_json(out, [d.to_dict() for d in drafts])
    else:
        _table(out, drafts)
    return 0


def _show_text(out: TextIO, d: Draft) -> None:
    rows = [("draft", f"#{d.id}" + (" (in the trash)" if d.in_trash else "")),
            ("title", visible(d.title) or "(untitled)"),
            ("status", STATUS_LABELS.get(d.status, d.status)),
            ("client", visible(d.client or "")), ("platform", d.platform or ""),
            ("language", (d.language or "not known") + (" (pinned)" if d.language_pinned else "")),
            ("kind", d.kind), ("tags", visible(", ".join(d.tags))),
            ("planned", d.planned.isoformat() if d.planned else ""),
            ("created", f"{d.created.astimezone():%Y-%m-%d %H:%M}"),
            ("updated", f"{d.updated.astimezone():%Y-%m-%d %H:%M}"),
            ("revision", str(d.revision))]
    if d.scores:
        rows.append(("scores", visible(" · ".join(f"{k} {v}" for k, v in d.scores.items()))))
    if d.kind == "reply" and d.comment:
        rows.append(("replying to", _short(d.comment, 70)))
    for name, value in rows:
        if value:
            out.write(f"{name + ':':12} {value}\n")
    out.write("\n" + visible_lines(d.text) + ("" if d.text.endswith("\n") else "\n"))


def cmd_show(args: argparse.Namespace) -> int:
    out = _out()
    with _open(args) as store:
        draft = store.get(args.id)
        versions = store.versions(args.id) if args.versions else []
    if args.format == "json":
        data = draft.to_dict()
        if args.versions:
            data["versions"] = [v.to_dict() for v in versions]
        _write_json(out, data)
        return 0
    _show_text(out, draft)
    if versions:
        out.write("\n")
        _versions_text(out, versions)
    return 0


def _read_text(path: str) -> str:
    """A draft's text from a file or stdin, without the final newline editors and echo add."""
    text = read_text_file(path)
    return text[:-2] if text.endswith("\r\n") else text.removesuffix("\n")


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in ("title", "client", "platform", "status", "planned", "kind", "comment"):
        value = getattr(args, name, None)
        if value is not None:
            fields[name] = value
    if fields.get("comment"):  # the comment a reply answers: the draft is a reply
        if fields.get("kind") == "post":
            raise UsageError("--comment is the comment a reply answers, so it cannot go "
                             "with --kind post.")
        fields["kind"] = "reply"
    if args.tags is not None:
        fields["tags"] = args.tags
    if args.language is not None:
        fields["language"] = None if args.language == "auto" else args.language
        fields["language_pinned"] = args.language != "auto"
    return fields


def _analysis(text: str, fields: dict[str, Any], current: Draft | None) -> dict[str, Any]:
    """Scores and the detected language from the coaching engine; {} when it cannot run."""
    def pick(name: str, default: Any) -> Any:
        return fields.get(name, getattr(current, name, default) if current else default)

    pinned = pick("language_pinned", False)
    language = pick("language", None) if pinned else None
    try:
        from coach.analysis import analyze

        report = analyze(text, language=language, platform=pick("platform", None),
                         kind=pick("kind", "post") or "post", comment=pick("comment", "") or "")
    except Exception as exc:  # the engine is optional here: the draft is saved regardless
        sys.stderr.write(f"{PROG}: warning: no scores ({_one_line(str(exc))[:120]})\n")
        return {}
    scores = None if report.scores is None else report.scores.to_dict()  # None: empty
    found: dict[str, Any] = {"scores": scores}
    if not pinned:
        found["language"] = report.language
    return found


def cmd_add(args: argparse.Namespace) -> int:
    text = _read_text(args.file)
    fields = _fields(args)
    if not args.no_score:
        fields.update({k: v for k, v in _analysis(text, fields, None).items()
                       if k not in fields})
    out = _out()
    with _open(args) as store:
        draft = store.get(store.add(text, **fields))
    if args.format == "json":
        _write_json(out, draft.to_dict())
    else:
        out.write(f"added draft #{draft.id}: {visible(draft.title) or '(untitled)'}\n")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    fields = _fields(args)
    if args.file is not None:
        fields["text"] = _read_text(args.file)
    if not fields:
        raise UsageError("nothing to change: give a FILE with the new text or a field option")
    out = _out()
    with _open(args) as store:
        if "text" in fields and not args.no_score:
            found = _analysis(fields["text"], fields, store.get(args.id))
            fields.update({k: v for k, v in found.items() if k not in fields})
        draft = store.update(args.id, expected_revision=args.expect_revision, **fields)
    if args.format == "json":
        _write_json(out, draft.to_dict())
    else:
        out.write(f"saved draft #{draft.id} (revision {draft.revision})\n")
    return 0


def _versions_text(out: TextIO, versions: Sequence[Any]) -> None:
    out.write(f"{'VERSION':>7}  {'SAVED':16} {'SCORE':>5}  {'NOTE':20} TEXT\n")
    for v in versions:
        score = "" if v.score is None else f"{v.score:.0f}"
        out.write(f"{v.number:>7}  {v.saved.astimezone():%Y-%m-%d %H:%M} {score:>5}  "
                  f"{_short(v.note, 20):20} {_short(v.text, 50)}\n")


def cmd_versions(args: argparse.Namespace) -> int:
    out = _out()
    with _open(args) as store:
        versions = store.versions(args.id)
    if args.format == "json":
        _write_json(out, [v.to_dict() for v in versions])
    else:
        _versions_text(out, versions)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    out = _out()
    with _open(args) as store:
        if args.words:
            marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
            pieces = store.word_diff(args.id, args.old, args.new)
            out.write("".join(marks[op].format(visible_lines(text)) for op, text in pieces)
                      + "\n")
        else:
            text = store.diff(args.id, args.old, args.new)
            out.write((visible_lines(text) or "the two versions have the same text") + "\n")
    return 0


def cmd_revert(args: argparse.Namespace) -> int:
    with _open(args) as store:
        draft = store.restore_version(args.id, args.version)
    _out().write(f"draft #{draft.id} has the text of version {args.version} again "
                 f"(saved as a new version)\n")
    return 0


def cmd_duplicate(args: argparse.Namespace) -> int:
    with _open(args) as store:
        new_id = store.duplicate(args.id)
    _out().write(f"copied draft #{args.id} to #{new_id}\n")
    return 0


def cmd_trash(args: argparse.Namespace) -> int:
    with _open(args) as store:
        for draft_id in args.ids:
            store.trash(draft_id)
    _out().write(f"moved {len(args.ids)} draft(s) to the trash (coach library untrash ID "
                 "brings them back)\n")
    return 0


def cmd_untrash(args: argparse.Namespace) -> int:
    with _open(args) as store:
        for draft_id in args.ids:
            store.restore(draft_id)
    _out().write(f"took {len(args.ids)} draft(s) out of the trash\n")
    return 0


def cmd_empty_trash(args: argparse.Namespace) -> int:
    older = timedelta(days=args.older_than) if args.older_than is not None else None
    with _open(args) as store:
        count = store.empty_trash(older)
    _out().write(f"deleted {count} draft(s) from the trash for good\n")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    filters = _filters(args)
    with _open(args) as store:
        if args.target == STDIN:
            fmt = args.format or "json"
            if fmt == "markdown":
                raise UsageError("Markdown export needs a folder, not standard output")
            ids = store.search_ids(args.query, sort="id", **filters)
            entries = store.export_entries(ids, versions=fmt == "json")
            out = _out()
            if fmt == "json":
                count = write_bundle(entries, out, ascii_only=not _utf8(out))
            else:
                count = write_csv(entries, out)
            out.flush()
        else:
            count = store.export_file(args.target, format=args.format, query=args.query,
                                      **filters)
    if args.target != STDIN:
        sys.stderr.write(f"exported {count} draft(s) to {args.target}\n")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from coach.library.formats import read_import

    paths = list(args.paths)
    if STDIN in paths:
        raise UsageError("import reads files: save standard input to a file first")
    records = read_import(paths, args.format)
    if args.dry_run:
        _out().write(f"{len(records)} draft(s) can be imported; nothing was written\n")
        return 0
    with _open(args) as store:
        def progress(done: int, total: int) -> None:
            if total >= 5000 and sys.stderr.isatty():
                sys.stderr.write(f"\rimporting {done:,}/{total:,}")
                if done == total:
                    sys.stderr.write("\n")

        result = store.import_drafts(records, progress=progress, on_existing=args.on_existing)
    extra = []
    if result.skipped:
        extra.append(f"{result.skipped} already there")
    if result.copied:
        extra.append(f"{result.copied} imported as copies (their id was taken)")
    _out().write(f"imported {len(result.added)} draft(s)"
                 + (f" ({', '.join(extra)})" if extra else "") + "\n")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    out = _out()
    if args.list:
        backups = list_backups(_path(args))
        if args.format == "json":
            _write_json(out, [b.to_dict() for b in backups])
        elif not backups:
            out.write("no backups yet\n")
        else:
            for b in backups:
                out.write(f"{b.created:%Y-%m-%d %H:%M}  {b.kind:13} {b.size / 1e6:8.1f} MB  "
                          f"{b.path}\n")
        return 0
    with _open(args, auto_backup=False) as store:
        info = store.backup_now()
    if args.format == "json":
        _write_json(out, info.to_dict())
    else:
        out.write(f"backed up to {info.path}\n")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    path = _path(args)
    if args.newest == bool(args.backup):
        raise UsageError("give a BACKUP file or --newest (see coach library backup --list)")
    if args.newest:
        backups = list_backups(path)
        if not backups:
            raise UsageError(f"there are no backups of {path}")
        backup = backups[0].path
    else:
        backup = Path(args.backup)
    # Not through DraftStore: a damaged library must be replaceable without opening it.
    moved = restore_file(backup, path)
    with DraftStore(path, auto_backup=False) as store:
        count = store.count()
    kept = f"; the previous library was kept as {moved}" if moved else ""
    _out().write(f"restored {backup} ({count} drafts){kept}\n")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    out = _out()
    with _open(args) as store:
        if args.save is not None:
            draft_id = store.apply_autosave(args.save)
            out.write(f"saved the recovered text as draft #{draft_id}\n")
            return 0
        if args.discard is not None:
            store.discard_autosave(args.discard)
            out.write(f"forgot the unsaved text in slot {args.discard}\n")
            return 0
        found = store.recover()
    if args.format == "json":
        _write_json(out, [a.to_dict() for a in found])
    elif not found:
        out.write("no unsaved texts to recover\n")
    else:
        for a in found:
            where = f"draft #{a.draft_id}" if a.draft_id else "a new draft"
            out.write(f"slot {a.slot}: {where}, autosaved {a.saved.astimezone():%Y-%m-%d %H:%M}"
                      f": {_short(a.text, 60)}\n")
        out.write("save one with --save SLOT, or drop it with --discard SLOT\n")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    out = _out()
    with _open(args, auto_backup=False) as store:
        stats = store.stats()
        backups = store.list_backups()
        path = store.path
    size = path.stat().st_size if path.exists() else 0
    data = {"path": str(path), "size": size, **stats,
            "backups": [b.to_dict() for b in backups]}
    if args.format == "json":
        _write_json(out, data)
        return 0
    out.write(f"library:   {path} ({size / 1e6:.1f} MB)\n")
    by_status = ", ".join(f"{STATUS_LABELS.get(s, s)} {stats['by_status'].get(s, 0)}"
                          for s in STATUSES if stats["by_status"].get(s))
    out.write(f"drafts:    {stats['drafts']}" + (f" ({by_status})" if by_status else "") + "\n")
    out.write(f"trash:     {stats['trash']}\nversions:  {stats['versions']}\n")
    if stats["autosaves"]:
        out.write(f"unsaved:   {stats['autosaves']} (coach library recover)\n")
    newest = f", newest {backups[0].created:%Y-%m-%d %H:%M}" if backups else ""
    out.write(f"backups:   {len(backups)}{newest}\n")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with _open(args, auto_backup=False) as store:
        problems = store.check()
        if args.repair and problems == [INDEX_PROBLEM]:
            store.rebuild_index()
            problems = store.check()
            if not problems:
                _out().write("rebuilt the search index from the drafts\n")
    if problems:
        for problem in problems[:20]:
            sys.stderr.write(f"{PROG}: {problem}\n")
        return 1
    _out().write(f"{store.path}: no damage found\n")
    return 0
