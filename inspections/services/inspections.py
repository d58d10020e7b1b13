"""The inspection lifecycle: create, answer, submit, return, approve, revise."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import notices, policies, scoring
from inspections.answers import FIELD, InvalidAnswer, parse_answer, revised_field
from inspections.errors import DomainError, InspectionExists, Problem
from inspections.models import (
    Answer,
    Assignment,
    ClassificationLevel,
    Criterion,
    EvidenceKind,
    Inspection,
    InspectionRevision,
    OrgUnit,
    Round,
)
from inspections.policies import Actor
from inspections.selectors.catalogue import catalogue_for_version, rules_for_version
from inspections.selectors.notifications import office_people
from inspections.selectors.records import record_data
from inspections.services.actions import actions_sync
from inspections.services.audit import record_event
from inspections.services.locking import ANSWER_FIELDS, held_round, locked_inspection
from inspections.services.notifications import notify
from inspections.services.records import record_number_allocate, record_prepare_after_commit
from inspections.services.results import (
    rescore_inspection,
    store_score,
    stored_score,
    unit_result_recompute,
)
from inspections.services.rounds import require_internal_affairs

_UNSET: Any = object()


def _wrong_state(message: str) -> DomainError:
    return DomainError(message, problem=Problem.WRONG_STATE)


@transaction.atomic
def inspection_create(
    *,
    by: Actor,
    round: Round,
    unit: OrgUnit,
    kind: str = Inspection.Kind.OFFICIAL,
    id: uuid.UUID | None = None,
) -> tuple[Inspection, bool]:
    """Start an inspection. The same client id again returns the same one (created=False),
    to a user who may still start it: a replay is never a way round the permission."""
    _check_may_start(by=by, round=round, unit=unit, kind=kind)
    if id is not None:
        existing = Inspection.objects.filter(pk=id).first()
        if existing is not None:
            return _same_or_conflict(existing, by=by, round=round, unit=unit, kind=kind), False
    # The round's status as it stands now, held: a round closed meanwhile refuses the create.
    # Held, not locked, so inspections of other units start while autosaves are in flight; the
    # unit's row is locked instead: two starts at one unit (its result row, the check for a
    # live inspection below) still take turns. A review locks round and unit, in that order.
    round = held_round(round.pk)
    list(OrgUnit.objects.select_for_update().filter(pk=unit.pk).values_list("pk"))
    _check_round_and_unit(round=round, unit=unit)
    live = Inspection.objects.filter(round=round, unit=unit, inspector=by, kind=kind).first()
    if live is not None and id is not None and live.pk == id:
        return live, False  # a concurrent create with this id committed since the check above
    if live is not None:
        raise InspectionExists(
            _("Đã có phiếu của bạn cho đơn vị này trong đợt này."), existing=str(live.pk)
        )
    parent = unit.parent
    inspection = Inspection(
        id=id or uuid.uuid4(),
        round=round,
        unit=unit,
        kind=kind,
        inspector=by,
        unit_name_snapshot=unit.name,
        parent_name_snapshot=parent.name if parent else "",
        group_snapshot_id=unit.group_id,
    )
    try:
        with transaction.atomic():  # a savepoint: a concurrent create with this id may win
            inspection.save(force_insert=True)
    except IntegrityError:
        winner = Inspection.objects.filter(pk=inspection.pk).first()
        if winner is None:
            raise
        return _same_or_conflict(winner, by=by, round=round, unit=unit, kind=kind), False
    rescore_inspection(inspection)  # the empty scores, stored like every later one
    record_event(actor=by, action="inspection_created", target=inspection, kind=kind)
    if kind == Inspection.Kind.OFFICIAL:
        unit_result_recompute(unit=unit, round=round)
    return inspection, True


def _same_or_conflict(
    existing: Inspection, *, by: Actor, round: Round, unit: OrgUnit, kind: str
) -> Inspection:
    same = (
        existing.round_id == round.pk
        and existing.unit_id == unit.pk
        and existing.kind == kind
        and existing.inspector_id == by.pk
    )
    if not same:
        raise DomainError(
            _("Mã phiếu này đã được dùng cho một phiếu khác."),
            problem=Problem.WRONG_STATE,
            fields={"id": [_("Mã đã dùng với đơn vị, đợt hoặc loại phiếu khác.")]},
            code="id_conflict",
        )
    return existing


def _check_round_and_unit(*, round: Round, unit: OrgUnit) -> None:
    if round.status != Round.Status.OPEN:
        raise _wrong_state(_("Đợt kiểm tra không mở: không tạo được phiếu mới."))
    if unit.valid_to is not None and unit.valid_to < timezone.localdate():
        raise DomainError(_("Đơn vị này đã hết hiệu lực."), fields={"unit": [unit.code]})


def _check_may_start(*, by: Actor, round: Round, unit: OrgUnit, kind: str) -> None:
    """Who may start this inspection: asked of a first create and of every replay alike."""
    if kind == Inspection.Kind.SELF:
        if not policies.may_assess_self(by, unit):
            raise DomainError(
                _("Chỉ đơn vị mới tự đánh giá được cho mình."), problem=Problem.FORBIDDEN
            )
        return
    if kind != Inspection.Kind.OFFICIAL:
        raise DomainError(_("Loại phiếu không hợp lệ."), fields={"kind": [str(kind)]})
    if not Assignment.objects.filter(round=round, unit=unit, inspector=by).exists():
        raise DomainError(
            _("Bạn không được phân công kiểm tra đơn vị này trong đợt này."),
            problem=Problem.FORBIDDEN,
        )
    if policies.own_unit_conflicts(inspector=by, units=[unit]):
        raise DomainError(
            _("Cán bộ kiểm tra không được kiểm tra đơn vị của mình."), problem=Problem.FORBIDDEN
        )


def require_editor(inspection: Inspection, by: Actor, *, team: bool = False) -> None:
    """Only the inspection's own inspector changes it (its state aside); with `team`, the
    members of its team too (photos and their own notes, never answers)."""
    if policies.is_inspector_of(by, inspection):
        return
    if team and policies.is_team_member(by, inspection):
        return
    raise DomainError(_("Chỉ người lập phiếu được sửa phiếu này."), problem=Problem.FORBIDDEN)


def lock_editable(inspection: Inspection, by: Actor, *, team: bool = False) -> Inspection:
    """The inspection locked (its round held: services/locking.py), still editable by `by`."""
    locked = locked_inspection(inspection.pk)
    if locked is None:
        raise Inspection.DoesNotExist("No Inspection matches the given query.")
    _require_editable(locked, by, team=team)
    return locked


def _require_editable(locked: Inspection, by: Actor, *, team: bool = False) -> None:
    require_editor(locked, by, team=team)
    if not locked.is_editable:
        raise _wrong_state(
            _("Phiếu đang ở trạng thái “%(state)s”: không sửa được.")
            % {"state": locked.get_state_display()}
        )
    if not policies.round_takes_changes(locked):
        raise _wrong_state(_("Đợt kiểm tra đã khóa: không sửa được phiếu."))


def criterion_of(inspection: Inspection, code: str, *, field: str | None = None) -> Criterion:
    """The criterion of the inspection's model with this code. An unknown code is a 404 when
    it came in the address, and a 400 naming the `field` when it came in the body."""
    # A code is unique in its version: no ORDER BY, which first() would add (and Django then
    # matches against every selected column).
    found = Criterion.objects.filter(version_id=inspection.round.version_id, code=code)
    criterion = next(iter(found.select_related("section").order_by()[:1]), None)
    if criterion is None:
        message = _("Không có tiêu chí “%(code)s” trong mô hình của đợt này.") % {"code": code}
        if field is not None:
            raise DomainError(message, fields={field: [message]}, code="unknown_criterion")
        raise DomainError(message, problem=Problem.NOT_FOUND)
    return criterion


def _lock_for_answer(pk: object, code: str, by: Actor, *, seen: bool) -> Inspection:
    """The inspection locked, with its answer to `code`: one query for its own inspector.
    Given by id (`seen` False), anyone else learns no more than the pages tell them: a 404
    unless they may see it."""
    try:
        value = Inspection._meta.get_field("id").to_python(pk)
    except ValidationError:
        value = None
    locked = locked_inspection(value, answer_to=code) if value is not None else None
    hidden = locked is None or (
        not seen
        and not policies.is_inspector_of(by, locked)
        and not policies.inspections_for(by).filter(pk=locked.pk).exists()
    )
    if hidden:
        raise DomainError(_("Không tìm thấy phiếu."), problem=Problem.NOT_FOUND)
    assert locked is not None
    _require_editable(locked, by)
    return locked


def _stored_answer(locked: Inspection, criterion: Criterion) -> Answer | None:
    if locked.answer_seen_at != locked.updated_at:  # type: ignore[attr-defined]
        # Another write committed while this one waited for the lock: read the answer anew
        # (one more query, only then).
        return Answer.objects.filter(inspection=locked, criterion=criterion).first()
    fields = {name: getattr(locked, f"answer_{name}") for name in ANSWER_FIELDS}
    if fields["id"] is None:
        return None
    answer = Answer(inspection=locked, criterion=criterion, **fields)
    answer._state.adding = False
    answer._state.db = locked._state.db
    return answer


@transaction.atomic
def answer_set(
    *,
    by: Actor,
    inspection: Inspection | uuid.UUID | str,
    criterion_code: str,
    value: object,
    note: str | None = None,
    flagged: bool | None = None,
) -> Answer:
    """Record one answer (None clears it); the running score is stored as it goes.

    The autosave of every field: the inspection is read once, locked, with this answer; the
    catalogue comes from the version's cache, and the score moves by this criterion's points
    alone (the full rescore stays for submit, approval and revision). The same answer again
    writes nothing and records no event. `inspection` may be its id: a row the user may not see
    is a 404."""
    seen = isinstance(inspection, Inspection)  # the caller read it among those `by` sees
    pk = inspection.pk if isinstance(inspection, Inspection) else inspection
    locked = _lock_for_answer(pk, criterion_code, by, seen=seen)
    catalogue = catalogue_for_version(locked.round.version)
    criterion = catalogue.criteria.get(criterion_code)
    if criterion is None:
        message = _("Không có tiêu chí “%(code)s” trong mô hình của đợt này.") % {
            "code": criterion_code
        }
        raise DomainError(message, problem=Problem.NOT_FOUND)
    rule = next(r for r in catalogue.rules.criteria if r.code == criterion_code)
    parsed = _parsed(rule, value, field=FIELD)
    stored = _stored_answer(locked, criterion)
    if _unchanged(stored, parsed, note=note, flagged=flagged):
        return stored or Answer(inspection=locked, criterion=criterion)
    answer = stored or Answer(inspection=locked, criterion=criterion)
    _fill_answer(answer, rule, parsed, note=note, flagged=flagged, by=by)
    answer.save()
    previous = stored_score(locked, catalogue.rules)
    if previous is None:
        rescore_inspection(locked)  # scores stored before they were kept per criterion
    else:
        store_score(locked, scoring.rescore_one(catalogue.rules, previous, rule.code, parsed))
    record_event(
        actor=by,
        action="answer_set",
        target=locked,
        criterion=criterion.code,
        value=answer.value,
        note=answer.note,
        flagged=answer.flagged,
    )
    return answer


def _unchanged(
    stored: Answer | None, parsed: scoring.AnswerValue, *, note: str | None, flagged: bool | None
) -> bool:
    """Nothing to write: the same answer again (a form posts every field each time)."""
    if stored is None:
        return parsed is None and not (note or "").strip() and not flagged
    return (
        stored.value == parsed
        and (note is None or note.strip() == stored.note)
        and (flagged is None or flagged == stored.flagged)
    )


def _parsed(rule: scoring.CriterionRule, value: object, *, field: str) -> scoring.AnswerValue:
    try:
        return parse_answer(rule, value)
    except InvalidAnswer as invalid:
        raise DomainError(
            _("Giá trị không hợp lệ cho tiêu chí %(code)s.") % {"code": rule.code},
            fields=invalid.fields(field),
            code=invalid.code,
        ) from None


def _fill_answer(
    answer: Answer,
    rule: scoring.CriterionRule,
    parsed: scoring.AnswerValue,
    *,
    note: str | None,
    flagged: bool | None,
    by: Actor,
) -> None:
    answer.yes_no = parsed if isinstance(parsed, bool) else None
    answer.level = parsed if isinstance(parsed, int) and not isinstance(parsed, bool) else None
    answer.number = (
        parsed
        if rule.answer_type == scoring.AnswerType.PERCENT
        and (parsed is not None and parsed != scoring.NA)
        else None
    )
    answer.not_applicable = parsed == scoring.NA
    if note is not None:
        answer.note = note.strip()
    if flagged is not None:
        answer.flagged = flagged
    answer.points = scoring.criterion_points(rule, parsed)
    answer.updated_by = by


def _write_answer(
    *,
    inspection: Inspection,
    criterion: Criterion,
    value: object,
    note: str | None,
    flagged: bool | None,
    by: Actor,
    field: str = FIELD,
) -> Answer:
    rules = rules_for_version(inspection.round.version)
    rule = next(r for r in rules.criteria if r.code == criterion.code)
    parsed = _parsed(rule, value, field=field)
    answer = Answer.objects.filter(inspection=inspection, criterion=criterion).first()
    answer = answer or Answer(inspection=inspection, criterion=criterion)
    _fill_answer(answer, rule, parsed, note=note, flagged=flagged, by=by)
    answer.save()
    return answer


def submit_problems(inspection: Inspection) -> dict[str, list[str]]:
    """Rule 5: every reason, per criterion code, why this inspection cannot be submitted yet."""
    criteria = Criterion.objects.filter(version_id=inspection.round.version_id).order_by(
        "section__order", "order", "code"
    )
    answers = {a.criterion_id: a for a in inspection.answers.all()}
    evidence: dict[int, set[str]] = {}
    for criterion_id, content_type in inspection.photos.exclude(criterion=None).values_list(
        "criterion_id", "content_type"
    ):
        evidence.setdefault(criterion_id, set()).add(content_type)
    problems: dict[str, list[str]] = {}
    for criterion in criteria:
        answer = answers.get(criterion.pk)
        found: list[str] = []
        if answer is None or not answer.is_answered:
            found.append(_("Chưa chấm."))
        elif answer.not_applicable:
            if not answer.note.strip():
                found.append(_("Chọn “không áp dụng” cần ghi chú lý do."))
        elif criterion.evidence != EvidenceKind.NONE:
            types = evidence.get(criterion.pk, set())
            if criterion.evidence == EvidenceKind.PHOTO and not any(
                t.startswith("image/") for t in types
            ):
                found.append(_("Cần ít nhất một ảnh minh chứng."))
            elif criterion.evidence == EvidenceKind.DOCUMENT and not types:
                found.append(_("Cần ảnh hoặc bản chụp tài liệu minh chứng."))
        if found:
            problems[criterion.code] = found
    return problems


@transaction.atomic
def inspection_submit(*, by: Actor, inspection: Inspection) -> Inspection:
    inspection = lock_editable(inspection, by)
    problems = submit_problems(inspection)
    if problems:
        raise DomainError(
            _("Chưa nộp được: còn %(count)d tiêu chí cần hoàn thiện.") % {"count": len(problems)},
            fields=problems,
            code="incomplete",
        )
    inspection.state = Inspection.State.SUBMITTED
    inspection.submitted_at = timezone.now()
    rescore_inspection(inspection, fields=["state", "submitted_at"])
    record_event(actor=by, action="inspection_submitted", target=inspection)
    return inspection


def _lock_for_review(inspection: Inspection, by: Actor, *, state: str) -> Inspection:
    require_internal_affairs(by)
    locked = (
        Inspection.objects.select_for_update().select_related("round", "unit").get(pk=inspection.pk)
    )
    if locked.kind != Inspection.Kind.OFFICIAL:
        raise _wrong_state(_("Phiếu tự đánh giá không cần duyệt."))
    if locked.state != state:
        raise _wrong_state(
            _("Phiếu đang ở trạng thái “%(state)s”.") % {"state": locked.get_state_display()}
        )
    if policies.is_own_inspection(by, locked):
        raise DomainError(
            _("Người lập phiếu không được tự duyệt, trả lại hay điều chỉnh phiếu của mình."),
            problem=Problem.FORBIDDEN,
            code="own_inspection",
        )
    return locked


def _refuse_own_unit(inspection: Inspection, by: Actor) -> None:
    """Where a result is settled (approval, revision) the own-unit rule bites whatever roles
    people hold: neither the reviewer nor the inspector may belong to the unit."""
    if policies.belongs_to(by, inspection.unit):
        raise DomainError(
            _("Không được duyệt hay điều chỉnh phiếu kiểm tra của chính đơn vị mình."),
            problem=Problem.FORBIDDEN,
            code="own_unit",
        )
    if policies.belongs_to(inspection.inspector, inspection.unit):
        raise DomainError(
            _("Người lập phiếu thuộc đơn vị được kiểm tra: phiếu này không được duyệt."),
            problem=Problem.FORBIDDEN,
            code="own_unit",
        )


@transaction.atomic
def inspection_return(
    *, by: Actor, inspection: Inspection, reason: str, criteria: list[str] | None = None
) -> Inspection:
    inspection = _lock_for_review(inspection, by, state=Inspection.State.SUBMITTED)
    problems: dict[str, list[str]] = {}
    if not reason.strip():
        problems["reason"] = [_("Hãy nêu lý do trả lại.")]
    codes = list(dict.fromkeys(criteria or []))
    known = set(
        Criterion.objects.filter(version_id=inspection.round.version_id).values_list(
            "code", flat=True
        )
    )
    unknown = [code for code in codes if code not in known]
    if unknown:
        problems["criteria"] = [
            _("Không có tiêu chí: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
        ]
    if problems:
        raise DomainError(_("Chưa trả lại được phiếu."), fields=problems)
    inspection.state = Inspection.State.RETURNED
    inspection.return_reason = reason.strip()
    inspection.returned_criteria = codes
    inspection.save(update_fields=["state", "return_reason", "returned_criteria", "updated_at"])
    record_event(
        actor=by, action="inspection_returned", target=inspection, reason=reason, criteria=codes
    )
    assignment = Assignment.objects.filter(
        round_id=inspection.round_id,
        unit_id=inspection.unit_id,
        inspector_id=inspection.inspector_id,
    ).first()
    due = assignment.effective_due_on if assignment else inspection.round.ends_on
    submitted = inspection.submitted_at.isoformat() if inspection.submitted_at else ""
    notify(
        recipients=[inspection.inspector],
        kind="inspection_returned",
        key=f"inspection_returned:{inspection.pk}:{submitted}",
        data={
            **_inspection_facts(inspection),
            "reason": inspection.return_reason,
            "criteria": codes,
            "due_on": due.isoformat(),
            "page": notices.page("checklist", inspection.pk),
        },
    )
    return inspection


def _inspection_facts(inspection: Inspection) -> dict[str, Any]:
    """Facts, not sentences: the notice writes them out in the reader's language."""
    level = ClassificationLevel.objects.filter(
        version_id=inspection.round.version_id, code=inspection.classification
    ).first()
    return {
        "unit": inspection.unit_name_snapshot,
        "round": inspection.round.name,
        "score": str(inspection.score) if inspection.score is not None else "—",
        "classification": (level.name if level else inspection.classification) or "—",
        "classification_en": level.name_en if level else "",
    }


