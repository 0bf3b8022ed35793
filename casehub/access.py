"""The access module: what may this user see and do.

Every path that reads or changes protected data asks here — REST views,
search, WebSockets, file downloads, exports and feeds. Answers are built on
the user's current memberships (one indexed query) and, for objects shared
with other agencies, on guardian's direct-foreign-key group tables.

Cases: the owning agency sees its cases by the indexed owning_agency_id;
agencies a case is shared with or transferred to, and the supervising
procuratorate, hold a ``view_case`` grant in guardian's direct-foreign-key
table (models/sharing.py). Acting on a case (transitions, edits) takes a role
in the owning agency. A case the user may not see does not exist for them:
views answer 404, lists and counts leave it out.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_migrate

from agencies.loading import current_memberships, forget_memberships
from agencies.models import Membership
from agencies.roles import Role


def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _membership_cache(user) -> dict[int, frozenset[str]]:
    """agency id -> roles held there now, cached on the user object for the
    life of the request (the session's user arrives with its memberships
    loaded: agencies/loading.py)."""
    cache = getattr(user, "_casehub_roles", None)
    if cache is None:
        roles: dict[int, set[str]] = {}
        groups: dict[int, int] = {}
        if user and user.is_authenticated:
            for agency_id, group_id, role in current_memberships(user):
                roles.setdefault(agency_id, set()).add(role)
                groups[agency_id] = group_id
        cache = {agency_id: frozenset(r) for agency_id, r in roles.items()}
        user._casehub_roles = cache
        user._casehub_groups = groups
    return cache


def forget_cached_roles(user) -> None:
    user.__dict__.pop("_casehub_roles", None)
    user.__dict__.pop("_casehub_groups", None)
    forget_memberships(user)


def agency_group_ids(user) -> list[int]:
    _membership_cache(user)
    return sorted(getattr(user, "_casehub_groups", {}).values())


def agency_ids(user) -> set[int]:
    """Agencies the user currently belongs to, in any role."""
    return set(_membership_cache(user))


def roles_in(user, agency_id: int) -> frozenset[str]:
    return _membership_cache(user).get(agency_id, frozenset())


def has_role(user, agency_id: int, roles: Role | Iterable[Role]) -> bool:
    wanted = {roles} if isinstance(roles, str) else set(roles)
    return bool(roles_in(user, agency_id) & wanted)


def agency_ids_with_role(user, roles: Role | Iterable[Role]) -> set[int]:
    wanted = {roles} if isinstance(roles, str) else set(roles)
    return {agency_id for agency_id, held in _membership_cache(user).items() if held & wanted}


def can_manage_members(user, agency_id: int) -> bool:
    """Agency administrators manage their own agency's members and service
    accounts; platform administrators manage every agency's."""
    return is_platform_admin(user) or has_role(user, agency_id, Role.AGENCY_ADMIN)


def managed_agency_ids(user) -> set[int] | None:
    """Agencies whose members the user manages; None means all of them."""
    if is_platform_admin(user):
        return None
    return agency_ids_with_role(user, Role.AGENCY_ADMIN)


# --- cases -------------------------------------------------------------------
# The owning agency sees its cases by the indexed owning_agency_id column.
# Every other agency that may see a case — one it was shared with or
# transferred to, the supervising procuratorate — holds a view_case grant in
# guardian's direct-foreign-key group table (models/sharing.py).
_permission_ids: dict[str, int] = {}


def _view_case_permission_id() -> int:
    if "view_case" not in _permission_ids:
        _permission_ids["view_case"] = Permission.objects.get(
            codename="view_case", content_type__app_label="casehub"
        ).pk
    return _permission_ids["view_case"]


def _forget_permission_ids(**kwargs) -> None:
    # Flushing or migrating a database may give permissions new ids.
    _permission_ids.clear()


post_migrate.connect(_forget_permission_ids, dispatch_uid="access_forget_permission_ids")


def _grants():
    from .models import CaseGroupObjectPermission

    return CaseGroupObjectPermission.objects


