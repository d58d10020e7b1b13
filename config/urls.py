from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),
    path("admin/", admin.site.urls),
    path("", include("web.urls")),
]

# Error pages in the site's layout and the reader's language (with DEBUG off).
handler400 = "web.errors.bad_request"
handler403 = "web.errors.permission_denied"
handler404 = "web.errors.page_not_found"
handler500 = "web.errors.server_error"
