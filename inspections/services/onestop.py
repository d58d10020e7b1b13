"""The round's one-stop export (D1, D3): Internal Affairs uploads it once per round; a new
upload replaces the last one whole, and a file with one bad row imports nothing."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inspections import policies
from inspections.errors import DomainError, Problem
from inspections.models import OneStopDossier, OneStopImport, OrgUnit, Round
from inspections.onestop_workbook import read_dossiers
from inspections.policies import Actor
from inspections.services.audit import record_event


@transaction.atomic
def onestop_import(*, by: Actor, round: Round, data: bytes, file_name: str) -> OneStopImport:
    if not policies.may_import_onestop(by):
        raise DomainError(
            _("Chỉ Phòng Nội vụ được nhập số liệu một cửa."), problem=Problem.FORBIDDEN
        )
    if round.status == Round.Status.PUBLISHED:
        raise DomainError(_("Đợt đã công bố: không nhập lại số liệu."), problem=Problem.WRONG_STATE)
    units = {code.upper(): pk for code, pk in OrgUnit.objects.values_list("code", "pk")}
    rows = read_dossiers(data, set(units))
    source, _created = OneStopImport.objects.select_for_update().get_or_create(
        round=round,
        defaults={"file_name": "", "sha256": "", "uploaded_at": timezone.now()},
    )
    source.dossiers.all().delete()
    source.file_name = file_name.strip()[:200] or "mot-cua.xlsx"
    source.sha256 = hashlib.sha256(data).hexdigest()
    source.rows = len(rows)
    source.uploaded_at = timezone.now()
    source.uploaded_by = by
    source.save()
    OneStopDossier.objects.bulk_create(
        OneStopDossier(
            source=source,
            line=row.line,
            unit_id=units[row.unit_code],
            code=row.code,
            received_on=row.received_on,
            due_on=row.due_on,
            resolved_on=row.resolved_on,
            online=row.online,
        )
        for row in rows
    )
    record_event(
        actor=by,
        action="onestop_imported",
        target=round,
        file=source.file_name,
        sha256=source.sha256,
        rows=len(rows),
    )
    return source
