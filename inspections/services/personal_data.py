"""A person downloads what the product holds about them: allowed to them alone, a few times
an hour (each download reads every photo they sent), and recorded."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from inspections import policies, ratelimits
from inspections.errors import DomainError, Problem, TooMany, wait_in_words
from inspections.policies import Actor
from inspections.services.audit import record_event

PERIOD = 3600


def personal_data_check(*, by: Actor, person: Actor) -> None:
    """May `by` have `person`'s data? Counts nothing: a HEAD asks this, not for a download."""
    if not policies.may_download_personal_data(by, person):
        raise DomainError(
            _("Chỉ chính người đó được tải dữ liệu cá nhân của mình."), problem=Problem.FORBIDDEN
        )


def personal_data_download(*, by: Actor, person: Actor) -> None:
    """Check and record one download of `person`'s data; the caller then streams it."""
    personal_data_check(by=by, person=person)
    limit = int(getattr(settings, "PERSONAL_DATA_DOWNLOADS_PER_HOUR", 10))
    if limit:
        verdict = ratelimits.hit("personal_data", str(person.pk), limit=limit, period=PERIOD)
        if not verdict.allowed:
            raise TooMany(
                _("Bạn đã tải dữ liệu cá nhân nhiều lần trong giờ qua. Hãy tải lại sau %(wait)s.")
                % {"wait": wait_in_words(verdict.wait)},
                wait=verdict.wait,
            )
    record_event(actor=by, action="personal_data_downloaded", target=person)
