"""The scoring policy in the admin: every save publishes a new version through publish_policy;
no version is ever changed or deleted, so each run's numbers stay on record."""

from django.contrib import admin, messages

from portal.admin_site import ThroughActions
from scoring.policy.models import NUMBER_FIELDS, ScoringPolicy
from scoring.policy.services import publish_policy


@admin.register(ScoringPolicy)
class ScoringPolicyAdmin(ThroughActions, admin.ModelAdmin):
    list_display = ["__str__", "start", "hide_threshold", "delisting_threshold", "created_by", "created_at"]
    list_select_related = ["created_by"]
    fieldsets = [
        ("Score", {"fields": ["start", "floor"]}),
        ("Version relevance", {"fields": ["version_relevance_deduction"]}),
        ("Negative reviews", {"fields": ["negative_review_deduction", "negative_review_cap", "response_window_days"]}),
        (
            "Excessive cancellations",
            {
                "fields": [
                    "cancellation_deduction",
                    "cancellation_window_days",
                    "small_subscriber_threshold",
                    "small_cancellation_count",
                    "cancellation_percent",
                ]
            },
        ),
        (
            "Misrepresentation",
            {
                "fields": [
                    "misrepresentation_deduction",
                    "misrepresentation_cap",
                    "misrepresentation_window_months",
                    "misrepresentation_min_months",
                    "misrepresentation_max_months",
                ]
            },
        ),
        ("Thresholds", {"fields": ["hide_threshold", "delisting_threshold", "solicitation_delay_days"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        return ScoringPolicy.current().numbers()

    def save_model(self, request, obj, form, change):
        published = publish_policy({name: getattr(obj, name) for name in NUMBER_FIELDS}, acting_user=request.user)
        # The page goes on to the new version; the one edited stays as it was.
        obj.pk, obj.version, obj.created_at = published.pk, published.version, published.created_at
        self.message_user(request, f"Published version {published.version}: runs from now on use it.", messages.INFO)
