"""Emails of the delisting decisions and the hide warning; called after commit, with ids."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from portal.models import Membership
from portal.notifications import absolute_url
from scoring.models import DelistingProposal, ProposalState


def member_emails(organization_id: int) -> list[str]:
    return list(
        Membership.objects.filter(organization_id=organization_id, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def send_to_members(organization_id: int, subject: str, template: str, context: dict) -> None:
    with transaction.atomic():  # the outbox stores every message or none
        for email in member_emails(organization_id):  # one message each: members' addresses are not shared
            send_mail(
                subject=f"[iPaaS.com] {subject}",
                message=render_to_string(template, context),
                from_email=None,
                recipient_list=[email],
            )


def send_proposal_decided(proposal_pk: int) -> None:
    proposal = DelistingProposal.objects.select_related("integration").get(pk=proposal_pk)
    integration = proposal.integration
    delisted = proposal.state == ProposalState.DELISTED
    context = {
        "proposal": proposal,
        "delisted": delisted,
        "integration_url": absolute_url(reverse("integration_detail", args=[integration.slug])),
    }
    subject = (
        f"{integration.name} is delisted from the marketplace"
        if delisted
        else f"{integration.name} stays on the marketplace: the delisting proposal is dismissed"
    )
    send_to_members(integration.owner_id, subject, "scoring/proposals/email/decided.txt", context)
