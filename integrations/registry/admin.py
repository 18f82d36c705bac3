"""The version-submission queue in the admin. Its list is worked with bulk actions; each
submission's own page is where it is decided (the email to staff links there): the submission,
what is needed to judge it, Verify and Reject, and its history. Every decision goes through the
registry's actions (audit row, emails); a decided submission is never decided again."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.html import format_html

from integrations.models import LATEST_FIRST, SubmissionStatus, VersionSubmission
from integrations.registry import selectors, services
from portal.admin_site import QueueList
from portal.services import ActionRefused

REJECT_NEEDS_A_REASON = "Say why the submission is rejected; the submitter reads it."


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("verify", "Verify"), ("reject", "Reject")])
    comment = forms.CharField(
        label="Comment to the submitter",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent with the decision. Required to reject: say why.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("comment", "").strip():
            self.add_error("comment", REJECT_NEEDS_A_REASON)
        return cleaned


@admin.register(VersionSubmission)
class VersionSubmissionAdmin(QueueList, admin.ModelAdmin):
    """The review queue: pending first, oldest first. Staff decide on a submission's own page, or
    several at once with the list's actions; both call the registry's actions (audit row, emails)."""

    # Fits 1280 px beside the filters: the status comes early, long addresses wrap.
    list_display = ["label", "status_label", "application_and_provider", "release_date", "source", "submitter"]
    list_filter = ["status", "created_at", "application__category"]
    search_fields = ["label", "application__name", "application__provider__name", "submitted_by__email", "source_url"]
    list_select_related = ["application__provider", "submitted_by"]
    ordering = ["status", "created_at"]  # "pending" sorts before "rejected" and "verified"
    date_hierarchy = "created_at"
    actions = ["verify_selected", "reject_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # decisions go through the actions, never by editing the status

    def has_review_permission(self, request) -> bool:
        """Deciding needs the model's change permission, though nobody edits a submission directly."""
        return request.user.has_perm("integrations.change_versionsubmission")

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="application", ordering="application__name")
    def application_and_provider(self, obj):
        return format_html("{}<br><small>{}</small>", obj.application, obj.application.provider)

    @admin.display(description="submitted by", ordering="submitted_by__email")
    def submitter(self, obj) -> str:
        person = obj.submitted_by
        if person is None:
            return "—"
        return format_html('<span class="wraps">{}</span>', person.name or person.email)

    @admin.display(description="source")
    def source(self, obj) -> str:
        return format_html(
            '<a href="{}" rel="nofollow noopener noreferrer" target="_blank">{}</a>', obj.source_url, "open"
        )

    # --- The decision page ---------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        submission = self.get_object(request, unquote(object_id))
        if submission is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, submission):
            raise PermissionDenied
        if request.method != "POST":
            return self._decision_page(request, submission, DecisionForm())
        if not self.has_review_permission(request):
            raise PermissionDenied
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self._decision_page(request, submission, form)
        try:
            self._apply(request, submission, form.cleaned_data)
        except ActionRefused as refused:
            if submission.status == SubmissionStatus.PENDING and not _decided_meanwhile(submission):
                form.add_error(None, str(refused))
                return self._decision_page(request, submission, form)
            self.message_user(request, str(refused), messages.ERROR)  # decided by someone else first
        return HttpResponseRedirect(request.path)

    def _apply(self, request, submission: VersionSubmission, data: dict) -> None:
        comment = data["comment"].strip()
        name = f"{submission.application.name} {submission.label}"
        if data["decision"] == "verify":
            services.verify_version_submission(submission, acting_user=request.user, comment=comment)
            done = f"{name} is verified and joined the version list; the submitter and the provider are emailed."
        else:
            services.reject_version_submission(submission, acting_user=request.user, comment=comment)
            done = f"{name} is rejected; the submitter is emailed your reason."
        self.message_user(request, done, messages.SUCCESS)

    def _decision_page(self, request, submission: VersionSubmission, form: DecisionForm):
        past, record = selectors.submitter_history(submission)
        versions = submission.application.versions.order_by(*LATEST_FIRST)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{submission.application.name} {submission.label}",
            "subtitle": None,
            "submission": submission,
            "versions": versions[: selectors.DECISION_LIST_LIMIT],
            "version_count": versions.count(),
            "past_submissions": past,
            "submitter_record": record,
            "history": selectors.submission_history(submission),
            "form": form,
            "may_decide": submission.status == SubmissionStatus.PENDING and self.has_review_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/integrations/versionsubmission/decide.html", context)

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related(
            "application__provider", "submitted_by", "submitted_for", "reviewed_by", "version"
        )
        try:
            return queryset.get(pk=int(object_id))
        except (VersionSubmission.DoesNotExist, ValueError):
            return None

    # --- Several at once, from the list --------------------------------------------------

    @admin.action(description="Verify the selected submissions (add them to the version lists)", permissions=["review"])
    def verify_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda submission: services.verify_version_submission(submission, acting_user=request.user),
            "verified",
        )

    @admin.action(description="Reject the selected submissions…", permissions=["review"])
    def reject_selected(self, request, queryset):
        comment = request.POST.get("comment", "").strip()
        if request.POST.get("confirm") != "yes" or not comment:
            context = {
                **self.admin_site.each_context(request),
                "title": "Reject version submissions",
                "opts": self.model._meta,
                "submissions": queryset.filter(status=SubmissionStatus.PENDING).select_related("application"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "comment": comment,
                "missing_comment": request.POST.get("confirm") == "yes",
            }
            return TemplateResponse(request, "admin/integrations/versionsubmission/reject.html", context)
        self._decide(
            request,
            queryset,
            lambda submission: services.reject_version_submission(
                submission, acting_user=request.user, comment=comment
            ),
            "rejected",
        )
        return None

    def _decide(self, request, queryset, action, done: str) -> None:
        decided = 0
        for submission in queryset.select_related("application"):
            try:
                action(submission)
            except ActionRefused as refused:
                self.message_user(request, f"{submission.application} {submission.label}: {refused}", messages.ERROR)
            else:
                decided += 1
        if decided:
            self.message_user(
                request, f"{decided} submission{'s' if decided != 1 else ''} {done}; emails are on their way."
            )


def _decided_meanwhile(submission: VersionSubmission) -> bool:
    """The page was loaded while the submission waited; another staff member may have decided it since."""
    return VersionSubmission.objects.filter(pk=submission.pk).exclude(status=SubmissionStatus.PENDING).exists()
