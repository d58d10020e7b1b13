"""Every write of the domain, whatever the door (API, web pages, admin, commands)."""

from inspections.services.accounts import token_issue, token_revoke, tokens_revoke_all
from inspections.services.actions import action_reopen, action_verify, actions_sync
from inspections.services.audit import record_event
from inspections.services.catalogue import (
    catalogue_load,
    load_reference_catalogue,
    version_new_draft,
    version_problems,
    version_publish,
)
from inspections.services.commitments import commitment_record
from inspections.services.drafts import (
    catalogue_row_delete,
    catalogue_row_save,
    emulation_model_save,
    version_draft_delete,
    version_draft_save,
)
from inspections.services.editions import (
    classification_save,
    criteria_import,
    criterion_edit,
    sections_save,
)
from inspections.services.evidence import action_respond, photo_attach, photo_remove
from inspections.services.exports import (
    data_export_start,
    export_run,
    export_start,
    export_years,
    exports_purge,
)
from inspections.services.inspections import (
    answer_set,
    inspection_approve,
    inspection_create,
    inspection_return,
    inspection_revise,
    inspection_submit,
    submit_problems,
)
from inspections.services.notifications import (
    notification_read,
    notification_unread,
    notifications_read_all,
    notify,
    preferences_set,
    unsubscribe,
    unsubscribe_choice,
    unsubscribe_target,
)
from inspections.services.overlays import photo_annotate, photo_blur
from inspections.services.people import role_grant, role_revoke
from inspections.services.records import record_file, record_number_allocate
from inspections.services.results import rescore_inspection, unit_result_recompute
from inspections.services.rounds import (
    assignment_remove,
    assignment_update,
    assignments_create,
    round_close,
    round_create,
    round_open,
    round_publish,
    round_update,
)
from inspections.services.team import (
    representative_add,
    representative_remove,
    signature_record,
    team_member_add,
    team_member_remove,
    team_note_set,
)
from inspections.services.units import (
    group_delete,
    group_save,
    unit_create,
    unit_move,
    unit_place_set,
    unit_retire,
    unit_update,
)
from inspections.services.years import (
    proposal_decide,
    proposal_reset,
    year_policy_save,
    year_publish,
)

__all__ = [
    "action_reopen",
    "action_respond",
    "action_verify",
    "actions_sync",
    "answer_set",
    "assignment_remove",
    "assignment_update",
    "assignments_create",
    "catalogue_load",
    "catalogue_row_delete",
    "catalogue_row_save",
    "classification_save",
    "commitment_record",
    "criteria_import",
    "criterion_edit",
    "data_export_start",
    "emulation_model_save",
    "export_run",
    "export_start",
    "export_years",
    "exports_purge",
    "group_delete",
    "group_save",
    "inspection_approve",
    "inspection_create",
    "inspection_return",
    "inspection_revise",
    "inspection_submit",
    "load_reference_catalogue",
    "notification_read",
    "notification_unread",
    "notifications_read_all",
    "notify",
    "photo_annotate",
    "photo_attach",
    "photo_blur",
    "photo_remove",
    "preferences_set",
    "proposal_decide",
    "proposal_reset",
    "record_event",
    "record_file",
    "record_number_allocate",
    "representative_add",
    "representative_remove",
    "rescore_inspection",
    "role_grant",
    "role_revoke",
    "round_close",
    "round_create",
    "round_open",
    "round_publish",
    "round_update",
    "sections_save",
    "signature_record",
    "submit_problems",
    "team_member_add",
    "team_member_remove",
    "team_note_set",
    "token_issue",
    "token_revoke",
    "tokens_revoke_all",
    "unit_create",
    "unit_move",
    "unit_place_set",
    "unit_result_recompute",
    "unit_retire",
    "unit_update",
    "unsubscribe",
    "unsubscribe_choice",
    "unsubscribe_target",
    "version_draft_delete",
    "version_draft_save",
    "version_new_draft",
    "version_problems",
    "version_publish",
    "year_policy_save",
    "year_publish",
]
