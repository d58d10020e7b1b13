from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    """The server-rendered pages for people on phones: on the same services as the API."""

    name = "web"
    verbose_name = "Công Sở Xanh — trang web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from web.accounts import remember_epoch

        # Every way in (our sign-in page, the admin's, an invitation) marks the session's epoch.
        user_logged_in.connect(remember_epoch, dispatch_uid="web.remember_epoch")
