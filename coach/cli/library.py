"""``coach library``: manage the drafts library from the command line. (In progress.)"""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("library", help="list, search, add, export and import drafts")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print("coach library: not available yet", file=sys.stderr)
    return 2
