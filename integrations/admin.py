"""The integrations app in the admin. Registry models write through the registry's actions; the
version-submission queue (integrations.registry.admin) and the integrations themselves
(integrations.workspace.admin) have their own modules, imported here so the admin finds them."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from integrations.datamodel import services as datamodel_services
from integrations.models import (
    LATEST_FIRST,
    Application,
    ApplicationApiChange,
    ApplicationVersion,
    DataModelField,
    ForeignObjectLink,
    MappingCollection,
    MappingTest,
    MappingTestResult,
    MappingTestRun,
    ScopeLink,
    TemplateMapping,
    TemplateMappingRow,
    TranslationTable,
)
from integrations.registry import admin as registry_admin  # noqa: F401 (registers the submission queue)
from integrations.registry import services
from integrations.registry.forms import VersionFieldsMixin
from integrations.workspace import admin as workspace_admin  # noqa: F401 (registers integrations)
from portal.admin_site import ReadOnly, ThroughActions


def _logo_preview(owner) -> str:
    if not owner.logo:
        return "—"
    return format_html('<img src="{}" width="64" height="64" alt="{} logo">', owner.logo_small.url, owner.name)


class ApplicationVersionInline(ReadOnly, admin.TabularInline):
    """The version list at a glance; a version is changed on its own page, through the actions."""

    model = ApplicationVersion
    extra = 0
    fields = ["label", "release_date", "notes", "source_url", "created_at"]
    readonly_fields = fields
    ordering = LATEST_FIRST
    show_change_link = True


# What the registry's actions take, besides the object they act on.
APPLICATION_FIELDS = ["name", "website", "category", "description", "is_published"]
VERSION_FIELDS = ["label", "release_date", "notes"]


@admin.register(Application)
class ApplicationAdmin(ThroughActions, admin.ModelAdmin):
    """Added through create_application, changed through update_application (audit row; a
    provider's duplicate name refused). An application is not deleted: integrations name it."""

    list_display = ["name", "provider", "category", "is_published", "version_count", "latest_version", "created_at"]
    list_filter = ["is_published", "category", "created_at"]
    search_fields = ["name", "slug", "provider__name", "description"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]
    fields = ["provider", *APPLICATION_FIELDS, "slug", "logo_preview", "public_id", "created_at", "updated_at"]
    inlines = [ApplicationVersionInline]

    def get_readonly_fields(self, request, obj=None):
        # The action names the slug; an application does not move to another provider.
        moved = ["slug"] if obj is None else ["provider", "slug"]
        return [*moved, "logo_preview", "public_id", "created_at", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).with_latest_version()

    @admin.display(description="versions", ordering="version_count")
    def version_count(self, obj) -> int:
        return obj.version_count

    @admin.display(description="latest version", ordering="latest_release_date")
    def latest_version(self, obj) -> str:
        return obj.latest_label or "—"

    @admin.display(description="logo")
    def logo_preview(self, obj) -> str:
        return _logo_preview(obj)

    def save_model(self, request, obj, form, change):
        values = {field: form.cleaned_data[field] for field in APPLICATION_FIELDS}
        if change:
            if form.has_changed():
                services.update_application(obj, acting_user=request.user, **values)
        else:
            provider = form.cleaned_data["provider"]
            obj.pk = services.create_application(provider, acting_user=request.user, **values).pk
        obj.refresh_from_db()


class ApplicationVersionAdminForm(VersionFieldsMixin, forms.ModelForm):
    """The portal's checks on a label and a release date (none in the future), next to the field."""

    class Meta:
        model = ApplicationVersion
        fields = VERSION_FIELDS


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(ThroughActions, admin.ModelAdmin):
    """Added, changed and deleted through the registry's actions: an audit row each, and the tiers
    of the application's integrations recomputed."""

    list_display = ["label", "application", "provider", "release_date", "created_at"]
    list_filter = ["release_date", "application__category"]
    search_fields = ["label", "application__name", "application__provider__name"]
    list_select_related = ["application__provider"]
    autocomplete_fields = ["application"]
    date_hierarchy = "release_date"
    form = ApplicationVersionAdminForm
    fields = ["application", *VERSION_FIELDS, "source_url", "public_id", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A version stays with its application; its source URL comes from the submission that added it.
        moved = ["source_url"] if obj is None else ["application", "source_url"]
        return [*moved, "public_id", "created_at"]

    @admin.display(description="provider", ordering="application__provider__name")
    def provider(self, obj):
        return obj.application.provider

    def save_model(self, request, obj, form, change):
        values = {field: form.cleaned_data[field] for field in VERSION_FIELDS}
        if change:
            if form.has_changed():
                services.update_application_version(obj, acting_user=request.user, **values)
        else:
            application = form.cleaned_data["application"]
            obj.pk = services.add_application_version(application, acting_user=request.user, **values).pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.remove_application_version(obj, acting_user=request.user)


class ApplicationApiChangeForm(forms.ModelForm):
    class Meta:
        model = ApplicationApiChange
        fields = ["application", "summary", "effective_on"]
        widgets = {"effective_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


@admin.register(ApplicationApiChange)
class ApplicationApiChangeAdmin(ThroughActions, admin.ModelAdmin):
    """Staff record an API change through record_api_change (an audit row; the date checked); a
    recorded change is read, not edited: its deadline is already counting down on integrators' pages."""

    form = ApplicationApiChangeForm
    list_display = ["application", "effective_on", "correct_by", "summary_start", "recorded_by", "created_at"]
    list_filter = ["effective_on"]
    search_fields = ["application__name", "application__provider__name", "summary"]
    list_select_related = ["application", "recorded_by"]
    autocomplete_fields = ["application"]
    date_hierarchy = "effective_on"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["application", "summary", "effective_on", "recorded_by", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="correct by")
    def correct_by(self, obj):
        return obj.correct_by

    @admin.display(description="summary")
    def summary_start(self, obj) -> str:
        return obj.summary[:80]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        obj.pk = services.record_api_change(
            data["application"],
            acting_user=request.user,
            summary=data["summary"],
            effective_on=data["effective_on"],
        ).pk
        obj.refresh_from_db()


class DataModelFieldInline(admin.TabularInline):
    model = DataModelField
    extra = 1
    fields = ["position", "name", "type", "required", "description"]


@admin.register(MappingCollection)
class MappingCollectionAdmin(ThroughActions, admin.ModelAdmin):
    """Staff keep the common data model current: every save is recorded and recomputes the tiers
    of the integrations that use the collection; one in use cannot be deleted."""

    list_display = ["name", "key", "parent", "position"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "key", "description", "fields__name"]
    list_select_related = ["parent"]
    prepopulated_fields = {"key": ["name"]}
    inlines = [DataModelFieldInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        datamodel_services.data_model_changed(form.instance, acting_user=request.user)

    def delete_model(self, request, obj):
        datamodel_services.remove_collection(obj, acting_user=request.user)


# --- How integrations meet the data model: staff inspect, the portal's actions change -------


class InspectOnly(ReadOnly):
    """An integrator's own work: it changes only through the portal's actions (audit rows,
    revisions, tiers), so here staff read it and nobody adds, changes or deletes it."""


@admin.register(ForeignObjectLink)
class ForeignObjectLinkAdmin(InspectOnly, admin.ModelAdmin):
    list_display = [
        "foreign_object",
        "integration",
        "collection",
        "to_ipaas_methods",
        "from_ipaas_methods",
        "updated_at",
    ]
    list_filter = [("collection", admin.RelatedOnlyFieldListFilter), "updated_at"]
    search_fields = ["foreign_object__name", "foreign_object__integration__name", "collection__name"]
    list_select_related = ["foreign_object__integration", "collection"]

    @admin.display(description="integration", ordering="foreign_object__integration__name")
    def integration(self, obj):
        return obj.foreign_object.integration


@admin.register(ScopeLink)
class ScopeLinkAdmin(InspectOnly, admin.ModelAdmin):
    list_display = ["scope", "integration", "collection", "direction", "updated_at"]
    list_filter = ["direction", ("collection", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["scope__name", "scope__integration__name", "collection__name"]
    list_select_related = ["scope__integration", "collection"]

    @admin.display(description="integration", ordering="scope__integration__name")
    def integration(self, obj):
        return obj.scope.integration


@admin.register(TranslationTable)
class TranslationTableAdmin(InspectOnly, admin.ModelAdmin):
    list_display = ["name", "integration", "entry_count", "updated_at"]
    search_fields = ["name", "integration__name", "notes"]
    list_select_related = ["integration"]
    readonly_fields = ["public_id"]

    @admin.display(description="entries")
    def entry_count(self, obj) -> int:
        return len(obj.entries)


class TemplateMappingRowInline(InspectOnly, admin.TabularInline):
    model = TemplateMappingRow
    extra = 0
    fields = ["position", "target", "kind", "source", "formula", "value", "table", "default", "notes", "revision"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("table")


@admin.register(TemplateMapping)
class TemplateMappingAdmin(InspectOnly, admin.ModelAdmin):
    list_display = ["name", "version", "collection", "direction", "sync_type", "revision", "updated_at"]
    list_filter = ["direction", "sync_type", "collision_handling", ("collection", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "version__integration__name", "collection__name"]
    list_select_related = ["version__integration", "collection"]
    readonly_fields = ["public_id", "revision"]
    inlines = [TemplateMappingRowInline]


@admin.register(MappingTest)
class MappingTestAdmin(InspectOnly, admin.ModelAdmin):
    list_display = ["name", "mapping", "version", "created_by", "updated_at"]
    search_fields = ["name", "description", "mapping__name", "mapping__version__integration__name"]
    list_select_related = ["mapping__version__integration", "created_by"]
    readonly_fields = ["public_id"]

    @admin.display(description="version", ordering="mapping__version__number")
    def version(self, obj):
        return obj.mapping.version


class MappingTestResultInline(InspectOnly, admin.TabularInline):
    model = MappingTestResult
    extra = 0
    fields = ["test", "outcome", "mapping_revision", "ran_at", "error", "diff"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("test")


@admin.register(MappingTestRun)
class MappingTestRunAdmin(InspectOnly, admin.ModelAdmin):
    list_display = ["version", "status", "done", "total", "started_by", "created_at", "finished_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["version__integration__name", "version__number", "started_by__email"]
    list_select_related = ["version__integration", "started_by"]
    date_hierarchy = "created_at"
    readonly_fields = ["public_id"]
    inlines = [MappingTestResultInline]
