"""Every change to a workflow template goes through one of these actions.

Fixed order: check who acts, then in one transaction lock the integration's row (as every edit of
its versions does first), lock the template, check the move against TRANSITIONS, save, write an
AuditEvent, recompute the tiers when the version may have become One-Click, and enqueue the
emails with transaction.on_commit."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from certification.workflow_templates import notifications
from certification.workflow_templates.definition import Definition, DefinitionError, from_document
from certification.workflow_templates.fit import fit_reasons
from certification.workflow_templates.models import LIVE, TemplateStatus, WorkflowTemplate
from integrations.access import may_work_on
from integrations.models import Integration, IntegrationVersion, Tier, semver_key
from integrations.tiers import engine as tiers
from portal.models import Organization, User
from portal.services import ActionRefused, record

NOT_ALLOWED = "Only integrators of this integration and MiSPs submit workflow templates for it."
NOT_CERTIFIED = "Version {number} is not Certified: workflow templates are submitted for a certified version."
NOT_CERTIFIED_YET = (
    "Version {number} is not Certified yet: a workflow template carried over to it is approved once it is, "
    "so that it is judged on the version as certified."
)
ALREADY = "Version {number} already has a workflow template named “{name}”, submitted or approved."
COMMENT_REQUIRED = "Write a comment: the submitter reads it to know why the template was rejected."
MAX_COMMENT = 4000


class TemplateDoesNotFit(ActionRefused):
    """The definition names what the version does not have; `reasons` lists each."""

    def __init__(self, version: IntegrationVersion, reasons: list[str]) -> None:
        super().__init__(f"The workflow template does not fit version {version.number}: " + " ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class TemplateFields:
    name: str
    description: str
    setup_notes: str
    definition: Definition


def stored_definition(template: WorkflowTemplate) -> Definition:
    """The template's definition read back; one saved by hand (not through submit) may be malformed."""
    try:
        return from_document(template.definition)
    except DefinitionError as error:
        raise ActionRefused(f"The definition of “{template.name}” is malformed: {error}") from None


def may_submit(organization: Organization | None, integration: Integration) -> bool:
    return organization is not None and (organization.is_misp or may_work_on(organization, integration))


def _refuse_unfit(version: IntegrationVersion, definition: Definition, *, not_certified: str = NOT_CERTIFIED) -> None:
    """``not_certified`` is the refusal for a version not Certified (empty: no such refusal)."""
    if not_certified and version.tier < Tier.CERTIFIED:
        raise ActionRefused(not_certified.format(number=version.number))
    reasons = fit_reasons(version, definition)
    if reasons:
        raise TemplateDoesNotFit(version, reasons)


def submit_workflow_template(
    version: IntegrationVersion,
    *,
    acting_user: User,
    acting_organization: Organization | None,
    fields: TemplateFields,
    carried_from: WorkflowTemplate | None = None,
) -> WorkflowTemplate:
    """A template carried over (``carried_from``) may wait for a version not Certified yet: a new
    version's, submitted as it starts; staff approve it once that version is Certified."""
    with transaction.atomic():
        integration = Integration.objects.lock(version.integration)
        if not may_submit(acting_organization, integration):
            raise ActionRefused(NOT_ALLOWED)
        version = integration.versions.select_related("integration").get(pk=version.pk)
        _refuse_unfit(version, fields.definition, not_certified="" if carried_from else NOT_CERTIFIED)
        template = WorkflowTemplate(
            version=version,
            organization=acting_organization,
            submitted_by=acting_user,
            name=fields.name.strip(),
            description=fields.description.strip(),
            setup_notes=fields.setup_notes.strip(),
            definition=fields.definition.as_json(),
            carried_from=carried_from,
        )
        try:
            with transaction.atomic():  # a double click, or the same name submitted twice at once
                template.save()
        except IntegrityError:
            raise ActionRefused(ALREADY.format(number=version.number, name=template.name)) from None
        record(
            actor=acting_user,
            kind="workflow_template.submitted",
            organization=acting_organization,
            target=template,
            within=version,
            to_state=TemplateStatus.SUBMITTED,
            comment=f"carried over from version {carried_from.version.number}" if carried_from else "",
        )
        transaction.on_commit(lambda: notifications.send_template_submitted_to_staff(template.pk))
    return template


# --- Decisions: Red Rook staff in the admin -----------------------------------------------------


def may_decide(user: User | None, template: WorkflowTemplate) -> str:
    """Why the person may not decide the template ("" when they may)."""
    if user is None or not user.is_active or not user.is_staff:
        return "Only Red Rook staff decide workflow templates."
    interested = {template.organization_id, template.version.integration.owner_id}
    if user.memberships.filter(organization_id__in=interested).exists():
        return (
            "You are a member of the submitting organization or of the integration's owner: "
            "another member of staff decides this template."
        )
    return ""


