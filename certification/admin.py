from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.timesince import timesince

from certification.models import OPEN, CertificationRequest, RequestStatus
from certification.requests import selectors, services
from certification.workflow_templates import admin as workflow_templates_admin  # noqa: F401 (registers it)
from integrations.workspace.selectors import tier_history
from portal.services import ActionRefused

DECISIONS = {
    "approve": (services.approve_certification_request, "approved"),
    "request_changes": (services.request_changes, "sent back with your request for changes"),
    "reject": (services.reject_certification_request, "rejected"),
}


@admin.register(CertificationRequest)
class CertificationRequestAdmin(admin.ModelAdmin):
    """The staff queue: open requests first, those with failing checks first, oldest first. A
    request is decided on its page through the actions (approve, request changes, reject), never
    by editing it: the same checks, history row, audit row and emails as everywhere else."""

    list_display = ["__str__", "organization", "status", "checks", "age", "queue_reason"]
    list_filter = ["status", "checks_status", "decided_by_automation"]
    search_fields = ["version__integration__name", "version__number", "organization__name"]
    list_select_related = ["version__integration", "organization"]
    change_form_template = "admin/certification/certificationrequest/change_form.html"
    fields = [
        "version",
        "organization",
        "requested_by",
        "message",
        "status",
        "checks_status",
        "queue_reason",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decided_by_automation",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                queue_closed=Case(When(status__in=OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
                no_failure=Case(
                    When(checks_failed__gt=0, then=Value(0)), default=Value(1), output_field=IntegerField()
                ),
            )
            .order_by("queue_closed", "no_failure", "submitted_at")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decisions go through the actions below, never by editing the request

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("certification.change_certificationrequest")

    @admin.display(description="checks")
    def checks(self, obj) -> str:
        if obj.checks_running:
            return f"running ({obj.checks_done} of {obj.checks_total or '…'})"
        if obj.checks_status == "failed":
            return "could not finish"
        return (
            f"{obj.checks_failed} failed of {obj.checks_total}"
            if obj.checks_failed
            else f"all {obj.checks_total} passed"
        )

    @admin.display(description="age", ordering="submitted_at")
    def age(self, obj) -> str:
        return timesince(obj.submitted_at, timezone.now())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and "decision" in request.POST:
            return self._decide(request, object_id)
        obj = self.get_object(request, object_id)
        extra = {}
        if obj is not None:
            extra = {
                "checks": selectors.latest_checks(obj),
                "history": selectors.history(obj),
                "tier_changes": tier_history(obj.version.integration, limit=20),
                "snapshot": obj.snapshot,
                "may_decide": obj.is_open
                and obj.status == RequestStatus.SUBMITTED
                and self.has_decide_permission(request),
                "decide_refusal": services.may_decide(request.user, obj),
                "comment": request.GET.get("comment", ""),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _decide(self, request, object_id):
        url = request.path
        obj = self.get_object(request, object_id)
        decision = DECISIONS.get(request.POST.get("decision", ""))
        if obj is None or decision is None or not self.has_decide_permission(request):
            self.message_user(request, "Choose approve, request changes or reject.", messages.ERROR)
            return HttpResponseRedirect(url)
        action, done = decision
        try:
            action(obj, acting_user=request.user, comment=request.POST.get("comment", ""))
        except ActionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(request, f"{obj} is {done}; the integrator is emailed.", messages.SUCCESS)
        return HttpResponseRedirect(url)
