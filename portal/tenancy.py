"""The tenant boundary: which organization a request acts for, and the helpers every view uses
to reach data through it. Another organization's objects answer 404, never 403, so their
existence is not revealed."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portal.models import MANAGER_ROLES, Membership

ACTING_ORGANIZATION_KEY = "acting_organization"


def resolve_acting_membership(request) -> tuple[list[Membership], Membership | None]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return [], None
    memberships = list(Membership.objects.filter(user=user).select_related("organization"))
    if not memberships:
        return memberships, None
    wanted = request.session.get(ACTING_ORGANIZATION_KEY)
    for membership in memberships:
        if str(membership.organization.public_id) == wanted:
            return memberships, membership
    return memberships, memberships[0]


def set_acting_organization(request, organization) -> None:
    request.session[ACTING_ORGANIZATION_KEY] = str(organization.public_id)


def organization_required(view=None, *, manage: bool = False):
    """The view needs an acting organization; with manage=True, an owner or admin role.

    A person without an organization is sent to create one; a plain member asking for a
    management page gets 403 (the page exists for their organization, they may not use it)."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if request.membership is None:
                from django.shortcuts import redirect

                return redirect("organization_create")
            if manage and request.membership.role not in MANAGER_ROLES:
                raise PermissionDenied("Only owners and admins of this organization can do that.")
            return view_func(request, *args, **kwargs)

        wrapper.organization_required = True
        wrapper.manage_required = manage
        return wrapper

    return decorator(view) if view is not None else decorator


def get_membership_for_manage(request, public_id) -> Membership:
    try:
        return request.organization.memberships.select_related("user").get(public_id=public_id)
    except (Membership.DoesNotExist, ValueError) as exc:
        raise Http404("No such member in this organization") from exc


def get_invitation_for_manage(request, public_id):
    from portal.models import Invitation

    try:
        return request.organization.invitations.get(public_id=public_id)
    except (Invitation.DoesNotExist, ValueError) as exc:
        raise Http404("No such invitation in this organization") from exc