def _clean(comment: str, *, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ActionRefused(COMMENT_REQUIRED)
    if len(comment) > MAX_COMMENT:
        raise ActionRefused(f"A comment has at most {MAX_COMMENT} characters.")
    return comment


def _decide(template: WorkflowTemplate, to: str, *, acting_user: User, comment: str) -> WorkflowTemplate:
    with transaction.atomic():
        integration = Integration.objects.lock(template.version.integration)
        template = (
            WorkflowTemplate.objects.select_for_update(of=("self",))
            .select_related("version__integration", "organization")
            .get(pk=template.pk)
        )
        if refusal := may_decide(acting_user, template):
            raise ActionRefused(refusal)
        if not template.may_move_to(to):
            raise ActionRefused(
                f"This workflow template is already {template.get_status_display().lower()}: "
                f"it cannot be {TemplateStatus(to).label.lower()} now. Reload the page to see its state."
            )
        if to == TemplateStatus.APPROVED:
            not_certified = NOT_CERTIFIED_YET if template.carried_from_id else NOT_CERTIFIED
            _refuse_unfit(template.version, stored_definition(template), not_certified=not_certified)
        before = template.status
        template.status, template.decided_at, template.decided_by = to, timezone.now(), acting_user
        template.decision_comment = comment
        template.save(update_fields=["status", "decided_at", "decided_by", "decision_comment"])
        version = template.version
        record(
            actor=acting_user,
            kind=f"workflow_template.{to}",
            organization=template.organization,
            target=template,
            within=version,
            from_state=before,
            to_state=to,
            comment=comment[:1000],
        )
        if to == TemplateStatus.APPROVED:
            tiers.recompute(
                integration, cause=f"workflow template “{template.name}” of {version.number} approved"[:200]
            )
        transaction.on_commit(lambda: notifications.send_template_decided(template.pk))
    return template


def approve_workflow_template(template: WorkflowTemplate, *, acting_user: User, comment: str = "") -> WorkflowTemplate:
    return _decide(template, TemplateStatus.APPROVED, acting_user=acting_user, comment=_clean(comment, required=False))


def reject_workflow_template(template: WorkflowTemplate, *, acting_user: User, comment: str) -> WorkflowTemplate:
    return _decide(template, TemplateStatus.REJECTED, acting_user=acting_user, comment=_clean(comment, required=True))


# --- A new version: the templates of the one before, carried over as new submissions -------------


def carry_over_source(version: IntegrationVersion) -> IntegrationVersion | None:
    """The newest older version with approved templates whose names this version does not have yet."""
    older = [v for v in version.integration.versions.all() if semver_key(v.number) < semver_key(version.number)]
    live_here = {n.lower() for n in version.workflow_templates.filter(status__in=LIVE).values_list("name", flat=True)}
    approved = WorkflowTemplate.objects.approved().filter(version__in=older).values_list("version_id", "name")
    waiting = {version_id for version_id, name in approved if name.lower() not in live_here}
    candidates = [v for v in older if v.pk in waiting]
    return max(candidates, key=lambda v: semver_key(v.number), default=None)


def carry_over_workflow_templates(
    version: IntegrationVersion,
    *,
    acting_user: User,
    acting_organization: Organization | None,
    source: IntegrationVersion | None = None,
) -> tuple[list[WorkflowTemplate], list[str]]:
    """Submits again, for `version`, the approved templates of `source` (by default the newest
    older version with some): each one a new submission, checked against `version`, that staff
    decide. Returns the new submissions and why each other one was not carried."""
    if acting_organization is None or not may_work_on(acting_organization, version.integration):
        raise ActionRefused("Only integrators of this integration carry its workflow templates over.")
    if source is not None and (
        source.integration_id != version.integration_id or semver_key(source.number) >= semver_key(version.number)
    ):
        raise ActionRefused("Workflow templates are carried over from an older version of the same integration.")
    source = source or carry_over_source(version)
    if source is None:
        raise ActionRefused("There is no approved workflow template of an earlier version to carry over.")
    carried, skipped = [], []
    live_here = {n.lower() for n in version.workflow_templates.filter(status__in=LIVE).values_list("name", flat=True)}
    for template in source.workflow_templates.approved().order_by("name"):
        if template.name.lower() in live_here:
            continue
        try:
            fields = TemplateFields(
                template.name, template.description, template.setup_notes, stored_definition(template)
            )
            carried.append(
                submit_workflow_template(
                    version,
                    acting_user=acting_user,
                    acting_organization=acting_organization,
                    fields=fields,
                    carried_from=template,
                )
            )
        except ActionRefused as refused:
            skipped.append(f"{template.name}: {refused}")
    return carried, skipped
