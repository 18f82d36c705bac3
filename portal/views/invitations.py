"""The invitee's side: the signed link, then accept or decline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from portal import services
from portal.adapters import PENDING_INVITATION_KEY
from portal.invitations import InvitationLinkExpired, InvitationLinkInvalid, read_invitation_token
from portal.models import Invitation, InvitationStatus
from portal.tenancy import set_acting_organization


def _load(request, token):
    """The invitation behind a link, or the page (and status) that explains why it cannot be used."""
    try:
        data = read_invitation_token(token)
        invitation = Invitation.objects.select_related("organization", "invited_by").get(public_id=data["id"])
    except InvitationLinkExpired:
        return None, _problem(request, "This invitation has expired", "Ask the organization to send a new one.", 410)
    except (InvitationLinkInvalid, Invitation.DoesNotExist, KeyError, ValueError):
        return None, _problem(
            request, "This invitation link is not valid", "Check that you copied the whole link.", 404
        )
    if data["sent"] != round(invitation.sent_at.timestamp(), 3):
        return None, _problem(request, "This invitation link was replaced", "Use the newest email you received.", 410)
    if invitation.status != InvitationStatus.PENDING:
        title = f"This invitation was {invitation.get_status_display().lower()}"
        return None, _problem(request, title, "Ask the organization for a new invitation if you still need one.", 410)
    if invitation.is_expired:
        return None, _problem(request, "This invitation has expired", "Ask the organization to send a new one.", 410)
    return invitation, None


def _problem(request, title, detail, status):
    return render(request, "portal/invitation_problem.html", {"title": title, "detail": detail}, status=status)


def _wrong_recipient(request, invitation, token):
    context = {"invitation": invitation, "token": token, "may_answer": False}
    return render(request, "portal/invitation_detail.html", context, status=403)


@login_not_required
def invitation_detail(request, token):
    invitation, problem = _load(request, token)
    if problem:
        return problem
    may_answer = request.user.is_authenticated and services.user_may_answer(invitation, request.user)
    if not request.user.is_authenticated:
        request.session[PENDING_INVITATION_KEY] = token
    context = {"invitation": invitation, "token": token, "may_answer": may_answer}
    status = 403 if request.user.is_authenticated and not may_answer else 200
    return render(request, "portal/invitation_detail.html", context, status=status)


@require_POST
def invitation_accept(request, token):
    invitation, problem = _load(request, token)
    if problem:
        return problem
    if not services.user_may_answer(invitation, request.user):
        return _wrong_recipient(request, invitation, token)
    try:
        membership = services.accept_invitation(invitation, user=request.user)
    except services.ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("invitation_detail", token=token)
    set_acting_organization(request, membership.organization)
    messages.success(request, f"Welcome to {membership.organization.name}. You are acting for it now.")
    return redirect("home")


@require_POST
def invitation_decline(request, token):
    invitation, problem = _load(request, token)
    if problem:
        return problem
    if not services.user_may_answer(invitation, request.user):
        return _wrong_recipient(request, invitation, token)
    try:
        services.decline_invitation(invitation, user=request.user)
    except services.ActionRefused as refused:
        messages.error(request, str(refused))
        return redirect("invitation_detail", token=token)
    messages.info(request, f"You declined the invitation to {invitation.organization.name}.")
    return redirect("home")
