"""The inspection team, the unit's people present and the signatures at the visit."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import policies
from inspections.errors import DomainError, Problem
from inspections.models import Inspection, Representative, Signature, TeamMember, display_name
from inspections.policies import Actor
from inspections.selectors.records import answers_hash
from inspections.services.audit import record_event
from inspections.services.records import record_content_changed

# The drawing box of a signature (the phone scales its canvas to it) and its limits.
SIGNATURE_WIDTH, SIGNATURE_HEIGHT = 600, 200
MAX_STROKES, MAX_POINTS = 200, 8000
NAME_LENGTH = 120
# A phone's clock may be off; a signing time further than this from ours is not believed.
CLOCK_SLACK = datetime.timedelta(days=2)


def _lock(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().select_related("unit").get(pk=inspection.pk)


def _forbidden(message: str) -> DomainError:
    return DomainError(message, problem=Problem.FORBIDDEN)


def _require_team_manager(inspection: Inspection, by: Actor) -> None:
    if not policies.may_manage_team(by, inspection):
        if policies.is_inspector_of(by, inspection) or policies.is_internal_affairs(by):
            raise DomainError(
                _("Phiếu đang ở trạng thái “%(state)s”: không sửa được đoàn kiểm tra.")
                % {"state": inspection.get_state_display()},
                problem=Problem.WRONG_STATE,
            )
        raise _forbidden(_("Chỉ trưởng đoàn hoặc Phòng Nội vụ được sửa đoàn kiểm tra."))


@transaction.atomic
def team_member_add(*, by: Actor, inspection: Inspection, user_id: int) -> TeamMember:
    """Add an inspector to the team (the same person again is a no-op)."""
    inspection = _lock(inspection)
    _require_team_manager(inspection, by)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise DomainError(
            _("Không có người dùng này."), fields={"user": [_("Không có người dùng này.")]}
        )
    existing = TeamMember.objects.filter(inspection=inspection, user=user).first()
    if existing is not None:
        return existing
    if not policies.may_join_team(user, inspection):
        raise DomainError(
            _("Người này không thể tham gia đoàn kiểm tra đơn vị này."),
            fields={
                "user": [
                    _(
                        "Thành viên đoàn phải là cán bộ kiểm tra, không thuộc đơn vị được kiểm "
                        "tra hay đơn vị cấp trên của nó, và không phải trưởng đoàn."
                    )
                ]
            },
        )
    member = TeamMember.objects.create(inspection=inspection, user=user, added_by=by)
    record_event(actor=by, action="team_member_added", target=inspection, user=user.pk)
    record_content_changed(inspection)
    return member


@transaction.atomic
def team_member_remove(*, by: Actor, inspection: Inspection, user_id: int) -> None:
    inspection = _lock(inspection)
    _require_team_manager(inspection, by)
    deleted, _rows = TeamMember.objects.filter(inspection=inspection, user_id=user_id).delete()
    if deleted:
        record_event(actor=by, action="team_member_removed", target=inspection, user=user_id)
        record_content_changed(inspection)


@transaction.atomic
def team_note_set(*, by: Actor, inspection: Inspection, note: str) -> TeamMember:
    """A member's own note on the visit (members never write answers or answer notes)."""
    inspection = _lock(inspection)
    member = TeamMember.objects.filter(inspection=inspection, user_id=by.pk).first()
    if member is None:
        raise _forbidden(_("Chỉ thành viên đoàn kiểm tra được ghi ý kiến của đoàn."))
    if not inspection.is_editable:
        raise DomainError(_("Phiếu đã nộp: không sửa được ý kiến."), problem=Problem.WRONG_STATE)
    text = note.strip()
    if len(text) > 2000:
        raise DomainError(_("Ý kiến quá dài."), fields={"note": [_("Tối đa 2000 ký tự.")]})
    if member.note != text:
        member.note = text
        member.save(update_fields=["note"])
        record_event(actor=by, action="team_note_set", target=inspection, note=text)
    return member


def _person(name: str, position: str) -> tuple[str, str]:
    problems: dict[str, list[str]] = {}
    name, position = " ".join(name.split()), " ".join(position.split())
    if not name:
        problems["name"] = [_("Hãy nhập họ và tên.")]
    elif len(name) > NAME_LENGTH:
        problems["name"] = [_("Tối đa %(count)d ký tự.") % {"count": NAME_LENGTH}]
    if len(position) > NAME_LENGTH:
        problems["position"] = [_("Tối đa %(count)d ký tự.") % {"count": NAME_LENGTH}]
    if problems:
        raise DomainError(_("Thông tin người ký chưa hợp lệ."), fields=problems)
    return name, position


