"""Accounts: API tokens per device, invitations, passwords and sessions of one person.

A token also dies by itself when its password changes or its user is deactivated (the check
is in api/authentication.py, on every request); tokens_revoke_all is what a password change,
a deactivation or "sign out everywhere" calls to remove the rows at once, with an audit event.
A password that someone else chose (an invitation's first one excepted) must be changed at
the next sign-in.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from inspections import authcache, mail, policies
from inspections.errors import DomainError, Problem
from inspections.models import ApiToken, Invitation, Profile
from inspections.models.tokens import credentials_of
from inspections.policies import Actor
from inspections.services.audit import record_event

# The session remembers the account's epoch at sign-in; a newer one means "signed out".
SESSION_EPOCH_KEY = "csx_session_epoch"


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
    _tokens_delete(ApiToken.objects.filter(pk__in=[t.pk for t in extra]))
    # Expired tokens of anyone, so the table stays as small as the people who use it.
    _tokens_delete(ApiToken.objects.filter(expiry__lte=now))
    return token, secret


def _tokens_delete(tokens: QuerySet[ApiToken]) -> int:
    """Delete these tokens, and forget them in the authentication cache at once."""
    authcache.forget_tokens(tokens.values_list("digest", flat=True))
    count, _deleted = tokens.delete()
    return count


@transaction.atomic
def token_revoke(*, token: ApiToken, by: Actor) -> None:
    """Revoke one token: its owner's own doing (the one in use, or a lost phone's)."""
    if token.user_id != by.pk:
        raise DomainError(
            _("Chỉ người dùng sở hữu mã truy cập được thu hồi nó."), problem=Problem.FORBIDDEN
        )
    record_event(actor=by, action="token_revoke", target=token.user, device=token.device)
    authcache.forget_tokens([token.digest])
    token.delete()


@transaction.atomic
def tokens_revoke_all(*, user: Actor, by: Actor) -> int:
    """Revoke every token of `user` ("sign out everywhere", a password change, a
    deactivation); returns how many there were."""
    count = _tokens_delete(ApiToken.objects.filter(user=user))
    record_event(actor=by, action="tokens_revoke_all", target=user, count=count)
    return count


def profile_of(user: Actor) -> Profile:
    """The person's profile, made on first need for accounts created outside the services."""
    profile, _created = Profile.objects.get_or_create(
        user=user, defaults={"full_name": user.get_full_name() or user.username}
    )
    return profile


@transaction.atomic
def sessions_end_all(*, user: Actor, by: Actor | None = None) -> int:
    """Sign the person out everywhere: every session (this one too) and every API token."""
    profile = Profile.objects.select_for_update().get(pk=profile_of(user).pk)
    profile.session_epoch += 1
    profile.save(update_fields=["session_epoch"])
    authcache.forget_person(user.pk)
    tokens_revoke_all(user=user, by=by or user)
    record_event(actor=by or user, action="sessions_ended", target=user)
    return profile.session_epoch