def _shared_with(user):
    """Grants of view_case to the user's agencies, as a subquery."""
    return _grants().filter(group_id__in=agency_group_ids(user), permission_id=_view_case_permission_id())


def visible_cases(user, queryset=None):
    """The cases the user may see, as a queryset to filter further (details,
    counts, exports). For ordered pages use case_listing_scopes()."""
    from .models import Case

    queryset = Case.objects.all() if queryset is None else queryset
    agencies = agency_ids(user) if user is not None and user.is_authenticated else set()
    if not agencies:
        return queryset.none()
    shared = _shared_with(user).filter(content_object=OuterRef("pk"))
    return queryset.filter(Q(owning_agency_id__in=agencies) | Exists(shared))


def cases_visible_to_agencies(agency_ids: list[int], queryset=None):
    """Cases these agencies may see (search backends filter by the searcher's
    agencies)."""
    from agencies.models import Agency
    from .models import Case

    queryset = Case.objects.all() if queryset is None else queryset
    groups = Agency.objects.filter(pk__in=agency_ids).values("group_id")
    shared = _grants().filter(content_object=OuterRef("pk"), group_id__in=groups,
                              permission_id=_view_case_permission_id())
    return queryset.filter(Q(owning_agency_id__in=agency_ids) | Exists(shared))


def case_listing_scopes(user) -> list[tuple[str, list]]:
    """The branches of a scoped case list, as SQL conditions on the case
    table (alias ``c``) with their parameters: the cases the user's
    agencies own, and those shared with them (and not owned). A list runs
    as ``owned UNION ALL shared``, each branch walking its own index in the
    list's order under one LIMIT, so a scoped page costs about what an
    agency-filtered one does. No branches: the user sees no case."""
    from .models import CaseGroupObjectPermission

    agencies = sorted(agency_ids(user)) if user is not None and user.is_authenticated else []
    if not agencies:
        return []
    groups = agency_group_ids(user)
    owner = 'c."owning_agency_id"'
    in_agencies = ", ".join(["%s"] * len(agencies))
    grants = CaseGroupObjectPermission._meta.db_table
    shared = (
        f'c."id" IN (SELECT g."content_object_id" FROM "{grants}" g WHERE g."group_id" IN '
        f'({", ".join(["%s"] * len(groups))}) AND g."permission_id" = %s) AND {owner} NOT IN ({in_agencies})'
    )
    return [(f"{owner} IN ({in_agencies})", agencies), (shared, [*groups, _view_case_permission_id(), *agencies])]


def can_see_case(user, case) -> bool:
    if case.owning_agency_id in agency_ids(user):
        return True
    groups = agency_group_ids(user) if user is not None and user.is_authenticated else []
    return bool(groups) and _shared_with(user).filter(content_object_id=case.pk).exists()


def visible_case_ids(user, case_ids: Iterable[int]) -> set[int]:
    """Which of these cases the user may see: for checking a page of hits
    from elsewhere (a search index). Two primary-key lookups, cheap to plan."""
    from .models import Case

    ids = list(case_ids)
    agencies = agency_ids(user) if ids and user is not None and user.is_authenticated else set()
    if not agencies:
        return set()
    owned = set(Case.objects.filter(pk__in=ids, owning_agency_id__in=agencies).values_list("pk", flat=True))
    rest = [i for i in ids if i not in owned]
    shared = set(_shared_with(user).filter(content_object_id__in=rest).values_list("content_object_id", flat=True)) \
        if rest else set()
    return owned | shared


def grant_case(case, agency) -> None:
    """Let another agency see a case (one row in the direct-FK table)."""
    _grants().get_or_create(content_object=case, group_id=agency.group_id, permission_id=_view_case_permission_id())


def revoke_case(case, agency) -> None:
    _grants().filter(content_object=case, group_id=agency.group_id).delete()


