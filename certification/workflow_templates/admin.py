"""The staff queue of workflow templates. Staff decide on a template's page through the actions
(approve, or reject with a comment), never by editing it: the form's only inputs are the decision
and the comment, and saving calls the action (portal.admin_site.ThroughActions), so a refusal (a
decision already taken by someone else, a missing comment, a decider from the submitting
organization) comes back as the form's error and changes nothing."""

import json

from django import forms
from django.contrib import admin
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince

from certification.workflow_templates import services
from certification.workflow_templates.models import TemplateStatus, WorkflowTemplate
from portal.admin_site import ThroughActions

DECISIONS = {"approve": services.approve_workflow_template, "reject": services.reject_workflow_template}


class DecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        choices=[("", "Decide later"), ("approve", "Approve"), ("reject", "Reject (a comment is required)")],
        required=False,
    )
    comment = forms.CharField(
        required=False,
        max_length=services.MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The submitter reads it in the email and on the template's page.",
    )

    class Meta:
        model = WorkflowTemplate
        fields: list[str] = []


@admin.register(WorkflowTemplate)
class WorkflowTemplateAdmin(ThroughActions, admin.ModelAdmin):
    form = DecisionForm
    list_display = ["name", "integration_version", "organization", "status", "age"]
    list_filter = ["status"]
    search_fields = ["name", "version__integration__name", "organization__name"]
    list_select_related = ["version__integration", "organization"]
    readonly_fields = [
        "integration_version",
        "organization",
        "submitted_by",
        "name",
        "description",
        "setup_notes",
        "pretty_definition",
        "status",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decision_comment",
        "carried_from",
    ]

    def get_fields(self, request, obj=None):
        # A decision posted after another one was taken still reaches the action, which says so.
        deciding = obj is not None and (obj.status == TemplateStatus.SUBMITTED or request.method == "POST")
        return self.readonly_fields + (["decision", "comment"] if deciding else [])

    def get_ordering(self, request):
        waiting_first = Case(
            When(status=TemplateStatus.SUBMITTED, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return [waiting_first.asc(), "submitted_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        action = DECISIONS.get(form.cleaned_data.get("decision") or "")
        if action is not None:
            action(obj, acting_user=request.user, comment=form.cleaned_data.get("comment", ""))

    def log_change(self, request, obj, message):
        return None  # the action wrote the audit row; the admin's own log would only say "no fields changed"

    @admin.display(description="integration version", ordering="version__integration__name")
    def integration_version(self, obj) -> str:
        return str(obj.version)

    @admin.display(description="waiting for", ordering="submitted_at")
    def age(self, obj) -> str:
        return timesince(obj.submitted_at, timezone.now()) if obj.status == TemplateStatus.SUBMITTED else "—"

    @admin.display(description="definition")
    def pretty_definition(self, obj) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.definition, indent=2))
