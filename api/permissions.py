"""DRF's door to inspections.policies, which decides who may do what."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from inspections import policies


class WritesNeedAWritingRole(BasePermission):
    """Leaders read everything and write nothing; a user with no role writes nothing either."""

    message = _("Vai trò của bạn chỉ được xem, không được thay đổi dữ liệu.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        return policies.writes_anything(user)
