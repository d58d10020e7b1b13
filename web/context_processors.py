"""What every page's layout needs: the bell's unread count, counted only if shown."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from inspections import selectors
from inspections.policies import Viewer


class Bell:
    def __init__(self, user: Viewer) -> None:
        self.user = user

    @cached_property
    def unread(self) -> int:
        return selectors.unread_count(self.user)


def notifications(request: HttpRequest) -> dict[str, Bell]:
    return {"bell": Bell(getattr(request, "user", None))}
