"""The Django admin: the IT officer's tool, and for now Internal Affairs' configuration work.

It is a door like the others: every write goes through a service (a refusal is shown on the
form and nothing is saved), and whatever no service writes is read-only here.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from inspections.admin import catalogue, org, rounds, users
from inspections.signin import AdminSignInForm

admin.site.site_header = _("Công Sở Xanh — quản trị")
admin.site.site_title = _("Công Sở Xanh")
admin.site.index_title = _("Cấu hình phong trào")
admin.site.login_form = AdminSignInForm

__all__ = ["catalogue", "org", "rounds", "users"]
