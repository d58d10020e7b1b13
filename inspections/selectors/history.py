"""An inspection's history: its timeline from the event log, and what changed between two of
its revisions (from the copies kept when it was revised). Read from what was stored."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from inspections.errors import DomainError
from inspections.models import (
    Answer,
    AnswerType,
    Criterion,
    Event,
    Inspection,
    InspectionRevision,
    OrgUnit,
    Round,
)
from inspections.numbers import ascii_int
from inspections.policies import Viewer, inspections_for
from inspections.selectors.catalogue import class_names

# Events that come in runs (one per criterion answered, one per photo): one line per run.
_GROUPED = ("answer_set", "photo_added", "photo_removed")


@dataclass
class TimelineEntry:
    at: datetime.datetime
    actor: str
    action: str
    summary: str
    reason: str = ""
    criteria: list[str] = field(default_factory=list)
    count: int = 1


def _summary(action: str, data: Mapping[str, Any], count: int) -> str:
    if action == "answer_set":
        return ngettext(
            "Chấm hoặc sửa kết quả %(n)d tiêu chí", "Chấm hoặc sửa kết quả %(n)d tiêu chí", count
        ) % {"n": count}
    if action == "photo_added":
        return ngettext("Thêm %(n)d ảnh minh chứng", "Thêm %(n)d ảnh minh chứng", count) % {
            "n": count
        }
    if action == "photo_removed":
        return ngettext("Xóa %(n)d ảnh minh chứng", "Xóa %(n)d ảnh minh chứng", count) % {
            "n": count
        }
    if action == "inspection_revised":
        return _("Điều chỉnh kết quả (lần sửa %(n)s)") % {"n": data.get("revision", "")}
    if action == "signature_recorded":
        text = _("Ký biên bản: %(name)s") % {"name": data.get("name", "")}
        return text + (" " + _("(ký trên giấy)") if data.get("on_paper") else "")
    if action == "representative_added":
        return _("Thêm người dự: %(name)s") % {"name": data.get("name", "")}
    if action == "representative_removed":
        return _("Bớt người dự: %(name)s") % {"name": data.get("name", "")}
    if action == "record_generated":
        return _("Lập biên bản (lần sửa %(n)s)") % {"n": data.get("revision", "")}
    fixed = {
        "inspection_created": _("Lập phiếu"),
        "inspection_submitted": _("Nộp phiếu"),
        "inspection_returned": _("Trả lại phiếu"),
        "inspection_approved": _("Duyệt phiếu"),
        "team_member_added": _("Thêm thành viên đoàn kiểm tra"),
        "team_member_removed": _("Bớt thành viên đoàn kiểm tra"),
        "team_note_set": _("Ghi ý kiến của đoàn kiểm tra"),
        "photo_annotated": _("Vẽ ghi chú trên ảnh minh chứng"),
        "photo_blurred": _("Làm mờ một vùng của ảnh minh chứng"),
    }
    return fixed.get(action, action)


def inspection_timeline(inspection: Inspection) -> list[TimelineEntry]:
    """Everything recorded about the inspection, oldest first; runs of answers or photos by
    one person make one line (one query)."""
    events = Event.objects.filter(object_type="inspection", object_id=str(inspection.pk))
    entries: list[TimelineEntry] = []
    for event in events.order_by("at", "id"):
        data = event.data if isinstance(event.data, dict) else {}
        code = data.get("criterion")
        previous = entries[-1] if entries else None
        if (
            previous is not None
            and event.action in _GROUPED
            and previous.action == event.action
            and previous.actor == event.actor_name
        ):
            previous.count += 1
            if code and code not in previous.criteria:
                previous.criteria.append(str(code))
            previous.summary = _summary(event.action, data, previous.count)
            continue
        listed = data.get("criteria")
        criteria: list[Any] = listed if isinstance(listed, list) else []
        entries.append(
            TimelineEntry(
                at=event.at,
                actor=event.actor_name,
                action=event.action,
                summary=_summary(event.action, data, 1),
                reason=str(data.get("reason") or "")
                if event.action in ("inspection_returned", "inspection_revised")
                else "",
                criteria=[str(c) for c in criteria] or ([str(code)] if code else []),
            )
        )
    return entries


# --- Revisions ---------------------------------------------------------------------------------


@dataclass
class CriterionChange:
    code: str
    text: str
    old_value: str
    new_value: str
    old_note: str
    new_note: str
    old_points: Decimal | None
    new_points: Decimal | None

    @property
    def value_changed(self) -> bool:
        return self.old_value != self.new_value

    @property
    def note_changed(self) -> bool:
        return self.old_note != self.new_note

    @property
    def points_changed(self) -> bool:
        return self.old_points != self.new_points


@dataclass
class RevisionDiff:
    inspection: Inspection
    from_revision: int
    to_revision: int
    old_score: Decimal | None
    new_score: Decimal | None
    old_class: str
    new_class: str
    # (the revision a correction made, its reason) for each correction between the two
    reasons: list[tuple[int, str]]
    changes: list[CriterionChange]

    @property
    def revisions(self) -> range:
        return range(1, self.inspection.revision + 1)


@dataclass
class _State:
    score: Decimal | None
    classification: str
    answers: dict[str, dict[str, Any]]
    points: dict[str, Decimal | None]


def _decimal(raw: Any) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return None


def _kept_state(data: Mapping[str, Any]) -> _State:
    points: dict[str, Decimal | None] = {}
    kept = data.get("record")
    record: dict[str, Any] = kept if isinstance(kept, dict) else {}
    for section in record.get("sections", []):
        for row in section.get("criteria", []):
            points[row["code"]] = _decimal(row.get("points"))
    return _State(
        score=_decimal(data.get("score")),
        classification=str(data.get("classification") or ""),
        answers=dict(data.get("answers") or {}),
        points=points,
    )


def _current_state(inspection: Inspection) -> _State:
    answers = {
        a.criterion.code: {
            "value": str(a.value) if a.value is not None else None,
            "note": a.note,
        }
        for a in Answer.objects.filter(inspection=inspection).select_related("criterion")
    }
    points = {c["code"]: _decimal(c.get("earned")) for c in inspection.criterion_scores or []}
    return _State(inspection.score, inspection.classification, answers, points)


def value_label(criterion: Criterion, raw: Any) -> str:
    """A stored answer (as kept in a revision: "True", "3", "97.5", "na") for people."""
    if raw is None or raw == "":
        return _("Chưa chấm")
    if raw == "na":
        return _("Không áp dụng")
    if criterion.answer_type == AnswerType.YES_NO:
        return _("Đạt") if str(raw) in ("True", "yes") else _("Không đạt")
    if criterion.answer_type == AnswerType.LEVEL:
        return _("Mức %(level)s/4") % {"level": raw}
    number = _decimal(raw)
    text = f"{number.normalize():f}" if number is not None else str(raw)
    if (get_language() or "vi").startswith("vi"):
        text = text.replace(".", ",")
    return f"{text}%"


def _revision_number(raw: Any, *, name: str, default: int, last: int) -> int:
    if raw is None or raw == "":
        return default
    value = ascii_int(str(raw), minimum=1, maximum=last)
    if value is None:
        message = _("Lần sửa phải là một số từ 1 đến %(last)d.") % {"last": last}
        raise DomainError(message, fields={name: [message]})
    return value


def revision_diff(
    inspection: Inspection, *, from_revision: Any = None, to_revision: Any = None
) -> RevisionDiff:
    """The criteria whose value, note or points differ between two revisions, with both
    scores and classes; by default the latest correction (four queries)."""
    last = inspection.revision
    to = _revision_number(to_revision, name="to", default=last, last=last)
    start = _revision_number(from_revision, name="from", default=max(to - 1, 1), last=last)
    if start > to:
        message = _("Lần sửa đầu phải không sau lần sửa cuối.")
        raise DomainError(message, fields={"from": [message]})
    kept = {
        k.revision: k
        for k in InspectionRevision.objects.filter(inspection=inspection, revision__gte=start)
    }

    def state(number: int) -> _State:
        if number == last:
            return _current_state(inspection)
        found = kept.get(number)
        return _kept_state(found.data if found is not None else {})

    old, new = state(start), state(to)
    criteria = Criterion.objects.filter(version_id=inspection.round.version_id).order_by(
        "section__order", "section__code", "order", "code"
    )
    changes = []
    for criterion in criteria:
        before = old.answers.get(criterion.code, {})
        after = new.answers.get(criterion.code, {})
        change = CriterionChange(
            code=criterion.code,
            text=criterion.display_text,
            old_value=value_label(criterion, before.get("value")),
            new_value=value_label(criterion, after.get("value")),
            old_note=str(before.get("note") or ""),
            new_note=str(after.get("note") or ""),
            old_points=old.points.get(criterion.code),
            new_points=new.points.get(criterion.code),
        )
        if change.value_changed or change.note_changed or change.points_changed:
            changes.append(change)
    names = class_names({inspection.round.version_id})
    version = inspection.round.version_id
    return RevisionDiff(
        inspection=inspection,
        from_revision=start,
        to_revision=to,
        old_score=old.score,
        new_score=new.score,
        old_class=names.get((version, old.classification), old.classification),
        new_class=names.get((version, new.classification), new.classification),
        reasons=[(n + 1, kept[n].reason) for n in range(start, to) if n in kept],
        changes=changes,
    )


# --- Where approved inspections are reached from -----------------------------------------------


def _approved(user: Viewer) -> QuerySet[Inspection]:
    return (
        inspections_for(user)
        .filter(kind=Inspection.Kind.OFFICIAL, state=Inspection.State.APPROVED)
        .order_by("approved_at", "created_at")
    )


def approved_by_unit(user: Viewer, round: Round) -> dict[int, list[Inspection]]:
    """unit → the approved inspections of the round this user may open (one query)."""
    found: dict[int, list[Inspection]] = {}
    for inspection in _approved(user).filter(round=round).only("id", "unit_id", "revision"):
        found.setdefault(inspection.unit_id, []).append(inspection)
    return found


def approved_by_round(user: Viewer, unit: OrgUnit) -> dict[int, list[Inspection]]:
    """round → the approved inspections of the unit this user may open (one query)."""
    found: dict[int, list[Inspection]] = {}
    for inspection in _approved(user).filter(unit=unit).only("id", "round_id", "revision"):
        found.setdefault(inspection.round_id, []).append(inspection)
    return found
