"""The service worker's own URL and the list of what it keeps for offline field work."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from inspections.models import Inspection
from inspections.services import inspection_create, inspection_submit
from tests.inspections.builders import answer_everything, assign, attach_evidence
from web import offline


def start(open_round: Any, unit: Any, inspector: Any, by: Any) -> Inspection:
    assign(open_round, unit, inspector, by=by)
    inspection, _created = inspection_create(by=inspector, round=open_round, unit=unit)
    return inspection


def test_the_worker_is_served_at_the_root_with_its_version_and_never_cached(
    client: Client,
) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert f'PREFIX + "{offline.cache_version()}"' in body
    assert "__CACHE_VERSION__" not in body


def test_the_version_changes_when_a_precached_file_changes(monkeypatch: Any) -> None:
    before = offline.cache_version()
    real = offline._read
    monkeypatch.setattr(
        offline, "_read", lambda name: real(name) + (b"/* 2 */" if name == "css/app.css" else b"")
    )
    assert offline.cache_version() != before


def test_the_manifest_lists_only_what_this_inspector_can_still_edit(
    open_round: Any, org: Any, cast: Any
) -> None:
    editable = start(open_round, org.ward, cast.inspector, cast.internal_affairs)
    attach_evidence(editable, cast.inspector, only=["A1"])
    done = start(open_round, org.tai_chinh, cast.inspector, cast.internal_affairs)
    answer_everything(done, cast.inspector)
    attach_evidence(done, cast.inspector)
    inspection_submit(by=cast.inspector, inspection=done)
    start(open_round, org.school, cast.other_inspector, cast.internal_affairs)

    client = Client()
    client.force_login(cast.inspector)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("offline-manifest")).json()
    # The checklist and its team page (signatures at the end of the visit, offline too).
    assert body["pages"] == [
        "/",
        reverse("checklist", args=[editable.pk]),
        reverse("team", args=[editable.pk]),
    ]
    # No thumbnail on a first visit: only those of the checklist opened (below).
    assert body["thumbnails"] == []
    assert "/static/js/checklist.js" in body["static"]
    assert "/static/js/signature.js" in body["static"]
    # session, user, profile and roles (the account's checks: epoch, two-factor), inspections,
    # photos
    assert len(queries) <= 6


def test_a_visitor_who_is_not_signed_in_gets_no_pages(client: Client) -> None:
    body = client.get(reverse("offline-manifest")).json()
    assert body["pages"] == [] and body["thumbnails"] == []


def test_the_thumbnails_come_with_the_checklist_opened_and_only_its_own(
    open_round: Any, org: Any, cast: Any
) -> None:
    editable = start(open_round, org.ward, cast.inspector, cast.internal_affairs)
    attach_evidence(editable, cast.inspector, only=["A1"])
    other = start(open_round, org.tai_chinh, cast.inspector, cast.internal_affairs)
    attach_evidence(other, cast.inspector, only=["A2"])
    theirs = start(open_round, org.school, cast.other_inspector, cast.internal_affairs)
    attach_evidence(theirs, cast.other_inspector, only=["A1"])

    client = Client()
    client.force_login(cast.inspector)
    url = reverse("offline-manifest")
    body = client.get(url, {"inspection": str(editable.pk)}).json()
    photo = editable.photos.get()
    assert body["thumbnails"] == [reverse("api:photo-file", args=[photo.pk, "thumbnail"])]
    assert reverse("checklist", args=[other.pk]) in body["pages"]
    # Another inspector's inspection is not this one's to keep.
    assert client.get(url, {"inspection": str(theirs.pk)}).json()["thumbnails"] == []


def test_a_malformed_inspection_id_is_refused_with_its_field(client: Client) -> None:
    response = client.get(reverse("offline-manifest"), {"inspection": "not-an-id"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["inspection"]
