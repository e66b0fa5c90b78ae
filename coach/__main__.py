"""``python -m coach`` is the same as the ``coach`` command."""

import sys

from coach.cli import main

sys.exit(main())
