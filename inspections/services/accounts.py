"""Accounts' API tokens: issued per device, revoked one at a time or all at once.

A token also dies by itself when its password changes or its user is deactivated (the check
is in api/authentication.py, on every request); tokens_revoke_all is what a password change,
a deactivation or "sign out everywhere" calls to remove the rows at once, with an audit event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.errors import DomainError, Problem
from inspections.models import ApiToken
from inspections.models.tokens import credentials_of
from inspections.policies import Actor
from inspections.services.audit import record_event


@transaction.atomic
def token_issue(*, user: Actor, device: str = "") -> tuple[ApiToken, str]:
    """A new token for one device, and its secret (shown once, stored only as a hash). Past
    API_TOKENS_PER_USER live tokens, the least recently used go; expired ones are cleared."""
    now = timezone.now()
    token: ApiToken
    secret: str
    token, secret = ApiToken.objects.create(  # type: ignore[no-untyped-call]
        user=user,
        device=device[: ApiToken._meta.get_field("device").max_length or 100],
        last_used=now,
        credentials=credentials_of(user)[0],
    )
    keep = settings.API_TOKENS_PER_USER
    extra = ApiToken.objects.filter(user=user).order_by("-last_used", "-created")[keep:]
    ApiToken.objects.filter(pk__in=[t.pk for t in extra]).delete()
    # Expired tokens of anyone, so the table stays as small as the people who use it.
    ApiToken.objects.filter(expiry__lte=now).delete()
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, by: Actor) -> None:
    """Revoke one token: its owner's own doing (the one in use, or a lost phone's)."""
    if token.user_id != by.pk:
        raise DomainError(
            _("Chỉ người dùng sở hữu mã truy cập được thu hồi nó."), problem=Problem.FORBIDDEN
        )
    record_event(actor=by, action="token_revoke", target=token.user, device=token.device)
    token.delete()


@transaction.atomic
def tokens_revoke_all(*, user: Actor, by: Actor) -> int:
    """Revoke every token of `user` ("sign out everywhere", a password change, a
    deactivation); returns how many there were."""
    count, _deleted = ApiToken.objects.filter(user=user).delete()
    record_event(actor=by, action="tokens_revoke_all", target=user, count=count)
    return count
