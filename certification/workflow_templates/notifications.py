"""Emails of workflow templates. Called from transaction.on_commit, with ids, not objects."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from certification.workflow_templates.models import TemplateStatus, WorkflowTemplate
from portal.models import User
from portal.notifications import absolute_url


def _send(subject: str, template: str, context: dict, recipients) -> None:
    for email in recipients:  # one message each: addresses are not shared with one another
        send_mail(
            subject=f"[iPaaS.com] {subject}",
            message=render_to_string(template, context),
            from_email=None,
            recipient_list=[email],
        )


def _template(pk: int) -> WorkflowTemplate:
    return WorkflowTemplate.objects.select_related("version__integration__owner", "organization").get(pk=pk)


def _url(template: WorkflowTemplate) -> str:
    integration = template.version.integration
    return absolute_url(reverse("workflow_template_detail", args=[integration.slug, template.public_id]))


def _members(*organizations) -> list[str]:
    emails = User.objects.filter(is_active=True, memberships__organization__in=organizations)
    return sorted(set(emails.values_list("email", flat=True)))


def send_template_submitted_to_staff(template_pk: int) -> None:
    template = _template(template_pk)
    integration = template.version.integration
    staff = User.objects.filter(is_staff=True, is_active=True).exclude(
        memberships__organization__in=[template.organization_id, integration.owner_id]
    )
    context = {
        "template": template,
        "version": template.version,
        "review_url": absolute_url(reverse("admin:certification_workflowtemplate_change", args=[template.pk])),
    }
    _send(
        f"Workflow template submitted: {template.name} for {integration.name} {template.version.number}",
        "certification/workflow_templates/email/template_submitted_staff.txt",
        context,
        staff.values_list("email", flat=True).distinct(),
    )


def send_template_decided(template_pk: int) -> None:
    """The submitter's members are told; on approval the integration's owner too (it is One-Click now)."""
    template = _template(template_pk)
    integration = template.version.integration
    told = [template.organization]
    if template.status == TemplateStatus.APPROVED and integration.owner_id != template.organization_id:
        told.append(integration.owner)
    context = {"template": template, "version": template.version, "url": _url(template)}
    _send(
        f"Workflow template {template.name} for {integration.name}: {template.get_status_display()}",
        "certification/workflow_templates/email/template_decided.txt",
        context,
        _members(*told),
    )
