"""What the product holds about one person, for their own download (Luật Bảo vệ dữ liệu cá nhân).

Each part is one query, read as it is written out: a person with thousands of photos or events
costs the same number of queries and no more memory than one with a few. Secrets never leave:
no password hash, no API token digest, no authenticator key, no recovery code.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from inspections.models import (
    ApiToken,
    Assignment,
    Event,
    EvidencePhoto,
    Notification,
    NotificationPreference,
    Profile,
    UserRole,
)
from inspections.policies import Actor

BATCH = 500
# Events that name a person in their data rather than as actor or target.
_NAMED_BY_ID = ("team_member_added", "team_member_removed")
_NAMED_BY_USERNAME = ("role_granted", "role_revoked")


@dataclass(frozen=True)
class PersonalPhoto:
    """One photo the person uploaded, with where it belongs and what is still kept of it."""

    id: Any
    owner: str  # "inspection", "action" or "commitment"
    inspection_id: Any
    unit_code: str
    unit_name: str
    round_name: str
    year: int | None
    criterion: str
    caption: str
    content_type: str
    original: str
    display: str
    sha256: str
    captured_at: datetime.datetime | None
    uploaded_at: datetime.datetime
    latitude: Decimal | None
    longitude: Decimal | None
    camera: str
    original_deleted_at: datetime.datetime | None


def account_facts(person: Actor) -> dict[str, Any]:
    """The account as the person would describe it; 2FA as on or off, never its key."""
    profile = Profile.objects.filter(user_id=person.pk).first()
    preferences = NotificationPreference.objects.filter(person_id=person.pk).order_by("category")
    return {
        "id": person.pk,
        "username": person.username,
        "full_name": profile.full_name if profile else "",
        "email": person.email,
        "phone": "",  # the product stores no telephone number
        "language": profile.language if profile else "",
        "is_active": person.is_active,
        "date_joined": person.date_joined,
        "last_login": person.last_login,
        "two_factor_enabled": bool(profile and profile.two_factor_enabled),
        "must_change_password": bool(profile and profile.must_change_password),
        "notification_preferences": {p.category: p.email for p in preferences},
    }


def roles_held(person: Actor) -> QuerySet[UserRole]:
    return UserRole.objects.filter(user_id=person.pk).select_related("unit").order_by("kind", "pk")


def photos_uploaded(person: Actor) -> Iterator[PersonalPhoto]:
    """Every photo or scan the person sent, whatever its owner, oldest first."""
    action = "action_response__action__"
    fields = (
        "pk",
        "inspection_id",
        "action_response_id",
        "commitment_id",
        "inspection__unit__code",
        "inspection__unit_name_snapshot",
        "inspection__round__name",
        "criterion__code",
        f"{action}inspection_id",
        f"{action}unit__code",
        f"{action}unit__name",
        f"{action}inspection__round__name",
        f"{action}criterion__code",
        "commitment__unit__code",
        "commitment__unit__name",
        "commitment__year",
        "caption",
        "content_type",
        "original",
        "display",
        "sha256",
        "captured_at",
        "uploaded_at",
        "latitude",
        "longitude",
        "camera",
        "original_deleted_at",
    )
    rows = EvidencePhoto.objects.filter(uploaded_by_id=person.pk).order_by("uploaded_at", "pk")
    for row in rows.values(*fields).iterator(chunk_size=BATCH):
        yield _photo(row, action)


def _photo(row: dict[str, Any], action: str) -> PersonalPhoto:
    if row["inspection_id"] is not None:
        owner, prefix = "inspection", "inspection__"
        inspection_id, unit_code = row["inspection_id"], row["inspection__unit__code"]
        unit_name, round_name = row["inspection__unit_name_snapshot"], row[f"{prefix}round__name"]
        criterion = row["criterion__code"] or ""
    elif row["action_response_id"] is not None:
        owner = "action"
        inspection_id, unit_code = row[f"{action}inspection_id"], row[f"{action}unit__code"]
        unit_name = row[f"{action}unit__name"]
        round_name = row[f"{action}inspection__round__name"]
        criterion = row[f"{action}criterion__code"] or ""
    else:
        owner, inspection_id, criterion, round_name = "commitment", None, "", ""
        unit_code, unit_name = row["commitment__unit__code"], row["commitment__unit__name"]
    return PersonalPhoto(
        id=row["pk"],
        owner=owner,
        inspection_id=inspection_id,
        unit_code=unit_code or "",
        unit_name=unit_name or "",
        round_name=round_name or "",
        year=row["commitment__year"],
        criterion=criterion,
        caption=row["caption"],
        content_type=row["content_type"],
        original=row["original"] or "",
        display=row["display"] or "",
        sha256=row["sha256"],
        captured_at=row["captured_at"],
        uploaded_at=row["uploaded_at"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        camera=row["camera"],
        original_deleted_at=row["original_deleted_at"],
    )


def events_naming(person: Actor) -> QuerySet[Event]:
    """Events the person did, or that were done to their account, their roles, their
    assignments or their place in an inspection team; oldest first."""
    assignments = (
        Assignment.objects.filter(inspector_id=person.pk)
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    condition = (
        Q(actor_id=person.pk)
        | Q(object_type="user", object_id=str(person.pk))
        | Q(object_type="assignment", object_id__in=assignments)
        | Q(action="assignment_removed", data__inspector=person.pk)
        | Q(action__in=_NAMED_BY_ID, data__user=person.pk)
        | Q(action__in=_NAMED_BY_USERNAME, data__user=person.username)
    )
    return Event.objects.filter(condition).order_by("at", "pk")


def notifications_received(person: Actor) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=person.pk).order_by("created_at", "pk")


def tokens_held(person: Actor) -> QuerySet[ApiToken]:
    """The person's API tokens: when made, used and due to expire; never the digest."""
    return (
        ApiToken.objects.filter(user_id=person.pk)
        .only("id", "device", "created", "expiry", "last_used", "user_id")
        .order_by("created")
    )