def has_cause_to_see(case, agency_id: int) -> bool:
    """Whether an agency other than the owner still has a reason to see the
    case: a transfer sent to it and not withdrawn, a transfer of its that was
    accepted (the former owner reads on), a sent transfer it supervises, or a
    joint handling it takes part in."""
    from .models import CaseParticipant, Transfer
    from .rules.transfers import TransferStatus

    transfers = Transfer.objects.filter(case_id=case.pk)
    return (
        transfers.filter(to_agency_id=agency_id, sent_at__isnull=False).exclude(status=TransferStatus.WITHDRAWN).exists()
        or transfers.filter(from_agency_id=agency_id, status=TransferStatus.ACCEPTED).exists()
        or transfers.filter(supervising_agency_id=agency_id, sent_at__isnull=False).exists()
        or CaseParticipant.objects.filter(case_id=case.pk, agency_id=agency_id, ended_at__isnull=True).exists()
    )


def settle_grant(case, agency) -> None:
    """After a reason to see the case has ended: the agency keeps its grant
    only if another reason remains."""
    if agency.pk != case.owning_agency_id and not has_cause_to_see(case, agency.pk):
        revoke_case(case, agency)


def case_roles(user, case) -> frozenset[str]:
    """Roles the user may act with on this case: those held in the owning
    agency. Agencies the case is only shared with read it."""
    return roles_in(user, case.owning_agency_id)


def is_owner_member(user, case) -> bool:
    return case.owning_agency_id in agency_ids(user)


def can_see_full_id_numbers(user, case) -> bool:
    """Full resident ID numbers: the owning agency only (others see a mask)."""
    return is_owner_member(user, case)


def can_see_informants(user, case) -> bool:
    """An informant's identity: the owning agency's reviewers and head only."""
    return has_role(user, case.owning_agency_id, (Role.REVIEWER, Role.HEAD))


def case_opening_agency_ids(user) -> set[int]:
    """Agencies the user may open cases for: those where they handle cases."""
    from .rules.workflow import HANDLERS

    return agency_ids_with_role(user, HANDLERS)


def can_edit_case(user, case) -> bool:
    from .rules.workflow import FINAL_STATUSES, HANDLERS

    return case.status not in FINAL_STATUSES and bool(case_roles(user, case) & HANDLERS)


def can_contribute(user, case) -> bool:
    """Add files and parties: the owner's handlers, and the handlers of a
    co-handling agency in a joint case."""
    from .models import CaseParticipant
    from .rules.workflow import FINAL_STATUSES, HANDLERS

    if case.status in FINAL_STATUSES:
        return False
    if can_edit_case(user, case):
        return True
    co_handlers = CaseParticipant.objects.filter(case=case, role="co_handler", ended_at__isnull=True)
    return any(roles_in(user, agency_id) & HANDLERS for agency_id in co_handlers.values_list("agency_id", flat=True))


def audit_agency_ids(user) -> set[int]:
    """Agencies whose audit entries the user may read: those where they are
    an auditor (or the head, who answers for the agency)."""
    return agency_ids_with_role(user, (Role.AUDITOR, Role.HEAD))


# --- statistics ------------------------------------------------------------------
# Who opens the dashboard and the report (issue 13): heads, reviewers,
# auditors and the procuratorate's supervisors; the platform sees all. An
# agency counts its own cases and its subordinate agencies' (Agency.parent);
# a procuratorate counts the transfers it supervises and their cases.
STATISTICS_ROLES = (Role.HEAD, Role.REVIEWER, Role.AUDITOR, Role.SUPERVISOR)


class StatisticsScope:
    """What a viewer's statistics count. `everything`: the platform.
    `agencies`: the agencies whose cases (and transfers, assistance) count,
    subordinates included; `supervising`: the agencies whose supervised
    transfers (and those transfers' cases) count."""

    def __init__(self, *, everything=False, agencies=(), supervising=()):
        self.everything = everything
        self.agencies = frozenset(agencies)
        self.supervising = frozenset(supervising)

    @property
    def empty(self) -> bool:
        return not (self.everything or self.agencies or self.supervising)

    def __repr__(self):
        return f"StatisticsScope(everything={self.everything}, agencies={sorted(self.agencies)}, " \
               f"supervising={sorted(self.supervising)})"


