"""What the biên bản shows: the team, the people present, the signatures and the content of
one revision, all read from what was stored (no score is computed here).

`record_data` is plain JSON: the current revision's is built from the rows; an earlier
revision's was kept in its `InspectionRevision` when it was superseded, so its record says
what it said then.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from inspections.errors import DomainError, Problem
from inspections.models import (
    Answer,
    AnswerType,
    ClassificationLevel,
    CorrectiveAction,
    Criterion,
    EvidencePhoto,
    Inspection,
    InspectionRecord,
    InspectionRevision,
    Representative,
    RoleKind,
    Signature,
    TeamMember,
    display_name,
)
from inspections.policies import own_unit_conflicts

_SIGNER = signing.Signer(salt="inspections.record.verify")


# --- The answers a signature covers ------------------------------------------------------------


def _value_text(answer: Answer) -> str:
    if answer.not_applicable:
        return "na"
    if answer.yes_no is not None:
        return "yes" if answer.yes_no else "no"
    if answer.level is not None:
        return str(answer.level)
    if answer.number is not None:
        return f"{answer.number.normalize():f}"
    return ""


def answers_hash(inspection: Inspection) -> str:
    """SHA-256 of every answer (criterion, value, note, flag) in code order."""
    rows = sorted(
        (a.criterion.code, _value_text(a), a.note, a.flagged)
        for a in Answer.objects.filter(inspection=inspection).select_related("criterion")
    )
    canonical = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- The team ----------------------------------------------------------------------------------


@dataclass
class Team:
    lead: Any
    members: list[TeamMember]
    representatives: list[Representative]


def team_of(inspection: Inspection) -> Team:
    """The inspector in charge, the members and the unit's people present: three queries."""
    members = list(
        TeamMember.objects.filter(inspection=inspection)
        .select_related("user__profile")
        .order_by("id")
    )
    people = list(Representative.objects.filter(inspection=inspection).order_by("added_at", "id"))
    users = get_user_model().objects.select_related("profile")
    lead = users.filter(pk=inspection.inspector_id).first()
    return Team(lead=lead, members=members, representatives=people)


def team_candidates(inspection: Inspection) -> list[Any]:
    """Inspectors who may join: not the inspector in charge, not yet members, and not staff of
    the unit inspected or of a unit above it."""
    taken = {inspection.inspector_id, *inspection.members.values_list("user_id", flat=True)}
    users: QuerySet[Any] = (
        get_user_model()
        .objects.filter(roles__kind=RoleKind.INSPECTOR, is_active=True)
        .exclude(pk__in=taken)
        .select_related("profile")
        .prefetch_related("roles__unit")
        .distinct()
        .order_by("profile__sort_key", "username")
    )
    found = []
    for user in users:
        user._cong_so_xanh_roles = list(user.roles.all())  # the policies read them from here
        if not own_unit_conflicts(inspector=user, units=[inspection.unit]):
            found.append(user)
    return found


# --- Signatures --------------------------------------------------------------------------------


@dataclass
class SignatureState:
    signature: Signature
    current: bool  # it covers the answers the record shows; False: "chưa ký lại"

    @property
    def role(self) -> str:
        return self.signature.role


def signatures_for(inspection: Inspection, *, revision: int, covering: str) -> dict[str, Any]:
    """The latest signature of each role given up to this revision, and whether it covers the
    answers whose hash is `covering`."""
    found: dict[str, SignatureState] = {}
    rows = Signature.objects.filter(inspection=inspection, revision__lte=revision).order_by(
        "recorded_at", "id"
    )
    for signature in rows:
        found[signature.role] = SignatureState(signature, signature.answers_hash == covering)
    return dict(found)


# --- The content of a record -------------------------------------------------------------------


