"""The service indicators offered to the inspector (D2 from the citizens' survey, D1 and D3
from the round's one-stop export): accepting a proposal saves the value and its evidence
through the same answer and photo services as a typed answer; overriding it saves the
inspector's own value with the reason."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections.documents.formatting import vn_date, vn_number
from inspections.documents.surveys import dossiers_pdf, summary_pdf
from inspections.errors import DomainError, Problem
from inspections.models import Answer, EvidencePhoto, Inspection, OneStopImport
from inspections.policies import Actor
from inspections.selectors.indicators import Proposal, indicator_proposal, unit_dossiers
from inspections.selectors.surveys import survey_summary
from inspections.services.audit import record_event
from inspections.services.evidence import photo_attach
from inspections.services.inspections import answer_set

NOTE_MAX = 1000


def _usable(inspection: Inspection, code: str) -> Proposal:
    proposal = indicator_proposal(inspection, code)
    if proposal is None or proposal.value is None:
        reason = proposal.reason if proposal is not None else ""
        raise DomainError(
            reason or _("Tiêu chí %(code)s không có giá trị đề xuất.") % {"code": code},
            problem=Problem.WRONG_STATE,
            code="no_proposal",
        )
    return proposal


def evidence_document(inspection: Inspection, proposal: Proposal) -> tuple[bytes, str, str]:
    """The PDF a proposal rests on, its caption, and the note the answer gets."""
    now = timezone.now()
    period = f"{vn_date(proposal.starts_on)} – {vn_date(proposal.ends_on)}"
    values = {
        "part": proposal.rate.part,
        "count": proposal.rate.whole,
        "rate": vn_number(proposal.value, 1),
        "period": period,
    }
    if proposal.from_survey:
        summary = survey_summary(inspection.unit, proposal.starts_on, proposal.ends_on)
        note = _(
            "Theo khảo sát sự hài lòng tại quầy: %(count)s ý kiến, %(rate)s%% hài lòng "
            "(%(period)s)."
        )
        caption = _("Tổng hợp khảo sát sự hài lòng, %(period)s")
        return summary_pdf(summary, made_at=now), caption % values, note % values
    source = OneStopImport.objects.select_related("round").get(round=inspection.round)
    document = dossiers_pdf(
        unit_name=inspection.unit.name,
        round_name=source.round.name,
        code=proposal.code,
        found=proposal.rate,
        dossiers=unit_dossiers(source, inspection),
        file_name=source.file_name,
        made_at=now,
    )
    note = _("Theo số liệu một cửa của đợt: %(part)s/%(count)s hồ sơ, %(rate)s%%.")
    caption = _("Số liệu một cửa của đơn vị, %(period)s")
    return document, caption % values, note % values


def indicator_accept(
    *, by: Actor, inspection: Inspection, code: str
) -> tuple[Answer, EvidencePhoto]:
    """Save the proposed value on the criterion, with its source's rows or summary (a PDF made
    now) as the evidence."""
    proposal = _usable(inspection, code)
    document, caption, note = evidence_document(inspection, proposal)  # before any write
    with transaction.atomic():
        answer = answer_set(
            by=by, inspection=inspection, criterion_code=code, value=proposal.value, note=note
        )
        record_event(
            actor=by,
            action="indicator_accepted",
            target=inspection,
            criterion=code,
            value=str(proposal.value),
            cases=proposal.rate.whole,
        )
    photo, _created = photo_attach(
        by=by, inspection=inspection, data=document, criterion_code=code, caption=caption
    )
    return answer, photo


def indicator_override(
    *, by: Actor, inspection: Inspection, code: str, value: object, note: str
) -> Answer:
    """The inspector's own value instead of the proposal, with the reason (required)."""
    proposal = _usable(inspection, code)
    note = note.strip()
    if not note:
        message = _("Hãy ghi lý do không dùng giá trị đề xuất.")
        raise DomainError(message, fields={"note": [message]})
    if len(note) > NOTE_MAX:
        message = _("Lý do dài quá %(n)s ký tự.") % {"n": NOTE_MAX}
        raise DomainError(message, fields={"note": [message]})
    with transaction.atomic():
        answer = answer_set(
            by=by, inspection=inspection, criterion_code=code, value=value, note=note
        )
        record_event(
            actor=by,
            action="indicator_overridden",
            target=inspection,
            criterion=code,
            proposed=str(proposal.value),
            value=str(answer.number) if answer.number is not None else None,
            note=note,
        )
    return answer
