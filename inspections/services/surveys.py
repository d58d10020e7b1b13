"""The citizens' survey: desks and their posters, answers from the public page, and the
moderation of comments. Every write of the subject, whatever the door."""

from __future__ import annotations

import datetime
import logging
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from inspections import policies
from inspections.errors import DomainError, Problem, TooMany, wait_in_words
from inspections.models import OrgUnit, SurveyBurst, SurveyPoint, SurveyResponse
from inspections.policies import Actor
from inspections.ratelimits import hit
from inspections.services.audit import record_event

logger = logging.getLogger(__name__)

SURVEY_RATE_PERIOD = 3600  # SURVEY_RATE_PER_ADDRESS counts answers per hour
COMMENT_MAX = 500
DESK_MAX = 120
REASON_MAX = 300


def _forbidden() -> DomainError:
    return DomainError(
        _("Bạn không có quyền quản lý điểm khảo sát của đơn vị này."), problem=Problem.FORBIDDEN
    )


@transaction.atomic
def survey_point_create(*, by: Actor, unit: OrgUnit, desk: str) -> SurveyPoint:
    if not policies.may_manage_survey_points(by, unit):
        raise _forbidden()
    name = " ".join(desk.split())
    if not name:
        raise DomainError(_("Hãy nhập tên quầy."), fields={"desk": [_("Hãy nhập tên quầy.")]})
    if len(name) > DESK_MAX:
        message = _("Tên quầy dài quá %(n)s ký tự.") % {"n": DESK_MAX}
        raise DomainError(message, fields={"desk": [message]})
    # Compared in Python: SQLite folds the case of ASCII letters only ("MỘT" ≠ "một").
    taken = SurveyPoint.objects.filter(unit=unit).values_list("desk", flat=True)
    if name.casefold() in {desk.casefold() for desk in taken}:
        message = _("Đơn vị đã có điểm khảo sát “%(desk)s”.") % {"desk": name}
        raise DomainError(message, problem=Problem.WRONG_STATE, fields={"desk": [message]})
    try:
        with transaction.atomic():
            point = SurveyPoint.objects.create(unit=unit, desk=name, created_by=by)
    except IntegrityError:  # the same name, created at the same moment by someone else
        message = _("Đơn vị đã có điểm khảo sát “%(desk)s”.") % {"desk": name}
        raise DomainError(
            message, problem=Problem.WRONG_STATE, fields={"desk": [message]}
        ) from None
    record_event(actor=by, action="survey_point_created", target=point, unit=unit.code, desk=name)
    return point


@transaction.atomic
def survey_point_set_active(*, by: Actor, point: SurveyPoint, active: bool) -> bool:
    """Open or close a desk's page; says whether anything changed."""
    if not policies.may_manage_survey_points(by, point.unit):
        raise _forbidden()
    if point.active == active:
        return False
    point.active = active
    point.save(update_fields=["active"])
    record_event(actor=by, action="survey_point_active", target=point, active=active)
    return True


# --- Answers from the public page -------------------------------------------------------------


@dataclass(frozen=True)
class SurveyAnswers:
    satisfaction: int
    on_time: bool
    attitude: int
    comment: str = ""


@dataclass(frozen=True)
class Submission:
    response: SurveyResponse | None  # None: refused by the rate limit, nothing stored
    refused: TooMany | None = None  # why, and when to come back: the page shows it


def address_hash(address: str | None, day: datetime.date) -> str:
    """The sender's address, unreadable and salted per day: two answers of one phone on one
    day can be told apart, never linked across days nor turned back into an address."""
    return salted_hmac(
        f"inspections.surveys.address.{day.isoformat()}",
        address or "unknown",
        algorithm="sha256",
    ).hexdigest()


def survey_submit(
    *,
    point: SurveyPoint,
    answers: SurveyAnswers,
    address: str | None,
    repeat: bool,
    now: datetime.datetime | None = None,
) -> Submission:
    """Store one citizen's answers. Past SURVEY_RATE_PER_ADDRESS an hour from one address at
    one desk, nothing is stored and the burst is flagged; a browser that answered this desk
    recently (`repeat`, from its signed cookie) is stored but not counted in the rate."""
    if not point.active:
        raise DomainError(
            _("Điểm khảo sát này đã ngừng nhận ý kiến."),
            problem=Problem.NOT_FOUND,
            code="survey_closed",
        )
    _check(answers)
    now = now or timezone.now()
    day = timezone.localdate(now)
    hashed = address_hash(address, day)
    verdict = hit(
        f"survey:{point.pk}",
        hashed,
        limit=settings.SURVEY_RATE_PER_ADDRESS,
        period=SURVEY_RATE_PERIOD,
    )
    if not verdict.allowed:
        _flag_burst(point, day, hashed, now)
        message = _(
            "Có quá nhiều ý kiến được gửi từ cùng một mạng trong thời gian ngắn. Ý kiến này chưa"
            " được ghi nhận; xin ông/bà gửi lại sau %(wait)s."
        ) % {"wait": wait_in_words(verdict.wait)}
        return Submission(None, TooMany(message, wait=verdict.wait))
    comment = " ".join(answers.comment.split())[:COMMENT_MAX]
    held = comment_screen(comment) if comment else ""
    status = SurveyResponse.Comment.NONE
    if comment:
        status = SurveyResponse.Comment.HELD if held else SurveyResponse.Comment.SHOWN
    response = SurveyResponse.objects.create(
        point=point,
        submitted_at=now,
        satisfaction=answers.satisfaction,
        on_time=answers.on_time,
        attitude=answers.attitude,
        comment=comment,
        comment_status=status,
        held_because=held,
        address_hash=hashed,
        counted=not repeat,
    )
    return Submission(response)


