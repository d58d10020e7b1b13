"""Who may do what, and which rows each user may know about: the one place that decides.

Services ask the `may_*` questions before they write and raise their own refusal; views ask
the same questions to show or hide a button, and list and fetch rows through the `*_for`
querysets, so a row that is not yours is a 404, never a 403 that would confirm it exists.
"Own unit" means the unit and every unit below it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from inspections.models import (
    Assignment,
    Commitment,
    CorrectiveAction,
    EvidencePhoto,
    Inspection,
    ModelVersion,
    OrgUnit,
    RoleKind,
    Round,
    SurveyPoint,
    SurveyResponse,
    TeamMember,
    UserRole,
)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser, User

    # The person a service acts for: always a signed-in user.
    Actor: TypeAlias = User
    # Whoever asks a question of this module: a page may be asked by anyone.
    Viewer: TypeAlias = AbstractBaseUser | AnonymousUser | None
else:
    Actor = Viewer = Any

_NOTHING = Q(pk__in=[])


# --- Roles -------------------------------------------------------------------------------------


def acting(user: Viewer) -> Actor:
    """The signed-in person behind a request, for a service; views call it after login."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Hãy đăng nhập."))
    return cast("Actor", user)


def roles_of(user: Viewer) -> list[UserRole]:
    """The user's roles, read once per user object (views ask many times)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached: list[UserRole] | None = getattr(user, "_cong_so_xanh_roles", None)
    if cached is None:
        cached = list(UserRole.objects.filter(user_id=user.pk or 0).select_related("unit"))
        user._cong_so_xanh_roles = cached  # type: ignore[union-attr]
    return cached


def has_role(user: Viewer, kind: RoleKind) -> bool:
    return any(role.kind == kind for role in roles_of(user))


def units_where(user: Viewer, kind: RoleKind) -> list[OrgUnit]:
    return [role.unit for role in roles_of(user) if role.kind == kind and role.unit is not None]


def own_units(user: Viewer) -> list[OrgUnit]:
    """Every unit the user belongs to, whatever the role."""
    return [role.unit for role in roles_of(user) if role.unit is not None]


def is_internal_affairs(user: Viewer) -> bool:
    return has_role(user, RoleKind.INTERNAL_AFFAIRS)


def is_leader(user: Viewer) -> bool:
    return has_role(user, RoleKind.LEADER)


def sees_everything(user: Viewer) -> bool:
    """Internal Affairs and leaders read every unit's records."""
    return is_internal_affairs(user) or is_leader(user)


def writes_anything(user: Viewer) -> bool:
    """Leaders read everything and write nothing; a user with no role writes nothing either."""
    return any(role.kind != RoleKind.LEADER for role in roles_of(user))


# --- The organisation tree ---------------------------------------------------------------------


def within(units: Iterable[OrgUnit], field: str = "") -> Q:
    """A filter for rows whose unit is one of `units` or below one of them."""
    prefix = f"{field}__" if field else ""
    condition = _NOTHING
    for unit in units:
        condition |= Q(**{f"{prefix}path__startswith": unit.path})
    return condition


def unit_is_within(unit: OrgUnit, units: Iterable[OrgUnit]) -> bool:
    return any(unit.is_within(ancestor) for ancestor in units)


def is_office_of(user: Viewer, unit: OrgUnit) -> bool:
    """The user is the office (head or focal person) of this unit or of a unit above it."""
    return unit_is_within(unit, units_where(user, RoleKind.OFFICE))


def own_unit_conflicts(*, inspector: Viewer, units: Iterable[OrgUnit]) -> list[str]:
    """Names of the units this person may not inspect: their own units and those below them."""
    own = own_units(inspector)
    return [unit.name for unit in units if unit_is_within(unit, own)]


# --- What a user may do ------------------------------------------------------------------------


def may_manage_movement(user: Viewer) -> bool:
    """Rounds, assignments, reviews, units and people: Internal Affairs' work."""
    return is_internal_affairs(user)


def may_configure(user: Viewer) -> bool:
    """Groups, units, roles and catalogue drafts: Internal Affairs, or the IT officer (a
    superuser, who must be able to grant the first Internal Affairs role of a new install)."""
    return is_internal_affairs(user) or bool(getattr(user, "is_superuser", False))


def may_manage_people(user: Viewer) -> bool:
    """Accounts, roles and invitations: Internal Affairs (the IT officer keeps the admin)."""
    return is_internal_affairs(user)


