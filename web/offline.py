"""Offline field mode: our service worker at the root scope, and what it keeps on the phone.

The worker's source is static/js/service-worker.js with its cache version filled in here: a
hash of the worker itself and of every static file the inspector's pages load, so a new
release installs a new cache and deletes the old one instead of mixing the two.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from inspections.policies import Viewer
from inspections.selectors import offline_inspection_ids, thumbnail_ids

WORKER = "js/service-worker.js"
# What the "Việc của tôi" and checklist pages load: precached with them.
STATIC_FILES = (
    "css/app.css",
    "js/sw-register.js",
    "js/logout.js",
    "js/answers.js",
    "js/queue.js",
    "js/offline-store.js",
    "js/checklist.js",
    "js/annotate.js",
    "js/signature.js",
    "js/files.js",
    "js/viewer.js",
)


def _read(name: str) -> bytes:
    found = finders.find(name)
    if not found or isinstance(found, list):
        raise Http404(name)
    return Path(found).read_bytes()


def cache_version() -> str:
    """Changes whenever the worker or any precached static file (or its URL) changes."""
    digest = hashlib.sha256(_read(WORKER))
    for name in STATIC_FILES:
        digest.update(staticfiles_storage.url(name).encode())
        digest.update(_read(name))
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    source = _read(WORKER).decode().replace("__CACHE_VERSION__", cache_version())
    response = HttpResponse(source, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # The browser must ask us every time, or a release could wait a day to reach phones.
    response["Cache-Control"] = "no-cache"
    return response


def offline_urls(user: Viewer, opened: Any = None) -> dict[str, list[str]]:
    """ "Việc của tôi" and every checklist this inspector can still edit; the thumbnails of
    `opened` only, when it is one of them: a phone fetches an inspection's photos when it is
    opened for field work, never every inspection's on its first visit.

    Two queries, whatever the number of inspections and photos.
    """
    inspections = offline_inspection_ids(user)
    kept = [pk for pk in inspections if pk == opened]
    return {
        "pages": [reverse("home")]
        + [reverse("checklist", args=[pk]) for pk in inspections]
        + [reverse("team", args=[pk]) for pk in inspections],
        "thumbnails": [
            reverse("api:photo-file", args=[pk, "thumbnail"]) + (f"?v={v}" if v else "")
            for pk, v in thumbnail_ids(kept)
        ]
        if kept
        else [],
    }


@require_GET
def offline_manifest(request: HttpRequest) -> JsonResponse:
    """?inspection=<id>: the checklist opened (static/js/sw-register.js), its thumbnails too."""
    opened = None
    raw = request.GET.get("inspection", "")
    if raw:
        try:
            opened = uuid.UUID(raw)
        except ValueError:
            message = _("Mã phiếu không hợp lệ.")
            return JsonResponse(
                {"detail": message, "code": "invalid", "errors": {"inspection": [message]}},
                status=400,
            )
    urls: dict[str, list[str]] = {"pages": [], "thumbnails": []}
    if request.user.is_authenticated:
        urls = offline_urls(request.user, opened)
    body = {
        "version": cache_version(),
        "static": [staticfiles_storage.url(name) for name in STATIC_FILES],
        **urls,
    }
    response = JsonResponse(body)
    response["Cache-Control"] = "no-cache, private"
    return response
