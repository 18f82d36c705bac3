"""Scoring runs in the admin: read-only (state, progress, counts, duration, error), and a "Run now"
button that queues a run through start_run, or says that one is going."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from portal.admin_site import ReadOnly
from scoring.runs.models import ACTIVE_STATES, ScoringRun
from scoring.runs.services import RunGoing, start_run


@admin.register(ScoringRun)
class ScoringRunAdmin(ReadOnly, admin.ModelAdmin):
    change_list_template = "admin/scoring/scoringrun/change_list.html"
    list_display = [
        "day",
        "state",
        "policy_version",
        "progress",
        "hidden_count",
        "listed_count",
        "proposals_count",
        "queued_at",
        "duration",
        "started_by",
        "error",
    ]
    list_filter = ["state", "day"]
    list_select_related = ["policy", "started_by"]

    @admin.display(description="policy")
    def policy_version(self, obj) -> str:
        return f"version {obj.policy.version}"

    @admin.display(description="progress")
    def progress(self, obj) -> str:
        if obj.state in ACTIVE_STATES:
            return f"{obj.phase or obj.get_state_display()}: {obj.integrations_total} integrations"
        return f"{obj.integrations_scored} scored, {obj.deductions_count} deductions"

    def get_urls(self):
        run_now = self.admin_site.admin_view(require_POST(self.run_now_view))
        return [path("run-now/", run_now, name="scoring_scoringrun_run_now"), *super().get_urls()]

    def run_now_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            run = start_run(started_by=request.user)
        except RunGoing as going:
            self.message_user(request, str(going), messages.WARNING)
        else:
            self.message_user(
                request, f"The run of {run.day} is queued; this page shows its progress.", messages.SUCCESS
            )
        return redirect("admin:scoring_scoringrun_changelist")

    def changelist_view(self, request, extra_context=None):
        going = ScoringRun.objects.filter(active=True).first()
        return super().changelist_view(request, {**(extra_context or {}), "run_going": going})
