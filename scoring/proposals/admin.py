"""The delisting proposal queue in the admin: pending first, oldest first. A proposal's page is
where it is decided (delist or dismiss, with a comment), through decide_proposal; a decided
proposal is read-only."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from portal.admin_site import DecidedOnce, ThroughActions
from scoring.breakdown.words import numbers_in_words
from scoring.models import DelistingProposal, ProposalState, Rule
from scoring.proposals import services


class DecideProposalForm(forms.ModelForm):
    state = forms.ChoiceField(
        label="Decision",
        choices=[
            (
                ProposalState.DELISTED,
                "Delist: the integration is no longer offered (subscribers keep their subscriptions)",
            ),
            (ProposalState.DISMISSED, "Dismiss: it stays on the marketplace"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required. Recorded with the decision and sent to the integrator.",
    )

    class Meta:
        model = DelistingProposal
        fields = ["state", "comment"]


@admin.register(DelistingProposal)
class DelistingProposalAdmin(DecidedOnce, ThroughActions, admin.ModelAdmin):
    form = DecideProposalForm
    list_display = ["integration", "state_label", "score", "day", "created_at", "decided_by"]
    list_filter = ["state", "day"]
    list_select_related = ["integration__owner", "decided_by"]
    search_fields = ["integration__name", "integration__owner__name"]
    ordering = ["-state", "created_at"]  # pending, then dismissed, then delisted; oldest first

    def get_fields(self, request, obj=None):
        shown = ["integration_links", "score", "day", "deductions", "created_at"]
        if obj is not None and obj.state != ProposalState.PENDING:
            return [*shown, "state", "comment", "decided_by", "decided_at"]
        return [*shown, "state", "comment"]

    def get_readonly_fields(self, request, obj=None):
        shown = ["integration_links", "score", "day", "deductions", "created_at"]
        if obj is not None and obj.state != ProposalState.PENDING:
            return [*shown, "state", "comment", "decided_by", "decided_at"]
        return shown

    def decided(self, obj) -> str | None:
        if obj.state == ProposalState.PENDING:
            return None
        who, outcome = obj.decided_by or "Another staff member", obj.get_state_display().lower()
        return f"{who} already decided this proposal ({outcome}) on {obj.decided_at:%d %b %Y at %H:%M} UTC"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.state == ProposalState.PENDING)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("integration__owner", "snapshot", "decided_by")

    @admin.display(description="state", ordering="state")
    def state_label(self, obj) -> str:
        return format_html('<span class="status status-{}">{}</span>', obj.state, obj.get_state_display())

    @admin.display(description="integration")
    def integration_links(self, obj) -> str:
        integration = obj.integration
        return format_html(
            '{} by {} · <a href="{}">its marketplace page</a> · <a href="{}">in the admin</a>',
            integration.name,
            integration.owner.name,
            reverse("listing_detail", args=[integration.slug]),
            reverse("admin:integrations_integration_change", args=[integration.pk]),
        )

    @admin.display(description="why: the deductions of that run")
    def deductions(self, obj) -> str:
        if obj.snapshot is None:
            return "—"
        rows = [
            (Rule(d.rule).label, d.amount, numbers_in_words(d.rule, d.numbers), len(d.causes))
            for d in obj.snapshot.deductions.all()
        ]
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li><strong>{}: −{}</strong> {} ({} records)</li>", rows),
        )

    def save_model(self, request, obj, form, change):
        services.decide_proposal(
            obj, acting_user=request.user, outcome=form.cleaned_data["state"], comment=form.cleaned_data["comment"]
        )
