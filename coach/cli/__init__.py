"""The ``coach`` command. (Dispatcher; filled in by the CLI work.)"""


def main(argv=None) -> int:
    return 0
