"""The ``coach`` command: with no arguments it starts the desktop app.

Sub-commands live in their own modules; each has ``register(subparsers)`` which adds its
parser and sets ``func`` (a callable taking the parsed arguments and returning an exit
status). Exit status 2 means a usage error or an input that cannot be read.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from coach import __version__

SUBCOMMANDS = ("check", "library")


class _CommandParser(argparse.ArgumentParser):
    """A parser whose unknown arguments are its own usage error: ``coach check --bogus``
    shows the usage of ``coach check``, not of ``coach`` (argparse would pass them up)."""

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def build_parser() -> argparse.ArgumentParser:
    from . import check, library

    parser = argparse.ArgumentParser(
        prog="coach",
        description="Post Coach: write social media posts that start conversations. "
                    "Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"Post Coach {__version__}")
    # (Each command's own sub-commands are made by the same class: it is the default.)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                parser_class=_CommandParser)
    check.register(sub)
    library.register(sub)
    return parser


def build_app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach", description="Open the Post Coach app.",
        epilog=f"Other commands: {', '.join(SUBCOMMANDS)} (coach COMMAND --help).")
    parser.add_argument("--version", action="version", version=f"Post Coach {__version__}")
    parser.add_argument("file", nargs="?", help="a text file to open as a new draft")
    parser.add_argument("--library", metavar="PATH",
                        help="use this library file instead of the default one")
    return parser


def _reader_gone() -> int:
    """Standard output was closed by its reader (``coach check ... | head``): stop quietly,
    as a command ended by SIGPIPE does; what is left to write has nowhere to go."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the final flush cannot fail again
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file behind standard output
        pass
    return 128 + 13  # what a shell reports for a command ended by SIGPIPE


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in SUBCOMMANDS:
        args = build_parser().parse_args(argv)
        try:
            return int(args.func(args) or 0)
        except BrokenPipeError:
            return _reader_gone()
    if argv and argv[0] in ("-h", "--help") and len(argv) == 1:
        build_app_parser().print_help()
        print()
        build_parser().print_help()
        return 0
    args = build_app_parser().parse_args(argv)
    try:
        from coach.ui.app import run_app
    except ImportError as exc:  # Qt missing or its system libraries absent
        print(f"coach: the desktop app cannot start: {exc}", file=sys.stderr)
        print("coach: `coach check FILE` works without it.", file=sys.stderr)
        return 2
    return run_app(file=args.file, library=args.library)


if __name__ == "__main__":
    sys.exit(main())