def _answer_label(criterion: Criterion, answer: Answer | None) -> str:
    if answer is None or not answer.is_answered:
        return _("Chưa chấm")
    if answer.not_applicable:
        return _("Không áp dụng")
    if criterion.answer_type == AnswerType.YES_NO:
        return _("Đạt") if answer.yes_no else _("Không đạt")
    if criterion.answer_type == AnswerType.LEVEL:
        return _("Mức %(level)s/4") % {"level": answer.level}
    number = f"{Decimal(answer.number or 0).normalize():f}"
    return number.replace(".", ",") + "%"  # a Vietnamese document: "97,5%"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def record_data(inspection: Inspection) -> dict[str, Any]:
    """The record of the inspection's current revision, as JSON, from the stored rows; in
    Vietnamese whatever the reader's language (it is an official document)."""
    with translation.override("vi"):
        return _record_data(inspection)


def _record_data(inspection: Inspection) -> dict[str, Any]:
    inspection = Inspection.objects.select_related(
        "round__version__model", "unit", "inspector", "approved_by"
    ).get(pk=inspection.pk)
    version = inspection.round.version
    levels = {
        level.code: level.name for level in ClassificationLevel.objects.filter(version=version)
    }
    answers = {
        a.criterion_id: a for a in Answer.objects.filter(inspection=inspection).order_by("id")
    }
    scores = {s["section"]: s for s in inspection.section_scores or []}
    points = {c["code"]: c for c in inspection.criterion_scores or []}
    sections: dict[str, dict[str, Any]] = {}
    criteria = Criterion.objects.filter(version=version).select_related("section")
    for criterion in criteria.order_by("section__order", "section__code", "order", "code"):
        section = criterion.section
        block = sections.setdefault(
            section.code,
            {
                "code": section.code,
                "title": section.title,
                **{k: scores.get(section.code, {}).get(k) for k in ("score", "earned", "possible")},
                "criteria": [],
            },
        )
        answer = answers.get(criterion.pk)
        stored = points.get(criterion.code, {})
        block["criteria"].append(
            {
                "code": criterion.code,
                "text": criterion.text,
                "critical": criterion.critical,
                "answer": _answer_label(criterion, answer),
                "not_applicable": bool(answer and answer.not_applicable),
                # The points as stored with the inspection's score (criterion_scores).
                "points": stored.get("earned"),
                "max_points": str(criterion.max_points),
                "critical_failed": bool(stored.get("critical_failed")),
                "note": answer.note if answer else "",
                "flagged": bool(answer and answer.flagged),
            }
        )
    team = team_of(inspection)
    return {
        "inspection": str(inspection.pk),
        "revision": inspection.revision,
        "revision_reason": inspection.revision_reason,
        "number": inspection.record_number,
        "year": inspection.record_year,
        "unit": inspection.unit_name_snapshot,
        "parent": inspection.parent_name_snapshot,
        "round": inspection.round.name,
        "movement": version.model.name,
        "version": version.title,
        "started_at": _iso(inspection.created_at),
        "submitted_at": _iso(inspection.submitted_at),
        "approved_at": _iso(inspection.approved_at),
        "approved_by": display_name(inspection.approved_by),
        "dated": _iso(_dated(inspection)),
        "lead": display_name(team.lead),
        "members": [{"name": display_name(m.user), "note": m.note} for m in team.members],
        "representatives": [{"name": p.name, "position": p.position} for p in team.representatives],
        "score": str(inspection.score) if inspection.score is not None else None,
        "earned": str(inspection.earned_points),
        "possible": str(inspection.possible_points),
        "classification": inspection.classification,
        "classification_name": levels.get(inspection.classification, ""),
        "enough_basis": inspection.enough_basis,
        "critical_failures": list(inspection.critical_failures or []),
        "critical_cap_name": levels.get(version.critical_cap, version.critical_cap),
        "sections": list(sections.values()),
        "actions": _actions(inspection),
        "photos": _photos(inspection),
        "answers_hash": answers_hash(inspection),
    }


def _dated(inspection: Inspection) -> Any:
    """The record's date: its approval, or the correction that made this revision."""
    if inspection.revision > 1:
        made = InspectionRevision.objects.filter(
            inspection=inspection, revision=inspection.revision - 1
        ).first()
        if made is not None:
            return made.created_at
    return inspection.approved_at