def reads_statistics(user) -> bool:
    return is_platform_admin(user) or bool(agency_ids_with_role(user, STATISTICS_ROLES))


def statistics_scope(user) -> StatisticsScope:
    """The viewer's statistics scope (empty for a user without a statistics
    role). One query reads the agency tree when the user is no platform admin."""
    from agencies.models import Agency

    if is_platform_admin(user):
        return StatisticsScope(everything=True)
    roots = agency_ids_with_role(user, STATISTICS_ROLES) if user is not None and user.is_authenticated else set()
    if not roots:
        return StatisticsScope()
    children: dict[int, list[int]] = {}
    for agency_id, parent_id in Agency.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(agency_id)
    seen, frontier = set(roots), list(roots)
    while frontier:
        frontier = [child for parent in frontier for child in children.get(parent, []) if child not in seen]
        seen.update(frontier)
    return StatisticsScope(agencies=seen, supervising=roots)


def statistics_cases(scope: StatisticsScope, queryset=None):
    """The cases a statistics scope counts."""
    from .models import Case, Transfer

    queryset = Case.objects.all() if queryset is None else queryset
    if scope.everything:
        return queryset
    if scope.empty:
        return queryset.none()
    supervised = Transfer.objects.filter(supervising_agency_id__in=scope.supervising, sent_at__isnull=False)
    return queryset.filter(Q(owning_agency_id__in=scope.agencies) | Q(pk__in=supervised.values("case_id")))


def statistics_transfers(scope: StatisticsScope, queryset=None):
    """The transfers a statistics scope counts: its agencies' own (sent by
    them, or received once sent) and those it supervises (once sent)."""
    from .models import Transfer

    queryset = Transfer.objects.all() if queryset is None else queryset
    if scope.everything:
        return queryset
    if scope.empty:
        return queryset.none()
    return queryset.filter(
        Q(from_agency_id__in=scope.agencies)
        | Q(to_agency_id__in=scope.agencies, sent_at__isnull=False)
        | Q(supervising_agency_id__in=scope.supervising, sent_at__isnull=False)
    )


def statistics_assistance(scope: StatisticsScope, queryset=None):
    """The assistance requests a statistics scope counts: sent or received by its agencies."""
    from .models import AssistanceRequest

    queryset = AssistanceRequest.objects.all() if queryset is None else queryset
    if scope.everything:
        return queryset
    if not scope.agencies:
        return queryset.none()
    return queryset.filter(Q(from_agency_id__in=scope.agencies) | Q(to_agency_id__in=scope.agencies))


def can_set_statistics_targets(user) -> bool:
    """The city IP plan's yearly targets: platform administrators enter them."""
    return is_platform_admin(user)


# --- transfers -----------------------------------------------------------------
# The sending agency sees its transfers from the proposal on; the receiver and
# the supervising procuratorate only once it has been sent.


def visible_transfers(user, queryset=None):
    from .models import Transfer

    queryset = Transfer.objects.all() if queryset is None else queryset
    agencies = agency_ids(user) if user is not None and user.is_authenticated else set()
    if not agencies:
        return queryset.none()
    return queryset.filter(
        Q(from_agency_id__in=agencies)
        | Q(to_agency_id__in=agencies, sent_at__isnull=False)
        | Q(supervising_agency_id__in=agencies, sent_at__isnull=False)
    )


def can_see_transfer(user, transfer) -> bool:
    """The same rule as visible_transfers, for one transfer in hand."""
    mine = agency_ids(user) if user is not None and user.is_authenticated else set()
    if transfer.from_agency_id in mine:
        return True
    return transfer.sent_at is not None and bool({transfer.to_agency_id, transfer.supervising_agency_id} & mine)


def transfer_sides(user, transfer) -> dict[str, frozenset[str]]:
    """The user's roles on each side of a transfer."""
    sides = {"sender": roles_in(user, transfer.from_agency_id)}
    if transfer.sent_at is not None:
        sides["receiver"] = roles_in(user, transfer.to_agency_id)
    return sides