def may_manage_person(user: Viewer, person: Actor) -> bool:
    """Internal Affairs manages people, except the IT officer's superuser accounts."""
    return may_manage_people(user) and not person.is_superuser


def needs_two_factor(user: Viewer) -> bool:
    """Those who approve what becomes public rankings, and the admin, sign in with a code."""
    if user is None or not user.is_authenticated:
        return False
    return bool(getattr(user, "is_superuser", False)) or is_internal_affairs(user)


def needs_verification(user: Viewer) -> bool:
    """A code at sign-in: required as above, and for anyone who chose to enrol a device."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        enrolled = bool(user.profile.two_factor_enabled)  # type: ignore[union-attr]
    except (AttributeError, ObjectDoesNotExist):
        enrolled = False
    return enrolled or needs_two_factor(user)


def may_read_rounds(user: Viewer) -> bool:
    """Round boards and unpublished rankings: Internal Affairs and leaders (who read only)."""
    return sees_everything(user)


def may_read_ranking(user: Viewer, *, published: bool) -> bool:
    """A published ranking is for every signed-in user; before that, for those who run it."""
    return published or may_read_rounds(user)


def may_manage_year(user: Viewer) -> bool:
    """The year's policy, its publication and the commendation proposals: Internal Affairs."""
    return is_internal_affairs(user)


def may_read_year_result(user: Viewer, *, published: bool) -> bool:
    """A published year's ranking is for every signed-in user, like a round's; before that,
    for Internal Affairs and leaders."""
    signed_in = bool(user is not None and user.is_authenticated)
    return (published and signed_in) or may_read_rounds(user)


def may_read_proposals(user: Viewer) -> bool:
    """Commendation proposals, with their reasons: Internal Affairs and leaders."""
    return sees_everything(user)


def may_export_data(user: Viewer) -> bool:
    """Every answer, inspection and action of a round or a year: Internal Affairs and leaders."""
    return sees_everything(user)


def may_export_evidence(user: Viewer, unit: OrgUnit | None = None) -> bool:
    """A round's evidence archive: Internal Affairs and leaders; a unit's, also its office
    (who receives only the photos `photos_for` lets it see)."""
    return sees_everything(user) or (unit is not None and is_office_of(user, unit))


def may_export_originals(user: Viewer) -> bool:
    """Originals keep GPS positions: an archive of them is for Internal Affairs only."""
    return is_internal_affairs(user)


def may_inspect(user: Viewer) -> bool:
    return has_role(user, RoleKind.INSPECTOR)


def is_inspector_of(user: Viewer, inspection: Inspection) -> bool:
    """Who changes an inspection, whatever its state (a replayed upload is asked this too)."""
    return user is not None and inspection.inspector_id == user.pk


def may_edit_inspection(user: Viewer, inspection: Inspection) -> bool:
    """Only a draft or a returned inspection, and only by its own inspector."""
    return inspection.is_editable and is_inspector_of(user, inspection)


def round_takes_changes(inspection: Inspection) -> bool:
    """A published round takes no change; a locked one only the fixes of returned inspections
    (a draft there can no longer be finished)."""
    status = inspection.round.status
    if status == Round.Status.PUBLISHED:
        return False
    return status == Round.Status.OPEN or inspection.state != Inspection.State.DRAFT


def may_read_history(user: Viewer, inspection: Inspection) -> bool:
    """The timeline and the revisions of an inspection: Internal Affairs and its inspector."""
    return is_internal_affairs(user) or is_inspector_of(user, inspection)


def is_team_member(user: Viewer, inspection: Inspection) -> bool:
    """A member of the inspection's team other than the inspector in charge."""
    if user is None or not user.is_authenticated:
        return False
    return TeamMember.objects.filter(inspection=inspection, user_id=user.pk).exists()


def may_join_team(user: Viewer, inspection: Inspection) -> bool:
    """An inspector, never of the unit inspected or of a unit above it (conflict of interest),
    and not the inspector in charge, who leads the team already."""
    return (
        may_inspect(user)
        and not is_inspector_of(user, inspection)
        and not own_unit_conflicts(inspector=user, units=[inspection.unit])
    )


def may_manage_team(user: Viewer, inspection: Inspection) -> bool:
    """The team and the unit's people present: the inspector in charge while the inspection is
    editable; Internal Affairs until it is approved."""
    if inspection.kind != Inspection.Kind.OFFICIAL:
        return False
    if is_internal_affairs(user):
        return inspection.state != Inspection.State.APPROVED
    return may_edit_inspection(user, inspection)


