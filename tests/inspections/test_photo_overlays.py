"""Blur and drawings on a photo: rendered on the copies from the original, which stays byte
for byte; after the original is purged a blur still lands on the display copy."""

from __future__ import annotations

import hashlib
import io
import random
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageChops, ImageDraw, ImageStat

from inspections import services
from inspections.errors import DomainError
from inspections.models import Event, EvidencePhoto
from inspections.photo_overlays import (
    MAX_SHAPES,
    Region,
    Shape,
    _font,
    clean_regions,
    clean_shapes,
    render_copies,
    upright_display,
)
from inspections.selectors.records import record_data
from tests.inspections.builders import assign
from tests.inspections.test_photos import encode, jpeg_with_exif


def busy_picture(size: tuple[int, int] = (800, 600), seed: int = 7) -> Image.Image:
    """Noise with dark text on light patches: fine detail that a blur must wipe out."""
    rng = random.Random(seed)
    image = Image.frombytes(
        "RGB", size, bytes(rng.randrange(256) for _ in range(size[0] * size[1] * 3))
    )
    draw = ImageDraw.Draw(image)
    for top in range(0, size[1], 40):
        draw.rectangle((40, top + 5, 360, top + 30), fill=(240, 240, 240))
        draw.text((50, top + 8), "NGUYEN VAN A 0123", fill=(0, 0, 0), font=_font(16))
    return image


def _decode(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def test_a_blurred_region_is_unreadable_and_the_rest_of_the_picture_unchanged() -> None:
    base = busy_picture()
    plain, _ = render_copies(base)
    region = Region(0.05, 0.1, 0.4, 0.5)
    blurred, thumbnail = render_copies(base, regions=[region])
    before, after = _decode(plain), _decode(blurred)
    inside = (40, 60, 360, 360)  # 0.05..0.45 × 0.1..0.6 of 800 × 600
    assert _mean_difference(before.crop(inside), after.crop(inside)) > 40
    # What is left of the text and the noise: almost flat (a readable patch has a wide spread).
    assert max(ImageStat.Stat(after.crop((56, 76, 344, 344))).stddev) < 25
    # Outside, away from the edge's JPEG blocks, the two copies are the same picture.
    for outside in [(400, 0, 800, 600), (0, 400, 800, 600)]:
        assert _mean_difference(before.crop(outside), after.crop(outside)) < 2
    assert max(_decode(thumbnail).size) == 320


def test_a_circle_an_arrow_and_a_vietnamese_label_are_drawn_in_red() -> None:
    base = Image.new("RGB", (800, 600), (128, 128, 128))
    shapes = [
        Shape("circle", 0.5, 0.5, 0.6, 0.5, "Bình chữa cháy hết hạn"),
        Shape("arrow", 0.1, 0.9, 0.3, 0.9, "Lối thoát hiểm"),
    ]
    display, _ = render_copies(base, shapes=shapes)
    picture = _decode(display)
    ring = picture.getpixel((400 + 78, 300))  # the circle's outline, 80 px from its centre
    shaft = picture.getpixel((160, 540))  # halfway along the arrow
    centre = picture.getpixel((400, 300))
    for red in (ring, shaft):
        assert red[0] > 170 and red[1] < 80 and red[2] < 80, red
    assert abs(centre[0] - 128) < 8  # inside the circle nothing is painted
    label_band = picture.crop((250, 385, 550, 430))  # under the circle: the label
    assert ImageStat.Stat(label_band).extrema[0][1] > 200  # red text with its white edge


def test_labels_use_a_font_with_vietnamese_letters() -> None:
    font = _font(20)
    path = str(getattr(font, "path", ""))
    assert "DejaVu" in path or "Liberation" in path
    # A real glyph for "ữ": wider than a missing-glyph box would leave the "u" alone.
    assert font.getbbox("ữ")[1] < font.getbbox("u")[1]


def test_the_original_is_read_upright_as_the_upload_was() -> None:
    sideways = jpeg_with_exif(Image.new("RGB", (400, 200), (10, 200, 10)), orientation=6)
    assert upright_display(sideways).size == (200, 400)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("circle", "danh sách"),
        ([{"kind": "square", "x1": 0, "y1": 0, "x2": 1, "y2": 1}], "circle"),
        ([{"kind": "arrow", "x1": 1.5, "y1": 0, "x2": 1, "y2": 1}], "x1"),
        ([{"kind": "arrow", "x1": "nan", "y1": 0, "x2": 1, "y2": 1}], "x1"),
        ([{"kind": "arrow", "x1": True, "y1": 0, "x2": 1, "y2": 1}], "x1"),
        ([{"kind": "arrow", "x1": 0, "y1": 0, "x2": 1, "y2": 1, "label": "a\x00b"}], "điều khiển"),
        ([{"kind": "arrow", "x1": 0, "y1": 0, "x2": 1, "y2": 1, "label": "x" * 61}], "60"),
        ([{"kind": "circle", "x1": 0, "y1": 0, "x2": 1, "y2": 1}] * (MAX_SHAPES + 1), "20"),
    ],
)
def test_bad_shapes_are_refused_with_a_message_on_the_field(raw: Any, message: str) -> None:
    with pytest.raises(DomainError) as refused:
        clean_shapes(raw)
    assert message in " ".join(refused.value.fields["annotations"])