@transaction.atomic
def representative_add(
    *,
    by: Actor,
    inspection: Inspection,
    name: str,
    position: str = "",
    id: uuid.UUID | None = None,
) -> tuple[Representative, bool]:
    """Record a person of the unit present at the visit; the same client id is a no-op."""
    inspection = _lock(inspection)
    _require_team_manager(inspection, by)
    if id is not None:
        existing = Representative.objects.filter(pk=id).first()
        if existing is not None:
            if existing.inspection_id != inspection.pk:
                raise DomainError(
                    _("Mã này đã được dùng cho phiếu khác."),
                    problem=Problem.WRONG_STATE,
                    code="id_conflict",
                )
            return existing, False
    name, position = _person(name, position)
    person = Representative.objects.create(
        id=id or uuid.uuid4(), inspection=inspection, name=name, position=position
    )
    record_event(
        actor=by, action="representative_added", target=inspection, name=name, position=position
    )
    record_content_changed(inspection)
    return person, True


@transaction.atomic
def representative_remove(*, by: Actor, inspection: Inspection, representative_id: Any) -> None:
    inspection = _lock(inspection)
    _require_team_manager(inspection, by)
    try:
        key = uuid.UUID(str(representative_id))
    except ValueError:
        key = None
    person = Representative.objects.filter(inspection=inspection, pk=key).first() if key else None
    if person is None:
        raise DomainError(_("Không tìm thấy người này."), problem=Problem.NOT_FOUND)
    record_event(actor=by, action="representative_removed", target=inspection, name=person.name)
    person.delete()
    record_content_changed(inspection)


def clean_strokes(raw: object) -> list[list[int]]:
    """A drawn signature: strokes of x, y pairs inside the box, within the limits."""
    message = _("Chữ ký không hợp lệ.")
    if not isinstance(raw, list) or not raw or len(raw) > MAX_STROKES:
        raise DomainError(message, fields={"strokes": [_("Hãy ký vào khung.")]})
    strokes: list[list[int]] = []
    total = 0
    for stroke in raw:
        if not isinstance(stroke, list) or len(stroke) < 2 or len(stroke) % 2:
            raise DomainError(message, fields={"strokes": [message]})
        points: list[int] = []
        for i, value in enumerate(stroke):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise DomainError(message, fields={"strokes": [message]})
            limit = SIGNATURE_WIDTH if i % 2 == 0 else SIGNATURE_HEIGHT
            if not 0 <= value <= limit:
                raise DomainError(message, fields={"strokes": [message]})
            points.append(round(value))
        total += len(points) // 2
        strokes.append(points)
    if total > MAX_POINTS:
        raise DomainError(message, fields={"strokes": [_("Chữ ký quá nhiều nét.")]})
    return strokes


def _signed_at(value: datetime.datetime | None) -> datetime.datetime:
    """The phone's time of signing (it may sign offline), when it is believable."""
    now = timezone.now()
    if value is None or timezone.is_naive(value) or abs(value - now) > CLOCK_SLACK:
        return now
    return value


def signature_record(
    *,
    by: Actor,
    inspection: Inspection,
    role: str,
    name: str = "",
    position: str = "",
    strokes: object = None,
    on_paper: bool = False,
    signed_at: datetime.datetime | None = None,
    id: uuid.UUID | None = None,
) -> tuple[Signature, bool]:
    """A signature of the unit's representative or of the head of the team, drawn on the
    phone or "ký trên bản giấy", covering the answers as they are now."""
    if id is not None:
        existing = Signature.objects.filter(pk=id).first()
        if existing is not None:
            if not policies.may_sign(by, inspection) or existing.inspection_id != inspection.pk:
                raise _forbidden(_("Chỉ trưởng đoàn lấy được chữ ký cho phiếu này."))
            return existing, False
    if role not in Signature.Role.values:
        raise DomainError(_("Vai trò ký không hợp lệ."), fields={"role": [str(role)]})
    if role == Signature.Role.LEAD:
        name = name or display_name(by)
        position = position or str(Signature.Role.LEAD.label)
    name, position = _person(name, position)
    drawn = [] if on_paper else clean_strokes(strokes)
    try:
        with transaction.atomic():
            locked = _lock(inspection)
            if not policies.may_sign(by, locked):
                raise _forbidden(_("Chỉ trưởng đoàn lấy được chữ ký cho phiếu này."))
            signature = Signature.objects.create(
                id=id or uuid.uuid4(),
                inspection=locked,
                role=role,
                name=name,
                position=position,
                strokes=drawn,
                on_paper=on_paper,
                signed_at=_signed_at(signed_at),
                revision=locked.revision,
                answers_hash=answers_hash(locked),
                recorded_by=by,
            )
            record_event(
                actor=by,
                action="signature_recorded",
                target=locked,
                role=role,
                name=name,
                on_paper=on_paper,
                revision=locked.revision,
            )
            record_content_changed(locked)
    except IntegrityError:
        if id is not None and (winner := Signature.objects.filter(pk=id).first()):
            return winner, False
        raise
    return signature, True
