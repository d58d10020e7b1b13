"""The service indicators' proposals on the checklist (one include line in _criterion.html)."""

from __future__ import annotations

from typing import Any

from django import template

from inspections import policies
from inspections.models import Inspection
from inspections.selectors.indicators import INDICATOR_CODES, Proposal, indicator_proposal

register = template.Library()


@register.simple_tag(takes_context=True)
def proposal_for(context: Any, inspection: Inspection, code: str) -> Proposal | None:
    """The proposal on this criterion for the inspection's own inspector, while editable."""
    if code not in INDICATOR_CODES:
        return None
    if not policies.may_edit_inspection(context.get("user"), inspection):
        return None
    return indicator_proposal(inspection, code)