def _record_of(inspection: Inspection) -> dict[str, Any]:
    """Which biên bản the e-mail of this notification carries (delivery attaches it)."""
    return {"record": {"inspection": str(inspection.pk), "revision": inspection.revision}}


@transaction.atomic
def inspection_approve(*, by: Actor, inspection: Inspection) -> Inspection:
    inspection = _lock_for_review(inspection, by, state=Inspection.State.SUBMITTED)
    _refuse_own_unit(inspection, by)
    if inspection.round.status == Round.Status.PUBLISHED:
        raise _wrong_state(_("Đợt đã công bố: hãy sửa kết quả bằng một lần điều chỉnh."))
    inspection.state = Inspection.State.APPROVED
    inspection.approved_at = timezone.now()
    inspection.approved_by = by
    inspection.return_reason = ""
    inspection.returned_criteria = []
    inspection.save(
        update_fields=[
            "state",
            "approved_at",
            "approved_by",
            "return_reason",
            "returned_criteria",
            "updated_at",
        ]
    )
    actions_sync(inspection=inspection, by=by)
    unit_result_recompute(unit=inspection.unit, round=inspection.round)
    record_number_allocate(inspection)
    record_prepare_after_commit(inspection)
    record_event(actor=by, action="inspection_approved", target=inspection)
    facts = _inspection_facts(inspection)
    notify(
        recipients=[inspection.inspector],
        kind="inspection_approved",
        key=f"inspection_approved:{inspection.pk}",
        data={**facts, **_record_of(inspection), "page": notices.page("result", inspection.pk)},
    )
    notify(
        recipients=office_people(inspection.unit),
        kind="unit_result",
        key=f"unit_result:{inspection.pk}",
        data={
            **facts,
            **_record_of(inspection),
            "page": notices.page("unit", inspection.unit.code),
        },
    )
    return inspection