def may_add_team_evidence(user: Viewer, inspection: Inspection) -> bool:
    """Photos and a team note: the inspector in charge and the members, while editable."""
    return inspection.is_editable and (
        is_inspector_of(user, inspection) or is_team_member(user, inspection)
    )


def may_sign(user: Viewer, inspection: Inspection) -> bool:
    """Signatures are taken on the phone of the inspector in charge, at the visit or after a
    change that needs signing again; a self-assessment has no record to sign."""
    return inspection.kind == Inspection.Kind.OFFICIAL and is_inspector_of(user, inspection)


def has_record(inspection: Inspection) -> bool:
    """A biên bản exists for an approved official inspection (its number is given then)."""
    return (
        inspection.kind == Inspection.Kind.OFFICIAL
        and inspection.state == Inspection.State.APPROVED
        and inspection.record_number is not None
    )


def may_read_round_report(user: Viewer, round: Round) -> bool:
    """The official report of a round exists once it is published, for every signed-in user."""
    return round.status == Round.Status.PUBLISHED and bool(
        user is not None and user.is_authenticated
    )


def may_assess_self(user: Viewer, unit: OrgUnit) -> bool:
    return is_office_of(user, unit)


def is_own_inspection(user: Viewer, inspection: Inspection) -> bool:
    """The person who inspected: a second person reviews, whatever roles this one holds."""
    return user is not None and inspection.inspector_id == getattr(user, "pk", None)


def belongs_to(user: Viewer, unit: OrgUnit) -> bool:
    """The user holds a role, any role, at this unit or at a unit above it."""
    return unit_is_within(unit, own_units(user))


def may_review(user: Viewer, inspection: Inspection, *, settles: bool = True) -> bool:
    """Return (settles=False), approve or revise: Internal Affairs, never its own inspection;
    a result is never settled by, or for, someone who belongs to the inspected unit."""
    if not is_internal_affairs(user) or is_own_inspection(user, inspection):
        return False
    return not settles or not (
        belongs_to(user, inspection.unit) or belongs_to(inspection.inspector, inspection.unit)
    )


def may_respond_to_action(user: Viewer, action: CorrectiveAction) -> bool:
    return is_office_of(user, action.unit)


def may_verify_action(user: Viewer, action: CorrectiveAction) -> bool:
    """Internal Affairs or the inspector whose inspection opened the action."""
    return is_internal_affairs(user) or (
        user is not None and action.inspection.inspector_id == user.pk
    )


def may_record_commitment(user: Viewer, unit: OrgUnit) -> bool:
    return is_internal_affairs(user) or is_office_of(user, unit)


def may_see_original(
    user: Viewer, photo: EvidencePhoto, *, inspector_id: int | None = None
) -> bool:
    """Originals keep GPS: Internal Affairs and the inspection's own inspector only."""
    if user is None or not user.is_authenticated:
        return False
    if is_internal_affairs(user):
        return True
    if photo.inspection_id is None:
        return False
    if inspector_id is None:
        inspector_id = photo.inspection.inspector_id if photo.inspection else None
    return bool(inspector_id == user.pk)


def may_blur_photo(user: Viewer, photo: EvidencePhoto) -> bool:
    """A face or a badge on a display copy: Internal Affairs, on any photo with copies."""
    return is_internal_affairs(user) and bool(photo.display)


def may_annotate_photo(user: Viewer, photo: EvidencePhoto) -> bool:
    """Circles and arrows on an inspection's photo: whoever may still attach photos to it."""
    inspection = photo.inspection
    return (
        inspection is not None
        and bool(photo.display)
        and may_add_team_evidence(user, inspection)
        and round_takes_changes(inspection)
    )


# --- Which rows a user may see -----------------------------------------------------------------


def visible_units(user: Viewer) -> QuerySet[OrgUnit]:
    if sees_everything(user):
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(within(units_where(user, RoleKind.OFFICE)))


def visible_versions(user: Viewer) -> QuerySet[ModelVersion]:
    """Drafts are Internal Affairs' work in progress; everyone sees published versions."""
    versions = ModelVersion.objects.select_related("model")
    if sees_everything(user):
        return versions
    return versions.filter(status=ModelVersion.Status.PUBLISHED)


def _office_units(user: Viewer) -> Q | None:
    units = units_where(user, RoleKind.OFFICE)
    return within(units, "unit") if units else None


