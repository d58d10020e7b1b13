"""What makes the product an app on a phone's home screen: the web app manifest, its icons
(static/icons/, drawn once with Pillow) and /favicon.ico, which every browser asks for."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

NAME = "Công Sở Xanh"  # the product's name, in every language
THEME = "#1b5e20"  # the header's green (static/css/app.css, --green)
BACKGROUND = "#f6f7f6"  # the page's background (--bg): the splash screen while it opens
# (file, size, purpose): "any" for launchers that draw the icon as it is, "maskable" for
# those that cut it to their own shape (the drawing keeps to the middle 80 %).
ICONS = (
    ("icons/icon-192.png", 192, "any"),
    ("icons/icon-512.png", 512, "any"),
    ("icons/maskable-192.png", 192, "maskable"),
    ("icons/maskable-512.png", 512, "maskable"),
)
DAY = 24 * 3600


def manifest_data() -> dict[str, object]:
    return {
        "name": NAME,
        "short_name": NAME,
        "description": _("Kiểm tra, chấm điểm và xếp hạng phong trào “Cơ quan xanh”."),
        "lang": "vi",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [
            {
                "src": staticfiles_storage.url(name),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for name, size, purpose in ICONS
        ],
    }


@require_GET
def app_manifest(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(data=manifest_data(), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json; charset=utf-8"
    response["Cache-Control"] = f"public, max-age={DAY}"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    found = finders.find("icons/favicon.ico")
    if not found or isinstance(found, list):
        raise Http404("favicon.ico")
    response = HttpResponse(Path(found).read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = f"public, max-age={7 * DAY}"
    return response
