"""The start-new-version page's offer to carry the approved workflow templates of the version
started from over to the new one, as new submissions (integrations.workspace.panels)."""

from django.contrib import messages

from certification.workflow_templates import services
from integrations.access import may_work_on
from portal.services import ActionRefused

FIELD = "carry_over_workflow_templates"


def option_context(request, source) -> dict | None:
    """The offer, when the version has approved templates (one query); checked at first."""
    if not may_work_on(request.organization, source.integration):
        return None
    approved = list(source.workflow_templates.approved().order_by("name").values_list("name", flat=True))
    if not approved:
        return None
    checked = request.method != "POST" or bool(request.POST.get(FIELD))
    return {"field": FIELD, "names": approved, "source": source, "checked": checked}


def carry_over_on_start(request, source, new) -> None:
    if not request.POST.get(FIELD):
        return
    try:
        carried, skipped = services.carry_over_workflow_templates(
            new, acting_user=request.user, acting_organization=request.organization, source=source
        )
    except ActionRefused as refused:
        messages.error(request, f"The workflow templates were not carried over: {refused}")
        return
    if carried:
        names = ", ".join(f"“{template.name}”" for template in carried)
        messages.success(
            request,
            f"Carried over to version {new.number} as new submissions: {names}. Red Rook staff approve them "
            f"once version {new.number} is Certified.",
        )
    for reason in skipped:
        messages.error(request, f"Not carried over: {reason}")
