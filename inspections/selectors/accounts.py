"""A user's own API tokens."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from inspections.models import ApiToken
from inspections.models.tokens import credentials_of
from inspections.policies import Actor


def live_tokens(*, user: Actor) -> QuerySet[ApiToken]:
    """The user's tokens that still work: not expired, issued under the present password,
    the most recently used first. One query."""
    return ApiToken.objects.filter(
        user=user, expiry__gt=timezone.now(), credentials__in=credentials_of(user)
    ).order_by("-last_used", "-created")