def _actions(inspection: Inspection) -> list[dict[str, Any]]:
    rows = (
        CorrectiveAction.objects.filter(inspection=inspection)
        .exclude(status=CorrectiveAction.Status.SUPERSEDED)
        .select_related("criterion")
        .order_by("criterion__section__order", "criterion__order", "criterion__code")
    )
    return [
        {
            "criterion": action.criterion.code,
            "text": action.criterion.text,
            "reason": action.reason,
            "reason_name": action.get_reason_display(),
            "finding": action.finding,
            "due_on": action.due_on.isoformat(),
        }
        for action in rows
    ]


def _photos(inspection: Inspection) -> list[dict[str, Any]]:
    """Thumbnails with their criterion, caption and capture time; never a position."""
    rows = (
        EvidencePhoto.objects.filter(inspection=inspection)
        .select_related("criterion", "uploaded_by")
        .order_by("criterion__section__order", "criterion__order", "criterion__code", "uploaded_at")
    )
    # Photos of a criterion in the checklist's order; general photos of the visit last.
    ordered = [p for p in rows if p.criterion_id] + [p for p in rows if not p.criterion_id]
    return [
        {
            "id": str(photo.pk),
            "criterion": photo.criterion.code if photo.criterion else "",
            "caption": photo.caption,
            "captured_at": _iso(photo.captured_at),
            "thumbnail": photo.thumbnail.name if photo.thumbnail else "",
            "by": display_name(photo.uploaded_by),
        }
        for photo in ordered
    ]


def record_data_for(inspection: Inspection, revision: int | None = None) -> dict[str, Any]:
    """The content of the record of `revision` (the current one by default)."""
    if revision is None or revision == inspection.revision:
        return record_data(inspection)
    kept = InspectionRevision.objects.filter(inspection=inspection, revision=revision).first()
    data = kept.data.get("record") if kept is not None else None
    if not isinstance(data, dict):
        raise DomainError(
            _("Không có biên bản của lần sửa %(revision)s.") % {"revision": revision},
            problem=Problem.NOT_FOUND,
        )
    return data


def stored_record(inspection: Inspection, revision: int) -> InspectionRecord | None:
    return InspectionRecord.objects.filter(inspection=inspection, revision=revision).first()


def record_filename(record: InspectionRecord) -> str:
    """The name a downloaded or mailed record carries: its number, year and revision."""
    inspection = record.inspection
    number = inspection.record_number or 0
    return f"bien-ban-{number}-{inspection.record_year or ''}-r{record.revision}.pdf"


# --- Verification ------------------------------------------------------------------------------


def record_token(inspection_id: Any, revision: int) -> str:
    """An unguessable, signed reference to one revision's record, for its QR code."""
    # A Signer, not signing.dumps: no timestamp, so the same record always has the same link.
    return _SIGNER.sign_object([str(inspection_id), revision], compress=True)


@dataclass
class Verification:
    inspection: Inspection
    revision: int
    record: InspectionRecord | None
    dated: Any

    @property
    def superseded(self) -> bool:
        return self.inspection.revision > self.revision


def verification_for(token: str) -> Verification:
    """What the QR code's page may say of a record; a forged or unknown token is a 404."""
    try:
        inspection_id, revision = _SIGNER.unsign_object(token)
        revision = int(revision)
    except (signing.BadSignature, ValueError, TypeError):
        raise DomainError(_("Không tìm thấy biên bản."), problem=Problem.NOT_FOUND) from None
    inspection = (
        Inspection.objects.select_related("round").filter(pk=inspection_id).first()
        if isinstance(inspection_id, str)
        else None
    )
    if inspection is None or inspection.record_number is None or revision < 1:
        raise DomainError(_("Không tìm thấy biên bản."), problem=Problem.NOT_FOUND)
    if revision > inspection.revision:
        raise DomainError(_("Không tìm thấy biên bản."), problem=Problem.NOT_FOUND)
    dated = inspection.approved_at
    if revision > 1:
        made = InspectionRevision.objects.filter(inspection=inspection, revision=revision - 1)
        dated = made.values_list("created_at", flat=True).first() or dated
    return Verification(inspection, revision, stored_record(inspection, revision), dated)