def inspection_filter(user: Viewer) -> Q | None:
    """None means every row (Internal Affairs, leaders)."""
    if sees_everything(user):
        return None
    pk = getattr(user, "pk", None)
    condition = Q(inspector_id=pk)  # theirs, official or self-assessment
    # …and those of the teams they are members of (a subquery: no duplicate rows).
    members = TeamMember.objects.filter(user_id=pk) if pk is not None else TeamMember.objects.none()
    condition |= Q(pk__in=members.values("inspection_id"))
    office = _office_units(user)
    if office is not None:
        # The unit sees its official results once approved, and its own self-assessments.
        condition |= office & (
            Q(kind=Inspection.Kind.SELF)
            | Q(kind=Inspection.Kind.OFFICIAL, state=Inspection.State.APPROVED)
        )
    return condition


def inspections_for(user: Viewer) -> QuerySet[Inspection]:
    condition = inspection_filter(user)
    rows = Inspection.objects.all()
    return rows if condition is None else rows.filter(condition)


def assignments_for(user: Viewer) -> QuerySet[Assignment]:
    if sees_everything(user):
        return Assignment.objects.all()
    return Assignment.objects.filter(inspector_id=getattr(user, "pk", None))


def actions_for(user: Viewer) -> QuerySet[CorrectiveAction]:
    if sees_everything(user):
        return CorrectiveAction.objects.all()
    condition = Q(inspection__inspector_id=getattr(user, "pk", None))
    office = _office_units(user)
    if office is not None:
        condition |= office
    return CorrectiveAction.objects.filter(condition)


def commitments_for(user: Viewer) -> QuerySet[Commitment]:
    if sees_everything(user):
        return Commitment.objects.all()
    return Commitment.objects.filter(_office_units(user) or _NOTHING)


def photos_for(user: Viewer) -> QuerySet[EvidencePhoto]:
    """Photos whose owner (inspection, action response or commitment) the user may see."""
    if sees_everything(user):
        return EvidencePhoto.objects.all()
    return EvidencePhoto.objects.filter(
        Q(inspection__in=inspections_for(user).values("pk"))
        | Q(action_response__action__in=actions_for(user).values("pk"))
        | Q(commitment__in=commitments_for(user).values("pk"))
    )


# --- The citizens' survey (chỉ số D2) ----------------------------------------------------------


def may_manage_survey_points(user: Viewer, unit: OrgUnit) -> bool:
    """Survey points (desks, posters): Internal Affairs for any unit, the office for its own."""
    return is_internal_affairs(user) or is_office_of(user, unit)


def may_moderate_comments(user: Viewer, point: SurveyPoint) -> bool:
    """Hiding or releasing a citizen's comment: Internal Affairs, or the desk's own office."""
    return may_manage_survey_points(user, point.unit)


def may_release_comments(user: Viewer) -> bool:
    """A comment the filter held is read first by Internal Affairs, who may let it through;
    the office never sees it until then."""
    return is_internal_affairs(user)


def may_read_survey_overview(user: Viewer) -> bool:
    """Satisfaction of every unit over time: Internal Affairs and leaders."""
    return sees_everything(user)


def survey_points_for(user: Viewer) -> QuerySet[SurveyPoint]:
    if sees_everything(user):
        return SurveyPoint.objects.all()
    return SurveyPoint.objects.filter(_office_units(user) or _NOTHING)


def survey_responses_for(user: Viewer) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(point__in=survey_points_for(user).values("pk"))


def may_import_onestop(user: Viewer) -> bool:
    """The round's one-stop export (D1, D3) is Internal Affairs' to upload."""
    return may_manage_movement(user)


def may_set_unit_place(user: Viewer) -> bool:
    """Where a unit is decides which photos are flagged as far from it: Internal Affairs."""
    return may_manage_movement(user)


def may_see_position(
    user: Viewer, photo: EvidencePhoto, *, inspector_id: int | None = None
) -> bool:
    """A photo's coordinates go with its original: Internal Affairs and the inspector."""
    return may_see_original(user, photo, inspector_id=inspector_id)


def may_download_personal_data(user: Viewer, person: Actor) -> bool:
    """What the product holds about a person goes to that person alone: not Internal Affairs,
    not the admin (they answer a request through the person, or read the records they keep)."""
    if user is None or not user.is_authenticated:
        return False
    return bool(user.pk is not None and user.pk == person.pk)