def _validated(password: str, user: Actor, field: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as invalid:
        raise DomainError(
            _("Mật khẩu chưa đạt yêu cầu."), fields={field: list(invalid.messages)}
        ) from None


def _store_password(user: Actor, password: str, *, must_change: bool) -> int:
    """Set the password, end other sessions and tokens; returns the new session epoch."""
    user.set_password(password)
    user.save(update_fields=["password"])
    profile = Profile.objects.select_for_update().get(pk=profile_of(user).pk)
    profile.must_change_password = must_change
    profile.session_epoch += 1
    profile.save(update_fields=["must_change_password", "session_epoch"])
    authcache.forget_person(user.pk)
    tokens_revoke_all(user=user, by=user)
    return profile.session_epoch


@transaction.atomic
def password_change(*, user: Actor, old_password: str | None, new_password: str) -> int:
    """The person changes their own password (the old one is asked unless a reset link
    stands for it); returns the session epoch the current session should carry on with."""
    if old_password is not None and not user.check_password(old_password):
        raise DomainError(
            _("Mật khẩu hiện tại không đúng."),
            fields={"old_password": [_("Mật khẩu hiện tại không đúng.")]},
        )
    _validated(new_password, user, "new_password1")
    epoch = _store_password(user, new_password, must_change=False)
    record_event(actor=user, action="password_changed", target=user)
    return epoch


@transaction.atomic
def password_set_by_admin(*, by: Actor, user: Actor, password: str) -> None:
    """The IT officer (or Internal Affairs for its people) chooses a temporary password."""
    if not (by.is_superuser or policies.may_manage_person(by, user)):
        raise DomainError(
            _("Bạn không được đặt mật khẩu cho người này."), problem=Problem.FORBIDDEN
        )
    _validated(password, user, "password1")
    _store_password(user, password, must_change=True)
    record_event(actor=by, action="password_set_by_admin", target=user)


# --- Invitations -------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("invitation", args=[token])


@transaction.atomic
def invitation_send(*, by: Actor, user: Actor, email: bool = True) -> str:
    """A new one-time link to set a first password (older links stop working); e-mailed
    after the commit when the person has an address. Returns the token, for a printed sheet."""
    if not policies.may_manage_person(by, user):
        raise DomainError(_("Bạn không được mời người này."), problem=Problem.FORBIDDEN)
    if not user.is_active:
        raise DomainError(_("Tài khoản này đang bị khóa."), problem=Problem.WRONG_STATE)
    if user.has_usable_password() and not profile_of(user).must_change_password:
        raise DomainError(
            _("Người này đã tự đặt mật khẩu: hãy dùng “Quên mật khẩu” nếu cần."),
            problem=Problem.WRONG_STATE,
            code="already_active",
        )
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at=None, revoked_at=None).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_hash=_digest(token),
        expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
        invited_by=by,
    )
    record_event(
        actor=by, action="invitation_sent", target=user, by_email=bool(email and user.email)
    )
    if email and user.email:
        context = _invitation_context(user, invitation, token)
        transaction.on_commit(
            lambda: mail.send_to_person(person=user, template="invitation", context=context)
        )
    return token


def _invitation_context(user: Actor, invitation: Invitation, token: str) -> dict[str, Any]:
    expires = timezone.localtime(invitation.expires_at)
    return {
        "username": user.username,
        "link": invitation_link(token),
        "expires": formats.date_format(expires, "d/m/Y"),
    }


def invitation_for(token: str, *, lock: bool = False) -> Invitation:
    """The live invitation of this token, or a refusal that says why it no longer works."""
    rows = Invitation.objects.select_related("user", "user__profile")
    if lock:
        rows = rows.select_for_update(of=("self",))  # the profile join is outer
    invitation = rows.filter(token_hash=_digest(token)).first()
    if invitation is None:
        raise DomainError(
            _("Liên kết mời này không đúng."), problem=Problem.NOT_FOUND, code="invitation_unknown"
        )
    if invitation.used_at is not None:
        raise DomainError(
            _("Liên kết mời này đã được dùng. Hãy đăng nhập bằng mật khẩu đã đặt."),
            problem=Problem.WRONG_STATE,
            code="invitation_used",
        )
    if invitation.revoked_at is not None or invitation.expires_at <= timezone.now():
        raise DomainError(
            _("Liên kết mời này đã hết hạn. Hãy nhờ Phòng Nội vụ gửi lại lời mời."),
            problem=Problem.WRONG_STATE,
            code="invitation_expired",
        )
    if not invitation.user.is_active:
        raise DomainError(_("Tài khoản này đang bị khóa."), problem=Problem.WRONG_STATE)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> Actor:
    """The invited person sets their password; the link works once."""
    invitation = invitation_for(token, lock=True)
    user = invitation.user
    _validated(password, user, "new_password1")
    _store_password(user, password, must_change=False)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record_event(actor=user, action="invitation_accepted", target=user)
    return user
