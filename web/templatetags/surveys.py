"""The service indicators' proposals on the checklist (one include line in _criterion.html)."""

from __future__ import annotations

from typing import Any

from django import template

from inspections import policies
from inspections.models import Inspection
from inspections.selectors.indicators import INDICATOR_CODES, Proposal, indicator_proposals

register = template.Library()


@register.simple_tag(takes_context=True)
def proposal_for(context: Any, inspection: Inspection, code: str) -> Proposal | None:
    """The proposal on this criterion for the inspection's own inspector, while editable.
    All of the page's proposals are read at its first criterion, whichever it is, so that the
    checklist runs the same queries for any model."""
    if not policies.may_edit_inspection(context.get("user"), inspection):
        return None
    cached: dict[str, Proposal] | None = getattr(inspection, "_indicator_proposals", None)
    if cached is None:
        cached = indicator_proposals(inspection)
        inspection._indicator_proposals = cached  # type: ignore[attr-defined]
    return cached.get(code) if code in INDICATOR_CODES else None
