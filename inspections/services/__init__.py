"""Every write of the domain, whatever the door (API, web pages, admin, commands)."""

from inspections.services.actions import (
    action_reopen,
    action_respond,
    action_verify,
    actions_sync,
)
from inspections.services.audit import record_event
from inspections.services.catalogue import (
    catalogue_load,
    load_reference_catalogue,
    version_new_draft,
    version_problems,
    version_publish,
)
from inspections.services.commitments import commitment_record
from inspections.services.evidence import action_respond_with_evidence, photo_attach, photo_remove
from inspections.services.inspections import (
    answer_set,
    inspection_approve,
    inspection_create,
    inspection_return,
    inspection_revise,
    inspection_submit,
    submit_problems,
)
from inspections.services.results import rescore_inspection, score_of, unit_result_recompute
from inspections.services.rounds import (
    assignments_create,
    round_close,
    round_create,
    round_open,
    round_publish,
)

__all__ = [
    "action_reopen",
    "action_respond",
    "action_respond_with_evidence",
    "action_verify",
    "actions_sync",
    "answer_set",
    "assignments_create",
    "catalogue_load",
    "commitment_record",
    "inspection_approve",
    "inspection_create",
    "inspection_return",
    "inspection_revise",
    "inspection_submit",
    "load_reference_catalogue",
    "photo_attach",
    "photo_remove",
    "record_event",
    "rescore_inspection",
    "round_close",
    "round_create",
    "round_open",
    "round_publish",
    "score_of",
    "submit_problems",
    "unit_result_recompute",
    "version_new_draft",
    "version_problems",
    "version_publish",
]
