"""Red Rook staff's faces of the marketplace: disputes decided through decide_dispute, the queue of
flagged reviews, and read-only subscriptions and reviews."""

from django import forms
from django.contrib import admin

from marketplace.reviews import services as review_services
from marketplace.reviews.models import Dispute, DisputeStatus, Review, ReviewFlag
from marketplace.subscriptions.models import Subscription
from portal.admin_site import ReadOnly, ThroughActions


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
class DisputeAdmin(ThroughActions, admin.ModelAdmin):
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
class ReviewFlagAdmin(ReadOnly, admin.ModelAdmin):
    """The staff queue of reviews flagged as abusive, newest first."""

    list_display = ["review", "reason", "flagged_by", "created_at"]
    list_filter = ["created_at"]
    list_select_related = ["review__organization", "review__integration", "flagged_by"]
    search_fields = ["reason", "review__text", "review__organization__name", "review__integration__name"]


@admin.register(Review)
class ReviewAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["integration", "organization", "stars", "created_at", "edited_at", "answered_at"]
    list_filter = ["stars", "created_at"]
    list_select_related = ["integration", "organization"]
    search_fields = ["text", "organization__name", "integration__name"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["integration", "organization", "price_up_front", "price_per_month", "started_at", "cancelled_at"]
    list_filter = ["cancelled_at", "cancellation_reason"]
    list_select_related = ["integration", "organization"]
    search_fields = ["organization__name", "integration__name"]
