from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inspections.demo import load_demo_data, staff_for_listing


class Command(BaseCommand):
    help = "Load the demo organisation, users, rounds and inspections (idempotent; DEBUG only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data loads only with DEBUG on: it creates known passwords.")
        summary = load_demo_data(password=settings.DEMO_PASSWORD)
        self.stdout.write(f"Demo logins (password for all: {summary.password}):")
        for username, full_name, role, unit in staff_for_listing():
            self.stdout.write(f"  {username:<12} {role:<20} {unit:<10} {full_name}")
        secret = b32encode(bytes.fromhex(settings.DEMO_TOTP_KEY)).decode()
        self.stdout.write(
            f"Two-factor for noivu (Internal Affairs): add the secret {secret} to an "
            "authenticator app, or compute the code with: "
            f"oathtool --totp -b {secret}"
        )
        self.stdout.write(f"E-mails are printed here and kept in {settings.EMAIL_FILE_PATH}/")