@transaction.atomic
def inspection_revise(
    *,
    by: Actor,
    inspection: Inspection,
    reason: str,
    answers: Mapping[str, Mapping[str, Any]],
) -> Inspection:
    """A correction of an approved inspection: a new revision, the earlier one kept."""
    inspection = _lock_for_review(inspection, by, state=Inspection.State.APPROVED)
    _refuse_own_unit(inspection, by)
    problems: dict[str, list[str]] = {}
    if not reason.strip():
        problems["reason"] = [_("Hãy nêu lý do điều chỉnh.")]
    if not answers:
        problems["answers"] = [_("Hãy nêu ít nhất một kết quả tiêu chí cần điều chỉnh.")]
    problems.update(_invalid_answers(inspection, answers))
    if problems:
        raise DomainError(_("Chưa điều chỉnh được phiếu."), fields=problems)
    InspectionRevision.objects.create(
        inspection=inspection,
        revision=inspection.revision,
        data=_revision_data(inspection),
        reason=reason.strip(),
        created_by=by,
    )
    for code, change in answers.items():
        criterion = criterion_of(inspection, code, field=f"answers.{code}")
        value = change.get("value", _UNSET)
        if value is _UNSET:  # a change of note or flag alone keeps the value
            current = inspection.answers.filter(criterion=criterion).first()
            value = current.value if current else None
        answer = _write_answer(
            inspection=inspection,
            criterion=criterion,
            value=value,
            note=change.get("note"),
            flagged=change.get("flagged"),
            by=by,
            field=revised_field(code),
        )
        # An approved inspection stays complete (rule 5); the atomic block undoes the writes.
        if not answer.is_answered:
            problems[code] = [_("Chưa chấm.")]
        elif answer.not_applicable and not answer.note.strip():
            problems[code] = [_("Chọn “không áp dụng” cần ghi chú lý do.")]
    if problems:
        raise DomainError(_("Chưa điều chỉnh được phiếu."), fields=problems)
    inspection.revision += 1
    inspection.revision_reason = reason.strip()
    rescore_inspection(inspection, fields=["revision", "revision_reason"])
    actions_sync(inspection=inspection, by=by)
    unit_result_recompute(unit=inspection.unit, round=inspection.round)
    record_prepare_after_commit(inspection)
    record_event(
        actor=by,
        action="inspection_revised",
        target=inspection,
        revision=inspection.revision,
        reason=reason,
        criteria=list(answers),
    )
    notify(
        recipients=[inspection.inspector],
        kind="inspection_revised",
        key=f"inspection_revised:{inspection.pk}:{inspection.revision}",
        data={
            **_inspection_facts(inspection),
            "revision": inspection.revision,
            "reason": inspection.revision_reason,
            **_record_of(inspection),
            "page": notices.page("result", inspection.pk),
        },
    )
    return inspection


