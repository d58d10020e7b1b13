#!/usr/bin/env python
"""Django's command-line utility for Công Sở Xanh."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A command's own output (a backup summary, dumpdata) keeps stdout; its logs go beside it.
    os.environ.setdefault("LOG_STREAM", "stderr")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
