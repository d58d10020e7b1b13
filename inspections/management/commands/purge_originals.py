"""The former name of `apply_retention`, kept for the cron lines that still call it."""

from __future__ import annotations

from inspections.management.commands.apply_retention import Command as ApplyRetention


class Command(ApplyRetention):
    help = "Alias of apply_retention (deprecated name)."
