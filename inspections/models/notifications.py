"""Notifications: what each person is told, how they want it by e-mail, and the outbox.

A service that changes something writes its `Notification` rows (and, for e-mail at once,
their `OutgoingEmail`) in its own transaction: a rolled-back change tells nobody, and the
unique (recipient, key) pair means a replayed request never tells anyone twice. Workers
deliver the outbox at least once, each message under a `Message-ID` fixed when it was written.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    ASSIGNMENTS = "assignments", _("Phân công và đợt kiểm tra")
    RETURNED = "returned", _("Phiếu bị trả lại")
    REVIEWS = "reviews", _("Phiếu được duyệt hoặc điều chỉnh")
    RESULTS = "results", _("Kết quả của đơn vị và bảng xếp hạng")
    ACTIONS = "actions", _("Yêu cầu khắc phục mới và sắp đến hạn")
    OVERDUE = "overdue", _("Yêu cầu khắc phục quá hạn")
    FOLLOW_UP = "follow_up", _("Báo cáo và xác nhận khắc phục")
    COMMITMENTS = "commitments", _("Bản cam kết hằng năm")
    EXPORTS = "exports", _("Tệp xuất dữ liệu")


# A returned inspection and an overdue action always reach the mailbox (at once or in the
# digest): the person cannot turn them down to "in the product only".
MANDATORY_CATEGORIES = frozenset({Category.RETURNED, Category.OVERDUE})


class EmailChoice(models.TextChoices):
    AT_ONCE = "at_once", _("E-mail ngay")
    DIGEST = "digest", _("Gộp vào thư tổng hợp hằng ngày")
    PRODUCT = "product", _("Chỉ trong ứng dụng")


class NotificationPreference(models.Model):
    """A person's choice for one category; no row means e-mail at once."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    category = models.CharField(_("loại thông báo"), max_length=20, choices=Category.choices)
    email = models.CharField(_("nhận e-mail"), max_length=10, choices=EmailChoice.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lựa chọn nhận thông báo")
        verbose_name_plural = _("lựa chọn nhận thông báo")
        constraints = [
            models.UniqueConstraint(fields=["person", "category"], name="preference_unique"),
            models.CheckConstraint(
                condition=~Q(category__in=sorted(MANDATORY_CATEGORIES), email="product"),
                name="preference_mandatory_reaches_mail",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.category}: {self.email}"


class OutgoingEmail(models.Model):
    """The outbox: one message to deliver (one notification, or one day's digest)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # "notification:<id>" or "digest:<person>:<local date>": one message per thing to say.
    key = models.CharField(max_length=200, unique=True)
    is_digest = models.BooleanField(default=False)
    # Fixed when the row is written: a resend after a crash carries the same one.
    message_id = models.CharField(max_length=200, unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A worker's claim: the row is its own until then (a killed worker's claim runs out).
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("lúc gửi"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thư đi")
        verbose_name_plural = _("thư đi")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class Notification(models.Model):
    """One thing one person is told, shown in the product whatever their e-mail choice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=40)
    category = models.CharField(_("nhóm"), max_length=20, choices=Category.choices)
    # What happened, e.g. "inspection_returned:<id>:<submitted at>": unique per recipient.
    key = models.CharField(max_length=200)
    # The facts the message is written from, in the reader's language when it is read.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    email_choice = models.CharField(max_length=10, choices=EmailChoice.choices)
    email = models.ForeignKey(
        OutgoingEmail,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.key}"


class ExportJob(models.Model):
    """A long export a person waits for on a page; its file is deleted after a while."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Không tạo được")
        EXPIRED = "expired", _("Đã hết hạn lưu")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("loại"), max_length=30)
    params = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    file = models.FileField(max_length=200, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tệp xuất")
        verbose_name_plural = _("tệp xuất")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.params} ({self.status})"
