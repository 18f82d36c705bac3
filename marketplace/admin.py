"""Red Rook staff's faces of the marketplace: disputes decided through decide_dispute, flagged
reviews decided on the review's page through decide_review_flags, and read-only subscriptions."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect

from marketplace.reviews import services as review_services
from marketplace.reviews.models import Dispute, DisputeStatus, FlagStatus, Review, ReviewFlag
from marketplace.subscriptions.models import Subscription
from portal.admin_site import DecidedOnce, QueueList, ReadOnly, ThroughActions
from portal.services import ActionRefused

FLAG_DECISIONS = {
    "resolve": (FlagStatus.RESOLVED, "upheld: the review is hidden and its organization is told"),
    "dismiss": (FlagStatus.DISMISSED, "dismissed: the review stays"),
}


class DecideDisputeForm(forms.ModelForm):
    status = forms.ChoiceField(
        label="Decision",
        choices=[(DisputeStatus.ACCEPTED, "Accept: the review no longer counts"), (DisputeStatus.REJECTED, "Reject")],
        widget=forms.RadioSelect,
    )
    decision_comment = forms.CharField(
        label="Comment", widget=forms.Textarea(attrs={"rows": 4}), help_text="Shown to the integrator and the reviewer."
    )

    class Meta:
        model = Dispute
        fields = ["status", "decision_comment"]


@admin.register(Dispute)
class DisputeAdmin(DecidedOnce, ThroughActions, admin.ModelAdmin):
    """Decided through decide_dispute: a comment required, and exactly one decision wins when two
    staff decide at once. A decided dispute is read-only."""

    form = DecideDisputeForm
    list_display = ["review", "status", "raised_at", "decided_at", "decided_by"]
    list_filter = ["status", "raised_at"]
    list_select_related = ["review__organization", "review__integration", "decided_by"]
    readonly_fields = ["review_text", "reasoning", "raised_by", "raised_at"]
    fields = ["review_text", "reasoning", "raised_by", "raised_at", "status", "decision_comment"]

    @admin.display(description="review")
    def review_text(self, obj) -> str:
        review = obj.review
        return f"{review.organization}, {review.stars} of 5 stars on {review.integration}: {review.text}"

    def decided(self, obj) -> str | None:
        if obj.is_pending:
            return None
        who, outcome = obj.decided_by or "Another staff member", obj.get_status_display().lower()
        return f"{who} already decided this dispute ({outcome}) on {obj.decided_at:%d %b %Y at %H:%M} UTC"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_pending)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("review__organization", "review__integration")

    def save_model(self, request, obj, form, change):
        review_services.decide_dispute(
            obj,
            acting_user=request.user,
            outcome=form.cleaned_data["status"],
            comment=form.cleaned_data["decision_comment"],
        )


@admin.register(ReviewFlag)
class ReviewFlagAdmin(QueueList, ReadOnly, admin.ModelAdmin):
    """Every flag raised, newest first; they are decided on their review's page, together."""

    list_display = ["review", "reason", "flagged_by", "created_at", "status_label", "decided_by"]
    list_filter = ["status", "created_at"]
    list_select_related = ["review__organization", "review__integration", "flagged_by", "decided_by"]
    search_fields = ["reason", "review__text", "review__organization__name", "review__integration__name"]


class FlagsFilter(admin.SimpleListFilter):
    title = "flags"
    parameter_name = "flags"

    def lookups(self, request, model_admin):
        return [("waiting", "Waiting for a decision"), ("hidden", "Hidden by staff")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.flagged().order_by("flagged_at")
        if self.value() == "hidden":
            return queryset.filter(hidden_at__isnull=False)
        return queryset


@admin.register(Review)
class ReviewAdmin(ReadOnly, admin.ModelAdmin):
    """Read-only, but for the decision on its waiting flags (the review flags queue): upheld, the
    review is hidden; dismissed, it stays. Both through decide_review_flags, a comment required."""

    list_display = ["integration", "organization", "stars", "created_at", "flagged_at", "hidden_at"]
    list_filter = [FlagsFilter, "stars", "created_at"]
    list_select_related = ["integration", "organization"]
    search_fields = ["text", "organization__name", "integration__name"]
    fields = ["integration", "organization", "author", "stars", "text", "created_at", "edited_at", "answer"]
    readonly_fields = fields + ["hidden_at", "hidden_reason"]
    change_form_template = "admin/marketplace/review/change_form.html"

    def get_fields(self, request, obj=None):
        return self.fields + (["hidden_at", "hidden_reason"] if obj is not None and obj.is_hidden else [])

    def has_decide_permission(self, request) -> bool:
        return request.user.has_perm("marketplace.change_reviewflag")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST" and "decision" in request.POST:
            return self._decide(request, object_id)
        obj = self.get_object(request, object_id)
        extra = {}
        if obj is not None:
            flags = list(obj.flags.select_related("flagged_by", "decided_by").order_by("created_at", "pk"))
            waiting = [flag for flag in flags if flag.is_pending]
            extra = {
                "flags": flags,
                "waiting_flags": waiting,
                "up_to_flag": waiting[-1].pk if waiting else None,
                "may_decide": bool(waiting) and self.has_decide_permission(request),
            }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    def _decide(self, request, object_id):
        obj = self.get_object(request, object_id)
        decision = FLAG_DECISIONS.get(request.POST.get("decision", ""))
        if obj is None or decision is None or not self.has_decide_permission(request):
            self.message_user(request, "Choose to uphold or dismiss the flags.", messages.ERROR)
            return HttpResponseRedirect(request.path)
        outcome, done = decision
        try:
            up_to = int(request.POST.get("up_to_flag", ""))
        except ValueError:
            up_to = None
        try:
            flags = review_services.decide_review_flags(
                obj,
                acting_user=request.user,
                outcome=outcome,
                comment=request.POST.get("comment", ""),
                up_to_flag=up_to,
            )
        except ActionRefused as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            count = len(flags)
            self.message_user(request, f"{count} flag{'s' if count != 1 else ''} {done}.", messages.SUCCESS)
        return HttpResponseRedirect(request.path)


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["integration", "organization", "price_up_front", "price_per_month", "started_at", "cancelled_at"]
    list_filter = ["cancelled_at", "cancellation_reason"]
    list_select_related = ["integration", "organization"]
    search_fields = ["organization__name", "integration__name"]
