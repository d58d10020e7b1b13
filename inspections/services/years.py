"""The year's result: edit its policy, publish it (then both are frozen), and Internal Affairs'
own word on the commendation proposals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import policies
from inspections.errors import DomainError, Problem
from inspections.models import (
    OrgUnit,
    ProposalDecision,
    Round,
    YearPolicy,
    YearResult,
)
from inspections.policies import Actor
from inspections.selectors.years import (
    policy_default,
    require_year,
    year_ranking,
    year_rounds,
)
from inspections.services.audit import record_event

MAX_MINIMUM_ROUNDS = 12
MAX_REASON = 2000
_POLICY_FIELDS = (
    "minimum_rounds",
    "classes",
    "critical_cap",
    "propose_classes",
    "require_no_critical",
    "require_actions_verified",
    "require_commitment",
)


def require_internal_affairs(user: Actor) -> None:
    if not policies.may_manage_year(user):
        raise DomainError(
            _("Chỉ Phòng Nội vụ được thực hiện thao tác này."), problem=Problem.FORBIDDEN
        )


def _frozen() -> DomainError:
    return DomainError(
        _("Kết quả năm đã công bố: quy tắc và kết quả của năm không sửa được nữa."),
        problem=Problem.WRONG_STATE,
        code="year_published",
    )


def _locked_policy(year: int) -> YearPolicy:
    """The year's policy row, locked; the reference default is stored the first time."""
    stored = YearPolicy.objects.select_for_update().filter(year=year).first()
    if stored is not None:
        return stored
    try:
        with transaction.atomic():  # a savepoint: a concurrent first save of the year may win
            policy_default(year).save()
    except IntegrityError:
        pass
    return YearPolicy.objects.select_for_update().get(year=year)


def _score(raw: Any) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or not 0 <= value <= 100 or value != value.quantize(Decimal("0.01")):
        return None
    return value.quantize(Decimal("0.01"))


def _clean_classes(
    raw: list[dict[str, Any]], problems: dict[str, list[str]]
) -> list[dict[str, str]]:
    classes: list[dict[str, str]] = []
    seen: set[str] = set()
    previous: Decimal | None = None
    for entry in raw:
        code = str(entry.get("code", "")).strip()
        name = str(entry.get("name", "")).strip()
        score = _score(entry.get("minimum_score", ""))
        key = f"classes.{code or len(classes) + 1}"
        if not code or code in seen or not code.replace("_", "").replace("-", "").isalnum():
            problems.setdefault("classes", []).append(_("Mỗi mức xếp loại cần một mã riêng."))
            continue
        seen.add(code)
        if not name:
            problems.setdefault(key, []).append(_("Hãy đặt tên cho mức xếp loại."))
        if score is None:
            problems.setdefault(key, []).append(
                _("Điểm tối thiểu là một số từ 0 đến 100, tối đa hai chữ số thập phân.")
            )
        elif previous is not None and score >= previous:
            problems.setdefault(key, []).append(
                _("Điểm tối thiểu phải thấp hơn của mức xếp loại đứng trước.")
            )
        previous = score if score is not None else previous
        classes.append(
            {
                "code": code,
                "name": name,
                "name_en": str(entry.get("name_en", "")).strip(),
                "minimum_score": str(score) if score is not None else "",
            }
        )
    if not raw:
        problems.setdefault("classes", []).append(_("Cần ít nhất một mức xếp loại."))
    return classes


@transaction.atomic
def year_policy_save(
    *,
    by: Actor,
    year: int,
    minimum_rounds: int,
    classes: list[dict[str, Any]],
    critical_cap: str,
    propose_classes: list[str],
    require_no_critical: bool,
    require_actions_verified: bool,
    require_commitment: bool,
) -> tuple[YearPolicy, bool]:
    """Change the year's rules; says whether anything changed. Refused once published."""
    require_internal_affairs(by)
    require_year(year)
    policy = _locked_policy(year)
    if policy.is_published:
        raise _frozen()
    problems: dict[str, list[str]] = {}
    if not 1 <= minimum_rounds <= MAX_MINIMUM_ROUNDS:
        problems["minimum_rounds"] = [
            _("Số đợt tối thiểu từ 1 đến %(max)d.") % {"max": MAX_MINIMUM_ROUNDS}
        ]
    cleaned = _clean_classes(classes, problems)
    codes = [c["code"] for c in cleaned]
    if critical_cap and critical_cap not in codes:
        problems["critical_cap"] = [_("Hãy chọn một mức xếp loại của năm.")]
    wanted = list(dict.fromkeys(propose_classes))
    if not wanted or any(code not in codes for code in wanted):
        problems["propose_classes"] = [_("Hãy chọn ít nhất một mức xếp loại được đề nghị.")]
    if problems:
        raise DomainError(_("Chưa lưu được quy tắc của năm."), fields=problems)
    data: dict[str, Any] = {
        "minimum_rounds": minimum_rounds,
        "classes": cleaned,
        "critical_cap": critical_cap,
        "propose_classes": wanted,
        "require_no_critical": require_no_critical,
        "require_actions_verified": require_actions_verified,
        "require_commitment": require_commitment,
    }
    changes = {
        name: {"from": getattr(policy, name), "to": value}
        for name, value in data.items()
        if getattr(policy, name) != value
    }
    if not changes:
        return policy, False
    for name, value in data.items():
        setattr(policy, name, value)
    policy.updated_by = by
    policy.save()
    record_event(actor=by, action="year_policy_saved", target=policy, changes=changes)
    return policy, True


