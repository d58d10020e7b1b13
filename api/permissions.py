"""Who may call what; which rows each user may know about lives in inspections.visibility."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from inspections import access
from inspections.models import RoleKind


class WritesNeedAWritingRole(BasePermission):
    """Leaders read everything and write nothing; a user with no role writes nothing either."""

    message = _("Vai trò của bạn chỉ được xem, không được thay đổi dữ liệu.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        return any(role.kind != RoleKind.LEADER for role in access.roles_of(user))


class InternalAffairsOnly(BasePermission):
    message = _("Chỉ Phòng Nội vụ được thực hiện thao tác này.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and access.is_internal_affairs(request.user))