@pytest.mark.parametrize(
    "raw",
    [
        [{"x": 0.9, "y": 0, "w": 0.2, "h": 0.1}],
        [{"x": 0, "y": 0, "w": 0, "h": 0.1}],
        [{"x": 0, "y": 0, "w": 0.1}],
        ["0,0,1,1"],
        {"x": 0},
    ],
)
def test_bad_regions_are_refused_with_a_message_on_the_field(raw: Any) -> None:
    with pytest.raises(DomainError) as refused:
        clean_regions(raw)
    assert refused.value.fields["regions"]


# --- Through the services, with stored files ---------------------------------------------------


@pytest.fixture
def photo(org: Any, cast: Any, open_round: Any) -> EvidencePhoto:
    assign(open_round, org.ward, cast.inspector, by=cast.internal_affairs)
    inspection, _ = services.inspection_create(by=cast.inspector, round=open_round, unit=org.ward)
    data = encode(busy_picture(), "JPEG", quality=92)
    photo, _ = services.photo_attach(
        by=cast.inspector, inspection=inspection, data=data, criterion_code="A1"
    )
    return photo


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return bytes(handle.read())


def test_drawing_and_blurring_keep_the_original_byte_for_byte(
    photo: EvidencePhoto, cast: Any, django_capture_on_commit_callbacks: Any
) -> None:
    original = _read(photo.original.name)
    old_display, old_thumb = photo.display.name, photo.thumbnail.name
    shapes = [{"kind": "circle", "x1": 0.7, "y1": 0.5, "x2": 0.8, "y2": 0.5, "label": "Ổ cắm"}]
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_annotate(by=cast.inspector, photo=photo, annotations=shapes)
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_blur(
            by=cast.internal_affairs,
            photo=photo,
            regions=[{"x": 0.05, "y": 0.1, "w": 0.4, "h": 0.5}],
        )
    photo.refresh_from_db()
    assert _read(photo.original.name) == original
    assert hashlib.sha256(_read(photo.original.name)).hexdigest() == photo.sha256
    assert photo.display.name not in (old_display, "") and photo.thumbnail.name != old_thumb
    assert not default_storage.exists(old_display) and not default_storage.exists(old_thumb)
    assert photo.annotations[0]["label"] == "Ổ cắm" and photo.blurred_by == cast.internal_affairs
    # The blur was rendered with the drawing kept: both are on the new copy.
    display = _decode(_read(photo.display.name))
    ring = [display.getpixel((x, 300)) for x in range(630, 646)]  # the outline near x = 640
    assert any(r > 150 and g < 90 and b < 90 for r, g, b in ring), ring
    actions = list(Event.objects.values_list("action", flat=True))
    assert "photo_annotated" in actions and "photo_blurred" in actions


def test_taking_a_blur_away_renders_again_from_the_original(
    photo: EvidencePhoto, cast: Any
) -> None:
    plain = _decode(_read(photo.display.name))
    region = [{"x": 0.05, "y": 0.1, "w": 0.4, "h": 0.5}]
    services.photo_blur(by=cast.internal_affairs, photo=photo, regions=region)
    photo.refresh_from_db()
    services.photo_blur(by=cast.internal_affairs, photo=photo, regions=[])
    photo.refresh_from_db()
    assert photo.blur_regions == []
    assert _mean_difference(plain, _decode(_read(photo.display.name))) < 1


def test_the_record_shows_the_rendered_copy(photo: EvidencePhoto, cast: Any) -> None:
    shapes = [{"kind": "arrow", "x1": 0.1, "y1": 0.1, "x2": 0.5, "y2": 0.5, "label": ""}]
    photo = services.photo_annotate(by=cast.inspector, photo=photo, annotations=shapes)
    assert photo.inspection is not None
    names = [p["thumbnail"] for p in record_data(photo.inspection)["photos"]]
    assert names == [photo.thumbnail.name]


def test_after_the_original_is_purged_a_blur_still_lands_and_cannot_be_taken_back(
    photo: EvidencePhoto, cast: Any
) -> None:
    default_storage.delete(photo.original.name)
    EvidencePhoto.objects.filter(pk=photo.pk).update(
        original="", original_deleted_at=timezone.now()
    )
    photo.refresh_from_db()
    before = _decode(_read(photo.display.name))
    region = [{"x": 0.05, "y": 0.1, "w": 0.4, "h": 0.5}]
    services.photo_blur(by=cast.internal_affairs, photo=photo, regions=region)
    photo.refresh_from_db()
    after = _decode(_read(photo.display.name))
    inside = (40, 60, 360, 360)
    assert _mean_difference(before.crop(inside), after.crop(inside)) > 40
    # A second JPEG generation of pure noise (the worst case) costs a few levels, no more.
    assert _mean_difference(before.crop((400, 0, 800, 600)), after.crop((400, 0, 800, 600))) < 6
    with pytest.raises(DomainError) as refused:
        services.photo_blur(by=cast.internal_affairs, photo=photo, regions=[])
    assert refused.value.code == "blur_irreversible"


def test_only_internal_affairs_blurs_and_only_the_inspector_draws(
    photo: EvidencePhoto, cast: Any
) -> None:
    region = [{"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2}]
    shapes = [{"kind": "arrow", "x1": 0.1, "y1": 0.1, "x2": 0.5, "y2": 0.5}]
    for user in (cast.inspector, cast.leader, cast.ward_office):
        with pytest.raises(DomainError):
            services.photo_blur(by=user, photo=photo, regions=region)
    for user in (cast.internal_affairs, cast.other_inspector, cast.ward_office):
        with pytest.raises(DomainError):
            services.photo_annotate(by=user, photo=photo, annotations=shapes)
    photo.refresh_from_db()
    assert photo.blur_regions == [] and photo.annotations == []
