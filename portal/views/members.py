from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from portal import services
from portal.forms import InvitationForm, RoleForm
from portal.models import Role
from portal.selectors import organization_members, pending_invitations
from portal.tenancy import get_invitation_for_manage, get_membership_for_manage, organization_required

# The members and the pending invitations are each shown a page at a time, with their own page parameter.
MEMBERS_PER_PAGE = 50
INVITATIONS_PER_PAGE = 50
PAGE_PARAMS = ("members_page", "invitations_page")


def _pages_shown(request) -> dict[str, str]:
    """The page of each list the person was on: the forms of the page post them back with the
    action (portal/_member_pages.html), so its answer shows the same pages."""
    source = request.POST if request.method == "POST" else request.GET
    return {param: source[param] for param in PAGE_PARAMS if source.get(param, "").isdigit()}


def _back(request):
    """The members page, at the pages the person acted from."""
    pages = _pages_shown(request)
    url = reverse("member_list")
    return redirect(f"{url}?{urlencode(pages)}" if pages else url)


def _members_page(request, invite_form=None, status=200):
    """The members page; also the answer to an invitation refused, posted to another address (the
    page links then lead back to the members page, at the first page of each list)."""
    can_invite_owner = request.membership.role == Role.OWNER
    # get_page answers any page parameter: not a number means the first page, too far the last.
    pages = _pages_shown(request)
    members = Paginator(organization_members(request.organization), MEMBERS_PER_PAGE)
    invitations = (
        Paginator(pending_invitations(request.organization), INVITATIONS_PER_PAGE).get_page(
            pages.get("invitations_page")
        )
        if request.membership.can_manage
        else None
    )
    context = {
        "members_page": members.get_page(pages.get("members_page")),
        "invitations_page": invitations,
        "invite_form": invite_form or InvitationForm(can_invite_owner=can_invite_owner),
        "roles": Role.choices,
    }
    return render(request, "portal/member_list.html", context, status=status)


@organization_required
def member_list(request):
    return _members_page(request)


@require_POST
@organization_required(manage=True)
def member_invite(request):
    form = InvitationForm(request.POST, can_invite_owner=request.membership.role == Role.OWNER)
    if not form.is_valid():
        return _members_page(request, invite_form=form, status=400)
    try:
        invitation = services.invite_member(request.organization, acting_user=request.user, **form.cleaned_data)
    except services.ActionRefused as refused:
        form.add_error("email", str(refused))
        return _members_page(request, invite_form=form, status=400)
    messages.success(request, f"Invitation sent to {invitation.email}.")
    return _back(request)


def _act(request, action, success: str):
    try:
        action()
    except services.ActionRefused as refused:
        messages.error(request, str(refused))
        return _back(request)
    messages.success(request, success)
    return _back(request)


@require_POST
@organization_required(manage=True)
def member_role(request, public_id):
    membership = get_membership_for_manage(request, public_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, admin or member.")
        return _back(request)
    role = form.cleaned_data["role"]
    return _act(
        request,
        lambda: services.change_member_role(membership, acting_user=request.user, role=role),
        f"{membership.user} is now {Role(role).label.lower()}.",
    )


@require_POST
@organization_required(manage=True)
def member_remove(request, public_id):
    membership = get_membership_for_manage(request, public_id)
    return _act(
        request,
        lambda: services.remove_member(membership, acting_user=request.user),
        f"{membership.user} was removed from {request.organization.name}.",
    )


@require_POST
@organization_required
def organization_leave(request):
    try:
        services.remove_member(request.membership, acting_user=request.user)
    except services.ActionRefused as refused:
        messages.error(request, str(refused))
        return _back(request)
    messages.success(request, f"You left {request.organization.name}.")
    return redirect("home")


@require_POST
@organization_required(manage=True)
def invitation_resend(request, public_id):
    invitation = get_invitation_for_manage(request, public_id)
    return _act(
        request,
        lambda: services.resend_invitation(invitation, acting_user=request.user),
        f"Invitation re-sent to {invitation.email}.",
    )


@require_POST
@organization_required(manage=True)
def invitation_revoke(request, public_id):
    invitation = get_invitation_for_manage(request, public_id)
    return _act(
        request,
        lambda: services.revoke_invitation(invitation, acting_user=request.user),
        f"Invitation to {invitation.email} revoked.",
    )