def can_propose_transfer(user, case) -> bool:
    """The owning agency's handlers propose transferring its case."""
    from .rules.transfers import SENDER_HANDLERS

    return bool(case_roles(user, case) & SENDER_HANDLERS)


# What a transfer's page offers besides its steps (the services'
# checks of the same acts: services/transfers.py).


def can_add_transfer_material(user, transfer) -> bool:
    from .rules.transfers import MATERIAL_STATUSES, SENDER_HANDLERS

    return transfer.status in MATERIAL_STATUSES and bool(roles_in(user, transfer.from_agency_id) & SENDER_HANDLERS)


def can_hand_over(user, transfer) -> bool:
    from .rules.transfers import SENDER_HANDLERS, TransferStatus

    return (transfer.status == TransferStatus.ACCEPTED and transfer.handed_over_at is None
            and bool(roles_in(user, transfer.from_agency_id) & SENDER_HANDLERS))


def can_request_supervision(user, transfer) -> bool:
    from .rules.transfers import SUPERVISION_STATUSES

    return transfer.status in SUPERVISION_STATUSES and has_role(user, transfer.from_agency_id, Role.HEAD)


def can_issue_opinion(user, transfer) -> bool:
    from .rules.transfers import SUPERVISORS

    return (transfer.supervising_agency_id is not None and transfer.sent_at is not None
            and bool(roles_in(user, transfer.supervising_agency_id) & SUPERVISORS))


def can_reply_to_opinion(user, transfer, opinion) -> bool:
    from .rules.transfers import OPINION_REPLIERS

    return opinion.responded_at is None and bool(roles_in(user, transfer.to_agency_id) & OPINION_REPLIERS)


def supervising_agency_ids(user) -> set[int]:
    """The user's agencies where they supervise transfers (the supervision
    desk's, as its navigation entry)."""
    return agency_ids_with_role(user, Role.SUPERVISOR)


# --- assistance requests -------------------------------------------------------


def visible_assistance(user, queryset=None):
    """Requests my agencies sent or were asked to answer."""
    from .models import AssistanceRequest

    queryset = AssistanceRequest.objects.all() if queryset is None else queryset
    agencies = agency_ids(user) if user is not None and user.is_authenticated else set()
    if not agencies:
        return queryset.none()
    return queryset.filter(Q(from_agency_id__in=agencies) | Q(to_agency_id__in=agencies))


def can_see_assistance(user, request_) -> bool:
    mine = agency_ids(user) if user is not None and user.is_authenticated else set()
    return bool({request_.from_agency_id, request_.to_agency_id} & mine)


def can_ask_assistance(user, case) -> bool:
    """Ask another agency for assistance: the owning agency's handlers."""
    from .rules.workflow import HANDLERS

    return bool(case_roles(user, case) & HANDLERS)


def can_answer_assistance(user, request_) -> bool:
    """Answer or decline: the asked agency's officers, reviewers, head and
    liaison, while the request is open."""
    from .services.assistance import ANSWERERS

    return request_.status == "open" and bool(roles_in(user, request_.to_agency_id) & ANSWERERS)


def assistance_boxes(user) -> dict[str, int]:
    """The boxes of the assistance desk the user has, with the open requests
    in each: "incoming" (asked of my agencies), "outgoing" (sent by them).
    A box appears once it holds a request. One query."""
    from django.db.models import Count

    from .models import AssistanceRequest

    agencies = agency_ids(user) if user is not None and user.is_authenticated else set()
    if not agencies:
        return {}
    rows = visible_assistance(user, AssistanceRequest.objects.all()).aggregate(
        incoming=Count("pk", filter=Q(to_agency_id__in=agencies)),
        outgoing=Count("pk", filter=Q(from_agency_id__in=agencies)),
        incoming_open=Count("pk", filter=Q(to_agency_id__in=agencies, status="open")),
        outgoing_open=Count("pk", filter=Q(from_agency_id__in=agencies, status="open")),
    )
    return {box: rows[f"{box}_open"] for box in ("incoming", "outgoing") if rows[box]}


