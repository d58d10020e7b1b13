"""The photo page: the inspector draws, Internal Affairs blurs, with typed percentages (no
JavaScript needed); a wrong value is the form again with its message, never a 500."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from inspections import services
from inspections.models import EvidencePhoto
from tests.accounts import sign_in
from tests.inspections.test_photos import encode, photo_like


@pytest.fixture
def photo(inspection: Any, cast: Any) -> EvidencePhoto:
    data = encode(photo_like((400, 300)), "JPEG", quality=90)
    photo, _ = services.photo_attach(
        by=cast.inspector, inspection=inspection, data=data, criterion_code="A1"
    )
    return photo


def _client(user: Any) -> Client:
    return sign_in(user)  # with the second factor Internal Affairs needs


SHAPE = {"kind": "arrow", "x1": "10", "y1": "20", "x2": "50.5", "y2": "60", "label": "Ổ điện hở"}


def test_the_checklist_opens_the_photo_page_from_the_thumbnail(
    photo: EvidencePhoto, inspector_client: Client
) -> None:
    page = inspector_client.get(reverse("checklist", args=[photo.inspection_id])).content.decode()
    assert f'href="{reverse("photo", args=[photo.pk])}"' in page


def test_the_inspector_draws_an_arrow_by_percentages_and_removes_it(
    photo: EvidencePhoto, inspector_client: Client
) -> None:
    url = reverse("photo", args=[photo.pk])
    page = inspector_client.get(url).content.decode()
    assert 'data-overlay-form="shape"' in page and 'data-overlay-form="blur"' not in page
    assert "<script>" not in page and 'style="' not in page  # CSP: nothing inline
    added = inspector_client.post(reverse("photo-shape", args=[photo.pk]), SHAPE)
    assert added.status_code == 302 and added["Location"] == url
    photo.refresh_from_db()
    assert photo.annotations == [
        {"kind": "arrow", "x1": 0.1, "y1": 0.2, "x2": 0.505, "y2": 0.6, "label": "Ổ điện hở"}
    ]
    assert "Ổ điện hở" in inspector_client.get(url).content.decode()
    removed = inspector_client.post(reverse("photo-shape-remove", args=[photo.pk, 0]))
    assert removed.status_code == 302
    photo.refresh_from_db()
    assert photo.annotations == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"x1": "150"}, "100"),
        ({"x1": "abc"}, "số"),
        ({"kind": "square"}, "square"),
        ({"label": "x" * 61}, "60"),
        ({"label": "a\u200bb"}, "điều khiển"),
    ],
)
def test_a_wrong_value_shows_the_form_again_with_its_message(
    photo: EvidencePhoto, inspector_client: Client, change: dict[str, str], message: str
) -> None:
    response = inspector_client.post(reverse("photo-shape", args=[photo.pk]), {**SHAPE, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    photo.refresh_from_db()
    assert photo.annotations == []


def test_internal_affairs_blurs_a_region_and_takes_it_back(photo: EvidencePhoto, cast: Any) -> None:
    client = _client(cast.internal_affairs)
    page = client.get(reverse("photo", args=[photo.pk])).content.decode()
    assert 'data-overlay-form="blur"' in page and 'data-overlay-form="shape"' not in page
    region = {"x": "10", "y": "10", "w": "25", "h": "30"}
    assert client.post(reverse("photo-blur", args=[photo.pk]), region).status_code == 302
    photo.refresh_from_db()
    assert photo.blur_regions == [{"x": 0.1, "y": 0.1, "w": 0.25, "h": 0.3}]
    assert client.post(reverse("photo-blur-remove", args=[photo.pk, 0])).status_code == 302
    photo.refresh_from_db()
    assert photo.blur_regions == []
    too_wide = client.post(reverse("photo-blur", args=[photo.pk]), {**region, "x": "90"})
    assert too_wide.status_code == 400 and "vượt ra ngoài ảnh" in too_wide.content.decode()


def test_nobody_else_blurs_or_draws(
    photo: EvidencePhoto, cast: Any, inspector_client: Client
) -> None:
    region = {"x": "10", "y": "10", "w": "25", "h": "30"}
    assert inspector_client.post(reverse("photo-blur", args=[photo.pk]), region).status_code == 403
    ia = _client(cast.internal_affairs)
    assert ia.post(reverse("photo-shape", args=[photo.pk]), SHAPE).status_code == 403
    stranger = _client(cast.other_inspector)
    assert stranger.get(reverse("photo", args=[photo.pk])).status_code == 404
    assert stranger.post(reverse("photo-shape", args=[photo.pk]), SHAPE).status_code == 404
    photo.refresh_from_db()
    assert photo.annotations == [] and photo.blur_regions == []


def test_the_page_says_when_the_original_is_gone(photo: EvidencePhoto, cast: Any) -> None:
    from django.utils import timezone

    EvidencePhoto.objects.filter(pk=photo.pk).update(
        original="", original_deleted_at=timezone.now()
    )
    page = _client(cast.internal_affairs).get(reverse("photo", args=[photo.pk])).content.decode()
    assert "Ảnh gốc đã được xóa theo thời hạn lưu trữ" in page


def test_a_redrawn_photo_has_new_addresses_so_no_cache_shows_the_old_copy(
    photo: EvidencePhoto, cast: Any, inspector_client: Client
) -> None:
    from tests.api.conftest import client_for

    api = client_for(cast.inspector)
    thumbnail = reverse("api:photo-file", args=[photo.pk, "thumbnail"])
    before = api.get(thumbnail)["ETag"]
    inspector_client.post(reverse("photo-shape", args=[photo.pk]), SHAPE)
    photo.refresh_from_db()
    versioned = f"{thumbnail}?v={photo.copies_version}"
    assert photo.copies_version and api.get(versioned)["ETag"] != before
    checklist = inspector_client.get(reverse("checklist", args=[photo.inspection_id]))
    assert f'src="{versioned}"' in checklist.content.decode()
    offline = inspector_client.get(
        reverse("offline-manifest"), {"inspection": str(photo.inspection_id)}
    )
    assert offline.json()["thumbnails"] == [versioned]


def test_the_checklist_carries_what_its_drawing_dialog_needs_offline(
    photo: EvidencePhoto, cast: Any, inspector_client: Client
) -> None:
    services.photo_annotate(
        by=cast.inspector,
        photo=photo,
        annotations=[{"kind": "circle", "x1": 0.5, "y1": 0.5, "x2": 0.6, "y2": 0.5, "label": "Ổ"}],
    )
    page = inspector_client.get(reverse("checklist", args=[photo.inspection_id])).content.decode()
    api = reverse("api:photo-annotations", args=[photo.pk])
    assert f'data-annotate="{api}"' in page
    drawn = re.search(r'data-annotations="([^"]*)"', page)
    assert drawn is not None  # the keys' order is the database's (PostgreSQL sorts them)
    (shape,) = json.loads(html.unescape(drawn.group(1)))
    assert shape["kind"] == "circle" and shape["label"] == "Ổ" and shape["x1"] == 0.5
    assert "data-annotate-dialog" in page and "js/annotate.js" in page
    manifest = inspector_client.get(reverse("offline-manifest")).json()
    assert any(url.endswith("/js/annotate.js") for url in manifest["static"])