def _check(answers: SurveyAnswers) -> None:
    fields: dict[str, list[str]] = {}
    if answers.satisfaction not in SurveyResponse.Satisfaction.values:
        fields["satisfaction"] = [_("Hãy chọn một mức hài lòng.")]
    if answers.attitude not in SurveyResponse.Attitude.values:
        fields["attitude"] = [_("Hãy chọn một nhận xét về thái độ phục vụ.")]
    if fields:
        raise DomainError(_("Phiếu chưa trả lời đủ."), fields=fields)


def _flag_burst(
    point: SurveyPoint, day: datetime.date, hashed: str, now: datetime.datetime
) -> None:
    updated = SurveyBurst.objects.filter(point=point, day=day, address_hash=hashed).update(
        refused=F("refused") + 1, last_at=now
    )
    if not updated:
        try:
            with transaction.atomic():
                SurveyBurst.objects.create(
                    point=point, day=day, address_hash=hashed, refused=1, first_at=now, last_at=now
                )
        except IntegrityError:  # a parallel refusal created it first
            SurveyBurst.objects.filter(point=point, day=day, address_hash=hashed).update(
                refused=F("refused") + 1, last_at=now
            )
    logger.warning("Survey answers refused: a burst at survey point %s", point.pk)


# --- Comments ---------------------------------------------------------------------------------

# Words no public servant should have to read, written as people type them (with and without
# their marks); a comment using one is held until someone looks at it, never lost.
_RUDE = (
    "địt",
    "đụ",
    "lồn",
    "cặc",
    "buồi",
    "đéo",
    "đĩ",
    "vcl",
    "vkl",
    "vl",
    "dm",
    "đm",
    "dmm",
    "đmm",
    "dkm",
    "đkm",
    "clgt",
    "cmm",
)
_WORD = re.compile(r"\w+")
_LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|vn|net|org|info|xyz)\b)", re.IGNORECASE)
_PHONE = re.compile(r"(?<!\d)(\+?84|0)[\s.-]?\d{2,3}([\s.-]?\d{3}){2}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_SHOUT = re.compile(r"(.)\1{9,}")


def comment_screen(text: str) -> str:
    """Why a comment should wait for a person before the office reads it ("" when it need not):
    rude words, a link, a phone number or an e-mail address (personal data), or noise."""
    folded = unicodedata.normalize("NFC", text.lower())
    words = set(_WORD.findall(folded))
    if words & set(_RUDE):
        return _("Có từ ngữ thiếu lịch sự")
    if _LINK.search(folded):
        return _("Có đường dẫn")
    if _PHONE.search(folded) or _EMAIL.search(folded):
        return _("Có số điện thoại hoặc thư điện tử")
    if _SHOUT.search(folded):
        return _("Có chuỗi ký tự lặp lại")
    return ""


@transaction.atomic
def survey_comment_hide(*, by: Actor, response: SurveyResponse, reason: str) -> None:
    if not policies.may_moderate_comments(by, response.point):
        raise _forbidden()
    held = response.comment_status == SurveyResponse.Comment.HELD
    if held and not policies.may_release_comments(by):
        raise _forbidden()
    reason = " ".join(reason.split())
    if not reason:
        message = _("Hãy ghi lý do ẩn góp ý.")
        raise DomainError(message, fields={"reason": [message]})
    if len(reason) > REASON_MAX:
        message = _("Lý do dài quá %(n)s ký tự.") % {"n": REASON_MAX}
        raise DomainError(message, fields={"reason": [message]})
    if response.comment_status in (SurveyResponse.Comment.NONE, SurveyResponse.Comment.HIDDEN):
        raise DomainError(
            _("Góp ý này không còn để ẩn."), problem=Problem.WRONG_STATE, code="not_shown"
        )
    response.comment_status = SurveyResponse.Comment.HIDDEN
    response.hidden_reason = reason
    response.hidden_by = by
    response.hidden_at = timezone.now()
    response.save(update_fields=["comment_status", "hidden_reason", "hidden_by", "hidden_at"])
    record_event(actor=by, action="survey_comment_hidden", target=response, reason=reason)


@transaction.atomic
def survey_comment_release(*, by: Actor, response: SurveyResponse) -> None:
    """A held comment, read by a person and found fit: the office may read it."""
    if not policies.may_release_comments(by):
        raise _forbidden()
    if response.comment_status != SurveyResponse.Comment.HELD:
        raise DomainError(
            _("Góp ý này không chờ xem xét."), problem=Problem.WRONG_STATE, code="not_held"
        )
    response.comment_status = SurveyResponse.Comment.SHOWN
    response.save(update_fields=["comment_status"])
    record_event(actor=by, action="survey_comment_released", target=response)
