"""``coach check``: run the coaching engine on files or standard input. (In progress.)"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help="check posts in files or standard input")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return 0
