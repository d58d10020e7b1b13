"""The team page of an inspection: the team, the unit's people present, the members' photos
and notes, and the signatures at the end of the visit (drawn on the phone, queued offline
by static/js/signature.js like every answer; "ký trên bản giấy" works without JavaScript)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inspections import policies, services
from inspections.errors import DomainError
from inspections.models import Criterion, EvidenceKind, Inspection, Signature, display_name
from inspections.numbers import ascii_int
from inspections.photos import max_bytes
from inspections.selectors import visible_inspection
from inspections.selectors.records import answers_hash, signatures_for, team_candidates, team_of
from web.errors import form_refusal, message_of


def _page(
    request: HttpRequest, inspection: Inspection, status: int = 200, error: str = ""
) -> HttpResponse:
    user = request.user
    manage = policies.may_manage_team(user, inspection)
    member = policies.is_team_member(user, inspection)
    covering = answers_hash(inspection)
    signed = signatures_for(inspection, revision=inspection.revision, covering=covering)
    team = team_of(inspection)
    context = {
        "inspection": inspection,
        "team": team,
        "lead_name": display_name(team.lead),
        "members": [(m, display_name(m.user)) for m in team.members],
        "manage": manage,
        "candidates": [(u, display_name(u)) for u in team_candidates(inspection)] if manage else [],
        "member": member,
        "may_add_photos": policies.may_add_team_evidence(user, inspection) and member,
        "criteria": Criterion.objects.filter(version_id=inspection.round.version_id)
        .exclude(evidence=EvidenceKind.NONE)
        .order_by("section__order", "order", "code")
        if member
        else [],
        "may_sign": policies.may_sign(user, inspection),
        "sign_roles": [(role, label, signed.get(role)) for role, label in Signature.Role.choices],
        "api": reverse("api:inspection", args=[inspection.pk]),
        "error": error,
    }
    return render(request, "web/team.html", context, status=status)


@login_required
def team(request: HttpRequest, pk: Any) -> HttpResponse:
    inspection = visible_inspection(request.user, pk)
    if inspection.kind != Inspection.Kind.OFFICIAL:
        raise Http404(_("Phiếu tự đánh giá không có đoàn kiểm tra."))
    return _page(request, inspection)


def _do(request: HttpRequest, inspection: Inspection, step: str) -> str:
    """Run one posted step through its service; the message to show when it is done."""
    actor = policies.acting(request.user)
    data = request.POST
    if step == "member-add":
        raw = data.get("user", "")
        user_id = ascii_int(raw) or 0
        services.team_member_add(by=actor, inspection=inspection, user_id=user_id)
        return _("Đã thêm thành viên đoàn.")
    if step == "member-remove":
        raw = data.get("user", "")
        user_id = ascii_int(raw) or 0
        services.team_member_remove(by=actor, inspection=inspection, user_id=user_id)
        return _("Đã bỏ thành viên khỏi đoàn.")
    if step == "person-add":
        services.representative_add(
            by=actor,
            inspection=inspection,
            name=data.get("name", ""),
            position=data.get("position", ""),
        )
        return _("Đã ghi người đại diện đơn vị.")
    if step == "person-remove":
        services.representative_remove(
            by=actor, inspection=inspection, representative_id=data.get("person", "")
        )
        return _("Đã bỏ người đại diện.")
    if step == "note":
        services.team_note_set(by=actor, inspection=inspection, note=data.get("note", ""))
        return _("Đã lưu ý kiến.")
    if step == "photo":
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError(_("Hãy chọn ảnh."), fields={"file": [_("Hãy chọn ảnh.")]})
        services.photo_attach(
            by=actor,
            inspection=inspection,
            data=bytes(upload.read(max_bytes() + 1)),
            criterion_code=data.get("criterion") or None,
            caption=data.get("caption", ""),
        )
        return _("Đã thêm ảnh.")
    if step == "paper":
        services.signature_record(
            by=actor,
            inspection=inspection,
            role=data.get("role", ""),
            name=data.get("name", ""),
            position=data.get("position", ""),
            on_paper=True,
        )
        return _("Đã ghi: ký trên bản giấy.")
    raise Http404(step)


@login_required
@require_POST
def team_step(request: HttpRequest, pk: Any, step: str) -> HttpResponse:
    inspection = visible_inspection(request.user, pk)
    try:
        done = _do(request, inspection, step)
    except DomainError as error:
        status = form_refusal(error)
        inspection.refresh_from_db()
        return _page(request, inspection, status=status, error=message_of(error))
    messages.success(request, done)
    return redirect("team", pk=inspection.pk)
