"""The citizens' satisfaction survey at a one-stop desk (chỉ số D2), and the abuse it refuses.

No personal data is kept: a response carries the answers, the time and a hash of the
sender's address salted per day (so two answers of one phone can be told apart on that day
and never linked across days), nothing else.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from inspections.models.org import OrgUnit


def new_survey_token() -> str:
    # The public address of a desk's page: unguessable, so nobody answers for a desk unseen.
    return secrets.token_urlsafe(9)


class SurveyPoint(models.Model):
    """Điểm khảo sát: one desk of one unit, with its printed QR poster."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="survey_points", verbose_name=_("đơn vị")
    )
    desk = models.CharField(_("quầy, bộ phận"), max_length=120)
    token = models.CharField(max_length=20, unique=True, default=new_survey_token, editable=False)
    active = models.BooleanField(_("đang nhận ý kiến"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["unit__name", "desk", "id"]
        verbose_name = _("điểm khảo sát")
        verbose_name_plural = _("điểm khảo sát")
        constraints = [
            models.UniqueConstraint(fields=["unit", "desk"], name="survey_point_one_desk_name"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.desk}"


class SurveyResponse(models.Model):
    """One citizen's answers. `counted` is False for a repeat from the same browser."""

    class Satisfaction(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Rất hài lòng")
        SATISFIED = 4, _("Hài lòng")
        NEUTRAL = 3, _("Bình thường")
        DISSATISFIED = 2, _("Không hài lòng")
        VERY_DISSATISFIED = 1, _("Rất không hài lòng")

    class Attitude(models.IntegerChoices):
        COURTEOUS = 3, _("Lịch sự, tận tình")
        ACCEPTABLE = 2, _("Bình thường")
        DISCOURTEOUS = 1, _("Chưa lịch sự, thiếu tận tình")

    class Comment(models.TextChoices):
        NONE = "", _("Không có góp ý")
        SHOWN = "shown", _("Hiển thị")
        HELD = "held", _("Chờ xem xét")
        HIDDEN = "hidden", _("Đã ẩn")

    point = models.ForeignKey(SurveyPoint, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField(db_index=True)
    satisfaction = models.PositiveSmallIntegerField(choices=Satisfaction.choices)
    on_time = models.BooleanField()
    attitude = models.PositiveSmallIntegerField(choices=Attitude.choices)
    comment = models.TextField(blank=True)
    comment_status = models.CharField(
        max_length=10, choices=Comment.choices, default=Comment.NONE, blank=True
    )
    held_because = models.CharField(max_length=200, blank=True)
    hidden_reason = models.CharField(_("lý do ẩn"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    address_hash = models.CharField(max_length=64)
    counted = models.BooleanField(default=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("ý kiến khảo sát")
        verbose_name_plural = _("ý kiến khảo sát")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5),
                name="survey_satisfaction_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(attitude__gte=1, attitude__lte=3), name="survey_attitude_1_to_3"
            ),
        ]
        indexes = [models.Index(fields=["point", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.point} — {self.submitted_at:%d/%m/%Y %H:%M}"

    @property
    def satisfied(self) -> bool:
        return self.satisfaction >= self.Satisfaction.SATISFIED


class SurveyBurst(models.Model):
    """Answers refused by the rate limit, per desk, day and (hashed) address: the flag
    Internal Affairs sees. A refused answer is never stored, so it is never counted."""

    point = models.ForeignKey(SurveyPoint, on_delete=models.PROTECT, related_name="bursts")
    day = models.DateField()
    address_hash = models.CharField(max_length=64)
    refused = models.PositiveIntegerField(default=0)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "-refused"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "day", "address_hash"], name="survey_burst_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} — {self.day:%d/%m/%Y}: {self.refused}"