def can_organise_joint_handling(user, case) -> bool:
    """Bring agencies onto a case jointly (联合执法) and end their part: the
    owning agency's head."""
    return Role.HEAD in case_roles(user, case)


# --- who may be told -------------------------------------------------------------
# Notifications ask these before telling anyone about a case, a transfer or a
# request: whoever is told must be able to open what they are told about.


def agencies_granted(case_ids: Iterable[int]) -> dict[int, set[int]]:
    """case id -> the agencies other than its owner that may see it: those
    holding a view_case grant (the rule of visible_cases; a grant of another
    permission shows nothing). One query, for a page of cases (the search
    index's documents)."""
    ids = list(case_ids)
    granted: dict[int, set[int]] = {}
    if not ids:
        return granted
    rows = (_grants().filter(content_object_id__in=ids, permission_id=_view_case_permission_id(),
                             group__agency__isnull=False)
            .values_list("content_object_id", "group__agency__id"))
    for case_id, agency_id in rows:
        granted.setdefault(case_id, set()).add(agency_id)
    return granted


def agencies_seeing_case(case_id: int) -> set[int]:
    """The owner and every agency holding a view grant on the case."""
    from .models import Case

    owner = set(Case.objects.filter(pk=case_id).values_list("owning_agency_id", flat=True))
    return owner | agencies_granted([case_id]).get(case_id, set()) if owner else set()


def people_seeing_case(case_id: int) -> set[int]:
    """Active members of every agency that sees the case: who may be told of
    it by name (a note's @mention) and so who the note form offers."""
    return current_members(agencies_seeing_case(case_id))


def agencies_seeing_transfer(transfer) -> set[int]:
    if transfer.sent_at is None:
        return {transfer.from_agency_id}
    return {transfer.from_agency_id, transfer.to_agency_id} | ({transfer.supervising_agency_id} - {None})


def agencies_seeing_assistance(request_) -> set[int]:
    return {request_.from_agency_id, request_.to_agency_id}


def current_members(agency_ids: Iterable[int], roles: Iterable[str] | None = None,
                    user_ids: Iterable[int] | None = None) -> set[int]:
    """Active users holding a current membership (in one of `roles`, if
    given) in any of these agencies."""
    members = Membership.objects.current().filter(agency_id__in=list(agency_ids), user__is_active=True)
    if roles is not None:
        members = members.filter(role__in=list(roles))
    if user_ids is not None:
        members = members.filter(user_id__in=list(user_ids))
    return set(members.values_list("user_id", flat=True))


# --- penalty decisions (public credit disclosure) ---------------------------------
# A penalty decision is its deciding agency's alone until it is published:
# before that no other agency learns of it, in a credit view or in a count.
# Once published, every agency may know of it, and still does after it left
# the public set (repaired, expired): it remains a decision in force.


def visible_penalty_decisions(user, queryset):
    """Of these penalty decisions (disclosure records, with their deciding
    `agency` and `published_on`), those the user may see: their agencies'
    in any state, another agency's once published."""
    agencies = agency_ids(user) if user is not None and user.is_authenticated else set()
    if not agencies:
        return queryset.none()
    return queryset.filter(Q(agency_id__in=agencies) | Q(published_on__isnull=False))


# The deciding agency's disclosure records and credit repair applications
# (its reviewers and head decide them; its officers too record a repair
# application). For everyone else they do not exist: a 404.
DISCLOSURE_DECIDERS = (Role.REVIEWER, Role.HEAD)
REPAIR_RECORDERS = (Role.OFFICER, Role.REVIEWER, Role.HEAD)


def visible_disclosure_records(user, queryset):
    """Of these disclosure records, those of the user's agencies."""
    return queryset.filter(agency_id__in=agency_ids(user))


def decides_disclosures(user, agency_id: int) -> bool:
    return has_role(user, agency_id, DISCLOSURE_DECIDERS)


def records_repair_applications(user, agency_id: int) -> bool:
    return has_role(user, agency_id, REPAIR_RECORDERS)