def _invalid_answers(
    inspection: Inspection, answers: Mapping[str, Mapping[str, Any]]
) -> dict[str, list[str]]:
    """Every value of a revision that does not fit its criterion, all at once."""
    rules = {rule.code: rule for rule in rules_for_version(inspection.round.version).criteria}
    problems: dict[str, list[str]] = {}
    for code, change in answers.items():
        rule = rules.get(code)
        if rule is None or "value" not in change:
            continue  # an unknown code is a 404 below; a missing value keeps the stored one
        try:
            parse_answer(rule, change["value"])
        except InvalidAnswer as invalid:
            problems.update(invalid.fields(revised_field(code)))
    return problems


def _revision_data(inspection: Inspection) -> dict[str, Any]:
    return {
        "score": str(inspection.score) if inspection.score is not None else None,
        "classification": inspection.classification,
        "approved_at": inspection.approved_at.isoformat() if inspection.approved_at else None,
        "approved_by": inspection.approved_by_id,
        # What this revision's biên bản says, kept for it (the rows move on).
        "record": record_data(inspection),
        "answers": {
            a.criterion.code: {
                "value": str(a.value) if a.value is not None else None,
                "note": a.note,
                "flagged": a.flagged,
            }
            for a in inspection.answers.select_related("criterion")
        },
    }