@transaction.atomic
def year_publish(*, by: Actor, year: int, confirmed: bool = False) -> YearPolicy:
    """Store the year's ranking as it stands and freeze the year's policy with it."""
    require_internal_affairs(by)
    require_year(year)
    policy = _locked_policy(year)
    if policy.is_published:
        raise _frozen()
    rounds = year_rounds(year)
    if not rounds:
        raise DomainError(
            _("Năm %(year)s chưa có đợt kiểm tra nào được công bố.") % {"year": year},
            problem=Problem.WRONG_STATE,
            code="no_published_round",
        )
    if not confirmed:
        waiting = (
            Round.objects.filter(ends_on__year=year).exclude(status=Round.Status.PUBLISHED).count()
        )
        message = _("Hãy xác nhận đã xem bảng xếp hạng năm trước khi công bố.")
        if waiting:
            message = _(
                "Còn %(n)d đợt của năm chưa công bố: kết quả năm chỉ tính các đợt đã công bố. "
                "Hãy xác nhận trước khi công bố."
            ) % {"n": waiting}
        raise DomainError(
            _("Hãy xác nhận trước khi công bố kết quả năm."),
            fields={"confirm": [message]},
            code="confirmation_required",
        )
    ranking = year_ranking(year=year)
    YearResult.objects.bulk_create(
        [
            YearResult(
                policy=policy,
                unit_id=row.unit_id,
                group_id=group.group_id,
                score=row.score,
                score_exact=row.exact,
                classification=row.classification,
                round_count=row.round_count,
                critical_failed=row.critical_failed,
                capped=row.capped,
                unranked_reason=row.unranked_reason,
                rank=row.rank,
                previous_rank=row.previous_rank,
                rounds={
                    str(r.pk): str(score)
                    for r, score in zip(ranking.rounds, row.round_scores, strict=True)
                    if score is not None
                },
            )
            for group, row in ranking.rows
        ],
        batch_size=500,
    )
    policy.status = YearPolicy.Status.PUBLISHED
    policy.published_at = timezone.now()
    policy.published_by = by
    policy.save()
    record_event(
        actor=by,
        action="year_published",
        target=policy,
        rounds=[r.pk for r in rounds],
        ranked=sum(1 for _g, row in ranking.rows if row.rank is not None),
    )
    return policy


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise DomainError(
            _("Hãy nêu lý do."), fields={"reason": [_("Hãy nêu lý do của quyết định này.")]}
        )
    if len(text) > MAX_REASON:
        raise DomainError(
            _("Lý do quá dài."),
            fields={"reason": [_("Lý do tối đa %(n)d ký tự.") % {"n": MAX_REASON}]},
        )
    return text


def _listed(year: int, unit: OrgUnit) -> None:
    if not any(row.unit_id == unit.pk for _g, row in year_ranking(year=year).rows):
        raise DomainError(
            _("Đơn vị không có trong kết quả năm %(year)s.") % {"year": year},
            fields={"unit": [_("Hãy chọn một đơn vị có trong danh sách của năm.")]},
        )


@transaction.atomic
def proposal_decide(
    *, by: Actor, year: int, unit: OrgUnit, proposed: bool, reason: str
) -> ProposalDecision:
    """Add a unit to the proposals or remove it, whatever the criteria say, with a reason."""
    require_internal_affairs(by)
    require_year(year)
    text = _reason(reason)
    _listed(year, unit)
    decision, _created = ProposalDecision.objects.update_or_create(
        year=year,
        unit=unit,
        defaults={"proposed": proposed, "reason": text, "decided_by": by},
    )
    record_event(
        actor=by,
        action="proposal_added" if proposed else "proposal_removed",
        target=unit,
        year=year,
        reason=text,
    )
    return decision


@transaction.atomic
def proposal_reset(*, by: Actor, year: int, unit: OrgUnit, reason: str) -> None:
    """Withdraw Internal Affairs' decision on a unit: the criteria decide again."""
    require_internal_affairs(by)
    require_year(year)
    text = _reason(reason)
    deleted, _rows = ProposalDecision.objects.filter(year=year, unit=unit).delete()
    if not deleted:
        raise DomainError(
            _("Đơn vị này chưa có quyết định nào để hủy."),
            problem=Problem.WRONG_STATE,
            code="no_decision",
        )
    record_event(actor=by, action="proposal_reset", target=unit, year=year, reason=text)
