"""Integrations and their versions for Red Rook staff: read-only (an integration changes only
through its owner's actions in the portal), with what staff need to see at once: owner,
application, tier and its history, the checklist as the rules evaluate it now, associated
integrators and the last inbox event. Every page is a fixed number of queries."""

from django.contrib import admin
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join

from integrations.models import AssociationStatus, Integration, IntegrationVersion
from integrations.tiers import engine as tiers
from portal.admin_site import ReadOnly

HISTORY_LIMIT = 50  # the tier changes and associations shown on a page, newest first


def _checklist(version: IntegrationVersion | None) -> str:
    if version is None:
        return "No version yet."
    context = {"version": version, "checklists": tiers.evaluate(version)}
    return render_to_string("admin/integrations/integration/_checklist.html", context)


class IntegrationVersionInline(ReadOnly, admin.TabularInline):
    model = IntegrationVersion
    fields = ["number", "status", "tier", "published_at", "created_at"]
    readonly_fields = fields
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("integration")


@admin.register(Integration)
class IntegrationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "owner", "application", "tier", "version_count", "updated_at"]
    list_filter = [
        "tier",
        ("application", admin.RelatedOnlyFieldListFilter),
        ("owner", admin.RelatedOnlyFieldListFilter),
        "kind",
    ]
    search_fields = ["name", "slug", "owner__name", "application__name", "application__provider__name"]
    list_select_related = ["owner", "application"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "owner", "application", "kind", "tier", "created_at", "updated_at"]}),
        ("Tier", {"fields": ["checklist_now", "tier_history"]}),
        ("Who works on it", {"fields": ["associated_integrators", "last_inbox_event"]}),
        (
            "Declarations",
            {
                "classes": ["collapse"],
                "fields": ["description", "features", "data_movement", "price_up_front", "price_per_month"],
            },
        ),
    ]
    readonly_fields = ["checklist_now", "tier_history", "associated_integrators", "last_inbox_event"]
    inlines = [IntegrationVersionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(version_count=Count("versions", distinct=True))

    @admin.display(description="versions", ordering="version_count")
    def version_count(self, obj) -> int:
        return obj.version_count

    @admin.display(description="checklist now")
    def checklist_now(self, obj) -> str:
        return _checklist(tiers.shown_version(obj) or obj.versions.first())

    @admin.display(description="tier history")
    def tier_history(self, obj) -> str:
        changes = obj.tier_changes.select_related("version").order_by("-created_at", "-id")[:HISTORY_LIMIT]
        context = {"changes": changes, "limit": HISTORY_LIMIT}
        return render_to_string("admin/integrations/integration/_tier_history.html", context)

    @admin.display(description="associated integrators")
    def associated_integrators(self, obj) -> str:
        associations = obj.associations.exclude(status=AssociationStatus.WITHDRAWN).select_related("organization")
        rows = [(a.organization.name, a.get_status_display()) for a in associations[:HISTORY_LIMIT]]
        return format_html_join("\n", "{} ({})<br>", rows) or "None"

    @admin.display(description="last inbox event")
    def last_inbox_event(self, obj) -> str:
        event = obj.inbox_events.order_by("-received_at", "-id").first()
        if event is None:
            return "No verified test event yet."
        return format_html("{} at {} UTC", event.scope, f"{event.received_at:%b %d, %Y %H:%M}")


@admin.register(IntegrationVersion)
class IntegrationVersionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["number", "integration", "owner", "status", "tier", "published_at", "created_at"]
    list_filter = [
        "status",
        "tier",
        ("integration__application", admin.RelatedOnlyFieldListFilter),
        ("integration__owner", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["number", "integration__name", "integration__owner__name", "integration__application__name"]
    list_select_related = ["integration__owner", "integration__application"]
    fields = [
        "integration",
        "number",
        "status",
        "tier",
        "published_at",
        "ready_designated_by",
        "ready_designated_at",
        "supported_application_versions",
        "release_notes",
        "checklist_now",
        "created_at",
    ]
    readonly_fields = ["supported_application_versions", "checklist_now"]

    @admin.display(description="owner", ordering="integration__owner__name")
    def owner(self, obj):
        return obj.integration.owner

    @admin.display(description="supported application versions")
    def supported_application_versions(self, obj) -> str:
        labels = obj.supported_versions.order_by("-release_date").values_list("label", flat=True)
        return ", ".join(labels) or "None declared"

    @admin.display(description="checklist now")
    def checklist_now(self, obj) -> str:
        return _checklist(obj)
