"""The history page every object with one shows: its events in words, newest first, a page at a time."""

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from portal.models import Invitation, Membership
from portal.selectors import object_history
from portal.tenancy import get_invitation_for_manage, get_membership_for_manage, organization_required

EVENTS_PER_PAGE = 50


def history_page(request, obj: models.Model, *, title: str, trail: list[tuple[str, str]]) -> HttpResponse:
    """`obj`'s history in the acting organization's trail. The caller reached `obj` through its
    access helper, so the organization owns it; `trail` is the breadcrumb (label, URL) up to it."""
    events = Paginator(object_history(obj, request.organization), EVENTS_PER_PAGE)
    context = {"title": title, "trail": trail, "page": events.get_page(request.GET.get("page"))}
    return render(request, "portal/object_history.html", context)


@require_GET
@organization_required(manage=True)
def member_history(request, public_id):
    membership: Membership = get_membership_for_manage(request, public_id)
    return history_page(request, membership, title=str(membership.user), trail=[("Members", reverse("member_list"))])


@require_GET
@organization_required(manage=True)
def invitation_history(request, public_id):
    invitation: Invitation = get_invitation_for_manage(request, public_id)
    title = f"the invitation to {invitation.email}"
    return history_page(request, invitation, title=title, trail=[("Members", reverse("member_list"))])
